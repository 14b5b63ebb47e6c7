// GateClient against an in-test gateway (an RpcServer answering from a
// table): verdicts, reasons, policies, and every way of failing closed.
#include "nfvsm/amqp/gate_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/v1/hook.pb.h"
#include "nfvsm/wire.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::BrokerOptions;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using testing::UniqueName;

Policy TestPolicy() {
  Policy p;
  p.id = "sm-policy-1";
  p.placement.allowed_zones = {"zone-a", "zone-b"};
  p.placement.denied_hosts = {"host-13"};
  p.placement.hmee_required = true;
  return p;
}

// What the in-test gateway does for each VNF id.
enum class Behaviour {
  kAllow,
  kDeny,
  kSilent,
  kGarbage,
  kNoVerdict,
  kError,
  kBadPolicy,
  kLateDeny,
  kSlowAllow
};

const std::map<std::string, Behaviour>& Table() {
  static const auto* table = new std::map<std::string, Behaviour>{
      {"vnf-allow", Behaviour::kAllow},
      {"vnf-deny", Behaviour::kDeny},
      {"vnf-silent", Behaviour::kSilent},
      {"vnf-garbage", Behaviour::kGarbage},
      {"vnf-no-verdict", Behaviour::kNoVerdict},
      {"vnf-error", Behaviour::kError},
      {"vnf-bad-policy", Behaviour::kBadPolicy},
      {"vnf-late", Behaviour::kLateDeny},
      {"vnf-slow", Behaviour::kSlowAllow},
  };
  return *table;
}

class GateClientTest : public ::testing::Test {
 protected:
  void StartGateway(const testing::BrokerInfo& broker) {
    queue_ = UniqueName("gate");
    RpcServerOptions options;
    options.connection = BrokerOptions(broker);
    options.queue.name = queue_;
    options.queue.durable = false;
    options.queue.auto_delete = true;
    auto server = RpcServer::Create(
        options, [this](const Delivery& d, Responder r) { Answer(d, r); });
    ASSERT_TRUE(server.ok()) << server.status().ToString();
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());
  }

  void TearDown() override {
    if (server_) server_->Stop();
    std::lock_guard<std::mutex> lock(mu_);
    for (auto& t : delayed_) t.join();
  }

  std::unique_ptr<GateClient> Client(const testing::BrokerInfo& broker,
                                     bool fail_open = false,
                                     std::string queue = "") {
    GateClientOptions options;
    options.queue = queue.empty() ? queue_ : queue;
    options.fail_open = fail_open;
    options.default_deadline = seconds(5);
    options.requester = "gate-client-test@host1";
    auto client = GateClient::Open(BrokerOptions(broker), options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(client).value() : nullptr;
  }

  static HookGateRequestInput Input(const std::string& vnf_id,
                                    std::optional<Duration> deadline = {}) {
    HookGateRequestInput input;
    input.request.operation = OperationKind::kInstantiate;
    input.request.vnf_id = vnf_id;
    input.request.domain = "tenant-a";
    input.deadline = deadline;
    return input;
  }

  const std::string& LastQueue() const { return queue_; }

  v1::HookGateRequest LastRequest() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_;
  }

 private:
  void Answer(const Delivery& d, const Responder& r) {
    v1::HookGateRequest req;
    ASSERT_TRUE(req.ParseFromString(d.body));
    {
      std::lock_guard<std::mutex> lock(mu_);
      last_ = req;
    }
    v1::HookGateReply reply;
    reply.set_gate_id("gate-" + req.request().vnf_id());
    auto it = Table().find(req.request().vnf_id());
    const Behaviour b = it == Table().end() ? Behaviour::kDeny : it->second;
    switch (b) {
      case Behaviour::kAllow:
      case Behaviour::kSlowAllow:
        reply.set_verdict(v1::VERDICT_ALLOW);
        ASSERT_TRUE(wire::ToProto(TestPolicy(), reply.mutable_policy()).ok());
        break;
      case Behaviour::kDeny:
        reply.set_verdict(v1::VERDICT_DENY);
        reply.add_reasons("sm-1: image not attested");
        reply.add_reasons("host quarantined");
        reply.set_timed_out(true);
        break;
      case Behaviour::kSilent:
        return;
      case Behaviour::kGarbage:
        (void)r.Reply(std::string("\xff\xff\xff\x01", 4));
        return;
      case Behaviour::kNoVerdict:
        break;
      case Behaviour::kError:
        reply.set_verdict(v1::VERDICT_ALLOW);
        reply.set_error("store unavailable");
        break;
      case Behaviour::kBadPolicy:
        reply.set_verdict(v1::VERDICT_ALLOW);
        reply.mutable_policy()->set_version(999);
        break;
      case Behaviour::kLateDeny:
        reply.set_verdict(v1::VERDICT_DENY);
        reply.add_reasons("late");
        break;
    }
    if (b == Behaviour::kLateDeny || b == Behaviour::kSlowAllow) {
      const auto delay =
          b == Behaviour::kLateDeny ? milliseconds(600) : milliseconds(900);
      std::lock_guard<std::mutex> lock(mu_);
      delayed_.emplace_back([r, reply, delay] {
        std::this_thread::sleep_for(delay);
        (void)r.Reply(reply.SerializeAsString());
      });
      return;
    }
    EXPECT_TRUE(r.Reply(reply.SerializeAsString()).ok());
  }

  std::string queue_;
  std::unique_ptr<RpcServer> server_;
  std::mutex mu_;
  v1::HookGateRequest last_;
  std::vector<std::thread> delayed_;
};

