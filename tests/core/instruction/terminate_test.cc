// Termination instructions and requests (R2.1.260 - R2.1.290, IFA026 4).
#include <ostream>
#include <string>
#include <vector>

#include "core/instruction/instruction_fixture.h"

namespace nfvsm::instruction_test {
namespace {

using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using Step = ActuatorStep::Kind;

constexpr const char* kFlagNames[] = {
    "replacement_allowed", "quarantine_copy",
    "recovery_allowed",    "quarantine_image_and_vnfd",
    "quarantine_host",     "terminate_colocated",
    "erase_storage"};

// The TerminateVnf detail the recording actuator writes when only `set`
// (may be empty) is on.
std::string DetailWithOnly(const std::string& set) {
  std::string out;
  for (const char* name : kFlagNames) {
    if (!out.empty()) out += ' ';
    out += std::string(name) + (set == name ? "=1" : "=0");
  }
  return out;
}

TerminateFlags OnlyFlag(const std::string& name) {
  TerminateFlags f;
  f.replacement_allowed = name == "replacement_allowed";
  f.quarantine_copy = name == "quarantine_copy";
  f.recovery_allowed = name == "recovery_allowed";
  f.quarantine_image_and_vnfd = name == "quarantine_image_and_vnfd";
  f.quarantine_host = name == "quarantine_host";
  f.terminate_colocated = name == "terminate_colocated";
  f.erase_storage = name == "erase_storage";
  return f;
}

struct FlagCase {
  std::string flag;  // empty: no flag
  std::vector<std::string> calls;
  std::vector<std::string> quarantine;
  std::vector<VnfId> skipped;
  friend void PrintTo(const FlagCase& c, std::ostream* os) {
    *os << (c.flag.empty() ? "no flag" : c.flag);
  }
};

class TerminateFlagTest : public InstructionTest,
                          public ::testing::WithParamInterface<FlagCase> {};

// covers: R2.1.270, R2.1.280/290, IFA026 4
TEST_P(TerminateFlagTest, EachFlagAloneHasItsObservableEffect) {
  const FlagCase& c = GetParam();
  auto plan =
      processor_.Plan(Terminate("sm-a", {"v-core-1"}, OnlyFlag(c.flag)));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_THAT(plan->skipped, ElementsAreArray(c.skipped));
  InstructionOutcome out = processor_.Execute(*plan);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();

  EXPECT_THAT(CallNames(), ElementsAreArray(c.calls));
  EXPECT_THAT(QuarantineKeys(), ElementsAreArray(c.quarantine));
  for (const auto& call : actuator_.calls()) {
    if (call.method == "TerminateVnf" && call.target == "v-core-1") {
      EXPECT_EQ(call.detail, DetailWithOnly(c.flag));
    }
  }
  auto e = quarantine_.Find(QuarantineTarget::kVnfInstance, "v-core-1");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->terminated);
  EXPECT_EQ(e->by_sm, "sm-a");
  EXPECT_EQ(e->domain, "d-core");
  EXPECT_EQ(e->at, kT0);
  EXPECT_EQ(e->reason, "compromised");
  EXPECT_EQ(e->copy_kept, c.flag == "quarantine_copy");
  EXPECT_EQ(e->erase_requested, c.flag == "erase_storage");
  EXPECT_EQ(e->replacement_allowed, c.flag == "replacement_allowed");
  EXPECT_EQ(e->recovery_allowed, c.flag == "recovery_allowed");
  EXPECT_EQ(StateOf("v-core-1"), VnfState::kTerminated);

