#include "nfvsm/engine.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <optional>
#include <set>

#include "nfvsm/crypto.h"

namespace nfvsm {
namespace {

// Answers gate requests from a per-SM script; SMs without one stay silent.
class ScriptedTransport final : public SmTransport {
 public:
  Engine* engine = nullptr;
  std::map<SmId, std::optional<SmAnswer>> answers;
  std::map<SmId, int> notified;
  std::map<SmId, int> asked;

  void Notify(const SmId& sm, const GateRequest&) override { ++notified[sm]; }
  Status Ask(const SmId& sm, const GateRequest& req, TimePoint) override {
    ++asked[sm];
    auto it = answers.find(sm);
    if (it != answers.end() && it->second) {
      SmAnswer a = *it->second;
      a.sm = sm;
      EXPECT_TRUE(engine->OnGateAnswer(req.id, a).ok());
    }
    return OkStatus();
  }
};

class EngineTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("nfvsm-engine-" + std::to_string(::getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    auto keys = AuditKeys::Generate(/*with_encryption=*/true);
    ASSERT_TRUE(keys.ok());
    keys_ = std::make_unique<AuditKeys>(std::move(keys).value());
    Reopen();
  }
  void TearDown() override {
    engine_.reset();
    std::filesystem::remove_all(dir_);
  }

  void Reopen() {
    engine_.reset();
    EngineOptions o;
    o.store_path = (dir_ / "nfvsm.db").string();
    o.audit_keys = keys_->Clone();
    o.clock = &clock_;
    auto e = Engine::Open(std::move(o), transport_, actuator_);
    ASSERT_TRUE(e.ok()) << e.status().ToString();
    engine_ = std::move(e).value();
    transport_.engine = engine_.get();
  }

  // Two domains; csp-master Fully-Active on core and master of tenant-sm,
  // tenant-sm Semi-Active on tenant-a, observer Passive on both.
  void Populate() {
    for (const char* id : {"core", "tenant-a"}) {
      TrustDomain d;
      d.id = id;
      ASSERT_TRUE(engine_->PutDomain(d, "test").ok());
    }
    auto key = crypto::SigningKey::Generate();
    ASSERT_TRUE(key.ok());
    SecurityManager master{"csp-master", key->PublicKeyPem(), std::nullopt, "",
                           ""};
    SecurityManager tenant{"tenant-sm", key->PublicKeyPem(), "csp-master", "",
                           ""};
    SecurityManager observer{"observer", key->PublicKeyPem(), std::nullopt, "",
                             ""};
    for (const auto& sm : {master, tenant, observer}) {
      ASSERT_TRUE(engine_->PutSm(sm, "test").ok());
    }
    ASSERT_TRUE(
        engine_
            ->PutBinding(Bind("csp-master", "core", Mode::kFullyActive), "test")
            .ok());
    ASSERT_TRUE(
        engine_
            ->PutBinding(Bind("tenant-sm", "tenant-a", Mode::kSemiActive),
                         "test")
            .ok());
    ASSERT_TRUE(
        engine_->PutBinding(Bind("observer", "core", Mode::kPassive), "test")
            .ok());
    ASSERT_TRUE(
        engine_
            ->PutBinding(Bind("observer", "tenant-a", Mode::kPassive), "test")
            .ok());
    for (const auto& [id, domain] :
         std::vector<std::pair<std::string, std::string>>{
             {"vnf-1", "core"}, {"vnf-2", "tenant-a"}}) {
      VnfRecord v;
      v.id = id;
      v.domain = domain;
      v.image_id = "img-" + id;
      v.vnfd_id = "vnfd-" + id;
      v.host = "compute-1";
      v.state = VnfState::kActive;
      ASSERT_TRUE(engine_->PutVnf(v, "test").ok());
    }
  }

  // A terminate instruction from `sm` for `vnf` ("compromised"), which
  // quarantines the instance.
  static Instruction Terminate(const std::string& id, const SmId& sm,
                               const VnfId& vnf) {
    Instruction in;
    in.id = id;
    in.sm = sm;
    in.kind = InstructionKind::kTerminate;
    in.reason = "compromised";
    in.vnf_ids = {vnf};
    return in;
  }

  static Binding Bind(const SmId& sm, const DomainId& d, Mode m) {
    Binding b;
    b.sm = sm;
    b.domain = d;
    b.mode = m;
    b.gate_deadline = std::chrono::seconds(5);
    return b;
  }

  LifecycleEvent Event(const std::string& id, const VnfId& vnf) {
    LifecycleEvent e;
    e.id = id;
    e.kind = EventKind::kModify;
    e.phase = Phase::kEnd;
    e.source = EventSource::kVim;
    e.reason = "instance.power_off";
    e.occurred_at = clock_.Now();
    e.vnf_id = vnf;
    e.aspect = ModifyAspect::kPowerState;
    e.details = {{"power_state", "shutdown"}};
    return e;
  }

  std::optional<GateDecision> Gate(const std::string& id, OperationKind op,
                                   const VnfId& vnf) {
    GateRequest r;
    r.id = id;
    r.operation = op;
    r.vnf_id = vnf;
    Status s = engine_->StartGate(
        r, [this, id](const GateDecision& d) { decided_[id] = d; });
    EXPECT_TRUE(s.ok()) << s.ToString();
    return Decided(id);
  }

  std::optional<GateDecision> Decided(const std::string& id) {
    auto it = decided_.find(id);
    if (it == decided_.end()) return std::nullopt;
    return it->second;
  }

  size_t Records(const std::string& partition) {
    auto recs = engine_->store().ReadAudit(partition, 1, 1'000'000);
    EXPECT_TRUE(recs.ok());
    return recs.ok() ? recs->size() : 0;
  }

  std::filesystem::path dir_;
  std::unique_ptr<AuditKeys> keys_;
  ManualClock clock_;
  ScriptedTransport transport_;
  RecordingActuator actuator_;
  std::map<std::string, GateDecision> decided_;  // by gate id
  std::unique_ptr<Engine> engine_;
};

// covers: R1.3.270
TEST_F(EngineTest, RefusesToOpenWithoutAnHmacKey) {
  EngineOptions o;
  o.store_path = (dir_ / "other.db").string();
  auto e = Engine::Open(std::move(o), transport_, actuator_);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.status().code(), StatusCode::kInvalidArgument);
}

// covers: R2.1.110, R2.1.130/140, R1.3.260
TEST_F(EngineTest, KillAndReopenRestoresEverythingAndChainsContinue) {
  Populate();
  Instruction in = Terminate("i-1", "csp-master", "vnf-1");
  in.terminate.quarantine_copy = true;
  in.terminate.quarantine_host = true;
  ASSERT_TRUE(engine_->HandleInstruction(in).ok());
  const size_t mano_before = Records(std::string(kManoPartition));

  Reopen();

  EXPECT_TRUE(engine_->bindings().GetDomain("tenant-a").has_value());
  ASSERT_TRUE(engine_->bindings().GetSm("tenant-sm").has_value());
  EXPECT_EQ(engine_->bindings().GetSm("tenant-sm")->master, "csp-master");
  auto b = engine_->bindings().GetBinding("csp-master", "core");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->mode, Mode::kFullyActive);
  auto v = engine_->inventory().Get("vnf-1");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(v->state, VnfState::kTerminated);
  EXPECT_TRUE(engine_->quarantine().IsQuarantined(
      QuarantineTarget::kVnfInstance, "vnf-1"));
  EXPECT_TRUE(engine_->quarantine().IsQuarantined(QuarantineTarget::kHost,
                                                  "compute-1"));

