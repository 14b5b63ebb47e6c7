// The ingest in-process against the private RabbitMQ node: routing to the
// right SMs, dead-lettering, redelivery and retries.
#include "ingest.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include <algorithm>
#include <mutex>
#include <set>
#include <utility>

#include "logging_actuator.h"
#include "nfvsm/audit.h"
#include "nfvsm/engine.h"
#include "tests/amqp/broker_fixture.h"
#include "tests/gateway/gateway_test_util.h"

namespace nfvsm::gateway {
namespace {

using amqp::testing::BrokerOptions;
using amqp::testing::UniqueName;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::NovaNotification;
using testing::PublishNotification;
using ::testing::UnorderedElementsAre;
using testing::WaitFor;

constexpr auto kWait = std::chrono::seconds(20);

// Domains d1, d2 (VNF) and sec; SMs sm-a, sm-b bound to d1 (sm-b does not
// see terminations, R2.1.200), sm-c bound to d2; VNFs vnf-1 (d1), vnf-2
// (d2).
Status PopulateEngine(Engine& engine) {
  const std::string actor = "test";
  for (const char* id : {"d1", "d2", "sec"}) {
    TrustDomain d;
    d.id = id;
    d.kind =
        std::string(id) == "sec" ? DomainKind::kSecurity : DomainKind::kVnf;
    NFVSM_RETURN_IF_ERROR(engine.PutDomain(d, actor));
  }
  for (const char* id : {"sm-a", "sm-b", "sm-c"}) {
    SecurityManager sm;
    sm.id = id;
    sm.home_domain = "sec";
    NFVSM_RETURN_IF_ERROR(engine.PutSm(sm, actor));
  }
  Binding a;
  a.sm = "sm-a";
  a.domain = "d1";
  NFVSM_RETURN_IF_ERROR(engine.PutBinding(a, actor));
  Binding b = a;
  b.sm = "sm-b";
  b.hidden_events.Add(EventKind::kTerminate);
  NFVSM_RETURN_IF_ERROR(engine.PutBinding(b, actor));
  Binding c = a;
  c.sm = "sm-c";
  c.domain = "d2";
  NFVSM_RETURN_IF_ERROR(engine.PutBinding(c, actor));
  VnfRecord v1;
  v1.id = "vnf-1";
  v1.domain = "d1";
  NFVSM_RETURN_IF_ERROR(engine.PutVnf(v1, actor));
  VnfRecord v2;
  v2.id = "vnf-2";
  v2.domain = "d2";
  return engine.PutVnf(v2, actor);
}

class NullTransport final : public SmTransport {
 public:
  void Notify(const SmId&, const GateRequest&) override {}
  Status Ask(const SmId&, const GateRequest&, TimePoint) override {
    return UnavailableError("no SM channels in this test");
  }
};

// Records what the ingest hands to SM channels; can fail the first calls.
class RecordingDeliverer {
 public:
  Status Deliver(const SmId& sm, const LifecycleEvent& e) {
    std::lock_guard lock(mu_);
    if (failures_left_ > 0) {
      --failures_left_;
      return UnavailableError("SM channel down (test)");
    }
    sent_.emplace_back(sm, e.id);
    return OkStatus();
  }
  Status DeliverAlert(const SmId& sm, const wire::SecurityAlert& alert) {
    std::lock_guard lock(mu_);
    alerts_.emplace_back(sm, alert.id);
    return OkStatus();
  }
  std::vector<std::pair<SmId, std::string>> alerts() const {
    std::lock_guard lock(mu_);
    return alerts_;
  }
  void FailNext(int n) {
    std::lock_guard lock(mu_);
    failures_left_ = n;
  }
  std::vector<std::pair<SmId, std::string>> sent() const {
    std::lock_guard lock(mu_);
    return sent_;
  }
  std::vector<std::string> To(const SmId& sm) const {
    std::vector<std::string> ids;
    for (const auto& [to, id] : sent()) {
      if (to == sm) ids.push_back(id);
    }
    return ids;
  }

