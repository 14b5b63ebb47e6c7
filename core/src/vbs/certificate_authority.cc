// Issuing credentials with OpenSSL's X509 API.
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "nfvsm/vbs_protocol.h"
#include "vbs/ca_internal.h"

namespace nfvsm::vbs {
namespace {

using internal::AddExtension;
using internal::OpenSslFailure;
using internal::PkeyPtr;
using internal::X509Ptr;

constexpr Duration kBackdate = std::chrono::seconds(60);
constexpr size_t kSerialBytes = 16;

// A positive 128-bit serial from the CSPRNG (RFC 5280 allows up to 20
// octets; random serials keep issuance unpredictable).
StatusOr<internal::Asn1IntegerPtr> RandomSerial() {
  NFVSM_ASSIGN_OR_RETURN(std::string bytes, crypto::RandomBytes(kSerialBytes));
  bytes[0] = static_cast<char>((bytes[0] & 0x7f) | 0x40);  // positive, 16 B
  internal::BignumPtr bn(
      BN_bin2bn(reinterpret_cast<const unsigned char*>(bytes.data()),
                static_cast<int>(bytes.size()), nullptr));
  if (!bn) return OpenSslFailure(StatusCode::kInternal, "BN_bin2bn");
  internal::Asn1IntegerPtr serial(BN_to_ASN1_INTEGER(bn.get(), nullptr));
  if (!serial) return OpenSslFailure(StatusCode::kInternal, "serial");
  return serial;
}

Status AddNameEntry(X509_NAME* name, const char* field, std::string_view v) {
  if (X509_NAME_add_entry_by_txt(
          name, field, MBSTRING_UTF8,
          reinterpret_cast<const unsigned char*>(v.data()),
          static_cast<int>(v.size()), -1, 0) != 1) {
    return OpenSslFailure(StatusCode::kInvalidArgument,
                          "cannot build the certificate name");
  }
  return OkStatus();
}

// The URI SANs, built as GENERAL_NAMEs rather than through the config
// syntax, so no caller-supplied character is ever parsed by OpenSSL.
Status AddUriSans(X509* cert, const std::vector<std::string>& uris) {
  internal::GeneralNamesPtr names(sk_GENERAL_NAME_new_null());
  if (!names) return OpenSslFailure(StatusCode::kInternal, "GENERAL_NAMES");
  for (const std::string& uri : uris) {
    internal::Asn1Ia5StringPtr ia5(ASN1_IA5STRING_new());
    if (!ia5 || ASN1_STRING_set(ia5.get(), uri.data(),
                                static_cast<int>(uri.size())) != 1) {
      return OpenSslFailure(StatusCode::kInternal, "URI SAN");
    }
    internal::GeneralNamePtr name(GENERAL_NAME_new());
    if (!name) return OpenSslFailure(StatusCode::kInternal, "GENERAL_NAME");
    GENERAL_NAME_set0_value(name.get(), GEN_URI, ia5.release());
    if (sk_GENERAL_NAME_push(names.get(), name.get()) == 0) {
      return OpenSslFailure(StatusCode::kInternal, "GENERAL_NAMES push");
    }
    name.release();  // owned by `names` now
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0,
                        X509V3_ADD_DEFAULT) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "subjectAltName");
  }
  return OkStatus();
}

Status SetValidity(X509* cert, TimePoint not_before, TimePoint not_after) {
  NFVSM_RETURN_IF_ERROR(
      internal::SetAsn1Time(X509_getm_notBefore(cert), not_before));
  return internal::SetAsn1Time(X509_getm_notAfter(cert), not_after);
}

Status Sign(X509* cert, EVP_PKEY* key) {
  if (X509_sign(cert, key, internal::SigningDigestFor(key)) <= 0) {
    return OpenSslFailure(StatusCode::kInternal, "cannot sign certificate");
  }
  return OkStatus();
}

