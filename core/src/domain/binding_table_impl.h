// Internal state of BindingTable, shared by binding_table.cc (entities and
// their validation) and binding_table_routing.cc (hierarchy, plans, Route,
// AuthorityOver). Not part of the public API.
//
// Route and AuthorityOver run for every event and every instruction, while
// domains, SMs and bindings change only by operator action. So each domain
// keeps a plan, derived from its bindings and the SM hierarchy, that answers
// both with one hash lookup; every write that can change a plan rebuilds the
// plans it affects (Replan*). All of this is guarded by `mu`.
#ifndef NFVSM_DOMAIN_BINDING_TABLE_IMPL_H_
#define NFVSM_DOMAIN_BINDING_TABLE_IMPL_H_

#include <array>
#include <map>
#include <set>
#include <shared_mutex>
#include <unordered_map>
#include <utility>
#include <vector>

#include "nfvsm/domain_registry.h"
#include "nfvsm/types.h"

namespace nfvsm {
namespace internal {

inline constexpr size_t kEventKindCount =
    static_cast<size_t>(EventKind::kCrash) + 1;

struct DomainEntry {
  TrustDomain domain;
  // Bindings on this domain, by SM id (hence Route's sorted order).
  std::map<SmId, Binding> bindings;
  // ---- the plan: derived, never edited directly (see Replan).
  // Route(domain, kind), ready to copy.
  std::array<std::vector<Delivery>, kEventKindCount> routes;
  // Masters with no binding here that hold authority through a bound sub-SM
  // (R2.1.50): (master, the bound sub-SM with the smallest id), by master.
  std::vector<std::pair<SmId, SmId>> masters;
};

}  // namespace internal

struct BindingTable::Impl {
  using DomainEntry = internal::DomainEntry;

  mutable std::shared_mutex mu;

  std::unordered_map<DomainId, DomainEntry> domains;
  std::unordered_map<SmId, SecurityManager> sms;
  // sm -> the domains it is bound in (BindingsOf, RemoveSm, replanning).
  std::unordered_map<SmId, std::set<DomainId>> domains_of;
  // master -> its direct sub-SMs (RemoveSm refusal, replanning).
  std::unordered_map<SmId, std::set<SmId>> subs_of;
  // security domain -> SMs whose home it is (RemoveDomain refusal).
  std::unordered_map<DomainId, std::set<SmId>> homed_in;

  // The binding of `sm` on `domain`, or nullptr.
  const Binding* FindBinding(const SmId& sm, const DomainId& domain) const;
  // The master of `sm`, or nullptr if it has none or is unknown.
  const SmId* MasterOf(const SmId& sm) const;
  // Rebuilds one domain's plan from its bindings and the hierarchy.
  void Replan(DomainEntry& entry) const;
  // Rebuilds the plan of every domain where `sm` or one of its (transitive)
  // sub-SMs is bound: the ones a change of `sm`'s master can affect.
  void ReplanSubtree(const SmId& sm);
};

}  // namespace nfvsm

#endif  // NFVSM_DOMAIN_BINDING_TABLE_IMPL_H_
