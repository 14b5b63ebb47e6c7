// Engine: the one object that holds nfvsm's decisions together. It owns the
// in-memory registries (bindings, inventory, quarantine), the gate
// evaluator and the instruction processor, and makes every change durable
// in the Store and in the audit log before it takes effect.
//
// Thread safety: every method is safe to call from many threads. Admin
// changes are serialized; gates run concurrently (see gate.h); the
// registries are internally synchronized. Callbacks passed to StartGate run
// on the thread that completes the gate, with no Engine lock held.
//
// Ownership: the Engine owns the Store and the AuditLog it opens; the
// transport, the actuator and the clock are borrowed and must outlive it.
//
// Durability: each admin change, event, gate decision and instruction is
// written to the Store together with its audit records in one transaction.
// If that transaction fails, the in-memory state is left unchanged and the
// error is returned (kUnavailable from the store): nothing is half-applied.
// Restarting from the same store file restores every domain, SM, binding,
// VNF, quarantine entry and audit chain.
//
// Audit partitions (IFA026 5.3): admin changes and gate decisions go to
// the MANO partition; what concerns one SM in one domain (events delivered
// to it, its gate answers, its instructions, accepted or refused) goes to
// PartitionFor(sm, domain).
#ifndef NFVSM_ENGINE_H_
#define NFVSM_ENGINE_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/audit.h"
#include "nfvsm/clock.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/gate.h"
#include "nfvsm/instruction.h"
#include "nfvsm/inventory.h"
#include "nfvsm/lifecycle_event.h"
#include "nfvsm/observed_action.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/status.h"
#include "nfvsm/store.h"
#include "nfvsm/types.h"
#include "nfvsm/wire.h"

namespace nfvsm {

struct EngineOptions {
  std::string store_path = ":memory:";  // SQLite file, or ":memory:"
  SqliteOptions sqlite;
  AuditKeys audit_keys;          // HMAC key required (32 bytes)
  const Clock* clock = nullptr;  // nullptr: SystemClock()
  // How observed actions are matched with gate decisions (R1.3.180).
  ObservedActionOptions observed_actions;
};

// What happened to an incoming lifecycle event.
struct EventReceipt {
  bool duplicate = false;            // already recorded (redelivery)
  std::vector<Delivery> deliveries;  // SMs to notify (R2.1.80, R2.1.200)
  // The event as recorded and as SMs must receive it: its domain filled in
  // from the inventory when the source did not name one (R2.1.210).
  LifecycleEvent event;
  // Set when the event is a lifecycle action that no allowed gate covers
  // in a gated domain, or any such action on a quarantined instance
  // (R1.3.110, R1.3.180, IFA026 clause 4; observed_action.h). The caller
  // sends it to every SM in `alert_recipients`. Audited once, with the
  // event; a redelivered event carries it again (at-least-once) with the
  // same id.
  std::optional<wire::SecurityAlert> alert;
  std::vector<SmId> alert_recipients;
};

class Engine {
 public:
  // Opens the store, loads the registries from it and continues the audit
  // chains. kInvalidArgument for a missing HMAC key; store errors as
  // OpenSqliteStore reports them.
  static StatusOr<std::unique_ptr<Engine>> Open(EngineOptions options,
                                                SmTransport& transport,
                                                Actuator& actuator);
  ~Engine();
  Engine(const Engine&) = delete;
  Engine& operator=(const Engine&) = delete;

  // ---- administration (audited in the MANO partition; `actor` names who)
  Status PutDomain(const TrustDomain& d, const std::string& actor);
  Status RemoveDomain(const DomainId& id, const std::string& actor);
  Status PutSm(const SecurityManager& sm, const std::string& actor);
  Status RemoveSm(const SmId& id, const std::string& actor);
  Status PutBinding(const Binding& b, const std::string& actor);
  Status RemoveBinding(const SmId& sm, const DomainId& domain,
                       const std::string& actor);
  // Registers or updates a VNF MANO manages (kInvalidArgument if its domain
  // is unknown).
  Status PutVnf(const VnfRecord& v, const std::string& actor);
  // An operator lifts a quarantine whose SM can no longer lift it itself:
  // that SM was removed, or is no longer bound to the entry's domain, and
  // none of its masters is. While the quarantining SM (or a master) is
  // bound, the release stays theirs (IFA026 clause 4) and this returns
  // kPermissionDenied naming them. The actuator undoes its quarantine
  // first (an error there changes nothing). kInvalidArgument without a
  // reason (R2.1.190); kNotFound when the target is not quarantined.
  Status ReleaseOrphanedQuarantine(QuarantineTarget target,
                                   const std::string& target_id,
                                   const std::string& reason,
                                   const std::string& actor);

  // ---- lifecycle events (R2.1.150 - R2.1.240)
  // Validates, stores once (dedupe on id), updates the inventory, audits
  // one record per delivery in that SM's partition, and returns whom to
  // notify. The caller (the bus) sends the notifications.
  StatusOr<EventReceipt> RecordEvent(const LifecycleEvent& e,
                                     EventValidation validation);

  // ---- gates (R2.1.20 - R2.1.40, IFA026 clause 4)
  // Starts a gate; when decided, persists the decision with its audit
  // records, then calls `done`. Errors as GateEvaluator::Start.
  Status StartGate(GateRequest req, GateEvaluator::DoneCallback done);
  // Forwards an SM's answer (see GateEvaluator::OnAnswer). Late answers are
  // audited in the SM's partition and never change a decision.
  Status OnGateAnswer(const std::string& gate_id, const SmAnswer& answer);
  // Enforces gate deadlines; call at NextGateDeadline().
  size_t ExpireGates();
  std::optional<TimePoint> NextGateDeadline() const;

  // ---- instructions from SMs (R2.1.260 - R2.1.360)
  // Authorizes, plans, makes the plan durable, executes. A refused
  // instruction is audited with its reason and returned as the error; an
  // accepted one returns its outcome (whose status says whether every step
  // succeeded). The SM's signature is checked by the caller (the bus).
  StatusOr<InstructionOutcome> HandleInstruction(const Instruction& in);

  // ---- inspection
  const BindingTable& bindings() const;
  const VnfInventory& inventory() const;
  const QuarantineRegistry& quarantine() const;
  AuditLog& audit();
  Store& store();
  const Clock& clock() const;

 private:
  struct Impl;
  explicit Engine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm

#endif  // NFVSM_ENGINE_H_
