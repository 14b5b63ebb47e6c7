// InstructionProcessor::Execute: quarantine first, then the actuator steps
// in plan order, then the queries. A failing step never stops the ones
// after it.
#include <algorithm>
#include <exception>
#include <set>
#include <string>

#include "instruction/planning.h"

namespace nfvsm {
namespace {

using Step = ActuatorStep::Kind;

const VnfRecord* TargetRecord(const InstructionPlan& plan, const VnfId& id) {
  for (const VnfRecord& v : plan.targets) {
    if (v.id == id) return &v;
  }
  return nullptr;
}

// Listed targets carry the SM's flags. VNFs terminated as a side effect
// (co-located, on a host no longer used) carry what their quarantine entry
// allows, and nothing else: no copy, no erase.
TerminateFlags FlagsFor(const InstructionPlan& plan, const VnfId& id) {
  const Instruction& in = plan.instruction;
  if (in.kind == InstructionKind::kTerminate &&
      std::find(in.vnf_ids.begin(), in.vnf_ids.end(), id) != in.vnf_ids.end()) {
    return in.terminate;
  }
  TerminateFlags f;
  for (const QuarantineEntry& e : plan.quarantine) {
    if (e.target == QuarantineTarget::kVnfInstance && e.target_id == id) {
      f.replacement_allowed = e.replacement_allowed;
      f.recovery_allowed = e.recovery_allowed;
    }
  }
  return f;
}

// The notice names every VNF the plan terminates and what OSS/BSS knows
// them by (R2.1.300).
OssBssNotice NoticeFor(const InstructionPlan& plan) {
  OssBssNotice n;
  n.sm = plan.instruction.sm;
  n.reason = plan.instruction.reason;
  std::set<std::string> requestors, ns_ids;
  for (const ActuatorStep& s : plan.steps) {
    if (s.kind != Step::kTerminateVnf) continue;
    const VnfRecord* v = TargetRecord(plan, s.target);
    if (v == nullptr) continue;
    n.vnf_ids.push_back(v->id);
    if (!v->requestor_id.empty() && requestors.insert(v->requestor_id).second)
      n.requestor_ids.push_back(v->requestor_id);
    if (!v->ns_id.empty() && ns_ids.insert(v->ns_id).second)
      n.ns_ids.push_back(v->ns_id);
  }
  return n;
}

// Runs one step against the actuator and keeps the inventory in line.
class StepRunner {
 public:
  StepRunner(const InstructionPlan& plan, Actuator& actuator,
             VnfInventory& inventory, QuarantineRegistry& quarantine,
             const BindingTable& bindings, const Clock& clock)
      : plan_(plan),
        actuator_(actuator),
        inventory_(inventory),
        quarantine_(quarantine),
        bindings_(bindings),
        clock_(clock) {}

  // Actuators may be bridges into other runtimes; nothing they throw may
  // cross our API or stop the remaining steps.
  Status Run(const ActuatorStep& step) {
    try {
      return RunUnguarded(step);
    } catch (const std::exception& e) {
      return InternalError(std::string("actuator threw: ") + e.what());
    } catch (...) {
      return InternalError("actuator threw a non-standard exception");
    }
  }

 private:
  StatusOr<const VnfRecord*> Vnf(const ActuatorStep& step) const {
    const VnfRecord* v = TargetRecord(plan_, step.target);
    if (v == nullptr) return InternalError("not a target of the plan");
    return v;
  }

