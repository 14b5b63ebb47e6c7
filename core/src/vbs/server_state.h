// The Server's state and the helpers its translation units share.
#ifndef NFVSM_VBS_SERVER_STATE_H_
#define NFVSM_VBS_SERVER_STATE_H_

#include <atomic>
#include <map>
#include <mutex>
#include <set>
#include <string>
#include <unordered_map>
#include <vector>

#include "nfvsm/vbs.h"
#include "vbs/session_cache.h"

namespace nfvsm::vbs {

namespace internal {

// A credential the VBS issued that is neither revoked nor expired.
struct LiveCredential {
  std::string serial_hex;
  std::string platform_id;
  std::string public_key;
  std::string der;
  TimePoint not_before{};
  TimePoint not_after{};
};

// A registered platform with its HMEE key parsed once.
struct Platform {
  PlatformRegistration registration;
  crypto::VerifyingKey hmee_key;
};

struct RevokedEntry {
  RevokedCertificate certificate;
  TimePoint not_after{};  // dropped from the CRL once the certificate expired
};

// Where and about what a refusal or acceptance is audited.
struct HandshakeContext {
  std::string_view step;  // "m1" or "m3"
  std::string vnf_id;     // claimed or verified; empty if unknown
  std::string platform_id;
  std::string domain;  // empty: not attributable to a domain yet
  const RequestContext* request = nullptr;
};

}  // namespace internal

struct Server::State {
  State(ServerOptions o, crypto::SigningKey k,
        std::unique_ptr<CertificateAuthority> c, AuditLog& a,
        const QuarantineRegistry* q, const Clock& clk)
      : options(std::move(o)),
        key(std::move(k)),
        ca(std::move(c)),
        audit(a),
        quarantine(q),
        clock(clk),
        sessions(internal::SessionLimits{options.max_half_open_sessions,
                                         options.max_half_open_per_platform,
                                         options.remembered_nonces}),
        default_policy(options.default_boot_policy) {}

  const ServerOptions options;
  const crypto::SigningKey key;
  const std::unique_ptr<CertificateAuthority> ca;
  AuditLog& audit;
  const QuarantineRegistry* const quarantine;
  const Clock& clock;

  std::mutex sessions_mu;
  internal::SessionCache sessions;  // guarded by sessions_mu

  mutable std::mutex mu;  // guards everything below
  std::unordered_map<std::string, internal::Platform> platforms;
  std::unordered_map<std::string, VnfRegistration> vnfs;
  std::map<std::string, BootPolicy> policies;
  BootPolicy default_policy;
  std::unordered_map<std::string, std::vector<internal::LiveCredential>> live;
  std::vector<internal::RevokedEntry> revoked;
  std::set<std::string> invalidated;  // VNFs whose trust an SM withdrew
  uint64_t revocation_version = 0;
  uint64_t state_version = 0;  // bumped by every change ExportState sees

  std::mutex crl_mu;  // guards the cached CRL
  std::string crl_der;
  TimePoint crl_built_at{};
  uint64_t crl_built_from_version = UINT64_MAX;
  uint64_t crl_number = 0;

  std::atomic<uint64_t> sessions_started{0};
  std::atomic<uint64_t> accepted{0};
  std::atomic<uint64_t> refusals{0};

  // Audits the refusal and returns the Status the caller gets.
  Status Refuse(const internal::HandshakeContext& hc, RefusalReason reason,
                StatusCode code, std::string_view detail);
  // Audits an accepted handshake; kUnavailable if the record cannot be
  // written.
  Status AuditAccepted(const internal::HandshakeContext& hc,
                       const internal::LiveCredential& credential,
                       bool retrieved);
  // Revokes every live credential of `vnf_id` except `keep_serial`.
  // Requires mu. Returns the revoked serials.
  std::vector<std::string> RevokeLocked(const std::string& vnf_id,
                                        RevocationReason reason,
                                        std::string_view keep_serial,
                                        TimePoint now);
  void AuditRevocation(const std::string& vnf_id, const std::string& domain,
                       const std::vector<std::string>& serials,
                       RevocationReason reason, std::string_view why);
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_SERVER_STATE_H_
