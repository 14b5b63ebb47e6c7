// The real nfvsm-gateway process, started by the test with a temporary
// configuration against the private RabbitMQ node; notifications sent by
// the real oslo.messaging (send_events.py).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <thread>

#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/audit.h"
#include "nfvsm/engine.h"
#include "nfvsm/v1/hook.pb.h"
#include "tests/amqp/broker_fixture.h"
#include "tests/gateway/gateway_test_util.h"

namespace nfvsm::gateway {
namespace {

namespace fs = std::filesystem;
using amqp::testing::BrokerOptions;
using amqp::testing::RunCommand;
using amqp::testing::UniqueName;
using testing::CountMessages;
using testing::GatewayProcess;
using testing::GatewayWorkdir;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::WaitFor;

constexpr auto kWait = testing::kProcessWait;
const std::vector<std::string> kInstances = {"vnf-1", "vnf-2"};

class DaemonTest : public ::testing::Test {
 protected:
  void TearDown() override {
    daemon_.Stop(SIGKILL);
    if (!HasFailure()) work_.RemoveAll();
  }

  // Temp dir, audit key, store with domain d0 and VNFs vnf-1, vnf-2 (no SM
  // bound: this test is about ingest and the process), configuration.
  void Prepare(const amqp::testing::BrokerInfo& broker) {
    testing::WorkdirSeed seed;
    seed.dir_stem = "nfvsm-gw";
    seed.queue_stem = "gw-ingest";
    seed.domains = {"d0"};
    for (const auto& id : kInstances) seed.vnfs.emplace_back(id, "d0");
    seed.actor = "test";
    Status created = work_.Create(broker, seed);
    ASSERT_TRUE(created.ok()) << created.ToString();
    queue_ = work_.queue();
    dlq_ = work_.dead_letter_queue();
    log_ = work_.log();
  }

  // Starts the daemon and waits until its ingest consumes.
  void StartDaemon() {
    Status started = daemon_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
  }

  // Sends the signal and returns the exit status (-1: did not exit).
  int StopDaemon(int signal) { return daemon_.Stop(signal); }

  void SendEvents(int count) {
    std::string cmd = std::string(NFVSM_SYSTEM_PYTHON) + " " +
                      NFVSM_SEND_EVENTS + " --transport-url '" +
                      work_.broker().transport_url + "' --exchange " +
                      work_.exchange() + " --count " + std::to_string(count);
    for (const auto& id : kInstances) cmd += " --instance " + id;
    auto r = RunCommand(cmd);
    ASSERT_EQ(r.exit_code, 0) << r.output;
  }

  bool QueueDrained() {
    auto c = CountMessages(queue_);
    return c.ok() && c->ready == 0 && c->unacked == 0;
  }

  // Every VNF's history, after the daemon stopped; checks the audit.
  std::vector<std::string> HistoryIds() {
    std::vector<std::string> problems;
    auto ids = work_.HistoryIds(kInstances, &problems);
    EXPECT_TRUE(ids.ok()) << ids.status().ToString();
    EXPECT_THAT(problems, ::testing::IsEmpty());
    return ids.ok() ? *ids : std::vector<std::string>{};
  }

  StatusOr<std::unique_ptr<Engine>> OpenEngine() { return work_.OpenEngine(); }

  GatewayWorkdir work_;
  GatewayProcess daemon_{work_};
  std::string queue_, dlq_, log_;
};

// covers: R2.1.150, R2.1.160, R1.3.260, R1.3.270
TEST_F(DaemonTest, IngestsOsloNotificationsOnceDeadLettersPoisonAndDrains) {
  NFVSM_REQUIRE_BROKER(broker);
  Prepare(broker);
  StartDaemon();
  SendEvents(200);
  {
    auto c = amqp::Connection::Open(BrokerOptions(broker));
    ASSERT_TRUE(c.ok());
    ASSERT_TRUE(
        testing::PublishNotification(**c, work_.exchange(), "{\"poison\": ")
            .ok());
  }
  SendEvents(10);
  ASSERT_TRUE(WaitFor(
      [&] {
        auto dead = CountMessages(dlq_);
        return QueueDrained() && dead.ok() && dead->ready == 1;
      },
      kWait));

  // The admin RPC sees the history while the daemon runs.
  amqp::AdminClientOptions admin_options;
  admin_options.actor = "daemon-test";
  auto admin = amqp::AdminClient::Open(BrokerOptions(broker), admin_options);
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  auto history = (*admin)->VnfHistory("vnf-1", FromMicros(0), FromMicros(0));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->size(), 105u);
  auto verify = (*admin)->AuditVerify("");
  ASSERT_TRUE(verify.ok()) << verify.status().ToString();
  for (const auto& r : *verify) EXPECT_TRUE(r.ok) << r.problem;

