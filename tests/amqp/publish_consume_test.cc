// Publisher confirms, manual acks, prefetch, returns and broker refusals
// against a real private RabbitMQ node.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::BrokerOptions;
using ::testing::HasSubstr;
using testing::UniqueName;

// A connection and a fresh queue, deleted at the end of the test.
class PublishConsumeTest : public ::testing::Test {
 protected:
  void Open(ConnectionOptions options) {
    auto conn = Connection::Open(std::move(options));
    ASSERT_TRUE(conn.ok()) << conn.status().ToString();
    conn_ = std::move(conn).value();
    queue_ = UniqueName("q");
    auto info = conn_->DeclareQueue({.name = queue_, .durable = true});
    ASSERT_TRUE(info.ok()) << info.status().ToString();
  }
  void TearDown() override {
    if (conn_ != nullptr && conn_->connected()) {
      EXPECT_TRUE(conn_->DeleteQueue(queue_).ok());
    }
  }
  OutgoingMessage ToQueue(std::string body) const {
    OutgoingMessage m;
    m.routing_key = queue_;
    m.body = std::move(body);
    return m;
  }
  uint32_t Depth() {
    auto info = conn_->DeclareQueue({.name = queue_, .passive = true});
    EXPECT_TRUE(info.ok()) << info.status().ToString();
    return info.ok() ? info->message_count : 0;
  }

  std::unique_ptr<Connection> conn_;
  std::string queue_;
};

// covers: R2.1.70
TEST_F(PublishConsumeTest, ConfirmedPublishKeepsPropertiesAndHeaders) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  OutgoingMessage m = ToQueue(std::string("binary\0body", 11));
  m.properties.content_type = "application/json";
  m.properties.message_id = "m-1";
  m.properties.correlation_id = "c-1";
  m.properties.reply_to = "reply-queue";
  m.properties.timestamp = 1700000000;
  m.properties.headers = {
      {"text", std::string("v")}, {"number", int64_t{-42}}, {"flag", true}};
  ASSERT_TRUE(conn_->Publish(m).ok());
  auto got = conn_->Get(queue_);
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  const Delivery& d = **got;
  EXPECT_EQ(d.body, m.body);
  EXPECT_EQ(d.routing_key, queue_);
  EXPECT_FALSE(d.redelivered);
  EXPECT_TRUE(d.properties.persistent);
  EXPECT_EQ(d.properties.content_type, "application/json");
  EXPECT_EQ(d.properties.message_id, "m-1");
  EXPECT_EQ(d.properties.correlation_id, "c-1");
  EXPECT_EQ(d.properties.reply_to, "reply-queue");
  EXPECT_EQ(d.properties.timestamp, 1700000000);
  EXPECT_EQ(d.properties.headers, m.properties.headers);
  EXPECT_TRUE(conn_->Ack(d).ok());
  auto empty = conn_->Get(queue_);
  ASSERT_TRUE(empty.ok());
  EXPECT_FALSE(empty->has_value());
}

// covers: R2.1.70
TEST_F(PublishConsumeTest, BatchIsConfirmedMessageByMessage) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < 200; ++i)
    batch.push_back(ToQueue("m" + std::to_string(i)));
  const std::vector<Status> results = conn_->PublishBatch(batch);
  ASSERT_EQ(results.size(), 200u);
  for (const Status& s : results) EXPECT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(Depth(), 200u);
}

// covers: R2.1.70
TEST_F(PublishConsumeTest, UnroutableMandatoryMessageIsReturned) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  OutgoingMessage lost;
  lost.routing_key = UniqueName("nobody");
  lost.mandatory = true;
  const std::vector<OutgoingMessage> batch = {ToQueue("a"), lost, ToQueue("b")};
  const std::vector<Status> results = conn_->PublishBatch(batch);
  EXPECT_TRUE(results[0].ok());
  EXPECT_EQ(results[1].code(), StatusCode::kNotFound) << results[1].ToString();
  EXPECT_THAT(results[1].message(), HasSubstr("NO_ROUTE"));
  EXPECT_TRUE(results[2].ok());
  lost.mandatory = false;  // without the flag the broker drops it silently
  EXPECT_TRUE(conn_->Publish(lost).ok());
  EXPECT_EQ(Depth(), 2u);
}

