// BusActuator (gateway/src/bus_actuator.h) against a tiny RpcServer in the
// test, on the private RabbitMQ node: what each Actuator call puts on the
// wire, and how transport trouble and error replies come back.
#include "bus_actuator.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "config.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/v1/actuator.pb.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::gateway {
namespace {

using amqp::Delivery;
using amqp::Responder;
using amqp::RpcServer;
using amqp::RpcServerOptions;
using amqp::testing::BrokerInfo;
using amqp::testing::BrokerOptions;
using amqp::testing::UniqueName;
using std::chrono::milliseconds;
using std::chrono::seconds;

// The stand-in for nfvsm-actuator: records every request and answers with
// `reply` (or not at all when `answer` is false).
class FakeActuatorService {
 public:
  Status Start(const BrokerInfo& broker, const std::string& queue) {
    RpcServerOptions options;
    options.connection = BrokerOptions(broker);
    options.queue.name = queue;
    options.queue.durable = false;
    options.queue.auto_delete = true;
    auto server = RpcServer::Create(
        options, [this](const Delivery& d, Responder r) { Handle(d, r); });
    if (!server.ok()) return server.status();
    server_ = std::move(server).value();
    return server_->Start();
  }

  void Handle(const Delivery& d, Responder r) {
    v1::ActuatorRequest request;
    const bool parsed = request.ParseFromString(d.body);
    std::lock_guard lock(mu_);
    if (parsed) requests_.push_back(request);
    types_.push_back(d.properties.type);
    if (!answer) return;
    if (!raw_reply.empty()) {
      (void)r.Reply(raw_reply);
      return;
    }
    v1::ActuatorReply out = reply;
    out.set_request_id(request.request_id());
    (void)r.Reply(out.SerializeAsString());
  }

  std::vector<v1::ActuatorRequest> requests() {
    std::lock_guard lock(mu_);
    return requests_;
  }
  std::vector<std::string> types() {
    std::lock_guard lock(mu_);
    return types_;
  }

  // Set before the calls (read on the server thread afterwards).
  v1::ActuatorReply reply = [] {
    v1::ActuatorReply r;
    r.set_code(v1::ADMIN_STATUS_OK);
    return r;
  }();
  std::string raw_reply;
  bool answer = true;