  // The chain continues from the stored head and still verifies.
  TrustDomain d;
  d.id = "tenant-b";
  ASSERT_TRUE(engine_->PutDomain(d, "test").ok());
  EXPECT_EQ(Records(std::string(kManoPartition)), mano_before + 1);
  for (const auto& report : engine_->audit().VerifyAll()) {
    EXPECT_TRUE(report.ok) << report.partition << ": " << report.problem;
  }
}

// covers: IFA026 4, R2.1.320/330, R2.1.190, R1.3.260
TEST_F(EngineTest, OperatorReleasesOnlyQuarantinesNoBoundSmCanRelease) {
  Populate();
  Instruction in = Terminate("i-1", "csp-master", "vnf-1");
  ASSERT_TRUE(engine_->HandleInstruction(in).ok());
  const auto vnf = QuarantineTarget::kVnfInstance;
  ASSERT_TRUE(engine_->quarantine().IsQuarantined(vnf, "vnf-1"));

  EXPECT_EQ(engine_->ReleaseOrphanedQuarantine(vnf, "vnf-1", "", "op").code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(engine_
                ->ReleaseOrphanedQuarantine(QuarantineTarget::kHost, "nope",
                                            "why", "op")
                .code(),
            StatusCode::kNotFound);
  // csp-master is still bound to the VNF's domain: the release is its own.
  Status denied =
      engine_->ReleaseOrphanedQuarantine(vnf, "vnf-1", "cleanup", "op");
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied);
  EXPECT_NE(denied.message().find("csp-master"), std::string::npos);
  EXPECT_TRUE(engine_->quarantine().IsQuarantined(vnf, "vnf-1"));

  actuator_.Clear();
  const size_t mano_before = Records(std::string(kManoPartition));
  ASSERT_TRUE(engine_->RemoveBinding("csp-master", "core", "op").ok());
  ASSERT_TRUE(
      engine_->ReleaseOrphanedQuarantine(vnf, "vnf-1", "SM retired", "op")
          .ok());
  EXPECT_FALSE(engine_->quarantine().IsQuarantined(vnf, "vnf-1"));
  auto calls = actuator_.calls();
  ASSERT_EQ(calls.size(), 1u);
  EXPECT_EQ(calls[0].method, "ReleaseQuarantine");
  // The binding removal and the release, each audited with the actor.
  auto recs = engine_->store().ReadAudit(std::string(kManoPartition),
                                         mano_before + 1, 10);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[1].kind, "quarantine.released_by_operator");
  EXPECT_EQ((*recs)[1].actor, "op");
  Reopen();
  EXPECT_FALSE(engine_->quarantine().IsQuarantined(vnf, "vnf-1"));
}

