// Fault test of issue #3 section 7: a Security Manager cut off from its
// channel and reconnected while 1,000 events flow to it. The real
// nfvsm-gateway, nfvsm-admin and `nfvsm-sm serve` processes on the private
// RabbitMQ node; Nova notifications sent by the real oslo.messaging
// (send_events.py).
//
// What makes it at-least-once: the gateway publishes each event to the SM
// inbox (durable queue, persistent message, publisher confirm) before it
// acks the notification, so an SM that is away only makes the inbox grow;
// `serve` writes an event to --events-out before it acks it, so what it
// held unacked at the cut comes back to the next session, at worst twice.
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <iostream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "tests/amqp/broker_fixture.h"
#include "tests/gateway/gateway_test_util.h"

namespace nfvsm::gateway {
namespace {

using amqp::testing::BrokerInfo;
using amqp::testing::RunCommand;
using testing::CountMessages;
using testing::GatewayProcess;
using testing::GatewayWorkdir;
using testing::QueueCounts;
using testing::ReadFile;
using testing::SmUnderTest;
using testing::WaitFor;

constexpr int kEvents = 1000;
constexpr auto kDrainWait = std::chrono::seconds(120);
const std::vector<std::string> kVnfs = {"vnf-a1", "vnf-a2"};
constexpr char kAllowAll[] = R"({"rules": [], "default": "allow"})";
constexpr char kSmInbox[] = "nfvsm.sm-inbox";

// How the SM is cut off.
enum class Cut {
  kSigkill,          // the process dies; restarted after a pause
  kCloseConnection,  // the broker closes its connections; it reconnects
};

std::string CutName(Cut cut) {
  return cut == Cut::kSigkill ? "SIGKILL" : "close_connection";
}

// What one `serve` run wrote to its --events-out file.
struct ServeLog {
  std::vector<std::string> event_ids;  // LifecycleEventNotification, in order
  std::vector<std::string> rejected;   // reasons
  int unparsable_lines = 0;
};

ServeLog ReadServeLog(const std::string& path) {
  ServeLog log;
  std::istringstream in(ReadFile(path));
  std::string line;
  while (std::getline(in, line)) {
    auto e = nlohmann::json::parse(line, nullptr, false);
    if (!e.is_object()) {
      ++log.unparsable_lines;
      continue;
    }
    if (e.value("event", "") == "rejected") {
      log.rejected.push_back(e.value("reason", ""));
    } else if (e.value("event", "") == "received" &&
               e.value("type", "") == "nfvsm.v1.LifecycleEventNotification" &&
               e["payload"].is_object()) {
      log.event_ids.push_back(e["payload"].value("event_id", ""));
    }
  }
  return log;
}

std::string Counts(const StatusOr<QueueCounts>& c) {
  if (!c.ok()) return c.status().ToString();
  return std::to_string(c->ready) + " ready, " + std::to_string(c->unacked) +
         " unacked";
}

class SmFaultTest : public ::testing::TestWithParam<Cut> {
 protected:
  void TearDown() override {
    sm_.serve.reset();
    daemon_.Stop(SIGKILL);
    if (!sm_.id.empty()) testing::DeleteSmChannel(sm_);
    if (!HasFailure()) work_.RemoveAll();
  }

  // Gateway with tenant-a (vnf-a1, vnf-a2) and one Passive SM bound to
  // it, serving.
  void StartSystem(const BrokerInfo& broker) {
    testing::WorkdirSeed seed;
    seed.dir_stem = "nfvsm-smfault";
    seed.queue_stem = "smfault-ingest";
    seed.domains = {"tenant-a"};
    for (const auto& vnf : kVnfs) seed.vnfs.emplace_back(vnf, "tenant-a");
    seed.actor = "smfault-test";
    Status created = work_.Create(broker, seed);
    ASSERT_TRUE(created.ok()) << created.ToString();
    Status started = daemon_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    auto security = work_.Admin("smfault-operator",
                                "domain create sec-ops --kind security");
    ASSERT_EQ(security.exit_code, 0) << security.output;
    // Named per case: the SM id (and so its vhost) is unique per test.
    const std::string name = GetParam() == Cut::kSigkill ? "kill" : "close";
    auto sm =
        testing::AddSm(work_, name, "sec-ops", "tenant-a", "--mode passive");
    ASSERT_TRUE(sm.ok()) << sm.status().ToString();
    sm_ = std::move(*sm);
    sm_.events_file = (work_.dir() / (name + "-events-1.jsonl")).string();
    ServeOrFail();
  }