// The subject key as SubjectPublicKeyInfo {id-Ed25519, raw key}, set
// directly: X509_set_pubkey would run OpenSSL 3's encoder framework, which
// costs three times an Ed25519 signature.
bool SetEd25519SubjectKey(X509* cert, std::string_view raw) {
  auto* bits =
      static_cast<unsigned char*>(OPENSSL_memdup(raw.data(), raw.size()));
  if (bits == nullptr) return false;
  if (X509_PUBKEY_set0_param(X509_get_X509_PUBKEY(cert),
                             OBJ_nid2obj(NID_ED25519), V_ASN1_UNDEF, nullptr,
                             bits, static_cast<int>(raw.size())) != 1) {
    OPENSSL_free(bits);
    return false;
  }
  return true;
}

Status BuildLeafExtensions(X509* ca,
                           std::vector<internal::X509ExtensionPtr>* out) {
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, ca, nullptr, nullptr, nullptr, 0);
  const std::pair<int, const char*> fixed[] = {
      {NID_basic_constraints, "critical,CA:FALSE"},
      {NID_key_usage, "critical,digitalSignature"},
      {NID_ext_key_usage, "clientAuth,serverAuth"},
      {NID_authority_key_identifier, "keyid:always"},
  };
  for (const auto& [nid, value] : fixed) {
    internal::X509ExtensionPtr ext(
        X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
    if (!ext) {
      return OpenSslFailure(StatusCode::kInvalidArgument,
                            "cannot build the credential extensions from the "
                            "CA certificate");
    }
    out->push_back(std::move(ext));
  }
  return OkStatus();
}

bool IsCaCertificate(X509* cert) { return X509_check_ca(cert) >= 1; }

}  // namespace

std::string_view ToString(RevocationReason r) {
  switch (r) {
    case RevocationReason::kUnspecified:
      return "unspecified";
    case RevocationReason::kSuperseded:
      return "superseded";
    case RevocationReason::kCessationOfOperation:
      return "cessation_of_operation";
    case RevocationReason::kPrivilegeWithdrawn:
      return "privilege_withdrawn";
  }
  return "unspecified";
}

std::string VnfUri(std::string_view vnf_id) {
  return "urn:nfvsm:vnf:" + std::string(vnf_id);
}

std::string SpiffeId(std::string_view trust_domain, std::string_view domain,
                     std::string_view vnf_id, std::string_view platform_id) {
  std::string out = "spiffe://";
  out += trust_domain;
  out += "/nfvsm/domain/";
  out += domain;
  out += "/vnf/";
  out += vnf_id;
  out += "/platform/";
  out += platform_id;
  return out;
}

bool IsValidTrustDomainName(std::string_view name) {
  if (name.empty() || name.size() > 255) return false;
  for (char c : name) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) return false;
  }
  return true;
}

CertificateAuthority::CertificateAuthority(std::unique_ptr<Impl> impl,
                                           std::vector<std::string> chain_der)
    : impl_(std::move(impl)), chain_der_(std::move(chain_der)) {}

CertificateAuthority::~CertificateAuthority() = default;

StatusOr<std::unique_ptr<CertificateAuthority>> CertificateAuthority::FromPem(
    std::string_view chain_pem, std::string_view private_key_pem) {
  NFVSM_ASSIGN_OR_RETURN(std::vector<X509Ptr> chain,
                         internal::ParseCertificatePemChain(chain_pem));
  NFVSM_ASSIGN_OR_RETURN(PkeyPtr key,
                         internal::ParsePrivateKeyPem(private_key_pem));
  if (X509_check_private_key(chain.front().get(), key.get()) != 1) {
    return OpenSslFailure(StatusCode::kInvalidArgument,
                          "the CA key does not match the CA certificate");
  }
  if (!IsCaCertificate(chain.front().get())) {
    return InvalidArgumentError(
        "the CA certificate is not a CA (basic "
        "constraints / key usage)");
  }
  std::vector<std::string> chain_der;
  for (const X509Ptr& cert : chain) {
    NFVSM_ASSIGN_OR_RETURN(std::string der,
                           internal::CertificateToDer(cert.get()));
    chain_der.push_back(std::move(der));
  }
  if (chain_der.size() > kMaxCaCertificates) {
    return InvalidArgumentError("the CA chain has more than 4 certificates");
  }
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  impl->certificate = std::move(chain.front());
  NFVSM_RETURN_IF_ERROR(
      BuildLeafExtensions(impl->certificate.get(), &impl->leaf_extensions));
  return std::unique_ptr<CertificateAuthority>(
      new CertificateAuthority(std::move(impl), std::move(chain_der)));
}