 private:
  mutable std::mutex mu_;
  int failures_left_ = 0;
  std::vector<std::pair<SmId, std::string>> sent_;
  std::vector<std::pair<SmId, std::string>> alerts_;
};

class IngestTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = AuditKeys::Generate(false);
    ASSERT_TRUE(keys.ok());
    EngineOptions options;
    options.audit_keys = std::move(keys).value();
    auto engine = Engine::Open(std::move(options), transport_, actuator_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    ASSERT_TRUE(PopulateEngine(*engine_).ok());
  }

  void TearDown() override {
    if (ingest_) ingest_->Stop();
    if (publisher_) {
      (void)publisher_->DeleteQueue(queue_);
      (void)publisher_->DeleteQueue(dlq_);
      (void)publisher_->DeleteExchange(exchange_);
    }
  }

  // Starts the ingest on a private exchange and queues.
  void StartIngest(const amqp::testing::BrokerInfo& broker) {
    exchange_ = UniqueName("nova");
    queue_ = UniqueName("ingest");
    dlq_ = queue_ + ".dead";
    IngestOptions options;
    options.connection = BrokerOptions(broker);
    options.exchanges = {exchange_};
    options.queue = queue_;
    options.dead_letter_queue = dlq_;
    options.retry_pause = std::chrono::milliseconds(50);
    auto ingest = Ingest::Start(
        std::move(options), *engine_,
        SmDeliverers{[this](const SmId& sm, const LifecycleEvent& e) {
                       return deliverer_.Deliver(sm, e);
                     },
                     [this](const SmId& sm, const wire::SecurityAlert& a) {
                       return deliverer_.DeliverAlert(sm, a);
                     }},
        std::make_shared<spdlog::logger>(
            "test", std::make_shared<spdlog::sinks::null_sink_mt>()));
    ASSERT_TRUE(ingest.ok()) << ingest.status().ToString();
    ingest_ = std::move(ingest).value();
    ASSERT_TRUE(WaitFor([&] { return ingest_->consuming(); }, kWait));
    auto publisher = amqp::Connection::Open(BrokerOptions(broker));
    ASSERT_TRUE(publisher.ok()) << publisher.status().ToString();
    publisher_ = std::move(publisher).value();
  }

  void Publish(const std::string& body) {
    ASSERT_TRUE(PublishNotification(*publisher_, exchange_, body).ok());
  }

  std::vector<std::string> History(const VnfId& vnf) {
    EventQuery query;
    query.vnf_id = vnf;
    auto events = engine_->store().QueryEvents(query);
    EXPECT_TRUE(events.ok());
    std::vector<std::string> ids;
    for (const auto& e : *events) ids.push_back(e.id);
    return ids;
  }

  std::vector<AuditRecord> ManoAudit(const std::string& kind) {
    auto records =
        engine_->store().ReadAudit(std::string(kManoPartition), 1, 100000);
    EXPECT_TRUE(records.ok());
    std::vector<AuditRecord> out;
    for (const auto& r : *records) {
      if (r.kind == kind) out.push_back(r);
    }
    return out;
  }

  void ExpectAuditVerifies() {
    for (const auto& report : engine_->audit().VerifyAll()) {
      EXPECT_TRUE(report.ok) << report.partition << ": " << report.problem;
    }
  }

