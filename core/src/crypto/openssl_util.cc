#include "crypto/openssl_util.h"

#include <openssl/err.h>

#include <string>

namespace nfvsm::crypto::internal {
namespace {

// Function-local statics: initialized once, thread-safely, on first use.
// Deliberately never freed; they live as long as OpenSSL itself.
struct Algorithms {
  EVP_MD* sha256 = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  EVP_MAC* hmac = EVP_MAC_fetch(nullptr, "HMAC", nullptr);
  EVP_CIPHER* aes256gcm = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  Algorithms() { ClearOpenSslErrors(); }
};

const Algorithms& Fetched() {
  static const Algorithms* algorithms = new Algorithms();
  return *algorithms;
}

}  // namespace

const EVP_MD* Sha256Md() { return Fetched().sha256; }
EVP_MAC* HmacMac() { return Fetched().hmac; }
const EVP_CIPHER* Aes256GcmCipher() { return Fetched().aes256gcm; }

Status OpenSslError(StatusCode code, std::string_view what) {
  std::string message(what);
  unsigned long first = ERR_get_error();
  if (first != 0) {
    const char* reason = ERR_reason_error_string(first);
    message += " (openssl: ";
    message += reason != nullptr ? reason : "unknown reason";
    message += ")";
  }
  ClearOpenSslErrors();
  return Status(code, std::move(message));
}

void ClearOpenSslErrors() { ERR_clear_error(); }

}  // namespace nfvsm::crypto::internal