 private:
  std::unique_ptr<RpcServer> server_;
  std::mutex mu_;
  std::vector<v1::ActuatorRequest> requests_;
  std::vector<std::string> types_;
};

VnfRecord Vnf(const std::string& id) {
  VnfRecord v;
  v.id = id;
  v.domain = "tenant-a";
  v.image_id = "img-" + id;
  v.vnfd_id = "vnfd-" + id;
  v.host = "compute-1";
  v.requestor_id = "oss-" + id;
  v.state = VnfState::kActive;
  return v;
}

std::unique_ptr<BusActuator> MakeActuator(const BrokerInfo& broker,
                                          const std::string& queue,
                                          Duration timeout = seconds(10)) {
  BusActuatorOptions options;
  options.connection = BrokerOptions(broker);
  options.queue = queue;
  options.timeout = timeout;
  options.gateway_id = "mano-test";
  auto actuator = BusActuator::Create(std::move(options));
  EXPECT_TRUE(actuator.ok()) << actuator.status().ToString();
  return actuator.ok() ? std::move(actuator).value() : nullptr;
}

struct CallCase {
  std::string name;
  std::function<Status(Actuator&)> call;
  v1::ActuatorRequest::ActionCase expected_case;
  std::function<void(const v1::ActuatorRequest&)> check;
};

std::vector<CallCase> CallCases() {
  return {
      {"NotifyOssBss",
       [](Actuator& a) {
         return a.NotifyOssBss({.sm = "sm-1",
                                .vnf_ids = {"vnf-1", "vnf-2"},
                                .requestor_ids = {"oss-1"},
                                .ns_ids = {"ns-9"},
                                .reason = "malware found"});
       },
       v1::ActuatorRequest::kNotifyOssBss,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.notify_oss_bss().sm(), "sm-1");
         ASSERT_EQ(r.notify_oss_bss().vnf_ids_size(), 2);
         EXPECT_EQ(r.notify_oss_bss().vnf_ids(1), "vnf-2");
         ASSERT_EQ(r.notify_oss_bss().requestor_ids_size(), 1);
         EXPECT_EQ(r.notify_oss_bss().requestor_ids(0), "oss-1");
         ASSERT_EQ(r.notify_oss_bss().ns_ids_size(), 1);
         EXPECT_EQ(r.notify_oss_bss().ns_ids(0), "ns-9");
         EXPECT_EQ(r.notify_oss_bss().reason(), "malware found");
       }},
      {"TerminateVnf",
       [](Actuator& a) {
         TerminateFlags f;
         f.quarantine_copy = true;
         f.erase_storage = true;
         return a.TerminateVnf(Vnf("vnf-1"), f);
       },
       v1::ActuatorRequest::kTerminateVnf,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.terminate_vnf().vnf().vnf_id(), "vnf-1");
         EXPECT_EQ(r.terminate_vnf().vnf().domain(), "tenant-a");
         EXPECT_EQ(r.terminate_vnf().vnf().requestor_id(), "oss-vnf-1");
         EXPECT_EQ(r.terminate_vnf().vnf().host(), "compute-1");
         EXPECT_TRUE(r.terminate_vnf().flags().quarantine_copy());
         EXPECT_TRUE(r.terminate_vnf().flags().erase_storage());
         EXPECT_FALSE(r.terminate_vnf().flags().quarantine_host());
         EXPECT_FALSE(r.terminate_vnf().flags().replacement_allowed());
       }},
      {"QuarantineInstanceCopy",
       [](Actuator& a) { return a.QuarantineInstanceCopy(Vnf("vnf-2")); },
       v1::ActuatorRequest::kQuarantineInstanceCopy,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.quarantine_instance_copy().vnf().vnf_id(), "vnf-2");
         EXPECT_EQ(r.quarantine_instance_copy().vnf().image_id(), "img-vnf-2");
       }},
      {"QuarantineImage",
       [](Actuator& a) { return a.QuarantineImage("img-7"); },
       v1::ActuatorRequest::kQuarantineImage,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.quarantine_image().image_id(), "img-7");
       }},
      {"QuarantineVnfd", [](Actuator& a) { return a.QuarantineVnfd("vnfd-7"); },
       v1::ActuatorRequest::kQuarantineVnfd,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.quarantine_vnfd().vnfd_id(), "vnfd-7");
       }},
      {"QuarantineHost",
       [](Actuator& a) { return a.QuarantineHost("compute-3", "rootkit"); },
       v1::ActuatorRequest::kQuarantineHost,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.quarantine_host().host(), "compute-3");
         EXPECT_EQ(r.quarantine_host().reason(), "rootkit");
       }},
      {"EraseInstanceStorage",
       [](Actuator& a) { return a.EraseInstanceStorage(Vnf("vnf-3")); },
       v1::ActuatorRequest::kEraseInstanceStorage,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.erase_instance_storage().vnf().vnf_id(), "vnf-3");
       }},
      {"MigrateVnf",
       [](Actuator& a) { return a.MigrateVnf(Vnf("vnf-4"), "compute-1"); },
       v1::ActuatorRequest::kMigrateVnf,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.migrate_vnf().vnf().vnf_id(), "vnf-4");
         EXPECT_EQ(r.migrate_vnf().away_from_host(), "compute-1");
       }},
      {"ApplyPolicy",
       [](Actuator& a) {
         Policy p;
         p.id = "pol-1";
         return a.ApplyPolicy(Vnf("vnf-5"), p);
       },
       v1::ActuatorRequest::kApplyPolicy,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.apply_policy().vnf().vnf_id(), "vnf-5");
         EXPECT_TRUE(r.apply_policy().has_policy());
       }},
      {"InsertSecurityFunction",
       [](Actuator& a) {
         return a.InsertSecurityFunction(
             "ns-1", {.vsf_vnfd_id = "fw", .after = "a", .before = "b"});
       },
       v1::ActuatorRequest::kInsertSecurityFunction,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.insert_security_function().ns_id(), "ns-1");
         EXPECT_EQ(r.insert_security_function().function().vsf_vnfd_id(), "fw");
         EXPECT_EQ(r.insert_security_function().function().after(), "a");
         EXPECT_EQ(r.insert_security_function().function().before(), "b");
       }},
      {"RemoveSecurityFunction",
       [](Actuator& a) {
         return a.RemoveSecurityFunction(
             "ns-2", {.vsf_vnfd_id = "ids", .after = "", .before = ""});
       },
       v1::ActuatorRequest::kRemoveSecurityFunction,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.remove_security_function().ns_id(), "ns-2");
         EXPECT_EQ(r.remove_security_function().function().vsf_vnfd_id(),
                   "ids");
       }},
      {"ReleaseQuarantine",
       [](Actuator& a) {
         return a.ReleaseQuarantine(QuarantineTarget::kHost, "compute-3");
       },
       v1::ActuatorRequest::kReleaseQuarantine,
       [](const v1::ActuatorRequest& r) {
         EXPECT_EQ(r.release_quarantine().target(), v1::QUARANTINE_TARGET_HOST);
         EXPECT_EQ(r.release_quarantine().target_id(), "compute-3");
       }},
  };
}

