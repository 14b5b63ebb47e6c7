// JSON renderings for audit bodies and gate records. Secrets never appear
// here: instructions and events carry ids and flags, not keys.
#include "engine/engine_internal.h"
#include "nfvsm/policy.h"

namespace nfvsm {

using nlohmann::json;

json ToJson(const GateDecision& d) {
  json sms = json::array();
  for (const auto& sm : d.sms) {
    json j = {{"sm", sm.sm},
              {"mode", ToString(sm.mode)},
              {"participation", ToString(sm.participation)},
              {"overruled_by_master", sm.overruled_by_master},
              {"reason", sm.reason},
              {"latency_us", sm.latency.count()}};
    if (sm.verdict)
      j["verdict"] = *sm.verdict == Verdict::kAllow ? "allow" : "deny";
    if (sm.policy) j["policy"] = json::parse(PolicyToJson(*sm.policy));
    sms.push_back(std::move(j));
  }
  return {{"gate_id", d.gate_id},
          {"vnf_id", d.vnf_id},
          {"domain", d.domain},
          {"operation", ToString(d.operation)},
          {"allowed", d.allowed},
          {"quarantine_veto", d.quarantine_veto},
          {"reasons", d.reasons},
          {"sms", std::move(sms)},
          {"effective_policy", json::parse(PolicyToJson(d.effective_policy))},
          {"requested_at_us", ToMicros(d.requested_at)},
          {"decided_at_us", ToMicros(d.decided_at)}};
}

json ToJson(const Instruction& in) {
  json j = {{"id", in.id},
            {"sm", in.sm},
            {"kind", ToString(in.kind)},
            {"reason", in.reason}};
  switch (in.kind) {
    case InstructionKind::kTerminate: {
      const auto& f = in.terminate;
      j["vnf_ids"] = in.vnf_ids;
      j["flags"] = {{"replacement_allowed", f.replacement_allowed},
                    {"quarantine_copy", f.quarantine_copy},
                    {"recovery_allowed", f.recovery_allowed},
                    {"quarantine_image_and_vnfd", f.quarantine_image_and_vnfd},
                    {"quarantine_host", f.quarantine_host},
                    {"terminate_colocated", f.terminate_colocated},
                    {"erase_storage", f.erase_storage}};
      break;
    }
    case InstructionKind::kStopUsingHost:
      j["host"] = in.host;
      j["host_action"] = ToString(in.host_action);
      j["quarantine_host"] = in.quarantine_host;
      break;
    case InstructionKind::kApplyPolicy:
      j["vnf_ids"] = in.vnf_ids;
      j["domain"] = in.domain;
      j["policy"] = json::parse(PolicyToJson(in.policy));
      break;
    case InstructionKind::kInsertSecurityFunction:
    case InstructionKind::kRemoveSecurityFunction:
      j["ns_id"] = in.ns_id;
      j["function"] = {{"vsf_vnfd_id", in.function.vsf_vnfd_id},
                       {"after", in.function.after},
                       {"before", in.function.before}};
      break;
    case InstructionKind::kStatusQuery:
      j["domain"] = in.domain;
      j["vnf_ids"] = in.vnf_ids;
      break;
    case InstructionKind::kHistoryQuery:
      j["domain"] = in.domain;
      j["from_us"] = ToMicros(in.from);
      j["to_us"] = ToMicros(in.to);
      break;
    case InstructionKind::kReleaseQuarantine:
      j["target"] = ToString(in.release_target);
      j["target_id"] = in.release_id;
      break;
  }
  return j;
}

json ToJson(const LifecycleEvent& e) {
  json j = {{"id", e.id},
            {"kind", ToString(e.kind)},
            {"phase", ToString(e.phase)},
            {"source", ToString(e.source)},
            {"reason", e.reason},
            {"occurred_at_us", ToMicros(e.occurred_at)},
            {"vnf_id", e.vnf_id},
            {"domain", e.domain},
            {"origin", e.origin}};
  if (e.kind == EventKind::kCreate) {
    j["package_id"] = e.package_id;
    j["vnfd_id"] = e.vnfd_id;
    j["image_id"] = e.image_id;
    j["requestor_id"] = e.requestor_id;
    j["ns_id"] = e.ns_id;
  }
  if (e.kind == EventKind::kModify) {
    j["aspect"] = ToString(e.aspect);
    j["details"] = e.details;
  }
  return j;
}

}  // namespace nfvsm