  EXPECT_EQ(StopDaemon(SIGTERM), 0);
  EXPECT_TRUE(QueueDrained());
  const auto ids = HistoryIds();
  EXPECT_EQ(ids.size(), 210u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 210u);

  const std::string log = ReadFile(log_);
  EXPECT_THAT(log, HasSubstr(" WARNING nfvsm.gateway [-] instructions are "
                             "recorded, not carried out: no OpenStack "
                             "actuator configured"));
  EXPECT_THAT(log, HasSubstr("dead-lettered"));
  EXPECT_THAT(log, HasSubstr("nfvsm-gateway stopped"));
  EXPECT_THAT(log, ::testing::Not(HasSubstr(work_.broker().password)));
  const std::regex line_re(
      R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} \d+ (DEBUG|INFO|WARNING|ERROR|CRITICAL) nfvsm\.gateway[a-z_.]* \[[^\]]*\] .*$)");
  std::istringstream lines(log);
  std::string line;
  while (std::getline(lines, line)) {
    EXPECT_TRUE(std::regex_match(line, line_re)) << line;
  }
}

// covers: R2.1.80, R1.3.10/290, R1.3.270
TEST_F(DaemonTest, SigkillAndRestartWith1000EventsInFlightLosesNothing) {
  NFVSM_REQUIRE_BROKER(broker);
  Prepare(broker);
  StartDaemon();
  std::thread sender([&] { SendEvents(1000); });
  // Kill it while it is busy: after some events, before all.
  const bool busy = WaitFor(
      [&] {
        auto c = CountMessages(queue_);
        return c.ok() && c->unacked > 0;
      },
      kWait);
  EXPECT_EQ(StopDaemon(SIGKILL), 128 + SIGKILL);
  sender.join();  // before any ASSERT: a joinable thread would abort
  ASSERT_TRUE(busy) << "the daemon never held a message unacked";
  auto left = CountMessages(queue_);
  ASSERT_TRUE(left.ok());
  EXPECT_GT(left->ready, 0) << "nothing was in flight at the kill";
  StartDaemon();
  ASSERT_TRUE(WaitFor([&] { return QueueDrained(); }, kWait));
  EXPECT_EQ(StopDaemon(SIGTERM), 0);
  const auto ids = HistoryIds();
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1000u);
}

// covers: R1.3.10/290, R1.3.270
TEST_F(DaemonTest, BrokerStopAndStartWith1000EventsInFlightLosesNothing) {
  NFVSM_REQUIRE_BROKER(broker);
  Prepare(broker);
  StartDaemon();  // declares the topology
  ASSERT_EQ(StopDaemon(SIGTERM), 0);
  SendEvents(1000);
  // Stopped as soon as the ingest consumes: rabbitmqctl's own start-up
  // takes longer than the first deliveries, not than all 1,000.
  StartDaemon();
  auto stopped = amqp::testing::RabbitCtl({"stop_app"});
  ASSERT_TRUE(stopped.ok()) << stopped.status().ToString();
  std::this_thread::sleep_for(std::chrono::seconds(2));
  auto started = amqp::testing::RabbitCtl({"start_app"});
  ASSERT_TRUE(started.ok()) << started.status().ToString();
  ASSERT_TRUE(
      WaitFor([&] { return QueueDrained(); }, std::chrono::seconds(120)))
      << ReadFile(log_);
  EXPECT_EQ(StopDaemon(SIGTERM), 0);
  const auto ids = HistoryIds();
  EXPECT_EQ(ids.size(), 1000u);
  EXPECT_EQ(std::set<std::string>(ids.begin(), ids.end()).size(), 1000u);
}

