// Planning of the queries every mode may send, Passive included: the status
// list (R2.1.350, IFA026 clause 4 recovery of a failed SM) and the
// lifecycle history (R2.1.360). A plan fixes the query's scope, the domains
// where the SM holds authority; Execute reads within it and nowhere else.
#include <string>

#include "instruction/planning.h"

namespace nfvsm::internal {
namespace {

// The domains a query covers: `in.domain` alone when given (authority
// required), else every domain the SM holds authority over. Never empty:
// an empty scope would read as "every domain" to the store.
Status AddScope(const Authorizer& auth, const Instruction& in, PlanBuilder& b) {
  if (!in.domain.empty()) {
    NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(in.domain, ""));
    b.AddDomain(a);
    return OkStatus();
  }
  std::vector<Authority> all = auth.All();
  if (all.empty()) {
    return PermissionDeniedError("SM '" + in.sm +
                                 "' holds no authority over any domain that "
                                 "allows " +
                                 std::string(ToString(in.kind)) +
                                 " instructions (R2.1.90)");
  }
  for (const Authority& a : all) b.AddDomain(a);
  return OkStatus();
}

// A VNF filter may only name VNFs the SM has authority over (R2.1.90).
Status CheckVnfFilter(const PlanContext& ctx, const Authorizer& auth,
                      const Instruction& in) {
  for (const VnfId& id : in.vnf_ids) {
    std::optional<DomainId> domain = ctx.inventory.DomainOf(id);
    if (!domain) return NotFoundError("vnf '" + id + "' is not known to MANO");
    NFVSM_RETURN_IF_ERROR(auth.Require(*domain, id).status());
  }
  return OkStatus();
}

}  // namespace

StatusOr<InstructionPlan> PlanStatusQuery(const PlanContext& ctx,
                                          const Instruction& in) {
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  NFVSM_RETURN_IF_ERROR(CheckVnfFilter(ctx, auth, in));
  NFVSM_RETURN_IF_ERROR(AddScope(auth, in, b));
  return std::move(b).Build();
}

StatusOr<InstructionPlan> PlanHistoryQuery(const PlanContext& ctx,
                                           const Instruction& in) {
  if (!(in.from < in.to)) {
    return InvalidArgumentError("from: must be before to ([from, to))");
  }
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  NFVSM_RETURN_IF_ERROR(CheckVnfFilter(ctx, auth, in));
  NFVSM_RETURN_IF_ERROR(AddScope(auth, in, b));
  EventQuery q;
  q.domains.insert(b.plan().domains.begin(), b.plan().domains.end());
  if (in.vnf_ids.size() == 1) q.vnf_id = in.vnf_ids.front();
  q.from = in.from;
  q.to = in.to;
  b.SetHistoryQuery(std::move(q));
  return std::move(b).Build();
}

}  // namespace nfvsm::internal
