// AdminClient against an in-test gateway backed by a real Engine (in-memory
// store): creation, listing, removal, and the mapping of errors.
#include "nfvsm/amqp/admin_client.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/crypto.h"
#include "nfvsm/engine.h"
#include "nfvsm/instruction.h"
#include "nfvsm/wire.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;
using testing::BrokerOptions;
using ::testing::HasSubstr;
using testing::UniqueName;

class NullTransport final : public SmTransport {
 public:
  void Notify(const SmId&, const GateRequest&) override {}
  Status Ask(const SmId&, const GateRequest&, TimePoint) override {
    return UnavailableError("no SM channels in this test");
  }
};

// The server side the gateway implements, reduced to what these tests use.
class TestAdminGateway {
 public:
  explicit TestAdminGateway(Engine& engine) : engine_(engine) {}

  void Handle(const Delivery& d, const Responder& r) {
    v1::AdminRequest req;
    v1::AdminReply reply;
    if (!req.ParseFromString(d.body)) {
      admin::SetStatus(InvalidArgumentError("not an AdminRequest"), &reply);
    } else {
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_actor_ = req.actor();
      }
      reply.set_request_id(req.request_id());
      Status s = Dispatch(req, &reply);
      {
        std::lock_guard<std::mutex> lock(mu_);
        last_status_ = s;
      }
      admin::SetStatus(s, &reply);
    }
    EXPECT_TRUE(r.Reply(reply.SerializeAsString(), kAdminReplyType).ok());
  }

  Status last_status() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_status_;
  }
  std::string last_actor() {
    std::lock_guard<std::mutex> lock(mu_);
    return last_actor_;
  }

 private:
  Status Dispatch(const v1::AdminRequest& req, v1::AdminReply* reply) {
    const std::string& actor = req.actor();
    switch (req.operation_case()) {
      case v1::AdminRequest::kPutDomain: {
        NFVSM_ASSIGN_OR_RETURN(TrustDomain d,
                               admin::FromProto(req.put_domain()));
        return engine_.PutDomain(d, actor);
      }
      case v1::AdminRequest::kRemoveDomain:
        return engine_.RemoveDomain(req.remove_domain().id(), actor);
      case v1::AdminRequest::kPutSm: {
        NFVSM_ASSIGN_OR_RETURN(SecurityManager sm,
                               admin::FromProto(req.put_sm()));
        NFVSM_RETURN_IF_ERROR(engine_.PutSm(sm, actor));
        reply->mutable_put_sm()->set_channel_file("/state/sm/" + sm.id +
                                                  ".json");
        return OkStatus();
      }
      case v1::AdminRequest::kRemoveSm:
        return engine_.RemoveSm(req.remove_sm().id(), actor);
      case v1::AdminRequest::kPutBinding: {
        NFVSM_ASSIGN_OR_RETURN(Binding b, admin::FromProto(req.put_binding()));
        return engine_.PutBinding(b, actor);
      }
      case v1::AdminRequest::kRemoveBinding:
        return engine_.RemoveBinding(req.remove_binding().sm(),
                                     req.remove_binding().domain(), actor);
      case v1::AdminRequest::kList:
        return List(req.list().what(), reply);
      case v1::AdminRequest::kPutVnf: {
        NFVSM_ASSIGN_OR_RETURN(VnfRecord v, wire::FromProto(req.put_vnf()));
        return engine_.PutVnf(v, actor);
      }
      case v1::AdminRequest::kListQuarantine:
        for (const auto& e : engine_.quarantine().List()) {
          admin::ToProto(e, reply->mutable_quarantine()->add_entries());
        }
        reply->mutable_quarantine();
        return OkStatus();
      case v1::AdminRequest::kAuditVerify:
        for (const auto& report : engine_.audit().VerifyAll()) {
          admin::ToProto(report, reply->mutable_audit_verify()->add_reports());
        }
        reply->mutable_audit_verify();
        return OkStatus();
      default:
        return InvalidArgumentError("operation not supported by this test");
    }
  }

  Status List(v1::ListRequest::What what, v1::AdminReply* reply) {
    const BindingTable& table = engine_.bindings();
    switch (what) {
      case v1::ListRequest::WHAT_DOMAINS:
        reply->mutable_domains();
        for (const auto& d : table.ListDomains()) {
          admin::ToProto(d, reply->mutable_domains()->add_domains());
        }
        return OkStatus();
      case v1::ListRequest::WHAT_SMS:
        reply->mutable_sms();
        for (const auto& sm : table.ListSms()) {
          admin::ToProto(sm, reply->mutable_sms()->add_sms());
        }
        return OkStatus();
      case v1::ListRequest::WHAT_BINDINGS:
        reply->mutable_bindings();
        for (const auto& sm : table.ListSms()) {
          for (const auto& b : table.BindingsOf(sm.id)) {
            admin::ToProto(b, reply->mutable_bindings()->add_bindings());
          }
        }
        return OkStatus();
      default:
        return InvalidArgumentError("list.what: missing or unknown");
    }
  }

  Engine& engine_;
  std::mutex mu_;
  Status last_status_;
  std::string last_actor_;
};

