// The per-SM channels against a real RabbitMQ node: provisioning, the
// channel file, and every flow as an SM sees it, driven by an in-test SM
// that uses only the channel file, core wire.h / crypto.h and
// amqp::Connection. Refused SM messages: refused, audited, answered.
#include "sm_channels.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/audit.h"
#include "nfvsm/crypto.h"
#include "nfvsm/engine.h"
#include "nfvsm/instruction.h"
#include "nfvsm/wire.h"
#include "sm_channel_files.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::gateway {
namespace {

namespace fs = std::filesystem;
using std::chrono::seconds;

constexpr size_t kTestMaxSmMessageBytes = 8 * 1024;
constexpr auto kWait = std::chrono::seconds(15);

std::string UniqueSmId(const std::string& stem) {
  static std::atomic<int> counter{0};
  return stem + "-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

// An SM as a vendor would write it, from the channel file alone.
class TestSm {
 public:
  static StatusOr<std::unique_ptr<TestSm>> Connect(const std::string& path,
                                                   crypto::SigningKey key) {
    NFVSM_ASSIGN_OR_RETURN(ChannelFile file, ReadChannelFile(path));
    NFVSM_ASSIGN_OR_RETURN(auto gateway_key, crypto::VerifyingKey::FromPem(
                                                 file.gateway_public_key_pem));
    amqp::ConnectionOptions o;
    NFVSM_ASSIGN_OR_RETURN(o.url,
                           amqp::TransportUrl::Parse(file.transport_url));
    o.connection_name = "test-sm " + file.sm_id;
    o.rpc_timeout = seconds(20);
    o.confirm_timeout = seconds(20);
    NFVSM_ASSIGN_OR_RETURN(auto connection, amqp::Connection::Open(o));
    NFVSM_RETURN_IF_ERROR(connection->Consume(file.consume_queue).status());
    return std::unique_ptr<TestSm>(new TestSm(std::move(file), std::move(key),
                                              std::move(gateway_key),
                                              std::move(connection)));
  }

  // A signed envelope; `tweak` may change it before signing.
  StatusOr<std::string> Seal(std::string_view type, const std::string& payload,
                             const std::string& correlation_id,
                             const crypto::SigningKey* other_key = nullptr,
                             std::optional<TimePoint> timestamp = {}) {
    wire::Envelope e;
    e.sequence = ++sequence_;
    e.timestamp = timestamp.value_or(SystemClock().Now());
    e.sender = file_.sm_id;
    e.recipient = file_.gateway_id;
    e.message_type = std::string(type);
    e.correlation_id = correlation_id;
    e.payload = payload;
    return wire::SignEnvelope(other_key ? *other_key : key_, e);
  }

  Status PublishRaw(const std::string& body,
                    const std::string& type = "nfvsm.v1.Instruction") {
    amqp::OutgoingMessage m;
    m.exchange = file_.publish_exchange;
    m.routing_key = file_.publish_routing_key;
    m.body = body;
    m.properties.content_type = "application/x-protobuf";
    m.properties.type = type;
    m.properties.message_id = file_.sm_id + ":" + std::to_string(++raw_id_);
    return connection_->Publish(m);
  }

  Status SendInstruction(const Instruction& in) {
    NFVSM_ASSIGN_OR_RETURN(std::string payload, wire::EncodeInstruction(in));
    NFVSM_ASSIGN_OR_RETURN(std::string body,
                           Seal(wire::kInstructionType, payload, in.id));
    return PublishRaw(body);
  }

  // The next message of `type` from the gateway (others are kept aside),
  // opened with the gateway's key from the channel file.
  StatusOr<wire::Envelope> Receive(std::string_view type,
                                   const std::string& correlation_id = "") {
    auto wanted = [&](const wire::Envelope& e) {
      return e.message_type == type &&
             (correlation_id.empty() || e.correlation_id == correlation_id);
    };
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (wanted(*it)) {
        wire::Envelope e = *it;
        kept_.erase(it);
        return e;
      }
    }
    const auto until = std::chrono::steady_clock::now() + kWait;
    while (std::chrono::steady_clock::now() < until) {
      NFVSM_ASSIGN_OR_RETURN(
          auto d, connection_->NextDelivery(std::chrono::milliseconds(200)));
      if (!d) continue;
      NFVSM_RETURN_IF_ERROR(connection_->Ack(*d));
      wire::OpenOptions o;
      o.max_bytes = wire::kDefaultMaxResultBytes;
      o.expected_sender = file_.gateway_id;
      o.expected_recipient = file_.sm_id;
      NFVSM_ASSIGN_OR_RETURN(
          wire::Envelope e,
          wire::OpenEnvelope(d->body, gateway_key_, window_, SystemClock(), o));
      if (e.message_type != d->properties.type) {
        return InternalError("AMQP type differs from the envelope's");
      }
      if (wanted(e)) return e;
      kept_.push_back(std::move(e));
    }
    return DeadlineExceededError("no " + std::string(type) + " arrived");
  }

  StatusOr<wire::SecurityAlert> ReceiveAlert() {
    NFVSM_ASSIGN_OR_RETURN(wire::Envelope e, Receive(wire::kSecurityEventType));
    return wire::DecodeSecurityEvent(e.payload);
  }

  // A status query and its results: proves the channel still works.
  Status Probe(const std::string& id) {
    Instruction q;
    q.id = id;
    q.kind = InstructionKind::kStatusQuery;
    NFVSM_RETURN_IF_ERROR(SendInstruction(q));
    NFVSM_ASSIGN_OR_RETURN(wire::Envelope e,
                           Receive(wire::kInstructionResultType, id));
    NFVSM_ASSIGN_OR_RETURN(auto outcome,
                           wire::DecodeInstructionResult(e.payload));
    return outcome.status;
  }

  const ChannelFile& file() const { return file_; }

 private:
  TestSm(ChannelFile file, crypto::SigningKey key,
         crypto::VerifyingKey gateway_key,
         std::unique_ptr<amqp::Connection> connection)
      : file_(std::move(file)),
        key_(std::move(key)),
        gateway_key_(std::move(gateway_key)),
        connection_(std::move(connection)) {}

  ChannelFile file_;
  crypto::SigningKey key_;
  crypto::VerifyingKey gateway_key_;
  std::unique_ptr<amqp::Connection> connection_;
  wire::ReplayWindow window_;
  uint64_t sequence_ = 0;
  uint64_t raw_id_ = 0;
  std::vector<wire::Envelope> kept_;
};

class SmChannelsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NFVSM_REQUIRE_BROKER(broker);
    broker_ = broker;
    state_dir_ =
        fs::temp_directory_path() /
        ("nfvsm-smch-" + std::to_string(::getpid()) + "-" +
         ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(state_dir_);
    fs::create_directories(state_dir_);

    SmChannelsOptions o;
    o.broker = amqp::testing::BrokerOptions(broker);
    o.state_dir = state_dir_.string();
    o.rabbitmqctl = {"bash", NFVSM_RABBITMQ_SCRIPT, "ctl", broker.dir};
    o.max_sm_message_bytes = kTestMaxSmMessageBytes;
    auto channels = SmChannels::Create(std::move(o));
    ASSERT_TRUE(channels.ok()) << channels.status().ToString();
    channels_ = std::move(channels).value();

    auto keys = AuditKeys::Generate(/*with_encryption=*/false);
    ASSERT_TRUE(keys.ok());
    EngineOptions eo;
    eo.audit_keys = std::move(keys).value();
    auto engine = Engine::Open(std::move(eo), *channels_, actuator_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    channels_->Attach(engine_.get());

    for (const char* id : {"d1", "d2"}) {
      TrustDomain d;
      d.id = id;
      ASSERT_TRUE(engine_->PutDomain(d, "test").ok());
    }
    for (const auto& [id, domain] :
         std::vector<std::pair<std::string, std::string>>{{"vnf-1", "d1"},
                                                          {"vnf-2", "d2"}}) {
      VnfRecord v;
      v.id = id;
      v.domain = domain;
      v.host = "compute-1";
      v.state = VnfState::kActive;
      ASSERT_TRUE(engine_->PutVnf(v, "test").ok());
    }
    active_id_ = UniqueSmId("active");
    AddSm(active_id_, Mode::kFullyActive, &active_key_);
    ASSERT_TRUE(channels_->Start().ok());
  }

  void TearDown() override {
    // The SMs' vhosts stay on the private test node: removing them costs
    // rabbitmqctl runs, and Remove is tested in isolation_test.cc.
    if (channels_) channels_->Stop();
    engine_.reset();
    channels_.reset();
    std::error_code ec;
    fs::remove_all(state_dir_, ec);
  }

  void AddSm(const std::string& id, Mode mode,
             std::optional<crypto::SigningKey>* key) {
    auto k = crypto::SigningKey::Generate();
    ASSERT_TRUE(k.ok());
    SecurityManager sm{id, k->PublicKeyPem(), std::nullopt, "", ""};
    ASSERT_TRUE(engine_->PutSm(sm, "test").ok());
    Binding b;
    b.sm = id;
    b.domain = "d1";
    b.mode = mode;
    ASSERT_TRUE(engine_->PutBinding(b, "test").ok());
    Status s = channels_->Provision(sm);
    ASSERT_TRUE(s.ok()) << s.ToString();
    key->emplace(std::move(k).value());
  }

  std::unique_ptr<TestSm> ConnectSm(const std::string& id,
                                    const crypto::SigningKey& key) {
    auto pem = key.ToPem();
    EXPECT_TRUE(pem.ok());
    auto copy = crypto::SigningKey::FromPem(pem->view());
    EXPECT_TRUE(copy.ok());
    auto sm =
        TestSm::Connect(channels_->ChannelFileOf(id), std::move(copy).value());
    EXPECT_TRUE(sm.ok()) << sm.status().ToString();
    return sm.ok() ? std::move(sm).value() : nullptr;
  }

  std::vector<AuditRecord> AuditOf(const std::string& partition) {
    auto records = engine_->audit().Export({partition});
    EXPECT_TRUE(records.ok()) << records.status().ToString();
    return records.ok() ? *records : std::vector<AuditRecord>{};
  }
  size_t CountKind(const std::string& partition, const std::string& kind) {
    size_t n = 0;
    for (const auto& r : AuditOf(partition)) n += r.kind == kind ? 1 : 0;
    return n;
  }

  amqp::testing::BrokerInfo broker_;
  fs::path state_dir_;
  RecordingActuator actuator_;
  std::unique_ptr<SmChannels> channels_;
  std::unique_ptr<Engine> engine_;
  std::string active_id_;
  std::optional<crypto::SigningKey> active_key_;
};

// covers: R2.1.60, R2.1.70, R2.1.120
TEST_F(SmChannelsTest, ProvisionWritesPrivateChannelFileAndKeyIdempotently) {
  const std::string path = channels_->ChannelFileOf(active_id_);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  const std::string key_path = KeyPath(state_dir_.string(), active_id_);
  ASSERT_EQ(::stat(key_path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);

  auto file = ReadChannelFile(path);
  ASSERT_TRUE(file.ok()) << file.status().ToString();
  EXPECT_EQ(file->sm_id, active_id_);
  EXPECT_EQ(file->gateway_id, "mano");
  EXPECT_EQ(file->publish_exchange, "nfvsm.from-sm");
  EXPECT_EQ(file->publish_routing_key, "mano");
  EXPECT_EQ(file->consume_queue, "nfvsm.sm-inbox");
  auto url = amqp::TransportUrl::Parse(file->transport_url);
  ASSERT_TRUE(url.ok());
  EXPECT_EQ(url->virtual_host, "nfvsm.sm." + active_id_);
  EXPECT_EQ(url->brokers.front().username, "nfvsm.sm." + active_id_);
  EXPECT_EQ(url->brokers.front().password.size(), 64u);
  auto key = crypto::SigningKey::LoadPemFile(key_path);
  ASSERT_TRUE(key.ok());
  EXPECT_EQ(file->gateway_public_key_pem, key->PublicKeyPem());

  // Provisioning again rotates nothing: same password, same key.
  auto sm = engine_->bindings().GetSm(active_id_);
  ASSERT_TRUE(sm.has_value());
  ASSERT_TRUE(channels_->Provision(*sm).ok());
  auto again = ReadChannelFile(path);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(again->transport_url, file->transport_url);
  EXPECT_EQ(again->gateway_public_key_pem, file->gateway_public_key_pem);
  // ... and the file still opens the channel.
  auto test_sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(test_sm, nullptr);
  EXPECT_TRUE(test_sm->Probe("probe-1").ok());
}

// covers: R2.1.60
TEST_F(SmChannelsTest, RefusesSmIdsOutsideTheContract) {
  auto k = crypto::SigningKey::Generate();
  ASSERT_TRUE(k.ok());
  for (const std::string& bad : std::vector<std::string>{
           "", "-lead", "has space", "a/b", "x|y", std::string(64, 'a')}) {
    SecurityManager sm{bad, k->PublicKeyPem(), std::nullopt, "", ""};
    EXPECT_EQ(channels_->Provision(sm).code(), StatusCode::kInvalidArgument)
        << bad;
  }
  SecurityManager no_key{"no-key", "not a pem", std::nullopt, "", ""};
  EXPECT_EQ(channels_->Provision(no_key).code(), StatusCode::kInvalidArgument);
  EXPECT_FALSE(fs::exists(channels_->ChannelFileOf("no-key")));
}

// covers: R2.1.80, R2.1.70, R2.1.60
TEST_F(SmChannelsTest, SmReceivesSignedLifecycleEvent) {
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  LifecycleEvent e;
  e.id = "ev-1";
  e.kind = EventKind::kCreate;
  e.phase = Phase::kEnd;
  e.source = EventSource::kVnfm;
  e.reason = "scale out";
  e.occurred_at = FromMicros(1'700'000'000'000'000);
  e.vnf_id = "vnf-1";
  e.domain = "d1";
  Status s = channels_->DeliverEvent(active_id_, e);
  ASSERT_TRUE(s.ok()) << s.ToString();
  auto env = sm->Receive(wire::kLifecycleEventType);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  auto decoded = wire::DecodeEvent(env->payload);
  ASSERT_TRUE(decoded.ok()) << decoded.status().ToString();
  EXPECT_EQ(decoded->id, "ev-1");
  EXPECT_EQ(decoded->vnf_id, "vnf-1");
  EXPECT_EQ(decoded->reason, "scale out");
  EXPECT_EQ(env->sender, "mano");
  EXPECT_EQ(env->recipient, active_id_);
  EXPECT_EQ(channels_->DeliverEvent("unknown-sm", e).code(),
            StatusCode::kNotFound);
}

// covers: R2.1.20, R2.1.60, R2.1.70
TEST_F(SmChannelsTest, GateAnsweredOverTheChannelCompletesWithItsVerdict) {
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  std::mutex mu;
  std::optional<GateDecision> decision;
  GateRequest req;
  req.id = "gate-1";
  req.operation = OperationKind::kInstantiate;
  req.vnf_id = "vnf-1";
  req.domain = "d1";
  req.event.id = "gate-1-event";
  req.event.kind = EventKind::kCreate;
  req.event.vnf_id = "vnf-1";
  req.event.domain = "d1";
  req.event.occurred_at = SystemClock().Now();
  Status started = engine_->StartGate(req, [&](const GateDecision& d) {
    std::lock_guard lock(mu);
    decision = d;
  });
  ASSERT_TRUE(started.ok()) << started.ToString();

  auto env = sm->Receive(wire::kGateRequestType);
  ASSERT_TRUE(env.ok()) << env.status().ToString();
  EXPECT_EQ(env->correlation_id, "gate-1");
  ASSERT_TRUE(env->deadline.has_value());
  auto request = wire::DecodeGateRequest(env->payload);
  ASSERT_TRUE(request.ok()) << request.status().ToString();
  EXPECT_TRUE(request->answer_expected);
  EXPECT_EQ(request->request.vnf_id, "vnf-1");

  SmAnswer answer;
  answer.verdict = Verdict::kDeny;
  answer.reason = "image not attested";
  auto payload = wire::EncodeGateAnswer("gate-1", answer);
  ASSERT_TRUE(payload.ok());
  auto body = sm->Seal(wire::kGateAnswerType, *payload, "gate-1");
  ASSERT_TRUE(body.ok());
  ASSERT_TRUE(sm->PublishRaw(*body, std::string(wire::kGateAnswerType)).ok());

  const auto until = std::chrono::steady_clock::now() + kWait;
  for (;;) {
    {
      std::lock_guard lock(mu);
      if (decision) break;
    }
    ASSERT_LT(std::chrono::steady_clock::now(), until) << "gate not decided";
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  std::lock_guard lock(mu);
  EXPECT_FALSE(decision->allowed);
  ASSERT_EQ(decision->sms.size(), 1u);
  EXPECT_EQ(decision->sms[0].sm, active_id_);
  EXPECT_EQ(decision->sms[0].participation, Participation::kAnswered);
  EXPECT_EQ(decision->sms[0].reason, "image not attested");
  EXPECT_EQ(channels_->stats().gate_answers, 1u);
}

// covers: R2.1.280/290, R2.1.350, R2.1.60
TEST_F(SmChannelsTest, InstructionIsCarriedOutAndAnswered) {
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  Instruction q;
  q.id = "ins-status";
  q.kind = InstructionKind::kStatusQuery;
  ASSERT_TRUE(sm->SendInstruction(q).ok());
  auto status = sm->Receive(wire::kStatusResultType);
  ASSERT_TRUE(status.ok()) << status.status().ToString();
  EXPECT_EQ(status->correlation_id, "ins-status");
  auto list = wire::DecodeStatusResult(status->payload);
  ASSERT_TRUE(list.ok());
  // Active VNFs of d1 only: vnf-2 is not in its domain.
  ASSERT_EQ(list->vnfs.size(), 1u);
  EXPECT_EQ(list->vnfs[0].id, "vnf-1");

  Instruction t;
  t.id = "ins-terminate";
  t.kind = InstructionKind::kTerminate;
  t.vnf_ids = {"vnf-1"};
  t.reason = "compromised";
  ASSERT_TRUE(sm->SendInstruction(t).ok());
  auto result = sm->Receive(wire::kInstructionResultType, "ins-terminate");
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto outcome = wire::DecodeInstructionResult(result->payload);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  EXPECT_TRUE(outcome->status.ok()) << outcome->status.ToString();
  bool terminated = false;
  for (const auto& call : actuator_.calls()) {
    terminated |= call.method == "TerminateVnf" && call.target == "vnf-1";
  }
  EXPECT_TRUE(terminated);
  EXPECT_GE(CountKind(PartitionFor(active_id_, "d1"), "instruction.accepted"),
            1u);
}

// One way an SM message can be bad.
struct BadMessage {
  const char* name;
  // Builds the bytes to publish (and may publish a first, good copy).
  std::function<StatusOr<std::string>(TestSm&)> make;
  StatusCode expected;  // the code named in the SecurityEvent
};

std::string Probe(TestSm& sm, const std::string& id) {
  Status s = sm.Probe(id);
  return s.ok() ? "" : s.ToString();
}

StatusOr<std::string> GoodInstruction(TestSm& sm, const std::string& id,
                                      const crypto::SigningKey* key = nullptr,
                                      std::optional<TimePoint> at = {}) {
  Instruction q;
  q.id = id;
  q.kind = InstructionKind::kStatusQuery;
  NFVSM_ASSIGN_OR_RETURN(std::string payload, wire::EncodeInstruction(q));
  return sm.Seal(wire::kInstructionType, payload, id, key, at);
}

// covers: R2.1.70, R2.1.60, R1.3.260
TEST_F(SmChannelsTest, BadSmMessagesAreRefusedAuditedAndAnswered) {
  auto other_key = crypto::SigningKey::Generate();
  ASSERT_TRUE(other_key.ok());
  const std::vector<BadMessage> cases = {
      {"forged signature",
       [](TestSm& sm) -> StatusOr<std::string> {
         NFVSM_ASSIGN_OR_RETURN(std::string b, GoodInstruction(sm, "forged"));
         b.back() ^= 0x01;  // signature is the last field
         return b;
       },
       StatusCode::kUnauthenticated},
      {"unknown key",
       [&](TestSm& sm) { return GoodInstruction(sm, "unknown", &*other_key); },
       StatusCode::kUnauthenticated},
      {"replayed envelope",
       [](TestSm& sm) -> StatusOr<std::string> {
         NFVSM_ASSIGN_OR_RETURN(std::string b, GoodInstruction(sm, "replay"));
         NFVSM_RETURN_IF_ERROR(sm.PublishRaw(b));
         NFVSM_RETURN_IF_ERROR(
             sm.Receive(wire::kInstructionResultType, "replay").status());
         return b;
       },
       StatusCode::kAlreadyExists},
      {"stale timestamp",
       [](TestSm& sm) {
         return GoodInstruction(sm, "stale", nullptr,
                                SystemClock().Now() - std::chrono::minutes(10));
       },
       StatusCode::kUnauthenticated},
      {"oversized",
       [](TestSm& sm) -> StatusOr<std::string> {
         NFVSM_ASSIGN_OR_RETURN(std::string b, GoodInstruction(sm, "big"));
         return b + std::string(2 * kTestMaxSmMessageBytes, 'x');
       },
       StatusCode::kResourceExhausted},
      {"not a protobuf",
       [](TestSm&) -> StatusOr<std::string> {
         return std::string("\xff\xff\xff garbage");
       },
       StatusCode::kInvalidArgument},
      {"message type an SM may not send",
       [](TestSm& sm) { return sm.Seal(wire::kGateRequestType, "", "x"); },
       StatusCode::kInvalidArgument},
      {"undecodable instruction",
       [](TestSm& sm) {
         return sm.Seal(wire::kInstructionType, "\x0a\xff", "bad");
       },
       StatusCode::kInvalidArgument},
  };
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  const std::string partition = PartitionFor(active_id_, "d1");
  int probe = 0;
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const size_t audited_before = CountKind(partition, "sm_message.refused");
    const uint64_t refused_before = channels_->stats().refused;
    auto body = c.make(*sm);
    ASSERT_TRUE(body.ok()) << body.status().ToString();
    ASSERT_TRUE(sm->PublishRaw(*body).ok());

    auto alert = sm->ReceiveAlert();
    ASSERT_TRUE(alert.ok()) << alert.status().ToString();
    EXPECT_EQ(alert->kind, wire::SecurityAlertKind::kMessageRejected);
    EXPECT_NE(alert->description.find(std::string(StatusCodeName(c.expected))),
              std::string::npos)
        << alert->description;
    EXPECT_EQ(alert->description.find("garbage"), std::string::npos);
    EXPECT_EQ(channels_->stats().refused, refused_before + 1);

    auto records = AuditOf(partition);
    ASSERT_EQ(CountKind(partition, "sm_message.refused"), audited_before + 1);
    const AuditRecord& last = records.back();
    EXPECT_EQ(last.kind, "sm_message.refused");
    EXPECT_EQ(last.actor, active_id_);
    EXPECT_NE(last.body.find(std::string(StatusCodeName(c.expected))),
              std::string::npos)
        << last.body;
    // The channel keeps working.
    EXPECT_EQ(Probe(*sm, "probe-" + std::to_string(++probe)), "");
  }
  EXPECT_EQ(actuator_.calls().size(), 0u);
  for (const auto& report : engine_->audit().VerifyAll()) {
    EXPECT_TRUE(report.ok) << report.partition;
  }
}

// covers: R2.1.20, R2.1.60
TEST_F(SmChannelsTest, PassiveSmInstructionIsRefusedAuditedAndAnswered) {
  const std::string passive_id = UniqueSmId("passive");
  std::optional<crypto::SigningKey> passive_key;
  AddSm(passive_id, Mode::kPassive, &passive_key);
  ASSERT_TRUE(channels_->HasOpenChannel(passive_id));
  auto sm = ConnectSm(passive_id, *passive_key);
  ASSERT_NE(sm, nullptr);
  Instruction t;
  t.id = "passive-terminate";
  t.kind = InstructionKind::kTerminate;
  t.vnf_ids = {"vnf-1"};
  ASSERT_TRUE(sm->SendInstruction(t).ok());

  auto result = sm->Receive(wire::kInstructionResultType);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  EXPECT_EQ(result->correlation_id, "passive-terminate");
  auto outcome = wire::DecodeInstructionResult(result->payload);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status.code(), StatusCode::kPermissionDenied);
  auto alert = sm->ReceiveAlert();
  ASSERT_TRUE(alert.ok()) << alert.status().ToString();
  EXPECT_EQ(alert->kind, wire::SecurityAlertKind::kInstructionRefused);
  EXPECT_EQ(alert->related_id, "passive-terminate");
  EXPECT_EQ(CountKind(PartitionFor(passive_id, "d1"), "instruction.refused"),
            1u);
  EXPECT_TRUE(actuator_.calls().empty());
  EXPECT_TRUE(sm->Probe("passive-probe").ok());  // queries stay allowed
}

// covers: R2.1.90, R2.1.60
TEST_F(SmChannelsTest, CrossDomainInstructionIsRefusedAuditedAndAnswered) {
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  Instruction t;
  t.id = "cross-terminate";
  t.kind = InstructionKind::kTerminate;
  t.vnf_ids = {"vnf-2"};  // d2: the SM is bound to d1 only
  ASSERT_TRUE(sm->SendInstruction(t).ok());
  auto result = sm->Receive(wire::kInstructionResultType);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  auto outcome = wire::DecodeInstructionResult(result->payload);
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(outcome->status.code(), StatusCode::kPermissionDenied);
  auto alert = sm->ReceiveAlert();
  ASSERT_TRUE(alert.ok()) << alert.status().ToString();
  EXPECT_EQ(alert->kind, wire::SecurityAlertKind::kInstructionRefused);
  // No partition of its own in d2: the engine audits it in MANO's.
  size_t refused = 0;
  for (const auto& r : AuditOf(std::string(kManoPartition))) {
    refused += r.kind == "instruction.refused" && r.actor == active_id_ &&
               r.subject == "cross-terminate";
  }
  EXPECT_EQ(refused, 1u);
  EXPECT_TRUE(actuator_.calls().empty());
  EXPECT_TRUE(sm->Probe("cross-probe").ok());
}

// covers: R2.1.70
TEST_F(SmChannelsTest, SequenceNumbersGrowAcrossRestarts) {
  auto sm = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(sm, nullptr);
  LifecycleEvent e;
  e.id = "ev-seq";
  e.kind = EventKind::kModify;
  e.vnf_id = "vnf-1";
  e.domain = "d1";
  e.occurred_at = SystemClock().Now();
  ASSERT_TRUE(channels_->DeliverEvent(active_id_, e).ok());
  auto first = sm->Receive(wire::kLifecycleEventType);
  ASSERT_TRUE(first.ok());
  // A restarted gateway (same state_dir) continues above, so the SM's
  // replay window (kept across the restart here) accepts its messages.
  channels_->Stop();
  auto reopened = SmChannels::Create([&] {
    SmChannelsOptions o;
    o.broker = amqp::testing::BrokerOptions(broker_);
    o.state_dir = state_dir_.string();
    o.rabbitmqctl = {"bash", NFVSM_RABBITMQ_SCRIPT, "ctl", broker_.dir};
    return o;
  }());
  ASSERT_TRUE(reopened.ok());
  (*reopened)->Attach(engine_.get());
  ASSERT_TRUE((*reopened)->Start().ok());
  ASSERT_TRUE((*reopened)->HasOpenChannel(active_id_));
  e.id = "ev-seq-2";
  ASSERT_TRUE((*reopened)->DeliverEvent(active_id_, e).ok());
  auto second = sm->Receive(wire::kLifecycleEventType);
  ASSERT_TRUE(second.ok()) << second.status().ToString();
  EXPECT_GT(second->sequence, first->sequence);
  (*reopened)->Stop();
}

}  // namespace
}  // namespace nfvsm::gateway

