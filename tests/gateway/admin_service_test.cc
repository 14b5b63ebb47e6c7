// The admin RPC's request handling, in-process (the RPC transport is
// covered by DaemonTest and the amqp/ RPC tests).
#include "admin_service.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/null_sink.h>

#include "logging_actuator.h"
#include "nfvsm/engine.h"
#include "nfvsm/v1/admin.pb.h"

namespace nfvsm::gateway {
namespace {

using ::testing::HasSubstr;

class NullTransport final : public SmTransport {
 public:
  void Notify(const SmId&, const GateRequest&) override {}
  Status Ask(const SmId&, const GateRequest&, TimePoint) override {
    return UnavailableError("offline");
  }
};

std::shared_ptr<spdlog::logger> NullLogger() {
  return std::make_shared<spdlog::logger>(
      "null", std::make_shared<spdlog::sinks::null_sink_mt>());
}

class AdminServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto keys = AuditKeys::Generate(false);
    ASSERT_TRUE(keys.ok());
    EngineOptions options;
    options.audit_keys = std::move(keys).value();
    auto engine = Engine::Open(std::move(options), transport_, actuator_);
    ASSERT_TRUE(engine.ok()) << engine.status().ToString();
    engine_ = std::move(engine).value();
    ChannelHooks hooks;
    hooks.provision = [this](const SecurityManager& sm) {
      if (fail_provision_) return UnavailableError("rabbitmqctl down");
      provisioned_.push_back(sm.id);
      return OkStatus();
    };
    hooks.remove = [this](const SmId& id) {
      removed_.push_back(id);
      return OkStatus();
    };
    hooks.channel_file = [](const SmId& id) {
      return "/state/sm/" + id + ".json";
    };
    admin_ = AdminService::Unserved(*engine_, std::move(hooks), NullLogger());
  }

  v1::AdminRequest Request(const std::string& actor = "operator-1") {
    v1::AdminRequest r;
    r.set_actor(actor);
    return r;
  }

  int AuditCount(const std::string& kind, const std::string& actor) {
    auto records =
        engine_->store().ReadAudit(std::string(kManoPartition), 1, 100000);
    EXPECT_TRUE(records.ok());
    int n = 0;
    for (const auto& r : *records) {
      if (r.kind == kind && r.actor == actor) ++n;
    }
    return n;
  }

  NullTransport transport_;
  LoggingActuator actuator_{NullLogger()};
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<AdminService> admin_;
  std::vector<std::string> provisioned_, removed_;
  bool fail_provision_ = false;
};

