// Authorization of an SM's instruction against its bindings, its mode and
// the SM hierarchy (R2.1.20, R2.1.50, R2.1.90, SEC024 5.2).
#include <algorithm>

#include "instruction/planning.h"

namespace nfvsm::internal {
namespace {

std::string ForVnf(std::string_view vnf) {
  return vnf.empty() ? std::string() : " (vnf '" + std::string(vnf) + "')";
}

}  // namespace

bool ChangesLifecycle(InstructionKind k) {
  return k != InstructionKind::kStatusQuery &&
         k != InstructionKind::kHistoryQuery;
}

Status Authorizer::Check(const Authority& a, std::string_view vnf) const {
  if (ChangesLifecycle(in_.kind) && a.mode == Mode::kPassive) {
    return PermissionDeniedError(
        "SM '" + in_.sm + "' is Passive in domain '" + a.domain + "'" +
        ForVnf(vnf) + ": it may not change any VNF lifecycle (R2.1.20)");
  }
  // A master acting through the hierarchy overrules its sub-SM's binding
  // (R2.1.50), so that binding's list of accepted kinds does not bind it.
  if (!a.via_sub_sm && !a.allowed.Contains(in_.kind)) {
    return PermissionDeniedError(
        "MANO does not accept " + std::string(ToString(in_.kind)) +
        " instructions from SM '" + in_.sm + "' in domain '" + a.domain + "'" +
        ForVnf(vnf) + " (SEC024 5.2)");
  }
  return OkStatus();
}

StatusOr<Authority> Authorizer::Require(const DomainId& domain,
                                        std::string_view vnf) const {
  std::optional<Authority> a = bindings_.AuthorityOver(in_.sm, domain);
  if (!a) {
    return PermissionDeniedError("SM '" + in_.sm +
                                 "' holds no authority over domain '" + domain +
                                 "'" + ForVnf(vnf) + " (R2.1.90)");
  }
  NFVSM_RETURN_IF_ERROR(Check(*a, vnf));
  return *a;
}

std::optional<Authority> Authorizer::Permits(const DomainId& domain) const {
  auto a = Require(domain, "");
  if (!a.ok()) return std::nullopt;
  return std::move(a).value();
}

std::vector<Authority> Authorizer::All() const {
  std::set<DomainId> domains;
  for (const Binding& b : bindings_.BindingsOf(in_.sm)) {
    domains.insert(b.domain);
  }
  // ListSms is the admin view; it is read here only to find the SM's own
  // sub-SMs, and nothing about other SMs leaves this function.
  for (const SecurityManager& other : bindings_.ListSms()) {
    if (other.id == in_.sm || !bindings_.IsMasterOf(in_.sm, other.id)) {
      continue;
    }
    for (const Binding& b : bindings_.BindingsOf(other.id)) {
      domains.insert(b.domain);
    }
  }
  std::vector<Authority> out;
  for (const DomainId& d : domains) {
    if (auto a = Permits(d)) out.push_back(std::move(*a));
  }
  return out;
}

EventKindSet HiddenEventKinds(const BindingTable& bindings, const SmId& sm,
                              const DomainId& domain) {
  if (auto own = bindings.GetBinding(sm, domain)) return own->hidden_events;
  // Start from "everything hidden" and let each sub-SM bound here reveal
  // what it may see: Route() delivers an event to a master whenever one
  // of its sub-SMs receives it.
  EventKindSet hidden = EventKindSet::FromBits(~uint32_t{0});
  for (const Binding& b : bindings.BindingsOn(domain)) {
    if (bindings.IsMasterOf(sm, b.sm)) {
      hidden = EventKindSet::FromBits(hidden.bits() & b.hidden_events.bits());
    }
  }
  return hidden;
}

}  // namespace nfvsm::internal
