// `nfvsm-sm serve` as a real process on a real broker: gate answers from
// the rules, signed so that core's OpenEnvelope accepts them; silent and
// passive requests unanswered; forged messages dropped and counted;
// SIGTERM exits 0; reconnection after the broker drops the connection.
#include <gtest/gtest.h>
#include <signal.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/gate.pb.h"
#include "tests/sm/sm_bus_fixture.h"

namespace nfvsm::refsm::testing {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

constexpr char kRulesJson[] = R"({
  "rules": [
    {"match": {"vnfd_id": "mute"}, "silent": true},
    {"match": {"domain": "blue", "operation": "instantiate"},
     "verdict": "allow", "reason": "blue may instantiate",
     "policy": {"version": 1, "boot": {"vbs_required": true}}}
  ],
  "default": "deny"
})";

class RefSmServeTest : public SmChannelTest {
 protected:
  void StartServe() {
    rules_file_ = dir_ + "/rules.json";
    events_file_ = dir_ + "/events.jsonl";
    std::ofstream(rules_file_) << kRulesJson;
    std::vector<std::string> args = SmArgs("serve");
    for (const std::string& a :
         {std::string("--rules"), rules_file_, std::string("--events-out"),
          events_file_, std::string("--state-dir"), dir_}) {
      args.push_back(a);
    }
    serve_ = ChildProcess::Start(args, dir_);
  }

  void SendGate(const std::string& gate_id, const std::string& domain,
                const std::string& vnfd_id, bool answer_expected = true) {
    v1::GateRequest r;
    r.set_gate_id(gate_id);
    r.set_operation(v1::OPERATION_KIND_INSTANTIATE);
    r.set_vnf_id("vnf-" + gate_id);
    r.set_domain(domain);
    r.set_vnfd_id(vnfd_id);
    r.set_answer_expected(answer_expected);
    r.set_deadline_us(ToMicros(SystemClock().Now()) + 30'000'000);
    PublishToSm("nfvsm.v1.GateRequest", r.SerializeAsString(), gate_id,
                r.deadline_us());
  }

  // The next GateAnswer, checked with core's decoder.
  std::optional<wire::GateAnswerMessage> NextAnswer(v1::GateAnswer* raw) {
    std::optional<wire::Envelope> e = NextFromSm(seconds(30));
    if (!e) return std::nullopt;
    EXPECT_EQ(e->message_type, "nfvsm.v1.GateAnswer");
    EXPECT_FALSE(e->deadline.has_value());
    auto answer = wire::DecodeGateAnswer(e->payload, kSmId);
    EXPECT_TRUE(answer.ok()) << answer.status().ToString();
    if (!answer.ok()) return std::nullopt;
    EXPECT_EQ(e->correlation_id, answer->gate_id);
    if (raw != nullptr) {
      EXPECT_TRUE(raw->ParseFromString(e->payload));
    }
    return *answer;
  }

  std::vector<nlohmann::json> Events() const {
    std::vector<nlohmann::json> out;
    std::istringstream in(ReadFile(events_file_));
    std::string line;
    while (std::getline(in, line)) {
      out.push_back(nlohmann::json::parse(line, nullptr, false));
    }
    return out;
  }

  void StopServe() {
    serve_->Signal(SIGTERM);
    EXPECT_EQ(serve_->Wait(seconds(20)), 0) << serve_->Stderr();
  }

  std::string rules_file_, events_file_;
  std::unique_ptr<ChildProcess> serve_;
};

// covers: R2.1.30, R2.1.40, R2.1.60, R2.1.70, R1.1.160
TEST_F(RefSmServeTest, AnswersGateRequestsFromTheRulesWithValidSignatures) {
  StartServe();
  SendGate("g-allow", "blue", "vnfd-1");
  v1::GateAnswer raw;
  std::optional<wire::GateAnswerMessage> allow = NextAnswer(&raw);
  ASSERT_TRUE(allow.has_value()) << serve_->Stderr();
  EXPECT_EQ(allow->gate_id, "g-allow");
  EXPECT_EQ(allow->answer.verdict, Verdict::kAllow);
  EXPECT_EQ(allow->answer.reason, "blue may instantiate");
  EXPECT_EQ(allow->answer.sm, kSmId);
  EXPECT_TRUE(allow->answer.policy.has_value());
  EXPECT_TRUE(raw.policy().boot().vbs_required());

  SendGate("g-deny", "red", "vnfd-1");
  std::optional<wire::GateAnswerMessage> deny = NextAnswer(nullptr);
  ASSERT_TRUE(deny.has_value()) << serve_->Stderr();
  EXPECT_EQ(deny->gate_id, "g-deny");
  EXPECT_EQ(deny->answer.verdict, Verdict::kDeny);
  EXPECT_FALSE(deny->answer.policy.has_value());
  StopServe();
}