// covers: R2.1.40, R2.1.310, R1.3.160 (an allowed operation comes back
// with the SM's policy to apply)
TEST_F(GateClientTest, AllowCarriesPolicy) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto client = Client(broker);
  ASSERT_NE(client, nullptr);
  auto reply = client->Check(Input("vnf-allow"));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->verdict, Verdict::kAllow);
  EXPECT_EQ(reply->gate_id, "gate-vnf-allow");
  EXPECT_EQ(reply->error, "");
  EXPECT_FALSE(reply->failed_open);
  ASSERT_TRUE(reply->policy.has_value());
  EXPECT_EQ(*reply->policy, TestPolicy());
  const v1::HookGateRequest seen = LastRequest();
  EXPECT_EQ(seen.check(), v1::HookGateRequest::CHECK_OPERATION);
  EXPECT_EQ(seen.requester(), "gate-client-test@host1");
  EXPECT_EQ(seen.request().domain(), "tenant-a");
  EXPECT_EQ(seen.request().operation(), v1::OPERATION_KIND_INSTANTIATE);
  EXPECT_GT(seen.deadline_us(), ToMicros(SystemClock().Now()));
}

// covers: R2.1.40, R2.1.190 (a denial names its reasons)
TEST_F(GateClientTest, DenyCarriesReasons) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto client = Client(broker);
  ASSERT_NE(client, nullptr);
  auto reply = client->Check(Input("vnf-deny"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kDeny);
  EXPECT_THAT(reply->reasons,
              ElementsAre("sm-1: image not attested", "host quarantined"));
  EXPECT_TRUE(reply->timed_out);
  EXPECT_EQ(reply->error, "");
  EXPECT_FALSE(reply->policy.has_value());
}

