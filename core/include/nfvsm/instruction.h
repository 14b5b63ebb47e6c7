// Instructions from Security Managers: their model, authorization, planning
// and execution through an Actuator (R2.1.20, R2.1.50, R2.1.90,
// R2.1.260 - R2.1.360, IFA026 clause 4).
//
// Thread safety: InstructionProcessor is safe to use from many threads; it
// holds no state of its own beyond references to the registries (which are
// internally synchronized). Actuator implementations must be safe to call
// from the thread that calls Execute.
//
// Flow: Plan() authorizes and validates an instruction and works out every
// effect (quarantine entries, actuator steps, query scope) without side
// effects; the caller makes the plan durable (store, audit) and then calls
// Execute(), which adds the quarantine entries and drives the actuator in
// the planned order. A refused instruction never reaches Execute.
//
// Authorization (Plan):
//  - unknown SM: kUnauthenticated;
//  - every target VNF must exist (kNotFound) and lie in a domain where the
//    SM holds authority (its own binding, or mastery of a bound SM,
//    R2.1.50); otherwise kPermissionDenied (R2.1.90). One unauthorized
//    target refuses the whole instruction;
//  - a Passive authority is refused every lifecycle-changing instruction
//    (R2.1.20); status and history queries are allowed in every mode
//    (R2.1.350/360);
//  - the kind must be in the binding's allowed_instructions (MANO may
//    refuse Semi-Active requests, SEC024 5.2); masters acting through
//    hierarchy may send every kind;
//  - terminate flags only a Fully-Active authority may set (R2.1.270) sent
//    under a Semi-Active one: kInvalidArgument naming the flag;
//  - stop-using-host: the SM needs lifecycle authority over every VNF on
//    the host (R1.1.50);
//  - malformed instructions (no targets, empty ids, from > to, oversized
//    lists): kInvalidArgument naming the field.
#ifndef NFVSM_INSTRUCTION_H_
#define NFVSM_INSTRUCTION_H_

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/inventory.h"
#include "nfvsm/policy.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/status.h"
#include "nfvsm/store.h"
#include "nfvsm/types.h"

namespace nfvsm {

inline constexpr size_t kMaxInstructionTargets = 1024;

// Termination options (R2.1.260 Semi-Active, R2.1.270 Fully-Active).
struct TerminateFlags {
  // Semi-Active and Fully-Active.
  bool replacement_allowed = false;
  bool quarantine_copy = false;
  bool recovery_allowed = false;
  // Fully-Active only.
  bool quarantine_image_and_vnfd = false;
  bool quarantine_host = false;
  bool terminate_colocated = false;
  bool erase_storage = false;
  friend bool operator==(const TerminateFlags&,
                         const TerminateFlags&) = default;
};

enum class HostAction : uint8_t { kMigrate, kTerminate };
std::string_view ToString(HostAction a);
StatusOr<HostAction> ParseHostAction(std::string_view s);

struct Instruction {
  std::string id;  // unique per SM; correlates the result
  SmId sm;
  InstructionKind kind = InstructionKind::kStatusQuery;
  std::string reason;

  // kTerminate (R2.1.280/290), kApplyPolicy (per VNF), kStatusQuery
  // (optional filter).
  std::vector<VnfId> vnf_ids;
  TerminateFlags terminate;

  // kStopUsingHost (R2.1.320/330).
  std::string host;
  HostAction host_action = HostAction::kMigrate;
  bool quarantine_host = false;

  // kApplyPolicy (R2.1.310): to vnf_ids, or to a whole domain.
  DomainId domain;  // also scopes status/history queries (empty = all)
  Policy policy;

  // kInsertSecurityFunction / kRemoveSecurityFunction (R2.1.340).
  std::string ns_id;
  SecurityFunctionSpec function;

  // kHistoryQuery (R2.1.360): [from, to).
  TimePoint from{};
  TimePoint to{};