// covers: IFA026 4, R2.1.50
TEST_F(EngineTest, OperatorReleaseIsRefusedWhileAMasterIsBound) {
  Populate();
  Instruction in = Terminate("i-2", "tenant-sm", "vnf-2");
  auto outcome = engine_->HandleInstruction(in);
  ASSERT_TRUE(outcome.ok()) << outcome.status().ToString();
  const auto vnf = QuarantineTarget::kVnfInstance;
  ASSERT_TRUE(engine_->quarantine().IsQuarantined(vnf, "vnf-2"));
  // tenant-sm leaves tenant-a, but its master csp-master now watches it.
  ASSERT_TRUE(engine_->RemoveBinding("tenant-sm", "tenant-a", "t").ok());
  ASSERT_TRUE(
      engine_
          ->PutBinding(Bind("csp-master", "tenant-a", Mode::kFullyActive), "t")
          .ok());
  Status denied =
      engine_->ReleaseOrphanedQuarantine(vnf, "vnf-2", "cleanup", "op");
  EXPECT_EQ(denied.code(), StatusCode::kPermissionDenied) << denied.ToString();
  EXPECT_NE(denied.message().find("'csp-master' is bound"), std::string::npos);
  ASSERT_TRUE(engine_->RemoveBinding("csp-master", "tenant-a", "t").ok());
  EXPECT_TRUE(
      engine_->ReleaseOrphanedQuarantine(vnf, "vnf-2", "cleanup", "op").ok());
}