// covers: R2.1.270, R2.1.320, R2.1.280/290 (recovery and placement checks
// reach the gateway as such, so the quarantine vetoes can apply)
TEST_F(GateClientTest, RecoveryAndPlacementConveniences) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto client = Client(broker);
  ASSERT_NE(client, nullptr);
  auto recovery = client->CheckRecovery("vnf-allow", "host-7");
  ASSERT_TRUE(recovery.ok()) << recovery.status().ToString();
  v1::HookGateRequest seen = LastRequest();
  EXPECT_EQ(seen.check(), v1::HookGateRequest::CHECK_RECOVERY);
  EXPECT_TRUE(seen.request().is_recovery());
  EXPECT_EQ(seen.request().target_host(), "host-7");
  EXPECT_EQ(seen.request().operation(), v1::OPERATION_KIND_HEAL);

  auto placement = client->CheckPlacement("vnf-deny", "host-13");
  ASSERT_TRUE(placement.ok());
  EXPECT_EQ(placement->verdict, Verdict::kDeny);
  seen = LastRequest();
  EXPECT_EQ(seen.check(), v1::HookGateRequest::CHECK_PLACEMENT);
  EXPECT_EQ(seen.request().target_host(), "host-13");
  EXPECT_FALSE(seen.request().is_recovery());

  // A placement needs a host: the caller's mistake is an error value.
  HookGateRequestInput no_host = Input("vnf-allow");
  no_host.kind = GateCheckKind::kPlacement;
  EXPECT_EQ(client->Check(no_host).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(client->Check(Input("")).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: R1.3.30 (no gateway: deny, naming why)
TEST_F(GateClientTest, GatewayAbsentFailsClosed) {
  NFVSM_REQUIRE_BROKER(broker);
  auto client = Client(broker, /*fail_open=*/false, UniqueName("no-gateway"));
  ASSERT_NE(client, nullptr);
  auto reply = client->Check(Input("vnf-allow"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kDeny);
  EXPECT_THAT(reply->error, HasSubstr("nfvsm gateway unreachable"));
  EXPECT_FALSE(reply->failed_open);
}

// covers: R1.3.30 (no broker at all: deny)
TEST_F(GateClientTest, BrokerUnreachableFailsClosed) {
  NFVSM_REQUIRE_BROKER(broker);
  ConnectionOptions options = BrokerOptions(broker);
  auto url = TransportUrl::Parse("rabbit://guest:guest@127.0.0.1:1/");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  options.url = *url;
  options.connect_timeout = seconds(2);
  auto client = GateClient::Open(options, GateClientOptions{});
  ASSERT_TRUE(client.ok());
  auto reply = (*client)->Check(Input("vnf-allow", seconds(3)));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kDeny);
  EXPECT_THAT(reply->error, HasSubstr("nfvsm gateway unreachable"));
}

// covers: R1.3.30 (no answer by the deadline: deny with the deadline error)
TEST_F(GateClientTest, SilentGatewayFailsClosedAtDeadline) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto client = Client(broker);
  ASSERT_NE(client, nullptr);
  auto reply = client->Check(Input("vnf-silent", milliseconds(300)));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kDeny);
  EXPECT_EQ(reply->error, "no decision from the nfvsm gateway within 300 ms");
}

// covers: R1.3.30 (fail open only when configured, and visibly so)
TEST_F(GateClientTest, FailOpenAllowsWithError) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto absent = Client(broker, /*fail_open=*/true, UniqueName("no-gateway"));
  ASSERT_NE(absent, nullptr);
  auto reply = absent->Check(Input("vnf-deny"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kAllow);
  EXPECT_TRUE(reply->failed_open);
  EXPECT_THAT(reply->error, HasSubstr("unreachable"));

  auto silent = Client(broker, /*fail_open=*/true);
  ASSERT_NE(silent, nullptr);
  reply = silent->Check(Input("vnf-silent", milliseconds(300)));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kAllow);
  EXPECT_TRUE(reply->failed_open);
  EXPECT_THAT(reply->error, HasSubstr("within 300 ms"));

  // A gateway that answers is obeyed, fail-open or not.
  reply = silent->Check(Input("vnf-deny"));
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(reply->verdict, Verdict::kDeny);
  EXPECT_FALSE(reply->failed_open);
}

