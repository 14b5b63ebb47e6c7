// GateClient (see gate_client.h and docs/rpc.md).
#include "nfvsm/amqp/gate_client.h"

#include <utility>

#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/v1/hook.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::amqp {
namespace {

v1::HookGateRequest::Check ToProtoCheck(GateCheckKind kind) {
  switch (kind) {
    case GateCheckKind::kOperation:
      return v1::HookGateRequest::CHECK_OPERATION;
    case GateCheckKind::kRecovery:
      return v1::HookGateRequest::CHECK_RECOVERY;
    case GateCheckKind::kPlacement:
      return v1::HookGateRequest::CHECK_PLACEMENT;
  }
  return v1::HookGateRequest::CHECK_UNSPECIFIED;
}

GateReply Deny(std::string error) {
  GateReply reply;
  reply.verdict = Verdict::kDeny;
  reply.error = std::move(error);
  return reply;
}

// A reply is used only if every part of it is: anything odd denies.
GateReply FromReply(const v1::HookGateReply& in) {
  GateReply out;
  out.gate_id = in.gate_id();
  out.reasons.assign(in.reasons().begin(), in.reasons().end());
  out.timed_out = in.timed_out();
  if (!in.error().empty()) {
    out.verdict = Verdict::kDeny;
    out.error = "the nfvsm gateway could not decide: " + in.error();
    return out;
  }
  switch (in.verdict()) {
    case v1::VERDICT_ALLOW:
      out.verdict = Verdict::kAllow;
      break;
    case v1::VERDICT_DENY:
      out.verdict = Verdict::kDeny;
      break;
    default:
      out.verdict = Verdict::kDeny;
      out.error = "malformed reply from the nfvsm gateway: no verdict";
      return out;
  }
  if (in.has_policy()) {
    auto policy = wire::FromProto(in.policy());
    if (!policy.ok()) {
      out.verdict = Verdict::kDeny;
      out.error = "malformed reply from the nfvsm gateway: policy: " +
                  policy.status().message();
      return out;
    }
    out.policy = std::move(policy).value();
  }
  return out;
}

}  // namespace

StatusOr<std::unique_ptr<GateClient>> GateClient::Open(
    ConnectionOptions connection, GateClientOptions options) {
  if (options.default_deadline <= Duration::zero()) {
    return InvalidArgumentError("default_deadline must be positive");
  }
  RpcClientOptions rpc;
  rpc.connection = std::move(connection);
  rpc.queue = options.queue;
  rpc.request_type = kHookGateRequestType;
  rpc.clock = options.clock;
  NFVSM_ASSIGN_OR_RETURN(auto client, RpcClient::Create(std::move(rpc)));
  return std::unique_ptr<GateClient>(
      new GateClient(std::move(client), std::move(options)));
}

GateClient::GateClient(std::unique_ptr<RpcClient> rpc,
                       GateClientOptions options)
    : rpc_(std::move(rpc)), options_(std::move(options)) {}

GateClient::~GateClient() = default;

GateReply GateClient::Unreachable(const std::string& why) const {
  GateReply reply = Deny(why);
  if (options_.fail_open) {
    reply.verdict = Verdict::kAllow;
    reply.failed_open = true;
  }
  return reply;
}

StatusOr<GateReply> GateClient::Check(const HookGateRequestInput& input) {
  GateRequest request = input.request;
  if (input.kind == GateCheckKind::kRecovery) request.is_recovery = true;
  if (input.kind == GateCheckKind::kPlacement && request.target_host.empty()) {
    return InvalidArgumentError("a placement check needs target_host");
  }
  const Duration wait = input.deadline.value_or(options_.default_deadline);
  if (wait <= Duration::zero()) {
    return InvalidArgumentError("deadline must be positive");
  }
  const TimePoint deadline = rpc_->clock().Now() + wait;

  // The wire codec validates the request (ids, sizes, enums); an empty gate
  // id is left for the gateway to assign.
  v1::HookGateRequest hook;
  NFVSM_RETURN_IF_ERROR(wire::ToProto(
      wire::GateRequestMessage{request, deadline, /*answer_expected=*/true},
      hook.mutable_request()));
  hook.set_check(ToProtoCheck(input.kind));
  hook.set_deadline_us(ToMicros(deadline));
  hook.set_requester(input.requester.empty() ? options_.requester
                                             : input.requester);

  auto body = rpc_->Call(hook.SerializeAsString(), deadline);
  if (!body.ok()) {
    if (body.status().code() == StatusCode::kDeadlineExceeded) {
      return Unreachable(
          "no decision from the nfvsm gateway within " +
          std::to_string(
              std::chrono::duration_cast<std::chrono::milliseconds>(wait)
                  .count()) +
          " ms");
    }
    return Unreachable("nfvsm gateway unreachable: " + body.status().message());
  }
  v1::HookGateReply reply;
  if (!reply.ParseFromString(*body)) {
    return Deny("malformed reply from the nfvsm gateway: not a HookGateReply");
  }
  return FromReply(reply);
}

StatusOr<GateReply> GateClient::CheckRecovery(
    const std::string& vnf_id, const std::optional<std::string>& host) {
  HookGateRequestInput input;
  input.kind = GateCheckKind::kRecovery;
  input.request.operation = OperationKind::kHeal;
  input.request.vnf_id = vnf_id;
  input.request.source = EventSource::kAutoHealing;
  if (host) input.request.target_host = *host;
  return Check(input);
}

StatusOr<GateReply> GateClient::CheckPlacement(const std::string& vnf_id,
                                               const std::string& host) {
  HookGateRequestInput input;
  input.kind = GateCheckKind::kPlacement;
  input.request.operation = OperationKind::kInstantiate;
  input.request.vnf_id = vnf_id;
  input.request.target_host = host;
  return Check(input);
}

}  // namespace nfvsm::amqp
