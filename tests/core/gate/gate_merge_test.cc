// Merging several SMs' verdicts and policies: hierarchy (R2.1.50), peers,
// policy precedence (SEC024 5.2) and the security-policy requirement
// (R1.3.160).
#include <gtest/gtest.h>

#include <string>

#include "core/gate/gate_test_support.h"
#include "nfvsm/policy.h"

namespace nfvsm::gate_test {
namespace {

using std::chrono::seconds;

bool Contains(const std::vector<std::string>& reasons,
              std::string_view needle) {
  for (const auto& r : reasons) {
    if (r.find(needle) != std::string::npos) return true;
  }
  return false;
}

class GateHierarchyTest : public GateTest {
 protected:
  void SetUp() override {
    AddBound("master", Mode::kFullyActive);
    AddBound("sub", Mode::kFullyActive, Opts(), "master");
  }
};

// covers: R2.1.50
TEST_F(GateHierarchyTest, MasterAllowOverrulesSubDeny) {
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("sub")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("master")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_TRUE(d->reasons.empty());
  EXPECT_TRUE(Outcome(*d, "sub")->overruled_by_master);
  EXPECT_EQ(Outcome(*d, "sub")->verdict, Verdict::kDeny);
  EXPECT_FALSE(Outcome(*d, "master")->overruled_by_master);
}

// covers: R2.1.50, SEC024 5.2
TEST_F(GateHierarchyTest, MasterDenyOverrulesSubAllowAndItsPolicy) {
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("sub", ZonesPolicy({"z"}))).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("master", "compromised")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  ASSERT_EQ(d->reasons.size(), 1u);
  EXPECT_EQ(d->reasons[0], "SM 'master' (fully_active) denied: compromised");
  EXPECT_TRUE(Outcome(*d, "sub")->overruled_by_master);
}

// A master that stays silent under fail closed denies, and that verdict
// is a master's verdict like any other: it overrules the sub-SM's allow.
// covers: R2.1.50, R1.3.30
TEST_F(GateHierarchyTest, SilentFailClosedMasterOverrulesSubAllow) {
  const TimePoint t0 = clock_.Now();
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("sub")).ok());
  EXPECT_EQ(recorder_.CallsFor("g"), 0u);
  clock_.Set(t0 + seconds(30));
  EXPECT_EQ(evaluator_.ExpireDue(), 1u);
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  ASSERT_EQ(d->reasons.size(), 1u);
  EXPECT_EQ(d->reasons[0],
            "SM 'master' (fully_active) did not answer within 30s: fail "
            "closed");
  EXPECT_EQ(Outcome(*d, "master")->participation, Participation::kSilent);
  EXPECT_TRUE(Outcome(*d, "sub")->overruled_by_master);
}

// covers: R2.1.50
TEST_F(GateHierarchyTest, GrandMasterOverrulesTransitively) {
  AddBound("top", Mode::kFullyActive);
  SecurityManager master = *bindings_.GetSm("master");
  master.master = "top";
  ASSERT_TRUE(bindings_.PutSm(master).ok());
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("sub")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("master")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("top")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_TRUE(Outcome(*d, "sub")->overruled_by_master);
  EXPECT_TRUE(Outcome(*d, "master")->overruled_by_master);
}

