// Element-level checks shared by the JSON reader (json_codec.cc), which
// reports the offending element by its index in the document, and by
// ValidatePolicy (validate.cc), which sees the deduplicated struct. Both
// must reject exactly the same values, so the rules live here once.
#ifndef NFVSM_SRC_POLICY_CHECKS_H_
#define NFVSM_SRC_POLICY_CHECKS_H_

#include <cstddef>
#include <set>
#include <string>
#include <string_view>

#include "nfvsm/policy.h"
#include "nfvsm/status.h"

namespace nfvsm::policy_internal {

inline constexpr size_t kMaxTextBytes = 255;
inline constexpr size_t kMaxListEntries = 1024;
// The schema nests four levels deep; anything much deeper is an attack on
// the parser, not a policy.
inline constexpr int kMaxJsonDepth = 16;

// "placement.allowed_zones" + 2 -> "placement.allowed_zones[2]".
std::string Indexed(std::string_view path, size_t index);
// "network" + "security_group_rules" -> "network.security_group_rules".
std::string Member(std::string_view path, std::string_view key);

enum class Emptiness { kAllowed, kRejected };

// A label or identifier: at most kMaxTextBytes of valid UTF-8 without
// control characters (they would let a policy forge lines in logs).
Status CheckText(const std::string& path, std::string_view value,
                 Emptiness emptiness);
Status CheckListSize(const std::string& path, size_t size);
// "address/prefix", IPv4 or IPv6, prefix within the family's range.
Status CheckCidr(const std::string& path, std::string_view cidr);
Status CheckRule(const std::string& path, const SecurityGroupRule& rule);
Status CheckFunction(const std::string& path, const SecurityFunctionSpec& f);
Status CheckVersion(int version);
Status CheckNameSet(const std::string& path,
                    const std::set<std::string>& names);

}  // namespace nfvsm::policy_internal

#endif  // NFVSM_SRC_POLICY_CHECKS_H_
