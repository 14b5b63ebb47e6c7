// Turning a finished gate into its decision (gate.h "Merge").
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "gate/gate_internal.h"
#include "nfvsm/gate.h"
#include "nfvsm/policy.h"

namespace nfvsm {

EventKind EventKindFor(OperationKind op) {
  switch (op) {
    case OperationKind::kInstantiate:
    case OperationKind::kScaleOut:
      return EventKind::kCreate;
    case OperationKind::kTerminate:
    case OperationKind::kScaleIn:
      return EventKind::kTerminate;
    default:
      return EventKind::kModify;
  }
}

std::string_view ToString(Participation p) {
  switch (p) {
    case Participation::kNotified:
      return "notified";
    case Participation::kAnswered:
      return "answered";
    case Participation::kSilent:
      return "silent";
    case Participation::kTransportError:
      return "transport_error";
  }
  return "unknown";
}

namespace gate_internal {
namespace {

std::string Quoted(const SmId& sm, Mode mode) {
  std::string s = "SM '";
  s += sm;
  s += "' (";
  s += ToString(mode);
  s += ")";
  return s;
}

// What silence or an unreachable SM amounts to. A Fully-Active SM's binding
// decides (R1.3.30). A Semi-Active SM stops an operation only by an explicit
// deny (R2.1.30), so its fail mode is not consulted: otherwise the default
// (closed) would turn every Semi-Active SM into a Fully-Active one whenever
// it is slow.
std::optional<Verdict> VerdictWithoutAnswer(const SmSlot& slot) {
  if (slot.mode != Mode::kFullyActive) return std::nullopt;
  return slot.fail_mode == FailMode::kClosed ? Verdict::kDeny : Verdict::kAllow;
}

std::string WithoutAnswerSuffix(const SmSlot& slot) {
  if (slot.mode != Mode::kFullyActive) return "proceeds (semi_active)";
  return slot.fail_mode == FailMode::kClosed ? "fail closed" : "fail open";
}

SmOutcome OutcomeOf(const SmSlot& slot) {
  SmOutcome o;
  o.sm = slot.sm;
  o.mode = slot.mode;
  o.participation = slot.participation;
  o.latency = slot.latency;
  switch (slot.participation) {
    case Participation::kNotified:
      o.reason = slot.via_master ? "notified as master of a bound SM"
                 : slot.mode == Mode::kPassive ? "notified (passive)"
                                               : "notified, not waited for";
      break;
    case Participation::kAnswered:
      o.verdict = slot.answer->verdict;
      o.reason = slot.answer->reason;
      // A deny carries no policy to apply.
      if (slot.answer->verdict == Verdict::kAllow)
        o.policy = slot.answer->policy;
      break;
    case Participation::kSilent:
      o.verdict = VerdictWithoutAnswer(slot);
      o.reason = "did not answer within " + FormatDuration(slot.wait) + ": " +
                 WithoutAnswerSuffix(slot);
      break;
    case Participation::kTransportError:
      o.verdict = VerdictWithoutAnswer(slot);
      o.reason = "could not be reached (" +
                 std::string(StatusCodeName(slot.transport_error)) +
                 "): " + WithoutAnswerSuffix(slot);
      break;
  }
  return o;
}

bool HasVerdict(const std::vector<SmOutcome>& outcomes, const SmId& sm) {
  // Outcomes are in SM id order.
  auto it = std::lower_bound(
      outcomes.begin(), outcomes.end(), sm,
      [](const SmOutcome& o, const SmId& id) { return o.sm < id; });
  return it != outcomes.end() && it->sm == sm && it->verdict.has_value();
}

}  // namespace

bool ActivatesVnf(OperationKind op) {
  return op != OperationKind::kTerminate && op != OperationKind::kScaleIn;
}

std::string FormatDuration(Duration d) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  if (d.count() % Duration(seconds(1)).count() == 0) {
    return std::to_string(std::chrono::duration_cast<seconds>(d).count()) + "s";
  }
  if (d.count() % Duration(milliseconds(1)).count() == 0) {
    return std::to_string(std::chrono::duration_cast<milliseconds>(d).count()) +
           "ms";
  }
  return std::to_string(d.count()) + "us";
}

GateDecision BuildDecision(const DecisionInput& in,
                           std::span<const SmSlot> slots) {
  const GateRequest& req = *in.request;
  GateDecision d;
  d.gate_id = req.id;
  d.vnf_id = req.vnf_id;
  d.domain = req.domain;
  d.operation = req.operation;
  d.requested_at = in.requested_at;
  d.decided_at = in.decided_at;
  d.sms.reserve(slots.size());
  for (const SmSlot& slot : slots) d.sms.push_back(OutcomeOf(slot));

  // R2.1.50: a master's verdict, whatever it is and however it came about
  // (a silent fail-closed master denies), takes the place of its sub-SMs'.
  for (size_t i = 0; i < slots.size(); ++i) {
    if (!d.sms[i].verdict) continue;
    for (const SmId& master : slots[i].masters) {
      if (HasVerdict(d.sms, master)) {
        d.sms[i].overruled_by_master = true;
        break;
      }
    }
  }

  // Precedence for MergePolicies is "masters before sub-SMs, then the
  // rest"; overruled sub-SMs contribute nothing, so no two contributors are
  // master and sub-SM and SM id order (the slot order) is the whole order.
  std::vector<Policy> fully_active_policies;
  std::vector<const Policy*> semi_active_policies;
  bool policy_provided = false;
  bool any_answerable = false;
  for (size_t i = 0; i < slots.size(); ++i) {
    const SmOutcome& o = d.sms[i];
    any_answerable = any_answerable || slots[i].answerable;
    if (!o.verdict || o.overruled_by_master) continue;
    if (*o.verdict == Verdict::kDeny) {
      std::string reason = Quoted(o.sm, o.mode) + " ";
      if (o.participation == Participation::kAnswered) {
        reason += o.reason.empty() ? "denied" : "denied: " + o.reason;
      } else {
        reason += o.reason;
      }
      d.reasons.push_back(std::move(reason));
      continue;
    }
    if (!o.policy) continue;
    policy_provided = true;
    if (o.mode == Mode::kFullyActive) {
      fully_active_policies.push_back(*o.policy);
    } else {
      semi_active_policies.push_back(&*o.policy);
    }
  }

  // R1.3.160: a VNF that needs a security policy is not brought into
  // service without one. With no Semi- or Fully-Active SM bound nobody can
  // ever provide it; that is a configuration error, and the gate fails
  // closed rather than guess. Only added when nothing else denied, so the
  // reasons name the cause that matters.
  if (in.policy_required && !policy_provided && d.reasons.empty()) {
    std::string reason = "no security policy provided (R1.3.160)";
    if (!any_answerable) {
      reason += ": no Semi-Active or Fully-Active SM is bound to domain '" +
                req.domain + "'";
    }
    d.reasons.push_back(std::move(reason));
  }

  d.allowed = d.reasons.empty();
  if (!d.allowed) return d;  // nothing will be applied
  d.effective_policy = fully_active_policies.empty()
                           ? req.mano_attributes
                           : Supersede(req.mano_attributes,
                                       MergePolicies(fully_active_policies));
  for (const Policy* p : semi_active_policies) {
    d.effective_policy = Restrict(d.effective_policy, *p);
  }
  return d;
}

GateDecision VetoDecision(const GateRequest& req, const Status& check,
                          TimePoint at) {
  GateDecision d;
  d.gate_id = req.id;
  d.vnf_id = req.vnf_id;
  d.domain = req.domain;
  d.operation = req.operation;
  d.allowed = false;
  d.requested_at = at;
  d.decided_at = at;
  if (check.code() == StatusCode::kFailedPrecondition) {
    d.quarantine_veto = true;
    d.reasons.push_back(check.message());
  } else {
    // The registry could not say whether the operation is safe.
    d.reasons.push_back("quarantine check failed (" +
                        std::string(StatusCodeName(check.code())) +
                        "): fail closed");
  }
  return d;
}

}  // namespace gate_internal
}  // namespace nfvsm
