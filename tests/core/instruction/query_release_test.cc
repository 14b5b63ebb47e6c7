// Status and history queries (R2.1.350, R2.1.360, R2.1.200) and the release
// of quarantines (IFA026 4).
#include <string>
#include <vector>

#include "core/instruction/instruction_fixture.h"

namespace nfvsm::instruction_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

std::vector<VnfId> Ids(const std::vector<VnfRecord>& vnfs) {
  std::vector<VnfId> out;
  for (const auto& v : vnfs) out.push_back(v.id);
  return out;
}

std::vector<std::string> EventIds(const std::vector<LifecycleEvent>& events) {
  std::vector<std::string> out;
  for (const auto& e : events) out.push_back(e.id);
  return out;
}

// covers: R2.1.350, R2.1.50, R2.1.90, IFA026 4
TEST_F(InstructionTest, StatusListShowsOnlyLiveVnfsOfTheSmsDomains) {
  InstructionOutcome a = Run(Make("sm-a", InstructionKind::kStatusQuery));
  ASSERT_TRUE(a.status.ok()) << a.status.ToString();
  // Own bindings (d-core, d-edge, d-ran) and its sub-SM's d-sub; never
  // d-other or its master's d-mgmt, never the terminated v-core-dead.
  EXPECT_THAT(
      Ids(a.status_list),
      ElementsAre("v-core-1", "v-core-2", "v-edge-1", "v-ran-1", "v-sub-1"));

  InstructionOutcome b = Run(Make("sm-b", InstructionKind::kStatusQuery));
  EXPECT_THAT(Ids(b.status_list), ElementsAre("v-other-1"));
  EXPECT_TRUE(actuator_.calls().empty());
}

// covers: R2.1.350, R2.1.90
TEST_F(InstructionTest, StatusListFilters) {
  Instruction in = Make("sm-a", InstructionKind::kStatusQuery);
  in.domain = "d-core";
  EXPECT_THAT(Ids(Run(in).status_list), ElementsAre("v-core-1", "v-core-2"));

  in.domain.clear();
  in.vnf_ids = {"v-edge-1", "v-sub-1"};
  EXPECT_THAT(Ids(Run(in).status_list), ElementsAre("v-edge-1", "v-sub-1"));

  in.vnf_ids = {"v-other-1"};
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
  in.vnf_ids.clear();
  in.domain = "d-other";
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
  in.domain = "d-mgmt";
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
}

// covers: R2.1.350, R2.1.50
TEST_F(InstructionTest, MasterStatusListCoversItsWholeHierarchy) {
  InstructionOutcome m = Run(Make("csp-master", InstructionKind::kStatusQuery));
  EXPECT_THAT(Ids(m.status_list),
              ElementsAre("v-core-1", "v-core-2", "v-edge-1", "v-mgmt-1",
                          "v-ran-1", "v-sub-1"));
}

LifecycleEvent Event(std::string id, EventKind kind, VnfId vnf, DomainId domain,
                     TimePoint at) {
  LifecycleEvent e;
  e.id = std::move(id);
  e.kind = kind;
  e.vnf_id = std::move(vnf);
  e.domain = std::move(domain);
  e.occurred_at = at;
  return e;
}

class HistoryTest : public InstructionTest {
 protected:
  void SetUp() override {
    InstructionTest::SetUp();
    using std::chrono::seconds;
    // The fake reader returns all of these whatever the query says, so the
    // filtering below is Execute's own.
    history_ = {
        Event("e1", EventKind::kCreate, "v-core-1", "d-core", kT0 + seconds(1)),
        Event("e2", EventKind::kCrash, "v-core-1", "d-core", kT0 + seconds(2)),
        Event("e3", EventKind::kModify, "v-other-1", "d-other",
              kT0 + seconds(3)),
        Event("e4", EventKind::kCreate, "v-ran-1", "d-ran", kT0 + seconds(4)),
        Event("e5", EventKind::kTerminate, "v-core-2", "d-core",
              kT0 + seconds(10)),
        Event("e6", EventKind::kCrash, "v-sub-1", "d-sub", kT0 + seconds(4)),
    };
  }

  Instruction Query(const SmId& sm) {
    Instruction in = Make(sm, InstructionKind::kHistoryQuery);
    in.from = kT0;
    in.to = kT0 + std::chrono::seconds(5);
    return in;
  }
};

// covers: R2.1.360, R2.1.200, R2.1.90
TEST_F(HistoryTest, FilteredByScopeTimeRangeAndHiddenKinds) {
  InstructionOutcome out = Run(Query("sm-a"));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  // e2: crash hidden from sm-a in d-core; e3: foreign domain; e5: after
  // the range. e6: a crash in d-sub, which sm-sub does not hide.
  EXPECT_THAT(EventIds(out.history), ElementsAre("e1", "e4", "e6"));
  ASSERT_EQ(queries_.size(), 1u);
  EXPECT_EQ(queries_[0].domains,
            (std::set<DomainId>{"d-core", "d-edge", "d-ran", "d-sub"}));
  EXPECT_EQ(queries_[0].from, kT0);
  EXPECT_EQ(queries_[0].to, kT0 + std::chrono::seconds(5));
}

