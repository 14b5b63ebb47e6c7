// End to end: the real oslo.messaging (Debian's python3-oslo.messaging)
// sends Nova's notification samples exactly as Nova does; a consumer built
// on Connection receives them from its own durable queue, decodes and
// translates each one.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <map>
#include <memory>
#include <string>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/event_translator.h"
#include "nfvsm/amqp/notification.h"
#include "tests/amqp/broker_fixture.h"
#include "tests/amqp/sample_expectations.h"
#include "tests/amqp/sample_resolver.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::seconds;
using testing::BrokerOptions;
using ::testing::HasSubstr;
using testing::UniqueName;

constexpr char kSampleTag[] = "nfvsm-sample:";

// OpenStack declares its exchanges as topic, non-durable, not auto-deleted
// (oslo's amqp_durable_queues=False). Redeclaring one with other flags is
// refused with a 406 that closes the channel, so nfvsm looks the exchange up
// passively and creates it, with oslo's own flags, only when the service has
// not started yet.
Status DeclareOpenStackExchange(Connection& c, const std::string& name) {
  Status exists = c.DeclareExchange({.name = name, .passive = true});
  if (exists.code() != StatusCode::kNotFound) return exists;
  return c.DeclareExchange({.name = name, .type = "topic", .durable = false});
}

// nfvsm's own durable queue, bound to the notification topics of an
// exchange: never the default-named "versioned_notifications.info" queue
// oslo creates, which other consumers may share.
ConnectionOptions IngestOptions(const testing::BrokerInfo& broker,
                                const std::string& queue,
                                const std::string& exchange,
                                const std::string& routing_key) {
  ConnectionOptions options = BrokerOptions(broker);
  options.on_connected = [=](Connection& c) -> Status {
    NFVSM_RETURN_IF_ERROR(DeclareOpenStackExchange(c, exchange));
    NFVSM_RETURN_IF_ERROR(
        c.DeclareQueue({.name = queue, .durable = true}).status());
    return c.BindQueue(queue, exchange, routing_key);
  };
  return options;
}

std::string Lower(std::string s) {
  for (char& c : s) c = static_cast<char>(std::tolower(c));
  return s;
}

testing::CommandResult SendWithOslo(const testing::BrokerInfo& broker,
                                    const std::string& extra) {
  return testing::RunCommand(std::string(NFVSM_SYSTEM_PYTHON) + " " +
                             NFVSM_SEND_NOTIFICATIONS + " --transport-url '" +
                             broker.transport_url + "' --samples-dir '" +
                             testing::SamplesDir().string() + "' " + extra);
}

bool OsloInstalled() {
  return testing::RunCommand(std::string(NFVSM_SYSTEM_PYTHON) +
                             " -c 'import oslo_messaging'")
             .exit_code == 0;
}