// covers: R2.1.70
TEST_F(PublishConsumeTest, MissingExchangeIsNotFoundAndPublishingRecovers) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  OutgoingMessage m = ToQueue("x");
  m.exchange = UniqueName("no-such-exchange");
  const Status s = conn_->Publish(m);
  EXPECT_EQ(s.code(), StatusCode::kNotFound) << s.ToString();
  EXPECT_TRUE(conn_->Publish(ToQueue("after")).ok());
  EXPECT_EQ(Depth(), 1u);
}

// covers: R2.1.60
TEST_F(PublishConsumeTest, MismatchedRedeclareIs406AndConsumingGoesOn) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  const std::string exchange = UniqueName("ex");
  // As oslo.messaging declares its exchanges: topic, not durable.
  ASSERT_TRUE(conn_->DeclareExchange({.name = exchange}).ok());
  ASSERT_TRUE(conn_->Consume(queue_).ok());
  const Status mismatch =
      conn_->DeclareExchange({.name = exchange, .durable = true});
  EXPECT_EQ(mismatch.code(), StatusCode::kFailedPrecondition)
      << mismatch.ToString();
  EXPECT_THAT(mismatch.message(), HasSubstr("PRECONDITION_FAILED"));
  EXPECT_THAT(mismatch.message(), HasSubstr("durable"));
  // A passive declaration checks existence whatever the flags.
  EXPECT_TRUE(conn_
                  ->DeclareExchange(
                      {.name = exchange, .durable = true, .passive = true})
                  .ok());
  // The refusal closed only the topology channel: the consumer still works.
  ASSERT_TRUE(conn_->Publish(ToQueue("still here")).ok());
  auto d = conn_->NextDelivery(seconds(10));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  ASSERT_TRUE(d->has_value());
  EXPECT_EQ((*d)->body, "still here");
  EXPECT_TRUE(conn_->Ack(**d).ok());
  EXPECT_TRUE(conn_->DeleteExchange(exchange).ok());
}