// A master that is not bound to the domain itself learns of the operation
// through its sub-SM's binding, but has no say in the gate.
// covers: R2.1.50, R2.1.80
TEST_F(GateTest, MasterOnlyThroughHierarchyIsNotifiedNotAsked) {
  AddSm("boss");
  AddBound("sub", Mode::kFullyActive, Opts(), "boss");
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_EQ(transport_.AskedIn("g"), std::vector<SmId>{"sub"});
  EXPECT_EQ(transport_.NotifiedIn("g"), std::vector<SmId>{"boss"});
  EXPECT_EQ(evaluator_.OnAnswer("g", Allow("boss")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("sub")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  const SmOutcome* boss = Outcome(*d, "boss");
  ASSERT_NE(boss, nullptr);
  EXPECT_EQ(boss->participation, Participation::kNotified);
  EXPECT_EQ(boss->verdict, std::nullopt);
  EXPECT_FALSE(Outcome(*d, "sub")->overruled_by_master);
}

// covers: R2.1.40
TEST_F(GateTest, AnyFullyActiveDenyWinsAmongPeers) {
  AddBound("a", Mode::kFullyActive);
  AddBound("b", Mode::kFullyActive);
  AddBound("c", Mode::kFullyActive);
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("a")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("b", "bad image")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("c")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->reasons, std::vector<std::string>{
                            "SM 'b' (fully_active) denied: bad image"});
  ASSERT_EQ(d->sms.size(), 3u);
  EXPECT_EQ(d->sms[0].sm, "a");
  EXPECT_EQ(d->sms[1].sm, "b");
  EXPECT_EQ(d->sms[2].sm, "c");
}

// covers: R2.1.40, SEC024 5.2
TEST_F(GateTest, FullyActivePoliciesMergeAndSupersedeManoAttributes) {
  AddBound("a", Mode::kFullyActive);
  AddBound("b", Mode::kFullyActive);
  GateRequest req = Request("g", OperationKind::kInstantiate);
  req.mano_attributes = ZonesPolicy({"z1", "z2"});
  req.mano_attributes.placement.anti_affinity_group = "vnfd-group";
  Policy pa = ZonesPolicy({"z3", "z4"});
  Policy pb = ZonesPolicy({"z4", "z5"});
  pb.placement.hmee_required = true;
  ASSERT_TRUE(Start(req).ok());
  // Answer order must not matter: precedence is by hierarchy, then id.
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("b", pb)).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("a", pa)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->allowed);
  EXPECT_EQ(d->effective_policy,
            Supersede(req.mano_attributes, MergePolicies({pa, pb})));
  // The SMs' zones replace MANO's (z3 is nothing MANO offered).
  EXPECT_EQ(d->effective_policy.placement.allowed_zones,
            std::set<std::string>{"z4"});
  EXPECT_TRUE(d->effective_policy.placement.hmee_required);
}

// covers: R2.1.30
TEST_F(GateTest, SemiActivePolicyOnlyRestricts) {
  AddBound("sa", Mode::kSemiActive, Opts().Window(seconds(5)));
  GateRequest req = Request("g", OperationKind::kInstantiate);
  req.mano_attributes = ZonesPolicy({"z1", "z2"});
  ASSERT_TRUE(Start(req).ok());
  const Policy p = ZonesPolicy({"z2", "z3"});
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("sa", p)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->allowed);
  EXPECT_EQ(d->effective_policy, Restrict(req.mano_attributes, p));
  EXPECT_EQ(d->effective_policy.placement.allowed_zones,
            std::set<std::string>{"z2"});
}

// covers: R2.1.30, R2.1.40, SEC024 5.2
TEST_F(GateTest, FullyActiveSupersedesThenSemiActiveRestricts) {
  AddBound("fa", Mode::kFullyActive);
  AddBound("sa", Mode::kSemiActive, Opts().Window(seconds(5)));
  GateRequest req = Request("g", OperationKind::kInstantiate);
  req.mano_attributes = ZonesPolicy({"z1"});
  const Policy fa = ZonesPolicy({"z2", "z3"});
  const Policy sa = ZonesPolicy({"z3", "z4"});
  ASSERT_TRUE(Start(req).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("sa", sa)).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("fa", fa)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  ASSERT_TRUE(d->allowed);
  EXPECT_EQ(d->effective_policy,
            Restrict(Supersede(req.mano_attributes, MergePolicies({fa})), sa));
  EXPECT_EQ(d->effective_policy.placement.allowed_zones,
            std::set<std::string>{"z3"});
}

