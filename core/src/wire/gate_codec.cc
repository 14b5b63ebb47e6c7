// Gate requests (MANO -> SM) and gate answers (SM -> MANO).
#include <string>

#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::CheckId;
using internal::CheckText;
using internal::EnumFromProto;
using internal::EnumToProto;
using internal::Presence;
using internal::Within;

Status CheckRequest(const GateRequest& r, Presence gate_id) {
  NFVSM_RETURN_IF_ERROR(CheckId("gate_id", r.id, gate_id));
  NFVSM_RETURN_IF_ERROR(CheckId("vnf_id", r.vnf_id, Presence::kRequired));
  const std::pair<const char*, const std::string*> ids[] = {
      {"domain", &r.domain},
      {"image_id", &r.image_id},
      {"vnfd_id", &r.vnfd_id},
      {"package_id", &r.package_id},
      {"target_host", &r.target_host},
      {"target_zone", &r.target_zone},
      {"replaces_vnf_id", &r.replaces_vnf_id},
  };
  for (const auto& [path, value] : ids) {
    NFVSM_RETURN_IF_ERROR(CheckId(path, *value, Presence::kOptional));
  }
  return CheckText("reason", r.reason);
}

}  // namespace

Status ToProto(const GateRequestMessage& in, v1::GateRequest* out) {
  const GateRequest& request = in.request;
  NFVSM_RETURN_IF_ERROR(CheckRequest(request, Presence::kOptional));
  NFVSM_ASSIGN_OR_RETURN(
      int operation,
      EnumToProto(request.operation, v1::OperationKind_MAX, "operation"));
  NFVSM_ASSIGN_OR_RETURN(
      int source, EnumToProto(request.source, v1::EventSource_MAX, "source"));
  v1::GateRequest& proto = *out;
  proto.Clear();
  proto.set_gate_id(request.id);
  proto.set_operation(static_cast<v1::OperationKind>(operation));
  proto.set_vnf_id(request.vnf_id);
  proto.set_domain(request.domain);
  proto.set_image_id(request.image_id);
  proto.set_vnfd_id(request.vnfd_id);
  proto.set_package_id(request.package_id);
  proto.set_target_host(request.target_host);
  proto.set_target_zone(request.target_zone);
  proto.set_replaces_vnf_id(request.replaces_vnf_id);
  proto.set_is_recovery(request.is_recovery);
  proto.set_needs_security_policy(request.needs_security_policy);
  proto.set_source(static_cast<v1::EventSource>(source));
  proto.set_reason(request.reason);
  NFVSM_RETURN_IF_ERROR(Within(
      "mano_attributes",
      ToProto(request.mano_attributes, proto.mutable_mano_attributes())));
  // A gate may be opened before MANO has an event to show for it.
  if (!request.event.id.empty()) {
    NFVSM_RETURN_IF_ERROR(
        Within("event", ToProto(request.event, proto.mutable_event())));
  }
  proto.set_deadline_us(in.deadline ? ToMicros(*in.deadline) : 0);
  proto.set_answer_expected(in.answer_expected);
  return OkStatus();
}

StatusOr<std::string> EncodeGateRequest(const GateRequest& request,
                                        std::optional<TimePoint> deadline,
                                        bool answer_expected) {
  NFVSM_RETURN_IF_ERROR(CheckId("gate_id", request.id, Presence::kRequired));
  v1::GateRequest proto;
  NFVSM_RETURN_IF_ERROR(
      ToProto(GateRequestMessage{request, deadline, answer_expected}, &proto));
  return internal::Serialize(proto);
}

StatusOr<GateRequestMessage> FromProto(const v1::GateRequest& proto) {
  GateRequestMessage out;
  GateRequest& r = out.request;
  r.id = proto.gate_id();
  NFVSM_ASSIGN_OR_RETURN(
      r.operation, EnumFromProto<OperationKind>(
                       proto.operation(), v1::OperationKind_MAX, "operation"));
  r.vnf_id = proto.vnf_id();
  r.domain = proto.domain();
  r.image_id = proto.image_id();
  r.vnfd_id = proto.vnfd_id();
  r.package_id = proto.package_id();
  r.target_host = proto.target_host();
  r.target_zone = proto.target_zone();
  r.replaces_vnf_id = proto.replaces_vnf_id();
  r.is_recovery = proto.is_recovery();
  r.needs_security_policy = proto.needs_security_policy();
  NFVSM_ASSIGN_OR_RETURN(
      r.source, EnumFromProto<EventSource>(proto.source(), v1::EventSource_MAX,
                                           "source"));
  r.reason = proto.reason();
  NFVSM_RETURN_IF_ERROR(CheckRequest(r, Presence::kRequired));
  if (proto.has_mano_attributes()) {
    auto policy = FromProto(proto.mano_attributes());
    if (!policy.ok()) return Within("mano_attributes", policy.status());
    r.mano_attributes = std::move(policy).value();
  }
  if (proto.has_event()) {
    auto event = FromProto(proto.event());
    if (!event.ok()) return Within("event", event.status());
    r.event = std::move(event).value();
  }
  if (proto.deadline_us() != 0) out.deadline = FromMicros(proto.deadline_us());
  out.answer_expected = proto.answer_expected();
  return out;
}

StatusOr<GateRequestMessage> DecodeGateRequest(std::string_view bytes,
                                               size_t max_bytes) {
  v1::GateRequest proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  return FromProto(proto);
}

StatusOr<std::string> EncodeGateAnswer(const std::string& gate_id,
                                       const SmAnswer& answer) {
  NFVSM_RETURN_IF_ERROR(CheckId("gate_id", gate_id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckText("reason", answer.reason));
  NFVSM_ASSIGN_OR_RETURN(
      int verdict, EnumToProto(answer.verdict, v1::Verdict_MAX, "verdict"));
  v1::GateAnswer proto;
  proto.set_gate_id(gate_id);
  proto.set_verdict(static_cast<v1::Verdict>(verdict));
  proto.set_reason(answer.reason);
  if (answer.policy) {
    NFVSM_RETURN_IF_ERROR(
        Within("policy", ToProto(*answer.policy, proto.mutable_policy())));
  }
  return internal::Serialize(proto);
}

StatusOr<GateAnswerMessage> DecodeGateAnswer(std::string_view bytes,
                                             const SmId& sender,
                                             size_t max_bytes) {
  NFVSM_RETURN_IF_ERROR(CheckId("sender", sender, Presence::kRequired));
  v1::GateAnswer proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kReject, &proto));
  GateAnswerMessage out;
  out.gate_id = proto.gate_id();
  NFVSM_RETURN_IF_ERROR(CheckId("gate_id", out.gate_id, Presence::kRequired));
  out.answer.sm = sender;
  NFVSM_ASSIGN_OR_RETURN(
      out.answer.verdict,
      EnumFromProto<Verdict>(proto.verdict(), v1::Verdict_MAX, "verdict"));
  out.answer.reason = proto.reason();
  NFVSM_RETURN_IF_ERROR(CheckText("reason", out.answer.reason));
  if (proto.has_policy()) {
    auto policy = FromProto(proto.policy());
    if (!policy.ok()) return Within("policy", policy.status());
    out.answer.policy = std::move(policy).value();
  }
  return out;
}

}  // namespace nfvsm::wire