  void ServeOrFail() {
    Status serving = testing::Serve(work_, kAllowAll, sm_);
    ASSERT_TRUE(serving.ok()) << serving.ToString();
  }

  void SendEvents(int count) {
    std::string cmd = std::string(NFVSM_SYSTEM_PYTHON) + " " +
                      NFVSM_SEND_EVENTS + " --transport-url '" +
                      work_.broker().transport_url + "' --exchange " +
                      work_.exchange() + " --count " + std::to_string(count);
    for (const auto& vnf : kVnfs) cmd += " --instance " + vnf;
    auto r = RunCommand(cmd);
    EXPECT_EQ(r.exit_code, 0) << r.output;
  }

  StatusOr<QueueCounts> InboxCounts() {
    return CountMessages(kSmInbox, "nfvsm.sm." + sm_.id);
  }

  bool Drained() {
    auto ingest = CountMessages(work_.queue());
    auto inbox = InboxCounts();
    return ingest.ok() && ingest->ready == 0 && ingest->unacked == 0 &&
           inbox.ok() && inbox->ready == 0 && inbox->unacked == 0;
  }

  // Closes the SM's connections (named "nfvsm-sm <id> ...") at the broker;
  // how many it closed.
  int CloseSmConnections() {
    auto listed = amqp::testing::RabbitCtl(
        {"list_connections", "-q", "pid", "client_properties"});
    EXPECT_TRUE(listed.ok()) << listed.status().ToString();
    if (!listed.ok()) return 0;
    std::istringstream lines(*listed);
    std::string line;
    int closed = 0;
    while (std::getline(lines, line)) {
      if (line.find("nfvsm-sm " + sm_.id + " ") == std::string::npos) continue;
      const std::string pid = line.substr(0, line.find_first_of(" \t"));
      auto r = amqp::testing::RabbitCtl(
          {"close_connection", pid, "nfvsm sm fault test"});
      EXPECT_TRUE(r.ok()) << r.status().ToString();
      ++closed;
    }
    return closed;
  }

  // The events of the tenant's VNFs, as `nfvsm-admin vnf history` lists
  // them while the daemon runs.
  std::vector<std::string> AdminHistoryIds() {
    std::vector<std::string> ids;
    for (const auto& vnf : kVnfs) {
      auto r = work_.Admin("smfault-operator", "-f json vnf history " + vnf);
      EXPECT_EQ(r.exit_code, 0) << r.output;
      auto events = nlohmann::json::parse(r.output, nullptr, false);
      EXPECT_TRUE(events.is_array()) << r.output;
      if (!events.is_array()) continue;
      for (const auto& e : events) ids.push_back(e.value("id", ""));
    }
    return ids;
  }

