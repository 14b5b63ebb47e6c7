// RpcServer and RpcClient against a real broker: round trips, replies from
// other threads, correlation of concurrent requests, expired requests.
#include "nfvsm/amqp/rpc_server.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <condition_variable>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::BrokerOptions;
using testing::UniqueName;

RpcServerOptions ServerOptions(const testing::BrokerInfo& broker,
                               const std::string& queue) {
  RpcServerOptions options;
  options.connection = BrokerOptions(broker);
  options.connection.prefetch_count = 64;
  options.queue.name = queue;
  options.queue.durable = false;
  options.queue.auto_delete = true;  // tests leave nothing behind
  return options;
}

std::unique_ptr<RpcClient> MakeClient(const testing::BrokerInfo& broker,
                                      const std::string& queue) {
  RpcClientOptions options;
  options.connection = BrokerOptions(broker);
  options.queue = queue;
  options.request_type = "test.Request";
  auto client = RpcClient::Create(options);
  EXPECT_TRUE(client.ok()) << client.status().ToString();
  return client.ok() ? std::move(client).value() : nullptr;
}

TimePoint In(Duration d) { return SystemClock().Now() + d; }

// covers: R2.1.40 (the gate request reaches the gateway and its decision
// comes back to the asking hook)
TEST(RpcServerTest, RequestReplyRoundTrip) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("rpc");
  std::string seen_type;
  std::string seen_content_type;
  auto server = RpcServer::Create(
      ServerOptions(broker, queue), [&](const Delivery& d, Responder r) {
        seen_type = d.properties.type;
        seen_content_type = d.properties.content_type;
        EXPECT_TRUE(r.Reply("pong:" + d.body, "test.Reply").ok());
      });
  ASSERT_TRUE(server.ok()) << server.status().ToString();
  ASSERT_TRUE((*server)->Start().ok());

  auto client = MakeClient(broker, queue);
  ASSERT_NE(client, nullptr);
  auto reply = client->Call("ping", In(seconds(10)));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(*reply, "pong:ping");
  auto again = client->Call("again", In(seconds(10)));
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, "pong:again");
  (*server)->Stop();
  EXPECT_EQ((*server)->requests_handled(), 2u);
  EXPECT_EQ(seen_type, "test.Request");
  EXPECT_EQ(seen_content_type, kProtobufContentType);
}

// covers: R2.1.40 (a decision taken later, on the thread that completes the
// gate, is delivered to the right caller)
TEST(RpcServerTest, ReplyFromAnotherThread) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("rpc");
  std::mutex mu;
  std::vector<std::thread> repliers;
  auto server = RpcServer::Create(
      ServerOptions(broker, queue), [&](const Delivery& d, Responder r) {
        std::lock_guard<std::mutex> lock(mu);
        repliers.emplace_back([r, body = d.body] {
          std::this_thread::sleep_for(milliseconds(50));
          EXPECT_TRUE(r.Reply("later:" + body).ok());
          // A request is answered once.
          EXPECT_EQ(r.Reply("twice").code(), StatusCode::kFailedPrecondition);
        });
      });
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE((*server)->Start().ok());
  auto client = MakeClient(broker, queue);
  ASSERT_NE(client, nullptr);
  auto reply = client->Call("x", In(seconds(10)));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(*reply, "later:x");
  (*server)->Stop();
  std::lock_guard<std::mutex> lock(mu);
  for (auto& t : repliers) t.join();
}

