// Security policy: the format nfvsm defines where IFA026 leaves it open
// (IFA026 NOTE 2), its validation, and how policies from several SMs and
// from the VNFD combine (SEC024 5.2, R2.1.30, R2.1.40, R2.1.310).
//
// Thread safety: value types and pure functions; no shared state.
//
// Wire form: JSON, `{"version": 1, ...}` (see docs/policy.md). Parsing
// rejects unknown fields, wrong types and out-of-range values with
// kInvalidArgument naming the offending field by its JSON path
// ("placement.allowed_zones[2]"), and inputs larger than the given limit
// with kResourceExhausted. It never throws.
#ifndef NFVSM_POLICY_H_
#define NFVSM_POLICY_H_

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"

namespace nfvsm {

inline constexpr int kPolicyFormatVersion = 1;
inline constexpr size_t kDefaultMaxPolicyBytes = 64 * 1024;

// What an enforcement point does with running instances when a policy is
// updated (SEC024 6.2.2). Ordered from least to most disruptive.
enum class EnforcementBehaviour : uint8_t {
  kContinueUntilNextTrigger,
  kExitGracefully,
  kAbandonImmediately,
  kBlockAllTraffic,
};
std::string_view ToString(EnforcementBehaviour b);
StatusOr<EnforcementBehaviour> ParseEnforcementBehaviour(std::string_view s);

struct PlacementPolicy {
  std::set<std::string> allowed_zones;  // empty: no constraint
  std::set<std::string> denied_hosts;
  bool hmee_required = false;
  std::string anti_affinity_group;  // empty: none
  friend bool operator==(const PlacementPolicy&,
                         const PlacementPolicy&) = default;
};

struct SecurityGroupRule {
  std::string direction = "ingress";  // ingress | egress
  std::string protocol = "tcp";       // tcp | udp | icmp | any
  uint16_t port_min = 0;              // 0..65535, port_min <= port_max
  uint16_t port_max = 0;
  std::string remote_cidr = "0.0.0.0/0";
  friend bool operator==(const SecurityGroupRule&,
                         const SecurityGroupRule&) = default;
};

// A virtual security function to insert between two VNFs or VNFCs
// (R2.1.340).
struct SecurityFunctionSpec {
  std::string vsf_vnfd_id;
  std::string after;   // VNF or VNFC id upstream of the VSF
  std::string before;  // VNF or VNFC id downstream of the VSF
  friend bool operator==(const SecurityFunctionSpec&,
                         const SecurityFunctionSpec&) = default;
};

struct NetworkPolicy {
  std::vector<SecurityGroupRule> security_group_rules;
  std::vector<SecurityFunctionSpec> insert_functions;
  friend bool operator==(const NetworkPolicy&, const NetworkPolicy&) = default;
};

// Boot-time requirements, enforced by the VBS (SEC024 6.1).
struct BootPolicy {
  bool vbs_required = false;
  // Empty whitelist: no constraint of that kind.
  std::set<std::string> vnf_whitelist;
  std::set<std::string> vnfd_whitelist;
  std::set<std::string> image_whitelist;
  std::set<std::string> vnfm_whitelist;
  std::set<std::string> em_whitelist;
  friend bool operator==(const BootPolicy&, const BootPolicy&) = default;
};

struct Policy {
  int version = kPolicyFormatVersion;
  std::string id;  // optional label chosen by the SM
  PlacementPolicy placement;
  NetworkPolicy network;
  BootPolicy boot;
  EnforcementBehaviour on_update =
      EnforcementBehaviour::kContinueUntilNextTrigger;
  friend bool operator==(const Policy&, const Policy&) = default;
};

// Parses and validates. See the file comment for errors.
StatusOr<Policy> ParsePolicyJson(std::string_view json,
                                 size_t max_bytes = kDefaultMaxPolicyBytes);
// Canonical JSON (sorted keys, no insignificant whitespace); parses back to
// an equal Policy.
std::string PolicyToJson(const Policy& p);
// Field-level validation (also run by ParsePolicyJson).
Status ValidatePolicy(const Policy& p);

// Combines policies from several SMs, given in precedence order (a master
// before its sub-SMs, then the rest). Each later policy can only restrict
// what the earlier ones allow: zones intersect, denied hosts and rules
// add up, flags OR, whitelists intersect, the most disruptive enforcement
// behaviour wins. Where restricting would leave no zone (or no whitelist
// entry) at all, the earlier, higher-precedence policy stands: a master
// overrules its sub-SMs (R2.1.50).
Policy MergePolicies(const std::vector<Policy>& in_precedence_order);

// The policy in force for an operation. `mano` holds what MANO itself would
// apply (from the VNFD and placement request). A Fully-Active SM's policy
// supersedes it field by field where the SM set the field (SEC024 5.2,
// R2.1.40); a Semi-Active SM's policy only restricts it (R2.1.30).
Policy Supersede(const Policy& mano, const Policy& sm_policy);
Policy Restrict(const Policy& mano, const Policy& sm_policy);

}  // namespace nfvsm

#endif  // NFVSM_POLICY_H_