// covers: R1.3.180, R1.3.110, R2.1.50
TEST_F(EngineTest, UngatedActionInAGatedDomainRaisesAnAlertOnce) {
  Populate();
  LifecycleEvent e = Event("ev-on-1", "vnf-2");
  e.origin = "instance.power_on.end";
  auto r = engine_->RecordEvent(e, EventValidation::kObserved);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->alert.has_value());
  EXPECT_EQ(r->alert->kind,
            wire::SecurityAlertKind::kUnauthorizedLifecycleAction);
  EXPECT_EQ(r->alert->operation, OperationKind::kRestart);
  EXPECT_EQ(r->alert->related_id, "ev-on-1");
  // Every SM bound to tenant-a, and the master of one of them.
  std::set<SmId> to(r->alert_recipients.begin(), r->alert_recipients.end());
  EXPECT_EQ(to, (std::set<SmId>{"tenant-sm", "observer", "csp-master"}));
  const size_t audited = Records(PartitionFor("tenant-sm", "tenant-a"));

  // Redelivered: the same alert again for the sender, no second audit.
  auto again = engine_->RecordEvent(e, EventValidation::kObserved);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  ASSERT_TRUE(again->alert.has_value());
  EXPECT_EQ(again->alert->id, r->alert->id);
  EXPECT_EQ(Records(PartitionFor("tenant-sm", "tenant-a")), audited);

  // With an allowed restart gate on record, the next power-on is fine.
  auto d = Gate("g-restart", OperationKind::kRestart, "vnf-2");
  ASSERT_TRUE(d.has_value());
  ASSERT_TRUE(d->allowed);
  LifecycleEvent ok = Event("ev-on-2", "vnf-2");
  ok.origin = "instance.power_on.end";
  auto r2 = engine_->RecordEvent(ok, EventValidation::kObserved);
  ASSERT_TRUE(r2.ok());
  EXPECT_FALSE(r2->alert.has_value());
  // A power-off is no action a gate authorizes.
  LifecycleEvent off = Event("ev-off", "vnf-2");
  off.origin = "instance.power_off.end";
  auto r3 = engine_->RecordEvent(off, EventValidation::kObserved);
  ASSERT_TRUE(r3.ok());
  EXPECT_FALSE(r3->alert.has_value());
}

// covers: IFA026 4, R1.3.180
TEST_F(EngineTest, ActionOnAQuarantinedInstanceIsAViolationAlert) {
  Populate();
  Instruction in = Terminate("i-q", "csp-master", "vnf-1");
  ASSERT_TRUE(engine_->HandleInstruction(in).ok());
  LifecycleEvent e = Event("ev-rebuild", "vnf-1");
  e.origin = "instance.rebuild.end";
  e.aspect = ModifyAspect::kImageVersion;
  e.details.clear();
  auto r = engine_->RecordEvent(e, EventValidation::kObserved);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  ASSERT_TRUE(r->alert.has_value());
  EXPECT_EQ(r->alert->kind,
            wire::SecurityAlertKind::kQuarantineViolationAttempt);
  EXPECT_NE(r->alert->description.find("csp-master"), std::string::npos);
  auto recs =
      engine_->store().ReadAudit(PartitionFor("csp-master", "core"), 1, 1000);
  ASSERT_TRUE(recs.ok());
  EXPECT_EQ(std::count_if(recs->begin(), recs->end(),
                          [](const AuditRecord& a) {
                            return a.kind == "security_alert.raised";
                          }),
            1);
}

// covers: IFA026 4, R2.1.270
TEST_F(EngineTest, QuarantineSurvivesRestartAndVetoesHeal) {
  Populate();
  Instruction in = Terminate("i-1", "csp-master", "vnf-1");
  ASSERT_TRUE(engine_->HandleInstruction(in).ok());
  Reopen();
  auto d = Gate("g-heal", OperationKind::kHeal, "vnf-1");
  ASSERT_TRUE(d.has_value());
  EXPECT_FALSE(d->allowed);
  EXPECT_TRUE(d->quarantine_veto);
  EXPECT_EQ(transport_.asked["csp-master"], 0);
}

