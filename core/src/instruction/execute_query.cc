// The query halves of Execute. Both re-check what they return against the
// plan's scope instead of trusting the reader: a store that ignored the
// query's domains must still not leak another domain's VNFs (R2.1.90,
// R2.1.120), and hidden event kinds stay hidden (R2.1.200).
#include <algorithm>
#include <map>
#include <set>

#include "instruction/planning.h"

namespace nfvsm::internal {
namespace {

bool InFilter(const std::vector<VnfId>& filter, const VnfId& id) {
  return filter.empty() ||
         std::find(filter.begin(), filter.end(), id) != filter.end();
}

}  // namespace

std::vector<VnfRecord> ReadStatusList(const VnfInventory& inventory,
                                      const InstructionPlan& plan) {
  const std::vector<VnfId>& filter = plan.instruction.vnf_ids;
  std::vector<VnfRecord> out;
  for (const DomainId& d : plan.domains) {
    for (VnfRecord& v : inventory.InDomain(d)) {
      if (v.domain == d && InFilter(filter, v.id)) out.push_back(std::move(v));
    }
  }
  std::sort(out.begin(), out.end(),
            [](const VnfRecord& a, const VnfRecord& b) { return a.id < b.id; });
  return out;
}

StatusOr<std::vector<LifecycleEvent>> ReadHistory(const HistoryReader& reader,
                                                  const BindingTable& bindings,
                                                  const InstructionPlan& plan) {
  if (!plan.history_query) return InternalError("plan has no history query");
  if (!reader) return UnavailableError("no lifecycle history is available");
  const EventQuery& q = *plan.history_query;
  NFVSM_ASSIGN_OR_RETURN(std::vector<LifecycleEvent> events, reader(q));

  // Hidden kinds as the bindings stand now: a binding changed since the
  // plan was made applies to what is handed out.
  std::map<DomainId, EventKindSet> hidden;
  for (const DomainId& d : plan.domains) {
    hidden[d] = HiddenEventKinds(bindings, plan.instruction.sm, d);
  }
  const std::vector<VnfId>& filter = plan.instruction.vnf_ids;
  std::vector<LifecycleEvent> out;
  for (LifecycleEvent& e : events) {
    auto it = hidden.find(e.domain);
    if (it == hidden.end() || it->second.Contains(e.kind)) continue;
    if (e.occurred_at < q.from || !(e.occurred_at < q.to)) continue;
    if (!InFilter(filter, e.vnf_id)) continue;
    out.push_back(std::move(e));
  }
  return out;
}

}  // namespace nfvsm::internal
