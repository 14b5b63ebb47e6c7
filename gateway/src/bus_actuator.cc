#include "bus_actuator.h"

#include <utility>

#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/v1/actuator.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::gateway {
namespace {

Status SetVnf(const VnfRecord& vnf, v1::VnfRecord* out) {
  Status s = wire::ToProto(vnf, out);
  if (!s.ok())
    return InvalidArgumentError("vnf " + vnf.id + ": " + s.message());
  return OkStatus();
}

void SetFlags(const TerminateFlags& in, v1::TerminateFlags* out) {
  out->set_replacement_allowed(in.replacement_allowed);
  out->set_quarantine_copy(in.quarantine_copy);
  out->set_recovery_allowed(in.recovery_allowed);
  out->set_quarantine_image_and_vnfd(in.quarantine_image_and_vnfd);
  out->set_quarantine_host(in.quarantine_host);
  out->set_terminate_colocated(in.terminate_colocated);
  out->set_erase_storage(in.erase_storage);
}

void SetFunction(const std::string& ns_id, const SecurityFunctionSpec& f,
                 v1::ActuatorSecurityFunction* out) {
  out->set_ns_id(ns_id);
  out->mutable_function()->set_vsf_vnfd_id(f.vsf_vnfd_id);
  out->mutable_function()->set_after(f.after);
  out->mutable_function()->set_before(f.before);
}

}  // namespace

StatusOr<std::unique_ptr<BusActuator>> BusActuator::Create(
    BusActuatorOptions options) {
  if (options.queue.empty()) {
    return InvalidArgumentError("actuator: no queue");
  }
  if (options.timeout <= Duration::zero()) {
    return InvalidArgumentError("actuator: timeout must be positive");
  }
  amqp::RpcClientOptions rpc;
  rpc.connection = options.connection;
  if (rpc.connection.connection_name == "nfvsm") {
    rpc.connection.connection_name = "nfvsm-gateway actuator";
  }
  rpc.queue = options.queue;
  rpc.request_type = kActuatorRequestType;
  rpc.clock = options.clock;
  NFVSM_ASSIGN_OR_RETURN(auto client, amqp::RpcClient::Create(std::move(rpc)));
  return std::unique_ptr<BusActuator>(
      new BusActuator(std::move(options), std::move(client)));
}

BusActuator::BusActuator(BusActuatorOptions options,
                         std::unique_ptr<amqp::RpcClient> client)
    : options_(std::move(options)),
      log_(options_.logger ? options_.logger : spdlog::default_logger()),
      client_(std::move(client)) {}

Status BusActuator::Call(v1::ActuatorRequest& request,
                         const std::string& what) {
  request.set_request_id(amqp::RandomHexId());
  request.set_gateway_id(options_.gateway_id);
  std::string body;
  if (!request.SerializeToString(&body)) {
    return InternalError("actuator: cannot encode the request for " + what);
  }
  const TimePoint deadline = client_->clock().Now() + options_.timeout;
  log_->info("actuator request {}: {}", request.request_id(), what);
  StatusOr<std::string> raw = client_->Call(std::move(body), deadline);
  if (!raw.ok()) {
    // Unreachable and silent look the same to the engine: the step did not
    // happen as far as anyone can tell (fail closed).
    Status s = UnavailableError("nfvsm actuator unavailable: " +
                                raw.status().message());
    log_->error("actuator request {} ({}) failed: {}", request.request_id(),
                what, s.message());
    return s;
  }
  v1::ActuatorReply reply;
  if (!reply.ParseFromString(*raw)) {
    return InternalError("malformed reply from the nfvsm actuator");
  }
  if (reply.code() == v1::ADMIN_STATUS_UNSPECIFIED) {
    return InternalError("malformed reply from the nfvsm actuator: no code");
  }
  const StatusCode code = amqp::admin::FromProto(reply.code());
  if (code == StatusCode::kOk) {
    log_->info("actuator request {} done: {}", request.request_id(), what);
    return OkStatus();
  }
  log_->error("actuator request {} ({}) refused: {}", request.request_id(),
              what, reply.message());
  return Status(code, reply.message());
}

