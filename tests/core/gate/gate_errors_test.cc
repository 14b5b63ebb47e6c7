// Bad input gives an error value, never a callback or a crash.
#include <gtest/gtest.h>

#include "core/gate/gate_test_support.h"

namespace nfvsm::gate_test {
namespace {

// covers: R2.1.40
TEST_F(GateTest, RequestWithoutIdOrVnfIsRejected) {
  AddBound("fa", Mode::kFullyActive);
  GateRequest no_id = Request("");
  EXPECT_EQ(Start(no_id).code(), StatusCode::kInvalidArgument);
  GateRequest no_vnf = Request("g", OperationKind::kHeal, "");
  EXPECT_EQ(Start(no_vnf).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(evaluator_.Start(Request("g2"), nullptr).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_.total_sent(), 0u);
  EXPECT_EQ(evaluator_.pending(), 0u);
  EXPECT_EQ(recorder_.CallsFor(""), 0u);
  EXPECT_EQ(recorder_.CallsFor("g"), 0u);
}

// covers: R2.1.40
TEST_F(GateTest, DuplicatePendingIdIsRejectedAndFirstGateUnharmed) {
  AddBound("fa", Mode::kFullyActive);
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_EQ(Start(Request("g", OperationKind::kTerminate)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(transport_.AskedIn("g").size(), 1u);
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("fa")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->operation, OperationKind::kHeal);
  // Once decided, the id may be used again.
  EXPECT_TRUE(Start(Request("g")).ok());
  EXPECT_EQ(evaluator_.pending(), 1u);
}

// covers: R1.1.10, R2.1.80
TEST_F(GateTest, UnknownVnfNeedsAnExplicitDomain) {
  AddBound("fa", Mode::kFullyActive);
  transport_.AnswerInstantly("fa", Allow("fa"));
  EXPECT_EQ(Start(Request("g", OperationKind::kInstantiate, "new")).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(recorder_.CallsFor("g"), 0u);
  GateRequest req = Request("g", OperationKind::kInstantiate, "new");
  req.domain = kDomain;
  ASSERT_TRUE(Start(req).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->domain, kDomain);
}

// An explicit domain wins over the inventory (a VNF being re-homed).
// covers: R1.1.10, R2.1.80
TEST_F(GateTest, ExplicitDomainIsUsedForRouting) {
  AddBound("in-d1", Mode::kFullyActive);
  GateRequest req = Request("g", OperationKind::kModify, kVnf);
  req.domain = kOtherDomain;
  ASSERT_TRUE(Start(req).ok());
  EXPECT_TRUE(transport_.AskedIn("g").empty());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->domain, kOtherDomain);
}

// covers: R2.1.40, R2.1.310
TEST_F(GateTest, MalformedAnswersAreRejectedAndDoNotCount) {
  AddBound("fa", Mode::kFullyActive);
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_EQ(evaluator_.OnAnswer("", Allow("fa")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(evaluator_.OnAnswer("g", Allow("")).code(),
            StatusCode::kInvalidArgument);
  Policy bad;
  bad.version = 99;
  SecurityGroupRule rule;
  rule.port_min = 443;
  rule.port_max = 80;
  bad.network.security_group_rules.push_back(rule);
  EXPECT_EQ(evaluator_.OnAnswer("g", Allow("fa", bad)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(recorder_.CallsFor("g"), 0u);
  EXPECT_TRUE(recorder_.late().empty());
  // The SM can still answer properly.
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("fa")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
}

// covers: R2.1.150, R2.1.160, R2.1.170
TEST(GateEventKindTest, OperationsMapToEventKinds) {
  struct Row {
    OperationKind op;
    EventKind kind;
  };
  for (Row r : {Row{OperationKind::kInstantiate, EventKind::kCreate},
                Row{OperationKind::kScaleOut, EventKind::kCreate},
                Row{OperationKind::kScaleIn, EventKind::kTerminate},
                Row{OperationKind::kTerminate, EventKind::kTerminate},
                Row{OperationKind::kHeal, EventKind::kModify},
                Row{OperationKind::kRestart, EventKind::kModify},
                Row{OperationKind::kMigrate, EventKind::kModify},
                Row{OperationKind::kModify, EventKind::kModify},
                Row{OperationKind::kChangeConnectivity, EventKind::kModify},
                Row{OperationKind::kChangePackage, EventKind::kModify}}) {
    SCOPED_TRACE(ToString(r.op));
    EXPECT_EQ(EventKindFor(r.op), r.kind);
  }
}

// Participation names appear in audit records: they are a wire format.
// covers: R1.3.260
TEST(GateParticipationTest, StableNames) {
  EXPECT_EQ(ToString(Participation::kNotified), "notified");
  EXPECT_EQ(ToString(Participation::kAnswered), "answered");
  EXPECT_EQ(ToString(Participation::kSilent), "silent");
  EXPECT_EQ(ToString(Participation::kTransportError), "transport_error");
}

// Hidden events are not routed, so the SM is not involved (R2.1.200).
// covers: R2.1.200, R2.1.80
TEST_F(GateTest, SmWithHiddenEventKindIsNotInvolved) {
  AddSm("fa");
  Binding b;
  b.sm = "fa";
  b.domain = kDomain;
  b.mode = Mode::kFullyActive;
  b.hidden_events.Add(EventKind::kTerminate);
  ASSERT_TRUE(bindings_.PutBinding(b).ok());
  ASSERT_TRUE(Start(Request("g", OperationKind::kTerminate)).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_TRUE(d->sms.empty());
  ASSERT_TRUE(Start(Request("g2", OperationKind::kHeal)).ok());
  EXPECT_EQ(transport_.AskedIn("g2"), std::vector<SmId>{"fa"});
}

}  // namespace
}  // namespace nfvsm::gate_test