  // What the registry then allows a replacement of the instance to do.
  OperationTarget replace;
  replace.vnf_id = "v-core-1-new";
  replace.replaces_vnf_id = "v-core-1";
  EXPECT_EQ(quarantine_.Check(replace).ok(), c.flag == "replacement_allowed");
  replace.is_recovery = true;
  EXPECT_EQ(quarantine_.Check(replace).ok(), c.flag == "recovery_allowed");
}

INSTANTIATE_TEST_SUITE_P(
    R2_1_270, TerminateFlagTest,
    ::testing::Values(
        FlagCase{"", {"TerminateVnf v-core-1"}, {"vnf_instance v-core-1"}, {}},
        FlagCase{"replacement_allowed",
                 {"TerminateVnf v-core-1"},
                 {"vnf_instance v-core-1"},
                 {}},
        FlagCase{"quarantine_copy",
                 {"QuarantineInstanceCopy v-core-1", "TerminateVnf v-core-1"},
                 {"vnf_instance v-core-1"},
                 {}},
        FlagCase{"recovery_allowed",
                 {"TerminateVnf v-core-1"},
                 {"vnf_instance v-core-1"},
                 {}},
        FlagCase{"quarantine_image_and_vnfd",
                 {"TerminateVnf v-core-1", "QuarantineImage img-v-core-1",
                  "QuarantineVnfd vnfd-v-core-1"},
                 {"vnf_instance v-core-1", "image img-v-core-1",
                  "vnfd vnfd-v-core-1"},
                 {}},
        FlagCase{"quarantine_host",
                 {"TerminateVnf v-core-1", "QuarantineHost h1"},
                 {"vnf_instance v-core-1", "host h1"},
                 {}},
        // h1 also runs v-other-1 (no authority), v-ran-1 (Passive) and
        // v-sub-1 (sm-a is master of sm-sub: Fully-Active there).
        FlagCase{"terminate_colocated",
                 {"TerminateVnf v-core-1", "TerminateVnf v-sub-1"},
                 {"vnf_instance v-core-1", "vnf_instance v-sub-1"},
                 {"v-other-1", "v-ran-1"}},
        FlagCase{"erase_storage",
                 {"EraseInstanceStorage v-core-1", "TerminateVnf v-core-1"},
                 {"vnf_instance v-core-1"},
                 {}}),
    [](const auto& info) {
      return info.param.flag.empty() ? std::string("none") : info.param.flag;
    });

// covers: R2.1.270, SEC003
TEST_F(InstructionTest, AllFlagsRunInTheDocumentedOrder) {
  TerminateFlags all{true, true, true, true, true, true, true};
  auto plan = processor_.Plan(Terminate("sm-a", {"v-core-1"}, all));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<std::string> steps;
  for (const auto& s : plan->steps) {
    steps.push_back(std::string(ToString(s.kind)) + " " + s.target);
  }
  // Snapshot first (evidence), erase while the instance still holds its
  // storage, then terminate; what it ran from and on is quarantined after.
  EXPECT_THAT(
      steps,
      ElementsAre("quarantine_instance_copy v-core-1",
                  "erase_instance_storage v-core-1", "terminate_vnf v-core-1",
                  "quarantine_image img-v-core-1",
                  "quarantine_vnfd vnfd-v-core-1", "quarantine_host h1",
                  "terminate_vnf v-sub-1"));
  EXPECT_FALSE(plan->informs_oss_bss_first);
  EXPECT_EQ(plan->authority.mode, Mode::kFullyActive);
  EXPECT_THAT(plan->domains, ElementsAre("d-core", "d-sub"));
}

// covers: R2.1.270, R1.1.50
TEST_F(InstructionTest, ColocatedVnfsAreOnlyTerminatedWithoutCopyOrErase) {
  TerminateFlags f;
  f.terminate_colocated = true;
  f.quarantine_copy = true;
  f.erase_storage = true;
  InstructionOutcome out = Run(Terminate("sm-a", {"v-core-1"}, f));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  for (const auto& call : actuator_.calls()) {
    if (call.target != "v-sub-1") continue;
    EXPECT_EQ(call.method, "TerminateVnf");
    EXPECT_THAT(call.detail, HasSubstr("quarantine_copy=0"));
    EXPECT_THAT(call.detail, HasSubstr("erase_storage=0"));
  }
  auto e = quarantine_.Find(QuarantineTarget::kVnfInstance, "v-sub-1");
  ASSERT_TRUE(e.has_value());
  EXPECT_TRUE(e->terminated);
  EXPECT_FALSE(e->copy_kept);
  EXPECT_THAT(e->reason, HasSubstr("co-located on host 'h1'"));
  EXPECT_EQ(StateOf("v-sub-1"), VnfState::kTerminated);
  // Domains without Fully-Active authority are left alone.
  EXPECT_EQ(StateOf("v-other-1"), VnfState::kActive);
  EXPECT_EQ(StateOf("v-ran-1"), VnfState::kActive);
  EXPECT_FALSE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-other-1"));
}

// covers: R2.1.260, R2.1.300
TEST_F(InstructionTest, SemiActiveTerminationInformsOssBssFirst) {
  TerminateFlags f;
  f.replacement_allowed = true;
  f.quarantine_copy = true;
  f.recovery_allowed = true;
  auto plan = processor_.Plan(Terminate("sm-a", {"v-edge-1"}, f));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->informs_oss_bss_first);
  ASSERT_FALSE(plan->steps.empty());
  EXPECT_EQ(plan->steps.front().kind, Step::kNotifyOssBss);

  InstructionOutcome out = processor_.Execute(*plan);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  auto calls = actuator_.calls();
  ASSERT_EQ(calls.size(), 3u);
  EXPECT_EQ(calls[0].method, "NotifyOssBss");
  EXPECT_EQ(calls[0].target, "v-edge-1");
  EXPECT_EQ(calls[0].detail,
            "sm=sm-a requestors=oss-edge-1 ns=ns-2 reason=compromised");
  EXPECT_EQ(calls[1].method + " " + calls[1].target,
            "QuarantineInstanceCopy v-edge-1");
  EXPECT_EQ(calls[2].method + " " + calls[2].target, "TerminateVnf v-edge-1");
  EXPECT_TRUE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-edge-1"));
}

// covers: R2.1.270
TEST_F(InstructionTest, FullyActiveTerminationDoesNotNotifyOssBss) {
  TerminateFlags all{true, true, true, true, true, true, true};
  InstructionOutcome out =
      Run(Terminate("sm-a", {"v-core-1", "v-core-2"}, all));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  ASSERT_FALSE(actuator_.calls().empty());
  for (const auto& call : actuator_.calls()) {
    EXPECT_NE(call.method, "NotifyOssBss");
  }
}