// covers: R2.1.20, R1.3.30
TEST_F(RefSmServeTest, SilentRulesAndPassiveRequestsGetNoAnswer) {
  StartServe();
  // The SM handles its inbox in order: once the answer to the last request
  // is there, the earlier ones were handled (and not answered).
  SendGate("g-mute", "blue", "mute");
  SendGate("g-passive", "blue", "vnfd-1", /*answer_expected=*/false);
  SendGate("g-last", "blue", "vnfd-1");
  std::optional<wire::GateAnswerMessage> last = NextAnswer(nullptr);
  ASSERT_TRUE(last.has_value()) << serve_->Stderr();
  EXPECT_EQ(last->gate_id, "g-last");
  EXPECT_FALSE(NextFromSm(milliseconds(300)).has_value());

  bool saw_silent = false, saw_passive = false;
  for (const nlohmann::json& e : Events()) {
    if (e["event"] == "gate_silent" && e["gate_id"] == "g-mute") {
      saw_silent = true;
    }
    if (e["event"] == "received" && e["correlation_id"] == "g-passive") {
      saw_passive = true;
      EXPECT_EQ(e["payload"]["gate_id"], "g-passive");
    }
  }
  EXPECT_TRUE(saw_silent);
  EXPECT_TRUE(saw_passive);
  StopServe();
}

// covers: R2.1.70, R2.1.80
TEST_F(RefSmServeTest, ForgedMessagesAreDroppedAndCountedEventsRecorded) {
  StartServe();
  PublishRawToSm("definitely not an envelope");
  // Signed by a key the SM does not know.
  {
    auto other = crypto::SigningKey::Generate().value();
    wire::Envelope e;
    e.sequence = 99;
    e.timestamp = SystemClock().Now();
    e.sender = kGatewayId;
    e.recipient = kSmId;
    e.message_type = "nfvsm.v1.GateRequest";
    e.payload = "";
    PublishRawToSm(wire::SignEnvelope(other, e).value());
  }
  v1::LifecycleEventNotification event;
  event.set_event_id("ev-1");
  event.set_kind(v1::EVENT_KIND_CREATE);
  event.set_phase(v1::EVENT_PHASE_END);
  event.set_source(v1::EVENT_SOURCE_VIM);
  event.set_vnf_id("vnf-9");
  event.set_domain("blue");
  PublishToSm("nfvsm.v1.LifecycleEventNotification", event.SerializeAsString(),
              "");
  SendGate("g-after", "red", "x");
  std::optional<wire::GateAnswerMessage> after = NextAnswer(nullptr);
  ASSERT_TRUE(after.has_value()) << serve_->Stderr();
  EXPECT_EQ(after->gate_id, "g-after");

  int rejected = 0;
  bool saw_event = false;
  for (const nlohmann::json& e : Events()) {
    if (e["event"] == "rejected") {
      ++rejected;
      // The reason, never the bytes.
      EXPECT_EQ(e.dump().find("definitely"), std::string::npos);
    }
    if (e["event"] == "received" &&
        e["type"] == "nfvsm.v1.LifecycleEventNotification") {
      saw_event = true;
      EXPECT_EQ(e["payload"]["vnf_id"], "vnf-9");
      EXPECT_EQ(e["payload"]["kind"], "EVENT_KIND_CREATE");
    }
  }
  EXPECT_EQ(rejected, 2);
  EXPECT_TRUE(saw_event);
  StopServe();
  EXPECT_NE(serve_->Stderr().find("2 rejected"), std::string::npos)
      << serve_->Stderr();
}

// covers: R2.1.40, R1.3.30
TEST_F(RefSmServeTest, ReconnectsAfterTheBrokerDropsItsConnections) {
  StartServe();
  SendGate("g-before", "blue", "vnfd-1");
  ASSERT_TRUE(NextAnswer(nullptr).has_value()) << serve_->Stderr();
  // Close only the SM's connections (named "nfvsm-sm <id> ...").
  auto listed = amqp::testing::RabbitCtl(
      {"list_connections", "-q", "pid", "client_properties"});
  ASSERT_TRUE(listed.ok()) << listed.status().ToString();
  std::istringstream lines(*listed);
  std::string line;
  int closed = 0;
  while (std::getline(lines, line)) {
    if (line.find(std::string("nfvsm-sm ") + kSmId) == std::string::npos) {
      continue;
    }
    const std::string pid = line.substr(0, line.find_first_of(" \t"));
    auto r = amqp::testing::RabbitCtl(
        {"close_connection", pid, "nfvsm-sm reconnect test"});
    EXPECT_TRUE(r.ok()) << r.status().ToString();
    ++closed;
  }
  ASSERT_GE(closed, 2) << *listed;
  SendGate("g-after", "blue", "vnfd-1");
  std::optional<wire::GateAnswerMessage> after = NextAnswer(nullptr);
  ASSERT_TRUE(after.has_value()) << serve_->Stderr();
  EXPECT_EQ(after->gate_id, "g-after");
  StopServe();
}

}  // namespace
}  // namespace nfvsm::refsm::testing
