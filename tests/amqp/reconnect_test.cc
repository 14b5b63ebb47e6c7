// Reconnection across a broker restart (rabbitmqctl stop_app / start_app on
// the test node). CTest runs this binary alone (RUN_SERIAL): the restart
// would disturb every other bus test.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <future>
#include <string>
#include <thread>

#include "nfvsm/amqp/connection.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::seconds;
using testing::BrokerOptions;
using ::testing::HasSubstr;
using testing::RabbitCtl;
using testing::UniqueName;

// Starts the broker application again whatever happens in the test.
class AppRestarter {
 public:
  ~AppRestarter() {
    if (stopped_) (void)RabbitCtl({"start_app"});
  }
  Status Stop() {
    auto r = RabbitCtl({"stop_app"});
    stopped_ = r.ok();
    return r.status();
  }
  std::future<StatusOr<std::string>> StartAsync() {
    stopped_ = false;
    return std::async(std::launch::async,
                      [] { return RabbitCtl({"start_app"}); });
  }

 private:
  bool stopped_ = false;
};

OutgoingMessage ToQueue(const std::string& queue, const std::string& body) {
  OutgoingMessage m;
  m.routing_key = queue;
  m.body = body;
  return m;
}

// covers: R1.3.10/290, R1.3.30
TEST(ReconnectTest, SurvivesABrokerRestart) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("restart");
  const std::string parked = UniqueName("parked");
  int declared = 0;
  int retries = 0;
  ConnectionOptions options = BrokerOptions(broker);
  options.on_connected = [&](Connection& c) -> Status {
    ++declared;
    NFVSM_RETURN_IF_ERROR(c.DeclareQueue({.name = queue}).status());
    return c.DeclareQueue({.name = parked}).status();
  };
  options.on_retry = [&retries](const Status& s, Duration wait) {
    EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
    EXPECT_GT(wait, Duration::zero());
    ++retries;
  };
  auto opened = Connection::Open(options);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  Connection& conn = **opened;
  ASSERT_TRUE(conn.Consume(queue).ok());
  ASSERT_TRUE(conn.Publish(ToQueue(queue, "before")).ok());
  auto before = conn.NextDelivery(seconds(10));
  ASSERT_TRUE(before.ok() && before->has_value());
  ASSERT_TRUE(conn.Ack(**before).ok());
  // Persistent, in a durable queue, unconsumed: must survive the restart.
  ASSERT_TRUE(conn.Publish(ToQueue(parked, "kept")).ok());

  AppRestarter app;
  ASSERT_TRUE(app.Stop().ok());
  // The broker closes the connection (320 CONNECTION_FORCED).
  StatusOr<std::optional<Delivery>> lost = std::optional<Delivery>();
  for (int i = 0; i < 30 && lost.ok(); ++i)
    lost = conn.NextDelivery(seconds(1));
  ASSERT_FALSE(lost.ok());
  EXPECT_EQ(lost.status().code(), StatusCode::kUnavailable);
  EXPECT_FALSE(conn.connected());
  EXPECT_EQ(conn.Publish(ToQueue(queue, "x")).code(), StatusCode::kUnavailable);

  // While the node is down, Reconnect backs off and can be interrupted.
  std::thread stopper([&conn] {
    std::this_thread::sleep_for(std::chrono::milliseconds(800));
    conn.Interrupt();
  });
  const Status interrupted = conn.Reconnect(seconds(120));
  stopper.join();
  EXPECT_EQ(interrupted.code(), StatusCode::kUnavailable);
  EXPECT_THAT(interrupted.message(), HasSubstr("interrupted"));
  EXPECT_GE(retries, 1);
  conn.ClearInterrupt();

  auto started = app.StartAsync();
  const Status back = conn.Reconnect(seconds(180));
  ASSERT_TRUE(started.get().ok());
  ASSERT_TRUE(back.ok()) << back.ToString();
  EXPECT_EQ(conn.connects(), 2u);
  EXPECT_EQ(declared, 2);  // topology declared again after the restart

  // The consumer was restarted on the new connection.
  ASSERT_TRUE(conn.Publish(ToQueue(queue, "after")).ok());
  auto after = conn.NextDelivery(seconds(20));
  ASSERT_TRUE(after.ok()) << after.status().ToString();
  ASSERT_TRUE(after->has_value());
  EXPECT_EQ((*after)->body, "after");
  EXPECT_TRUE(conn.Ack(**after).ok());
  auto kept = conn.Get(parked);
  ASSERT_TRUE(kept.ok() && kept->has_value());
  EXPECT_EQ((*kept)->body, "kept");
  EXPECT_TRUE(conn.Ack(**kept).ok());
  EXPECT_TRUE(conn.DeleteQueue(queue).ok());
  EXPECT_TRUE(conn.DeleteQueue(parked).ok());
}

}  // namespace
}  // namespace nfvsm::amqp