  // kReleaseQuarantine.
  QuarantineTarget release_target = QuarantineTarget::kVnfInstance;
  std::string release_id;
};

// What OSS/BSS is told before a Semi-Active termination (R2.1.260).
struct OssBssNotice {
  SmId sm;
  std::vector<VnfId> vnf_ids;
  std::vector<std::string> requestor_ids;  // OSS/BSS ids (R2.1.300)
  std::vector<std::string> ns_ids;         // affected service chains
  std::string reason;
};

// Carries out instructions in the cloud. Implemented with openstacksdk in
// the OpenStack integration and by RecordingActuator in tests and the
// demo. Every method must be idempotent: a retried instruction may call it
// again.
class Actuator {
 public:
  virtual ~Actuator() = default;
  virtual Status NotifyOssBss(const OssBssNotice& notice) = 0;
  virtual Status TerminateVnf(const VnfRecord& vnf,
                              const TerminateFlags& flags) = 0;
  // Locks the instance and keeps a quarantined copy (snapshot).
  virtual Status QuarantineInstanceCopy(const VnfRecord& vnf) = 0;
  virtual Status QuarantineImage(const std::string& image_id) = 0;
  virtual Status QuarantineVnfd(const std::string& vnfd_id) = 0;
  // Disables placement on the host.
  virtual Status QuarantineHost(const std::string& host,
                                const std::string& reason) = 0;
  // Erases HMEEs, HSMs and storage the instance used.
  virtual Status EraseInstanceStorage(const VnfRecord& vnf) = 0;
  virtual Status MigrateVnf(const VnfRecord& vnf,
                            const std::string& away_from_host) = 0;
  virtual Status ApplyPolicy(const VnfRecord& vnf, const Policy& policy) = 0;
  virtual Status InsertSecurityFunction(const std::string& ns_id,
                                        const SecurityFunctionSpec& f) = 0;
  virtual Status RemoveSecurityFunction(const std::string& ns_id,
                                        const SecurityFunctionSpec& f) = 0;
  virtual Status ReleaseQuarantine(QuarantineTarget target,
                                   const std::string& target_id) = 0;
};

// One actuator step of a plan, in execution order.
struct ActuatorStep {
  enum class Kind : uint8_t {
    kNotifyOssBss,
    kQuarantineInstanceCopy,
    kEraseInstanceStorage,
    kTerminateVnf,
    kQuarantineImage,
    kQuarantineVnfd,
    kQuarantineHost,
    kMigrateVnf,
    kApplyPolicy,
    kInsertSecurityFunction,
    kRemoveSecurityFunction,
    kReleaseQuarantine,
  };
  Kind kind = Kind::kTerminateVnf;
  std::string target;  // VNF id, image, VNFD, host, NS id
};
std::string_view ToString(ActuatorStep::Kind k);

struct InstructionPlan {
  Instruction instruction;
  Authority authority;                      // of the first target's domain
  std::vector<DomainId> domains;            // every domain the plan touches
  std::vector<VnfRecord> targets;           // VNFs acted on, in order
  std::vector<QuarantineEntry> quarantine;  // to add before actuating
  std::vector<ActuatorStep> steps;
  bool informs_oss_bss_first = false;  // Semi-Active termination (R2.1.260)
  // Co-located VNFs left alone because the SM has no authority over their
  // domain (R1.1.50 outranks terminate_colocated).
  std::vector<VnfId> skipped;
  std::optional<EventQuery> history_query;  // kHistoryQuery
};

struct InstructionOutcome {
  std::string instruction_id;
  Status status;                        // OK if every step succeeded
  std::vector<std::string> done;        // "terminate_vnf vnf-1", in order
  std::vector<std::string> failed;      // "erase_instance_storage vnf-1: ..."
  std::vector<VnfRecord> status_list;   // kStatusQuery (R2.1.350)
  std::vector<LifecycleEvent> history;  // kHistoryQuery (R2.1.360)
};

// Reads lifecycle history for history queries; the Store provides it.
using HistoryReader =
    std::function<StatusOr<std::vector<LifecycleEvent>>(const EventQuery&)>;

class InstructionProcessor {
 public:
  // References must outlive the processor.
  InstructionProcessor(const BindingTable& bindings, VnfInventory& inventory,
                       QuarantineRegistry& quarantine, Actuator& actuator,
                       HistoryReader history, const Clock& clock);

  // Authorizes and plans; no side effects. See the file comment.
  StatusOr<InstructionPlan> Plan(const Instruction& instruction) const;

  // Adds the plan's quarantine entries, then runs its steps in order; a
  // failing step is recorded and the remaining steps still run (a
  // termination must not stop half-way because an erase failed). Updates
  // the inventory (terminated VNFs, migrated hosts).
  InstructionOutcome Execute(const InstructionPlan& plan);

 private:
  const BindingTable& bindings_;
  VnfInventory& inventory_;
  QuarantineRegistry& quarantine_;
  Actuator& actuator_;
  HistoryReader history_;
  const Clock& clock_;
};

// An Actuator that records every call (and can be told to fail some), for
// tests and the demo. Thread-safe.
class RecordingActuator final : public Actuator {
 public:
  struct Call {
    std::string method;  // e.g. "TerminateVnf"
    std::string target;
    std::string detail;  // flags, reason, policy id
  };
  std::vector<Call> calls() const;
  void Clear();
  // Makes every later call of `method` fail with kUnavailable.
  void FailMethod(const std::string& method);

  Status NotifyOssBss(const OssBssNotice& notice) override;
  Status TerminateVnf(const VnfRecord& vnf,
                      const TerminateFlags& flags) override;
  Status QuarantineInstanceCopy(const VnfRecord& vnf) override;
  Status QuarantineImage(const std::string& image_id) override;
  Status QuarantineVnfd(const std::string& vnfd_id) override;
  Status QuarantineHost(const std::string& host,
                        const std::string& reason) override;
  Status EraseInstanceStorage(const VnfRecord& vnf) override;
  Status MigrateVnf(const VnfRecord& vnf,
                    const std::string& away_from_host) override;
  Status ApplyPolicy(const VnfRecord& vnf, const Policy& policy) override;
  Status InsertSecurityFunction(const std::string& ns_id,
                                const SecurityFunctionSpec& f) override;
  Status RemoveSecurityFunction(const std::string& ns_id,
                                const SecurityFunctionSpec& f) override;
  Status ReleaseQuarantine(QuarantineTarget target,
                           const std::string& target_id) override;

 private:
  Status Record(std::string method, std::string target, std::string detail);
  mutable std::mutex mu_;
  std::vector<Call> calls_;
  std::set<std::string> failing_;
};

}  // namespace nfvsm

#endif  // NFVSM_INSTRUCTION_H_
