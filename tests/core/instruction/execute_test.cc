// Execution: quarantine before actuation, failures recorded without
// stopping, inventory updates; the recording actuator; enum names.
#include <stdexcept>
#include <string>
#include <vector>

#include "core/instruction/instruction_fixture.h"

namespace nfvsm::instruction_test {
namespace {

using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::StartsWith;

// covers: R2.1.270, SEC003
TEST_F(InstructionTest, FailingStepIsRecordedAndTheRestStillRun) {
  actuator_.FailMethod("EraseInstanceStorage");
  TerminateFlags f;
  f.quarantine_copy = true;
  f.erase_storage = true;
  f.quarantine_image_and_vnfd = true;
  InstructionOutcome out = Run(Terminate("sm-a", {"v-core-1", "v-core-2"}, f));

  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(out.status.message(),
              HasSubstr("erase_instance_storage v-core-1"));
  EXPECT_THAT(out.failed,
              ElementsAre(StartsWith("erase_instance_storage v-core-1: "),
                          StartsWith("erase_instance_storage v-core-2: ")));
  EXPECT_THAT(out.done, Contains("terminate_vnf v-core-1"));
  EXPECT_THAT(out.done, Contains("terminate_vnf v-core-2"));
  EXPECT_THAT(out.done, Contains("quarantine_vnfd vnfd-v-core-2"));
  EXPECT_EQ(out.done.size() + out.failed.size(), 10u);
  EXPECT_EQ(out.instruction_id, "ins-1");
  EXPECT_EQ(StateOf("v-core-1"), VnfState::kTerminated);
  EXPECT_EQ(StateOf("v-core-2"), VnfState::kTerminated);
}

// covers: R2.1.270, IFA026 4
TEST_F(InstructionTest, FailedTerminationKeepsTheVnfStateButTheVeto) {
  actuator_.FailMethod("TerminateVnf");
  InstructionOutcome out = Run(Terminate("sm-a", {"v-core-1"}));
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_EQ(StateOf("v-core-1"), VnfState::kActive);
  EXPECT_TRUE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-core-1"));
}

// Forwards to a RecordingActuator (which is final), so that tests can
// override single methods.
class ForwardingActuator : public Actuator {
 public:
  Status NotifyOssBss(const OssBssNotice& n) override {
    return inner.NotifyOssBss(n);
  }
  Status TerminateVnf(const VnfRecord& v, const TerminateFlags& f) override {
    return inner.TerminateVnf(v, f);
  }
  Status QuarantineInstanceCopy(const VnfRecord& v) override {
    return inner.QuarantineInstanceCopy(v);
  }
  Status QuarantineImage(const std::string& id) override {
    return inner.QuarantineImage(id);
  }
  Status QuarantineVnfd(const std::string& id) override {
    return inner.QuarantineVnfd(id);
  }
  Status QuarantineHost(const std::string& h, const std::string& r) override {
    return inner.QuarantineHost(h, r);
  }
  Status EraseInstanceStorage(const VnfRecord& v) override {
    return inner.EraseInstanceStorage(v);
  }
  Status MigrateVnf(const VnfRecord& v, const std::string& h) override {
    return inner.MigrateVnf(v, h);
  }
  Status ApplyPolicy(const VnfRecord& v, const Policy& p) override {
    return inner.ApplyPolicy(v, p);
  }
  Status InsertSecurityFunction(const std::string& ns,
                                const SecurityFunctionSpec& f) override {
    return inner.InsertSecurityFunction(ns, f);
  }
  Status RemoveSecurityFunction(const std::string& ns,
                                const SecurityFunctionSpec& f) override {
    return inner.RemoveSecurityFunction(ns, f);
  }
  Status ReleaseQuarantine(QuarantineTarget t, const std::string& id) override {
    return inner.ReleaseQuarantine(t, id);
  }
  RecordingActuator inner;
};

// Checks, from inside the actuator, what MANO's recovery would be told.
class VetoProbeActuator : public ForwardingActuator {
 public:
  explicit VetoProbeActuator(const QuarantineRegistry& q) : q_(q) {}
  Status TerminateVnf(const VnfRecord& vnf,
                      const TerminateFlags& flags) override {
    OperationTarget heal;
    heal.operation = OperationKind::kHeal;
    heal.vnf_id = vnf.id;
    heal.is_recovery = true;
    vetoed_during_termination = !q_.Check(heal).ok();
    return ForwardingActuator::TerminateVnf(vnf, flags);
  }
  bool vetoed_during_termination = false;

