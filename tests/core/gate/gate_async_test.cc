// Asynchrony: deadlines, late answers, re-entrant transports, and
// exactly-once completion under concurrent answers and expiry.
#include <gtest/gtest.h>

#include <atomic>
#include <condition_variable>
#include <deque>
#include <thread>

#include "core/gate/gate_test_support.h"

namespace nfvsm::gate_test {
namespace {

using std::chrono::seconds;

// covers: R2.1.40, R1.3.30
TEST_F(GateTest, SlowSmDoesNotHoldUpGatesOnOtherVnfs) {
  AddBound("silent", Mode::kFullyActive);
  AddSm("quick");
  Bind("quick", Mode::kFullyActive, Opts().In(kOtherDomain));
  transport_.AnswerInstantly("quick", Allow("quick"));
  ASSERT_TRUE(Start(Request("slow-gate", OperationKind::kHeal, kVnf)).ok());
  ASSERT_TRUE(
      Start(Request("fast-gate", OperationKind::kHeal, kOtherVnf)).ok());
  auto fast = recorder_.Decision("fast-gate");
  ASSERT_TRUE(fast);
  EXPECT_TRUE(fast->allowed);
  EXPECT_EQ(recorder_.CallsFor("slow-gate"), 0u);
  EXPECT_EQ(evaluator_.pending(), 1u);
}

// covers: R2.1.40, R1.3.30
TEST_F(GateTest, NextDeadlineTracksTheEarliestOpenWait) {
  AddBound("a", Mode::kFullyActive);
  AddSm("b");
  Bind("b", Mode::kFullyActive, Opts().Deadline(seconds(10)).In(kOtherDomain));
  const TimePoint t0 = clock_.Now();
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
  ASSERT_TRUE(Start(Request("g1", OperationKind::kHeal, kVnf)).ok());
  EXPECT_EQ(evaluator_.NextDeadline(), t0 + seconds(30));
  ASSERT_TRUE(Start(Request("g2", OperationKind::kHeal, kOtherVnf)).ok());
  EXPECT_EQ(evaluator_.NextDeadline(), t0 + seconds(10));
  EXPECT_TRUE(evaluator_.OnAnswer("g2", Allow("b")).ok());
  EXPECT_EQ(evaluator_.NextDeadline(), t0 + seconds(30));
  clock_.Advance(seconds(29));
  EXPECT_EQ(evaluator_.ExpireDue(), 0u);
  EXPECT_EQ(evaluator_.pending(), 1u);
  clock_.Advance(seconds(2));  // called late: still decided at the deadline
  EXPECT_EQ(evaluator_.ExpireDue(), 1u);
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
  EXPECT_EQ(evaluator_.pending(), 0u);
  auto d = recorder_.Decision("g1");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->sms[0].latency, seconds(30));
  EXPECT_EQ(d->decided_at, t0 + seconds(31));
}

// Each SM has its own deadline; one that expired is late even while the
// gate still waits for another.
// covers: R2.1.40, R1.3.30
TEST_F(GateTest, PerSmDeadlinesAndLateAnswerWhileGatePending) {
  AddBound("short", Mode::kFullyActive, Opts().Deadline(seconds(10)));
  AddBound("long", Mode::kFullyActive, Opts().Deadline(seconds(60)));
  const TimePoint t0 = clock_.Now();
  ASSERT_TRUE(Start(Request("g")).ok());
  clock_.Set(t0 + seconds(10));
  EXPECT_EQ(evaluator_.ExpireDue(), 0u);  // "long" still awaited
  clock_.Set(t0 + seconds(15));
  EXPECT_EQ(evaluator_.OnAnswer("g", Allow("short")).code(),
            StatusCode::kDeadlineExceeded);
  ASSERT_EQ(recorder_.late().size(), 1u);
  EXPECT_EQ(recorder_.late()[0].second.sm, "short");
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("long")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);  // "short" failed closed at 10 s
  EXPECT_EQ(Outcome(*d, "short")->participation, Participation::kSilent);
  EXPECT_EQ(Outcome(*d, "long")->latency, seconds(15));
}

// covers: R2.1.30, R2.1.40
TEST_F(GateTest, LateAnswerAfterDecisionIsReportedAndChangesNothing) {
  AddBound("fa", Mode::kFullyActive, Opts().Fail(FailMode::kOpen));
  ASSERT_TRUE(Start(Request("g")).ok());
  clock_.Advance(seconds(30));
  EXPECT_EQ(evaluator_.ExpireDue(), 1u);
  EXPECT_EQ(evaluator_.OnAnswer("g", Deny("fa", "too late")).code(),
            StatusCode::kNotFound);
  auto late = recorder_.late();
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].first, "g");
  EXPECT_EQ(late[0].second.verdict, Verdict::kDeny);
  EXPECT_EQ(late[0].second.reason, "too late");
  auto d = recorder_.Decision("g");  // still exactly one, still allowed
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
}

