// End to end through the real programs (issue #3, sections 4, 6 and 7):
// the nfvsm-gateway daemon on the private RabbitMQ node, configured with
// the real nfvsm-admin, Security Managers played by real `nfvsm-sm serve`
// processes on their provisioned channels, hooks asking through
// GateClient, instructions sent with `nfvsm-sm send`, and notifications
// sent by the real oslo.messaging (send_events.py).
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <signal.h>

#include <filesystem>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/amqp/gate_client.h"
#include "nfvsm/engine.h"
#include "tests/amqp/broker_fixture.h"
#include "tests/gateway/gateway_test_util.h"

namespace nfvsm::gateway {
namespace {

using amqp::testing::BrokerInfo;
using amqp::testing::BrokerOptions;
using amqp::testing::RunCommand;
using testing::GatewayProcess;
using testing::GatewayWorkdir;
using ::testing::HasSubstr;
using testing::ReadFile;
using testing::SmUnderTest;
using testing::WaitFor;

std::string Quote(const std::string& s) { return "'" + s + "'"; }

// The SM's rules (nfvsm-sm's rules file) for the Fully-Active SM: one VNF
// per behaviour.
constexpr char kFullRules[] = R"({
  "rules": [
    {"match": {"vnf_id": "vnf-allow"}, "verdict": "allow",
     "reason": "approved by sm-full",
     "policy": {"version": 1, "boot": {"vbs_required": true}}},
    {"match": {"vnf_id": "vnf-deny"}, "verdict": "deny",
     "reason": "image not attested"},
    {"match": {"vnf_id": "vnf-mute"}, "silent": true},
    {"match": {"vnf_id": "vnf-late"}, "verdict": "allow",
     "reason": "fine by sm-full"}
  ],
  "default": "deny"
})";

// The Semi-Active SM objects to vnf-late, after its window has closed.
constexpr char kSemiRules[] = R"({
  "rules": [
    {"match": {"vnf_id": "vnf-late"}, "verdict": "deny",
     "reason": "late objection", "delay_ms": 3000}
  ],
  "default": "allow"
})";

constexpr char kAllowAll[] = R"({"rules": [], "default": "allow"})";

class GateE2eTest : public ::testing::Test {
 protected:
  void TearDown() override {
    for (auto& [name, sm] : sms_) sm.serve.reset();
    daemon_.Stop(SIGKILL);
    for (auto& [name, sm] : sms_) testing::DeleteSmChannel(sm);
    if (!HasFailure()) work_.RemoveAll();
  }

  // Store with domains tenant-a (VNFs vnf-allow, vnf-deny, vnf-mute,
  // vnf-late) and tenant-b (vnf-b1), written before the daemon starts:
  // the admin RPC has no operation that registers a VNF.
  void StartGateway(const BrokerInfo& broker) {
    broker_ = broker;
    testing::WorkdirSeed seed;
    seed.dir_stem = "nfvsm-e2e";
    seed.queue_stem = "e2e-ingest";
    seed.domains = {"tenant-a", "tenant-b"};
    seed.vnfs = {{"vnf-allow", "tenant-a"},
                 {"vnf-deny", "tenant-a"},
                 {"vnf-mute", "tenant-a"},
                 {"vnf-late", "tenant-a"},
                 {"vnf-b1", "tenant-b"}};
    seed.actor = "e2e-test";
    Status created = work_.Create(broker, seed);
    ASSERT_TRUE(created.ok()) << created.ToString();
    log_ = work_.log();
    Status started = daemon_.Start();
    ASSERT_TRUE(started.ok()) << started.ToString();
    // The SMs' own security domain, created with the real nfvsm-admin.
    auto security = Admin("domain create sec-ops --kind security");
    ASSERT_EQ(security.exit_code, 0) << security.output;
  }

  StatusOr<std::unique_ptr<Engine>> OpenEngine() { return work_.OpenEngine(); }

