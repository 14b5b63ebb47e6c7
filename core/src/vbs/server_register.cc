// The VBS Server: M3 -> M4 (verification, whitelists, credential).
#include <optional>

#include "nfvsm/vbs.h"
#include "vbs/raw_ed25519.h"
#include "vbs/server_state.h"

namespace nfvsm::vbs {
namespace {

using internal::HandshakeContext;
using internal::LiveCredential;
using Taken = internal::SessionCache::Taken;

// A whitelist entry names an id, or a digest as "sha256:<hex>".
bool Whitelisted(const std::set<std::string>& whitelist, const std::string& id,
                 std::string_view digest = {}) {
  if (whitelist.empty()) return true;
  if (whitelist.contains(id)) return true;
  return !digest.empty() &&
         whitelist.contains("sha256:" + crypto::HexEncode(digest));
}

struct Refusal {
  RefusalReason reason;
  StatusCode code;
  std::string detail;
};

std::optional<Refusal> CheckWhitelists(const BootPolicy& p,
                                       const VnfRegistration& vnf) {
  if (!Whitelisted(p.vnf_whitelist, vnf.vnf_id)) {
    return Refusal{RefusalReason::kVnfNotWhitelisted,
                   StatusCode::kPermissionDenied,
                   "VNF instance '" + vnf.vnf_id + "' is not whitelisted"};
  }
  if (!Whitelisted(p.vnfd_whitelist, vnf.vnfd_id, vnf.vnfd_digest)) {
    return Refusal{RefusalReason::kVnfdNotWhitelisted,
                   StatusCode::kPermissionDenied,
                   "VNFD '" + vnf.vnfd_id + "' is not whitelisted"};
  }
  if (!Whitelisted(p.image_whitelist, vnf.image_id, vnf.image_digest)) {
    return Refusal{RefusalReason::kImageNotWhitelisted,
                   StatusCode::kPermissionDenied,
                   "image '" + vnf.image_id + "' is not whitelisted"};
  }
  if (!Whitelisted(p.vnfm_whitelist, vnf.vnfm_address)) {
    return Refusal{RefusalReason::kVnfmNotWhitelisted,
                   StatusCode::kPermissionDenied,
                   "VNFM '" + vnf.vnfm_address + "' is not whitelisted"};
  }
  if (!Whitelisted(p.em_whitelist, vnf.em_address)) {
    return Refusal{RefusalReason::kEmNotWhitelisted,
                   StatusCode::kPermissionDenied,
                   "EM '" + vnf.em_address + "' is not whitelisted"};
  }
  return std::nullopt;
}

std::optional<Refusal> RefusalForSpent(internal::SpentAs how) {
  switch (how) {
    case internal::SpentAs::kCompleted:
      return Refusal{RefusalReason::kReplayedRegister,
                     StatusCode::kUnauthenticated,
                     "the session of this N1 was already completed "
                     "(replayed M3)"};
    case internal::SpentAs::kRefused:
      return Refusal{RefusalReason::kSessionConsumed,
                     StatusCode::kUnauthenticated,
                     "the session of this N1 was consumed by a refused M3"};
    case internal::SpentAs::kExpired:
      return Refusal{RefusalReason::kSessionExpired,
                     StatusCode::kDeadlineExceeded,
                     "the session of this N1 expired"};
    case internal::SpentAs::kEvicted:
      return Refusal{RefusalReason::kSessionEvicted,
                     StatusCode::kResourceExhausted,
                     "the session of this N1 was evicted (too many "
                     "half-open sessions); start again"};
  }
  return std::nullopt;
}

// Everything M3 is checked against, copied under the lock.
struct Registered {
  VnfRegistration vnf;
  std::optional<internal::Platform> platform;
  BootPolicy policy;
  bool invalidated = false;
  std::optional<LiveCredential> reusable;
};

}  // namespace

StatusOr<std::string> Server::HandleRegister(std::string_view m3_bytes,
                                             const RequestContext& context) {
  State& s = *state_;
  HandshakeContext hc{"m3", {}, {}, {}, &context};
  auto decoded = DecodeRegister(m3_bytes);
  if (!decoded.ok()) {
    return s.Refuse(hc, RefusalReason::kMalformed, decoded.status().code(),
                    decoded.status().message());
  }
  const RegisterMessage& m3 = *decoded;
  hc.vnf_id = m3.vnf_id;
  hc.platform_id = m3.platform_id;
  const TimePoint now = s.clock.Now();

  // Attribute the record to the claimed VNF's domain from here on: even a
  // forged M3 naming a VNF belongs in the log of that VNF's domain.
  {
    std::lock_guard lock(s.mu);
    auto vnf = s.vnfs.find(m3.vnf_id);
    if (vnf != s.vnfs.end()) hc.domain = vnf->second.domain;
  }

  Taken taken;
  {
    std::lock_guard lock(s.sessions_mu);
    taken = s.sessions.Take(m3.n1, now);
  }
  if (taken.kind == Taken::Kind::kUnknown) {
    return s.Refuse(hc, RefusalReason::kUnknownSession,
                    StatusCode::kUnauthenticated,
                    "no session for this N1 (never started, or forgotten)");
  }
  if (taken.kind == Taken::Kind::kSpent) {
    Refusal r = *RefusalForSpent(taken.spent_as);
    return s.Refuse(hc, r.reason, r.code, r.detail);
  }

  // From here the session is consumed: record how it ended.
  auto refuse = [&](RefusalReason reason, StatusCode code,
                    std::string_view detail) {
    {
      std::lock_guard lock(s.sessions_mu);
      s.sessions.MarkSpent(m3.n1, internal::SpentAs::kRefused);
    }
    return s.Refuse(hc, reason, code, detail);
  };

  if (!crypto::ConstantTimeEqual(m3.n2, taken.session.n2)) {
    return refuse(RefusalReason::kNonceMismatch, StatusCode::kUnauthenticated,
                  "N2 does not match the session's");
  }
  if (m3.vnf_id != taken.session.vnf_id ||
      m3.platform_id != taken.session.platform_id) {
    return refuse(RefusalReason::kIdentityMismatch,
                  StatusCode::kUnauthenticated,
                  "M3 names another VNF or platform than M1");
  }
  if (!internal::VerifyEd25519Raw(m3.vnf_public_key, M3SigningInput(m3),
                                  m3.signature)
           .ok()) {
    return refuse(RefusalReason::kSignatureInvalid,
                  StatusCode::kUnauthenticated,
                  "M3 is not signed by the key it carries (PubKey-VNF)");
  }

  Registered reg;
  {
    std::lock_guard lock(s.mu);
    auto vnf = s.vnfs.find(m3.vnf_id);
    if (vnf == s.vnfs.end()) {
      return refuse(RefusalReason::kVnfUnknown, StatusCode::kNotFound,
                    "VNF '" + m3.vnf_id + "' is not registered");
    }
    reg.vnf = vnf->second;
    auto platform = s.platforms.find(m3.platform_id);
    if (platform == s.platforms.end()) {
      return refuse(RefusalReason::kPlatformUnknown, StatusCode::kNotFound,
                    "platform '" + m3.platform_id + "' is not registered");
    }
    reg.platform.emplace(platform->second);
    auto policy = s.policies.find(reg.vnf.domain);
    reg.policy = policy != s.policies.end() ? policy->second : s.default_policy;
    reg.invalidated = s.invalidated.contains(m3.vnf_id);
  }
  if (!reg.vnf.platform_id.empty() && reg.vnf.platform_id != m3.platform_id) {
    return refuse(RefusalReason::kPlatformMismatch,
                  StatusCode::kUnauthenticated,
                  "VNF '" + m3.vnf_id + "' was placed on platform '" +
                      reg.vnf.platform_id + "', not '" + m3.platform_id + "'");
  }

  // The quote: h1 over the measurements M3 claims, h2 from this VBS's own
  // key and address. A valid quote proves the platform's HMEE vouched for
  // these measurements and this key, for this VBS.
  if (m3.quote_format != reg.platform->registration.quote_format) {
    return refuse(RefusalReason::kQuoteFormatUnsupported,
                  StatusCode::kFailedPrecondition,
                  "the quote format is not the one registered for platform '" +
                      m3.platform_id + "'");
  }
  if (m3.quote_format != QuoteFormat::kSoftwareEd25519) {
    return refuse(RefusalReason::kQuoteFormatUnsupported,
                  StatusCode::kFailedPrecondition,
                  "TPM 2.0 quotes are not supported by this VBS yet");
  }
  NFVSM_ASSIGN_OR_RETURN(
      std::string h1,
      ComputeH1(m3.image_digest, m3.vnfd_digest, m3.vnf_id, m3.platform_id));
  NFVSM_ASSIGN_OR_RETURN(std::string h3, ComputeH3(h1, m3.vnf_public_key));
  NFVSM_ASSIGN_OR_RETURN(std::string h2,
                         ComputeH2(s.key.PublicKeyRaw(), s.options.address,
                                   m3.vnf_id, m3.platform_id));
  NFVSM_ASSIGN_OR_RETURN(std::string q, ComputeQuoteDigest(h2, h3));
  if (!reg.platform->hmee_key.Verify(q, m3.quote).ok()) {
    return refuse(RefusalReason::kQuoteInvalid, StatusCode::kUnauthenticated,
                  "the quote does not verify with the HMEE key of platform '" +
                      m3.platform_id + "'");
  }
  if (!crypto::ConstantTimeEqual(m3.image_digest, reg.vnf.image_digest)) {
    return refuse(RefusalReason::kImageMismatch, StatusCode::kUnauthenticated,
                  "the measured image is not image '" + reg.vnf.image_id +
                      "' registered for the VNF");
  }
  if (!crypto::ConstantTimeEqual(m3.vnfd_digest, reg.vnf.vnfd_digest)) {
    return refuse(RefusalReason::kVnfdMismatch, StatusCode::kUnauthenticated,
                  "the measured VNFD is not VNFD '" + reg.vnf.vnfd_id +
                      "' registered for the VNF");
  }

  // SEC003: a VNF an SM quarantined or terminated never bootstraps again,
  // and whatever credentials it holds are revoked.
  if (s.quarantine != nullptr) {
    OperationTarget target;
    target.operation = OperationKind::kInstantiate;
    target.vnf_id = m3.vnf_id;
    target.image_id = reg.vnf.image_id;
    target.vnfd_id = reg.vnf.vnfd_id;
    target.target_host = m3.platform_id;
    Status veto = s.quarantine->Check(target);
    if (!veto.ok()) {
      if (s.quarantine->IsQuarantined(QuarantineTarget::kVnfInstance,
                                      m3.vnf_id)) {
        std::vector<std::string> serials;
        {
          std::lock_guard lock(s.mu);
          s.invalidated.insert(m3.vnf_id);
          ++s.state_version;
          serials = s.RevokeLocked(
              m3.vnf_id, RevocationReason::kPrivilegeWithdrawn, {}, now);
        }
        s.AuditRevocation(m3.vnf_id, reg.vnf.domain, serials,
                          RevocationReason::kPrivilegeWithdrawn,
                          "quarantined VNF tried to bootstrap");
      }
      return refuse(RefusalReason::kQuarantined,
                    StatusCode::kFailedPrecondition, veto.message());
    }
  }
  if (reg.invalidated) {
    return refuse(RefusalReason::kTrustInvalidated,
                  StatusCode::kFailedPrecondition,
                  "the credentials of VNF '" + m3.vnf_id +
                      "' were revoked by a Security Manager");
  }
  if (auto r = CheckWhitelists(reg.policy, reg.vnf)) {
    return refuse(r->reason, r->code, r->detail);
  }

  // Issue, or hand back the still-fresh credential of this very key.
  std::optional<LiveCredential> credential;
  if (!m3.reissue) {
    std::lock_guard lock(s.mu);
    auto live = s.live.find(m3.vnf_id);
    if (live != s.live.end()) {
      for (const LiveCredential& c : live->second) {
        if (c.public_key == m3.vnf_public_key &&
            c.platform_id == m3.platform_id &&
            c.not_after - now > s.options.credential_validity / 2) {
          credential = c;
        }
      }
    }
  }
  const bool retrieved = credential.has_value();
  if (!retrieved) {
    CredentialSubject subject{m3.vnf_id, m3.platform_id, reg.vnf.domain,
                              m3.vnf_public_key};
    auto issued = s.ca->Issue(subject, s.options.trust_domain, now,
                              s.options.credential_validity);
    if (!issued.ok()) {
      return refuse(
          RefusalReason::kInternal, StatusCode::kInternal,
          "cannot issue the credential: " + issued.status().message());
    }
    credential = LiveCredential{issued->serial_hex, m3.platform_id,
                                m3.vnf_public_key,  issued->der,
                                issued->not_before, issued->not_after};
  }

  RegisterResponseMessage m4;
  m4.n1 = m3.n1;
  m4.n2 = m3.n2;
  m4.vnf_id = m3.vnf_id;
  m4.certificate_der = credential->der;
  m4.ca_certificates_der = s.ca->chain_der();
  m4.vnfm_address = reg.vnf.vnfm_address;
  m4.em_address = reg.vnf.em_address;
  auto signature = s.key.Sign(M4SigningInput(m4));
  if (!signature.ok()) {
    return refuse(RefusalReason::kInternal, StatusCode::kInternal,
                  "cannot sign M4");
  }
  m4.signature = std::move(signature).value();

  // No credential leaves without its audit record.
  Status audited = s.AuditAccepted(hc, *credential, retrieved);
  if (!audited.ok()) {
    return refuse(RefusalReason::kAuditUnavailable, audited.code(),
                  audited.message());
  }
  {
    std::lock_guard lock(s.sessions_mu);
    s.sessions.MarkSpent(m3.n1, internal::SpentAs::kCompleted);
  }
  if (!retrieved) {
    std::vector<std::string> superseded;
    {
      std::lock_guard lock(s.mu);
      superseded = s.RevokeLocked(m3.vnf_id, RevocationReason::kSuperseded,
                                  credential->serial_hex, now);
      s.live[m3.vnf_id].push_back(*credential);
      ++s.state_version;
    }
    if (!superseded.empty()) {
      s.AuditRevocation(m3.vnf_id, reg.vnf.domain, superseded,
                        RevocationReason::kSuperseded,
                        "a new credential was issued");
    }
  }
  s.accepted.fetch_add(1, std::memory_order_relaxed);
  return Encode(m4);
}

}  // namespace nfvsm::vbs