// covers: R2.1.260, R2.1.270
TEST_F(InstructionTest, OneSemiActiveTargetMakesTheWholeListARequest) {
  auto plan = processor_.Plan(Terminate("sm-a", {"v-core-1", "v-edge-1"}));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_TRUE(plan->informs_oss_bss_first);
  processor_.Execute(*plan);
  auto calls = actuator_.calls();
  ASSERT_FALSE(calls.empty());
  EXPECT_EQ(calls[0].method, "NotifyOssBss");
  EXPECT_EQ(calls[0].target, "v-core-1,v-edge-1");
}

class SemiActiveFlagTest : public InstructionTest,
                           public ::testing::WithParamInterface<std::string> {};

// covers: R2.1.260, R2.1.270
TEST_P(SemiActiveFlagTest, FullyActiveOnlyFlagIsRefusedNamingIt) {
  auto plan =
      processor_.Plan(Terminate("sm-a", {"v-edge-1"}, OnlyFlag(GetParam())));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(plan.status().message(), HasSubstr("terminate." + GetParam()));
  // The same flag is accepted from the same SM where it is Fully-Active.
  EXPECT_TRUE(
      processor_.Plan(Terminate("sm-a", {"v-core-1"}, OnlyFlag(GetParam())))
          .ok());
}

INSTANTIATE_TEST_SUITE_P(R2_1_270, SemiActiveFlagTest,
                         ::testing::Values("quarantine_image_and_vnfd",
                                           "quarantine_host",
                                           "terminate_colocated",
                                           "erase_storage"));

// covers: R2.1.260
TEST_F(InstructionTest, SemiActiveMayUseTheSemiActiveFlags) {
  for (const char* flag :
       {"replacement_allowed", "quarantine_copy", "recovery_allowed"}) {
    EXPECT_TRUE(
        processor_.Plan(Terminate("sm-a", {"v-edge-1"}, OnlyFlag(flag))).ok())
        << flag;
  }
}

// covers: R2.1.280/290
TEST_F(InstructionTest, RepeatedTargetsAndSharedArtifactsActOnce) {
  VnfRecord twin = *inventory_.Get("v-core-2");
  twin.id = "v-core-3";
  twin.vnfd_id = "vnfd-v-core-3";  // same image and host as v-core-2
  ASSERT_TRUE(inventory_.Upsert(twin).ok());
  TerminateFlags f;
  f.quarantine_image_and_vnfd = true;
  f.quarantine_host = true;
  InstructionOutcome out =
      Run(Terminate("sm-a", {"v-core-2", "v-core-3", "v-core-2"}, f));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(
      CallNames(),
      ElementsAre("TerminateVnf v-core-2", "QuarantineImage img-v-core-2",
                  "QuarantineVnfd vnfd-v-core-2", "QuarantineHost h2",
                  "TerminateVnf v-core-3", "QuarantineVnfd vnfd-v-core-3"));
  EXPECT_THAT(
      out.done,
      ElementsAre("terminate_vnf v-core-2", "quarantine_image img-v-core-2",
                  "quarantine_vnfd vnfd-v-core-2", "quarantine_host h2",
                  "terminate_vnf v-core-3", "quarantine_vnfd vnfd-v-core-3"));
}

// covers: R2.1.50, R2.1.270
TEST_F(InstructionTest, MasterTerminatesAcrossItsSubSmsDomains) {
  auto plan = processor_.Plan(Terminate("csp-master",
                                        {"v-core-1", "v-sub-1", "v-mgmt-1"},
                                        OnlyFlag("erase_storage")));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  EXPECT_EQ(plan->authority.via_sub_sm, std::optional<SmId>("sm-a"));
  EXPECT_THAT(plan->domains, ElementsAre("d-core", "d-sub", "d-mgmt"));
  InstructionOutcome out = processor_.Execute(*plan);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  for (const char* v : {"v-core-1", "v-sub-1", "v-mgmt-1"}) {
    EXPECT_EQ(StateOf(v), VnfState::kTerminated) << v;
    auto e = quarantine_.Find(QuarantineTarget::kVnfInstance, v);
    ASSERT_TRUE(e.has_value()) << v;
    EXPECT_EQ(e->by_sm, "csp-master");
  }
}

// covers: R2.1.50, R2.1.270, R1.1.50
TEST_F(InstructionTest, MasterReachesColocatedVnfsOfItsSubSmsOnly) {
  auto plan = processor_.Plan(
      Terminate("csp-master", {"v-core-1"}, OnlyFlag("terminate_colocated")));
  ASSERT_TRUE(plan.ok()) << plan.status().ToString();
  std::vector<VnfId> targets;
  for (const auto& v : plan->targets) targets.push_back(v.id);
  // d-ran: sm-a is Passive there, but its master acts as Fully-Active.
  EXPECT_THAT(targets, ElementsAre("v-core-1", "v-ran-1", "v-sub-1"));
  EXPECT_THAT(plan->skipped, ElementsAre("v-other-1"));
}

}  // namespace
}  // namespace nfvsm::instruction_test
