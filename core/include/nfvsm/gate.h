// Gate evaluation: may MANO perform a lifecycle operation now?
// (R2.1.20 - R2.1.40, R1.3.30, R1.3.160, IFA026 clause 4, SEC024 5.2)
//
// Thread safety: GateEvaluator is safe to use from many threads. It never
// blocks waiting for an SM: Start() sends and returns; answers arrive via
// OnAnswer(); deadlines are enforced by ExpireDue(), which the owner calls
// when NextDeadline() is reached (a timer thread, or the bus event loop).
// One slow SM therefore never holds up gates on other VNFs. Callbacks run
// on the thread that completes the gate, with no evaluator lock held, so
// they may call back into the evaluator.
//
// Evaluation:
//  1. Quarantine veto (QuarantineRegistry::Check): denied at once, no SM
//     is asked.
//  2. Every SM that BindingTable::Route() returns for the operation's event
//     kind is involved according to its binding's mode:
//       Passive      notified; never waited for.
//       Semi-Active  notified; waited for only during its
//                    semi_active_window (default 0 = not at all); an
//                    explicit deny inside the window denies. If the VNF
//                    needs security policy (R2.1.30), waited for until
//                    gate_deadline like a Fully-Active SM, for its policy.
//       Fully-Active asked; waited for until gate_deadline. Silence or a
//                    transport failure yields the binding's fail_mode
//                    (closed = deny, the default).
//     Masters reached only through hierarchy are notified (via_master).
//  3. Merge: a verdict (explicit or by fail mode) of an SM is overruled by
//     a verdict of any of its masters in the same gate (R2.1.50). Then any
//     remaining deny denies. Policies: Fully-Active policies, masters first,
//     merge with MergePolicies and supersede the MANO attributes; Semi-
//     Active policies only restrict them.
//
// An answer that arrives after its SM's wait ended is reported to the late
// answer handler and never changes a decision that was made.
#ifndef NFVSM_GATE_H_
#define NFVSM_GATE_H_

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/inventory.h"
#include "nfvsm/policy.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

// The event kind SMs are told about for an operation (kInstantiate and
// kScaleOut -> kCreate, kTerminate and kScaleIn -> kTerminate, others ->
// kModify).
EventKind EventKindFor(OperationKind op);

struct GateRequest {
  std::string id;  // unique; correlates SM answers
  OperationKind operation = OperationKind::kInstantiate;
  VnfId vnf_id;
  DomainId domain;  // taken from the inventory when empty
  std::string image_id;
  std::string vnfd_id;
  std::string package_id;
  std::string target_host;
  std::string target_zone;
  VnfId replaces_vnf_id;
  bool is_recovery = false;
  bool needs_security_policy = false;
  EventSource source = EventSource::kUnknown;  // R2.1.180
  std::string reason;                          // R2.1.190
  Policy mano_attributes;  // what MANO would apply (VNFD, placement)
  // The lifecycle event SMs receive with the request (R2.1.210-240).
  LifecycleEvent event;
};

enum class Verdict : uint8_t { kAllow, kDeny };

struct SmAnswer {
  SmId sm;
  Verdict verdict = Verdict::kDeny;
  std::string reason;
  std::optional<Policy> policy;
};

// How one SM took part in a gate.
enum class Participation : uint8_t {
  kNotified,        // Passive, master-only, or Semi-Active not waited for
  kAnswered,        // answered within its wait
  kSilent,          // did not answer in time: fail mode applied
  kTransportError,  // could not be reached: fail mode applied
};
std::string_view ToString(Participation p);

struct SmOutcome {
  SmId sm;
  Mode mode = Mode::kPassive;
  Participation participation = Participation::kNotified;
  std::optional<Verdict> verdict;  // unset when only notified
  bool overruled_by_master = false;
  std::string reason;
  std::optional<Policy> policy;
  Duration latency{0};  // request sent -> answer (or wait end)
};

struct GateDecision {
  std::string gate_id;
  VnfId vnf_id;
  DomainId domain;
  OperationKind operation = OperationKind::kInstantiate;
  bool allowed = false;
  bool quarantine_veto = false;
  std::vector<std::string> reasons;  // why denied; empty when allowed
  std::vector<SmOutcome> sms;        // one per SM involved
  Policy effective_policy;
  TimePoint requested_at{};
  TimePoint decided_at{};
};

// How the evaluator reaches SMs. Implemented by the bus layer (amqp/) and
// by in-process fakes in tests. Calls must not block on the SM's answer.
class SmTransport {
 public:
  virtual ~SmTransport() = default;
  // Informs an SM; no answer expected.
  virtual void Notify(const SmId& sm, const GateRequest& req) = 0;
  // Asks an SM for a verdict; its answer must come back through
  // GateEvaluator::OnAnswer (possibly before this call returns). A non-OK
  // status means the request could not be sent.
  virtual Status Ask(const SmId& sm, const GateRequest& req,
                     TimePoint deadline) = 0;
};

class GateEvaluator {
 public:
  using DoneCallback = std::function<void(const GateDecision&)>;
  using LateAnswerHandler =
      std::function<void(const std::string& gate_id, const SmAnswer&)>;

  // All references must outlive the evaluator.
  GateEvaluator(const BindingTable& bindings, const VnfInventory& inventory,
                const QuarantineRegistry& quarantine, SmTransport& transport,
                const Clock& clock);
  ~GateEvaluator();
  GateEvaluator(const GateEvaluator&) = delete;
  GateEvaluator& operator=(const GateEvaluator&) = delete;

  // Starts a gate. `done` is called exactly once with the decision, maybe
  // before Start returns. kInvalidArgument (and no callback) if the request
  // has no id or VNF id, or its id is already pending; kNotFound if no
  // domain is given and the VNF is unknown.
  Status Start(GateRequest req, DoneCallback done);

  // Delivers an SM's answer. kNotFound if the gate is unknown or finished
  // (the late-answer handler is told), kPermissionDenied if that SM was not
  // asked in this gate.
  Status OnAnswer(const std::string& gate_id, const SmAnswer& answer);

  // Applies deadlines that have passed at clock.Now(); completes the gates
  // that can now be decided. Returns how many gates completed.
  size_t ExpireDue();
  // The earliest pending deadline, if any gate is waiting.
  std::optional<TimePoint> NextDeadline() const;
  size_t pending() const;

  void SetLateAnswerHandler(LateAnswerHandler handler);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm

#endif  // NFVSM_GATE_H_