class AdminClientTest : public ::testing::Test {
 protected:
  void Start(const testing::BrokerInfo& broker) {
    auto keys = AuditKeys::Generate(/*with_encryption=*/false);
    ASSERT_TRUE(keys.ok());
    EngineOptions options;
    options.audit_keys = std::move(keys).value();
    auto engine = Engine::Open(std::move(options), transport_, actuator_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    gateway_ = std::make_unique<TestAdminGateway>(*engine_);

    queue_ = UniqueName("admin");
    RpcServerOptions server_options;
    server_options.connection = BrokerOptions(broker);
    server_options.queue.name = queue_;
    server_options.queue.durable = false;
    server_options.queue.auto_delete = true;
    auto server = RpcServer::Create(
        server_options,
        [this](const Delivery& d, Responder r) { gateway_->Handle(d, r); });
    ASSERT_TRUE(server.ok());
    server_ = std::move(server).value();
    ASSERT_TRUE(server_->Start().ok());

    AdminClientOptions client_options;
    client_options.queue = queue_;
    client_options.actor = "alice@ops";
    client_options.deadline = seconds(10);
    auto client = AdminClient::Open(BrokerOptions(broker), client_options);
    ASSERT_TRUE(client.ok()) << client.status().ToString();
    client_ = std::move(client).value();
  }

  void TearDown() override {
    if (server_) server_->Stop();
  }

  static TrustDomain Domain(const std::string& id, DomainKind kind) {
    TrustDomain d;
    d.id = id;
    d.kind = kind;
    d.description = "domain " + id;
    return d;
  }

  static SecurityManager Sm(const std::string& id, const DomainId& home) {
    auto key = crypto::SigningKey::Generate();
    EXPECT_TRUE(key.ok());
    SecurityManager sm;
    sm.id = id;
    sm.public_key_pem = key.ok() ? key->PublicKeyPem() : "";
    sm.home_domain = home;
    sm.description = "SM " + id;
    return sm;
  }

  NullTransport transport_;
  RecordingActuator actuator_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<TestAdminGateway> gateway_;
  std::string queue_;
  std::unique_ptr<RpcServer> server_;
  std::unique_ptr<AdminClient> client_;
};

// covers: R1.1.10, R1.1.40, R1.1.130, R2.1.50, R2.1.110, R2.1.120 (domains,
// SMs and bindings are created and listed through the admin RPC)
TEST_F(AdminClientTest, CreateAndListDomainsSmsBindings) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Start(broker));
  TrustDomain tenant = Domain("tenant-a", DomainKind::kVnf);
  tenant.sensitive = true;
  tenant.trusts = {"sec"};
  const TrustDomain sec = Domain("sec", DomainKind::kSecurity);
  ASSERT_TRUE(client_->PutDomain(sec).ok())
      << gateway_->last_status().ToString();
  ASSERT_TRUE(client_->PutDomain(tenant).ok())
      << gateway_->last_status().ToString();
  EXPECT_EQ(gateway_->last_actor(), "alice@ops");

  auto domains = client_->ListDomains();
  ASSERT_TRUE(domains.ok()) << domains.status().ToString();
  EXPECT_THAT(*domains, ::testing::UnorderedElementsAre(tenant, sec));

  const SecurityManager sm = Sm("sm-1", "sec");
  auto channel_file = client_->PutSm(sm);
  ASSERT_TRUE(channel_file.ok()) << channel_file.status().ToString();
  EXPECT_EQ(*channel_file, "/state/sm/sm-1.json");
  auto sms = client_->ListSms();
  ASSERT_TRUE(sms.ok()) << sms.status().ToString();
  ASSERT_EQ(sms->size(), 1u);
  EXPECT_EQ(sms->front(), sm);

  Binding b;
  b.sm = "sm-1";
  b.domain = "tenant-a";
  b.mode = Mode::kFullyActive;
  b.allowed_instructions = {InstructionKind::kTerminate,
                            InstructionKind::kStatusQuery};
  b.hidden_events = {EventKind::kModify};
  b.gate_deadline = milliseconds(1500);
  b.semi_active_window = milliseconds(0);
  b.fail_mode = FailMode::kOpen;
  ASSERT_TRUE(client_->PutBinding(b).ok())
      << gateway_->last_status().ToString();
  auto bindings = client_->ListBindings();
  ASSERT_TRUE(bindings.ok()) << bindings.status().ToString();
  ASSERT_EQ(bindings->size(), 1u);
  EXPECT_EQ(bindings->front(), b);
  // The engine holds what the client sent.
  EXPECT_EQ(engine_->bindings().BindingsOf("sm-1").front(), b);

  ASSERT_TRUE(client_->RemoveBinding("sm-1", "tenant-a").ok());
  bindings = client_->ListBindings();
  ASSERT_TRUE(bindings.ok());
  EXPECT_TRUE(bindings->empty());

  auto quarantine = client_->ListQuarantine();
  ASSERT_TRUE(quarantine.ok()) << quarantine.status().ToString();
  EXPECT_TRUE(quarantine->empty());
  // covers R1.3.270 too: admin changes are audited and the chain verifies.
  auto reports = client_->AuditVerify("");
  ASSERT_TRUE(reports.ok()) << reports.status().ToString();
  ASSERT_FALSE(reports->empty());
  for (const auto& r : *reports) EXPECT_TRUE(r.ok) << r.problem;
}

