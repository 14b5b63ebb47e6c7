// AdminClient and the admin.proto conversions (see admin_client.h).
#include "nfvsm/amqp/admin_client.h"

#include <utility>

#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/records.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::amqp {
namespace admin {
namespace {

constexpr StatusCode kAllCodes[] = {
    StatusCode::kInvalidArgument,    StatusCode::kDeadlineExceeded,
    StatusCode::kNotFound,           StatusCode::kAlreadyExists,
    StatusCode::kPermissionDenied,   StatusCode::kResourceExhausted,
    StatusCode::kFailedPrecondition, StatusCode::kInternal,
    StatusCode::kUnavailable,        StatusCode::kDataLoss,
    StatusCode::kUnauthenticated,
};

int64_t Millis(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

}  // namespace

v1::AdminStatusCode ToProto(StatusCode code) {
  if (code == StatusCode::kOk) return v1::ADMIN_STATUS_OK;
  const int n = static_cast<int>(code);
  // Same numbers as StatusCode except OK (see admin.proto).
  if (v1::AdminStatusCode_IsValid(n) && n > 1) {
    return static_cast<v1::AdminStatusCode>(n);
  }
  return v1::ADMIN_STATUS_INTERNAL;
}

StatusCode FromProto(v1::AdminStatusCode code) {
  if (code == v1::ADMIN_STATUS_OK) return StatusCode::kOk;
  for (StatusCode c : kAllCodes) {
    if (static_cast<int>(c) == static_cast<int>(code)) return c;
  }
  return StatusCode::kInternal;
}

void SetStatus(const Status& status, v1::AdminReply* reply) {
  reply->set_code(ToProto(status.code()));
  reply->set_message(status.message());
}

Status StatusOf(const v1::AdminReply& reply) {
  if (reply.code() == v1::ADMIN_STATUS_UNSPECIFIED) {
    return InternalError("malformed reply from the nfvsm gateway: no code");
  }
  const StatusCode code = FromProto(reply.code());
  if (code == StatusCode::kOk) return OkStatus();
  return Status(code, reply.message());
}

void ToProto(const TrustDomain& in, v1::TrustDomainProto* out) {
  out->set_id(in.id);
  switch (in.kind) {
    case DomainKind::kVnf:
      out->set_kind(v1::DOMAIN_KIND_VNF);
      break;
    case DomainKind::kMano:
      out->set_kind(v1::DOMAIN_KIND_MANO);
      break;
    case DomainKind::kSecurity:
      out->set_kind(v1::DOMAIN_KIND_SECURITY);
      break;
  }
  out->set_sensitive(in.sensitive);
  for (const auto& t : in.trusts) out->add_trusts(t);
  out->set_description(in.description);
}

StatusOr<TrustDomain> FromProto(const v1::TrustDomainProto& in) {
  TrustDomain out;
  out.id = in.id();
  switch (in.kind()) {
    case v1::DOMAIN_KIND_VNF:
      out.kind = DomainKind::kVnf;
      break;
    case v1::DOMAIN_KIND_MANO:
      out.kind = DomainKind::kMano;
      break;
    case v1::DOMAIN_KIND_SECURITY:
      out.kind = DomainKind::kSecurity;
      break;
    default:
      return InvalidArgumentError("domain.kind: missing or unknown");
  }
  out.sensitive = in.sensitive();
  out.trusts.insert(in.trusts().begin(), in.trusts().end());
  out.description = in.description();
  return out;
}

void ToProto(const SecurityManager& in, v1::SecurityManagerProto* out) {
  out->set_id(in.id);
  out->set_public_key_pem(in.public_key_pem);
  if (in.master) out->set_master(*in.master);
  out->set_home_domain(in.home_domain);
  out->set_description(in.description);
}

StatusOr<SecurityManager> FromProto(const v1::SecurityManagerProto& in) {
  SecurityManager out;
  out.id = in.id();
  out.public_key_pem = in.public_key_pem();
  if (in.has_master()) out.master = in.master();
  out.home_domain = in.home_domain();
  out.description = in.description();
  return out;
}

void ToProto(const Binding& in, v1::BindingProto* out) {
  out->set_sm(in.sm);
  out->set_domain(in.domain);
  switch (in.mode) {
    case Mode::kPassive:
      out->set_mode(v1::SM_MODE_PASSIVE);
      break;
    case Mode::kSemiActive:
      out->set_mode(v1::SM_MODE_SEMI_ACTIVE);
      break;
    case Mode::kFullyActive:
      out->set_mode(v1::SM_MODE_FULLY_ACTIVE);
      break;
  }
  auto* kinds = out->mutable_allowed_instructions();
  for (InstructionKind k : kAllInstructionKinds) {
    if (in.allowed_instructions.Contains(k)) {
      kinds->add_kinds(std::string(ToString(k)));
    }
  }
  for (EventKind k : kAllEventKinds) {
    if (!in.hidden_events.Contains(k)) continue;
    // events.proto numbers EventKind from 1 in types.h order.
    out->add_hidden_events(static_cast<v1::EventKind>(static_cast<int>(k) + 1));
  }
  out->set_gate_deadline_ms(Millis(in.gate_deadline));
  out->set_semi_active_window_ms(Millis(in.semi_active_window));
  out->set_fail_mode(in.fail_mode == FailMode::kOpen ? v1::FAIL_MODE_OPEN
                                                     : v1::FAIL_MODE_CLOSED);
}

StatusOr<Binding> FromProto(const v1::BindingProto& in) {
  Binding out;
  out.sm = in.sm();
  out.domain = in.domain();
  switch (in.mode()) {
    case v1::SM_MODE_PASSIVE:
      out.mode = Mode::kPassive;
      break;
    case v1::SM_MODE_SEMI_ACTIVE:
      out.mode = Mode::kSemiActive;
      break;
    case v1::SM_MODE_FULLY_ACTIVE:
      out.mode = Mode::kFullyActive;
      break;
    default:
      return InvalidArgumentError("binding.mode: missing or unknown");
  }
  if (in.has_allowed_instructions()) {
    out.allowed_instructions = InstructionKindSet();
    for (int i = 0; i < in.allowed_instructions().kinds_size(); ++i) {
      auto kind = ParseInstructionKind(in.allowed_instructions().kinds(i));
      if (!kind.ok()) {
        return InvalidArgumentError("binding.allowed_instructions.kinds[" +
                                    std::to_string(i) +
                                    "]: " + kind.status().message());
      }
      out.allowed_instructions.Add(*kind);
    }
  }
  for (int i = 0; i < in.hidden_events_size(); ++i) {
    const int n = in.hidden_events(i);
    if (n < 1 || n > static_cast<int>(std::size(kAllEventKinds))) {
      return InvalidArgumentError("binding.hidden_events[" + std::to_string(i) +
                                  "]: unknown");
    }
    out.hidden_events.Add(kAllEventKinds[n - 1]);
  }
  if (in.gate_deadline_ms() < 0 || in.semi_active_window_ms() < 0) {
    return InvalidArgumentError("binding: negative deadline or window");
  }
  if (in.gate_deadline_ms() > 0) {
    out.gate_deadline = std::chrono::milliseconds(in.gate_deadline_ms());
  }
  out.semi_active_window =
      std::chrono::milliseconds(in.semi_active_window_ms());
  switch (in.fail_mode()) {
    case v1::FAIL_MODE_UNSPECIFIED:
    case v1::FAIL_MODE_CLOSED:
      out.fail_mode = FailMode::kClosed;
      break;
    case v1::FAIL_MODE_OPEN:
      out.fail_mode = FailMode::kOpen;
      break;
    default:
      return InvalidArgumentError("binding.fail_mode: unknown");
  }
  return out;
}

v1::QuarantineTarget ToProto(QuarantineTarget in) {
  // common.proto numbers targets from 1 in types.h order.
  return static_cast<v1::QuarantineTarget>(static_cast<int>(in) + 1);
}

StatusOr<QuarantineTarget> FromProto(v1::QuarantineTarget in) {
  switch (in) {
    case v1::QUARANTINE_TARGET_VNF_INSTANCE:
      return QuarantineTarget::kVnfInstance;
    case v1::QUARANTINE_TARGET_IMAGE:
      return QuarantineTarget::kImage;
    case v1::QUARANTINE_TARGET_VNFD:
      return QuarantineTarget::kVnfd;
    case v1::QUARANTINE_TARGET_PACKAGE:
      return QuarantineTarget::kPackage;
    case v1::QUARANTINE_TARGET_HOST:
      return QuarantineTarget::kHost;
    default:
      return InvalidArgumentError("quarantine target: missing or unknown");
  }
}

void ToProto(const QuarantineEntry& in, v1::QuarantineEntryProto* out) {
  out->set_target(ToProto(in.target));
  out->set_target_id(in.target_id);
  out->set_by_sm(in.by_sm);
  out->set_domain(in.domain);
  out->set_at_us(ToMicros(in.at));
  out->set_reason(in.reason);
  out->set_terminated(in.terminated);
  out->set_replacement_allowed(in.replacement_allowed);
  out->set_copy_kept(in.copy_kept);
  out->set_recovery_allowed(in.recovery_allowed);
  out->set_erase_requested(in.erase_requested);
}

StatusOr<QuarantineEntry> FromProto(const v1::QuarantineEntryProto& in) {
  QuarantineEntry out;
  NFVSM_ASSIGN_OR_RETURN(out.target, FromProto(in.target()));
  out.target_id = in.target_id();
  out.by_sm = in.by_sm();
  out.domain = in.domain();
  out.at = FromMicros(in.at_us());
  out.reason = in.reason();
  out.terminated = in.terminated();
  out.replacement_allowed = in.replacement_allowed();
  out.copy_kept = in.copy_kept();
  out.recovery_allowed = in.recovery_allowed();
  out.erase_requested = in.erase_requested();
  return out;
}

void ToProto(const VerifyReport& in, v1::AuditVerifyReportProto* out) {
  out->set_ok(in.ok);
  out->set_partition(in.partition);
  out->set_records_checked(in.records_checked);
  if (in.first_bad_seq) out->set_first_bad_seq(*in.first_bad_seq);
  out->set_fault(std::string(ToString(in.fault)));
  out->set_problem(in.problem);
}

StatusOr<VerifyReport> FromProto(const v1::AuditVerifyReportProto& in) {
  VerifyReport out;
  out.ok = in.ok();
  out.partition = in.partition();
  out.records_checked = in.records_checked();
  if (in.has_first_bad_seq()) out.first_bad_seq = in.first_bad_seq();
  bool known = false;
  for (int f = 0; f <= static_cast<int>(AuditFault::kBeyondHead); ++f) {
    if (ToString(static_cast<AuditFault>(f)) == in.fault()) {
      out.fault = static_cast<AuditFault>(f);
      known = true;
      break;
    }
  }
  if (!known) return InvalidArgumentError("audit report.fault: unknown");
  out.problem = in.problem();
  return out;
}

}  // namespace admin

// ----------------------------------------------------------- AdminClient

StatusOr<std::unique_ptr<AdminClient>> AdminClient::Open(
    ConnectionOptions connection, AdminClientOptions options) {
  if (options.actor.empty()) {
    return InvalidArgumentError("an admin client needs an actor name");
  }
  if (options.deadline <= Duration::zero()) {
    return InvalidArgumentError("deadline must be positive");
  }
  RpcClientOptions rpc;
  rpc.connection = std::move(connection);
  rpc.queue = options.queue;
  rpc.request_type = kAdminRequestType;
  rpc.clock = options.clock;
  NFVSM_ASSIGN_OR_RETURN(auto client, RpcClient::Create(std::move(rpc)));
  return std::unique_ptr<AdminClient>(
      new AdminClient(std::move(client), std::move(options)));
}

AdminClient::AdminClient(std::unique_ptr<RpcClient> rpc,
                         AdminClientOptions options)
    : rpc_(std::move(rpc)), options_(std::move(options)) {}

AdminClient::~AdminClient() = default;

StatusOr<v1::AdminReply> AdminClient::Call(v1::AdminRequest request) {
  request.set_actor(options_.actor);
  if (request.request_id().empty()) request.set_request_id(RandomHexId());
  auto body = rpc_->Call(request.SerializeAsString(),
                         rpc_->clock().Now() + options_.deadline);
  if (!body.ok()) {
    reached_ = false;
    if (body.status().code() == StatusCode::kDeadlineExceeded) {
      return DeadlineExceededError(
          "no reply from the nfvsm gateway within " +
          std::to_string(std::chrono::duration_cast<std::chrono::milliseconds>(
                             options_.deadline)
                             .count()) +
          " ms");
    }
    return UnavailableError("nfvsm gateway unreachable: " +
                            body.status().message());
  }
  reached_ = true;
  v1::AdminReply reply;
  if (!reply.ParseFromString(*body)) {
    return InternalError(
        "malformed reply from the nfvsm gateway: not an AdminReply");
  }
  return reply;
}

StatusOr<v1::AdminReply> AdminClient::Do(v1::AdminRequest request,
                                         v1::AdminReply::ResultCase expected) {
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply, Call(std::move(request)));
  NFVSM_RETURN_IF_ERROR(admin::StatusOf(reply));
  if (expected != v1::AdminReply::RESULT_NOT_SET &&
      reply.result_case() != expected) {
    return InternalError(
        "malformed reply from the nfvsm gateway: unexpected result");
  }
  return reply;
}