// covers: R2.1.260, R2.1.270, R2.1.280/290, R2.1.310, R2.1.320/330,
// R2.1.340
TEST(BusActuatorTest, EachCallSendsItsRequest) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("actuator");
  FakeActuatorService service;
  ASSERT_TRUE(service.Start(broker, queue).ok());
  auto actuator = MakeActuator(broker, queue);
  ASSERT_NE(actuator, nullptr);

  const auto cases = CallCases();
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const size_t before = service.requests().size();
    Status s = c.call(*actuator);
    EXPECT_TRUE(s.ok()) << s.ToString();
    auto requests = service.requests();
    ASSERT_EQ(requests.size(), before + 1);
    const v1::ActuatorRequest& r = requests.back();
    EXPECT_EQ(r.action_case(), c.expected_case);
    EXPECT_EQ(r.gateway_id(), "mano-test");
    EXPECT_EQ(r.request_id().size(), 32u);
    c.check(r);
  }
  for (const auto& type : service.types()) {
    EXPECT_EQ(type, kActuatorRequestType);
  }
  // Request ids are unique (the service may use them to spot retries).
  auto requests = service.requests();
  ASSERT_EQ(requests.size(), cases.size());
  for (size_t i = 1; i < requests.size(); ++i) {
    EXPECT_NE(requests[i].request_id(), requests[i - 1].request_id());
  }
}

// covers: R1.3.30, R2.1.270
TEST(BusActuatorTest, NoServiceIsUnavailable) {
  NFVSM_REQUIRE_BROKER(broker);
  // Nothing declared this queue: the broker returns the request at once.
  auto actuator =
      MakeActuator(broker, UniqueName("actuator-absent"), seconds(5));
  ASSERT_NE(actuator, nullptr);
  Status s = actuator->TerminateVnf(Vnf("vnf-1"), {});
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  EXPECT_NE(s.message().find("nfvsm actuator unavailable"), std::string::npos);
}

// covers: R1.3.30, R2.1.270
TEST(BusActuatorTest, SilentServiceIsUnavailableByTheDeadline) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("actuator-silent");
  FakeActuatorService service;
  service.answer = false;
  ASSERT_TRUE(service.Start(broker, queue).ok());
  auto actuator = MakeActuator(broker, queue, milliseconds(400));
  ASSERT_NE(actuator, nullptr);
  Status s = actuator->QuarantineHost("compute-1", "why");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable) << s.ToString();
  // The request did reach the service: only its answer was missing.
  EXPECT_EQ(service.requests().size(), 1u);
}

struct ErrorCase {
  v1::AdminStatusCode wire;
  StatusCode expected;
};

// covers: R1.3.30
TEST(BusActuatorTest, ErrorRepliesKeepTheirCode) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("actuator-errors");
  FakeActuatorService service;
  ASSERT_TRUE(service.Start(broker, queue).ok());
  auto actuator = MakeActuator(broker, queue);
  ASSERT_NE(actuator, nullptr);
  const std::vector<ErrorCase> cases = {
      {v1::ADMIN_STATUS_NOT_FOUND, StatusCode::kNotFound},
      {v1::ADMIN_STATUS_PERMISSION_DENIED, StatusCode::kPermissionDenied},
      {v1::ADMIN_STATUS_FAILED_PRECONDITION, StatusCode::kFailedPrecondition},
      {v1::ADMIN_STATUS_UNAVAILABLE, StatusCode::kUnavailable},
      {v1::ADMIN_STATUS_INTERNAL, StatusCode::kInternal},
      // No code is never success.
      {v1::ADMIN_STATUS_UNSPECIFIED, StatusCode::kInternal},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(v1::AdminStatusCode_Name(c.wire));
    service.reply.set_code(c.wire);
    service.reply.set_message("nova said no");
    Status s = actuator->QuarantineImage("img-1");
    EXPECT_EQ(s.code(), c.expected) << s.ToString();
    if (c.wire != v1::ADMIN_STATUS_UNSPECIFIED) {
      EXPECT_EQ(s.message(), "nova said no");
    }
  }
}