// covers: R1.3.30, R2.1.40 (a reply that arrives after its caller gave up
// is not taken as the answer to the next question)
TEST_F(GateClientTest, LateReplyIsIgnoredByTheNextCheck) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  auto client = Client(broker);
  ASSERT_NE(client, nullptr);
  // Answered (DENY "late") 600 ms after the request, 400 ms too late.
  auto first = client->Check(Input("vnf-late", milliseconds(200)));
  ASSERT_TRUE(first.ok());
  EXPECT_EQ(first->verdict, Verdict::kDeny);
  EXPECT_THAT(first->error, HasSubstr("within 200 ms"));
  // Answered ALLOW 900 ms after the request: the late DENY arrives first,
  // in the middle of this wait, and must be discarded.
  auto second = client->Check(Input("vnf-slow", seconds(5)));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->verdict, Verdict::kAllow);
  EXPECT_EQ(second->gate_id, "gate-vnf-slow");
  EXPECT_EQ(second->error, "");
  EXPECT_TRUE(second->reasons.empty());
}

// covers: R1.3.30 (anything unusable in a reply denies)
TEST_F(GateClientTest, UnusableRepliesFailClosed) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  struct Case {
    std::string vnf_id;
    std::string error_part;
  };
  const std::vector<Case> cases = {
      {"vnf-garbage", "malformed reply"},
      {"vnf-no-verdict", "no verdict"},
      {"vnf-error", "could not decide: store unavailable"},
      {"vnf-bad-policy", "policy"},
  };
  // Fail-open does not apply: the gateway answered.
  for (bool fail_open : {false, true}) {
    auto client = Client(broker, fail_open);
    ASSERT_NE(client, nullptr);
    for (const Case& c : cases) {
      auto reply = client->Check(Input(c.vnf_id));
      ASSERT_TRUE(reply.ok()) << c.vnf_id;
      EXPECT_EQ(reply->verdict, Verdict::kDeny) << c.vnf_id;
      EXPECT_THAT(reply->error, HasSubstr(c.error_part)) << c.vnf_id;
      EXPECT_FALSE(reply->policy.has_value()) << c.vnf_id;
    }
  }
}

// covers: R1.3.30 (a connection the broker closed while the hook was idle
// is replaced on the next Check instead of denying spuriously)
TEST_F(GateClientTest, ConnectionClosedWhileIdleIsReplaced) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  ConnectionOptions connection = BrokerOptions(broker);
  connection.connection_name = UniqueName("gate-client");
  GateClientOptions options;
  options.queue = LastQueue();
  auto client = GateClient::Open(connection, options);
  ASSERT_TRUE(client.ok());
  auto first = (*client)->Check(Input("vnf-allow"));
  ASSERT_TRUE(first.ok());
  ASSERT_EQ(first->verdict, Verdict::kAllow) << first->error;

  auto listed = testing::RabbitCtl(
      {"list_connections", "-q", "pid", "client_properties"});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::string pid;
  std::istringstream lines(*listed);
  for (std::string line; std::getline(lines, line);) {
    if (line.find(connection.connection_name) != std::string::npos) {
      pid = line.substr(0, line.find('\t'));
    }
  }
  ASSERT_FALSE(pid.empty()) << *listed;
  ASSERT_TRUE(testing::RabbitCtl({"close_connection", pid, "test"}).ok());
  std::this_thread::sleep_for(milliseconds(200));

  auto second = (*client)->Check(Input("vnf-allow"));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->verdict, Verdict::kAllow) << second->error;
  EXPECT_EQ(second->error, "");
}

// covers: R1.3.30 (bad options are errors)
TEST(GateClientOptionsTest, RejectsBadOptions) {
  GateClientOptions options;
  options.default_deadline = Duration::zero();
  EXPECT_EQ(GateClient::Open(ConnectionOptions{}, options).status().code(),
            StatusCode::kInvalidArgument);
  options.default_deadline = seconds(1);
  options.queue.clear();
  EXPECT_EQ(GateClient::Open(ConnectionOptions{}, options).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::amqp
