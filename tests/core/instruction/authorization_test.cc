// Who may send what (R2.1.20, R2.1.50, R2.1.90, SEC024 5.2), and malformed
// instructions.
#include <functional>
#include <ostream>
#include <string>
#include <vector>

#include "core/instruction/instruction_fixture.h"

namespace nfvsm::instruction_test {
namespace {

using ::testing::HasSubstr;
using ::testing::StartsWith;

// covers: R2.1.20
TEST_F(InstructionTest, PassiveSmIsRefusedEveryLifecycleChange) {
  Instruction terminate = Terminate("sm-p", {"v-core-1"});
  Instruction stop = Make("sm-p", InstructionKind::kStopUsingHost);
  stop.host = "h2";
  Instruction policy =
      Make("sm-p", InstructionKind::kApplyPolicy, {"v-core-1"});
  Instruction vsf = Make("sm-p", InstructionKind::kInsertSecurityFunction);
  vsf.ns_id = "ns-1";
  vsf.function.vsf_vnfd_id = "vnfd-fw";
  for (const Instruction& in : {terminate, stop, policy, vsf}) {
    auto plan = processor_.Plan(in);
    ASSERT_FALSE(plan.ok()) << ToString(in.kind);
    EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(plan.status().message(), HasSubstr("R2.1.20"));
  }
  // A Passive binding of an otherwise active SM is refused too.
  auto ran = processor_.Plan(Terminate("sm-a", {"v-ran-1"}));
  EXPECT_EQ(ran.status().code(), StatusCode::kPermissionDenied);
  EXPECT_TRUE(actuator_.calls().empty());
}

// covers: R2.1.20, R2.1.350, R2.1.360
TEST_F(InstructionTest, PassiveSmMayQueryStatusAndHistory) {
  InstructionOutcome status = Run(Make("sm-p", InstructionKind::kStatusQuery));
  EXPECT_TRUE(status.status.ok()) << status.status.ToString();
  EXPECT_EQ(status.status_list.size(), 2u);  // v-core-1, v-core-2

  Instruction history = Make("sm-p", InstructionKind::kHistoryQuery);
  history.from = kT0;
  history.to = kT0 + std::chrono::hours(1);
  InstructionOutcome h = Run(history);
  EXPECT_TRUE(h.status.ok()) << h.status.ToString();
  ASSERT_EQ(queries_.size(), 1u);
  EXPECT_EQ(queries_[0].domains, std::set<DomainId>{"d-core"});
}

// covers: R2.1.90, R1.1.50
TEST_F(InstructionTest, CrossDomainInstructionIsRefused) {
  auto plan = processor_.Plan(Terminate("sm-b", {"v-core-1"}));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(plan.status().message(), HasSubstr("R2.1.90"));
  EXPECT_THAT(plan.status().message(), HasSubstr("v-core-1"));
}

// covers: R2.1.90, R2.1.280/290
TEST_F(InstructionTest, OneUnauthorizedTargetRefusesTheWholeList) {
  for (const auto& list : std::vector<std::vector<VnfId>>{
           {"v-core-1", "v-other-1"}, {"v-other-1", "v-core-1"}}) {
    auto plan = processor_.Plan(Terminate("sm-a", list));
    ASSERT_FALSE(plan.ok());
    EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
    EXPECT_THAT(plan.status().message(), HasSubstr("v-other-1"));
  }
  EXPECT_TRUE(quarantine_.List().empty());
  EXPECT_EQ(StateOf("v-core-1"), VnfState::kActive);
}

// covers: R2.1.90
TEST_F(InstructionTest, UnknownSmIsUnauthenticated) {
  for (const char* sm : {"sm-ghost", ""}) {
    auto plan = processor_.Plan(Terminate(sm, {"v-core-1"}));
    EXPECT_EQ(plan.status().code(), StatusCode::kUnauthenticated) << sm;
  }
  auto query = processor_.Plan(Make("sm-ghost", InstructionKind::kStatusQuery));
  EXPECT_EQ(query.status().code(), StatusCode::kUnauthenticated);
}

// covers: R2.1.280/290
TEST_F(InstructionTest, UnknownVnfIsNotFound) {
  auto plan = processor_.Plan(Terminate("sm-a", {"v-core-1", "v-nowhere"}));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(plan.status().message(), HasSubstr("v-nowhere"));
}

// covers: R2.1.30, SEC024 5.2
TEST_F(InstructionTest, KindMissingFromAllowedInstructionsIsRefused) {
  auto plan = processor_.Plan(Terminate("sm-limited", {"v-lim-1"}));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(plan.status().message(), HasSubstr("SEC024 5.2"));
  // Kinds the binding does allow still pass.
  Instruction policy =
      Make("sm-limited", InstructionKind::kApplyPolicy, {"v-lim-1"});
  EXPECT_TRUE(processor_.Plan(policy).ok());
  // A master acting through the hierarchy is not bound by the list.
  Sm("sm-limited", "csp-master");
  EXPECT_TRUE(processor_.Plan(Terminate("csp-master", {"v-lim-1"})).ok());
}

// covers: R2.1.50, R2.1.90
TEST_F(InstructionTest, SubSmCannotActInItsMastersOtherDomains) {
  auto up = processor_.Plan(Terminate("sm-a", {"v-mgmt-1"}));
  EXPECT_EQ(up.status().code(), StatusCode::kPermissionDenied);
  auto sibling = processor_.Plan(Terminate("sm-sub", {"v-core-1"}));
  EXPECT_EQ(sibling.status().code(), StatusCode::kPermissionDenied);
  // But sm-a, master of sm-sub, reaches down.
  EXPECT_TRUE(processor_.Plan(Terminate("sm-a", {"v-sub-1"})).ok());
}

struct MalformedCase {
  std::string name;
  std::function<void(Instruction&)> mutate;
  std::string field;  // the message starts with it
  friend void PrintTo(const MalformedCase& c, std::ostream* os) {
    *os << c.name;
  }
};

class MalformedTest : public InstructionTest,
                      public ::testing::WithParamInterface<MalformedCase> {};

// covers: R2.1.280/290, R2.1.320/330, R2.1.340, R2.1.360
TEST_P(MalformedTest, IsInvalidArgumentNamingTheField) {
  Instruction in = Terminate("sm-a", {"v-core-1"});
  GetParam().mutate(in);
  auto plan = processor_.Plan(in);
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument)
      << plan.status().ToString();
  EXPECT_THAT(plan.status().message(), StartsWith(GetParam().field));
  EXPECT_TRUE(actuator_.calls().empty());
}

INSTANTIATE_TEST_SUITE_P(
    Fields, MalformedTest,
    ::testing::Values(
        MalformedCase{"EmptyId", [](Instruction& in) { in.id.clear(); }, "id:"},
        MalformedCase{"HugeId",
                      [](Instruction& in) { in.id = std::string(300, 'x'); },
                      "id:"},
        MalformedCase{"NoTargets", [](Instruction& in) { in.vnf_ids.clear(); },
                      "vnf_ids:"},
        MalformedCase{"TooManyTargets",
                      [](Instruction& in) {
                        in.vnf_ids.assign(kMaxInstructionTargets + 1,
                                          "v-core-1");
                      },
                      "vnf_ids:"},
        MalformedCase{"EmptyTargetId",
                      [](Instruction& in) {
                        in.vnf_ids = {"v-core-1", ""};
                      },
                      "vnf_ids[1]:"},
        MalformedCase{
            "HugeReason",
            [](Instruction& in) { in.reason = std::string(5000, 'r'); },
            "reason:"},
        MalformedCase{
            "UnknownKind",
            [](Instruction& in) { in.kind = static_cast<InstructionKind>(99); },
            "kind:"},
        MalformedCase{"HistoryEmptyRange",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kHistoryQuery;
                        in.vnf_ids.clear();
                        in.from = in.to = kT0;
                      },
                      "from:"},
        MalformedCase{"HistoryReversedRange",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kHistoryQuery;
                        in.vnf_ids.clear();
                        in.from = kT0 + std::chrono::seconds(1);
                        in.to = kT0;
                      },
                      "from:"},
        MalformedCase{
            "StopUsingNoHost",
            [](Instruction& in) { in.kind = InstructionKind::kStopUsingHost; },
            "host:"},
        MalformedCase{"StopUsingBadAction",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kStopUsingHost;
                        in.host = "h2";
                        in.host_action = static_cast<HostAction>(7);
                      },
                      "host_action:"},
        MalformedCase{"PolicyWithoutScope",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kApplyPolicy;
                        in.vnf_ids.clear();
                      },
                      "vnf_ids:"},
        MalformedCase{"VsfWithoutNs",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kInsertSecurityFunction;
                        in.function.vsf_vnfd_id = "vnfd-fw";
                      },
                      "ns_id:"},
        MalformedCase{"VsfWithoutVnfd",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kRemoveSecurityFunction;
                        in.ns_id = "ns-1";
                      },
                      "function.vsf_vnfd_id:"},
        MalformedCase{"ReleaseWithoutId",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kReleaseQuarantine;
                      },
                      "release_id:"},
        MalformedCase{"ReleaseBadTarget",
                      [](Instruction& in) {
                        in.kind = InstructionKind::kReleaseQuarantine;
                        in.release_id = "v-core-1";
                        in.release_target = static_cast<QuarantineTarget>(9);
                      },
                      "release_target:"}),
    [](const auto& info) { return info.param.name; });

}  // namespace
}  // namespace nfvsm::instruction_test
