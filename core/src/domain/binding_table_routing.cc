// BindingTable: SM hierarchy, the per-domain plans, event routing and
// authority. Route and AuthorityOver read one domain's plan: one hash lookup
// and a copy of that domain's answer, whatever the size of the table.
// Building a plan costs the bindings of that domain times the hierarchy
// depth; a write rebuilds only the plans it can change.
#include <algorithm>
#include <mutex>
#include <vector>

#include "domain/binding_table_impl.h"
#include "nfvsm/domain_registry.h"

namespace nfvsm {

using internal::DomainEntry;
using internal::kEventKindCount;

bool BindingTable::IsMasterOf(const SmId& master, const SmId& sm) const {
  std::shared_lock lock(impl_->mu);
  for (const SmId* up = impl_->MasterOf(sm); up != nullptr;
       up = impl_->MasterOf(*up)) {
    if (*up == master) return true;
  }
  return false;
}

std::vector<SmId> BindingTable::MastersOf(const SmId& sm) const {
  std::shared_lock lock(impl_->mu);
  std::vector<SmId> out;
  for (const SmId* up = impl_->MasterOf(sm); up != nullptr;
       up = impl_->MasterOf(*up)) {
    out.push_back(*up);
  }
  return out;
}

// A master that is itself bound on the domain is never added "via master":
// either its own binding delivers the event (with its own mode), or its own
// binding hides this kind, and then it does not get the event at all, even
// when a sub-SM bound there does. A hide is the operator's most specific
// statement about one SM in one domain, and R2.1.200 exists to keep
// sensitive functions' events from chosen SMs; letting a hierarchy edge undo
// it would leak exactly what was hidden. Its own masters still receive the
// event through the sub-SM (the walk continues past it).
//
// Authority follows the same rule: an SM's own binding wins over mastery,
// even when weaker (e.g. a Passive binding of a master whose sub-SM is
// Fully-Active there), because the binding is the operator's explicit grant
// for that SM in that domain. Mastery grants authority only where the
// master has no binding of its own (R2.1.50); among several bound sub-SMs
// the one with the smallest id is named, so the answer is deterministic.
void BindingTable::Impl::Replan(DomainEntry& entry) const {
  const auto& bound = entry.bindings;
  for (size_t k = 0; k < kEventKindCount; ++k) {
    const auto kind = static_cast<EventKind>(k);
    std::vector<Delivery>& out = entry.routes[k];
    out.clear();
    for (const auto& [sm, b] : bound) {
      if (!b.hidden_events.Contains(kind)) {
        out.push_back(Delivery{sm, b.mode, /*via_master=*/false});
      }
    }
    const size_t direct = out.size();
    for (size_t i = 0; i < direct; ++i) {
      for (const SmId* up = MasterOf(out[i].sm); up != nullptr;
           up = MasterOf(*up)) {
        if (bound.contains(*up)) continue;
        out.push_back(Delivery{*up, Mode::kPassive, /*via_master=*/true});
      }
    }
    // Direct deliveries are already unique and sorted; only masters reached
    // through several sub-SMs repeat.
    std::sort(out.begin(), out.end(),
              [](const Delivery& a, const Delivery& b) { return a.sm < b.sm; });
    out.erase(std::unique(out.begin(), out.end(),
                          [](const Delivery& a, const Delivery& b) {
                            return a.sm == b.sm;
                          }),
              out.end());
    out.shrink_to_fit();
  }
  std::map<SmId, SmId> masters;
  for (const auto& [sub, b] : bound) {  // in id order: the first sub wins
    for (const SmId* up = MasterOf(sub); up != nullptr; up = MasterOf(*up)) {
      if (!bound.contains(*up)) masters.emplace(*up, sub);
    }
  }
  entry.masters.assign(masters.begin(), masters.end());
}

void BindingTable::Impl::ReplanSubtree(const SmId& sm) {
  std::set<DomainId> affected;
  std::vector<SmId> pending = {sm};  // the hierarchy is acyclic (PutSm)
  while (!pending.empty()) {
    const SmId next = std::move(pending.back());
    pending.pop_back();
    if (auto bound = domains_of.find(next); bound != domains_of.end()) {
      affected.insert(bound->second.begin(), bound->second.end());
    }
    if (auto subs = subs_of.find(next); subs != subs_of.end()) {
      pending.insert(pending.end(), subs->second.begin(), subs->second.end());
    }
  }
  for (const DomainId& d : affected) {
    if (auto entry = domains.find(d); entry != domains.end()) {
      Replan(entry->second);
    }
  }
}

std::vector<Delivery> BindingTable::Route(const DomainId& domain,
                                          EventKind kind) const {
  const auto k = static_cast<size_t>(kind);
  if (k >= kEventKindCount) return {};
  std::shared_lock lock(impl_->mu);
  auto entry = impl_->domains.find(domain);
  if (entry == impl_->domains.end()) return {};
  return entry->second.routes[k];
}

std::optional<Authority> BindingTable::AuthorityOver(
    const SmId& sm, const DomainId& domain) const {
  std::shared_lock lock(impl_->mu);
  if (!impl_->sms.contains(sm)) return std::nullopt;
  auto entry = impl_->domains.find(domain);
  if (entry == impl_->domains.end()) return std::nullopt;
  const DomainEntry& e = entry->second;
  if (auto own = e.bindings.find(sm); own != e.bindings.end()) {
    return Authority{sm, domain, own->second.mode,
                     own->second.allowed_instructions, std::nullopt};
  }
  auto it = std::lower_bound(e.masters.begin(), e.masters.end(), sm,
                             [](const std::pair<SmId, SmId>& m,
                                const SmId& id) { return m.first < id; });
  if (it == e.masters.end() || it->first != sm) return std::nullopt;
  return Authority{sm, domain, Mode::kFullyActive, AllInstructionKinds(),
                   it->second};
}

}  // namespace nfvsm