StatusOr<std::unique_ptr<CertificateAuthority>>
CertificateAuthority::LoadPemFiles(const std::string& chain_path,
                                   const std::string& key_path) {
  NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes key,
                         crypto::ReadSecretFile(key_path));
  // The certificate is public: any mode will do, only its size is bounded.
  internal::BioPtr bio(BIO_new_file(chain_path.c_str(), "r"));
  if (!bio) {
    internal::ClearOpenSslErrors();
    return UnavailableError("cannot read CA certificate file '" + chain_path +
                            "'");
  }
  std::string pem;
  char buf[4096];
  int n = 0;
  while ((n = BIO_read(bio.get(), buf, sizeof(buf))) > 0) {
    pem.append(buf, static_cast<size_t>(n));
    if (pem.size() > (1 << 20)) {
      return ResourceExhaustedError("CA certificate file is larger than 1 MiB");
    }
  }
  auto ca = FromPem(pem, key.view());
  if (!ca.ok()) {
    return Status(ca.status().code(),
                  "CA '" + chain_path + "': " + ca.status().message());
  }
  return ca;
}

StatusOr<std::unique_ptr<CertificateAuthority>>
CertificateAuthority::CreateSelfSigned(std::string_view common_name,
                                       TimePoint now, Duration validity) {
  if (common_name.empty() || common_name.size() > 64) {
    return InvalidArgumentError("CA common name must be 1..64 characters");
  }
  PkeyPtr key(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  if (!key) return OpenSslFailure(StatusCode::kInternal, "Ed25519 keygen");
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "X509_new");
  }
  NFVSM_ASSIGN_OR_RETURN(internal::Asn1IntegerPtr serial, RandomSerial());
  X509_NAME* name = X509_get_subject_name(cert.get());
  NFVSM_RETURN_IF_ERROR(AddNameEntry(name, "O", "nfvsm"));
  NFVSM_RETURN_IF_ERROR(AddNameEntry(name, "CN", common_name));
  if (X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      X509_set_issuer_name(cert.get(), name) != 1 ||
      X509_set_pubkey(cert.get(), key.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "CA certificate fields");
  }
  NFVSM_RETURN_IF_ERROR(
      SetValidity(cert.get(), now - kBackdate, now + validity));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, cert.get(), cert.get(), nullptr, nullptr, 0);
  NFVSM_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_basic_constraints,
                                     "critical,CA:TRUE,pathlen:0"));
  NFVSM_RETURN_IF_ERROR(AddExtension(cert.get(), &ctx, NID_key_usage,
                                     "critical,keyCertSign,cRLSign"));
  NFVSM_RETURN_IF_ERROR(
      AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  NFVSM_RETURN_IF_ERROR(AddExtension(
      cert.get(), &ctx, NID_authority_key_identifier, "keyid:always"));
  NFVSM_RETURN_IF_ERROR(Sign(cert.get(), key.get()));
  NFVSM_ASSIGN_OR_RETURN(std::string der,
                         internal::CertificateToDer(cert.get()));
  auto impl = std::make_unique<Impl>();
  impl->key = std::move(key);
  impl->certificate = std::move(cert);
  NFVSM_RETURN_IF_ERROR(
      BuildLeafExtensions(impl->certificate.get(), &impl->leaf_extensions));
  return std::unique_ptr<CertificateAuthority>(new CertificateAuthority(
      std::move(impl), std::vector<std::string>{std::move(der)}));
}

