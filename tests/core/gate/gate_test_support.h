// Test support for the gate evaluator: a scriptable in-process transport and
// a fixture with one VNF domain, a security domain and a ManualClock.
#ifndef NFVSM_TESTS_CORE_GATE_GATE_TEST_SUPPORT_H_
#define NFVSM_TESTS_CORE_GATE_GATE_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/gate.h"
#include "nfvsm/inventory.h"
#include "nfvsm/quarantine.h"

namespace nfvsm::gate_test {

// Records every Notify and Ask. Per SM, Ask can hold (default: the test
// answers later through OnAnswer), answer synchronously inside Ask, fail, or
// (both scripted) answer and then report failure.
class FakeTransport : public SmTransport {
 public:
  struct Sent {
    SmId sm;
    std::string gate_id;
    TimePoint deadline{};  // Ask only
  };

  void set_evaluator(GateEvaluator* e) { evaluator_ = e; }

  void AnswerInstantly(const SmId& sm, SmAnswer answer) {
    std::lock_guard lock(mu_);
    answer.sm = sm;
    scripts_[sm].instant = std::move(answer);
  }
  void FailAsk(const SmId& sm, Status error) {
    std::lock_guard lock(mu_);
    scripts_[sm].failure = std::move(error);
  }

  void Notify(const SmId& sm, const GateRequest& req) override {
    std::lock_guard lock(mu_);
    notified_.push_back({sm, req.id, {}});
  }

  Status Ask(const SmId& sm, const GateRequest& req,
             TimePoint deadline) override {
    std::optional<SmAnswer> instant;
    std::optional<Status> failure;
    {
      std::lock_guard lock(mu_);
      asked_.push_back({sm, req.id, deadline});
      auto it = scripts_.find(sm);
      if (it != scripts_.end()) {
        instant = it->second.instant;
        failure = it->second.failure;
      }
    }
    if (instant) {
      // Re-entrant: the answer reaches the evaluator before Ask returns.
      Status s = evaluator_->OnAnswer(req.id, *instant);
      EXPECT_TRUE(s.ok()) << s.ToString();
    }
    if (failure) return *failure;
    return OkStatus();
  }

  std::vector<SmId> AskedIn(const std::string& gate_id) const {
    return Filter(asked_, gate_id);
  }
  std::vector<SmId> NotifiedIn(const std::string& gate_id) const {
    return Filter(notified_, gate_id);
  }
  std::optional<TimePoint> AskDeadline(const std::string& gate_id,
                                       const SmId& sm) const {
    std::lock_guard lock(mu_);
    for (const Sent& s : asked_) {
      if (s.gate_id == gate_id && s.sm == sm) return s.deadline;
    }
    return std::nullopt;
  }
  size_t total_sent() const {
    std::lock_guard lock(mu_);
    return asked_.size() + notified_.size();
  }

 private:
  struct Script {
    std::optional<SmAnswer> instant;
    std::optional<Status> failure;
  };
  std::vector<SmId> Filter(const std::vector<Sent>& v,
                           const std::string& gate_id) const {
    std::lock_guard lock(mu_);
    std::vector<SmId> out;
    for (const Sent& s : v) {
      if (s.gate_id == gate_id) out.push_back(s.sm);
    }
    return out;
  }

  mutable std::mutex mu_;
  GateEvaluator* evaluator_ = nullptr;
  std::map<SmId, Script> scripts_;
  std::vector<Sent> asked_;
  std::vector<Sent> notified_;
};

// Collects decisions and late answers; thread-safe.
class Recorder {
 public:
  GateEvaluator::DoneCallback Callback() {
    return [this](const GateDecision& d) {
      std::lock_guard lock(mu_);
      decisions_[d.gate_id].push_back(d);
    };
  }
  GateEvaluator::LateAnswerHandler LateHandler() {
    return [this](const std::string& gate_id, const SmAnswer& a) {
      std::lock_guard lock(mu_);
      late_.emplace_back(gate_id, a);
    };
  }
  size_t CallsFor(const std::string& gate_id) const {
    std::lock_guard lock(mu_);
    auto it = decisions_.find(gate_id);
    return it == decisions_.end() ? 0 : it->second.size();
  }
  // The single decision of a gate; fails the test if there is not exactly
  // one.
  std::optional<GateDecision> Decision(const std::string& gate_id) const {
    std::lock_guard lock(mu_);
    auto it = decisions_.find(gate_id);
    if (it == decisions_.end() || it->second.size() != 1) {
      ADD_FAILURE() << "gate '" << gate_id << "' has "
                    << (it == decisions_.end() ? 0 : it->second.size())
                    << " decisions, want 1";
      return std::nullopt;
    }
    return it->second.front();
  }
  std::vector<std::pair<std::string, SmAnswer>> late() const {
    std::lock_guard lock(mu_);
    return late_;
  }