  // nfvsm-admin as a process, with the daemon's configuration file.
  amqp::testing::CommandResult Admin(const std::string& args) {
    return work_.Admin("e2e-operator", args);
  }

  // `nfvsm-sm keygen`, then `nfvsm-admin sm create` (which provisions the
  // SM's channel) and `binding create`.
  void AddSm(const std::string& name, const std::string& domain,
             const std::string& binding_args) {
    auto sm = testing::AddSm(work_, name, "sec-ops", domain, binding_args);
    ASSERT_TRUE(sm.ok()) << sm.status().ToString();
    sms_[name] = std::move(*sm);
  }

  // `nfvsm-sm serve` for an SM added before; waits until it consumes.
  void Serve(const std::string& name, const std::string& rules) {
    Status serving = testing::Serve(work_, rules, sms_.at(name));
    ASSERT_TRUE(serving.ok()) << serving.ToString();
  }

  // `nfvsm-sm send` with the SM's channel file and key.
  amqp::testing::CommandResult Send(const std::string& name,
                                    const std::string& instruction) {
    const SmUnderTest& sm = sms_.at(name);
    return RunCommand(std::string(NFVSM_SM_BINARY) + " send --channel-file " +
                      Quote(sm.channel_file) + " --key " + Quote(sm.key_file) +
                      " --state-dir " + Quote(work_.dir().string()) +
                      " --timeout 30 " + instruction);
  }