// covers: R2.1.80, R2.1.50, 5.3-audit
TEST_F(EngineTest, EventsAreRoutedAndAuditedPerSmAndDomain) {
  Populate();
  auto r =
      engine_->RecordEvent(Event("ev-1", "vnf-2"), EventValidation::kObserved);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  std::set<SmId> to;
  for (const auto& d : r->deliveries) to.insert(d.sm);
  EXPECT_EQ(to, (std::set<SmId>{"csp-master", "observer", "tenant-sm"}));
  // The source named no domain: SMs receive the one the inventory holds.
  EXPECT_EQ(r->event.id, "ev-1");
  EXPECT_EQ(r->event.domain, "tenant-a");
  EXPECT_EQ(Records(PartitionFor("tenant-sm", "tenant-a")), 1u);
  EXPECT_EQ(Records(PartitionFor("observer", "tenant-a")), 1u);
  EXPECT_EQ(Records(PartitionFor("tenant-sm", "core")), 0u);
  // The event changed the inventory (power state).
  EXPECT_EQ(engine_->inventory().Get("vnf-2")->state, VnfState::kStopped);
}

// covers: R2.1.360
TEST_F(EngineTest, RedeliveredEventAddsNoHistoryAndNoAudit) {
  Populate();
  ASSERT_TRUE(
      engine_->RecordEvent(Event("ev-1", "vnf-1"), EventValidation::kObserved)
          .ok());
  const size_t audit_before = Records(PartitionFor("observer", "core"));
  auto again =
      engine_->RecordEvent(Event("ev-1", "vnf-1"), EventValidation::kObserved);
  ASSERT_TRUE(again.ok());
  EXPECT_TRUE(again->duplicate);
  EXPECT_FALSE(again->deliveries.empty());  // the bus may resend
  EXPECT_EQ(Records(PartitionFor("observer", "core")), audit_before);
  EventQuery q;
  auto history = engine_->store().QueryEvents(q);
  ASSERT_TRUE(history.ok());
  EXPECT_EQ(history->size(), 1u);
}

// covers: R2.1.240
TEST_F(EngineTest, InvalidEventIsRejectedWithTheFieldName) {
  Populate();
  LifecycleEvent e = Event("ev-2", "vnf-1");
  e.reason.clear();
  auto r = engine_->RecordEvent(e, EventValidation::kObserved);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(r.status().message().find("reason"), std::string::npos);
}

