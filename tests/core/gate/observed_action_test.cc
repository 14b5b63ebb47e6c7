#include "nfvsm/observed_action.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nfvsm {
namespace {

using std::chrono::minutes;

const TimePoint kAt = FromMicros(1'800'000'000'000'000);

LifecycleEvent Observed(const std::string& origin, Phase phase = Phase::kEnd) {
  LifecycleEvent e;
  e.id = "ev-1";
  e.kind = origin.find("create") != std::string::npos ? EventKind::kCreate
                                                      : EventKind::kModify;
  e.phase = phase;
  e.origin = origin;
  e.vnf_id = "vnf-1";
  e.domain = "tenant-a";
  e.occurred_at = kAt;
  return e;
}

GateRecord Gate(OperationKind op, bool allowed, TimePoint decided,
                const std::string& vnf = "vnf-1") {
  GateRecord g;
  g.id = "gate-" + std::string(ToString(op));
  g.vnf_id = vnf;
  g.domain = "tenant-a";
  g.operation = op;
  g.allowed = allowed;
  g.requested_at = decided - std::chrono::seconds(1);
  g.decided_at = decided;
  return g;
}

// covers: R1.3.180
TEST(ObservedActionTest, OnlyCompletedStartsPlacementsAndRebuildsAreActions) {
  struct Case {
    std::string origin;
    Phase phase;
    std::optional<OperationKind> op;
  };
  const std::vector<Case> cases = {
      {"instance.create.end", Phase::kEnd, OperationKind::kInstantiate},
      {"instance.create.start", Phase::kStart, std::nullopt},
      {"instance.create.error", Phase::kFailed, std::nullopt},
      {"instance.power_on.end", Phase::kEnd, OperationKind::kRestart},
      {"instance.rebuild.end", Phase::kEnd, OperationKind::kHeal},
      {"instance.evacuate", Phase::kEnd, OperationKind::kHeal},
      {"instance.unshelve.end", Phase::kEnd, OperationKind::kRestart},
      {"instance.live_migration_post.end", Phase::kEnd,
       OperationKind::kMigrate},
      // The destination side of the same migration is not counted twice.
      {"instance.live_migration_post_dest.end", Phase::kEnd, std::nullopt},
      {"compute.instance.power_on.end", Phase::kEnd, OperationKind::kRestart},
      {"orchestration.stack.update.end", Phase::kEnd, OperationKind::kModify},
      {"instance.power_off.end", Phase::kEnd, std::nullopt},
      {"instance.delete.end", Phase::kEnd, std::nullopt},
      {"instance.pause.end", Phase::kEnd, std::nullopt},
      {"", Phase::kEnd, std::nullopt},
  };
  for (const Case& c : cases) {
    EXPECT_EQ(GatedOperationOf(Observed(c.origin, c.phase)), c.op) << c.origin;
  }
}

// covers: R1.3.180, R1.3.110
TEST(ObservedActionTest, GatedDomainNeedsAnAllowedGateOfTheSameKindInWindow) {
  const LifecycleEvent power_on = Observed("instance.power_on.end");
  struct Case {
    const char* name;
    std::vector<GateRecord> gates;
    bool gated;
    ActionFinding want;
  };
  const std::vector<Case> cases = {
      {"passive only", {}, false, ActionFinding::kNotGated},
      {"no gate", {}, true, ActionFinding::kUnauthorized},
      {"allowed restart",
       {Gate(OperationKind::kRestart, true, kAt - minutes(2))},
       true,
       ActionFinding::kAuthorized},
      {"allowed heal (same event kind)",
       {Gate(OperationKind::kHeal, true, kAt - minutes(2))},
       true,
       ActionFinding::kAuthorized},
      {"denied restart",
       {Gate(OperationKind::kRestart, false, kAt - minutes(2))},
       true,
       ActionFinding::kUnauthorized},
      {"allowed terminate (other kind)",
       {Gate(OperationKind::kTerminate, true, kAt - minutes(2))},
       true,
       ActionFinding::kUnauthorized},
      {"too old",
       {Gate(OperationKind::kRestart, true, kAt - minutes(61))},
       true,
       ActionFinding::kUnauthorized},
      {"decided after the action, beyond skew",
       {Gate(OperationKind::kRestart, true, kAt + minutes(2))},
       true,
       ActionFinding::kUnauthorized},
      {"within skew",
       {Gate(OperationKind::kRestart, true, kAt + std::chrono::seconds(30))},
       true,
       ActionFinding::kAuthorized},
      {"other VNF's gate",
       {Gate(OperationKind::kRestart, true, kAt - minutes(2), "vnf-2")},
       true,
       ActionFinding::kUnauthorized},
  };
  for (const Case& c : cases) {
    ActionCheck check =
        CheckObservedAction(power_on, c.gates, c.gated, std::nullopt);
    EXPECT_EQ(check.finding, c.want) << c.name;
    EXPECT_EQ(check.operation, OperationKind::kRestart) << c.name;
    if (c.want == ActionFinding::kAuthorized) {
      EXPECT_FALSE(check.authorizing_gate_id.empty()) << c.name;
    }
    if (c.want == ActionFinding::kUnauthorized) {
      EXPECT_NE(check.description.find("vnf-1"), std::string::npos) << c.name;
    }
  }
}

// covers: IFA026 4
TEST(ObservedActionTest, ActionOnQuarantinedInstanceIsAViolationWhateverGates) {
  QuarantineEntry q;
  q.target = QuarantineTarget::kVnfInstance;
  q.target_id = "vnf-1";
  q.by_sm = "sm-a";
  q.reason = "compromised";
  for (bool gated : {false, true}) {
    ActionCheck check = CheckObservedAction(
        Observed("instance.rebuild.end"),
        {Gate(OperationKind::kHeal, true, kAt - minutes(1))}, gated, q);
    EXPECT_EQ(check.finding, ActionFinding::kQuarantined);
    EXPECT_NE(check.description.find("sm-a"), std::string::npos);
  }
  // Not an action: a power-off of a quarantined instance is no violation.
  EXPECT_EQ(CheckObservedAction(Observed("instance.power_off.end"), {}, true, q)
                .finding,
            ActionFinding::kNotAnAction);
}

}  // namespace
}  // namespace nfvsm
