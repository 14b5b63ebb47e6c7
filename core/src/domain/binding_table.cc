// BindingTable: the entities (domains, SMs, bindings), their validation and
// the referential rules. Hierarchy and routing are in
// binding_table_routing.cc.
#include <algorithm>
#include <mutex>
#include <string>

#include "domain/binding_table_impl.h"
#include "nfvsm/domain_registry.h"

namespace nfvsm {
namespace {

constexpr auto kMaxMode = static_cast<int>(Mode::kFullyActive);
constexpr auto kMaxDomainKind = static_cast<int>(DomainKind::kSecurity);
constexpr auto kMaxFailMode = static_cast<int>(FailMode::kOpen);
constexpr uint32_t kAllEventKindBits =
    EventKindSet{EventKind::kCreate, EventKind::kModify, EventKind::kTerminate,
                 EventKind::kCrash}
        .bits();

std::string Quote(const std::string& s) { return "'" + s + "'"; }

template <typename E>
bool InRange(E v, int max) {
  return static_cast<int>(v) <= max;
}

Status ValidateBinding(const Binding& b) {
  if (b.sm.empty()) return InvalidArgumentError("binding sm is empty");
  if (b.domain.empty()) {
    return InvalidArgumentError("binding of SM " + Quote(b.sm) +
                                " has an empty domain");
  }
  const std::string what =
      "binding of SM " + Quote(b.sm) + " on domain " + Quote(b.domain);
  if (!InRange(b.mode, kMaxMode)) {
    return InvalidArgumentError(what + " has an invalid mode");
  }
  if (!InRange(b.fail_mode, kMaxFailMode)) {
    return InvalidArgumentError(what + " has an invalid fail_mode");
  }
  if ((b.allowed_instructions.bits() & ~AllInstructionKinds().bits()) != 0) {
    return InvalidArgumentError(what +
                                " has unknown kinds in allowed_instructions");
  }
  if ((b.hidden_events.bits() & ~kAllEventKindBits) != 0) {
    return InvalidArgumentError(what + " has unknown kinds in hidden_events");
  }
  // A zero deadline would make every Fully-Active gate deny at once; a
  // negative window is meaningless. Both are configuration mistakes.
  if (b.gate_deadline <= Duration(0)) {
    return InvalidArgumentError(what + " has a non-positive gate_deadline");
  }
  if (b.semi_active_window < Duration(0)) {
    return InvalidArgumentError(what + " has a negative semi_active_window");
  }
  return OkStatus();
}

}  // namespace

const Binding* BindingTable::Impl::FindBinding(const SmId& sm,
                                               const DomainId& domain) const {
  auto entry = domains.find(domain);
  if (entry == domains.end()) return nullptr;
  auto it = entry->second.bindings.find(sm);
  return it == entry->second.bindings.end() ? nullptr : &it->second;
}

const SmId* BindingTable::Impl::MasterOf(const SmId& sm) const {
  auto it = sms.find(sm);
  if (it == sms.end() || !it->second.master) return nullptr;
  return &*it->second.master;
}

BindingTable::BindingTable() : impl_(std::make_unique<Impl>()) {}
BindingTable::~BindingTable() = default;

// ------------------------------------------------------------- domains

Status BindingTable::PutDomain(const TrustDomain& d) {
  if (d.id.empty()) return InvalidArgumentError("trust domain id is empty");
  if (!InRange(d.kind, kMaxDomainKind)) {
    return InvalidArgumentError("trust domain " + Quote(d.id) +
                                " has an invalid kind");
  }
  // `trusts` may name domains that do not exist yet: the store loads
  // domains in no particular order and mutual trust needs both to name each
  // other. A relationship only takes effect once both exist (Trusts()).
  if (d.trusts.contains("")) {
    return InvalidArgumentError("trust domain " + Quote(d.id) +
                                " has an empty entry in trusts");
  }
  std::unique_lock lock(impl_->mu);
  if (d.kind != DomainKind::kSecurity) {
    auto homed = impl_->homed_in.find(d.id);
    if (homed != impl_->homed_in.end() && !homed->second.empty()) {
      return FailedPreconditionError(
          "trust domain " + Quote(d.id) + " is the home domain of SM " +
          Quote(*homed->second.begin()) + " and must stay a security domain");
    }
  }
  // Replacing a domain keeps its bindings, hence its plan.
  impl_->domains[d.id].domain = d;
  return OkStatus();
}

Status BindingTable::RemoveDomain(const DomainId& id) {
  std::unique_lock lock(impl_->mu);
  auto entry = impl_->domains.find(id);
  if (entry == impl_->domains.end()) {
    return NotFoundError("trust domain " + Quote(id) + " not found");
  }
  if (const auto& bound = entry->second.bindings; !bound.empty()) {
    return FailedPreconditionError(
        "trust domain " + Quote(id) +
        " is still referenced by the binding of SM " +
        Quote(bound.begin()->first));
  }
  if (auto homed = impl_->homed_in.find(id);
      homed != impl_->homed_in.end() && !homed->second.empty()) {
    return FailedPreconditionError("trust domain " + Quote(id) +
                                   " is still the home domain of SM " +
                                   Quote(*homed->second.begin()));
  }
  impl_->domains.erase(entry);
  impl_->homed_in.erase(id);
  return OkStatus();
}

std::optional<TrustDomain> BindingTable::GetDomain(const DomainId& id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->domains.find(id);
  if (it == impl_->domains.end()) return std::nullopt;
  return it->second.domain;
}

std::vector<TrustDomain> BindingTable::ListDomains() const {
  std::shared_lock lock(impl_->mu);
  std::vector<TrustDomain> out;
  out.reserve(impl_->domains.size());
  for (const auto& [id, entry] : impl_->domains) out.push_back(entry.domain);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

// Only the direct relationship counts: R1.1.50 says an attack must not
// cross from one domain to another without a trust relationship between
// them, so A->B and B->C must not let A reach C. Unknown domains trust
// nothing and are trusted by nothing (fail closed).
bool BindingTable::Trusts(const DomainId& from, const DomainId& to) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->domains.find(from);
  if (it == impl_->domains.end()) return false;
  if (from == to) return true;
  return it->second.domain.trusts.contains(to) && impl_->domains.contains(to);
}

// ----------------------------------------------------------------- SMs

Status BindingTable::PutSm(const SecurityManager& sm) {
  if (sm.id.empty()) return InvalidArgumentError("SM id is empty");
  const std::string what = "SM " + Quote(sm.id);
  if (sm.master && sm.master->empty()) {
    return InvalidArgumentError(what + " has an empty master");
  }
  if (sm.master && *sm.master == sm.id) {
    return InvalidArgumentError(what + " cannot be its own master");
  }
  std::unique_lock lock(impl_->mu);
  if (sm.master) {
    if (!impl_->sms.contains(*sm.master)) {
      return InvalidArgumentError(what + " names unknown master " +
                                  Quote(*sm.master));
    }
    // The table is acyclic before this change, so walking up from the new
    // master terminates; meeting `sm` on the way means a cycle.
    for (const SmId* up = &*sm.master; up != nullptr;
         up = impl_->MasterOf(*up)) {
      if (*up == sm.id) {
        return InvalidArgumentError(what + " with master " + Quote(*sm.master) +
                                    " would close a master cycle");
      }
    }
  }
  if (!sm.home_domain.empty()) {
    // R1.1.120/130: an SM lives in a dedicated security trust domain.
    auto home = impl_->domains.find(sm.home_domain);
    if (home == impl_->domains.end()) {
      return InvalidArgumentError(what + " names unknown home_domain " +
                                  Quote(sm.home_domain));
    }
    if (home->second.domain.kind != DomainKind::kSecurity) {
      return InvalidArgumentError(what + " has home_domain " +
                                  Quote(sm.home_domain) +
                                  ", which is not a security domain");
    }
  }
  bool master_changed = true;
  if (auto old = impl_->sms.find(sm.id); old != impl_->sms.end()) {
    master_changed = old->second.master != sm.master;
    if (old->second.master) impl_->subs_of[*old->second.master].erase(sm.id);
    if (!old->second.home_domain.empty()) {
      impl_->homed_in[old->second.home_domain].erase(sm.id);
    }
  }
  if (sm.master) impl_->subs_of[*sm.master].insert(sm.id);
  if (!sm.home_domain.empty()) impl_->homed_in[sm.home_domain].insert(sm.id);
  impl_->sms.insert_or_assign(sm.id, sm);
  if (master_changed) impl_->ReplanSubtree(sm.id);
  return OkStatus();
}

Status BindingTable::RemoveSm(const SmId& id) {
  std::unique_lock lock(impl_->mu);
  auto it = impl_->sms.find(id);
  if (it == impl_->sms.end()) {
    return NotFoundError("SM " + Quote(id) + " not found");
  }
  if (auto bound = impl_->domains_of.find(id);
      bound != impl_->domains_of.end() && !bound->second.empty()) {
    return FailedPreconditionError("SM " + Quote(id) +
                                   " is still referenced by its binding on "
                                   "domain " +
                                   Quote(*bound->second.begin()));
  }
  if (auto subs = impl_->subs_of.find(id);
      subs != impl_->subs_of.end() && !subs->second.empty()) {
    return FailedPreconditionError("SM " + Quote(id) +
                                   " is still the master of sub-SM " +
                                   Quote(*subs->second.begin()));
  }
  if (it->second.master) impl_->subs_of[*it->second.master].erase(id);
  if (!it->second.home_domain.empty()) {
    impl_->homed_in[it->second.home_domain].erase(id);
  }
  impl_->subs_of.erase(id);
  impl_->domains_of.erase(id);
  impl_->sms.erase(it);
  return OkStatus();
}

std::optional<SecurityManager> BindingTable::GetSm(const SmId& id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->sms.find(id);
  if (it == impl_->sms.end()) return std::nullopt;
  return it->second;
}

std::vector<SecurityManager> BindingTable::ListSms() const {
  std::shared_lock lock(impl_->mu);
  std::vector<SecurityManager> out;
  out.reserve(impl_->sms.size());
  for (const auto& [id, sm] : impl_->sms) out.push_back(sm);
  std::sort(out.begin(), out.end(),
            [](const auto& a, const auto& b) { return a.id < b.id; });
  return out;
}

// ------------------------------------------------------------ bindings

Status BindingTable::PutBinding(const Binding& b) {
  NFVSM_RETURN_IF_ERROR(ValidateBinding(b));
  std::unique_lock lock(impl_->mu);
  if (!impl_->sms.contains(b.sm)) {
    return InvalidArgumentError("binding names unknown SM " + Quote(b.sm));
  }
  auto entry = impl_->domains.find(b.domain);
  if (entry == impl_->domains.end()) {
    return InvalidArgumentError("binding of SM " + Quote(b.sm) +
                                " names unknown domain " + Quote(b.domain));
  }
  entry->second.bindings.insert_or_assign(b.sm, b);
  impl_->domains_of[b.sm].insert(b.domain);
  impl_->Replan(entry->second);
  return OkStatus();
}

Status BindingTable::RemoveBinding(const SmId& sm, const DomainId& domain) {
  std::unique_lock lock(impl_->mu);
  auto entry = impl_->domains.find(domain);
  if (entry == impl_->domains.end() || entry->second.bindings.erase(sm) == 0) {
    return NotFoundError("no binding of SM " + Quote(sm) + " on domain " +
                         Quote(domain));
  }
  impl_->Replan(entry->second);
  if (auto bound = impl_->domains_of.find(sm);
      bound != impl_->domains_of.end()) {
    bound->second.erase(domain);
    if (bound->second.empty()) impl_->domains_of.erase(bound);
  }
  return OkStatus();
}

std::optional<Binding> BindingTable::GetBinding(const SmId& sm,
                                                const DomainId& domain) const {
  std::shared_lock lock(impl_->mu);
  const Binding* b = impl_->FindBinding(sm, domain);
  if (b == nullptr) return std::nullopt;
  return *b;
}

std::vector<Binding> BindingTable::BindingsOf(const SmId& sm) const {
  std::shared_lock lock(impl_->mu);
  std::vector<Binding> out;
  auto bound = impl_->domains_of.find(sm);
  if (bound == impl_->domains_of.end()) return out;
  out.reserve(bound->second.size());
  for (const DomainId& domain : bound->second) {
    if (const Binding* b = impl_->FindBinding(sm, domain)) out.push_back(*b);
  }
  return out;
}

std::vector<Binding> BindingTable::BindingsOn(const DomainId& domain) const {
  std::shared_lock lock(impl_->mu);
  std::vector<Binding> out;
  auto entry = impl_->domains.find(domain);
  if (entry == impl_->domains.end()) return out;
  out.reserve(entry->second.bindings.size());
  for (const auto& [sm, b] : entry->second.bindings) out.push_back(b);
  return out;
}

}  // namespace nfvsm
