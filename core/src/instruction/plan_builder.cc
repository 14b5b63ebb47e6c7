#include "instruction/planning.h"

namespace nfvsm::internal {

PlanBuilder::PlanBuilder(const Instruction& in, TimePoint now) : now_(now) {
  plan_.instruction = in;
}

void PlanBuilder::AddTarget(const VnfRecord& v, const Authority& a) {
  if (!target_ids_.insert(v.id).second) return;
  plan_.targets.push_back(v);
  AddDomain(a);
}

void PlanBuilder::AddDomain(const Authority& a) {
  if (!has_authority_) {
    plan_.authority = a;
    has_authority_ = true;
  }
  if (domain_ids_.insert(a.domain).second) plan_.domains.push_back(a.domain);
}

void PlanBuilder::Skip(const VnfId& id) {
  if (skipped_ids_.insert(id).second) plan_.skipped.push_back(id);
}

void PlanBuilder::AddStep(ActuatorStep::Kind kind, const std::string& target) {
  if (target.empty() || !step_keys_.emplace(kind, target).second) return;
  plan_.steps.push_back({kind, target});
}

void PlanBuilder::Quarantine(const QuarantineEntry& e) {
  if (e.target_id.empty() ||
      !quarantine_keys_.emplace(e.target, e.target_id).second) {
    return;
  }
  plan_.quarantine.push_back(e);
}

QuarantineEntry PlanBuilder::Entry(QuarantineTarget target,
                                   const std::string& id,
                                   const DomainId& domain) const {
  QuarantineEntry e;
  e.target = target;
  e.target_id = id;
  e.by_sm = plan_.instruction.sm;
  e.domain = domain;
  e.at = now_;
  e.reason = plan_.instruction.reason;
  return e;
}

}  // namespace nfvsm::internal