// covers: R2.1.60
TEST_F(PublishConsumeTest, PassiveDeclareOfMissingQueueIsNotFound) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  auto info =
      conn_->DeclareQueue({.name = UniqueName("absent"), .passive = true});
  EXPECT_EQ(info.status().code(), StatusCode::kNotFound);
  EXPECT_TRUE(conn_->DeclareQueue({.name = queue_, .passive = true}).ok());
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, PrefetchBoundsUnacknowledgedDeliveries) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.prefetch_count = 3;
  ASSERT_NO_FATAL_FAILURE(Open(options));
  std::vector<OutgoingMessage> batch;
  for (int i = 0; i < 10; ++i) batch.push_back(ToQueue(std::to_string(i)));
  for (const Status& s : conn_->PublishBatch(batch)) ASSERT_TRUE(s.ok());
  ASSERT_TRUE(conn_->Consume(queue_).ok());
  std::vector<Delivery> held;
  for (int i = 0; i < 3; ++i) {
    auto d = conn_->NextDelivery(seconds(10));
    ASSERT_TRUE(d.ok() && d->has_value()) << i;
    held.push_back(**d);
  }
  // Three unacknowledged: the broker sends no fourth.
  auto none = conn_->NextDelivery(milliseconds(1500));
  ASSERT_TRUE(none.ok());
  EXPECT_FALSE(none->has_value());
  ASSERT_TRUE(conn_->Ack(held.back(), /*multiple=*/true).ok());
  int more = 0;
  while (more < 3) {
    auto d = conn_->NextDelivery(seconds(10));
    ASSERT_TRUE(d.ok() && d->has_value());
    EXPECT_EQ((*d)->body, std::to_string(3 + more));  // in order
    ++more;
  }
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, UnacknowledgedDeliveryIsRedelivered) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  ASSERT_TRUE(conn_->Publish(ToQueue("once")).ok());
  {
    auto other = Connection::Open(BrokerOptions(broker));
    ASSERT_TRUE(other.ok());
    auto d = (*other)->Get(queue_);
    ASSERT_TRUE(d.ok() && d->has_value());
    EXPECT_FALSE((*d)->redelivered);
  }  // closed without an ack
  auto again = conn_->Get(queue_);
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_EQ((*again)->body, "once");
  EXPECT_TRUE((*again)->redelivered);
  EXPECT_TRUE(conn_->Ack(**again).ok());
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, RejectRequeuesOrDrops) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  ASSERT_TRUE(conn_->Publish(ToQueue("r")).ok());
  auto first = conn_->Get(queue_);
  ASSERT_TRUE(first.ok() && first->has_value());
  ASSERT_TRUE(conn_->Reject(**first, /*requeue=*/true).ok());
  auto second = conn_->Get(queue_);
  ASSERT_TRUE(second.ok() && second->has_value());
  EXPECT_TRUE((*second)->redelivered);
  ASSERT_TRUE(conn_->Reject(**second, /*requeue=*/false).ok());
  EXPECT_EQ(Depth(), 0u);
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, AckFromAnEarlierConnectionIsRefused) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  ASSERT_TRUE(conn_->Publish(ToQueue("g")).ok());
  auto d = conn_->Get(queue_);
  ASSERT_TRUE(d.ok() && d->has_value());
  const uint64_t before = conn_->generation();
  ASSERT_TRUE(conn_->Reconnect(seconds(30)).ok());
  EXPECT_GT(conn_->generation(), before);
  EXPECT_EQ(conn_->connects(), 2u);
  EXPECT_EQ(conn_->Ack(**d).code(), StatusCode::kFailedPrecondition);
  auto again = conn_->Get(queue_);  // requeued by the broker
  ASSERT_TRUE(again.ok() && again->has_value());
  EXPECT_TRUE(conn_->Ack(**again).ok());
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, OversizedDeliveryIsFlaggedNotBuffered) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.max_message_bytes = 100;
  ASSERT_NO_FATAL_FAILURE(Open(options));
  ASSERT_TRUE(conn_->Publish(ToQueue(std::string(1000, 'z'))).ok());
  ASSERT_TRUE(conn_->Publish(ToQueue("small")).ok());
  ASSERT_TRUE(conn_->Consume(queue_).ok());
  auto big = conn_->NextDelivery(seconds(10));
  ASSERT_TRUE(big.ok() && big->has_value());
  EXPECT_TRUE((*big)->oversized);
  EXPECT_TRUE((*big)->body.empty());
  EXPECT_EQ((*big)->body_size, 1000u);
  EXPECT_TRUE(conn_->Reject(**big, false).ok());
  auto small = conn_->NextDelivery(seconds(10));
  ASSERT_TRUE(small.ok() && small->has_value());
  EXPECT_FALSE((*small)->oversized);
  EXPECT_EQ((*small)->body, "small");
  EXPECT_TRUE(conn_->Ack(**small).ok());
}

// covers: R1.3.10/290
TEST_F(PublishConsumeTest, InterruptEndsAWaitForDeliveries) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Open(BrokerOptions(broker)));
  ASSERT_TRUE(conn_->Consume(queue_).ok());
  conn_->Interrupt();
  auto d = conn_->NextDelivery(seconds(60));
  EXPECT_EQ(d.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(d.status().message(), HasSubstr("interrupted"));
  conn_->ClearInterrupt();
  auto after = conn_->NextDelivery(milliseconds(100));
  EXPECT_TRUE(after.ok());
}

}  // namespace
}  // namespace nfvsm::amqp
