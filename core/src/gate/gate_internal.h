// Internals of the gate evaluator: the per-SM wait state of one gate and the
// pure function that turns a finished gate into a decision.
//
// Thread safety: plain values and a pure function; GateEvaluator (gate.cc)
// guards SmSlot with its own mutex.
#ifndef NFVSM_SRC_GATE_GATE_INTERNAL_H_
#define NFVSM_SRC_GATE_GATE_INTERNAL_H_

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "nfvsm/gate.h"

namespace nfvsm::gate_internal {

// How one SM takes part in one gate, and what happened so far.
struct SmSlot {
  // Fixed when the gate starts.
  SmId sm;
  Mode mode = Mode::kPassive;  // of its binding; kPassive for via_master
  bool via_master = false;
  // Semi- and Fully-Active SMs bound to the domain: their answers count
  // (while their wait is open). Everyone else was only notified.
  bool answerable = false;
  bool asked = false;    // sent with Ask (else Notify)
  bool awaited = false;  // the gate waits for it until `deadline`
  Duration wait{0};      // length of that wait
  TimePoint deadline{};
  FailMode fail_mode = FailMode::kClosed;
  std::vector<SmId> masters;  // nearest first (BindingTable::MastersOf)

  // Filled while the gate runs.
  bool waiting = false;  // awaited and neither answered nor expired yet
  Participation participation = Participation::kNotified;
  std::optional<SmAnswer> answer;  // set when kAnswered
  StatusCode transport_error = StatusCode::kOk;
  Duration latency{0};
};

// True if the operation brings a VNF (instance or capacity) into service,
// i.e. R1.3.160 asks for its security policy first. Terminate and scale-in
// only take things away: refusing them for want of a policy would keep a
// VNF running because it lacks protection.
bool ActivatesVnf(OperationKind op);

// "30s", "1500ms", "250us": for reasons an operator reads.
std::string FormatDuration(Duration d);

struct DecisionInput {
  const GateRequest* request = nullptr;  // domain already resolved
  bool policy_required = false;          // R1.3.160 applies
  TimePoint requested_at{};
  TimePoint decided_at{};
};

// Merges the slots of a finished gate (every awaited slot answered,
// expired or failed) into its decision (gate.h "Merge"). `slots` are in
// SM id order.
GateDecision BuildDecision(const DecisionInput& in,
                           std::span<const SmSlot> slots);

// The decision for a gate refused before any SM was involved: a quarantine
// veto, or a failure of the quarantine check itself (fail closed).
GateDecision VetoDecision(const GateRequest& req, const Status& check,
                          TimePoint at);

}  // namespace nfvsm::gate_internal

#endif  // NFVSM_SRC_GATE_GATE_INTERNAL_H_
