// Planning of the instructions that change how VNFs run rather than end
// them: apply policy (R2.1.310), insert/remove a virtual security function
// (R2.1.340), and release of a quarantine.
#include <string>

#include "instruction/planning.h"

namespace nfvsm::internal {
namespace {

using Step = ActuatorStep::Kind;

}  // namespace

// To the listed VNFs, or to every non-terminated VNF of `domain` (pending
// ones included: they must not activate before their policy is addressed,
// R1.3.160).
StatusOr<InstructionPlan> PlanApplyPolicy(const PlanContext& ctx,
                                          const Instruction& in) {
  if (Status s = ValidatePolicy(in.policy); !s.ok()) {
    return InvalidArgumentError("policy: " + s.message());
  }
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  if (!in.vnf_ids.empty()) {
    for (size_t i = 0; i < in.vnf_ids.size(); ++i) {
      const VnfId& id = in.vnf_ids[i];
      std::optional<VnfRecord> v = ctx.inventory.Get(id);
      if (!v) return NotFoundError("vnf '" + id + "' is not known to MANO");
      NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(v->domain, id));
      // Checked after authorization so a foreign VNF's domain stays unseen.
      if (!in.domain.empty() && v->domain != in.domain) {
        return InvalidArgumentError("vnf_ids[" + std::to_string(i) +
                                    "]: vnf '" + id + "' is not in domain '" +
                                    in.domain + "'");
      }
      if (v->state == VnfState::kTerminated) {
        return FailedPreconditionError("vnf '" + id + "' is terminated");
      }
      b.AddTarget(*v, a);
    }
  } else if (!in.domain.empty()) {
    NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(in.domain, ""));
    b.AddDomain(a);
    for (const VnfRecord& v : ctx.inventory.InDomain(in.domain)) {
      b.AddTarget(v, a);
    }
  } else {
    return InvalidArgumentError(
        "vnf_ids: apply_policy names VNF instances or a domain");
  }
  for (const VnfRecord& v : b.plan().targets) {
    b.AddStep(Step::kApplyPolicy, v.id);
  }
  return std::move(b).Build();
}

// The SM must hold lifecycle authority over every VNF of the network
// service: a VSF sits in the traffic of all of them.
//
// The inventory has no index by NS and no way to list every VNF, so
// members are found domain by domain over the registered domains: a VNF
// whose domain is not registered (the inventory does not forbid it) is not
// seen here.
StatusOr<InstructionPlan> PlanSecurityFunction(const PlanContext& ctx,
                                               const Instruction& in) {
  if (in.ns_id.empty()) return InvalidArgumentError("ns_id: must not be empty");
  if (in.function.vsf_vnfd_id.empty()) {
    return InvalidArgumentError("function.vsf_vnfd_id: must not be empty");
  }
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  bool found = false;
  for (const TrustDomain& d : ctx.bindings.ListDomains()) {
    for (const VnfRecord& v : ctx.inventory.InDomain(d.id)) {
      if (v.ns_id != in.ns_id) continue;
      found = true;
      NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(v.domain, v.id));
      b.AddTarget(v, a);
    }
  }
  if (!found) {
    return NotFoundError("network service '" + in.ns_id +
                         "' has no VNF known to MANO");
  }
  b.AddStep(in.kind == InstructionKind::kInsertSecurityFunction
                ? Step::kInsertSecurityFunction
                : Step::kRemoveSecurityFunction,
            in.ns_id);
  return std::move(b).Build();
}

// Only the SM that quarantined the target or one of its masters may
// release it, and only while it may still change lifecycles in the
// entry's domain (a release lets MANO restart or reuse the target).
StatusOr<InstructionPlan> PlanReleaseQuarantine(const PlanContext& ctx,
                                                const Instruction& in) {
  if (static_cast<size_t>(in.release_target) >
      static_cast<size_t>(QuarantineTarget::kHost)) {
    return InvalidArgumentError("release_target: not a known target kind");
  }
  if (in.release_id.empty()) {
    return InvalidArgumentError("release_id: must not be empty");
  }
  const std::string what =
      std::string(ToString(in.release_target)) + " '" + in.release_id + "'";
  std::optional<QuarantineEntry> e =
      ctx.quarantine.Find(in.release_target, in.release_id);
  if (!e) return NotFoundError(what + " is not quarantined");
  if (e->by_sm != in.sm && !ctx.bindings.IsMasterOf(in.sm, e->by_sm)) {
    return PermissionDeniedError(
        "SM '" + in.sm + "' may not release " + what +
        ": only the quarantining SM or one of its masters may");
  }
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  if (!e->domain.empty()) {
    NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(e->domain, ""));
    b.AddDomain(a);
  } else {
    // An entry without a domain (put there by an operator): any lifecycle
    // authority will do, and gives the audit trail a partition.
    std::vector<Authority> all = auth.All();
    if (all.empty()) {
      return PermissionDeniedError("SM '" + in.sm +
                                   "' holds no authority that allows "
                                   "release_quarantine instructions");
    }
    b.AddDomain(all.front());
  }
  b.AddStep(Step::kReleaseQuarantine, in.release_id);
  return std::move(b).Build();
}

}  // namespace nfvsm::internal
