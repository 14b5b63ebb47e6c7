// Internal helpers shared by the crypto module: RAII deleters for OpenSSL
// objects, algorithm handles fetched once per process, and the conversion
// of OpenSSL's error queue into a Status.
#ifndef NFVSM_CRYPTO_OPENSSL_UTIL_H_
#define NFVSM_CRYPTO_OPENSSL_UTIL_H_

#include <openssl/bio.h>
#include <openssl/evp.h>

#include <memory>
#include <string_view>

#include "nfvsm/status.h"

namespace nfvsm::crypto::internal {

struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* c) const { EVP_PKEY_CTX_free(c); }
};
struct CipherCtxFree {
  void operator()(EVP_CIPHER_CTX* c) const { EVP_CIPHER_CTX_free(c); }
};

using BioPtr = std::unique_ptr<BIO, BioFree>;
using PkeyPtr = std::unique_ptr<EVP_PKEY, PkeyFree>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;
using CipherCtxPtr = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

// Algorithm implementations, fetched from the default library context on
// first use and kept for the life of the process (explicit fetching avoids
// a provider lookup on every operation). nullptr if the provider does not
// offer the algorithm (e.g. a restricted FIPS configuration).
const EVP_MD* Sha256Md();
EVP_MAC* HmacMac();
const EVP_CIPHER* Aes256GcmCipher();

// Builds a Status with `code` whose message is `what` plus the reason of
// the oldest queued OpenSSL error, and empties the thread's error queue so
// a later failure is not blamed on this one. OpenSSL reason strings name
// the failing check, never key material.
Status OpenSslError(StatusCode code, std::string_view what);

// Empties the thread's OpenSSL error queue without reporting it (for
// failures the caller maps to a fixed message, such as a bad signature).
void ClearOpenSslErrors();

// OpenSSL's one-shot and update APIs take `int` lengths.
inline constexpr size_t kMaxOpenSslLength = 1u << 30;

}  // namespace nfvsm::crypto::internal

#endif  // NFVSM_CRYPTO_OPENSSL_UTIL_H_