namespace {
constexpr auto kNoResult = v1::AdminReply::RESULT_NOT_SET;

// Converts every element of a repeated proto field.
template <typename T, typename Repeated>
StatusOr<std::vector<T>> ConvertAll(const Repeated& items) {
  std::vector<T> out;
  out.reserve(items.size());
  for (const auto& item : items) {
    NFVSM_ASSIGN_OR_RETURN(T value, admin::FromProto(item));
    out.push_back(std::move(value));
  }
  return out;
}
}  // namespace

Status AdminClient::PutDomain(const TrustDomain& domain) {
  v1::AdminRequest req;
  admin::ToProto(domain, req.mutable_put_domain());
  return Do(std::move(req), kNoResult).status();
}

Status AdminClient::RemoveDomain(const DomainId& id) {
  v1::AdminRequest req;
  req.mutable_remove_domain()->set_id(id);
  return Do(std::move(req), kNoResult).status();
}

StatusOr<std::string> AdminClient::PutSm(const SecurityManager& sm) {
  v1::AdminRequest req;
  admin::ToProto(sm, req.mutable_put_sm());
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply, Do(std::move(req), kNoResult));
  return reply.has_put_sm() ? reply.put_sm().channel_file() : std::string();
}

Status AdminClient::RemoveSm(const SmId& id) {
  v1::AdminRequest req;
  req.mutable_remove_sm()->set_id(id);
  return Do(std::move(req), kNoResult).status();
}