// covers: R1.1.10, R2.1.110 (the gateway's refusals come back with the
// engine's own code and message)
TEST_F(AdminClientTest, ErrorsKeepTheirStatusCode) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Start(broker));
  ASSERT_TRUE(client_->PutDomain(Domain("sec", DomainKind::kSecurity)).ok());

  struct Case {
    std::string name;
    std::function<Status()> call;
  };
  const std::vector<Case> cases = {
      {"remove unknown domain",
       [&] { return client_->RemoveDomain("no-such-domain"); }},
      {"remove unknown sm", [&] { return client_->RemoveSm("no-such-sm"); }},
      {"binding to unknown sm",
       [&] {
         Binding b;
         b.sm = "ghost";
         b.domain = "sec";
         return client_->PutBinding(b);
       }},
      {"binding to unknown domain",
       [&] {
         EXPECT_TRUE(client_->PutSm(Sm("sm-2", "sec")).ok());
         Binding b;
         b.sm = "sm-2";
         b.domain = "no-such-domain";
         return client_->PutBinding(b);
       }},
  };
  for (const Case& c : cases) {
    const Status got = c.call();
    const Status engine_said = gateway_->last_status();
    ASSERT_FALSE(engine_said.ok()) << c.name;
    EXPECT_EQ(got.code(), engine_said.code()) << c.name;
    EXPECT_EQ(got.message(), engine_said.message()) << c.name;
    EXPECT_TRUE(client_->last_call_reached_gateway()) << c.name;
  }
  // An operation the server refuses to parse.
  v1::AdminRequest empty;
  auto reply = client_->Call(empty);
  ASSERT_TRUE(reply.ok());
  EXPECT_EQ(admin::StatusOf(*reply).code(), StatusCode::kInvalidArgument);
}

// covers: R1.3.30 (no gateway: the CLI can tell unreachable from refused)
TEST_F(AdminClientTest, UnreachableGatewayIsTransportError) {
  NFVSM_REQUIRE_BROKER(broker);
  AdminClientOptions options;
  options.queue = UniqueName("no-admin");
  options.actor = "alice@ops";
  auto client = AdminClient::Open(BrokerOptions(broker), options);
  ASSERT_TRUE(client.ok());
  Status s = (*client)->PutDomain(Domain("x", DomainKind::kVnf));
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_THAT(s.message(), HasSubstr("nfvsm gateway unreachable"));
  EXPECT_FALSE((*client)->last_call_reached_gateway());
  EXPECT_EQ(AdminClient::Open(BrokerOptions(broker), AdminClientOptions{})
                .status()
                .code(),
            StatusCode::kInvalidArgument);  // no actor
}

