// The codec maps core enums to protobuf enums by position (proto number =
// core value + 1). These tests pin that convention to the names on both
// sides, so reordering an enum on one side only cannot go unnoticed.
#include <gtest/gtest.h>

#include <cctype>
#include <string>

#include "nfvsm/instruction.h"
#include "nfvsm/policy.h"
#include "nfvsm/types.h"
#include "nfvsm/v1/common.pb.h"
#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/v1/instructions.pb.h"
#include "nfvsm/v1/policy.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

std::string Upper(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::toupper(c));
  return out;
}

// For every core value 0..count-1, the protobuf value number + 1 is named
// PREFIX + upper(core name), and the protobuf enum has nothing beyond.
template <typename Core, typename NameFn, typename ProtoNameFn>
void ExpectAligned(int count, int proto_max, std::string_view prefix,
                   NameFn core_name, ProtoNameFn proto_name) {
  EXPECT_EQ(proto_max, count) << prefix;
  for (int i = 0; i < count; ++i) {
    EXPECT_EQ(proto_name(i + 1),
              std::string(prefix) + Upper(core_name(static_cast<Core>(i))))
        << prefix << i;
  }
}

// covers: R2.1.150-240, R2.1.180, R2.1.160
TEST(EnumMappingTest, EventEnums) {
  auto name = [](auto v) { return ToString(v); };
  ExpectAligned<EventKind>(
      4, v1::EventKind_MAX, "EVENT_KIND_", name,
      [](int n) { return v1::EventKind_Name(static_cast<v1::EventKind>(n)); });
  ExpectAligned<Phase>(3, v1::EventPhase_MAX, "EVENT_PHASE_", name, [](int n) {
    return v1::EventPhase_Name(static_cast<v1::EventPhase>(n));
  });
  ExpectAligned<EventSource>(
      10, v1::EventSource_MAX, "EVENT_SOURCE_", name, [](int n) {
        return v1::EventSource_Name(static_cast<v1::EventSource>(n));
      });
  ExpectAligned<ModifyAspect>(
      10, v1::ModifyAspect_MAX, "MODIFY_ASPECT_", name, [](int n) {
        return v1::ModifyAspect_Name(static_cast<v1::ModifyAspect>(n));
      });
}

// covers: R2.1.20-40, R2.1.270, R2.1.320/330, R2.1.350, SEC024 6.2.2
TEST(EnumMappingTest, GateInstructionAndPolicyEnums) {
  auto name = [](auto v) { return ToString(v); };
  ExpectAligned<OperationKind>(
      10, v1::OperationKind_MAX, "OPERATION_KIND_", name, [](int n) {
        return v1::OperationKind_Name(static_cast<v1::OperationKind>(n));
      });
  ExpectAligned<QuarantineTarget>(
      5, v1::QuarantineTarget_MAX, "QUARANTINE_TARGET_", name, [](int n) {
        return v1::QuarantineTarget_Name(static_cast<v1::QuarantineTarget>(n));
      });
  ExpectAligned<VnfState>(5, v1::VnfState_MAX, "VNF_STATE_", name, [](int n) {
    return v1::VnfState_Name(static_cast<v1::VnfState>(n));
  });
  ExpectAligned<HostAction>(
      2, v1::HostAction_MAX, "HOST_ACTION_", name, [](int n) {
        return v1::HostAction_Name(static_cast<v1::HostAction>(n));
      });
  ExpectAligned<EnforcementBehaviour>(
      4, v1::EnforcementBehaviour_MAX, "ENFORCEMENT_BEHAVIOUR_", name,
      [](int n) {
        return v1::EnforcementBehaviour_Name(
            static_cast<v1::EnforcementBehaviour>(n));
      });
  // Verdict has no ToString in the core; its two names are fixed here.
  EXPECT_EQ(v1::Verdict_MAX, 2);
  EXPECT_EQ(v1::Verdict_Name(static_cast<v1::Verdict>(
                static_cast<int>(Verdict::kAllow) + 1)),
            "VERDICT_ALLOW");
  EXPECT_EQ(v1::Verdict_Name(
                static_cast<v1::Verdict>(static_cast<int>(Verdict::kDeny) + 1)),
            "VERDICT_DENY");
}

// covers: R1.3.110, R1.3.180
TEST(EnumMappingTest, SecurityAlertKinds) {
  const std::pair<SecurityAlertKind, std::string> names[] = {
      {SecurityAlertKind::kUnauthorizedLifecycleAction,
       "SECURITY_EVENT_KIND_UNAUTHORIZED_LIFECYCLE_ACTION"},
      {SecurityAlertKind::kUnauthorizedOnboarding,
       "SECURITY_EVENT_KIND_UNAUTHORIZED_ONBOARDING"},
      {SecurityAlertKind::kInstructionRefused,
       "SECURITY_EVENT_KIND_INSTRUCTION_REFUSED"},
      {SecurityAlertKind::kMessageRejected,
       "SECURITY_EVENT_KIND_MESSAGE_REJECTED"},
      {SecurityAlertKind::kQuarantineViolationAttempt,
       "SECURITY_EVENT_KIND_QUARANTINE_VIOLATION_ATTEMPT"},
      {SecurityAlertKind::kPackageIntegrityFailure,
       "SECURITY_EVENT_KIND_PACKAGE_INTEGRITY_FAILURE"},
  };
  EXPECT_EQ(v1::SecurityEventKind_MAX, 6);
  for (const auto& [kind, want] : names) {
    EXPECT_EQ(v1::SecurityEventKind_Name(static_cast<v1::SecurityEventKind>(
                  static_cast<int>(kind) + 1)),
              want);
  }
}

}  // namespace
}  // namespace nfvsm::wire