Status AdminClient::PutBinding(const Binding& binding) {
  v1::AdminRequest req;
  admin::ToProto(binding, req.mutable_put_binding());
  return Do(std::move(req), kNoResult).status();
}

Status AdminClient::RemoveBinding(const SmId& sm, const DomainId& domain) {
  v1::AdminRequest req;
  req.mutable_remove_binding()->set_sm(sm);
  req.mutable_remove_binding()->set_domain(domain);
  return Do(std::move(req), kNoResult).status();
}

StatusOr<std::vector<TrustDomain>> AdminClient::ListDomains() {
  v1::AdminRequest req;
  req.mutable_list()->set_what(v1::ListRequest::WHAT_DOMAINS);
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kDomains));
  return ConvertAll<TrustDomain>(reply.domains().domains());
}

StatusOr<std::vector<SecurityManager>> AdminClient::ListSms() {
  v1::AdminRequest req;
  req.mutable_list()->set_what(v1::ListRequest::WHAT_SMS);
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kSms));
  return ConvertAll<SecurityManager>(reply.sms().sms());
}

StatusOr<std::vector<Binding>> AdminClient::ListBindings() {
  v1::AdminRequest req;
  req.mutable_list()->set_what(v1::ListRequest::WHAT_BINDINGS);
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kBindings));
  return ConvertAll<Binding>(reply.bindings().bindings());
}

