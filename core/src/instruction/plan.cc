// InstructionProcessor::Plan: authentication, the shape checks every
// instruction kind shares, then the planner of its family.
#include <string>
#include <utility>

#include "instruction/planning.h"

namespace nfvsm {
namespace {

// Bounds on free text an SM controls; everything here ends up in audit
// records and the store.
constexpr size_t kMaxIdBytes = 256;
constexpr size_t kMaxReasonBytes = 4096;

bool IsKnownKind(InstructionKind k) {
  return static_cast<size_t>(k) <=
         static_cast<size_t>(InstructionKind::kReleaseQuarantine);
}

Status CheckShape(const Instruction& in) {
  if (!IsKnownKind(in.kind)) {
    return InvalidArgumentError("kind: not a known instruction kind");
  }
  if (in.id.empty()) return InvalidArgumentError("id: must not be empty");
  if (in.id.size() > kMaxIdBytes) {
    return InvalidArgumentError("id: longer than " +
                                std::to_string(kMaxIdBytes) + " bytes");
  }
  if (in.reason.size() > kMaxReasonBytes) {
    return InvalidArgumentError("reason: longer than " +
                                std::to_string(kMaxReasonBytes) + " bytes");
  }
  if (in.vnf_ids.size() > kMaxInstructionTargets) {
    return InvalidArgumentError(
        "vnf_ids: " + std::to_string(in.vnf_ids.size()) + " targets, at most " +
        std::to_string(kMaxInstructionTargets));
  }
  for (size_t i = 0; i < in.vnf_ids.size(); ++i) {
    const VnfId& id = in.vnf_ids[i];
    if (id.empty() || id.size() > kMaxIdBytes) {
      return InvalidArgumentError("vnf_ids[" + std::to_string(i) +
                                  "]: must be 1 to " +
                                  std::to_string(kMaxIdBytes) + " bytes");
    }
  }
  return OkStatus();
}

}  // namespace

InstructionProcessor::InstructionProcessor(const BindingTable& bindings,
                                           VnfInventory& inventory,
                                           QuarantineRegistry& quarantine,
                                           Actuator& actuator,
                                           HistoryReader history,
                                           const Clock& clock)
    : bindings_(bindings),
      inventory_(inventory),
      quarantine_(quarantine),
      actuator_(actuator),
      history_(std::move(history)),
      clock_(clock) {}

StatusOr<InstructionPlan> InstructionProcessor::Plan(
    const Instruction& in) const {
  // Authentication comes first: an unknown sender learns nothing about
  // what a well-formed instruction would look like.
  if (in.sm.empty() || in.sm.size() > kMaxIdBytes || !bindings_.GetSm(in.sm)) {
    return UnauthenticatedError(in.sm.size() > kMaxIdBytes
                                    ? std::string("unknown Security Manager")
                                    : "unknown Security Manager '" + in.sm +
                                          "'");
  }
  NFVSM_RETURN_IF_ERROR(CheckShape(in));
  const internal::PlanContext ctx{bindings_, inventory_, quarantine_, clock_};
  switch (in.kind) {
    case InstructionKind::kTerminate:
      return internal::PlanTerminate(ctx, in);
    case InstructionKind::kStopUsingHost:
      return internal::PlanStopUsingHost(ctx, in);
    case InstructionKind::kApplyPolicy:
      return internal::PlanApplyPolicy(ctx, in);
    case InstructionKind::kInsertSecurityFunction:
    case InstructionKind::kRemoveSecurityFunction:
      return internal::PlanSecurityFunction(ctx, in);
    case InstructionKind::kStatusQuery:
      return internal::PlanStatusQuery(ctx, in);
    case InstructionKind::kHistoryQuery:
      return internal::PlanHistoryQuery(ctx, in);
    case InstructionKind::kReleaseQuarantine:
      return internal::PlanReleaseQuarantine(ctx, in);
  }
  return InvalidArgumentError("kind: not a known instruction kind");
}

}  // namespace nfvsm