 private:
  mutable std::mutex mu_;
  std::map<std::string, std::vector<GateDecision>> decisions_;
  std::vector<std::pair<std::string, SmAnswer>> late_;
};

inline constexpr char kDomain[] = "d1";
inline constexpr char kOtherDomain[] = "d2";
inline constexpr char kSecurityDomain[] = "sec";
inline constexpr char kVnf[] = "vnf-1";
inline constexpr char kOtherVnf[] = "vnf-2";

class GateTest : public ::testing::Test {
 protected:
  GateTest() {
    transport_.set_evaluator(&evaluator_);
    evaluator_.SetLateAnswerHandler(recorder_.LateHandler());
    AddDomain(kDomain, DomainKind::kVnf);
    AddDomain(kOtherDomain, DomainKind::kVnf);
    AddDomain(kSecurityDomain, DomainKind::kSecurity);
    AddVnf(kVnf, kDomain);
    AddVnf(kOtherVnf, kOtherDomain);
  }

  static void Check(const Status& s) { ASSERT_TRUE(s.ok()) << s.ToString(); }

  void AddDomain(const DomainId& id, DomainKind kind) {
    TrustDomain d;
    d.id = id;
    d.kind = kind;
    Check(bindings_.PutDomain(d));
  }

  void AddVnf(const VnfId& id, const DomainId& domain,
              bool needs_policy = false) {
    VnfRecord v;
    v.id = id;
    v.domain = domain;
    v.image_id = "img-" + id;
    v.vnfd_id = "vnfd-" + id;
    v.package_id = "pkg-" + id;
    v.host = "host-" + id;
    v.state = VnfState::kActive;
    v.needs_security_policy = needs_policy;
    Check(inventory_.Upsert(v));
  }

  void AddSm(const SmId& id, std::optional<SmId> master = std::nullopt) {
    SecurityManager sm;
    sm.id = id;
    sm.master = std::move(master);
    sm.home_domain = kSecurityDomain;
    Check(bindings_.PutSm(sm));
  }

  // Binding settings; defaults as in types.h.
  struct BindOptions {
    Duration gate_deadline = std::chrono::seconds(30);
    Duration semi_active_window = Duration(0);
    FailMode fail_mode = FailMode::kClosed;
    DomainId domain = kDomain;
    BindOptions& Deadline(Duration d) {
      gate_deadline = d;
      return *this;
    }
    BindOptions& Window(Duration d) {
      semi_active_window = d;
      return *this;
    }
    BindOptions& Fail(FailMode m) {
      fail_mode = m;
      return *this;
    }
    BindOptions& In(DomainId d) {
      domain = std::move(d);
      return *this;
    }
  };
  static BindOptions Opts() { return BindOptions(); }

  void Bind(const SmId& sm, Mode mode, const BindOptions& o) {
    Binding b;
    b.sm = sm;
    b.domain = o.domain;
    b.mode = mode;
    b.gate_deadline = o.gate_deadline;
    b.semi_active_window = o.semi_active_window;
    b.fail_mode = o.fail_mode;
    Check(bindings_.PutBinding(b));
  }
  void Bind(const SmId& sm, Mode mode) { Bind(sm, mode, Opts()); }
  // Adds the SM and binds it to the options' domain.
  void AddBound(const SmId& sm, Mode mode, const BindOptions& o,
                std::optional<SmId> master = std::nullopt) {
    AddSm(sm, std::move(master));
    Bind(sm, mode, o);
  }
  void AddBound(const SmId& sm, Mode mode) { AddBound(sm, mode, Opts()); }

  static GateRequest Request(const std::string& id,
                             OperationKind op = OperationKind::kHeal,
                             const VnfId& vnf = kVnf) {
    GateRequest r;
    r.id = id;
    r.operation = op;
    r.vnf_id = vnf;
    r.source = EventSource::kVnfm;
    r.reason = "test";
    return r;
  }

  Status Start(GateRequest req) {
    return evaluator_.Start(std::move(req), recorder_.Callback());
  }

  static SmAnswer Allow(const SmId& sm, std::optional<Policy> p = {}) {
    SmAnswer a;
    a.sm = sm;
    a.verdict = Verdict::kAllow;
    a.reason = "ok";
    a.policy = std::move(p);
    return a;
  }
  static SmAnswer Deny(const SmId& sm, std::string reason = "threat") {
    SmAnswer a;
    a.sm = sm;
    a.verdict = Verdict::kDeny;
    a.reason = std::move(reason);
    return a;
  }

  static Policy ZonesPolicy(std::set<std::string> zones) {
    Policy p;
    p.placement.allowed_zones = std::move(zones);
    return p;
  }

  static const SmOutcome* Outcome(const GateDecision& d, const SmId& sm) {
    for (const SmOutcome& o : d.sms) {
      if (o.sm == sm) return &o;
    }
    return nullptr;
  }

  ManualClock clock_;
  BindingTable bindings_;
  VnfInventory inventory_;
  QuarantineRegistry quarantine_;
  FakeTransport transport_;
  Recorder recorder_;
  GateEvaluator evaluator_{bindings_, inventory_, quarantine_, transport_,
                           clock_};
};

}  // namespace nfvsm::gate_test

#endif  // NFVSM_TESTS_CORE_GATE_GATE_TEST_SUPPORT_H_