  std::unique_ptr<amqp::GateClient> Gate() {
    amqp::GateClientOptions options;
    options.requester = "e2e-hook@host1";
    auto client = amqp::GateClient::Open(BrokerOptions(broker_), options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  std::unique_ptr<amqp::AdminClient> AdminRpc() {
    amqp::AdminClientOptions options;
    options.actor = "e2e-test";
    auto client = amqp::AdminClient::Open(BrokerOptions(broker_), options);
    EXPECT_TRUE(client.ok()) << client.status().ToString();
    return client.ok() ? std::move(*client) : nullptr;
  }

  static amqp::HookGateRequestInput Instantiate(const std::string& vnf) {
    amqp::HookGateRequestInput in;
    in.kind = amqp::GateCheckKind::kOperation;
    in.request.operation = OperationKind::kInstantiate;
    in.request.vnf_id = vnf;
    in.request.source = EventSource::kVnfm;
    in.deadline = std::chrono::seconds(30);
    return in;
  }

  // The SM's --events-out lines.
  std::vector<nlohmann::json> SmEvents(const std::string& name) {
    std::vector<nlohmann::json> out;
    std::istringstream in(ReadFile(sms_.at(name).events_file));
    std::string line;
    while (std::getline(in, line)) {
      out.push_back(nlohmann::json::parse(line, nullptr, false));
    }
    return out;
  }

  // Lifecycle events the SM received for `vnf` (of `kind`, the enum name,
  // when not empty).
  int EventsFor(const std::string& name, const std::string& vnf,
                const std::string& kind) {
    int n = 0;
    for (const auto& e : SmEvents(name)) {
      if (e.is_object() && e.value("event", "") == "received" &&
          e.value("type", "") == "nfvsm.v1.LifecycleEventNotification" &&
          e["payload"].value("vnf_id", "") == vnf &&
          (kind.empty() || e["payload"].value("kind", "") == kind)) {
        ++n;
      }
    }
    return n;
  }

  // Nova notifications through the real oslo.messaging (send_events.py);
  // an empty `event_type` is its default, instance.power_off.end.
  void SendEvents(int count, const std::string& instance,
                  const std::string& event_type) {
    std::string cmd = std::string(NFVSM_SYSTEM_PYTHON) + " " +
                      NFVSM_SEND_EVENTS + " --transport-url " +
                      Quote(broker_.transport_url) + " --exchange " +
                      work_.exchange() + " --count " + std::to_string(count) +
                      " --instance " + instance;
    if (!event_type.empty()) cmd += " --event-type " + event_type;
    auto sent = RunCommand(cmd);
    ASSERT_EQ(sent.exit_code, 0) << sent.output;
  }

  void ExpectAuditVerifies() {
    auto admin = AdminRpc();
    ASSERT_NE(admin, nullptr);
    auto verify = admin->AuditVerify("");
    ASSERT_TRUE(verify.ok()) << verify.status().ToString();
    EXPECT_FALSE(verify->empty());
    for (const auto& r : *verify) {
      EXPECT_TRUE(r.ok) << r.partition << ": " << r.problem;
    }
  }

  BrokerInfo broker_;
  GatewayWorkdir work_;
  GatewayProcess daemon_{work_};
  std::string log_;
  std::map<std::string, SmUnderTest> sms_;
};

// covers: R2.1.40, R2.1.30, R2.1.310, R1.3.30, R2.1.60, R2.1.70
TEST_F(GateE2eTest, FullyActiveSmAllowsWithPolicyDeniesAndSilenceDenies) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  ASSERT_NO_FATAL_FAILURE(
      AddSm("full", "tenant-a", "--mode fully-active --deadline-ms 2000"));
  ASSERT_NO_FATAL_FAILURE(Serve("full", kFullRules));
  auto gate = Gate();
  ASSERT_NE(gate, nullptr);

  auto allowed = gate->Check(Instantiate("vnf-allow"));
  ASSERT_TRUE(allowed.ok()) << allowed.status().ToString();
  EXPECT_EQ(allowed->verdict, Verdict::kAllow) << allowed->error;
  EXPECT_EQ(allowed->error, "");
  EXPECT_FALSE(allowed->timed_out);
  EXPECT_FALSE(allowed->gate_id.empty());
  ASSERT_TRUE(allowed->policy.has_value());
  EXPECT_TRUE(allowed->policy->boot.vbs_required);

  auto denied = gate->Check(Instantiate("vnf-deny"));
  ASSERT_TRUE(denied.ok()) << denied.status().ToString();
  EXPECT_EQ(denied->verdict, Verdict::kDeny);
  EXPECT_EQ(denied->error, "");
  EXPECT_FALSE(denied->timed_out);
  EXPECT_THAT(denied->reasons,
              ::testing::Contains(HasSubstr("image not attested")));

  // The SM never answers: denied at the binding's 2 s deadline.
  auto silent = gate->Check(Instantiate("vnf-mute"));
  ASSERT_TRUE(silent.ok()) << silent.status().ToString();
  EXPECT_EQ(silent->verdict, Verdict::kDeny);
  EXPECT_TRUE(silent->timed_out);
  EXPECT_EQ(silent->error, "");

  // What the SM saw: three requests, with the VNF's domain from the
  // inventory (the hook did not name it), two answers, one silence.
  int requests = 0, answers = 0, silences = 0;
  for (const auto& e : SmEvents("full")) {
    if (e.value("event", "") == "received" &&
        e.value("type", "") == "nfvsm.v1.GateRequest") {
      ++requests;
      EXPECT_EQ(e["payload"].value("domain", ""), "tenant-a") << e.dump();
    }
    if (e.value("event", "") == "gate_answer") ++answers;
    if (e.value("event", "") == "gate_silent") ++silences;
  }
  EXPECT_EQ(requests, 3);
  EXPECT_EQ(answers, 2);
  EXPECT_EQ(silences, 1);
  ExpectAuditVerifies();
  EXPECT_EQ(sms_.at("full").serve->Stop(SIGTERM), 0);
  EXPECT_EQ(daemon_.Stop(SIGTERM), 0) << ReadFile(log_);
}

// covers: R2.1.30, R2.1.40, R1.3.260
TEST_F(GateE2eTest, SemiActiveLateDenyIsRecordedButDoesNotUndoTheAllow) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  ASSERT_NO_FATAL_FAILURE(
      AddSm("full", "tenant-a", "--mode fully-active --deadline-ms 10000"));
  ASSERT_NO_FATAL_FAILURE(
      AddSm("semi", "tenant-a", "--mode semi-active --window-ms 1000"));
  ASSERT_NO_FATAL_FAILURE(Serve("full", kFullRules));
  ASSERT_NO_FATAL_FAILURE(Serve("semi", kSemiRules));
  auto gate = Gate();
  ASSERT_NE(gate, nullptr);

