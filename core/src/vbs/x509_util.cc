#include "vbs/x509_util.h"

#include <openssl/err.h>
#include <openssl/pem.h>

#include <cctype>
#include <ctime>

namespace nfvsm::vbs::internal {
namespace {

constexpr size_t kMaxPemBytes = 1 << 20;

BioPtr ReadOnlyBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

// Refuses encrypted PEMs instead of prompting on a terminal.
int NoPassword(char*, int, int, void*) { return -1; }

}  // namespace

void ClearOpenSslErrors() { ERR_clear_error(); }

Status OpenSslFailure(StatusCode code, std::string_view what) {
  std::string message(what);
  unsigned long err = ERR_peek_error();
  if (err != 0) {
    const char* reason = ERR_reason_error_string(err);
    if (reason != nullptr) {
      message += ": ";
      message += reason;
    }
  }
  ERR_clear_error();
  return Status(code, std::move(message));
}

StatusOr<X509Ptr> ParseCertificateDer(std::string_view der) {
  if (der.empty() || der.size() > kMaxPemBytes) {
    return InvalidArgumentError("certificate DER has an invalid size");
  }
  const unsigned char* p = reinterpret_cast<const unsigned char*>(der.data());
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  if (!cert) {
    return OpenSslFailure(StatusCode::kInvalidArgument,
                          "not a DER X.509 certificate");
  }
  if (p != reinterpret_cast<const unsigned char*>(der.data()) + der.size()) {
    return InvalidArgumentError("trailing bytes after the DER certificate");
  }
  return cert;
}

StatusOr<std::string> CertificateToDer(X509* cert) {
  int len = i2d_X509(cert, nullptr);
  if (len <= 0) {
    return OpenSslFailure(StatusCode::kInternal, "cannot encode certificate");
  }
  std::string der(static_cast<size_t>(len), '\0');
  unsigned char* p = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_X509(cert, &p) != len) {
    return OpenSslFailure(StatusCode::kInternal, "cannot encode certificate");
  }
  return der;
}

StatusOr<std::string> CertificateToPem(X509* cert) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) {
    return OpenSslFailure(StatusCode::kInternal,
                          "cannot encode certificate as PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) {
    return InternalError("cannot encode certificate as PEM");
  }
  return std::string(data, static_cast<size_t>(len));
}

StatusOr<std::vector<X509Ptr>> ParseCertificatePemChain(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) {
    return ResourceExhaustedError("certificate PEM is larger than 1 MiB");
  }
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return OpenSslFailure(StatusCode::kInternal, "BIO_new_mem_buf");
  std::vector<X509Ptr> chain;
  while (true) {
    X509Ptr cert(PEM_read_bio_X509(bio.get(), nullptr, NoPassword, nullptr));
    if (!cert) break;
    chain.push_back(std::move(cert));
  }
  // Reaching the end of the bundle leaves a "no start line" error queued.
  ClearOpenSslErrors();
  if (chain.empty()) {
    return InvalidArgumentError("no PEM certificate found");
  }
  return chain;
}

StatusOr<PkeyPtr> ParsePrivateKeyPem(std::string_view pem) {
  if (pem.size() > kMaxPemBytes) {
    return ResourceExhaustedError("private key PEM is larger than 1 MiB");
  }
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return OpenSslFailure(StatusCode::kInternal, "BIO_new_mem_buf");
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, NoPassword, nullptr));
  if (!key) {
    return OpenSslFailure(StatusCode::kInvalidArgument,
                          "not an unencrypted PEM private key");
  }
  return key;
}

const EVP_MD* SigningDigestFor(EVP_PKEY* key) {
  if (EVP_PKEY_is_a(key, "ED25519") == 1 || EVP_PKEY_is_a(key, "ED448") == 1) {
    return nullptr;
  }
  return EVP_sha256();
}

Status SetAsn1Time(ASN1_TIME* t, TimePoint at) {
  const auto seconds =
      std::chrono::duration_cast<std::chrono::seconds>(at.time_since_epoch());
  if (ASN1_TIME_set(t, static_cast<time_t>(seconds.count())) == nullptr) {
    return OpenSslFailure(StatusCode::kInternal, "cannot set an ASN.1 time");
  }
  return OkStatus();
}

StatusOr<TimePoint> Asn1TimeToTimePoint(const ASN1_TIME* t) {
  struct tm tm {};
  if (t == nullptr || ASN1_TIME_to_tm(t, &tm) != 1) {
    return OpenSslFailure(StatusCode::kInvalidArgument, "invalid ASN.1 time");
  }
  const time_t seconds = timegm(&tm);
  return TimePoint(std::chrono::seconds(seconds));
}

StatusOr<std::string> SerialToHex(const ASN1_INTEGER* serial) {
  BignumPtr bn(ASN1_INTEGER_to_BN(serial, nullptr));
  if (!bn) return OpenSslFailure(StatusCode::kInternal, "invalid serial");
  char* hex = BN_bn2hex(bn.get());
  if (hex == nullptr) return OpenSslFailure(StatusCode::kInternal, "BN_bn2hex");
  std::string out(hex);
  OPENSSL_free(hex);
  return out;
}

StatusOr<Asn1IntegerPtr> SerialFromHex(std::string_view hex) {
  if (hex.empty() || hex.size() > 64) {
    return InvalidArgumentError("serial must be 1..64 hex digits");
  }
  for (char c : hex) {
    if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return InvalidArgumentError("serial must be hex digits");
    }
  }
  std::string copy(hex);
  BIGNUM* raw = nullptr;
  if (BN_hex2bn(&raw, copy.c_str()) == 0) {
    return OpenSslFailure(StatusCode::kInvalidArgument, "invalid serial");
  }
  BignumPtr bn(raw);
  Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial) return OpenSslFailure(StatusCode::kInternal, "invalid serial");
  return serial;
}

Status AddExtension(X509* cert, X509V3_CTX* ctx, int nid, const char* value) {
  X509ExtensionPtr ext(X509V3_EXT_conf_nid(nullptr, ctx, nid, value));
  if (!ext || X509_add_ext(cert, ext.get(), -1) != 1) {
    return OpenSslFailure(StatusCode::kInternal,
                          "cannot add a certificate extension");
  }
  return OkStatus();
}

}  // namespace nfvsm::vbs::internal