// covers: R2.1.20, R1.3.30, R1.3.260
TEST_F(DaemonTest, GateRpcDecidesAndRefusesMalformedRequests) {
  NFVSM_REQUIRE_BROKER(broker);
  Prepare(broker);
  StartDaemon();
  amqp::RpcClientOptions options;
  options.connection = BrokerOptions(broker);
  options.queue = "nfvsm.gate";
  options.request_type = "nfvsm.v1.HookGateRequest";
  auto client = amqp::RpcClient::Create(std::move(options));
  ASSERT_TRUE(client.ok()) << client.status().ToString();
  auto call = [&](const std::string& body) -> v1::HookGateReply {
    auto reply =
        (*client)->Call(body, SystemClock().Now() + std::chrono::seconds(20));
    EXPECT_TRUE(reply.ok()) << reply.status().ToString();
    v1::HookGateReply parsed;
    if (reply.ok()) {
      EXPECT_TRUE(parsed.ParseFromString(*reply));
    }
    return parsed;
  };
  auto request = [](v1::HookGateRequest::Check check, const std::string& vnf) {
    v1::HookGateRequest r;
    r.set_check(check);
    r.set_requester("test-hook@host1");
    r.mutable_request()->set_operation(v1::OPERATION_KIND_INSTANTIATE);
    r.mutable_request()->set_vnf_id(vnf);
    r.mutable_request()->set_source(v1::EVENT_SOURCE_VNFM);
    return r.SerializeAsString();
  };

  // No SM is bound to d0: allowed at once, with a gate id.
  v1::HookGateReply allowed =
      call(request(v1::HookGateRequest::CHECK_OPERATION, "vnf-1"));
  EXPECT_EQ(allowed.verdict(), v1::VERDICT_ALLOW);
  EXPECT_FALSE(allowed.gate_id().empty());
  EXPECT_EQ(allowed.error(), "");
  // Malformed or undecidable requests: DENY with the error (fail closed).
  for (const std::string& body :
       {std::string("\xff\xff\xff not protobuf"),
        request(v1::HookGateRequest::CHECK_UNSPECIFIED, "vnf-1"),
        request(v1::HookGateRequest::CHECK_PLACEMENT, "vnf-1"),
        request(v1::HookGateRequest::CHECK_OPERATION, "unknown-vnf")}) {
    v1::HookGateReply denied = call(body);
    EXPECT_EQ(denied.verdict(), v1::VERDICT_DENY);
    EXPECT_FALSE(denied.error().empty());
  }
  EXPECT_EQ(StopDaemon(SIGTERM), 0);

  auto engine = OpenEngine();
  ASSERT_TRUE(engine.ok());
  auto gates =
      (*engine)->store().QueryGates("vnf-1", FromMicros(0), TimePoint::max());
  ASSERT_TRUE(gates.ok());
  ASSERT_EQ(gates->size(), 1u);
  EXPECT_TRUE(gates->front().allowed);
  EXPECT_EQ(gates->front().id, allowed.gate_id());
  auto audit =
      (*engine)->store().ReadAudit(std::string(kManoPartition), 1, 100000);
  ASSERT_TRUE(audit.ok());
  int requested = 0, refused = 0;
  for (const auto& r : *audit) {
    if (r.kind == "gate.requested" && r.actor == "test-hook@host1") {
      ++requested;
    }
    if (r.kind == "gate.request_refused") ++refused;
  }
  EXPECT_EQ(requested, 2);  // the allowed one and the unknown VNF's
  EXPECT_EQ(refused, 4);
  for (const auto& report : (*engine)->audit().VerifyAll()) {
    EXPECT_TRUE(report.ok) << report.problem;
  }
}

// covers: R1.3.10/290
TEST_F(DaemonTest, VersionHelpAndBadConfig) {
  auto version = RunCommand(std::string(NFVSM_GATEWAY_BINARY) + " --version");
  EXPECT_EQ(version.exit_code, 0);
  EXPECT_THAT(version.output, HasSubstr("nfvsm-gateway 0."));
  auto help = RunCommand(std::string(NFVSM_GATEWAY_BINARY) + " --help");
  EXPECT_EQ(help.exit_code, 0);
  EXPECT_THAT(help.output, HasSubstr("--config-file"));
  const fs::path dir = fs::temp_directory_path() / UniqueName("nfvsm-gw-bad");
  fs::create_directories(dir);
  std::ofstream(dir / "bad.conf") << "[nfvsm]\nprefech = 3\n";
  auto bad = RunCommand(std::string(NFVSM_GATEWAY_BINARY) + " --config-file " +
                        (dir / "bad.conf").string());
  EXPECT_EQ(bad.exit_code, 2);
  EXPECT_THAT(bad.output, HasSubstr("[nfvsm] prefech"));
  if (!HasFailure()) fs::remove_all(dir);
}

}  // namespace
}  // namespace nfvsm::gateway