// covers: R2.1.40, R1.3.30 (many hooks wait at once; each gets its own
// decision, matched by correlation id, whatever the order of replies)
TEST(RpcServerTest, ConcurrentRequestsMatchTheirCorrelationIds) {
  NFVSM_REQUIRE_BROKER(broker);
  constexpr int kRequests = 64;
  const std::string queue = UniqueName("rpc");
  std::mutex mu;
  std::condition_variable all_taken;
  std::vector<std::pair<Responder, std::string>> taken;
  auto server = RpcServer::Create(ServerOptions(broker, queue),
                                  [&](const Delivery& d, Responder r) {
                                    std::lock_guard<std::mutex> lock(mu);
                                    taken.emplace_back(std::move(r), d.body);
                                    all_taken.notify_all();
                                  });
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE((*server)->Start().ok());

  auto conn = Connection::Open(BrokerOptions(broker));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  QueueSpec replies;
  replies.name = UniqueName("replies");
  replies.durable = false;
  replies.exclusive = true;
  ASSERT_TRUE((*conn)->DeclareQueue(replies).ok());
  ASSERT_TRUE((*conn)->Consume(replies.name).ok());
  std::map<std::string, std::string> body_of;  // correlation id -> body
  std::vector<OutgoingMessage> requests;
  for (int i = 0; i < kRequests; ++i) {
    OutgoingMessage m;
    m.routing_key = queue;
    m.body = "request-" + std::to_string(i);
    m.properties.correlation_id = RandomHexId();
    m.properties.reply_to = replies.name;
    m.properties.persistent = false;
    body_of[m.properties.correlation_id] = m.body;
    requests.push_back(m);
  }
  ASSERT_EQ(body_of.size(), static_cast<size_t>(kRequests));  // unique ids
  for (const Status& s : (*conn)->PublishBatch(requests)) {
    ASSERT_TRUE(s.ok()) << s.ToString();
  }
  {
    std::unique_lock<std::mutex> lock(mu);
    ASSERT_TRUE(all_taken.wait_for(lock, seconds(30), [&] {
      return taken.size() == static_cast<size_t>(kRequests);
    }));
  }
  // Four threads answer, in reverse arrival order.
  std::vector<std::thread> repliers;
  for (int t = 0; t < 4; ++t) {
    repliers.emplace_back([&, t] {
      for (int i = kRequests - 1 - t; i >= 0; i -= 4) {
        EXPECT_TRUE(taken[i].first.Reply("re:" + taken[i].second).ok());
      }
    });
  }
  for (auto& t : repliers) t.join();

  std::map<std::string, std::string> got;
  const auto until = std::chrono::steady_clock::now() + seconds(30);
  while (got.size() < static_cast<size_t>(kRequests) &&
         std::chrono::steady_clock::now() < until) {
    auto d = (*conn)->NextDelivery(milliseconds(200));
    ASSERT_TRUE(d.ok()) << d.status().ToString();
    if (!d->has_value()) continue;
    EXPECT_TRUE((*conn)->Ack(**d).ok());
    EXPECT_FALSE((*d)->properties.persistent);
    got[(*d)->properties.correlation_id] = (*d)->body;
  }
  ASSERT_EQ(got.size(), static_cast<size_t>(kRequests));
  for (const auto& [id, body] : body_of) {
    EXPECT_EQ(got[id], "re:" + body) << id;
  }
  (*server)->Stop();
}

// covers: R1.3.30 (a request whose hook stopped waiting is not decided:
// the hook has already failed closed)
TEST(RpcServerTest, ExpiredRequestIsSkipped) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("rpc");
  std::mutex mu;
  std::vector<std::string> handled;
  auto server = RpcServer::Create(ServerOptions(broker, queue),
                                  [&](const Delivery& d, Responder r) {
                                    {
                                      std::lock_guard<std::mutex> lock(mu);
                                      handled.push_back(d.body);
                                    }
                                    (void)r.Reply("ok:" + d.body);
                                  });
  ASSERT_TRUE(server.ok());
  ASSERT_TRUE((*server)->Start().ok());

  auto conn = Connection::Open(BrokerOptions(broker));
  ASSERT_TRUE(conn.ok());
  QueueSpec replies;
  replies.name = UniqueName("replies");
  replies.durable = false;
  replies.exclusive = true;
  ASSERT_TRUE((*conn)->DeclareQueue(replies).ok());
  OutgoingMessage stale;
  stale.routing_key = queue;
  stale.body = "stale";
  stale.properties.reply_to = replies.name;
  stale.properties.correlation_id = "stale-id";
  stale.properties.persistent = false;
  stale.properties.headers[kRpcDeadlineHeader] =
      int64_t{ToMicros(SystemClock().Now() - seconds(1))};
  ASSERT_TRUE((*conn)->Publish(stale).ok());
  // A request with no reply_to cannot be answered either.
  OutgoingMessage anonymous = stale;
  anonymous.body = "anonymous";
  anonymous.properties.reply_to.clear();
  anonymous.properties.headers.clear();
  ASSERT_TRUE((*conn)->Publish(anonymous).ok());

  auto client = MakeClient(broker, queue);
  ASSERT_NE(client, nullptr);
  auto reply = client->Call("fresh", In(seconds(10)));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(*reply, "ok:fresh");
  (*server)->Stop();
  EXPECT_EQ((*server)->requests_dropped(), 2u);
  std::lock_guard<std::mutex> lock(mu);
  EXPECT_THAT(handled, ::testing::ElementsAre("fresh"));
  auto leftover = (*conn)->Get(replies.name);
  ASSERT_TRUE(leftover.ok());
  EXPECT_FALSE(leftover->has_value()) << "the stale request was answered";
}

// covers: R1.3.30 (no server: the caller learns it at once or by its
// deadline, never hangs)
TEST(RpcServerTest, ClientWithoutServerFailsPromptly) {
  NFVSM_REQUIRE_BROKER(broker);
  auto client = MakeClient(broker, UniqueName("nobody"));
  ASSERT_NE(client, nullptr);
  auto reply = client->Call("x", In(seconds(5)));
  ASSERT_FALSE(reply.ok());
  EXPECT_EQ(reply.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(reply.status().message(), ::testing::HasSubstr("nothing serves"));
}

// covers: R1.3.30 (bad options are errors, not crashes)
TEST(RpcServerTest, CreateRejectsBadOptions) {
  RpcServerOptions options;
  options.queue.name.clear();
  EXPECT_EQ(RpcServer::Create(options, [](const Delivery&, Responder) {})
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  options.queue.name = "q";
  EXPECT_EQ(RpcServer::Create(options, nullptr).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(RpcClient::Create(RpcClientOptions{}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::amqp