// covers: R2.1.150, R2.1.160, R2.1.170, R2.1.180, R2.1.190, R2.1.240
TEST(IngestE2eTest, EveryNovaSampleSentByOsloArrivesAndTranslates) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_TRUE(OsloInstalled())
      << NFVSM_SYSTEM_PYTHON << " cannot import oslo_messaging "
      << "(apt-get install python3-oslo.messaging)";
  const std::string queue = UniqueName("nfvsm-notifications");
  auto conn = Connection::Open(
      IngestOptions(broker, queue, "nova", "versioned_notifications.*"));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  ASSERT_TRUE((*conn)->Consume(queue).ok());

  const testing::CommandResult sent =
      SendWithOslo(broker,
                   "--prefix instance- --prefix compute_task- "
                   "--publisher-id nova-compute:compute-1");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;

  std::map<std::string, const testing::SampleExpectation*> expected;
  for (const auto& e : testing::SampleExpectations()) expected[e.file] = &e;
  std::map<std::string, int> received;
  EventTranslator translator;
  const auto deadline = std::chrono::steady_clock::now() + seconds(90);
  while (received.size() < expected.size() &&
         std::chrono::steady_clock::now() < deadline) {
    auto next = (*conn)->NextDelivery(seconds(5));
    ASSERT_TRUE(next.ok()) << next.status().ToString();
    if (!next->has_value()) continue;
    const Delivery& d = **next;
    EXPECT_EQ(d.exchange, "nova");
    EXPECT_EQ(d.properties.content_type, "application/json");
    auto n = DecodeNotification(d.body);
    ASSERT_TRUE(n.ok()) << n.status().ToString();
    EXPECT_EQ(n->format, NotificationFormat::kMessagingV2);
    EXPECT_EQ(n->publisher_id, "nova-compute:compute-1");
    // Upper case in the body, lower case in the routing key.
    EXPECT_EQ(d.routing_key, "versioned_notifications." + Lower(n->priority));
    // The sender tags each notification with its sample in the request id.
    ASSERT_TRUE(n->context.contains("request_id")) << d.body;
    const std::string tag = n->context["request_id"];
    ASSERT_TRUE(tag.starts_with(kSampleTag)) << tag;
    const std::string file = tag.substr(std::string_view(kSampleTag).size());
    ++received[file];
    ASSERT_TRUE(expected.count(file)) << file;
    // The payload oslo carried is the sample as nfvsm's tests resolve it.
    auto local = testing::SampleNotification(file);
    ASSERT_TRUE(local.ok());
    EXPECT_EQ(n->payload, local->payload) << file;
    EXPECT_EQ(n->event_type, local->event_type) << file;

    auto t = translator.Translate(*n);
    ASSERT_TRUE(t.ok()) << file << ": " << t.status().ToString();
    const testing::SampleExpectation& want = *expected[file];
    if (want.ignored) {
      EXPECT_TRUE(t->events.empty()) << file;
    } else {
      ASSERT_EQ(t->events.size(), 1u) << file;
      const LifecycleEvent& e = t->events[0];
      EXPECT_EQ(e.kind, want.kind) << file;
      EXPECT_EQ(e.phase, want.phase) << file;
      if (e.kind == EventKind::kModify) {
        EXPECT_EQ(e.aspect, want.aspect) << file;
      }
      EXPECT_THAT(e.reason, HasSubstr(want.reason)) << file;
      EXPECT_EQ(e.id, n->message_id);
      EXPECT_EQ(e.details.at("publisher_id"), "nova-compute:compute-1");
    }
    // Acknowledged only once handled (the ingest acks after storing).
    ASSERT_TRUE((*conn)->Ack(d).ok());
  }
  EXPECT_EQ(received.size(), expected.size()) << sent.output;
  for (const auto& [file, count] : received) {
    EXPECT_EQ(count, 1) << file << " arrived more than once";
  }
  const TranslatorStats stats = translator.stats();
  EXPECT_EQ(stats.translated + stats.not_relevant, expected.size());
  EXPECT_EQ(stats.malformed, 0u);
  EXPECT_TRUE((*conn)->DeleteQueue(queue).ok());
}

// covers: R2.1.160, R2.1.180
TEST(IngestE2eTest, LegacyHeatNotificationArrivesAndTranslates) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_TRUE(OsloInstalled());
  const std::string queue = UniqueName("nfvsm-heat");
  auto conn =
      Connection::Open(IngestOptions(broker, queue, "heat", "notifications.*"));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  ASSERT_TRUE((*conn)->Consume(queue).ok());
  // No Nova samples: a prefix that matches none.
  const testing::CommandResult sent =
      SendWithOslo(broker, "--prefix none- --heat");
  ASSERT_EQ(sent.exit_code, 0) << sent.output;
  auto next = (*conn)->NextDelivery(seconds(60));
  ASSERT_TRUE(next.ok() && next->has_value()) << sent.output;
  EXPECT_EQ((**next).routing_key, "notifications.info");
  auto n = DecodeNotification((**next).body);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->format, NotificationFormat::kLegacy);
  EXPECT_EQ(n->event_type, "orchestration.stack.create.end");
  EXPECT_EQ(n->context["request_id"], "nfvsm-sample:heat-stack-create");
  EventTranslator translator([](ResourceKind kind, std::string_view id) {
    return kind == ResourceKind::kHeatStack &&
                   id == "8a8d4d5c-1111-2222-3333-444455556666"
               ? std::vector<VnfId>{"vnf-1"}
               : std::vector<VnfId>{};
  });
  auto t = translator.Translate(*n);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kCreate);
  EXPECT_EQ(t->events[0].vnf_id, "vnf-1");
  EXPECT_TRUE((*conn)->Ack(**next).ok());
  EXPECT_TRUE((*conn)->DeleteQueue(queue).ok());
}

