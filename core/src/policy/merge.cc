// How policies combine: MergePolicies, Supersede, Restrict. The rules are
// written out, with an example, in docs/policy.md.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "nfvsm/policy.h"

namespace nfvsm {
namespace {

// An empty set means "no constraint", so narrowing an empty set adopts the
// other one. A narrowing that would leave nothing cannot be expressed (it
// would read as "no constraint", the opposite of what was asked); the
// higher-precedence set then stands, which is how a master overrules its
// sub-SMs (R2.1.50).
void Narrow(std::set<std::string>& kept, const std::set<std::string>& other) {
  if (other.empty()) return;
  if (kept.empty()) {
    kept = other;
    return;
  }
  std::set<std::string> both;
  std::set_intersection(kept.begin(), kept.end(), other.begin(), other.end(),
                        std::inserter(both, both.end()));
  if (!both.empty()) kept = std::move(both);
}

template <typename T>
void AppendMissing(std::vector<T>& kept, const std::vector<T>& other) {
  for (const auto& item : other) {
    if (std::find(kept.begin(), kept.end(), item) == kept.end()) {
      kept.push_back(item);
    }
  }
}

void FillIfEmpty(std::string& kept, const std::string& other) {
  if (kept.empty()) kept = other;
}

// Folds `later` (lower precedence) into `acc`: `later` may only restrict.
void RestrictInto(Policy& acc, const Policy& later) {
  FillIfEmpty(acc.id, later.id);

  Narrow(acc.placement.allowed_zones, later.placement.allowed_zones);
  acc.placement.denied_hosts.insert(later.placement.denied_hosts.begin(),
                                    later.placement.denied_hosts.end());
  acc.placement.hmee_required |= later.placement.hmee_required;
  FillIfEmpty(acc.placement.anti_affinity_group,
              later.placement.anti_affinity_group);

  AppendMissing(acc.network.security_group_rules,
                later.network.security_group_rules);
  AppendMissing(acc.network.insert_functions, later.network.insert_functions);

  acc.boot.vbs_required |= later.boot.vbs_required;
  Narrow(acc.boot.vnf_whitelist, later.boot.vnf_whitelist);
  Narrow(acc.boot.vnfd_whitelist, later.boot.vnfd_whitelist);
  Narrow(acc.boot.image_whitelist, later.boot.image_whitelist);
  Narrow(acc.boot.vnfm_whitelist, later.boot.vnfm_whitelist);
  Narrow(acc.boot.em_whitelist, later.boot.em_whitelist);

  // Enumerators are declared from least to most disruptive.
  acc.on_update = std::max(acc.on_update, later.on_update);
}

template <typename T>
void ReplaceIfSet(T& kept, const T& sm) {
  if (!sm.empty()) kept = sm;
}

}  // namespace

Policy MergePolicies(const std::vector<Policy>& in_precedence_order) {
  if (in_precedence_order.empty()) return Policy{};
  Policy merged = in_precedence_order.front();
  for (size_t i = 1; i < in_precedence_order.size(); ++i) {
    RestrictInto(merged, in_precedence_order[i]);
  }
  merged.version = kPolicyFormatVersion;
  return merged;
}

Policy Supersede(const Policy& mano, const Policy& sm_policy) {
  // A field counts as "set" when it differs from its default: the struct
  // cannot tell an explicit `false` or `[]` from an absent one, so an SM
  // turns requirements on and replaces lists, but never clears one.
  Policy out = mano;
  ReplaceIfSet(out.id, sm_policy.id);
  ReplaceIfSet(out.placement.allowed_zones, sm_policy.placement.allowed_zones);
  ReplaceIfSet(out.placement.denied_hosts, sm_policy.placement.denied_hosts);
  out.placement.hmee_required |= sm_policy.placement.hmee_required;
  ReplaceIfSet(out.placement.anti_affinity_group,
               sm_policy.placement.anti_affinity_group);
  ReplaceIfSet(out.network.security_group_rules,
               sm_policy.network.security_group_rules);
  ReplaceIfSet(out.network.insert_functions,
               sm_policy.network.insert_functions);
  out.boot.vbs_required |= sm_policy.boot.vbs_required;
  ReplaceIfSet(out.boot.vnf_whitelist, sm_policy.boot.vnf_whitelist);
  ReplaceIfSet(out.boot.vnfd_whitelist, sm_policy.boot.vnfd_whitelist);
  ReplaceIfSet(out.boot.image_whitelist, sm_policy.boot.image_whitelist);
  ReplaceIfSet(out.boot.vnfm_whitelist, sm_policy.boot.vnfm_whitelist);
  ReplaceIfSet(out.boot.em_whitelist, sm_policy.boot.em_whitelist);
  if (sm_policy.on_update != EnforcementBehaviour::kContinueUntilNextTrigger) {
    out.on_update = sm_policy.on_update;
  }
  out.version = kPolicyFormatVersion;
  return out;
}

Policy Restrict(const Policy& mano, const Policy& sm_policy) {
  return MergePolicies({mano, sm_policy});
}

}  // namespace nfvsm
