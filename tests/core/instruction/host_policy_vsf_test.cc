// Stop using a host (R2.1.320/330), apply policy (R2.1.310), insert/remove
// security functions (R2.1.340).
#include <string>
#include <vector>

#include "core/instruction/instruction_fixture.h"

namespace nfvsm::instruction_test {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Instruction StopUsing(const SmId& sm, const std::string& host,
                      HostAction action, bool quarantine_host) {
  Instruction in;
  in.id = "ins-host";
  in.sm = sm;
  in.kind = InstructionKind::kStopUsingHost;
  in.reason = "host firmware compromised";
  in.host = host;
  in.host_action = action;
  in.quarantine_host = quarantine_host;
  return in;
}

// covers: R2.1.330
TEST_F(InstructionTest, StopUsingHostMigratesItsVnfs) {
  InstructionOutcome out =
      Run(StopUsing("sm-a", "h2", HostAction::kMigrate, false));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  // v-core-dead is on h2 too, but terminated: nothing to move.
  EXPECT_THAT(CallNames(), ElementsAre("MigrateVnf v-core-2"));
  EXPECT_EQ(actuator_.calls()[0].detail, "away_from=h2");
  EXPECT_THAT(QuarantineKeys(), IsEmpty());
  auto v = inventory_.Get("v-core-2");
  EXPECT_EQ(v->state, VnfState::kActive);
  EXPECT_EQ(v->host, "h2");  // the VIM reports where it went
}

// covers: R2.1.330, IFA026 4
TEST_F(InstructionTest, StopUsingHostTerminatesAndQuarantinesTheHost) {
  InstructionOutcome out =
      Run(StopUsing("sm-a", "h2", HostAction::kTerminate, true));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(CallNames(),
              ElementsAre("QuarantineHost h2", "TerminateVnf v-core-2"));
  EXPECT_EQ(actuator_.calls()[0].detail, "reason=host firmware compromised");
  EXPECT_THAT(QuarantineKeys(),
              ElementsAre("vnf_instance v-core-2", "host h2"));
  EXPECT_EQ(StateOf("v-core-2"), VnfState::kTerminated);
  auto e = quarantine_.Find(QuarantineTarget::kVnfInstance, "v-core-2");
  EXPECT_TRUE(e->terminated);
  EXPECT_TRUE(e->replacement_allowed);
  // A replacement may run, but never on the quarantined host.
  OperationTarget replace;
  replace.vnf_id = "v-core-2b";
  replace.replaces_vnf_id = "v-core-2";
  replace.target_host = "h2";
  EXPECT_EQ(quarantine_.Check(replace).code(), StatusCode::kFailedPrecondition);
  replace.target_host = "h9";
  EXPECT_TRUE(quarantine_.Check(replace).ok());
}

// covers: R2.1.320, R2.1.260
TEST_F(InstructionTest, SemiActiveStopUsingHostInformsOssBssBeforeTerminating) {
  auto migrate =
      processor_.Plan(StopUsing("sm-a", "h3", HostAction::kMigrate, true));
  ASSERT_TRUE(migrate.ok()) << migrate.status().ToString();
  EXPECT_FALSE(migrate->informs_oss_bss_first);

  InstructionOutcome out =
      Run(StopUsing("sm-a", "h3", HostAction::kTerminate, true));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(CallNames(),
              ElementsAre("NotifyOssBss v-edge-1", "QuarantineHost h3",
                          "TerminateVnf v-edge-1"));
}

// covers: R2.1.320/330, R1.1.50, R2.1.90
TEST_F(InstructionTest, StopUsingHostNeedsAuthorityOverEveryVnfOnIt) {
  auto plan =
      processor_.Plan(StopUsing("sm-a", "h1", HostAction::kMigrate, false));
  ASSERT_FALSE(plan.ok());
  EXPECT_EQ(plan.status().code(), StatusCode::kPermissionDenied);
  // h1 holds v-other-1 in d-other, where sm-a has no authority.
  EXPECT_THAT(plan.status().message(), HasSubstr("v-other-1"));
  EXPECT_THAT(plan.status().message(), HasSubstr("d-other"));
}

// covers: R2.1.320/330, R2.1.20
TEST_F(InstructionTest, StopUsingAnEmptyHostNeedsSomeActiveAuthority) {
  auto ok =
      processor_.Plan(StopUsing("sm-a", "h-empty", HostAction::kMigrate, true));
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_FALSE(ok->domains.empty());
  ASSERT_EQ(ok->quarantine.size(), 1u);
  EXPECT_EQ(ok->quarantine[0].target, QuarantineTarget::kHost);

  auto passive =
      processor_.Plan(StopUsing("sm-p", "h-empty", HostAction::kMigrate, true));
  EXPECT_EQ(passive.status().code(), StatusCode::kPermissionDenied);
}

Policy ValidPolicy() {
  Policy p;
  p.id = "pol-1";
  p.placement.allowed_zones = {"zone-a"};
  return p;
}

// covers: R2.1.310
TEST_F(InstructionTest, ApplyPolicyToListedVnfs) {
  Instruction in = Make("sm-a", InstructionKind::kApplyPolicy, {"v-core-2"});
  in.policy = ValidPolicy();
  InstructionOutcome out = Run(in);
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(CallNames(), ElementsAre("ApplyPolicy v-core-2"));
  EXPECT_THAT(actuator_.calls()[0].detail, HasSubstr("policy=pol-1"));
  EXPECT_THAT(QuarantineKeys(), IsEmpty());
}

// covers: R2.1.310, R2.1.30
TEST_F(InstructionTest, ApplyPolicyToADomainReachesItsLiveVnfs) {
  Instruction in = Make("sm-a", InstructionKind::kApplyPolicy);
  in.domain = "d-edge";  // Semi-Active may send policy too
  in.policy = ValidPolicy();
  EXPECT_TRUE(Run(in).status.ok());
  in.domain = "d-core";
  actuator_.Clear();
  EXPECT_TRUE(Run(in).status.ok());
  EXPECT_THAT(CallNames(),
              ElementsAre("ApplyPolicy v-core-1", "ApplyPolicy v-core-2"));
}

// covers: R2.1.310, R2.1.90
TEST_F(InstructionTest, ApplyPolicyIsValidatedAndAuthorized) {
  Instruction in = Make("sm-a", InstructionKind::kApplyPolicy, {"v-core-1"});
  in.policy = ValidPolicy();
  in.policy.version = 99;
  auto bad = processor_.Plan(in);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("policy: "));