// covers: R2.1.240
TEST(IngestE2eTest, PoisonMessageIsReportedAndIngestContinues) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("nfvsm-poison");
  // Its own exchange: poison on "nova" would reach the other tests' queues.
  const std::string exchange = UniqueName("nova-poison");
  auto conn = Connection::Open(
      IngestOptions(broker, queue, exchange, "versioned_notifications.*"));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  OutgoingMessage poison;
  poison.exchange = exchange;
  poison.routing_key = "versioned_notifications.info";
  poison.body = "this is not JSON";
  OutgoingMessage good = poison;
  good.body =
      nlohmann::json{
          {"oslo.version", "2.0"},
          {"oslo.message",
           nlohmann::json{
               {"message_id", "m-good"},
               {"publisher_id", "nova-compute:compute-1"},
               {"event_type", "instance.lock"},
               {"priority", "INFO"},
               {"timestamp", "2024-01-01 00:00:00.000001"},
               {"payload", {{"nova_object.data", {{"uuid", "i-1"}}}}}}
               .dump()}}
          .dump();
  for (const Status& s :
       (*conn)->PublishBatch(std::vector<OutgoingMessage>{poison, good})) {
    ASSERT_TRUE(s.ok()) << s.ToString();  // publisher confirms
  }
  ASSERT_TRUE((*conn)->Consume(queue).ok());
  auto first = (*conn)->NextDelivery(seconds(10));
  ASSERT_TRUE(first.ok() && first->has_value());
  auto bad = DecodeNotification((**first).body);
  EXPECT_EQ(bad.status().code(), StatusCode::kInvalidArgument);
  // Dead-lettering comes with the ingest; here it is dropped, not requeued.
  ASSERT_TRUE((*conn)->Reject(**first, /*requeue=*/false).ok());
  auto second = (*conn)->NextDelivery(seconds(10));
  ASSERT_TRUE(second.ok() && second->has_value());
  auto n = DecodeNotification((**second).body);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->message_id, "m-good");
  EXPECT_TRUE((*conn)->Ack(**second).ok());
  EXPECT_TRUE((*conn)->DeleteQueue(queue).ok());
  EXPECT_TRUE((*conn)->DeleteExchange(exchange).ok());
}

// covers: R2.1.240
TEST(IngestE2eTest, DurableRedeclareOfOpenStacksExchangeIs406) {
  NFVSM_REQUIRE_BROKER(broker);
  auto conn = Connection::Open(BrokerOptions(broker));
  ASSERT_TRUE(conn.ok());
  ASSERT_TRUE(DeclareOpenStackExchange(**conn, "nova").ok());
  const Status durable =
      (*conn)->DeclareExchange({.name = "nova", .durable = true});
  EXPECT_EQ(durable.code(), StatusCode::kFailedPrecondition);
  EXPECT_THAT(durable.message(), HasSubstr("inequivalent arg 'durable'"));
  EXPECT_TRUE(DeclareOpenStackExchange(**conn, "nova").ok());
}

}  // namespace
}  // namespace nfvsm::amqp