// A Semi-Active SM without a window is still waited for, up to the gate
// deadline, when the VNF needs its policy; the inventory's flag counts even
// if the request does not repeat it.
// covers: R2.1.30, R1.3.160
TEST_F(GateTest, SemiActiveIsWaitedForPolicyWhenVnfNeedsOne) {
  AddVnf("vnf-p", kDomain, /*needs_policy=*/true);
  AddBound("sa", Mode::kSemiActive);
  const TimePoint t0 = clock_.Now();
  ASSERT_TRUE(Start(Request("g", OperationKind::kHeal, "vnf-p")).ok());
  EXPECT_EQ(transport_.AskedIn("g"), std::vector<SmId>{"sa"});
  EXPECT_EQ(evaluator_.NextDeadline(), t0 + seconds(30));
  clock_.Advance(seconds(20));
  EXPECT_EQ(evaluator_.ExpireDue(), 0u);
  const Policy p = ZonesPolicy({"z1"});
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("sa", p)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->effective_policy, Restrict(Policy{}, p));
  EXPECT_EQ(Outcome(*d, "sa")->latency, seconds(20));
}

// covers: R1.3.160, R2.1.30
TEST_F(GateTest, SilentSemiActiveLeavesPolicyUnaddressedAndDenies) {
  AddBound("sa", Mode::kSemiActive, Opts().Fail(FailMode::kOpen));
  GateRequest req = Request("g", OperationKind::kInstantiate);
  req.needs_security_policy = true;
  ASSERT_TRUE(Start(req).ok());
  clock_.Advance(seconds(30));
  EXPECT_EQ(evaluator_.ExpireDue(), 1u);
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->reasons,
            std::vector<std::string>{"no security policy provided (R1.3.160)"});
  EXPECT_EQ(Outcome(*d, "sa")->verdict, std::nullopt);
}

// An allow without a policy does not address the policy either.
// covers: R1.3.160, R2.1.40
TEST_F(GateTest, FullyActiveAllowWithoutPolicyDeniesWhenPolicyNeeded) {
  AddBound("fa", Mode::kFullyActive);
  GateRequest req = Request("g", OperationKind::kScaleOut);
  req.needs_security_policy = true;
  ASSERT_TRUE(Start(req).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("fa")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_TRUE(Contains(d->reasons, "R1.3.160"));
}

// Decision: with no Semi- or Fully-Active SM bound, nobody can ever provide
// the policy; the gate fails closed and says why.
// covers: R1.3.160, R1.3.30
TEST_F(GateTest, PolicyNeededButNoActiveSmBoundDenies) {
  AddBound("p", Mode::kPassive);
  GateRequest req = Request("g", OperationKind::kInstantiate);
  req.needs_security_policy = true;
  ASSERT_TRUE(Start(req).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_TRUE(Contains(d->reasons, "no Semi-Active or Fully-Active SM"));

  // Also with no SM at all.
  GateRequest other = Request("g2", OperationKind::kInstantiate, kOtherVnf);
  other.needs_security_policy = true;
  ASSERT_TRUE(Start(other).ok());
  auto d2 = recorder_.Decision("g2");
  ASSERT_TRUE(d2);
  EXPECT_FALSE(d2->allowed);
  EXPECT_TRUE(d2->sms.empty());
}

// covers: R2.1.10
TEST_F(GateTest, NoSmBoundAllowsWithManoAttributes) {
  GateRequest req = Request("g", OperationKind::kInstantiate, kOtherVnf);
  req.mano_attributes = ZonesPolicy({"z1"});
  ASSERT_TRUE(Start(req).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->domain, kOtherDomain);
  EXPECT_EQ(d->effective_policy, req.mano_attributes);
}

// Each SM gets the reason that concerns it; sub-second deadlines read as
// such.
// covers: R1.3.30, R2.1.40
TEST_F(GateTest, ReasonsNameSmModeAndDeadline) {
  AddBound("fast", Mode::kFullyActive,
           Opts().Deadline(std::chrono::milliseconds(1500)));
  ASSERT_TRUE(Start(Request("g")).ok());
  clock_.Advance(std::chrono::milliseconds(1500));
  EXPECT_EQ(evaluator_.ExpireDue(), 1u);
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->reasons,
            std::vector<std::string>{"SM 'fast' (fully_active) did not answer "
                                     "within 1500ms: fail closed"});
}

}  // namespace
}  // namespace nfvsm::gate_test