StatusOr<IssuedCertificate> CertificateAuthority::Issue(
    const CredentialSubject& subject, std::string_view trust_domain,
    TimePoint now, Duration validity) const {
  if (!IsValidId(subject.vnf_id) || !IsValidId(subject.platform_id) ||
      !IsValidId(subject.domain)) {
    return InvalidArgumentError(
        "credential subject: VNF, platform and domain must be valid ids");
  }
  if (!IsValidTrustDomainName(trust_domain)) {
    return InvalidArgumentError("invalid SPIFFE trust domain name");
  }
  if (validity <= Duration::zero()) {
    return InvalidArgumentError("credential validity must be positive");
  }
  if (subject.public_key.size() != kPublicKeyBytes) {
    return InvalidArgumentError("the VNF public key must be 32 bytes");
  }
  X509Ptr cert(X509_new());
  if (!cert || X509_set_version(cert.get(), X509_VERSION_3) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "X509_new");
  }
  NFVSM_ASSIGN_OR_RETURN(internal::Asn1IntegerPtr serial, RandomSerial());
  X509_NAME* name = X509_get_subject_name(cert.get());
  NFVSM_RETURN_IF_ERROR(AddNameEntry(name, "O", "nfvsm VNF"));
  NFVSM_RETURN_IF_ERROR(AddNameEntry(name, "CN", subject.vnf_id));
  if (X509_set_serialNumber(cert.get(), serial.get()) != 1 ||
      X509_set_issuer_name(
          cert.get(), X509_get_subject_name(impl_->certificate.get())) != 1 ||
      !SetEd25519SubjectKey(cert.get(), subject.public_key)) {
    return OpenSslFailure(StatusCode::kInternal, "certificate fields");
  }
  const TimePoint not_before = now - kBackdate;
  const TimePoint not_after = now + validity;
  NFVSM_RETURN_IF_ERROR(SetValidity(cert.get(), not_before, not_after));
  X509V3_CTX ctx;
  X509V3_set_ctx(&ctx, impl_->certificate.get(), cert.get(), nullptr, nullptr,
                 0);
  for (const internal::X509ExtensionPtr& ext : impl_->leaf_extensions) {
    if (X509_add_ext(cert.get(), ext.get(), -1) != 1) {
      return OpenSslFailure(StatusCode::kInternal, "certificate extension");
    }
  }
  NFVSM_RETURN_IF_ERROR(
      AddExtension(cert.get(), &ctx, NID_subject_key_identifier, "hash"));
  NFVSM_RETURN_IF_ERROR(AddUriSans(
      cert.get(),
      {VnfUri(subject.vnf_id), SpiffeId(trust_domain, subject.domain,
                                        subject.vnf_id, subject.platform_id)}));
  NFVSM_RETURN_IF_ERROR(Sign(cert.get(), impl_->key.get()));
  IssuedCertificate out;
  NFVSM_ASSIGN_OR_RETURN(out.der, internal::CertificateToDer(cert.get()));
  NFVSM_ASSIGN_OR_RETURN(out.serial_hex, internal::SerialToHex(serial.get()));
  // What the certificate says, to the second.
  out.not_before = std::chrono::floor<std::chrono::seconds>(not_before);
  out.not_after = std::chrono::floor<std::chrono::seconds>(not_after);
  return out;
}

StatusOr<std::string> CertificateAuthority::ChainPem() const {
  std::string out;
  for (const std::string& der : chain_der_) {
    NFVSM_ASSIGN_OR_RETURN(std::string pem, CertificateDerToPem(der));
    out += pem;
  }
  return out;
}

StatusOr<crypto::SecretBytes> CertificateAuthority::PrivateKeyPem() const {
  internal::BioPtr bio(BIO_new(BIO_s_secmem()));
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), impl_->key.get(), nullptr,
                                       nullptr, 0, nullptr, nullptr) != 1) {
    return OpenSslFailure(StatusCode::kInternal,
                          "cannot encode the CA key as PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) {
    return InternalError("cannot encode the CA key as PEM");
  }
  return crypto::SecretBytes(std::string_view(data, static_cast<size_t>(len)));
}

}  // namespace nfvsm::vbs
