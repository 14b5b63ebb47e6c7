// Value rules of the policy format and ValidatePolicy.
#include <arpa/inet.h>
#include <netinet/in.h>

#include <array>
#include <charconv>
#include <nlohmann/json.hpp>
#include <string>

#include "nfvsm/policy.h"
#include "policy/checks.h"

namespace nfvsm {
namespace policy_internal {
namespace {

constexpr std::array<std::string_view, 4> kBehaviourNames = {
    "continue_until_next_trigger", "exit_gracefully", "abandon_immediately",
    "block_all_traffic"};
constexpr std::array<std::string_view, 2> kDirections = {"ingress", "egress"};
constexpr std::array<std::string_view, 4> kProtocols = {"tcp", "udp", "icmp",
                                                        "any"};

template <size_t N>
bool OneOf(const std::array<std::string_view, N>& names, std::string_view s) {
  for (auto n : names) {
    if (n == s) return true;
  }
  return false;
}

template <size_t N>
std::string Listed(const std::array<std::string_view, N>& names) {
  std::string out;
  for (auto n : names) {
    if (!out.empty()) out += ", ";
    out += n;
  }
  return out;
}

bool IsValidUtf8(std::string_view s) {
  // nlohmann's serializer rejects malformed UTF-8 (type_error 316); using it
  // keeps the policy module's notion of "text" identical to what
  // PolicyToJson can emit.
  try {
    (void)nlohmann::json(std::string(s)).dump();
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  }
}

Status CheckPrefix(const std::string& path, std::string_view digits,
                   int max_prefix) {
  int prefix = -1;
  const char* end = digits.data() + digits.size();
  auto [ptr, ec] = std::from_chars(digits.data(), end, prefix);
  if (digits.empty() || digits.size() > 3 || ec != std::errc() || ptr != end ||
      prefix < 0 || prefix > max_prefix) {
    return InvalidArgumentError(path + ": prefix length must be 0.." +
                                std::to_string(max_prefix));
  }
  return OkStatus();
}

}  // namespace

std::string Indexed(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

std::string Member(std::string_view path, std::string_view key) {
  if (path.empty()) return std::string(key);
  return std::string(path) + "." + std::string(key);
}

Status CheckText(const std::string& path, std::string_view value,
                 Emptiness emptiness) {
  if (value.empty() && emptiness == Emptiness::kRejected) {
    return InvalidArgumentError(path + ": expected a non-empty string");
  }
  if (value.size() > kMaxTextBytes) {
    return InvalidArgumentError(path + ": " + std::to_string(value.size()) +
                                " bytes is longer than the limit of " +
                                std::to_string(kMaxTextBytes));
  }
  for (unsigned char c : value) {
    if (c < 0x20 || c == 0x7f) {
      return InvalidArgumentError(path + ": contains a control character");
    }
  }
  if (!IsValidUtf8(value)) {
    return InvalidArgumentError(path + ": is not valid UTF-8");
  }
  return OkStatus();
}

Status CheckListSize(const std::string& path, size_t size) {
  if (size > kMaxListEntries) {
    return InvalidArgumentError(path + ": " + std::to_string(size) +
                                " entries is more than the limit of " +
                                std::to_string(kMaxListEntries));
  }
  return OkStatus();
}

Status CheckCidr(const std::string& path, std::string_view cidr) {
  NFVSM_RETURN_IF_ERROR(CheckText(path, cidr, Emptiness::kRejected));
  size_t slash = cidr.find('/');
  if (slash == std::string_view::npos) {
    return InvalidArgumentError(path + ": expected a CIDR such as 10.0.0.0/8");
  }
  std::string address(cidr.substr(0, slash));
  bool v6 = address.find(':') != std::string::npos;
  unsigned char buf[sizeof(in6_addr)];
  if (inet_pton(v6 ? AF_INET6 : AF_INET, address.c_str(), buf) != 1) {
    return InvalidArgumentError(path + ": not a valid IPv" +
                                std::string(v6 ? "6" : "4") + " address");
  }
  return CheckPrefix(path, cidr.substr(slash + 1), v6 ? 128 : 32);
}

Status CheckRule(const std::string& path, const SecurityGroupRule& rule) {
  if (!OneOf(kDirections, rule.direction)) {
    return InvalidArgumentError(Member(path, "direction") +
                                ": expected one of " + Listed(kDirections));
  }
  if (!OneOf(kProtocols, rule.protocol)) {
    return InvalidArgumentError(Member(path, "protocol") +
                                ": expected one of " + Listed(kProtocols));
  }
  if (rule.port_min > rule.port_max) {
    return InvalidArgumentError(
        Member(path, "port_min") + ": " + std::to_string(rule.port_min) +
        " is greater than port_max " + std::to_string(rule.port_max));
  }
  return CheckCidr(Member(path, "remote_cidr"), rule.remote_cidr);
}

Status CheckFunction(const std::string& path, const SecurityFunctionSpec& f) {
  NFVSM_RETURN_IF_ERROR(CheckText(Member(path, "vsf_vnfd_id"), f.vsf_vnfd_id,
                                  Emptiness::kRejected));
  NFVSM_RETURN_IF_ERROR(
      CheckText(Member(path, "after"), f.after, Emptiness::kRejected));
  return CheckText(Member(path, "before"), f.before, Emptiness::kRejected);
}

Status CheckVersion(int version) {
  if (version != kPolicyFormatVersion) {
    return InvalidArgumentError(
        "version: unsupported policy version " + std::to_string(version) +
        " (this build reads " + std::to_string(kPolicyFormatVersion) + ")");
  }
  return OkStatus();
}

Status CheckNameSet(const std::string& path,
                    const std::set<std::string>& names) {
  NFVSM_RETURN_IF_ERROR(CheckListSize(path, names.size()));
  size_t i = 0;
  for (const auto& name : names) {
    NFVSM_RETURN_IF_ERROR(
        CheckText(Indexed(path, i++), name, Emptiness::kRejected));
  }
  return OkStatus();
}

}  // namespace policy_internal

std::string_view ToString(EnforcementBehaviour b) {
  auto i = static_cast<size_t>(b);
  return i < policy_internal::kBehaviourNames.size()
             ? policy_internal::kBehaviourNames[i]
             : std::string_view("invalid");
}

StatusOr<EnforcementBehaviour> ParseEnforcementBehaviour(std::string_view s) {
  const auto& names = policy_internal::kBehaviourNames;
  for (size_t i = 0; i < names.size(); ++i) {
    if (names[i] == s) return static_cast<EnforcementBehaviour>(i);
  }
  return InvalidArgumentError(
      "unknown enforcement behaviour (expected one of: " +
      policy_internal::Listed(names) + ")");
}

Status ValidatePolicy(const Policy& p) {
  using namespace policy_internal;  // NOLINT(build/namespaces)
  NFVSM_RETURN_IF_ERROR(CheckVersion(p.version));
  NFVSM_RETURN_IF_ERROR(CheckText("id", p.id, Emptiness::kAllowed));

  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("placement.allowed_zones", p.placement.allowed_zones));
  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("placement.denied_hosts", p.placement.denied_hosts));
  NFVSM_RETURN_IF_ERROR(CheckText("placement.anti_affinity_group",
                                  p.placement.anti_affinity_group,
                                  Emptiness::kAllowed));

  const auto& rules = p.network.security_group_rules;
  NFVSM_RETURN_IF_ERROR(
      CheckListSize("network.security_group_rules", rules.size()));
  for (size_t i = 0; i < rules.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(
        CheckRule(Indexed("network.security_group_rules", i), rules[i]));
  }
  const auto& functions = p.network.insert_functions;
  NFVSM_RETURN_IF_ERROR(
      CheckListSize("network.insert_functions", functions.size()));
  for (size_t i = 0; i < functions.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(
        CheckFunction(Indexed("network.insert_functions", i), functions[i]));
  }

  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("boot.vnf_whitelist", p.boot.vnf_whitelist));
  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("boot.vnfd_whitelist", p.boot.vnfd_whitelist));
  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("boot.image_whitelist", p.boot.image_whitelist));
  NFVSM_RETURN_IF_ERROR(
      CheckNameSet("boot.vnfm_whitelist", p.boot.vnfm_whitelist));
  NFVSM_RETURN_IF_ERROR(CheckNameSet("boot.em_whitelist", p.boot.em_whitelist));

  if (ToString(p.on_update) == "invalid") {
    return InvalidArgumentError("on_update: unknown enforcement behaviour");
  }
  return OkStatus();
}

}  // namespace nfvsm