// covers: R2.1.20, R2.1.40
TEST_F(GateTest, AnswersFromSmsWithoutASayAreRefused) {
  AddBound("fa", Mode::kFullyActive);
  AddBound("pa", Mode::kPassive);
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_EQ(evaluator_.OnAnswer("g", Deny("pa")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_EQ(evaluator_.OnAnswer("g", Deny("stranger")).code(),
            StatusCode::kPermissionDenied);
  EXPECT_TRUE(recorder_.late().empty());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("fa")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
}

// covers: R2.1.40
TEST_F(GateTest, FirstAnswerCounts) {
  AddBound("fa", Mode::kFullyActive);
  AddBound("other", Mode::kFullyActive);
  ASSERT_TRUE(Start(Request("g")).ok());
  EXPECT_TRUE(evaluator_.OnAnswer("g", Deny("fa")).ok());
  EXPECT_EQ(evaluator_.OnAnswer("g", Allow("fa")).code(),
            StatusCode::kAlreadyExists);
  EXPECT_TRUE(evaluator_.OnAnswer("g", Allow("other")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(Outcome(*d, "fa")->verdict, Verdict::kDeny);
}

// covers: R1.3.30, R2.1.40, R2.1.30
TEST_F(GateTest, TransportFailureAppliesFailModeAtOnce) {
  AddBound("closed", Mode::kFullyActive);
  AddBound("open", Mode::kFullyActive, Opts().Fail(FailMode::kOpen));
  AddBound("semi", Mode::kSemiActive, Opts().Window(seconds(5)));
  transport_.FailAsk("closed", UnavailableError("amqp://u:secret@h down"));
  transport_.FailAsk("open", UnavailableError("down"));
  transport_.FailAsk("semi", UnavailableError("down"));
  ASSERT_TRUE(Start(Request("g")).ok());
  auto d = recorder_.Decision("g");  // no waiting for a deadline
  ASSERT_TRUE(d);
  EXPECT_FALSE(d->allowed);
  EXPECT_EQ(d->reasons,
            std::vector<std::string>{"SM 'closed' (fully_active) could not be "
                                     "reached (unavailable): fail closed"});
  for (const SmOutcome& o : d->sms) {
    EXPECT_EQ(o.participation, Participation::kTransportError) << o.sm;
    // The transport's message may hold credentials: never copied.
    EXPECT_EQ(o.reason.find("secret"), std::string::npos);
  }
  EXPECT_EQ(Outcome(*d, "open")->verdict, Verdict::kAllow);
  EXPECT_EQ(Outcome(*d, "semi")->verdict, std::nullopt);  // proceeds
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
}

// A transport may deliver the answer and still report the send as failed
// (e.g. a lost publisher confirm): the answer stands, counted once.
// covers: R2.1.40, R1.3.30
TEST_F(GateTest, AnswerBeforeAskFailureStands) {
  AddBound("fa", Mode::kFullyActive);
  transport_.AnswerInstantly("fa", Allow("fa"));
  transport_.FailAsk("fa", UnavailableError("confirm lost"));
  ASSERT_TRUE(Start(Request("g")).ok());
  auto d = recorder_.Decision("g");
  ASSERT_TRUE(d);
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->sms[0].participation, Participation::kAnswered);
  EXPECT_EQ(evaluator_.pending(), 0u);
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
}

// An instant transport answers inside Ask; the callback may itself use the
// evaluator (here: start the next gate) without deadlock.
// covers: R2.1.40
TEST_F(GateTest, ReentrantInstantTransportAndCallback) {
  AddBound("a", Mode::kFullyActive);
  AddBound("b", Mode::kFullyActive);
  transport_.AnswerInstantly("a", Allow("a"));
  transport_.AnswerInstantly("b", Allow("b"));
  std::vector<GateDecision> seen;
  bool nested_ok = false;
  auto inner = [&](const GateDecision& d) { seen.push_back(d); };
  Status s = evaluator_.Start(Request("outer"), [&](const GateDecision& d) {
    seen.push_back(d);
    EXPECT_EQ(evaluator_.pending(), 0u);
    nested_ok = evaluator_.Start(Request("inner"), inner).ok();
  });
  ASSERT_TRUE(s.ok());
  ASSERT_TRUE(nested_ok);
  ASSERT_EQ(seen.size(), 2u);
  EXPECT_EQ(seen[0].gate_id, "outer");
  EXPECT_EQ(seen[1].gate_id, "inner");
  EXPECT_TRUE(seen[0].allowed);
  EXPECT_TRUE(seen[1].allowed);
  EXPECT_EQ(seen[0].decided_at, seen[0].requested_at);
}

// Answers delivered by another thread as soon as Ask sends them race with
// Start itself; the gate must still complete once, with every answer.
// covers: R2.1.40
TEST_F(GateTest, AnswersFromAnotherThreadDuringStart) {
  class ThreadedTransport : public SmTransport {
   public:
    explicit ThreadedTransport(GateEvaluator*& e) : evaluator_(e) {
      worker_ = std::thread([this] { Run(); });
    }
    ~ThreadedTransport() override { Stop(); }
    // Drains the queue and joins the worker.
    void Stop() {
      {
        std::lock_guard lock(mu_);
        stop_ = true;
      }
      cv_.notify_all();
      if (worker_.joinable()) worker_.join();
    }
    void Notify(const SmId&, const GateRequest&) override {}
    Status Ask(const SmId& sm, const GateRequest& req, TimePoint) override {
      {
        std::lock_guard lock(mu_);
        queue_.emplace_back(req.id, sm);
      }
      cv_.notify_one();
      return OkStatus();
    }

   private:
    void Run() {
      std::unique_lock lock(mu_);
      while (true) {
        cv_.wait(lock, [this] { return stop_ || !queue_.empty(); });
        if (queue_.empty()) return;
        auto [gate, sm] = queue_.front();
        queue_.pop_front();
        lock.unlock();
        EXPECT_TRUE(evaluator_->OnAnswer(gate, Allow(sm)).ok());
        lock.lock();
      }
    }
    GateEvaluator*& evaluator_;
    std::mutex mu_;
    std::condition_variable cv_;
    std::deque<std::pair<std::string, SmId>> queue_;
    bool stop_ = false;
    std::thread worker_;
  };

  for (int i = 0; i < 8; ++i)
    AddBound("sm-" + std::to_string(i), Mode::kFullyActive);
  GateEvaluator* eval = nullptr;
  ThreadedTransport transport(eval);
  GateEvaluator evaluator(bindings_, inventory_, quarantine_, transport,
                          clock_);
  eval = &evaluator;
  Recorder rec;
  constexpr int kGates = 200;
  for (int i = 0; i < kGates; ++i) {
    ASSERT_TRUE(
        evaluator.Start(Request("g" + std::to_string(i)), rec.Callback()).ok());
  }
  auto all_decided = [&] {
    for (int i = 0; i < kGates; ++i) {
      if (rec.CallsFor("g" + std::to_string(i)) == 0) return false;
    }
    return true;
  };
  for (int spins = 0; !all_decided() && spins < 10'000; ++spins) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  transport.Stop();  // no OnAnswer may outlive the evaluator
  EXPECT_EQ(evaluator.pending(), 0u);
  for (int i = 0; i < kGates; ++i) {
    auto d = rec.Decision("g" + std::to_string(i));
    ASSERT_TRUE(d);
    EXPECT_TRUE(d->allowed);
    EXPECT_EQ(d->sms.size(), 8u);
  }
}

// Many threads answer (some twice, some late) while another expires
// deadlines: every gate completes exactly once.
// covers: R2.1.40, R1.3.30
TEST_F(GateTest, ExactlyOnceUnderConcurrentAnswersAndExpiry) {
  constexpr int kSms = 4;
  constexpr int kGates = 300;
  for (int i = 0; i < kSms; ++i) {
    AddBound("sm-" + std::to_string(i), Mode::kFullyActive);
  }
  std::vector<std::atomic<int>> calls(kGates);
  for (int g = 0; g < kGates; ++g) {
    ASSERT_TRUE(evaluator_
                    .Start(Request("g" + std::to_string(g)),
                           [&calls, g](const GateDecision&) { ++calls[g]; })
                    .ok());
  }
  std::atomic<bool> go{false};
  std::vector<std::thread> threads;
  for (int t = 0; t < 3; ++t) {
    threads.emplace_back([&, t] {
      while (!go) std::this_thread::yield();
      for (int g = 0; g < kGates; ++g) {
        for (int s = 0; s < kSms; ++s) {
          if ((g + s + t) % 3 == 0) continue;  // leave some silent
          (void)evaluator_.OnAnswer("g" + std::to_string(g),
                                    Allow("sm-" + std::to_string(s)));
        }
      }
    });
  }
  threads.emplace_back([&] {
    while (!go) std::this_thread::yield();
    for (int i = 0; i < 200; ++i) {
      if (i == 50) clock_.Advance(seconds(31));
      (void)evaluator_.ExpireDue();
      (void)evaluator_.NextDeadline();
    }
  });
  go = true;
  for (auto& t : threads) t.join();
  clock_.Advance(seconds(31));
  (void)evaluator_.ExpireDue();
  EXPECT_EQ(evaluator_.pending(), 0u);
  EXPECT_EQ(evaluator_.NextDeadline(), std::nullopt);
  for (int g = 0; g < kGates; ++g) EXPECT_EQ(calls[g].load(), 1) << g;
}

}  // namespace
}  // namespace nfvsm::gate_test