// covers: R1.1.10, R2.1.110, R2.1.120, R1.3.260
TEST_F(AdminServiceTest, DomainsSmsAndBindingsAreManagedAndAuditedWithActor) {
  auto put_domain = Request();
  put_domain.mutable_put_domain()->set_id("d1");
  put_domain.mutable_put_domain()->set_kind(v1::DOMAIN_KIND_VNF);
  EXPECT_EQ(admin_->Handle(put_domain).code(), v1::ADMIN_STATUS_OK);
  auto put_sec = Request();
  put_sec.mutable_put_domain()->set_id("sec");
  put_sec.mutable_put_domain()->set_kind(v1::DOMAIN_KIND_SECURITY);
  EXPECT_EQ(admin_->Handle(put_sec).code(), v1::ADMIN_STATUS_OK);

  auto put_sm = Request();
  put_sm.mutable_put_sm()->set_id("sm-a");
  put_sm.mutable_put_sm()->set_home_domain("sec");
  v1::AdminReply sm_reply = admin_->Handle(put_sm);
  ASSERT_EQ(sm_reply.code(), v1::ADMIN_STATUS_OK) << sm_reply.message();
  EXPECT_EQ(sm_reply.put_sm().channel_file(), "/state/sm/sm-a.json");
  EXPECT_EQ(provisioned_, std::vector<std::string>{"sm-a"});

  auto bind = Request();
  bind.mutable_put_binding()->set_sm("sm-a");
  bind.mutable_put_binding()->set_domain("d1");
  bind.mutable_put_binding()->set_mode(v1::SM_MODE_FULLY_ACTIVE);
  EXPECT_EQ(admin_->Handle(bind).code(), v1::ADMIN_STATUS_OK);
  ASSERT_TRUE(engine_->bindings().GetBinding("sm-a", "d1").has_value());
  EXPECT_EQ(engine_->bindings().GetBinding("sm-a", "d1")->mode,
            Mode::kFullyActive);

  auto list = Request();
  list.mutable_list()->set_what(v1::ListRequest::WHAT_BINDINGS);
  v1::AdminReply listed = admin_->Handle(list);
  ASSERT_EQ(listed.code(), v1::ADMIN_STATUS_OK);
  ASSERT_EQ(listed.bindings().bindings_size(), 1);
  EXPECT_EQ(listed.bindings().bindings(0).sm(), "sm-a");

  // An SM still bound cannot be removed; its channel stays.
  auto remove_sm = Request();
  remove_sm.mutable_remove_sm()->set_id("sm-a");
  EXPECT_EQ(admin_->Handle(remove_sm).code(),
            v1::ADMIN_STATUS_FAILED_PRECONDITION);
  EXPECT_TRUE(removed_.empty());
  auto unbind = Request();
  unbind.mutable_remove_binding()->set_sm("sm-a");
  unbind.mutable_remove_binding()->set_domain("d1");
  EXPECT_EQ(admin_->Handle(unbind).code(), v1::ADMIN_STATUS_OK);
  EXPECT_EQ(admin_->Handle(remove_sm).code(), v1::ADMIN_STATUS_OK);
  EXPECT_EQ(removed_, std::vector<std::string>{"sm-a"});

  EXPECT_EQ(AuditCount("sm.put", "operator-1"), 1);
  EXPECT_EQ(AuditCount("admin.query", "operator-1"), 1);
  for (const auto& r : engine_->audit().VerifyAll()) EXPECT_TRUE(r.ok);
}

// covers: R2.1.120, R1.3.10/290
TEST_F(AdminServiceTest, FailedProvisioningIsReportedAndRetryable) {
  auto put_sec = Request();
  put_sec.mutable_put_domain()->set_id("sec");
  put_sec.mutable_put_domain()->set_kind(v1::DOMAIN_KIND_SECURITY);
  ASSERT_EQ(admin_->Handle(put_sec).code(), v1::ADMIN_STATUS_OK);
  auto put_sm = Request();
  put_sm.mutable_put_sm()->set_id("sm-b");
  put_sm.mutable_put_sm()->set_home_domain("sec");
  fail_provision_ = true;
  v1::AdminReply failed = admin_->Handle(put_sm);
  EXPECT_EQ(failed.code(), v1::ADMIN_STATUS_UNAVAILABLE);
  EXPECT_THAT(failed.message(), HasSubstr("channel was not provisioned"));
  fail_provision_ = false;
  EXPECT_EQ(admin_->Handle(put_sm).code(), v1::ADMIN_STATUS_OK);
  EXPECT_EQ(provisioned_, std::vector<std::string>{"sm-b"});
}

