// Observed-action check: was a lifecycle action that the VIM or an
// orchestrator reported on the bus authorized by a gate? (R1.3.110,
// R1.3.180, IFA026 clause 4)
//
// Hooks can be bypassed: Heat's convergence engine does not call lifecycle
// plugins, and an operator can call the Nova API directly. So every
// observed event that (re)starts, places or rebuilds an instance is
// compared with the gate decisions on record. An action on a VNF whose
// trust domain has a gating (Semi- or Fully-Active) binding needs an
// allowed gate of the same event kind for that VNF, decided at most
// `window` before the action and no later than `skew` after it; any such
// action on a quarantined VNF instance is a violation whatever the gates
// say.
//
// Thread safety: pure functions of their arguments.
// Ownership: nothing is retained.
// Failures: none; every input yields a finding.
#ifndef NFVSM_OBSERVED_ACTION_H_
#define NFVSM_OBSERVED_ACTION_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/types.h"

namespace nfvsm {

// The lifecycle operation an observed event reports, when it is one that
// a gate authorizes. `origin` is the raw notification type (e.g.
// "instance.power_on.end", "orchestration.stack.update.end"). Only
// completed actions count (phase kEnd), so each action is judged once;
// stops, pauses, deletions and crashes are not actions a gate must allow
// beforehand.
std::optional<OperationKind> GatedOperationOf(const LifecycleEvent& event);

enum class ActionFinding : uint8_t {
  kNotAnAction,   // not an event a gate authorizes
  kNotGated,      // no gating binding on the VNF's domain
  kAuthorized,    // an allowed gate covers it
  kUnauthorized,  // R1.3.180: no allowed gate on record
  kQuarantined,   // IFA026 clause 4: the instance is quarantined
};
std::string_view ToString(ActionFinding f);

struct ActionCheck {
  ActionFinding finding = ActionFinding::kNotAnAction;
  std::optional<OperationKind> operation;
  std::string authorizing_gate_id;  // kAuthorized
  std::string description;          // for the alert; no secrets
};

struct ObservedActionOptions {
  Duration window = std::chrono::hours(1);
  Duration skew = std::chrono::minutes(1);
};

// `gates`: the VNF's gate records (any order); `domain_gated`: whether a
// Semi- or Fully-Active SM is bound to its domain; `quarantine`: the
// instance's quarantine entry, if any.
ActionCheck CheckObservedAction(
    const LifecycleEvent& event, const std::vector<GateRecord>& gates,
    bool domain_gated, const std::optional<QuarantineEntry>& quarantine,
    const ObservedActionOptions& options = {});

}  // namespace nfvsm

#endif  // NFVSM_OBSERVED_ACTION_H_
