#include "nfvsm/types.h"

#include <array>
#include <string>

namespace nfvsm {
namespace {

// One table per enum: index = enumerator value. The names are the wire
// format; see types.h.
constexpr std::array<std::string_view, 3> kModeNames = {
    "passive", "semi_active", "fully_active"};
constexpr std::array<std::string_view, 3> kDomainKindNames = {"vnf", "mano",
                                                              "security"};
constexpr std::array<std::string_view, 2> kFailModeNames = {"closed", "open"};
constexpr std::array<std::string_view, 10> kOperationNames = {
    "instantiate",   "scale_out", "scale_in",
    "heal",          "restart",   "migrate",
    "modify",        "terminate", "change_connectivity",
    "change_package"};
constexpr std::array<std::string_view, 4> kEventKindNames = {
    "create", "modify", "terminate", "crash"};
constexpr std::array<std::string_view, 3> kPhaseNames = {"start", "end",
                                                         "failed"};
constexpr std::array<std::string_view, 10> kSourceNames = {
    "unknown", "oss_bss", "vnf",          "em",       "nfvo",
    "vnfm",    "vim",     "auto_healing", "operator", "security_manager"};
constexpr std::array<std::string_view, 10> kAspectNames = {
    "other",          "configuration", "image_version",  "location",
    "host_resources", "peering",       "identification", "vnfc_change",
    "load_balancing", "power_state"};
constexpr std::array<std::string_view, 8> kInstructionNames = {
    "terminate",
    "stop_using_host",
    "apply_policy",
    "insert_security_function",
    "remove_security_function",
    "status_query",
    "history_query",
    "release_quarantine"};
constexpr std::array<std::string_view, 5> kVnfStateNames = {
    "pending", "active", "stopped", "terminated", "failed"};
constexpr std::array<std::string_view, 5> kTargetNames = {
    "vnf_instance", "image", "vnfd", "package", "host"};

template <typename E, size_t N>
std::string_view NameOf(const std::array<std::string_view, N>& names, E v) {
  auto i = static_cast<size_t>(v);
  return i < N ? names[i] : std::string_view("invalid");
}

template <typename E, size_t N>
StatusOr<E> ParseName(const std::array<std::string_view, N>& names,
                      std::string_view what, std::string_view s) {
  for (size_t i = 0; i < N; ++i) {
    if (names[i] == s) return static_cast<E>(i);
  }
  std::string allowed;
  for (auto n : names) {
    if (!allowed.empty()) allowed += ", ";
    allowed += n;
  }
  return InvalidArgumentError("unknown " + std::string(what) + " '" +
                              std::string(s) +
                              "' (expected one of: " + allowed + ")");
}

}  // namespace

#define NFVSM_ENUM_NAMES_(Enum, table, what)                     \
  std::string_view ToString(Enum v) { return NameOf(table, v); } \
  StatusOr<Enum> Parse##Enum(std::string_view s) {               \
    return ParseName<Enum>(table, what, s);                      \
  }

NFVSM_ENUM_NAMES_(Mode, kModeNames, "mode")
NFVSM_ENUM_NAMES_(DomainKind, kDomainKindNames, "domain kind")
NFVSM_ENUM_NAMES_(FailMode, kFailModeNames, "fail mode")
NFVSM_ENUM_NAMES_(OperationKind, kOperationNames, "operation")
NFVSM_ENUM_NAMES_(EventKind, kEventKindNames, "event kind")
NFVSM_ENUM_NAMES_(Phase, kPhaseNames, "phase")
NFVSM_ENUM_NAMES_(EventSource, kSourceNames, "event source")
NFVSM_ENUM_NAMES_(ModifyAspect, kAspectNames, "modify aspect")
NFVSM_ENUM_NAMES_(InstructionKind, kInstructionNames, "instruction kind")
NFVSM_ENUM_NAMES_(VnfState, kVnfStateNames, "VNF state")
NFVSM_ENUM_NAMES_(QuarantineTarget, kTargetNames, "quarantine target")

#undef NFVSM_ENUM_NAMES_

InstructionKindSet AllInstructionKinds() {
  InstructionKindSet s;
  for (size_t i = 0; i < kInstructionNames.size(); ++i) {
    s.Add(static_cast<InstructionKind>(i));
  }
  return s;
}

std::string PartitionFor(const SmId& sm, const DomainId& domain) {
  return "sm:" + sm + "|domain:" + domain;
}

}  // namespace nfvsm