 private:
  const QuarantineRegistry& q_;
};

// covers: IFA026 4, R2.1.270
TEST_F(InstructionTest, QuarantineTakesEffectBeforeAnyActuation) {
  VetoProbeActuator probe(quarantine_);
  InstructionProcessor p(bindings_, inventory_, quarantine_, probe, nullptr,
                         clock_);
  auto plan = p.Plan(Terminate("sm-a", {"v-core-1"}));
  ASSERT_TRUE(plan.ok());
  EXPECT_FALSE(
      quarantine_.IsQuarantined(QuarantineTarget::kVnfInstance, "v-core-1"))
      << "Plan must have no side effects";
  EXPECT_TRUE(p.Execute(*plan).status.ok());
  EXPECT_TRUE(probe.vetoed_during_termination);
}

class ThrowingActuator : public ForwardingActuator {
 public:
  Status QuarantineInstanceCopy(const VnfRecord&) override {
    throw std::runtime_error("sdk exploded");
  }
};

// covers: R2.1.270
TEST_F(InstructionTest, ActuatorExceptionsBecomeFailedSteps) {
  ThrowingActuator throwing;
  InstructionProcessor p(bindings_, inventory_, quarantine_, throwing, nullptr,
                         clock_);
  TerminateFlags f;
  f.quarantine_copy = true;
  auto plan = p.Plan(Terminate("sm-a", {"v-core-1"}, f));
  ASSERT_TRUE(plan.ok());
  InstructionOutcome out = p.Execute(*plan);
  EXPECT_EQ(out.status.code(), StatusCode::kUnavailable);
  EXPECT_THAT(out.failed, ElementsAre(HasSubstr("sdk exploded")));
  EXPECT_THAT(out.done, ElementsAre("terminate_vnf v-core-1"));
}

// covers: R2.1.360
TEST_F(InstructionTest, HistoryWithoutAReaderIsUnavailable) {
  InstructionProcessor p(bindings_, inventory_, quarantine_, actuator_, nullptr,
                         clock_);
  Instruction in = Make("sm-a", InstructionKind::kHistoryQuery);
  in.from = kT0;
  in.to = kT0 + std::chrono::seconds(1);
  auto plan = p.Plan(in);
  ASSERT_TRUE(plan.ok());
  EXPECT_EQ(p.Execute(*plan).status.code(), StatusCode::kUnavailable);
}

// covers: R2.1.260, R2.1.270
TEST(RecordingActuatorTest, RecordsEveryCallAndFailsOnlyWhatItIsTold) {
  RecordingActuator a;
  VnfRecord v;
  v.id = "v1";
  v.host = "h1";
  SecurityFunctionSpec fn{.vsf_vnfd_id = "fw", .after = "a", .before = "b"};
  Policy policy;
  policy.id = "p1";
  a.FailMethod("QuarantineVnfd");
  EXPECT_TRUE(a.NotifyOssBss({.sm = "sm",
                              .vnf_ids = {"v1", "v2"},
                              .requestor_ids = {"o1"},
                              .ns_ids = {"ns"},
                              .reason = "why"})
                  .ok());
  TerminateFlags flags;
  flags.replacement_allowed = true;
  EXPECT_TRUE(a.TerminateVnf(v, flags).ok());
  EXPECT_TRUE(a.QuarantineInstanceCopy(v).ok());
  EXPECT_TRUE(a.QuarantineImage("img").ok());
  EXPECT_EQ(a.QuarantineVnfd("vnfd").code(), StatusCode::kUnavailable);
  EXPECT_TRUE(a.QuarantineHost("h1", "bad").ok());
  EXPECT_TRUE(a.EraseInstanceStorage(v).ok());
  EXPECT_TRUE(a.MigrateVnf(v, "h1").ok());
  EXPECT_TRUE(a.ApplyPolicy(v, policy).ok());
  EXPECT_TRUE(a.InsertSecurityFunction("ns", fn).ok());
  EXPECT_TRUE(a.RemoveSecurityFunction("ns", fn).ok());
  EXPECT_TRUE(a.ReleaseQuarantine(QuarantineTarget::kHost, "h1").ok());

  std::vector<std::string> got;
  for (const auto& c : a.calls()) {
    got.push_back(c.method + "|" + c.target + "|" + c.detail);
  }
  EXPECT_THAT(
      got,
      ElementsAre(
          "NotifyOssBss|v1,v2|sm=sm requestors=o1 ns=ns reason=why",
          "TerminateVnf|v1|replacement_allowed=1 quarantine_copy=0 "
          "recovery_allowed=0 quarantine_image_and_vnfd=0 quarantine_host=0 "
          "terminate_colocated=0 erase_storage=0",
          "QuarantineInstanceCopy|v1|host=h1", "QuarantineImage|img|",
          "QuarantineVnfd|vnfd|", "QuarantineHost|h1|reason=bad",
          "EraseInstanceStorage|v1|host=h1", "MigrateVnf|v1|away_from=h1",
          "ApplyPolicy|v1|policy=p1 on_update=" +
              std::string(ToString(policy.on_update)),
          "InsertSecurityFunction|ns|vsf=fw after=a before=b",
          "RemoveSecurityFunction|ns|vsf=fw after=a before=b",
          "ReleaseQuarantine|h1|target=host"));
  a.Clear();
  EXPECT_TRUE(a.calls().empty());
}

// covers: R2.1.320/330
TEST(InstructionNamesTest, HostActionRoundTripsAndRejectsUnknownNames) {
  for (HostAction h : {HostAction::kMigrate, HostAction::kTerminate}) {
    auto parsed = ParseHostAction(ToString(h));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, h);
  }
  auto bad = ParseHostAction("evacuate");
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(bad.status().message(), HasSubstr("evacuate"));
  EXPECT_EQ(ToString(static_cast<HostAction>(9)), "invalid");
}

// covers: R2.1.260 - R2.1.360
TEST(InstructionNamesTest, StepKindsHaveDistinctWireNames) {
  std::set<std::string_view> names;
  for (int k = 0; k <= static_cast<int>(ActuatorStep::Kind::kReleaseQuarantine);
       ++k) {
    auto name = ToString(static_cast<ActuatorStep::Kind>(k));
    EXPECT_NE(name, "invalid");
    names.insert(name);
  }
  EXPECT_EQ(names.size(), 12u);
  EXPECT_EQ(ToString(ActuatorStep::Kind::kTerminateVnf), "terminate_vnf");
}

}  // namespace
}  // namespace nfvsm::instruction_test