  NullTransport transport_;
  LoggingActuator actuator_{std::make_shared<spdlog::logger>(
      "actuator", std::make_shared<spdlog::sinks::null_sink_mt>())};
  std::unique_ptr<Engine> engine_;
  RecordingDeliverer deliverer_;
  std::unique_ptr<Ingest> ingest_;
  std::unique_ptr<amqp::Connection> publisher_;
  std::string exchange_, queue_, dlq_;
};

// covers: R2.1.80, R2.1.200, R2.1.150, R2.1.170
TEST_F(IngestTest, EventsReachOnlyTheSmsTheyApplyTo) {
  NFVSM_REQUIRE_BROKER(broker);
  StartIngest(broker);
  Publish(NovaNotification("m-create", "instance.create.end", "vnf-1"));
  Publish(NovaNotification("m-delete", "instance.delete.end", "vnf-1"));
  Publish(NovaNotification("m-power", "instance.power_off.end", "vnf-2"));
  Publish(NovaNotification("m-other", "instance.power_off.end", "unknown"));
  Publish(NovaNotification("m-exists", "instance.exists", "vnf-1"));
  ASSERT_TRUE(WaitFor([&] { return ingest_->stats().received == 5; }, kWait));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto s = ingest_->stats();
        return s.events_recorded + s.not_relevant == 5;
      },
      kWait));
  EXPECT_THAT(deliverer_.To("sm-a"), ElementsAre("m-create", "m-delete"));
  EXPECT_THAT(deliverer_.To("sm-b"), ElementsAre("m-create"));
  EXPECT_THAT(deliverer_.To("sm-c"), ElementsAre("m-power"));
  EXPECT_THAT(History("vnf-1"), ElementsAre("m-create", "m-delete"));
  EXPECT_THAT(History("vnf-2"), ElementsAre("m-power"));
  const IngestStats stats = ingest_->stats();
  EXPECT_EQ(stats.events_recorded, 3u);
  EXPECT_EQ(stats.not_relevant, 2u);
  EXPECT_EQ(stats.dead_lettered, 0u);
  EXPECT_EQ(stats.ignored_by_type.count("instance.exists"), 1u);
  ExpectAuditVerifies();
}

// covers: R1.3.180, R1.3.110
TEST_F(IngestTest, UngatedPowerOnInAGatedDomainAlertsEverySmOfTheDomain) {
  NFVSM_REQUIRE_BROKER(broker);
  Binding gating;
  gating.sm = "sm-a";
  gating.domain = "d1";
  gating.mode = Mode::kSemiActive;
  ASSERT_TRUE(engine_->PutBinding(gating, "test").ok());
  StartIngest(broker);
  Publish(NovaNotification("m-on", "instance.power_on.end", "vnf-1"));
  Publish(NovaNotification("m-on-d2", "instance.power_on.end", "vnf-2"));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto s = ingest_->stats();
        return s.events_recorded + s.not_relevant == 2;
      },
      kWait));
  // d1 has a gating binding and no gate allowed the power-on; d2 has only
  // a Passive SM, so its power-on is nobody's to authorize.
  using Alert = std::pair<SmId, std::string>;
  EXPECT_THAT(deliverer_.alerts(),
              UnorderedElementsAre(Alert{"sm-a", "observed:m-on"},
                                   Alert{"sm-b", "observed:m-on"}));
  EXPECT_EQ(ingest_->stats().alerts_sent, 2u);
  EXPECT_EQ(ManoAudit("security_alert.raised").size(), 1u);
  ExpectAuditVerifies();
}

// covers: R1.3.10/290, R1.3.260
TEST_F(IngestTest, PoisonGoesToDeadLetterQueueWithReasonAndIngestContinues) {
  NFVSM_REQUIRE_BROKER(broker);
  StartIngest(broker);
  Publish("this is not JSON");
  Publish(R"({"oslo.version": "2.0", "oslo.message": "{\"x\": 1}"})");
  Publish(NovaNotification("m-no-uuid", "instance.create.end", ""));
  Publish(NovaNotification("m-good", "instance.create.end", "vnf-1"));
  ASSERT_TRUE(
      WaitFor([&] { return ingest_->stats().events_recorded == 1; }, kWait));
  ASSERT_TRUE(
      WaitFor([&] { return ingest_->stats().dead_lettered == 3; }, kWait));
  EXPECT_THAT(History("vnf-1"), ElementsAre("m-good"));
  EXPECT_THAT(deliverer_.To("sm-a"), ElementsAre("m-good"));

  std::vector<std::string> reasons, bodies;
  for (int i = 0; i < 3; ++i) {
    auto d = publisher_->Get(dlq_);
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    ASSERT_TRUE(d->has_value()) << "dead letter " << i << " missing";
    auto it = (*d)->properties.headers.find(kDeadLetterReasonHeader);
    ASSERT_NE(it, (*d)->properties.headers.end());
    reasons.push_back(std::get<std::string>(it->second));
    bodies.push_back((*d)->body);
    EXPECT_EQ(std::get<std::string>(
                  (*d)->properties.headers.at("x-nfvsm-original-exchange")),
              exchange_);
    ASSERT_TRUE(publisher_->Ack(**d).ok());
  }
  auto none = publisher_->Get(dlq_);
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  EXPECT_EQ(bodies[0], "this is not JSON");  // kept for forensics
  EXPECT_THAT(reasons[0], HasSubstr("not valid JSON"));
  EXPECT_THAT(reasons[1], HasSubstr("event_type"));
  EXPECT_THAT(reasons[2], HasSubstr("uuid"));

  // Audited without the body.
  auto audited = ManoAudit("ingest.rejected");
  ASSERT_EQ(audited.size(), 3u);
  for (const auto& r : audited) {
    EXPECT_EQ(r.actor, "nfvsm.gateway");
    EXPECT_THAT(r.body, ::testing::Not(HasSubstr("this is not JSON")));
    EXPECT_THAT(r.body, HasSubstr("reason"));
  }
  ExpectAuditVerifies();
}

