// The VNF Bootstrapping Service (VBS): the VBS side of the 4-way secure
// capture protocol (SEC024 6.1.2, requirements.md §7 VBS-M1 .. VBS-M4),
// whitelists by boot policy, X.509 root credentials, their revocation when
// an SM quarantines or terminates the VNF (SEC003 trust invalidation), so
// that a VNF is only activated once its security is addressed (R1.3.160).
// No network here: vbs/ puts this behind an HTTP(S) endpoint.
//
// Thread safety: every Server method is safe to call concurrently. Crypto
// runs outside the locks; sessions and registrations have separate locks.
//
// Ownership: the Server owns its signing key and CA; it borrows the audit
// log, the quarantine registry (optional) and the clock, which must outlive
// it.
//
// Protocol (HandleStart / HandleRegister take and return protobuf bytes):
//  M1 -> M2: the VNF and platform named in M1 must be registered; a fresh
//     N2 is made, the session is cached under N1 and M2 = {N1, N2} signed.
//     Half-open sessions are bounded globally and per platform: at a bound
//     the oldest half-open session (of that platform, or overall) is
//     evicted, so a flood of M1 costs bounded memory, and an attacker must
//     out-pace honest agents' round trips, not merely hold slots, to lock
//     a platform out.
//  M3 -> M4: the session is taken (single-use: any M3 naming it consumes
//     it, accepted or refused), then checked in this order: N2, the VNF and
//     platform of M1, the M3 signature under PubKey-VNF, the registrations,
//     the quote under the platform's HMEE key, the measurements against
//     those MANO registered, quarantine and revocation, the whitelists
//     (VNF instance, VNFD, image, VNFM, EM). Then the credential is issued
//     (or the still-fresh one for the same key retrieved) and M4 signed.
//
// Every refusal is a non-OK Status whose message starts with the stable
// name of its RefusalReason ("quote_invalid: ..."); every accepted and
// refused handshake is audited in the partition VbsPartition(domain) of the
// VNF's trust domain ("vbs|domain:<domain>"; "vbs|unattributed" while the
// VNF is unknown). Evictions under load are counted, not audited one by
// one. An accepted handshake whose audit record cannot be written is
// refused (kUnavailable): no credential leaves without its record.
//
// Status codes of refusals: kInvalidArgument malformed message;
// kAlreadyExists replayed M1 or reused N1; kUnauthenticated unknown or
// consumed session, N2, identity, signature, quote or measurement
// mismatch; kDeadlineExceeded session expired; kResourceExhausted session
// evicted; kNotFound unregistered VNF or platform; kFailedPrecondition
// quarantined, trust invalidated, unsupported quote format;
// kPermissionDenied not whitelisted; kUnavailable audit failure; kInternal
// an OpenSSL failure.
#ifndef NFVSM_VBS_H_
#define NFVSM_VBS_H_

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/audit.h"
#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/policy.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"
#include "nfvsm/vbs_credential.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {

// Why a handshake was refused. Stable names (ToString) appear in Status
// messages and audit records.
enum class RefusalReason : uint8_t {
  kMalformed,
  kReplayedStart,     // M1 whose N1 has a session open
  kNonceReused,       // M1 whose N1 was already used
  kUnknownSession,    // M3 with an N1 the VBS never saw (or forgot)
  kReplayedRegister,  // M3 for a session already completed
  kSessionConsumed,   // M3 for a session a refused M3 consumed
  kSessionExpired,
  kSessionEvicted,    // lost to the half-open bound
  kNonceMismatch,     // N2 is not the session's
  kIdentityMismatch,  // M3 names another VNF or platform than M1
  kSignatureInvalid,  // M3 not signed by PubKey-VNF
  kVnfUnknown,
  kPlatformUnknown,
  kPlatformMismatch,  // MANO placed the VNF on another platform
  kQuoteFormatUnsupported,
  kQuoteInvalid,  // not signed by that platform's HMEE
  kImageMismatch,
  kVnfdMismatch,
  kQuarantined,
  kTrustInvalidated,  // credentials revoked by an SM's decision
  kVnfNotWhitelisted,
  kVnfdNotWhitelisted,
  kImageNotWhitelisted,
  kVnfmNotWhitelisted,
  kEmNotWhitelisted,
  kAuditUnavailable,
  kInternal,
};
std::string_view ToString(RefusalReason r);

// "vbs|domain:<domain>": the audit partition of a trust domain's handshakes.
std::string VbsPartition(std::string_view domain);
inline constexpr std::string_view kVbsUnattributedPartition =
    "vbs|unattributed";

// A platform whose HMEE key the VBS trusts (registered out of band).
struct PlatformRegistration {
  std::string platform_id;
  QuoteFormat quote_format = QuoteFormat::kSoftwareEd25519;
  std::string hmee_public_key;  // raw Ed25519, 32 bytes
};