  GatewayWorkdir work_;
  GatewayProcess daemon_{work_};
  SmUnderTest sm_;
};

// covers: R2.1.80, R2.1.150, R1.3.10/290, R1.3.260, R1.3.270
TEST_P(SmFaultTest, SmCutOffWith1000EventsInFlightMissesNothing) {
  NFVSM_REQUIRE_BROKER(broker);
  const Cut cut = GetParam();
  ASSERT_NO_FATAL_FAILURE(StartSystem(broker));
  const std::string first_log = sm_.events_file;

  std::thread sender([&] { SendEvents(kEvents); });
  // Cut it off while events flow to it: after some, before all.
  const bool flowing =
      WaitFor([&] { return ReadServeLog(first_log).event_ids.size() >= 50; },
              std::chrono::seconds(60));
  // Just before the cut (rabbitmqctl takes about a second).
  const auto inbox_at_cut = InboxCounts();
  const auto ingest_at_cut = CountMessages(work_.queue());
  size_t received_at_cut = 0;
  if (cut == Cut::kSigkill) {
    EXPECT_EQ(sm_.serve->Stop(SIGKILL), 128 + SIGKILL);
    received_at_cut = ReadServeLog(first_log).event_ids.size();
    // Events keep arriving in the inbox while no SM consumes it.
    std::this_thread::sleep_for(std::chrono::seconds(3));
  } else {
    received_at_cut = ReadServeLog(first_log).event_ids.size();
    EXPECT_GE(CloseSmConnections(), 2);  // consumer and publisher
  }
  const auto inbox_after_cut = InboxCounts();
  if (cut == Cut::kSigkill) {
    sm_.events_file = (work_.dir() / (sm_.name + "-events-2.jsonl")).string();
    ServeOrFail();
  }
  sender.join();
  ASSERT_TRUE(flowing) << "the SM received no events\n"
                       << ReadFile(work_.log()) << sm_.serve->Output();

  // Everything handled: nothing left in the ingest queue or the inbox.
  ASSERT_TRUE(WaitFor([&] { return Drained(); }, kDrainWait))
      << "ingest " << Counts(CountMessages(work_.queue())) << "; SM inbox "
      << Counts(InboxCounts()) << "\n"
      << sm_.serve->Output();

  // Every event in the history exactly once, seen through the admin CLI
  // and the audit chains verified by it.
  const auto admin_ids = AdminHistoryIds();
  const std::set<std::string> history(admin_ids.begin(), admin_ids.end());
  EXPECT_EQ(admin_ids.size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(history.size(), static_cast<size_t>(kEvents));
  auto verify = work_.Admin("smfault-operator", "-f json audit verify");
  EXPECT_EQ(verify.exit_code, 0) << verify.output;

  EXPECT_EQ(sm_.serve->Stop(SIGTERM), 0) << sm_.serve->Output();
  EXPECT_EQ(daemon_.Stop(SIGTERM), 0) << ReadFile(work_.log());

  // The store agrees after the daemon stopped.
  std::vector<std::string> audit_problems;
  auto stored = work_.HistoryIds(kVnfs, &audit_problems);
  ASSERT_TRUE(stored.ok()) << stored.status().ToString();
  EXPECT_EQ(stored->size(), static_cast<size_t>(kEvents));
  EXPECT_EQ(std::set<std::string>(stored->begin(), stored->end()), history);
  EXPECT_THAT(audit_problems, ::testing::IsEmpty());

  // Every event reached the SM at least once, across its sessions.
  std::vector<ServeLog> runs = {ReadServeLog(first_log)};
  if (sm_.events_file != first_log) {
    runs.push_back(ReadServeLog(sm_.events_file));
  }
  std::set<std::string> delivered;
  size_t deliveries = 0;
  size_t replays = 0;
  for (const auto& run : runs) {
    // A fresh process has an empty replay window. The same process after
    // a reconnection still holds the sequence of the message it had
    // logged but could not ack, and drops its redelivery as a replay:
    // that event was received (logged) already.
    for (const auto& reason : run.rejected) {
      EXPECT_EQ(cut, Cut::kCloseConnection) << reason;
      EXPECT_THAT(reason, ::testing::HasSubstr("replay"));
      ++replays;
    }
    EXPECT_EQ(run.unparsable_lines, 0);
    delivered.insert(run.event_ids.begin(), run.event_ids.end());
    deliveries += run.event_ids.size();
  }
  std::vector<std::string> missed;
  for (const auto& id : history) {
    if (!delivered.contains(id)) missed.push_back(id);
  }
  EXPECT_THAT(missed, ::testing::IsEmpty())
      << missed.size() << " of " << history.size() << " events never reached "
      << "the SM";
  EXPECT_EQ(delivered, history);
  // The cut happened with events still to come, or it tested nothing.
  EXPECT_LT(received_at_cut, static_cast<size_t>(kEvents));

  // Figures, not assertions: what was in flight at the cut.
  std::set<std::string> before_cut;
  size_t redelivered = 0;
  if (runs.size() == 2) {
    before_cut.insert(runs[0].event_ids.begin(), runs[0].event_ids.end());
    for (const auto& id : runs[1].event_ids) {
      if (before_cut.contains(id)) ++redelivered;
    }
  } else {
    std::set<std::string> seen;
    for (const auto& id : runs[0].event_ids) {
      if (!seen.insert(id).second) ++redelivered;
    }
  }
  std::cout << "[ figures  ] cut=" << CutName(cut) << ": SM had received "
            << received_at_cut << " of " << kEvents
            << " events at the cut; SM inbox just before the cut: "
            << Counts(inbox_at_cut)
            << "; ingest queue: " << Counts(ingest_at_cut)
            << "; SM inbox after the cut"
            << (cut == Cut::kSigkill ? " (3 s pause)" : "") << ": "
            << Counts(inbox_after_cut)
            << "; deliveries to the SM: " << deliveries << " (" << redelivered
            << " handled twice: received but unacked at the cut; " << replays
            << " redeliveries dropped as replays)\n";
}

INSTANTIATE_TEST_SUITE_P(Cuts, SmFaultTest,
                         ::testing::Values(Cut::kSigkill,
                                           Cut::kCloseConnection),
                         [](const ::testing::TestParamInfo<Cut>& info) {
                           return info.param == Cut::kSigkill
                                      ? std::string("Sigkill")
                                      : std::string("CloseConnection");
                         });

}  // namespace
}  // namespace nfvsm::gateway