// covers: R2.1.360
TEST_F(HistoryTest, DomainAndVnfFilters) {
  Instruction in = Query("sm-a");
  in.domain = "d-ran";
  EXPECT_THAT(EventIds(Run(in).history), ElementsAre("e4"));
  EXPECT_EQ(queries_.back().domains, std::set<DomainId>{"d-ran"});

  in.domain.clear();
  in.vnf_ids = {"v-core-1"};
  EXPECT_THAT(EventIds(Run(in).history), ElementsAre("e1"));
  EXPECT_EQ(queries_.back().vnf_id, std::optional<VnfId>("v-core-1"));

  in.vnf_ids.clear();
  in.domain = "d-other";
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
}

// covers: R2.1.360, R2.1.200
TEST_F(HistoryTest, HiddenKindsFollowTheQueryingSmsBinding) {
  // sm-p's d-core binding hides nothing.
  EXPECT_THAT(EventIds(Run(Query("sm-p")).history), ElementsAre("e1", "e2"));
  // Hiding crashes from sm-sub hides them from its masters too.
  Bind("sm-sub", "d-sub", Mode::kFullyActive, EventKindSet{EventKind::kCrash});
  EXPECT_THAT(EventIds(Run(Query("sm-a")).history), ElementsAre("e1", "e4"));
}

// covers: R2.1.360
TEST_F(HistoryTest, ReaderFailureIsReported) {
  history_error_ = UnavailableError("store busy");
  InstructionOutcome out = Run(Query("sm-a"));
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(out.failed, ElementsAre(HasSubstr("store busy")));
  EXPECT_THAT(out.history, IsEmpty());
}

// covers: IFA026 4, R2.1.270
TEST_F(InstructionTest, QuarantiningSmReleases) {
  ASSERT_TRUE(Run(Terminate("sm-a", {"v-core-1"})).status.ok());
  Instruction release = Make("sm-a", InstructionKind::kReleaseQuarantine);
  release.release_target = QuarantineTarget::kVnfInstance;
  release.release_id = "v-core-1";
  actuator_.Clear();
  InstructionOutcome out = Run(release);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(CallNames(), ElementsAre("ReleaseQuarantine v-core-1"));
  EXPECT_EQ(actuator_.calls()[0].detail, "target=vnf_instance");
  EXPECT_FALSE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-core-1"));
}

// covers: IFA026 4, R2.1.50, R2.1.90
TEST_F(InstructionTest, ReleaseByMasterOnlyOthersRefused) {
  ASSERT_TRUE(Run(Terminate("sm-a", {"v-core-1"})).status.ok());
  Instruction release = Make("sm-b", InstructionKind::kReleaseQuarantine);
  release.release_id = "v-core-1";
  EXPECT_EQ(processor_.Plan(release).status().code(),
            StatusCode::kPermissionDenied);
  release.sm = "sm-sub";  // a sub-SM may not undo its master's quarantine
  EXPECT_EQ(processor_.Plan(release).status().code(),
            StatusCode::kPermissionDenied);
  release.sm = "sm-p";  // bound to the domain, but not the quarantining SM
  EXPECT_EQ(processor_.Plan(release).status().code(),
            StatusCode::kPermissionDenied);
  release.sm = "csp-master";
  EXPECT_TRUE(Run(release).status.ok());
  EXPECT_TRUE(quarantine_.List().empty());

  release.release_id = "v-core-1";
  EXPECT_EQ(processor_.Plan(release).status().code(), StatusCode::kNotFound);
}

// covers: IFA026 4, R2.1.50
TEST_F(InstructionTest, SubSmCannotReleaseItsMastersQuarantine) {
  // csp-master quarantines in d-core, where sm-a is Fully-Active itself.
  ASSERT_TRUE(Run(Terminate("csp-master", {"v-core-1"})).status.ok());
  Instruction release = Make("sm-a", InstructionKind::kReleaseQuarantine);
  release.release_id = "v-core-1";
  auto plan = processor_.Plan(release);
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(plan.status().message(), HasSubstr("quarantining SM"));
}

// covers: IFA026 4, R2.1.20
TEST_F(InstructionTest, ReleaseNeedsNonPassiveAuthorityInTheEntrysDomain) {
  QuarantineEntry e;
  e.target = QuarantineTarget::kVnfInstance;
  e.target_id = "v-ran-1";
  e.by_sm = "sm-a";
  e.domain = "d-ran";  // sm-a is Passive there
  ASSERT_TRUE(quarantine_.Add(e).ok());
  Instruction release = Make("sm-a", InstructionKind::kReleaseQuarantine);
  release.release_id = "v-ran-1";
  auto plan = processor_.Plan(release);
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  EXPECT_THAT(plan.status().message(), HasSubstr("R2.1.20"));
}

// covers: IFA026 4
TEST_F(InstructionTest, FailedCloudReleaseKeepsTheVeto) {
  ASSERT_TRUE(Run(Terminate("sm-a", {"v-core-1"})).status.ok());
  actuator_.FailMethod("ReleaseQuarantine");
  Instruction release = Make("sm-a", InstructionKind::kReleaseQuarantine);
  release.release_id = "v-core-1";
  InstructionOutcome out = Run(release);
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_TRUE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-core-1"));
}

}  // namespace
}  // namespace nfvsm::instruction_test