namespace nfvsm::gateway {
namespace {

// covers: R2.1.20, R2.1.80
TEST_F(SmChannelsTest, PassiveSmIsNotifiedOfGatesWithNoAnswerExpected) {
  const std::string passive_id = UniqueSmId("notified");
  std::optional<crypto::SigningKey> passive_key;
  AddSm(passive_id, Mode::kPassive, &passive_key);
  auto passive = ConnectSm(passive_id, *passive_key);
  auto active = ConnectSm(active_id_, *active_key_);
  ASSERT_NE(passive, nullptr);
  ASSERT_NE(active, nullptr);
  GateRequest req;
  req.id = "gate-notify";
  req.operation = OperationKind::kInstantiate;
  req.vnf_id = "vnf-1";
  req.domain = "d1";
  req.event.id = "gate-notify-event";
  req.event.kind = EventKind::kCreate;
  req.event.vnf_id = "vnf-1";
  req.event.domain = "d1";
  req.event.occurred_at = SystemClock().Now();
  ASSERT_TRUE(engine_->StartGate(req, [](const GateDecision&) {}).ok());

  auto told = passive->Receive(wire::kGateRequestType, "gate-notify");
  ASSERT_TRUE(told.ok()) << told.status().ToString();
  EXPECT_FALSE(told->deadline.has_value());
  auto told_request = wire::DecodeGateRequest(told->payload);
  ASSERT_TRUE(told_request.ok());
  EXPECT_FALSE(told_request->answer_expected);

  auto asked = active->Receive(wire::kGateRequestType, "gate-notify");
  ASSERT_TRUE(asked.ok()) << asked.status().ToString();
  auto asked_request = wire::DecodeGateRequest(asked->payload);
  ASSERT_TRUE(asked_request.ok());
  EXPECT_TRUE(asked_request->answer_expected);
  EXPECT_TRUE(asked->deadline.has_value());
}

}  // namespace
}  // namespace nfvsm::gateway
