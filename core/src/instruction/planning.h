// Internals of InstructionProcessor::Plan: authorization of one
// instruction's SM, a builder that keeps a plan free of duplicates, and one
// planner per instruction family. Nothing here has side effects.
#ifndef NFVSM_SRC_INSTRUCTION_PLANNING_H_
#define NFVSM_SRC_INSTRUCTION_PLANNING_H_

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfvsm/instruction.h"

namespace nfvsm::internal {

// Everything but status and history queries changes some VNF's lifecycle
// and is therefore refused to Passive authorities (R2.1.20).
bool ChangesLifecycle(InstructionKind k);

// Answers "may this instruction's SM act on domain D?" for one instruction.
class Authorizer {
 public:
  Authorizer(const BindingTable& bindings, const Instruction& in)
      : bindings_(bindings), in_(in) {}

  // The SM's authority over `domain` for this instruction's kind, or
  // kPermissionDenied: no authority (R2.1.90), Passive for a lifecycle
  // change (R2.1.20), or the kind not accepted by the binding (SEC024 5.2).
  // `vnf` (may be empty) names the target in the message.
  StatusOr<Authority> Require(const DomainId& domain,
                              std::string_view vnf) const;

  // Like Require, but nullopt instead of an error.
  std::optional<Authority> Permits(const DomainId& domain) const;

  // Every authority the SM holds that permits this kind: its own bindings
  // and the domains of the SMs it is master of (R2.1.50), by domain id.
  std::vector<Authority> All() const;

 private:
  Status Check(const Authority& a, std::string_view vnf) const;

  const BindingTable& bindings_;
  const Instruction& in_;
};

// Builds an InstructionPlan, ignoring repeated targets, domains, steps and
// quarantine entries (two VNFs from one image quarantine it once).
class PlanBuilder {
 public:
  PlanBuilder(const Instruction& in, TimePoint now);

  bool HasTarget(const VnfId& id) const { return target_ids_.count(id) > 0; }
  // Adds a VNF acted on; the first one's authority becomes the plan's.
  void AddTarget(const VnfRecord& v, const Authority& a);
  // A domain touched without a target VNF (empty host, empty domain).
  void AddDomain(const Authority& a);
  void Skip(const VnfId& id);
  void AddStep(ActuatorStep::Kind kind, const std::string& target);
  // No-op for an empty target id (a VNF without image, host, ...).
  void Quarantine(const QuarantineEntry& e);
  // An entry carrying this instruction's SM, reason and time.
  QuarantineEntry Entry(QuarantineTarget target, const std::string& id,
                        const DomainId& domain) const;
  void SetInformsOssBssFirst() { plan_.informs_oss_bss_first = true; }
  void SetHistoryQuery(EventQuery q) { plan_.history_query = std::move(q); }

  const InstructionPlan& plan() const { return plan_; }
  InstructionPlan Build() && { return std::move(plan_); }

 private:
  InstructionPlan plan_;
  TimePoint now_;
  bool has_authority_ = false;
  std::set<VnfId> target_ids_;
  std::set<VnfId> skipped_ids_;
  std::set<DomainId> domain_ids_;
  std::set<std::pair<ActuatorStep::Kind, std::string>> step_keys_;
  std::set<std::pair<QuarantineTarget, std::string>> quarantine_keys_;
};

struct PlanContext {
  const BindingTable& bindings;
  const VnfInventory& inventory;
  const QuarantineRegistry& quarantine;
  const Clock& clock;
};

// One planner per family; each assumes the SM is known and the instruction
// passed the shape checks common to every kind.
StatusOr<InstructionPlan> PlanTerminate(const PlanContext& ctx,
                                        const Instruction& in);
StatusOr<InstructionPlan> PlanStopUsingHost(const PlanContext& ctx,
                                            const Instruction& in);
StatusOr<InstructionPlan> PlanApplyPolicy(const PlanContext& ctx,
                                          const Instruction& in);
StatusOr<InstructionPlan> PlanSecurityFunction(const PlanContext& ctx,
                                               const Instruction& in);
StatusOr<InstructionPlan> PlanReleaseQuarantine(const PlanContext& ctx,
                                                const Instruction& in);
StatusOr<InstructionPlan> PlanStatusQuery(const PlanContext& ctx,
                                          const Instruction& in);
StatusOr<InstructionPlan> PlanHistoryQuery(const PlanContext& ctx,
                                           const Instruction& in);

// Event kinds hidden from `sm` in `domain` (R2.1.200): its own binding's,
// or, reaching the domain only as a master, those hidden from every sub-SM
// bound there (it sees what some sub-SM of it sees). Everything when it has
// no standing there any more.
EventKindSet HiddenEventKinds(const BindingTable& bindings, const SmId& sm,
                              const DomainId& domain);

// The query halves of Execute, confined to the plan's domains.
std::vector<VnfRecord> ReadStatusList(const VnfInventory& inventory,
                                      const InstructionPlan& plan);
StatusOr<std::vector<LifecycleEvent>> ReadHistory(const HistoryReader& reader,
                                                  const BindingTable& bindings,
                                                  const InstructionPlan& plan);

}  // namespace nfvsm::internal

#endif  // NFVSM_SRC_INSTRUCTION_PLANNING_H_
