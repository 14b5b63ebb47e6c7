// The VBS Server: construction, registrations, M1 -> M2, and the audit of
// handshakes. M3 -> M4 is in server_register.cc, revocation in
// server_revocation.cc.
#include <nlohmann/json.hpp>

#include "nfvsm/vbs.h"
#include "vbs/server_state.h"

namespace nfvsm::vbs {
namespace {

constexpr std::string_view kActor = "vbs";

Status ValidateOptions(const ServerOptions& o) {
  if (o.address.empty() || o.address.size() > kMaxAddressBytes) {
    return InvalidArgumentError("VBS address must be 1..512 bytes");
  }
  if (!IsValidTrustDomainName(o.trust_domain)) {
    return InvalidArgumentError(
        "trust_domain must be 1..255 characters of [a-z0-9._-]");
  }
  if (o.session_ttl <= Duration::zero() ||
      o.credential_validity <= Duration::zero() ||
      o.crl_validity <= Duration::zero()) {
    return InvalidArgumentError("VBS durations must be positive");
  }
  if (o.max_half_open_sessions == 0 || o.max_half_open_per_platform == 0) {
    return InvalidArgumentError("half-open session bounds must be positive");
  }
  return OkStatus();
}

Status CheckAddress(std::string_view address, std::string_view what) {
  if (address.size() > kMaxAddressBytes) {
    return InvalidArgumentError(std::string(what) + " is too long");
  }
  for (char c : address) {
    if (c < 0x20 || c > 0x7e) {
      return InvalidArgumentError(std::string(what) +
                                  " must be printable ASCII");
    }
  }
  return OkStatus();
}

std::string AuditSubject(const std::string& vnf_id) {
  return vnf_id.empty() ? "unknown" : vnf_id;
}

std::string PartitionOf(const internal::HandshakeContext& hc) {
  return hc.domain.empty() ? std::string(kVbsUnattributedPartition)
                           : VbsPartition(hc.domain);
}

}  // namespace

std::string_view ToString(RefusalReason r) {
  switch (r) {
    case RefusalReason::kMalformed:
      return "malformed";
    case RefusalReason::kReplayedStart:
      return "replayed_m1";
    case RefusalReason::kNonceReused:
      return "n1_reused";
    case RefusalReason::kUnknownSession:
      return "unknown_session";
    case RefusalReason::kReplayedRegister:
      return "replayed_m3";
    case RefusalReason::kSessionConsumed:
      return "session_consumed";
    case RefusalReason::kSessionExpired:
      return "session_expired";
    case RefusalReason::kSessionEvicted:
      return "session_evicted";
    case RefusalReason::kNonceMismatch:
      return "n2_mismatch";
    case RefusalReason::kIdentityMismatch:
      return "identity_mismatch";
    case RefusalReason::kSignatureInvalid:
      return "m3_signature_invalid";
    case RefusalReason::kVnfUnknown:
      return "vnf_unknown";
    case RefusalReason::kPlatformUnknown:
      return "platform_unknown";
    case RefusalReason::kPlatformMismatch:
      return "platform_mismatch";
    case RefusalReason::kQuoteFormatUnsupported:
      return "quote_format_unsupported";
    case RefusalReason::kQuoteInvalid:
      return "quote_invalid";
    case RefusalReason::kImageMismatch:
      return "image_mismatch";
    case RefusalReason::kVnfdMismatch:
      return "vnfd_mismatch";
    case RefusalReason::kQuarantined:
      return "quarantined";
    case RefusalReason::kTrustInvalidated:
      return "trust_invalidated";
    case RefusalReason::kVnfNotWhitelisted:
      return "vnf_not_whitelisted";
    case RefusalReason::kVnfdNotWhitelisted:
      return "vnfd_not_whitelisted";
    case RefusalReason::kImageNotWhitelisted:
      return "image_not_whitelisted";
    case RefusalReason::kVnfmNotWhitelisted:
      return "vnfm_not_whitelisted";
    case RefusalReason::kEmNotWhitelisted:
      return "em_not_whitelisted";
    case RefusalReason::kAuditUnavailable:
      return "audit_unavailable";
    case RefusalReason::kInternal:
      return "internal";
  }
  return "internal";
}

std::string VbsPartition(std::string_view domain) {
  return "vbs|domain:" + std::string(domain);
}

// ------------------------------------------------------------- auditing

Status Server::State::Refuse(const internal::HandshakeContext& hc,
                             RefusalReason reason, StatusCode code,
                             std::string_view detail) {
  refusals.fetch_add(1, std::memory_order_relaxed);
  std::string message(ToString(reason));
  message += ": ";
  message += detail;
  nlohmann::json body = {
      {"outcome", "refused"},
      {"step", hc.step},
      {"reason", ToString(reason)},
      {"code", StatusCodeName(code)},
      {"detail", message},
      {"platform_id", hc.platform_id},
      {"source", hc.request != nullptr ? hc.request->source : ""},
  };
  // A refusal stands whether or not its record can be written; the failure
  // to audit cannot be reported anywhere better than in the refusal.
  auto record = audit.Append(
      PartitionOf(hc), "vbs.handshake.refused", kActor, AuditSubject(hc.vnf_id),
      body.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
  if (!record.ok()) {
    message += " (not audited: " + record.status().message() + ")";
  }
  return Status(code, std::move(message));
}

Status Server::State::AuditAccepted(const internal::HandshakeContext& hc,
                                    const internal::LiveCredential& credential,
                                    bool retrieved) {
  nlohmann::json body = {
      {"outcome", "accepted"},
      {"step", hc.step},
      {"platform_id", hc.platform_id},
      {"serial", credential.serial_hex},
      {"not_after_us", ToMicros(credential.not_after)},
      {"retrieved", retrieved},
      {"source", hc.request != nullptr ? hc.request->source : ""},
  };
  auto record = audit.Append(
      PartitionOf(hc), "vbs.handshake.accepted", kActor,
      AuditSubject(hc.vnf_id),
      body.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
  if (!record.ok()) {
    return UnavailableError("the handshake could not be audited: " +
                            record.status().message());
  }
  return OkStatus();
}

// ------------------------------------------------------------ lifecycle

Server::Server(ServerOptions options, crypto::SigningKey key,
               std::unique_ptr<CertificateAuthority> ca, AuditLog& audit,
               const QuarantineRegistry* quarantine, const Clock& clock)
    : state_(std::make_unique<State>(std::move(options), std::move(key),
                                     std::move(ca), audit, quarantine, clock)) {
}

Server::~Server() = default;

StatusOr<std::unique_ptr<Server>> Server::Create(
    ServerOptions options, crypto::SigningKey key,
    std::unique_ptr<CertificateAuthority> ca, AuditLog& audit,
    const QuarantineRegistry* quarantine, const Clock& clock) {
  NFVSM_RETURN_IF_ERROR(ValidateOptions(options));
  if (!ca) return InvalidArgumentError("the VBS needs a certificate authority");
  return std::unique_ptr<Server>(new Server(std::move(options), std::move(key),
                                            std::move(ca), audit, quarantine,
                                            clock));
}

const crypto::VerifyingKey& Server::public_key() const {
  return state_->key.verifying_key();
}
const CertificateAuthority& Server::certificate_authority() const {
  return *state_->ca;
}
const ServerOptions& Server::options() const { return state_->options; }

ServerStats Server::Stats() const {
  ServerStats s;
  {
    std::lock_guard lock(state_->sessions_mu);
    s.half_open_sessions = state_->sessions.open_sessions();
    s.sessions_evicted = state_->sessions.evicted();
    s.sessions_expired = state_->sessions.expired();
  }
  s.sessions_started = state_->sessions_started.load();
  s.handshakes_accepted = state_->accepted.load();
  s.refusals = state_->refusals.load();
  std::lock_guard lock(state_->mu);
  for (const auto& [vnf, creds] : state_->live)
    s.live_credentials += creds.size();
  s.revoked_credentials = state_->revoked.size();
  return s;
}

// -------------------------------------------------------- registrations

Status Server::RegisterPlatform(const PlatformRegistration& platform) {
  if (!IsValidId(platform.platform_id)) {
    return InvalidArgumentError("platform id is not a valid id");
  }
  if (platform.quote_format != QuoteFormat::kSoftwareEd25519 &&
      platform.quote_format != QuoteFormat::kTpm2) {
    return InvalidArgumentError("unknown quote format");
  }
  // Parsed once here, not on every quote.
  NFVSM_ASSIGN_OR_RETURN(
      crypto::VerifyingKey key,
      crypto::VerifyingKey::FromRaw(platform.hmee_public_key));
  std::lock_guard lock(state_->mu);
  state_->platforms.insert_or_assign(
      platform.platform_id, internal::Platform{platform, std::move(key)});
  return OkStatus();
}

Status Server::RemovePlatform(const std::string& platform_id) {
  std::lock_guard lock(state_->mu);
  if (state_->platforms.erase(platform_id) == 0) {
    return NotFoundError("platform '" + platform_id + "' is not registered");
  }
  return OkStatus();
}

Status Server::RegisterVnf(const VnfRegistration& vnf) {
  if (!IsValidId(vnf.vnf_id) || !IsValidId(vnf.domain)) {
    return InvalidArgumentError("VNF and domain ids must be valid ids");
  }
  if (!vnf.platform_id.empty() && !IsValidId(vnf.platform_id)) {
    return InvalidArgumentError("platform id is not a valid id");
  }
  if (vnf.image_digest.size() != kDigestBytes ||
      vnf.vnfd_digest.size() != kDigestBytes) {
    return InvalidArgumentError(
        "image and VNFD digests must be 32-byte SHA-256 values");
  }
  if (vnf.image_id.empty() || vnf.image_id.size() > kMaxAddressBytes ||
      vnf.vnfd_id.empty() || vnf.vnfd_id.size() > kMaxAddressBytes) {
    return InvalidArgumentError("image and VNFD ids must be 1..512 bytes");
  }
  NFVSM_RETURN_IF_ERROR(CheckAddress(vnf.vnfm_address, "VNFM address"));
  NFVSM_RETURN_IF_ERROR(CheckAddress(vnf.em_address, "EM address"));
  std::lock_guard lock(state_->mu);
  state_->vnfs[vnf.vnf_id] = vnf;
  return OkStatus();
}

Status Server::SetBootPolicy(const std::string& domain,
                             const BootPolicy& policy) {
  if (!IsValidId(domain)) return InvalidArgumentError("invalid domain id");
  std::lock_guard lock(state_->mu);
  state_->policies[domain] = policy;
  return OkStatus();
}

void Server::SetDefaultBootPolicy(const BootPolicy& policy) {
  std::lock_guard lock(state_->mu);
  state_->default_policy = policy;
}

// ---------------------------------------------------------------- M1 -> M2

StatusOr<std::string> Server::HandleStart(std::string_view m1_bytes,
                                          const RequestContext& context) {
  State& s = *state_;
  internal::HandshakeContext hc{"m1", {}, {}, {}, &context};
  auto m1 = DecodeStart(m1_bytes);
  if (!m1.ok()) {
    return s.Refuse(hc, RefusalReason::kMalformed, m1.status().code(),
                    m1.status().message());
  }
  hc.vnf_id = m1->vnf_id;
  hc.platform_id = m1->platform_id;
  OperationTarget target;
  target.operation = OperationKind::kInstantiate;
  {
    std::lock_guard lock(s.mu);
    auto vnf = s.vnfs.find(m1->vnf_id);
    if (vnf != s.vnfs.end()) hc.domain = vnf->second.domain;
    const bool platform_known = s.platforms.contains(m1->platform_id);
    const bool invalidated = s.invalidated.contains(m1->vnf_id);
    if (vnf == s.vnfs.end()) {
      return s.Refuse(hc, RefusalReason::kVnfUnknown, StatusCode::kNotFound,
                      "VNF '" + m1->vnf_id + "' is not registered");
    }
    if (!platform_known) {
      return s.Refuse(hc, RefusalReason::kPlatformUnknown,
                      StatusCode::kNotFound,
                      "platform '" + m1->platform_id + "' is not registered");
    }
    if (invalidated) {
      return s.Refuse(hc, RefusalReason::kTrustInvalidated,
                      StatusCode::kFailedPrecondition,
                      "the credentials of VNF '" + m1->vnf_id +
                          "' were revoked by a Security Manager");
    }
    target.vnf_id = m1->vnf_id;
    target.image_id = vnf->second.image_id;
    target.vnfd_id = vnf->second.vnfd_id;
    target.target_host = m1->platform_id;
  }
  // Refused early so a quarantined VNF holds no session; M3 checks again.
  if (s.quarantine != nullptr) {
    Status veto = s.quarantine->Check(target);
    if (!veto.ok()) {
      return s.Refuse(hc, RefusalReason::kQuarantined,
                      StatusCode::kFailedPrecondition, veto.message());
    }
  }

  NFVSM_ASSIGN_OR_RETURN(std::string n2, crypto::RandomBytes(kNonceBytes));
  internal::Session session{m1->n1, n2, m1->vnf_id, m1->platform_id,
                            s.clock.Now() + s.options.session_ttl};
  internal::SessionCache::InsertResult inserted;
  {
    std::lock_guard lock(s.sessions_mu);
    inserted = s.sessions.Insert(std::move(session), s.clock.Now());
  }
  if (inserted == internal::SessionCache::InsertResult::kAlreadyOpen) {
    return s.Refuse(hc, RefusalReason::kReplayedStart,
                    StatusCode::kAlreadyExists,
                    "a session with this N1 is already open (replayed M1)");
  }
  if (inserted == internal::SessionCache::InsertResult::kAlreadySpent) {
    return s.Refuse(hc, RefusalReason::kNonceReused, StatusCode::kAlreadyExists,
                    "this N1 was already used");
  }
  s.sessions_started.fetch_add(1, std::memory_order_relaxed);

  StartResponseMessage m2{m1->n1, std::move(n2), {}};
  auto signature = s.key.Sign(M2SigningInput(m2, m1->vnf_id, m1->platform_id));
  if (!signature.ok()) {
    std::lock_guard lock(s.sessions_mu);
    s.sessions.Erase(m1->n1);
    return s.Refuse(hc, RefusalReason::kInternal, StatusCode::kInternal,
                    "cannot sign M2");
  }
  m2.signature = std::move(signature).value();
  return Encode(m2);
}

}  // namespace nfvsm::vbs