#ifdef NFVSM_ADMIN_BINARY
// covers: R1.1.10, R2.1.110, R1.3.30 (the operator CLI drives the admin
// RPC; its exit code tells success, refusal, usage error and unreachable
// gateway apart)
TEST_F(AdminClientTest, AdminCliExitCodes) {
  NFVSM_REQUIRE_BROKER(broker);
  ASSERT_NO_FATAL_FAILURE(Start(broker));
  const std::string base = std::string(NFVSM_ADMIN_BINARY) +
                           " --transport-url '" + broker.transport_url +
                           "' --actor cli@test --timeout-ms 5000 --queue ";
  const std::string cli = base + queue_ + " ";
  struct Case {
    std::string args;
    int exit_code;
    std::string output_part;
  };
  const std::vector<Case> cases = {
      {"domain create tenant-x --kind vnf --sensitive", 0, "saved"},
      {"-f json domain list", 0, "\"tenant-x\""},
      {"domain list", 0, "tenant-x"},
      {"domain delete no-such-domain", 1, "not_found"},
      {"vnf put vnf-7 --domain tenant-x --image img-7 --host compute-2 "
       "--state active --needs-policy",
       0, "registered"},
      {"vnf put vnf-8 --domain no-such-domain", 1, "invalid_argument"},
      {"vnf put vnf-8 --domain tenant-x --state sleeping", 2, "state"},
      {"binding create --sm a --domain b --mode bogus", 2, "mode"},
      {"binding create --sm a", 2, ""},
      {"frobnicate", 2, ""},
  };
  for (const Case& c : cases) {
    const auto result = testing::RunCommand(cli + c.args + " 2>&1");
    EXPECT_EQ(result.exit_code, c.exit_code) << c.args << "\n" << result.output;
    EXPECT_THAT(result.output, HasSubstr(c.output_part)) << c.args;
  }
  auto domain = engine_->bindings().GetDomain("tenant-x");
  ASSERT_TRUE(domain.has_value());
  EXPECT_TRUE(domain->sensitive);
  EXPECT_EQ(gateway_->last_actor(), "cli@test");
  auto vnf = engine_->inventory().Get("vnf-7");
  ASSERT_TRUE(vnf.has_value());
  EXPECT_EQ(vnf->image_id, "img-7");
  EXPECT_EQ(vnf->host, "compute-2");
  EXPECT_EQ(vnf->state, VnfState::kActive);
  EXPECT_TRUE(vnf->needs_security_policy);
  EXPECT_FALSE(engine_->inventory().Get("vnf-8").has_value());

  const auto unreachable =
      testing::RunCommand(base + UniqueName("no-admin") + " domain list 2>&1");
  EXPECT_EQ(unreachable.exit_code, 3) << unreachable.output;
  EXPECT_THAT(unreachable.output, HasSubstr("unreachable"));
}
#endif  // NFVSM_ADMIN_BINARY

// covers: R1.3.260 (status codes survive the wire, and a reply without a
// code is never success)
TEST(AdminWireTest, StatusCodesRoundTrip) {
  const StatusCode codes[] = {
      StatusCode::kOk,
      StatusCode::kInvalidArgument,
      StatusCode::kDeadlineExceeded,
      StatusCode::kNotFound,
      StatusCode::kAlreadyExists,
      StatusCode::kPermissionDenied,
      StatusCode::kResourceExhausted,
      StatusCode::kFailedPrecondition,
      StatusCode::kInternal,
      StatusCode::kUnavailable,
      StatusCode::kDataLoss,
      StatusCode::kUnauthenticated,
  };
  for (StatusCode code : codes) {
    v1::AdminReply reply;
    const Status in =
        code == StatusCode::kOk ? OkStatus() : Status(code, "because");
    admin::SetStatus(in, &reply);
    v1::AdminReply parsed;
    ASSERT_TRUE(parsed.ParseFromString(reply.SerializeAsString()));
    EXPECT_EQ(admin::StatusOf(parsed), in) << StatusCodeName(code);
  }
  v1::AdminReply unset;
  EXPECT_EQ(admin::StatusOf(unset).code(), StatusCode::kInternal);
}

// covers: R2.1.10, R2.1.200, R1.3.30 (binding fields survive the wire;
// bad enums are refused, not defaulted)
TEST(AdminWireTest, BindingConversionRefusesBadInput) {
  v1::BindingProto proto;
  proto.set_sm("sm-1");
  proto.set_domain("d");
  EXPECT_EQ(admin::FromProto(proto).status().code(),
            StatusCode::kInvalidArgument);  // no mode
  proto.set_mode(v1::SM_MODE_SEMI_ACTIVE);
  auto b = admin::FromProto(proto);
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->allowed_instructions, AllInstructionKinds());  // default
  EXPECT_EQ(b->fail_mode, FailMode::kClosed);
  proto.mutable_allowed_instructions();  // present and empty: none
  b = admin::FromProto(proto);
  ASSERT_TRUE(b.ok());
  EXPECT_TRUE(b->allowed_instructions.empty());
  proto.mutable_allowed_instructions()->add_kinds("self_destruct");
  EXPECT_EQ(admin::FromProto(proto).status().code(),
            StatusCode::kInvalidArgument);
  proto.clear_allowed_instructions();
  proto.add_hidden_events(static_cast<v1::EventKind>(42));
  EXPECT_EQ(admin::FromProto(proto).status().code(),
            StatusCode::kInvalidArgument);
  proto.clear_hidden_events();
  proto.set_gate_deadline_ms(-1);
  EXPECT_EQ(admin::FromProto(proto).status().code(),
            StatusCode::kInvalidArgument);
  v1::TrustDomainProto domain;
  domain.set_id("x");
  EXPECT_EQ(admin::FromProto(domain).status().code(),
            StatusCode::kInvalidArgument);  // no kind
}

}  // namespace
}  // namespace nfvsm::amqp
