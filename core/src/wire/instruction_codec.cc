// Instructions (SM -> MANO, R2.1.260 - R2.1.360) and instruction results
// (MANO -> SM, SEC024 6.2.1).
//
// The codec checks shape (presence, sizes, enum values, policy validity);
// whether the SM may send it is InstructionProcessor::Plan's business.
#include <array>
#include <string>

#include "nfvsm/v1/instructions.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::CheckId;
using internal::CheckIds;
using internal::CheckText;
using internal::EnumFromProto;
using internal::EnumToProto;
using internal::Member;
using internal::Presence;
using internal::ReadIds;
using internal::Within;

// The oneof field of each kind is named like the kind (types.cc names).
std::string Field(InstructionKind kind, std::string_view member) {
  return Member(ToString(kind), member);
}

Status CheckFunction(InstructionKind kind, const Instruction& in) {
  NFVSM_RETURN_IF_ERROR(
      CheckId(Field(kind, "ns_id"), in.ns_id, Presence::kRequired));
  const std::string f = Field(kind, "function");
  NFVSM_RETURN_IF_ERROR(CheckId(Member(f, "vsf_vnfd_id"),
                                in.function.vsf_vnfd_id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(
      CheckId(Member(f, "after"), in.function.after, Presence::kOptional));
  return CheckId(Member(f, "before"), in.function.before, Presence::kOptional);
}

// Everything Encode and Decode both insist on, by protobuf path.
Status CheckInstruction(const Instruction& in) {
  NFVSM_RETURN_IF_ERROR(CheckId("instruction_id", in.id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckText("reason", in.reason));
  const InstructionKind kind = in.kind;
  switch (kind) {
    case InstructionKind::kTerminate:
      if (in.vnf_ids.empty()) {
        return InvalidArgumentError(
            "terminate.vnf_ids: at least one VNF id is required "
            "(R2.1.280/290)");
      }
      return CheckIds(Field(kind, "vnf_ids"), in.vnf_ids,
                      kMaxInstructionTargets);
    case InstructionKind::kStopUsingHost:
      NFVSM_RETURN_IF_ERROR(
          CheckId(Field(kind, "host"), in.host, Presence::kRequired));
      return EnumToProto(in.host_action, v1::HostAction_MAX,
                         Field(kind, "action"))
          .status();
    case InstructionKind::kApplyPolicy:
      NFVSM_RETURN_IF_ERROR(
          CheckIds(Field(kind, "vnf_ids"), in.vnf_ids, kMaxInstructionTargets));
      NFVSM_RETURN_IF_ERROR(
          CheckId(Field(kind, "domain"), in.domain, Presence::kOptional));
      if (in.vnf_ids.empty() && in.domain.empty()) {
        return InvalidArgumentError(
            "apply_policy: vnf_ids or domain is required");
      }
      return Within(Field(kind, "policy"), ValidatePolicy(in.policy));
    case InstructionKind::kInsertSecurityFunction:
    case InstructionKind::kRemoveSecurityFunction:
      return CheckFunction(kind, in);
    case InstructionKind::kHistoryQuery:
      if (!(in.from < in.to)) {
        return InvalidArgumentError(
            "history_query.from_us: must be before to_us ([from, to))");
      }
      [[fallthrough]];
    case InstructionKind::kStatusQuery:
      NFVSM_RETURN_IF_ERROR(
          CheckIds(Field(kind, "vnf_ids"), in.vnf_ids, kMaxInstructionTargets));
      return CheckId(Field(kind, "domain"), in.domain, Presence::kOptional);
    case InstructionKind::kReleaseQuarantine:
      NFVSM_RETURN_IF_ERROR(CheckId(Field(kind, "target_id"), in.release_id,
                                    Presence::kRequired));
      return EnumToProto(in.release_target, v1::QuarantineTarget_MAX,
                         Field(kind, "target"))
          .status();
  }
  return InvalidArgumentError("kind: not a known instruction kind");
}

void WriteIds(const std::vector<std::string>& ids,
              google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const auto& id : ids) *out->Add() = id;
}

void WriteFlags(const TerminateFlags& f, v1::TerminateFlags* out) {
  out->set_replacement_allowed(f.replacement_allowed);
  out->set_quarantine_copy(f.quarantine_copy);
  out->set_recovery_allowed(f.recovery_allowed);
  out->set_quarantine_image_and_vnfd(f.quarantine_image_and_vnfd);
  out->set_quarantine_host(f.quarantine_host);
  out->set_terminate_colocated(f.terminate_colocated);
  out->set_erase_storage(f.erase_storage);
}

TerminateFlags ReadFlags(const v1::TerminateFlags& f) {
  TerminateFlags out;
  out.replacement_allowed = f.replacement_allowed();
  out.quarantine_copy = f.quarantine_copy();
  out.recovery_allowed = f.recovery_allowed();
  out.quarantine_image_and_vnfd = f.quarantine_image_and_vnfd();
  out.quarantine_host = f.quarantine_host();
  out.terminate_colocated = f.terminate_colocated();
  out.erase_storage = f.erase_storage();
  return out;
}

void WriteFunction(const Instruction& in,
                   v1::SecurityFunctionInstruction* out) {
  out->set_ns_id(in.ns_id);
  auto* f = out->mutable_function();
  f->set_vsf_vnfd_id(in.function.vsf_vnfd_id);
  f->set_after(in.function.after);
  f->set_before(in.function.before);
}

void ReadFunction(const v1::SecurityFunctionInstruction& in, Instruction* out) {
  out->ns_id = in.ns_id();
  out->function = {in.function().vsf_vnfd_id(), in.function().after(),
                   in.function().before()};
}

Status ReadKind(const v1::Instruction& proto, Instruction* out) {
  const size_t max = kMaxInstructionTargets;
  switch (proto.kind_case()) {
    case v1::Instruction::kTerminate:
      out->kind = InstructionKind::kTerminate;
      out->terminate = ReadFlags(proto.terminate().flags());
      return ReadIds("terminate.vnf_ids", proto.terminate().vnf_ids(), max,
                     &out->vnf_ids);
    case v1::Instruction::kStopUsingHost: {
      const auto& m = proto.stop_using_host();
      out->kind = InstructionKind::kStopUsingHost;
      out->host = m.host();
      out->quarantine_host = m.quarantine_host();
      NFVSM_ASSIGN_OR_RETURN(
          out->host_action,
          EnumFromProto<HostAction>(m.action(), v1::HostAction_MAX,
                                    "stop_using_host.action"));
      return OkStatus();
    }
    case v1::Instruction::kApplyPolicy: {
      const auto& m = proto.apply_policy();
      out->kind = InstructionKind::kApplyPolicy;
      out->domain = m.domain();
      if (!m.has_policy()) {
        return InvalidArgumentError("apply_policy.policy: required");
      }
      auto policy = FromProto(m.policy());
      if (!policy.ok()) return Within("apply_policy.policy", policy.status());
      out->policy = std::move(policy).value();
      return ReadIds("apply_policy.vnf_ids", m.vnf_ids(), max, &out->vnf_ids);
    }
    case v1::Instruction::kInsertSecurityFunction:
    case v1::Instruction::kRemoveSecurityFunction: {
      bool insert =
          proto.kind_case() == v1::Instruction::kInsertSecurityFunction;
      out->kind = insert ? InstructionKind::kInsertSecurityFunction
                         : InstructionKind::kRemoveSecurityFunction;
      const auto& m = insert ? proto.insert_security_function()
                             : proto.remove_security_function();
      if (!m.has_function()) {
        return InvalidArgumentError(Field(out->kind, "function") +
                                    ": required");
      }
      ReadFunction(m, out);
      return OkStatus();
    }
    case v1::Instruction::kStatusQuery:
      out->kind = InstructionKind::kStatusQuery;
      out->domain = proto.status_query().domain();
      return ReadIds("status_query.vnf_ids", proto.status_query().vnf_ids(),
                     max, &out->vnf_ids);
    case v1::Instruction::kHistoryQuery: {
      const auto& m = proto.history_query();
      out->kind = InstructionKind::kHistoryQuery;
      out->domain = m.domain();
      out->from = FromMicros(m.from_us());
      out->to = FromMicros(m.to_us());
      return ReadIds("history_query.vnf_ids", m.vnf_ids(), max, &out->vnf_ids);
    }
    case v1::Instruction::kReleaseQuarantine: {
      const auto& m = proto.release_quarantine();
      out->kind = InstructionKind::kReleaseQuarantine;
      out->release_id = m.target_id();
      NFVSM_ASSIGN_OR_RETURN(
          out->release_target,
          EnumFromProto<QuarantineTarget>(m.target(), v1::QuarantineTarget_MAX,
                                          "release_quarantine.target"));
      return OkStatus();
    }
    case v1::Instruction::KIND_NOT_SET:
      break;
  }
  return InvalidArgumentError(
      "kind: no instruction is set (expected one of terminate, "
      "stop_using_host, apply_policy, insert_security_function, "
      "remove_security_function, status_query, history_query, "
      "release_quarantine)");
}

constexpr std::array<StatusCode, 12> kAllCodes = {
    StatusCode::kOk,
    StatusCode::kInvalidArgument,
    StatusCode::kDeadlineExceeded,
    StatusCode::kNotFound,
    StatusCode::kAlreadyExists,
    StatusCode::kPermissionDenied,
    StatusCode::kResourceExhausted,
    StatusCode::kFailedPrecondition,
    StatusCode::kInternal,
    StatusCode::kUnavailable,
    StatusCode::kDataLoss,
    StatusCode::kUnauthenticated,
};

StatusOr<StatusCode> ParseStatusCode(std::string_view name) {
  for (StatusCode code : kAllCodes) {
    if (StatusCodeName(code) == name) return code;
  }
  return InvalidArgumentError("status_code: not a known status name");
}

Status CheckSteps(const std::string& path,
                  const std::vector<std::string>& steps) {
  if (steps.size() > kMaxWireListEntries * 8) {
    return InvalidArgumentError(path + ": " + std::to_string(steps.size()) +
                                " entries, at most " +
                                std::to_string(kMaxWireListEntries * 8));
  }
  for (size_t i = 0; i < steps.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(CheckText(internal::Indexed(path, i), steps[i]));
  }
  return OkStatus();
}

Status CheckOutcome(const InstructionOutcome& o) {
  NFVSM_RETURN_IF_ERROR(
      CheckId("instruction_id", o.instruction_id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckText("status_message", o.status.message()));
  NFVSM_RETURN_IF_ERROR(CheckSteps("done", o.done));
  return CheckSteps("failed", o.failed);
}

}  // namespace

StatusOr<std::string> EncodeInstruction(const Instruction& in) {
  NFVSM_RETURN_IF_ERROR(CheckInstruction(in));
  v1::Instruction proto;
  proto.set_instruction_id(in.id);
  proto.set_reason(in.reason);
  switch (in.kind) {
    case InstructionKind::kTerminate: {
      auto* m = proto.mutable_terminate();
      WriteIds(in.vnf_ids, m->mutable_vnf_ids());
      WriteFlags(in.terminate, m->mutable_flags());
      break;
    }
    case InstructionKind::kStopUsingHost: {
      auto* m = proto.mutable_stop_using_host();
      m->set_host(in.host);
      m->set_action(static_cast<v1::HostAction>(
          static_cast<int>(in.host_action) + 1));  // checked above
      m->set_quarantine_host(in.quarantine_host);
      break;
    }
    case InstructionKind::kApplyPolicy: {
      auto* m = proto.mutable_apply_policy();
      WriteIds(in.vnf_ids, m->mutable_vnf_ids());
      m->set_domain(in.domain);
      NFVSM_RETURN_IF_ERROR(Within("apply_policy.policy",
                                   ToProto(in.policy, m->mutable_policy())));
      break;
    }
    case InstructionKind::kInsertSecurityFunction:
      WriteFunction(in, proto.mutable_insert_security_function());
      break;
    case InstructionKind::kRemoveSecurityFunction:
      WriteFunction(in, proto.mutable_remove_security_function());
      break;
    case InstructionKind::kStatusQuery: {
      auto* m = proto.mutable_status_query();
      WriteIds(in.vnf_ids, m->mutable_vnf_ids());
      m->set_domain(in.domain);
      break;
    }
    case InstructionKind::kHistoryQuery: {
      auto* m = proto.mutable_history_query();
      WriteIds(in.vnf_ids, m->mutable_vnf_ids());
      m->set_domain(in.domain);
      m->set_from_us(ToMicros(in.from));
      m->set_to_us(ToMicros(in.to));
      break;
    }
    case InstructionKind::kReleaseQuarantine: {
      auto* m = proto.mutable_release_quarantine();
      m->set_target(static_cast<v1::QuarantineTarget>(
          static_cast<int>(in.release_target) + 1));  // checked above
      m->set_target_id(in.release_id);
      break;
    }
  }
  return internal::Serialize(proto);
}

StatusOr<Instruction> DecodeInstruction(std::string_view bytes,
                                        const SmId& sender, size_t max_bytes) {
  NFVSM_RETURN_IF_ERROR(CheckId("sender", sender, Presence::kRequired));
  v1::Instruction proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kReject, &proto));
  Instruction out;
  out.id = proto.instruction_id();
  out.sm = sender;
  out.reason = proto.reason();
  NFVSM_RETURN_IF_ERROR(ReadKind(proto, &out));
  NFVSM_RETURN_IF_ERROR(CheckInstruction(out));
  return out;
}

StatusOr<std::string> EncodeInstructionResult(
    const InstructionOutcome& outcome) {
  NFVSM_RETURN_IF_ERROR(CheckOutcome(outcome));
  v1::InstructionResult proto;
  proto.set_instruction_id(outcome.instruction_id);
  proto.set_status_code(std::string(StatusCodeName(outcome.status.code())));
  proto.set_status_message(outcome.status.message());
  WriteIds(outcome.done, proto.mutable_done());
  WriteIds(outcome.failed, proto.mutable_failed());
  return internal::Serialize(proto);
}

StatusOr<InstructionOutcome> DecodeInstructionResult(std::string_view bytes,
                                                     size_t max_bytes) {
  v1::InstructionResult proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  InstructionOutcome out;
  out.instruction_id = proto.instruction_id();
  NFVSM_ASSIGN_OR_RETURN(StatusCode code, ParseStatusCode(proto.status_code()));
  if (code != StatusCode::kOk)
    out.status = Status(code, proto.status_message());
  out.done.assign(proto.done().begin(), proto.done().end());
  out.failed.assign(proto.failed().begin(), proto.failed().end());
  NFVSM_RETURN_IF_ERROR(CheckOutcome(out));
  return out;
}

}  // namespace nfvsm::wire