// covers: R2.1.350, R2.1.360, R1.3.270, R1.3.260
TEST_F(AdminServiceTest, VnfStatusHistoryAndAuditQueries) {
  TrustDomain d;
  d.id = "d1";
  ASSERT_TRUE(engine_->PutDomain(d, "t").ok());
  VnfRecord v;
  v.id = "vnf-1";
  v.domain = "d1";
  ASSERT_TRUE(engine_->PutVnf(v, "t").ok());
  LifecycleEvent e;
  e.id = "ev-1";
  e.kind = EventKind::kModify;
  e.aspect = ModifyAspect::kPowerState;
  e.source = EventSource::kVim;
  e.reason = "power off";
  e.vnf_id = "vnf-1";
  e.occurred_at = FromMicros(1'700'000'000'000'000);
  ASSERT_TRUE(engine_->RecordEvent(e, EventValidation::kObserved).ok());

  auto status = Request();
  status.mutable_vnf_status()->set_vnf_id("vnf-1");
  v1::AdminReply s = admin_->Handle(status);
  ASSERT_EQ(s.code(), v1::ADMIN_STATUS_OK) << s.message();
  EXPECT_EQ(s.vnf().vnf_id(), "vnf-1");
  status.mutable_vnf_status()->set_vnf_id("nope");
  EXPECT_EQ(admin_->Handle(status).code(), v1::ADMIN_STATUS_NOT_FOUND);

  auto history = Request();
  history.mutable_vnf_history()->set_vnf_id("vnf-1");
  v1::AdminReply h = admin_->Handle(history);
  ASSERT_EQ(h.code(), v1::ADMIN_STATUS_OK) << h.message();
  ASSERT_EQ(h.history().events_size(), 1);

  auto verify = Request();
  verify.mutable_audit_verify();
  v1::AdminReply vr = admin_->Handle(verify);
  ASSERT_EQ(vr.code(), v1::ADMIN_STATUS_OK);
  ASSERT_GT(vr.audit_verify().reports_size(), 0);
  for (const auto& r : vr.audit_verify().reports()) EXPECT_TRUE(r.ok());

  auto export_all = Request();
  export_all.mutable_audit_export();
  v1::AdminReply ex = admin_->Handle(export_all);
  ASSERT_EQ(ex.code(), v1::ADMIN_STATUS_OK) << ex.message();
  EXPECT_GT(ex.audit_records().records_size(), 3);
  EXPECT_EQ(AuditCount("admin.query", "operator-1"), 5);
}

// covers: R1.1.10, R2.1.210, R2.1.350, R1.3.260
TEST_F(AdminServiceTest, PutVnfRegistersAVnfOfAKnownDomainOnly) {
  auto put = Request();
  auto* v = put.mutable_put_vnf();
  v->set_vnf_id("vnf-9");
  v->set_domain("tenant-x");
  v->set_image_id("img-9");
  v->set_state(v1::VNF_STATE_PENDING);
  EXPECT_EQ(admin_->Handle(put).code(), v1::ADMIN_STATUS_INVALID_ARGUMENT)
      << "unknown domain";
  auto domain = Request();
  domain.mutable_put_domain()->set_id("tenant-x");
  domain.mutable_put_domain()->set_kind(v1::DOMAIN_KIND_VNF);
  ASSERT_EQ(admin_->Handle(domain).code(), v1::ADMIN_STATUS_OK);
  v1::AdminReply r = admin_->Handle(put);
  ASSERT_EQ(r.code(), v1::ADMIN_STATUS_OK) << r.message();

  auto status = Request();
  status.mutable_vnf_status()->set_vnf_id("vnf-9");
  r = admin_->Handle(status);
  ASSERT_EQ(r.code(), v1::ADMIN_STATUS_OK) << r.message();
  EXPECT_EQ(r.vnf().domain(), "tenant-x");
  EXPECT_EQ(r.vnf().image_id(), "img-9");
  EXPECT_GT(r.vnf().created_at_us(), 0);
  EXPECT_EQ(AuditCount("vnf.put", "operator-1"), 1);
}

// covers: R1.3.260
TEST_F(AdminServiceTest, RequestsWithoutActorOrOperationAreRefusedAndAudited) {
  auto no_actor = Request("");
  no_actor.mutable_list()->set_what(v1::ListRequest::WHAT_DOMAINS);
  EXPECT_EQ(admin_->Handle(no_actor).code(), v1::ADMIN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(AuditCount("admin.request_refused", "-"), 1);
  EXPECT_EQ(admin_->Handle(Request()).code(),
            v1::ADMIN_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(AuditCount("admin.request_refused", "operator-1"), 1);
  auto list = Request();
  list.mutable_list();
  EXPECT_EQ(admin_->Handle(list).code(), v1::ADMIN_STATUS_INVALID_ARGUMENT);
  auto release = Request();
  release.mutable_release_quarantine()->set_target_id("x");
  EXPECT_EQ(admin_->Handle(release).code(), v1::ADMIN_STATUS_INVALID_ARGUMENT);
  release.mutable_release_quarantine()->set_target(v1::QUARANTINE_TARGET_HOST);
  EXPECT_EQ(admin_->Handle(release).code(), v1::ADMIN_STATUS_INVALID_ARGUMENT)
      << "no reason";
  release.mutable_release_quarantine()->set_reason("host replaced");
  EXPECT_EQ(admin_->Handle(release).code(), v1::ADMIN_STATUS_NOT_FOUND);
}

}  // namespace
}  // namespace nfvsm::gateway