StatusOr<std::vector<QuarantineEntry>> AdminClient::ListQuarantine() {
  v1::AdminRequest req;
  req.mutable_list_quarantine();
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kQuarantine));
  return ConvertAll<QuarantineEntry>(reply.quarantine().entries());
}

Status AdminClient::ReleaseQuarantine(QuarantineTarget target,
                                      const std::string& target_id,
                                      const std::string& reason) {
  v1::AdminRequest req;
  auto* r = req.mutable_release_quarantine();
  r->set_target(admin::ToProto(target));
  r->set_target_id(target_id);
  r->set_reason(reason);
  return Do(std::move(req), kNoResult).status();
}

Status AdminClient::PutVnf(const VnfRecord& vnf) {
  v1::AdminRequest req;
  NFVSM_RETURN_IF_ERROR(wire::ToProto(vnf, req.mutable_put_vnf()));
  return Do(std::move(req), kNoResult).status();
}

StatusOr<VnfRecord> AdminClient::VnfStatus(const VnfId& id) {
  v1::AdminRequest req;
  req.mutable_vnf_status()->set_vnf_id(id);
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kVnf));
  return wire::FromProto(reply.vnf());
}

StatusOr<std::vector<LifecycleEvent>> AdminClient::VnfHistory(const VnfId& id,
                                                              TimePoint from,
                                                              TimePoint to) {
  v1::AdminRequest req;
  auto* h = req.mutable_vnf_history();
  h->set_vnf_id(id);
  h->set_from_us(ToMicros(from));
  h->set_to_us(ToMicros(to));
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kHistory));
  std::vector<LifecycleEvent> out;
  for (const auto& e : reply.history().events()) {
    NFVSM_ASSIGN_OR_RETURN(LifecycleEvent event, wire::FromProto(e));
    out.push_back(std::move(event));
  }
  return out;
}

StatusOr<std::vector<VerifyReport>> AdminClient::AuditVerify(
    const std::string& partition) {
  v1::AdminRequest req;
  req.mutable_audit_verify()->set_partition(partition);
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kAuditVerify));
  return ConvertAll<VerifyReport>(reply.audit_verify().reports());
}

StatusOr<std::vector<AuditRecord>> AdminClient::AuditExport(
    const std::vector<std::string>& partitions) {
  v1::AdminRequest req;
  for (const auto& p : partitions) {
    req.mutable_audit_export()->add_partitions(p);
  }
  req.mutable_audit_export();
  NFVSM_ASSIGN_OR_RETURN(v1::AdminReply reply,
                         Do(std::move(req), v1::AdminReply::kAuditRecords));
  std::vector<AuditRecord> out;
  for (const auto& r : reply.audit_records().records()) {
    NFVSM_ASSIGN_OR_RETURN(AuditRecord record, wire::FromProto(r));
    out.push_back(std::move(record));
  }
  return out;
}

}  // namespace nfvsm::amqp
