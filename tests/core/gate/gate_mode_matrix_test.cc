// The mode matrix: every SM binding mode × every lifecycle operation × every
// kind of SM answer × fail mode × whether the VNF needs a security policy.
// The expected outcome of each row is derived from the rules of gate.h and
// requirements.md §1 by Expect() below, not written out per row.
#include <gtest/gtest.h>

#include <array>
#include <string>
#include <tuple>

#include "core/gate/gate_test_support.h"
#include "nfvsm/policy.h"

namespace nfvsm::gate_test {
namespace {

using std::chrono::seconds;

// Semi-Active is two behaviours: window 0 (never waited for) and a window.
enum class SmSetup {
  kPassive,
  kSemiActiveNoWindow,
  kSemiActiveWindow,
  kFullyActive
};
enum class Answer { kAllow, kDeny, kAllowWithPolicy, kSilence, kLateDeny };

constexpr Duration kGateDeadline = seconds(30);
constexpr Duration kWindow = seconds(5);
constexpr Duration kAnswerAfter = seconds(1);  // inside every wait

constexpr std::array kSetups = {SmSetup::kPassive, SmSetup::kSemiActiveNoWindow,
                                SmSetup::kSemiActiveWindow,
                                SmSetup::kFullyActive};
constexpr std::array kOperations = {OperationKind::kInstantiate,
                                    OperationKind::kScaleOut,
                                    OperationKind::kScaleIn,
                                    OperationKind::kHeal,
                                    OperationKind::kRestart,
                                    OperationKind::kMigrate,
                                    OperationKind::kModify,
                                    OperationKind::kTerminate,
                                    OperationKind::kChangeConnectivity,
                                    OperationKind::kChangePackage};
constexpr std::array kAnswers = {Answer::kAllow, Answer::kDeny,
                                 Answer::kAllowWithPolicy, Answer::kSilence,
                                 Answer::kLateDeny};

std::string_view Name(SmSetup b) {
  switch (b) {
    case SmSetup::kPassive:
      return "Passive";
    case SmSetup::kSemiActiveNoWindow:
      return "SemiActiveNoWindow";
    case SmSetup::kSemiActiveWindow:
      return "SemiActiveWindow";
    case SmSetup::kFullyActive:
      return "FullyActive";
  }
  return "?";
}
std::string_view Name(Answer a) {
  switch (a) {
    case Answer::kAllow:
      return "Allow";
    case Answer::kDeny:
      return "Deny";
    case Answer::kAllowWithPolicy:
      return "AllowWithPolicy";
    case Answer::kSilence:
      return "Silence";
    case Answer::kLateDeny:
      return "LateDeny";
  }
  return "?";
}

using Row = std::tuple<SmSetup, OperationKind, Answer, FailMode, bool>;

struct Expected {
  bool asked = false;          // else only notified
  Duration wait{0};            // how long the gate waits for the SM
  bool answer_counts = false;  // the SM's answer arrives within its wait
  Participation participation = Participation::kNotified;
  std::optional<Verdict> verdict;
  bool policy_applied = false;
  bool allowed = false;
  bool policy_missing = false;  // denied for R1.3.160 alone
  bool late_reported = false;   // the answer goes to the late handler
};

// The rules, restated from requirements.md §1 and gate.h.
Expected Expect(SmSetup binding, OperationKind op, Answer answer,
                FailMode fail_mode, bool vnf_needs_policy) {
  Expected e;
  // R1.3.160 concerns bringing a VNF into service, not removing one.
  const bool policy_required = vnf_needs_policy &&
                               op != OperationKind::kTerminate &&
                               op != OperationKind::kScaleIn;
  switch (binding) {
    case SmSetup::kPassive:  // R2.1.20: never waited for
      break;
    case SmSetup::kSemiActiveNoWindow:  // R2.1.30, waits only for policy
      e.asked = policy_required;
      e.wait = policy_required ? kGateDeadline : Duration(0);
      break;
    case SmSetup::kSemiActiveWindow:
      e.asked = true;
      e.wait = policy_required ? kGateDeadline : kWindow;
      break;
    case SmSetup::kFullyActive:  // R2.1.40
      e.asked = true;
      e.wait = kGateDeadline;
      break;
  }
  const bool sm_answers = answer != Answer::kSilence;
  e.answer_counts = e.asked && sm_answers && answer != Answer::kLateDeny;
  if (e.answer_counts) {
    e.participation = Participation::kAnswered;
    e.verdict = answer == Answer::kDeny ? Verdict::kDeny : Verdict::kAllow;
    e.policy_applied = answer == Answer::kAllowWithPolicy;
  } else if (e.asked) {
    e.participation = Participation::kSilent;
    // R1.3.30: only a Fully-Active SM's silence is a verdict; a Semi-Active
    // SM proceeds unless it says no.
    if (binding == SmSetup::kFullyActive) {
      e.verdict =
          fail_mode == FailMode::kClosed ? Verdict::kDeny : Verdict::kAllow;
    }
  }
  // Any answer outside the SM's wait is late: after the deadline, or at all
  // when it was only notified (the gate is then already decided).
  e.late_reported = sm_answers && !e.answer_counts;
  const bool denied_by_sm = e.verdict == Verdict::kDeny;
  e.policy_missing = !denied_by_sm && policy_required && !e.policy_applied;
  e.allowed = !denied_by_sm && !e.policy_missing;
  return e;
}

class GateModeMatrixTest : public GateTest,
                           public ::testing::WithParamInterface<Row> {};

// covers: R2.1.10, R2.1.20, R2.1.30, R2.1.40, R1.3.30, R1.3.160, SEC024 5.2
TEST_P(GateModeMatrixTest, DecisionFollowsModeRules) {
  const auto [binding, op, answer, fail_mode, needs_policy] = GetParam();
  const Expected want = Expect(binding, op, answer, fail_mode, needs_policy);
  const SmId sm = "sm-a";
  const Mode mode = binding == SmSetup::kPassive       ? Mode::kPassive
                    : binding == SmSetup::kFullyActive ? Mode::kFullyActive
                                                       : Mode::kSemiActive;
  AddBound(
      sm, mode,
      Opts()
          .Deadline(kGateDeadline)
          .Window(binding == SmSetup::kSemiActiveWindow ? kWindow : Duration(0))
          .Fail(fail_mode));
  const Policy mano = ZonesPolicy({"zone-a", "zone-b"});
  const Policy sm_policy = ZonesPolicy({"zone-a"});
  GateRequest req = Request("g", op);
  req.needs_security_policy = needs_policy;
  req.mano_attributes = mano;
  const TimePoint t0 = clock_.Now();

  ASSERT_TRUE(Start(req).ok());
  EXPECT_EQ(transport_.AskedIn("g"),
            want.asked ? std::vector<SmId>{sm} : std::vector<SmId>{});
  EXPECT_EQ(transport_.NotifiedIn("g"),
            want.asked ? std::vector<SmId>{} : std::vector<SmId>{sm});
  if (want.asked) {
    EXPECT_EQ(transport_.AskDeadline("g", sm), t0 + want.wait);
    EXPECT_EQ(recorder_.CallsFor("g"), 0u) << "decided before the SM";
  } else {
    EXPECT_EQ(recorder_.CallsFor("g"), 1u) << "waited for a notified SM";
  }

  if (answer == Answer::kSilence || answer == Answer::kLateDeny) {
    if (want.asked) {
      // Not a microsecond early.
      clock_.Set(t0 + want.wait - Duration(1));
      EXPECT_EQ(evaluator_.ExpireDue(), 0u);
      EXPECT_EQ(recorder_.CallsFor("g"), 0u);
    }
    clock_.Set(t0 + want.wait);
    EXPECT_EQ(evaluator_.ExpireDue(), want.asked ? 1u : 0u);
  }
  if (answer != Answer::kSilence) {
    clock_.Advance(kAnswerAfter);
    SmAnswer a = answer == Answer::kAllow             ? Allow(sm)
                 : answer == Answer::kAllowWithPolicy ? Allow(sm, sm_policy)
                                                      : Deny(sm, "malware");
    Status s = evaluator_.OnAnswer("g", a);
    // A single-SM gate is over once that SM's wait is: late means unknown.
    EXPECT_EQ(s.code(),
              want.answer_counts ? StatusCode::kOk : StatusCode::kNotFound)
        << s.ToString();
  }

  std::optional<GateDecision> d = recorder_.Decision("g");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->allowed, want.allowed);
  EXPECT_EQ(d->reasons.empty(), want.allowed);
  EXPECT_FALSE(d->quarantine_veto);
  EXPECT_EQ(d->domain, kDomain);
  EXPECT_EQ(d->operation, op);
  EXPECT_EQ(d->requested_at, t0);
  ASSERT_EQ(d->sms.size(), 1u);
  const SmOutcome& o = d->sms[0];
  EXPECT_EQ(o.sm, sm);
  EXPECT_EQ(o.mode, mode);
  EXPECT_EQ(o.participation, want.participation);
  EXPECT_EQ(o.verdict, want.verdict);
  EXPECT_FALSE(o.overruled_by_master);
  if (want.answer_counts) {
    EXPECT_EQ(o.latency, kAnswerAfter);
    EXPECT_EQ(d->decided_at, t0 + kAnswerAfter);
  } else {
    EXPECT_EQ(o.latency, want.asked ? want.wait : Duration(0));
    EXPECT_EQ(d->decided_at, t0 + (want.asked ? want.wait : Duration(0)));
  }
  if (want.verdict == Verdict::kDeny) {
    ASSERT_EQ(d->reasons.size(), 1u);
    EXPECT_NE(d->reasons[0].find("SM 'sm-a'"), std::string::npos)
        << d->reasons[0];
  }
  if (want.policy_missing) {
    ASSERT_EQ(d->reasons.size(), 1u);
    EXPECT_NE(d->reasons[0].find("R1.3.160"), std::string::npos)
        << d->reasons[0];
  }
  if (want.allowed) {
    // SEC024 5.2: Fully-Active policy supersedes MANO's attributes; a
    // Semi-Active one only restricts them (R2.1.30).
    Policy expected_policy = mano;
    if (want.policy_applied) {
      expected_policy = mode == Mode::kFullyActive
                            ? Supersede(mano, MergePolicies({sm_policy}))
                            : Restrict(mano, sm_policy);
      EXPECT_EQ(d->effective_policy.placement.allowed_zones,
                std::set<std::string>{"zone-a"});
    }
    EXPECT_EQ(d->effective_policy, expected_policy);
  }
  auto late = recorder_.late();
  if (want.late_reported) {
    ASSERT_EQ(late.size(), 1u);
    EXPECT_EQ(late[0].first, "g");
    EXPECT_EQ(late[0].second.sm, sm);
    EXPECT_EQ(late[0].second.verdict,
              answer == Answer::kDeny || answer == Answer::kLateDeny
                  ? Verdict::kDeny
                  : Verdict::kAllow);
  } else {
    EXPECT_TRUE(late.empty());
  }
  EXPECT_EQ(evaluator_.pending(), 0u);
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
}

std::string RowName(const ::testing::TestParamInfo<Row>& info) {
  const auto [binding, op, answer, fail_mode, needs_policy] = info.param;
  std::string name =
      std::string(Name(binding)) + "_" + std::string(ToString(op)) + "_" +
      std::string(Name(answer)) + "_Fail" + std::string(ToString(fail_mode)) +
      (needs_policy ? "_NeedsPolicy" : "");
  return name;
}

INSTANTIATE_TEST_SUITE_P(AllModes, GateModeMatrixTest,
                         ::testing::Combine(::testing::ValuesIn(kSetups),
                                            ::testing::ValuesIn(kOperations),
                                            ::testing::ValuesIn(kAnswers),
                                            ::testing::Values(FailMode::kClosed,
                                                              FailMode::kOpen),
                                            ::testing::Bool()),
                         RowName);

// The matrix above must really reach every branch of the rules; a typo in
// Expect() that made every row "allowed" would otherwise pass unnoticed.
// covers: R2.1.20, R2.1.30, R2.1.40, R1.3.30
TEST(GateModeMatrixRules, SpotChecksAgainstRequirements) {
  // R2.1.20: Passive never blocks, even with a deny.
  EXPECT_TRUE(Expect(SmSetup::kPassive, OperationKind::kHeal, Answer::kDeny,
                     FailMode::kClosed, false)
                  .allowed);
  // R2.1.30: Semi-Active without a window: deny comes too late.
  Expected sa0 = Expect(SmSetup::kSemiActiveNoWindow, OperationKind::kHeal,
                        Answer::kDeny, FailMode::kClosed, false);
  EXPECT_TRUE(sa0.allowed);
  EXPECT_TRUE(sa0.late_reported);
  // Semi-Active with a window: a deny inside it denies, silence proceeds.
  EXPECT_FALSE(Expect(SmSetup::kSemiActiveWindow, OperationKind::kHeal,
                      Answer::kDeny, FailMode::kOpen, false)
                   .allowed);
  EXPECT_TRUE(Expect(SmSetup::kSemiActiveWindow, OperationKind::kHeal,
                     Answer::kSilence, FailMode::kClosed, false)
                  .allowed);
  // R2.1.40 / R1.3.30: Fully-Active silence follows the fail mode.
  EXPECT_FALSE(Expect(SmSetup::kFullyActive, OperationKind::kHeal,
                      Answer::kSilence, FailMode::kClosed, false)
                   .allowed);
  EXPECT_TRUE(Expect(SmSetup::kFullyActive, OperationKind::kHeal,
                     Answer::kLateDeny, FailMode::kOpen, false)
                  .allowed);
  // R1.3.160: no policy, no activation; removal is not held up.
  EXPECT_FALSE(Expect(SmSetup::kFullyActive, OperationKind::kInstantiate,
                      Answer::kAllow, FailMode::kClosed, true)
                   .allowed);
  EXPECT_TRUE(Expect(SmSetup::kFullyActive, OperationKind::kTerminate,
                     Answer::kAllow, FailMode::kClosed, true)
                  .allowed);
}

}  // namespace
}  // namespace nfvsm::gate_test