// covers: R2.1.40, R1.3.30
TEST_F(EngineTest, FullyActiveSilenceDeniesAtTheDeadlineAndIsRecorded) {
  Populate();
  auto d = Gate("g-1", OperationKind::kRestart, "vnf-1");
  EXPECT_FALSE(d.has_value());  // waiting for csp-master
  ASSERT_TRUE(engine_->NextGateDeadline().has_value());
  clock_.Advance(std::chrono::seconds(6));
  EXPECT_EQ(engine_->ExpireGates(), 1u);
  auto decided = Decided("g-1");
  ASSERT_TRUE(decided.has_value());
  EXPECT_FALSE(decided->allowed);
  auto gates =
      engine_->store().QueryGates("vnf-1", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(gates.ok());
  ASSERT_EQ(gates->size(), 1u);
  EXPECT_FALSE((*gates)[0].allowed);
  EXPECT_EQ(Records(PartitionFor("csp-master", "core")), 1u);
}

// covers: R2.1.40, SEC024 5.2
TEST_F(EngineTest, FullyActiveAllowIsPersistedWithPolicy) {
  Populate();
  SmAnswer allow;
  allow.verdict = Verdict::kAllow;
  allow.reason = "ok";
  Policy p;
  p.placement.allowed_zones = {"zone-a"};
  allow.policy = p;
  transport_.answers["csp-master"] = allow;
  auto d = Gate("g-2", OperationKind::kScaleOut, "vnf-1");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->allowed);
  EXPECT_EQ(d->effective_policy.placement.allowed_zones,
            std::set<std::string>{"zone-a"});
  auto gates =
      engine_->store().QueryGates("vnf-1", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(gates.ok());
  ASSERT_EQ(gates->size(), 1u);
  EXPECT_TRUE((*gates)[0].allowed);
  EXPECT_NE((*gates)[0].detail_json.find("zone-a"), std::string::npos);
}

// covers: R2.1.30
TEST_F(EngineTest, LateSemiActiveDenyIsAuditedButChangesNothing) {
  Populate();
  auto d = Gate("g-3", OperationKind::kModify, "vnf-2");
  ASSERT_TRUE(d.has_value());
  EXPECT_TRUE(d->allowed);  // window 0: not waited for
  const size_t before = Records(PartitionFor("tenant-sm", "tenant-a"));
  SmAnswer deny;
  deny.sm = "tenant-sm";
  deny.verdict = Verdict::kDeny;
  deny.reason = "too late";
  EXPECT_FALSE(engine_->OnGateAnswer("g-3", deny).ok());
  EXPECT_EQ(Records(PartitionFor("tenant-sm", "tenant-a")), before + 1);
  auto gates =
      engine_->store().QueryGates("vnf-2", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(gates.ok());
  ASSERT_EQ(gates->size(), 1u);
  EXPECT_TRUE((*gates)[0].allowed);
}

// covers: R2.1.90, R2.1.20, R1.3.180
TEST_F(EngineTest, RefusedInstructionsAreAuditedAndChangeNothing) {
  Populate();
  Instruction cross;
  cross.id = "i-cross";
  cross.sm = "tenant-sm";
  cross.kind = InstructionKind::kTerminate;
  cross.reason = "try";
  cross.vnf_ids = {"vnf-1"};
  auto r = engine_->HandleInstruction(cross);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.status().code(), StatusCode::kPermissionDenied);

  Instruction passive = cross;
  passive.id = "i-passive";
  passive.sm = "observer";
  auto p = engine_->HandleInstruction(passive);
  ASSERT_FALSE(p.ok());
  EXPECT_EQ(p.status().code(), StatusCode::kPermissionDenied);

  EXPECT_TRUE(actuator_.calls().empty());
  EXPECT_EQ(engine_->inventory().Get("vnf-1")->state, VnfState::kActive);
  // The passive refusal is in the observer's own partition for core; the
  // cross-domain one has no partition of tenant-sm's there, so MANO's.
  auto obs =
      engine_->store().ReadAudit(PartitionFor("observer", "core"), 1, 100);
  ASSERT_TRUE(obs.ok());
  ASSERT_FALSE(obs->empty());
  EXPECT_EQ(obs->back().kind, "instruction.refused");
  auto mano = engine_->store().ReadAudit(std::string(kManoPartition), 1, 1000);
  ASSERT_TRUE(mano.ok());
  EXPECT_EQ(mano->back().kind, "instruction.refused");
  EXPECT_EQ(mano->back().actor, "tenant-sm");
}

// covers: R2.1.50, R2.1.270
TEST_F(EngineTest, MasterTerminatesInSubSmDomainAndItIsAudited) {
  Populate();
  Instruction in;
  in.id = "i-m";
  in.sm = "csp-master";
  in.kind = InstructionKind::kTerminate;
  in.reason = "overrule";
  in.vnf_ids = {"vnf-2"};
  auto r = engine_->HandleInstruction(in);
  ASSERT_TRUE(r.ok()) << r.status().ToString();
  EXPECT_TRUE(r->status.ok());
  EXPECT_EQ(engine_->inventory().Get("vnf-2")->state, VnfState::kTerminated);
  auto recs = engine_->store().ReadAudit(PartitionFor("csp-master", "tenant-a"),
                                         1, 100);
  ASSERT_TRUE(recs.ok());
  ASSERT_EQ(recs->size(), 2u);
  EXPECT_EQ((*recs)[0].kind, "instruction.accepted");
  EXPECT_EQ((*recs)[1].kind, "instruction.executed");
}

// covers: R2.1.110
TEST_F(EngineTest, InvalidAdminChangeIsNeitherStoredNorAudited) {
  Populate();
  const size_t before = Records(std::string(kManoPartition));
  Binding b = Bind("nobody", "core", Mode::kPassive);
  EXPECT_FALSE(engine_->PutBinding(b, "test").ok());
  VnfRecord v;
  v.id = "vnf-9";
  v.domain = "nowhere";
  EXPECT_FALSE(engine_->PutVnf(v, "test").ok());
  EXPECT_EQ(Records(std::string(kManoPartition)), before);
  Reopen();
  EXPECT_FALSE(engine_->bindings().GetBinding("nobody", "core").has_value());
  EXPECT_FALSE(engine_->inventory().Get("vnf-9").has_value());
}

}  // namespace
}  // namespace nfvsm