  auto reply = gate->Check(Instantiate("vnf-late"));
  ASSERT_TRUE(reply.ok()) << reply.status().ToString();
  EXPECT_EQ(reply->verdict, Verdict::kAllow) << reply->error;
  EXPECT_FALSE(reply->timed_out);
  const std::string gate_id = reply->gate_id;
  ASSERT_FALSE(gate_id.empty());

  // The deny arrives ~2 s after the window: audited as a late answer.
  const std::string semi_id = sms_.at("semi").id;
  auto admin = AdminRpc();
  ASSERT_NE(admin, nullptr);
  std::optional<AuditRecord> late;
  ASSERT_TRUE(WaitFor(
      [&] {
        auto records = admin->AuditExport({});
        if (!records.ok()) return false;
        for (const auto& r : *records) {
          if (r.kind == "gate.late_answer" && r.actor == semi_id &&
              r.subject == gate_id) {
            late = r;
          }
        }
        return late.has_value();
      },
      std::chrono::seconds(30)))
      << ReadFile(log_);
  auto body = nlohmann::json::parse(late->body, nullptr, false);
  EXPECT_EQ(body.value("verdict", ""), "deny") << late->body;
  EXPECT_EQ(body.value("reason", ""), "late objection") << late->body;
  ExpectAuditVerifies();
  EXPECT_EQ(daemon_.Stop(SIGTERM), 0) << ReadFile(log_);

  // The recorded decision is still the allow.
  auto engine = OpenEngine();
  ASSERT_TRUE(engine.ok()) << engine.status().ToString();
  auto gates = (*engine)->store().QueryGates("vnf-late", FromMicros(0),
                                             TimePoint::max());
  ASSERT_TRUE(gates.ok()) << gates.status().ToString();
  ASSERT_EQ(gates->size(), 1u);
  EXPECT_EQ(gates->front().id, gate_id);
  EXPECT_TRUE(gates->front().allowed);
}

// covers: R2.1.20, R2.1.90, R2.1.270
TEST_F(GateE2eTest, PassiveAndCrossDomainInstructionsAreRefused) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  ASSERT_NO_FATAL_FAILURE(AddSm("passive", "tenant-a", "--mode passive"));
  ASSERT_NO_FATAL_FAILURE(AddSm("full", "tenant-a", "--mode fully-active"));

  // No `serve` runs on these channels: `send` reads its own answer.
  auto passive = Send("passive", "terminate --vnf vnf-allow");
  EXPECT_EQ(passive.exit_code, 1) << passive.output;
  EXPECT_THAT(passive.output, HasSubstr("is Passive in domain 'tenant-a'"));

  auto foreign = Send("full", "terminate --vnf vnf-b1");
  EXPECT_EQ(foreign.exit_code, 1) << foreign.output;
  EXPECT_THAT(foreign.output,
              HasSubstr("holds no authority over domain 'tenant-b'"));

  // A status query is allowed to a Passive SM (it changes nothing).
  auto status = Send("passive", "status --vnf vnf-allow");
  EXPECT_EQ(status.exit_code, 0) << status.output;

  // Both refusals are audited; both VNFs are untouched.
  auto admin = AdminRpc();
  ASSERT_NE(admin, nullptr);
  auto records = admin->AuditExport({});
  ASSERT_TRUE(records.ok()) << records.status().ToString();
  int refused = 0;
  for (const auto& r : *records) {
    if (r.kind == "instruction.refused") ++refused;
  }
  EXPECT_EQ(refused, 2);
  for (const char* vnf : {"vnf-allow", "vnf-b1"}) {
    auto v = admin->VnfStatus(vnf);
    ASSERT_TRUE(v.ok()) << v.status().ToString();
    EXPECT_NE(v->state, VnfState::kTerminated) << vnf;
  }
  ExpectAuditVerifies();
  EXPECT_EQ(daemon_.Stop(SIGTERM), 0) << ReadFile(log_);
}