  Status RunUnguarded(const ActuatorStep& step) {
    const Instruction& in = plan_.instruction;
    switch (step.kind) {
      case Step::kNotifyOssBss:
        return actuator_.NotifyOssBss(NoticeFor(plan_));
      case Step::kQuarantineInstanceCopy: {
        NFVSM_ASSIGN_OR_RETURN(const VnfRecord* v, Vnf(step));
        return actuator_.QuarantineInstanceCopy(*v);
      }
      case Step::kEraseInstanceStorage: {
        NFVSM_ASSIGN_OR_RETURN(const VnfRecord* v, Vnf(step));
        return actuator_.EraseInstanceStorage(*v);
      }
      case Step::kTerminateVnf:
        return Terminate(step);
      case Step::kQuarantineImage:
        return actuator_.QuarantineImage(step.target);
      case Step::kQuarantineVnfd:
        return actuator_.QuarantineVnfd(step.target);
      case Step::kQuarantineHost:
        return actuator_.QuarantineHost(step.target, in.reason);
      case Step::kMigrateVnf: {
        // The VIM's scheduler picks the new host; the inventory learns it
        // from the migration's lifecycle notification, not from here.
        NFVSM_ASSIGN_OR_RETURN(const VnfRecord* v, Vnf(step));
        return actuator_.MigrateVnf(*v, in.host);
      }
      case Step::kApplyPolicy: {
        NFVSM_ASSIGN_OR_RETURN(const VnfRecord* v, Vnf(step));
        return actuator_.ApplyPolicy(*v, in.policy);
      }
      case Step::kInsertSecurityFunction:
        return actuator_.InsertSecurityFunction(step.target, in.function);
      case Step::kRemoveSecurityFunction:
        return actuator_.RemoveSecurityFunction(step.target, in.function);
      case Step::kReleaseQuarantine:
        // The cloud side first: if it fails, the entry (and the veto)
        // stays, and a retry finds it again.
        NFVSM_RETURN_IF_ERROR(
            actuator_.ReleaseQuarantine(in.release_target, step.target));
        return quarantine_.Release(in.release_target, step.target, in.sm,
                                   bindings_);
    }
    return InternalError("unknown step kind");
  }

  Status Terminate(const ActuatorStep& step) {
    NFVSM_ASSIGN_OR_RETURN(const VnfRecord* v, Vnf(step));
    NFVSM_RETURN_IF_ERROR(actuator_.TerminateVnf(*v, FlagsFor(plan_, v->id)));
    Status s = inventory_.SetState(v->id, VnfState::kTerminated, clock_.Now());
    if (!s.ok()) {
      return InternalError("terminated, but the inventory update failed: " +
                           s.message());
    }
    return OkStatus();
  }

  const InstructionPlan& plan_;
  Actuator& actuator_;
  VnfInventory& inventory_;
  QuarantineRegistry& quarantine_;
  const BindingTable& bindings_;
  const Clock& clock_;
};

}  // namespace

InstructionOutcome InstructionProcessor::Execute(const InstructionPlan& plan) {
  const Instruction& in = plan.instruction;
  InstructionOutcome out;
  out.instruction_id = in.id;
  // Quarantine before any actuation, so a recovery racing with the
  // termination is already vetoed.
  for (const QuarantineEntry& e : plan.quarantine) {
    if (Status s = quarantine_.Add(e); !s.ok()) {
      out.failed.push_back("quarantine " + std::string(ToString(e.target)) +
                           " " + e.target_id + ": " + s.message());
    }
  }
  StepRunner runner(plan, actuator_, inventory_, quarantine_, bindings_,
                    clock_);
  for (const ActuatorStep& step : plan.steps) {
    std::string label = std::string(ToString(step.kind)) + " " + step.target;
    if (Status s = runner.Run(step); s.ok()) {
      out.done.push_back(std::move(label));
    } else {
      out.failed.push_back(std::move(label) + ": " + s.message());
    }
  }
  if (in.kind == InstructionKind::kStatusQuery) {
    out.status_list = internal::ReadStatusList(inventory_, plan);
  } else if (in.kind == InstructionKind::kHistoryQuery) {
    if (auto h = internal::ReadHistory(history_, bindings_, plan); h.ok()) {
      out.history = std::move(h).value();
    } else {
      out.failed.push_back("history_query: " + h.status().message());
    }
  }
  if (!out.failed.empty()) {
    std::string m = std::to_string(out.failed.size()) + " failed:";
    for (const std::string& f : out.failed) m += " [" + f + "]";
    out.status = UnavailableError(std::move(m));
  }
  return out;
}

}  // namespace nfvsm