// covers: R2.1.80, R1.3.10/290
TEST_F(IngestTest, RedeliveredNotificationIsRecordedOnceAndDeliveredAgain) {
  NFVSM_REQUIRE_BROKER(broker);
  StartIngest(broker);
  const std::string body =
      NovaNotification("m-twice", "instance.power_off.end", "vnf-1");
  Publish(body);
  Publish(body);
  ASSERT_TRUE(WaitFor([&] { return ingest_->stats().duplicates == 1; }, kWait));
  EXPECT_EQ(ingest_->stats().events_recorded, 1u);
  EXPECT_THAT(History("vnf-1"), ElementsAre("m-twice"));
  // At-least-once towards SMs: the copy goes out again; SMs dedupe.
  EXPECT_THAT(deliverer_.To("sm-a"), ElementsAre("m-twice", "m-twice"));
  EXPECT_EQ(ManoAudit("event.recorded").size(), 1u);
  ExpectAuditVerifies();
}

// covers: R2.1.80, R1.3.10/290
TEST_F(IngestTest, FailedDeliveryIsRetriedUntilTheSmChannelTakesIt) {
  NFVSM_REQUIRE_BROKER(broker);
  deliverer_.FailNext(3);
  StartIngest(broker);
  Publish(NovaNotification("m-retry", "instance.power_off.end", "vnf-1"));
  ASSERT_TRUE(WaitFor(
      [&] {
        auto to_a = deliverer_.To("sm-a");
        auto to_b = deliverer_.To("sm-b");
        return !to_a.empty() && !to_b.empty();
      },
      kWait));
  EXPECT_GE(ingest_->stats().retried, 2u);
  EXPECT_THAT(History("vnf-1"), ElementsAre("m-retry"));
  EXPECT_EQ(ingest_->stats().events_recorded, 1u);
  ASSERT_TRUE(WaitFor(
      [&] {
        auto counts = testing::CountMessages(queue_);
        return counts.ok() && counts->ready == 0 && counts->unacked == 0;
      },
      kWait));
}

// covers: R1.3.10/290
TEST_F(IngestTest, StopLeavesNothingUnackedAndUnhandledMessagesQueued) {
  NFVSM_REQUIRE_BROKER(broker);
  StartIngest(broker);
  for (int i = 0; i < 50; ++i) {
    Publish(NovaNotification("m-" + std::to_string(i), "instance.power_off.end",
                             "vnf-1"));
  }
  ingest_->Stop();
  const uint64_t handled = ingest_->stats().events_recorded;
  auto counts = testing::CountMessages(queue_);
  ASSERT_TRUE(WaitFor(
      [&] {
        counts = testing::CountMessages(queue_);
        return counts.ok() && counts->unacked == 0;
      },
      kWait));
  // Every message is either recorded (and acked) or back in the queue.
  EXPECT_EQ(handled + static_cast<uint64_t>(counts->ready), 50u);
  EXPECT_EQ(History("vnf-1").size(), handled);
}

}  // namespace
}  // namespace nfvsm::gateway