  in.policy = ValidPolicy();
  in.vnf_ids = {"v-other-1"};
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
  in.vnf_ids.clear();
  in.domain = "d-other";
  EXPECT_EQ(processor_.Plan(in).status().code(), StatusCode::kPermissionDenied);
  in.vnf_ids = {"v-core-dead"};
  in.domain.clear();
  EXPECT_EQ(processor_.Plan(in).status().code(),
            StatusCode::kFailedPrecondition);
  in.vnf_ids = {"v-core-1"};
  in.domain = "d-edge";  // v-core-1 is not in it
  auto mismatch = processor_.Plan(in);
  EXPECT_EQ(mismatch.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(mismatch.status().message(), HasSubstr("vnf_ids[0]"));
  EXPECT_TRUE(actuator_.calls().empty());
}

Instruction Vsf(const SmId& sm, InstructionKind kind, const std::string& ns) {
  Instruction in;
  in.id = "ins-vsf";
  in.sm = sm;
  in.kind = kind;
  in.ns_id = ns;
  in.function = {.vsf_vnfd_id = "vnfd-firewall",
                 .after = "v-core-1",
                 .before = "v-core-2"};
  return in;
}

// covers: R2.1.340
TEST_F(InstructionTest, InsertAndRemoveSecurityFunction) {
  InstructionOutcome in =
      Run(Vsf("sm-a", InstructionKind::kInsertSecurityFunction, "ns-1"));
  ASSERT_TRUE(in.status.ok()) << in.status.ToString();
  InstructionOutcome out =
      Run(Vsf("sm-a", InstructionKind::kRemoveSecurityFunction, "ns-1"));
  ASSERT_TRUE(out.status.ok()) << out.status.ToString();
  EXPECT_THAT(CallNames(), ElementsAre("InsertSecurityFunction ns-1",
                                       "RemoveSecurityFunction ns-1"));
  EXPECT_EQ(actuator_.calls()[0].detail,
            "vsf=vnfd-firewall after=v-core-1 before=v-core-2");
  EXPECT_THAT(in.done, ElementsAre("insert_security_function ns-1"));
}

// covers: R2.1.340, R2.1.90
TEST_F(InstructionTest, SecurityFunctionNeedsAuthorityOverTheWholeService) {
  // ns-3 spans d-sub (sm-a is master there) and d-other (no authority).
  auto mixed = processor_.Plan(
      Vsf("sm-a", InstructionKind::kInsertSecurityFunction, "ns-3"));
  EXPECT_EQ(mixed.status().code(), StatusCode::kPermissionDenied);
  // ns-4 is only in d-ran, where sm-a is Passive.
  auto passive = processor_.Plan(
      Vsf("sm-a", InstructionKind::kInsertSecurityFunction, "ns-4"));
  EXPECT_EQ(passive.status().code(), StatusCode::kPermissionDenied);
  auto unknown = processor_.Plan(
      Vsf("sm-a", InstructionKind::kInsertSecurityFunction, "ns-none"));
  EXPECT_EQ(unknown.status().code(), StatusCode::kNotFound);
}

}  // namespace
}  // namespace nfvsm::instruction_test
