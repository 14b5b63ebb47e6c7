// BindingTable: trust domains, Security Managers, their bindings and
// hierarchy; event routing and the authority an SM holds over a domain.
//
// Thread safety: all methods are safe to call concurrently (readers share a
// lock; writers are exclusive). Returned values are copies.
//
// Failures: kNotFound for unknown ids; kAlreadyExists never (Put* replace);
// kInvalidArgument for empty ids, a binding naming an unknown SM or domain,
// an SM whose master is unknown or that would close a master cycle;
// kFailedPrecondition when removing a domain or SM still referenced by a
// binding or by a sub-SM.
//
// Visibility (R2.1.120): nothing here lists one SM's bindings to another;
// BindingsOf(sm) is an SM's own view, and Route never reveals which other
// SMs receive an event.
#ifndef NFVSM_DOMAIN_REGISTRY_H_
#define NFVSM_DOMAIN_REGISTRY_H_

#include <memory>
#include <optional>
#include <vector>

#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

// One SM that must receive an event (R2.1.80).
struct Delivery {
  SmId sm;
  Mode mode = Mode::kPassive;  // of its binding; kPassive if via_master only
  bool via_master = false;     // receives it as master of a bound SM
  friend bool operator==(const Delivery&, const Delivery&) = default;
};

// What an SM may do in a domain (R2.1.90, R2.1.50).
struct Authority {
  SmId sm;
  DomainId domain;
  Mode mode = Mode::kPassive;
  InstructionKindSet allowed;
  // Set when the authority comes from being a master of an SM bound there
  // (R2.1.50): the bound sub-SM's id. A master acts as Fully-Active.
  std::optional<SmId> via_sub_sm;
};

class BindingTable {
 public:
  BindingTable();
  ~BindingTable();
  BindingTable(const BindingTable&) = delete;
  BindingTable& operator=(const BindingTable&) = delete;

  Status PutDomain(const TrustDomain& d);
  Status RemoveDomain(const DomainId& id);
  std::optional<TrustDomain> GetDomain(const DomainId& id) const;
  std::vector<TrustDomain> ListDomains() const;
  // True if a trust relationship lets `from` reach `to` (R1.1.40/50);
  // a domain always trusts itself.
  bool Trusts(const DomainId& from, const DomainId& to) const;

  Status PutSm(const SecurityManager& sm);
  Status RemoveSm(const SmId& id);
  std::optional<SecurityManager> GetSm(const SmId& id) const;
  std::vector<SecurityManager> ListSms() const;  // admin view only

  // One binding per (SM, domain); putting again replaces it (R2.1.130/140).
  Status PutBinding(const Binding& b);
  Status RemoveBinding(const SmId& sm, const DomainId& domain);
  std::optional<Binding> GetBinding(const SmId& sm,
                                    const DomainId& domain) const;
  std::vector<Binding> BindingsOf(const SmId& sm) const;
  std::vector<Binding> BindingsOn(const DomainId& domain) const;

  // True if `master` is `sm`'s master, directly or transitively.
  bool IsMasterOf(const SmId& master, const SmId& sm) const;
  // `sm`'s masters, nearest first.
  std::vector<SmId> MastersOf(const SmId& sm) const;

  // The SMs that must receive an event of `kind` in `domain`: every SM bound
  // there whose binding does not hide `kind` (R2.1.80, R2.1.200), plus the
  // masters of those SMs (R2.1.50). Each SM at most once; an SM bound
  // directly is reported with its own mode even if also a master. Cost is
  // proportional to the bindings on the domain, not to the table size.
  std::vector<Delivery> Route(const DomainId& domain, EventKind kind) const;

  // The authority `sm` holds over `domain`: its own binding, else mastery of
  // an SM bound there. nullopt if neither (R2.1.90).
  std::optional<Authority> AuthorityOver(const SmId& sm,
                                         const DomainId& domain) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm

#endif  // NFVSM_DOMAIN_REGISTRY_H_
