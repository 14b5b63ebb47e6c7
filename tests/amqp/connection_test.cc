// Connection against a real private RabbitMQ node: login, fail-over,
// errors, heartbeats, topology through on_connected.
#include "nfvsm/amqp/connection.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using testing::BrokerOptions;
using ::testing::HasSubstr;
using ::testing::Not;
using testing::UniqueName;

// A loopback port with nothing listening (the broker's distribution-free
// neighbour ports are not guaranteed free, port 1 is).
constexpr char kClosed[] = "127.0.0.1:1";

std::string Url(const testing::BrokerInfo& b, const std::string& password,
                const std::string& hosts, const std::string& rest = "/") {
  return "rabbit://" + b.user + ":" + password + "@" + hosts + rest;
}

std::string Encoded(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// covers: R2.1.60, R2.1.70
TEST(ConnectionTest, OpensWithTheTransportUrl) {
  NFVSM_REQUIRE_BROKER(broker);
  auto conn = Connection::Open(BrokerOptions(broker));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_TRUE((*conn)->connected());
  EXPECT_EQ((*conn)->broker(), "127.0.0.1:" + std::to_string(broker.port));
  EXPECT_EQ((*conn)->heartbeat(), std::chrono::seconds(60));
  EXPECT_EQ((*conn)->connects(), 1u);
  // The password has URL-reserved characters: the URL decoding worked.
  EXPECT_THAT(broker.password, HasSubstr("@"));
}

// covers: R2.1.70, R1.3.260
TEST(ConnectionTest, WrongPasswordIsUnauthenticatedAndNotLeaked) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  const std::string wrong = "Zq9-wrong-pass";
  options.url =
      TransportUrl::Parse(
          Url(broker, wrong, "127.0.0.1:" + std::to_string(broker.port)))
          .value();
  auto conn = Connection::Open(options);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnauthenticated)
      << conn.status().ToString();
  EXPECT_THAT(conn.status().message(),
              HasSubstr("127.0.0.1:" + std::to_string(broker.port)));
  EXPECT_THAT(conn.status().message(), Not(HasSubstr(wrong)));
}

// covers: R2.1.60, R1.3.260
TEST(ConnectionTest, NoReachableBrokerIsUnavailableNamingEachOne) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.url = TransportUrl::Parse(Url(broker, Encoded(broker.password),
                                        std::string(kClosed) + ",127.0.0.2:1"))
                    .value();
  auto conn = Connection::Open(options);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(conn.status().message(), HasSubstr(kClosed));
  EXPECT_THAT(conn.status().message(), HasSubstr("127.0.0.2:1"));
  EXPECT_THAT(conn.status().message(), Not(HasSubstr(broker.password)));
}

// covers: R2.1.60
TEST(ConnectionTest, FailsOverToTheNextBrokerInOrder) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  const std::string live = "127.0.0.1:" + std::to_string(broker.port);
  // Each host of a transport URL carries its own credentials.
  const std::string creds = broker.user + ":" + Encoded(broker.password) + "@";
  options.url = TransportUrl::Parse("rabbit://" + creds + kClosed + "," +
                                    creds + live + "/")
                    .value();
  auto conn = Connection::Open(options);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ((*conn)->broker(), live);
}

// covers: R2.1.60, R2.1.120
TEST(ConnectionTest, UnknownVirtualHostIsPermissionDenied) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.url.virtual_host = "no-such-vhost";
  auto conn = Connection::Open(options);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kPermissionDenied)
      << conn.status().ToString();
  EXPECT_THAT(conn.status().message(), HasSubstr("no-such-vhost"));
}

// covers: R2.1.70
TEST(ConnectionTest, HeartbeatFromTheUrlKeepsAnIdleWaitAlive) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.url = TransportUrl::Parse(broker.transport_url +
                                    "?heartbeat_timeout_threshold=1")
                    .value();
  auto conn = Connection::Open(options);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ((*conn)->heartbeat(), std::chrono::seconds(1));
  // Waiting three heartbeat periods: rabbitmq-c must send heartbeats while
  // it waits, or the broker drops the connection after two missed ones.
  auto d = (*conn)->NextDelivery(std::chrono::milliseconds(3500));
  ASSERT_TRUE(d.ok()) << d.status().ToString();
  EXPECT_FALSE(d->has_value());
  EXPECT_TRUE((*conn)->connected());
  QueueSpec probe{
      .name = UniqueName("hb"), .durable = false, .exclusive = true};
  EXPECT_TRUE((*conn)->DeclareQueue(probe).ok());
}

// covers: R2.1.60
TEST(ConnectionTest, OnConnectedDeclaresTopology) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("topology");
  int calls = 0;
  ConnectionOptions options = BrokerOptions(broker);
  options.on_connected = [&](Connection& c) {
    ++calls;
    return c
        .DeclareQueue({.name = queue, .durable = false, .auto_delete = true})
        .status();
  };
  auto conn = Connection::Open(options);
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_EQ(calls, 1);
  auto info = (*conn)->DeclareQueue({.name = queue, .passive = true});
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->name, queue);
}

// covers: R2.1.60
TEST(ConnectionTest, OnConnectedFailureFailsTheOpen) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.on_connected = [](Connection& c) {
    return c.DeclareExchange(
        {.name = "nfvsm-missing-exchange", .passive = true});
  };
  auto conn = Connection::Open(options);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kNotFound);
  EXPECT_THAT(conn.status().message(), HasSubstr("on_connected"));
}

// covers: R2.1.60
TEST(ConnectionTest, BadOptionsAreRefused) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions no_prefetch = BrokerOptions(broker);
  no_prefetch.prefetch_count = 0;
  EXPECT_EQ(Connection::Open(no_prefetch).status().code(),
            StatusCode::kInvalidArgument);
  ConnectionOptions no_brokers = BrokerOptions(broker);
  no_brokers.url.brokers.clear();
  EXPECT_EQ(Connection::Open(no_brokers).status().code(),
            StatusCode::kInvalidArgument);
  ConnectionOptions bad_backoff = BrokerOptions(broker);
  bad_backoff.backoff.jitter = 2;
  EXPECT_EQ(Connection::Open(bad_backoff).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: R1.3.10/290
TEST(ConnectionTest, OpenWithRetryGivesUpAfterMaxWait) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  options.url = TransportUrl::Parse(Url(broker, "x", kClosed)).value();
  options.backoff.initial = std::chrono::milliseconds(50);
  options.backoff.max = std::chrono::milliseconds(200);
  int retries = 0;
  options.on_retry = [&retries](const Status& s, Duration wait) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable);
    EXPECT_GE(wait, Duration(std::chrono::milliseconds(1)));
    ++retries;
  };
  auto conn = Connection::OpenWithRetry(options, std::chrono::seconds(2));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(conn.status().message(), HasSubstr("gave up after"));
  EXPECT_GE(retries, 2);
}

}  // namespace
}  // namespace nfvsm::amqp
