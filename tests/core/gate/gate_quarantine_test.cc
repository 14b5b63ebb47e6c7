// Quarantine vetoes come before any SM (IFA026 clause 4).
#include <gtest/gtest.h>

#include "core/gate/gate_test_support.h"

namespace nfvsm::gate_test {
namespace {

class GateQuarantineTest : public GateTest {
 protected:
  void SetUp() override {
    AddBound("fa", Mode::kFullyActive);
    AddBound("sa", Mode::kSemiActive);
    AddBound("pa", Mode::kPassive);
    transport_.AnswerInstantly("fa", Allow("fa"));
  }
  void Quarantine(QuarantineTarget target, const std::string& id,
                  bool replacement_allowed = false) {
    QuarantineEntry e;
    e.target = target;
    e.target_id = id;
    e.by_sm = "fa";
    e.domain = kDomain;
    e.at = clock_.Now();
    e.reason = "compromised";
    e.replacement_allowed = replacement_allowed;
    ASSERT_TRUE(quarantine_.Add(e).ok());
  }
  // Starts the gate and checks it was vetoed without involving any SM.
  void ExpectVeto(GateRequest req) {
    SCOPED_TRACE(req.id);
    ASSERT_TRUE(Start(req).ok());
    auto d = recorder_.Decision(req.id);
    ASSERT_TRUE(d);
    EXPECT_FALSE(d->allowed);
    EXPECT_TRUE(d->quarantine_veto);
    ASSERT_EQ(d->reasons.size(), 1u);
    EXPECT_FALSE(d->reasons[0].empty());
    EXPECT_TRUE(d->sms.empty());
    EXPECT_EQ(d->requested_at, d->decided_at);
    EXPECT_TRUE(transport_.AskedIn(req.id).empty());
    EXPECT_TRUE(transport_.NotifiedIn(req.id).empty());
    EXPECT_EQ(evaluator_.pending(), 0u);
  }
};

// covers: IFA026 4, R2.1.270
TEST_F(GateQuarantineTest, QuarantinedInstanceIsNeverRestartedOrMigrated) {
  Quarantine(QuarantineTarget::kVnfInstance, kVnf);
  for (OperationKind op : {OperationKind::kRestart, OperationKind::kHeal,
                           OperationKind::kMigrate, OperationKind::kScaleOut}) {
    ExpectVeto(Request(std::string("g-") + std::string(ToString(op)), op));
  }
  EXPECT_EQ(transport_.total_sent(), 0u);
}

// The request names only the VNF; its image comes from the inventory.
// covers: IFA026 4, R2.1.270
TEST_F(GateQuarantineTest, QuarantinedImageOfKnownVnfVetoesWithoutBeingNamed) {
  Quarantine(QuarantineTarget::kImage, std::string("img-") + kVnf);
  ExpectVeto(Request("g", OperationKind::kScaleOut));
}

// covers: IFA026 4, R2.1.330
TEST_F(GateQuarantineTest, NothingIsPlacedOnQuarantinedHost) {
  Quarantine(QuarantineTarget::kHost, "bad-host");
  GateRequest req = Request("g", OperationKind::kMigrate);
  req.target_host = "bad-host";
  ExpectVeto(req);
}

// covers: IFA026 4, R2.1.270
TEST_F(GateQuarantineTest, ReplacementFollowsTheEntryFlag) {
  Quarantine(QuarantineTarget::kVnfInstance, "old-vnf");
  GateRequest req = Request("g1", OperationKind::kInstantiate, "new-vnf");
  req.domain = kDomain;
  req.replaces_vnf_id = "old-vnf";
  ExpectVeto(req);

  Quarantine(QuarantineTarget::kVnfInstance, "old-vnf-2",
             /*replacement_allowed=*/true);
  req.id = "g2";
  req.replaces_vnf_id = "old-vnf-2";
  ASSERT_TRUE(Start(req).ok());
  auto d = recorder_.Decision("g2");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_FALSE(d->quarantine_veto);
  EXPECT_EQ(transport_.AskedIn("g2"), std::vector<SmId>{"fa"});
}

// A quarantine elsewhere does not get in the way.
// covers: IFA026 4
TEST_F(GateQuarantineTest, UnrelatedQuarantineDoesNotVeto) {
  Quarantine(QuarantineTarget::kVnfInstance, kOtherVnf);
  ASSERT_TRUE(Start(Request("g", OperationKind::kRestart)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(transport_.NotifiedIn("g"), (std::vector<SmId>{"pa", "sa"}));
}

// covers: IFA026 4
TEST_F(GateQuarantineTest, VetoStillRejectsADuplicatePendingId) {
  AddBound("slow", Mode::kFullyActive);
  ASSERT_TRUE(Start(Request("g")).ok());  // waits for "slow"
  Quarantine(QuarantineTarget::kVnfInstance, kVnf);
  EXPECT_EQ(Start(Request("g")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(recorder_.CallsFor("g"), 0u);
}

}  // namespace
}  // namespace nfvsm::gate_test