Status BusActuator::NotifyOssBss(const OssBssNotice& notice) {
  v1::ActuatorRequest req;
  auto* n = req.mutable_notify_oss_bss();
  n->set_sm(notice.sm);
  for (const auto& v : notice.vnf_ids) n->add_vnf_ids(v);
  for (const auto& r : notice.requestor_ids) n->add_requestor_ids(r);
  for (const auto& ns : notice.ns_ids) n->add_ns_ids(ns);
  n->set_reason(notice.reason);
  return Call(req, "notify_oss_bss");
}

Status BusActuator::TerminateVnf(const VnfRecord& vnf,
                                 const TerminateFlags& flags) {
  v1::ActuatorRequest req;
  NFVSM_RETURN_IF_ERROR(
      SetVnf(vnf, req.mutable_terminate_vnf()->mutable_vnf()));
  SetFlags(flags, req.mutable_terminate_vnf()->mutable_flags());
  return Call(req, "terminate_vnf " + vnf.id);
}

Status BusActuator::QuarantineInstanceCopy(const VnfRecord& vnf) {
  v1::ActuatorRequest req;
  NFVSM_RETURN_IF_ERROR(
      SetVnf(vnf, req.mutable_quarantine_instance_copy()->mutable_vnf()));
  return Call(req, "quarantine_instance_copy " + vnf.id);
}

Status BusActuator::QuarantineImage(const std::string& image_id) {
  v1::ActuatorRequest req;
  req.mutable_quarantine_image()->set_image_id(image_id);
  return Call(req, "quarantine_image " + image_id);
}

Status BusActuator::QuarantineVnfd(const std::string& vnfd_id) {
  v1::ActuatorRequest req;
  req.mutable_quarantine_vnfd()->set_vnfd_id(vnfd_id);
  return Call(req, "quarantine_vnfd " + vnfd_id);
}

Status BusActuator::QuarantineHost(const std::string& host,
                                   const std::string& reason) {
  v1::ActuatorRequest req;
  req.mutable_quarantine_host()->set_host(host);
  req.mutable_quarantine_host()->set_reason(reason);
  return Call(req, "quarantine_host " + host);
}

Status BusActuator::EraseInstanceStorage(const VnfRecord& vnf) {
  v1::ActuatorRequest req;
  NFVSM_RETURN_IF_ERROR(
      SetVnf(vnf, req.mutable_erase_instance_storage()->mutable_vnf()));
  return Call(req, "erase_instance_storage " + vnf.id);
}

Status BusActuator::MigrateVnf(const VnfRecord& vnf,
                               const std::string& away_from_host) {
  v1::ActuatorRequest req;
  NFVSM_RETURN_IF_ERROR(SetVnf(vnf, req.mutable_migrate_vnf()->mutable_vnf()));
  req.mutable_migrate_vnf()->set_away_from_host(away_from_host);
  return Call(req, "migrate_vnf " + vnf.id);
}

Status BusActuator::ApplyPolicy(const VnfRecord& vnf, const Policy& policy) {
  v1::ActuatorRequest req;
  NFVSM_RETURN_IF_ERROR(SetVnf(vnf, req.mutable_apply_policy()->mutable_vnf()));
  if (Status s =
          wire::ToProto(policy, req.mutable_apply_policy()->mutable_policy());
      !s.ok()) {
    return InvalidArgumentError("policy for " + vnf.id + ": " + s.message());
  }
  return Call(req, "apply_policy " + vnf.id);
}

Status BusActuator::InsertSecurityFunction(const std::string& ns_id,
                                           const SecurityFunctionSpec& f) {
  v1::ActuatorRequest req;
  SetFunction(ns_id, f, req.mutable_insert_security_function());
  return Call(req, "insert_security_function " + ns_id);
}

Status BusActuator::RemoveSecurityFunction(const std::string& ns_id,
                                           const SecurityFunctionSpec& f) {
  v1::ActuatorRequest req;
  SetFunction(ns_id, f, req.mutable_remove_security_function());
  return Call(req, "remove_security_function " + ns_id);
}

Status BusActuator::ReleaseQuarantine(QuarantineTarget target,
                                      const std::string& target_id) {
  v1::ActuatorRequest req;
  req.mutable_release_quarantine()->set_target(amqp::admin::ToProto(target));
  req.mutable_release_quarantine()->set_target_id(target_id);
  return Call(req, "release_quarantine " + std::string(ToString(target)) + ":" +
                       target_id);
}

}  // namespace nfvsm::gateway
