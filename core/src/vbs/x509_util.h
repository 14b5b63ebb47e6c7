// RAII wrappers and conversions for the OpenSSL X.509 objects the VBS
// certificate authority builds (certificates, CRLs, names, extensions).
#ifndef NFVSM_VBS_X509_UTIL_H_
#define NFVSM_VBS_X509_UTIL_H_

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::vbs::internal {

template <typename T, void (*Free)(T*)>
struct OpenSslDeleter {
  void operator()(T* p) const { Free(p); }
};
template <typename T, void (*Free)(T*)>
using OpenSslPtr = std::unique_ptr<T, OpenSslDeleter<T, Free>>;

using BioPtr = OpenSslPtr<BIO, BIO_free_all>;
using BignumPtr = OpenSslPtr<BIGNUM, BN_free>;
using PkeyPtr = OpenSslPtr<EVP_PKEY, EVP_PKEY_free>;
using X509Ptr = OpenSslPtr<X509, X509_free>;
using X509CrlPtr = OpenSslPtr<X509_CRL, X509_CRL_free>;
using X509RevokedPtr = OpenSslPtr<X509_REVOKED, X509_REVOKED_free>;
using X509ExtensionPtr = OpenSslPtr<X509_EXTENSION, X509_EXTENSION_free>;
using X509StorePtr = OpenSslPtr<X509_STORE, X509_STORE_free>;
using X509StoreCtxPtr = OpenSslPtr<X509_STORE_CTX, X509_STORE_CTX_free>;
using Asn1IntegerPtr = OpenSslPtr<ASN1_INTEGER, ASN1_INTEGER_free>;
using Asn1EnumeratedPtr = OpenSslPtr<ASN1_ENUMERATED, ASN1_ENUMERATED_free>;
using Asn1TimePtr = OpenSslPtr<ASN1_TIME, ASN1_TIME_free>;
using GeneralNamesPtr = OpenSslPtr<GENERAL_NAMES, GENERAL_NAMES_free>;
using GeneralNamePtr = OpenSslPtr<GENERAL_NAME, GENERAL_NAME_free>;
using Asn1Ia5StringPtr = OpenSslPtr<ASN1_IA5STRING, ASN1_IA5STRING_free>;

// A Status with `code`, `what` and OpenSSL's oldest queued reason; empties
// the thread's error queue.
Status OpenSslFailure(StatusCode code, std::string_view what);
void ClearOpenSslErrors();

StatusOr<X509Ptr> ParseCertificateDer(std::string_view der);
StatusOr<std::string> CertificateToDer(X509* cert);
StatusOr<std::string> CertificateToPem(X509* cert);
// Every certificate in a PEM bundle, in order. kInvalidArgument if none.
StatusOr<std::vector<X509Ptr>> ParseCertificatePemChain(std::string_view pem);
// An unencrypted PEM private key of any type OpenSSL knows.
StatusOr<PkeyPtr> ParsePrivateKeyPem(std::string_view pem);

// The digest to pass to X509_sign and friends: none for Ed25519/Ed448
// (they hash internally), SHA-256 otherwise.
const EVP_MD* SigningDigestFor(EVP_PKEY* key);

// Sets `t` to `at` (whole seconds, UTC).
Status SetAsn1Time(ASN1_TIME* t, TimePoint at);
StatusOr<TimePoint> Asn1TimeToTimePoint(const ASN1_TIME* t);

// Upper-case hex of a certificate serial number (as `openssl x509 -serial`).
StatusOr<std::string> SerialToHex(const ASN1_INTEGER* serial);
StatusOr<Asn1IntegerPtr> SerialFromHex(std::string_view hex);

// Adds an extension written in OpenSSL's config syntax ("critical,CA:FALSE")
// with `ctx` as context. Only for fixed strings: never for caller data.
Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value);

}  // namespace nfvsm::vbs::internal

#endif  // NFVSM_VBS_X509_UTIL_H_