// What MANO tells the VBS when it instantiates a VNF: what the VNF must
// measure as, and where it belongs.
struct VnfRegistration {
  std::string vnf_id;
  std::string domain;
  std::string image_id;
  std::string image_digest;  // SHA-256 of the image, 32 raw bytes
  std::string vnfd_id;
  std::string vnfd_digest;   // SHA-256 of the VNFD, 32 raw bytes
  std::string vnfm_address;  // handed to the VNF in M4
  std::string em_address;
  // If set, the platform MANO placed it on; M3 from elsewhere is refused.
  // Migration: MANO updates it, the VNF re-attests on the new platform.
  std::string platform_id;
};

struct ServerOptions {
  // Address-VBS, byte-exact as provisioned into the HMEEs (h2).
  std::string address;
  // SPIFFE trust domain of the credentials' URI SAN.
  std::string trust_domain = "nfvsm.local";
  Duration session_ttl = std::chrono::seconds(30);
  size_t max_half_open_sessions = 10'000;
  size_t max_half_open_per_platform = 64;
  // Used N1s remembered (replay detection), FIFO.
  size_t remembered_nonces = 20'000;
  Duration credential_validity = std::chrono::hours(24);
  Duration crl_validity = std::chrono::hours(1);
  // Applies to domains without their own (SetBootPolicy). Empty
  // whitelists constrain nothing; registration itself is required.
  BootPolicy default_boot_policy;
};

// Who sent a request, for the audit record ("203.0.113.7:51234").
struct RequestContext {
  std::string source;
};

struct ServerStats {
  size_t half_open_sessions = 0;
  uint64_t sessions_started = 0;
  uint64_t sessions_evicted = 0;
  uint64_t sessions_expired = 0;
  uint64_t handshakes_accepted = 0;
  uint64_t refusals = 0;
  size_t live_credentials = 0;
  size_t revoked_credentials = 0;
};

class Server {
 public:
  // kInvalidArgument for invalid options (empty address, bad trust domain,
  // zero bounds or durations).
  static StatusOr<std::unique_ptr<Server>> Create(
      ServerOptions options, crypto::SigningKey key,
      std::unique_ptr<CertificateAuthority> ca, AuditLog& audit,
      const QuarantineRegistry* quarantine, const Clock& clock);
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Registrations replace earlier ones with the same id. kInvalidArgument
  // for malformed ones.
  Status RegisterPlatform(const PlatformRegistration& platform);
  Status RemovePlatform(const std::string& platform_id);
  Status RegisterVnf(const VnfRegistration& vnf);
  // MANO terminated or scaled in the instance: its credentials are revoked
  // (cessationOfOperation). kNotFound if unknown.
  Status RemoveVnf(const std::string& vnf_id);
  // kInvalidArgument for an invalid domain id.
  Status SetBootPolicy(const std::string& domain, const BootPolicy& policy);
  // The policy of domains without their own (replaces
  // ServerOptions::default_boot_policy).
  void SetDefaultBootPolicy(const BootPolicy& policy);

  StatusOr<std::string> HandleStart(std::string_view m1,
                                    const RequestContext& context);
  StatusOr<std::string> HandleRegister(std::string_view m3,
                                       const RequestContext& context);

  // SEC003 trust invalidation: an SM quarantined or terminated the VNF.
  // Revokes its credentials (privilegeWithdrawn) and refuses its
  // re-bootstrap until ReinstateVnf. Audited. Returns how many
  // certificates were revoked.
  StatusOr<size_t> RevokeVnf(const std::string& vnf_id,
                             const std::string& reason);
  // The quarantine was released (by the SM that set it).
  Status ReinstateVnf(const std::string& vnf_id);
  // Revokes the credentials of every registered VNF the quarantine registry
  // now vetoes (the instance, its image or VNFD, or its platform as host).
  // Returns how many certificates were newly revoked.
  StatusOr<size_t> SyncWithQuarantine();

  // The DER X.509 CRL, signed by the CA; rebuilt when revocations change
  // or half its validity has passed.
  StatusOr<std::string> RevocationList();

  // What must survive a restart: live and revoked credentials, VNFs whose
  // trust an SM withdrew, the CRL number (a serialized nfvsm.v1.VbsState).
  StatusOr<std::string> ExportState() const;
  // Replaces that state. kInvalidArgument if `bytes` is not an export.
  Status ImportState(std::string_view bytes);
  // Changes whenever the exported state changes (to know when to save).
  uint64_t state_version() const;

  const crypto::VerifyingKey& public_key() const;
  const CertificateAuthority& certificate_authority() const;
  const ServerOptions& options() const;
  ServerStats Stats() const;

 private:
  struct State;
  Server(ServerOptions options, crypto::SigningKey key,
         std::unique_ptr<CertificateAuthority> ca, AuditLog& audit,
         const QuarantineRegistry* quarantine, const Clock& clock);

  std::unique_ptr<State> state_;
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_H_