// covers: R2.1.80, R2.1.200, R2.1.150, R2.1.210
TEST_F(GateE2eTest, NotifiedEventsReachTheBoundSmsOnlyAndNotHiddenOnes) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(StartGateway(broker));
  ASSERT_NO_FATAL_FAILURE(
      AddSm("a", "tenant-a", "--mode semi-active --window-ms 100"));
  ASSERT_NO_FATAL_FAILURE(
      AddSm("hidden", "tenant-a", "--mode passive --hide-event modify"));
  ASSERT_NO_FATAL_FAILURE(AddSm("b", "tenant-b", "--mode passive"));
  for (const char* sm : {"a", "hidden", "b"}) {
    ASSERT_NO_FATAL_FAILURE(Serve(sm, kAllowAll));
  }

  // Power-offs (kind modify) of tenant-a's and tenant-b's VNFs, then a
  // create of tenant-a's: the gateway delivers in order, so once the
  // create is at an SM, the earlier events it was sent are there too.
  ASSERT_NO_FATAL_FAILURE(SendEvents(3, "vnf-allow", ""));
  ASSERT_NO_FATAL_FAILURE(SendEvents(1, "vnf-b1", ""));
  ASSERT_NO_FATAL_FAILURE(SendEvents(1, "vnf-allow", "instance.create.end"));
  for (const char* sm : {"a", "hidden"}) {
    ASSERT_TRUE(WaitFor(
        [&] { return EventsFor(sm, "vnf-allow", "EVENT_KIND_CREATE") == 1; },
        std::chrono::seconds(30)))
        << sm << "\n"
        << ReadFile(log_) << sms_.at(sm).serve->Output();
  }
  ASSERT_TRUE(WaitFor([&] { return EventsFor("b", "vnf-b1", "") == 1; },
                      std::chrono::seconds(30)))
      << ReadFile(log_) << sms_.at("b").serve->Output();

  EXPECT_EQ(EventsFor("a", "vnf-allow", "EVENT_KIND_MODIFY"), 3);
  EXPECT_EQ(EventsFor("a", "vnf-b1", ""), 0);
  EXPECT_EQ(EventsFor("hidden", "vnf-allow", "EVENT_KIND_MODIFY"), 0);
  EXPECT_EQ(EventsFor("hidden", "vnf-b1", ""), 0);
  EXPECT_EQ(EventsFor("b", "vnf-allow", ""), 0);
  for (const auto& e : SmEvents("a")) {
    if (e.value("type", "") == "nfvsm.v1.LifecycleEventNotification") {
      EXPECT_EQ(e["payload"].value("domain", ""), "tenant-a") << e.dump();
      EXPECT_EQ(e["payload"].value("source", ""), "EVENT_SOURCE_VIM");
    }
  }
  auto admin = AdminRpc();
  ASSERT_NE(admin, nullptr);
  auto history = admin->VnfHistory("vnf-allow", FromMicros(0), FromMicros(0));
  ASSERT_TRUE(history.ok()) << history.status().ToString();
  EXPECT_EQ(history->size(), 4u);
  ExpectAuditVerifies();
  for (const char* sm : {"a", "hidden", "b"}) {
    EXPECT_EQ(sms_.at(sm).serve->Stop(SIGTERM), 0) << sm;
  }
  EXPECT_EQ(daemon_.Stop(SIGTERM), 0) << ReadFile(log_);
}

}  // namespace
}  // namespace nfvsm::gateway
