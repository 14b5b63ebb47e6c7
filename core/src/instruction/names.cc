// Wire names of the instruction enums. They appear in audit records and on
// the SM channel, so renaming one is a schema change.
#include <array>
#include <string_view>

#include "nfvsm/instruction.h"

namespace nfvsm {
namespace {

constexpr std::array<std::string_view, 2> kHostActionNames = {"migrate",
                                                              "terminate"};
constexpr std::array<std::string_view, 12> kStepNames = {
    "notify_oss_bss",
    "quarantine_instance_copy",
    "erase_instance_storage",
    "terminate_vnf",
    "quarantine_image",
    "quarantine_vnfd",
    "quarantine_host",
    "migrate_vnf",
    "apply_policy",
    "insert_security_function",
    "remove_security_function",
    "release_quarantine"};

}  // namespace

std::string_view ToString(HostAction a) {
  auto i = static_cast<size_t>(a);
  return i < kHostActionNames.size() ? kHostActionNames[i] : "invalid";
}

StatusOr<HostAction> ParseHostAction(std::string_view s) {
  for (size_t i = 0; i < kHostActionNames.size(); ++i) {
    if (kHostActionNames[i] == s) return static_cast<HostAction>(i);
  }
  return InvalidArgumentError("unknown host action '" + std::string(s) +
                              "' (expected one of: migrate, terminate)");
}

std::string_view ToString(ActuatorStep::Kind k) {
  auto i = static_cast<size_t>(k);
  return i < kStepNames.size() ? kStepNames[i] : "invalid";
}

}  // namespace nfvsm