// covers: R1.3.30
TEST(BusActuatorTest, GarbageReplyIsInternal) {
  NFVSM_REQUIRE_BROKER(broker);
  const std::string queue = UniqueName("actuator-garbage");
  FakeActuatorService service;
  service.raw_reply = std::string("\xff\xff\xff\x07garbage", 11);
  ASSERT_TRUE(service.Start(broker, queue).ok());
  auto actuator = MakeActuator(broker, queue);
  ASSERT_NE(actuator, nullptr);
  Status s = actuator->QuarantineVnfd("vnfd-1");
  EXPECT_EQ(s.code(), StatusCode::kInternal) << s.ToString();
}

// covers: R1.3.10
TEST(BusActuatorTest, BadOptionsAreRefused) {
  BusActuatorOptions no_queue;
  no_queue.queue.clear();
  EXPECT_EQ(BusActuator::Create(no_queue).status().code(),
            StatusCode::kInvalidArgument);
  BusActuatorOptions no_timeout;
  no_timeout.timeout = Duration::zero();
  EXPECT_EQ(BusActuator::Create(no_timeout).status().code(),
            StatusCode::kInvalidArgument);
}

// ------------------------------------------------------ [actuator] config

// covers: R1.3.10
TEST(ActuatorConfigTest, DefaultIsLogging) {
  auto c = ParseConfig("", "empty");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->actuator, "logging");
  EXPECT_EQ(c->actuator_queue, "nfvsm.actuator");
  EXPECT_EQ(c->actuator_timeout, seconds(120));
}

// covers: R1.3.10
TEST(ActuatorConfigTest, BusDriverWithQueueAndTimeout) {
  auto c = ParseConfig(
      "[actuator]\ndriver = Bus\nqueue = act.q\ntimeout_seconds = 7\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->actuator, "bus");
  EXPECT_EQ(c->actuator_queue, "act.q");
  EXPECT_EQ(c->actuator_timeout, seconds(7));
}

// covers: R1.3.10
TEST(ActuatorConfigTest, DeprecatedNfvsmActuatorStillWorksAndLoses) {
  auto old_key = ParseConfig("[nfvsm]\nactuator = bus\n");
  ASSERT_TRUE(old_key.ok()) << old_key.status().ToString();
  EXPECT_EQ(old_key->actuator, "bus");
  auto both =
      ParseConfig("[nfvsm]\nactuator = bus\n[actuator]\ndriver = logging\n");
  ASSERT_TRUE(both.ok()) << both.status().ToString();
  EXPECT_EQ(both->actuator, "logging");
}

struct BadActuatorConfig {
  std::string name;
  std::string text;
  std::string names;  // what the error must name
};

// covers: R1.3.10
TEST(ActuatorConfigTest, BadValuesNameTheOption) {
  const std::vector<BadActuatorConfig> cases = {
      {"UnknownDriver", "[actuator]\ndriver = openstack\n",
       "[actuator] driver"},
      {"UnknownOldDriver", "[nfvsm]\nactuator = nova\n", "[nfvsm] actuator"},
      {"EmptyQueue", "[actuator]\nqueue =\n", "[actuator] queue"},
      {"ZeroTimeout", "[actuator]\ntimeout_seconds = 0\n",
       "[actuator] timeout_seconds"},
      {"TextTimeout", "[actuator]\ntimeout_seconds = soon\n",
       "[actuator] timeout_seconds"},
      {"UnknownOption", "[actuator]\nendpoint = x\n", "[actuator] endpoint"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    auto parsed = ParseConfig(c.text, "t.conf");
    ASSERT_FALSE(parsed.ok());
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(parsed.status().message().find(c.names), std::string::npos)
        << parsed.status().message();
  }
}

}  // namespace
}  // namespace nfvsm::gateway
