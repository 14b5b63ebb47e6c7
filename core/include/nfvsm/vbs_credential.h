// The VBS certificate authority: issues each VNF instance its X.509 root
// credential (subject key = PubKey-VNF, URI SANs naming the VNF, its trust
// domain and platform; short validity) and signs the revocation list
// (SEC024 6.1.2, requirements.md §7 VBS-M4, SEC003 trust invalidation).
//
// Thread safety: a CertificateAuthority is immutable after creation; Issue
// and SignCrl may be called from many threads at once. The free functions
// are pure.
//
// Ownership: the CA owns its OpenSSL key and certificates. PrivateKeyPem
// hands out a wiped-on-destruction copy.
//
// Failures: kInvalidArgument for malformed input (PEM/DER, a key that does
// not match the certificate, an id outside the id syntax, a public key of
// the wrong size, a certificate that is not a CA); kFailedPrecondition for
// a key file readable by others (crypto::ReadSecretFile); kUnauthenticated
// when VerifyCertificate rejects a chain or finds the certificate revoked;
// kInternal when OpenSSL fails.
//
// Credential names: URI SANs
//   urn:nfvsm:vnf:<VNF-ID>
//   spiffe://<trust-domain>/nfvsm/domain/<domain>/vnf/<VNF-ID>/platform/<Platform-ID>
// subject CN=<VNF-ID>, O=nfvsm VNF; basicConstraints CA:FALSE; keyUsage
// digitalSignature; extendedKeyUsage clientAuth, serverAuth; 128-bit random
// serial. The SPIFFE-style id is one of two URI SANs, so the certificate is
// not a strict X.509-SVID (which allows exactly one URI).
#ifndef NFVSM_VBS_CREDENTIAL_H_
#define NFVSM_VBS_CREDENTIAL_H_

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/status.h"

namespace nfvsm::vbs {

// Who a credential is for.
struct CredentialSubject {
  std::string vnf_id;
  std::string platform_id;
  std::string domain;      // the VNF's trust domain
  std::string public_key;  // PubKey-VNF, raw Ed25519 (32 bytes)
};

struct IssuedCertificate {
  std::string der;
  std::string serial_hex;  // upper-case, as `openssl x509 -serial` prints it
  TimePoint not_before{};
  TimePoint not_after{};
};

// RFC 5280 CRLReason values the VBS uses.
enum class RevocationReason : int {
  kUnspecified = 0,
  kSuperseded = 4,            // re-issued, or migrated to another platform
  kCessationOfOperation = 5,  // MANO unregistered the instance
  kPrivilegeWithdrawn = 9,    // an SM quarantined or terminated it (SEC003)
};
std::string_view ToString(RevocationReason r);

struct RevokedCertificate {
  std::string serial_hex;
  TimePoint revoked_at{};
  RevocationReason reason = RevocationReason::kUnspecified;
};

// What InspectCertificate reads back from a certificate.
struct CertificateInfo {
  std::string serial_hex;
  std::string subject_common_name;
  std::string issuer_common_name;
  std::string public_key;         // raw Ed25519, empty for other key types
  std::vector<std::string> uris;  // URI subject alternative names
  TimePoint not_before{};
  TimePoint not_after{};
  bool is_ca = false;
};

std::string VnfUri(std::string_view vnf_id);
std::string SpiffeId(std::string_view trust_domain, std::string_view domain,
                     std::string_view vnf_id, std::string_view platform_id);
// SPIFFE trust-domain names: 1..255 of [a-z0-9._-].
bool IsValidTrustDomainName(std::string_view name);

class CertificateAuthority {
 public:
  ~CertificateAuthority();
  CertificateAuthority(const CertificateAuthority&) = delete;
  CertificateAuthority& operator=(const CertificateAuthority&) = delete;

  // `chain_pem`: the CA certificate first, then its issuers (if the VBS CA
  // is a sub-CA of an operator root, SEC024 5.4 medium criticality). The
  // key may be Ed25519 (preferred), ECDSA or RSA and must match the first
  // certificate, which must be a CA.
  static StatusOr<std::unique_ptr<CertificateAuthority>> FromPem(
      std::string_view chain_pem, std::string_view private_key_pem);
  // As FromPem, from files; the key file must be 0600 (or stricter).
  static StatusOr<std::unique_ptr<CertificateAuthority>> LoadPemFiles(
      const std::string& chain_path, const std::string& key_path);
  // A fresh self-signed Ed25519 root (SEC024 5.4 high criticality: the SM
  // side is its own root), for `nfvsm-vbs --init-ca`, tests and demos.
  static StatusOr<std::unique_ptr<CertificateAuthority>> CreateSelfSigned(
      std::string_view common_name, TimePoint now, Duration validity);

  // Issues a certificate valid from now - 60 s (clock skew) to
  // now + validity.
  StatusOr<IssuedCertificate> Issue(const CredentialSubject& subject,
                                    std::string_view trust_domain,
                                    TimePoint now, Duration validity) const;
  // A DER X.509 v2 CRL of `revoked`, with CRL number `crl_number`.
  StatusOr<std::string> SignCrl(const std::vector<RevokedCertificate>& revoked,
                                TimePoint now, Duration next_update,
                                uint64_t crl_number) const;

  // The CA certificate first, then its issuers.
  const std::vector<std::string>& chain_der() const { return chain_der_; }
  StatusOr<std::string> ChainPem() const;
  StatusOr<crypto::SecretBytes> PrivateKeyPem() const;

 private:
  struct Impl;
  explicit CertificateAuthority(std::unique_ptr<Impl> impl,
                                std::vector<std::string> chain_der);
  std::unique_ptr<Impl> impl_;
  std::vector<std::string> chain_der_;
};

StatusOr<CertificateInfo> InspectCertificate(std::string_view der);
StatusOr<std::string> CertificateDerToPem(std::string_view der);

// X509_verify_cert of `leaf_der` at time `at` against `chain_der` (issuer
// first; the last certificate is the trust anchor). With `crl_der`, also
// checks the leaf against that CRL. OK or kUnauthenticated with OpenSSL's
// reason ("certificate revoked", "certificate has expired", ...).
Status VerifyCertificate(std::string_view leaf_der,
                         const std::vector<std::string>& chain_der,
                         TimePoint at, std::string_view crl_der = {});

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_CREDENTIAL_H_
