// Gate evaluation in process, Start to callback, with an instant transport
// that allows synchronously inside Ask: the evaluator's own cost (routing,
// quarantine check, bookkeeping, merge), no bus. Goal: <= 5 us with 10
// Fully-Active SMs on the VNF's domain.
#include <benchmark/benchmark.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/gate.h"
#include "nfvsm/inventory.h"
#include "nfvsm/quarantine.h"

namespace nfvsm {
namespace {

class InstantAllowTransport : public SmTransport {
 public:
  void set_evaluator(GateEvaluator* e) { evaluator_ = e; }
  void Notify(const SmId&, const GateRequest&) override {}
  Status Ask(const SmId& sm, const GateRequest& req, TimePoint) override {
    answer_.sm = sm;
    return evaluator_->OnAnswer(req.id, answer_);
  }

 private:
  GateEvaluator* evaluator_ = nullptr;
  SmAnswer answer_ = [] {
    SmAnswer a;
    a.verdict = Verdict::kAllow;
    a.reason = "ok";
    return a;
  }();
};

struct World {
  explicit World(int sms) {
    TrustDomain sec;
    sec.id = "sec";
    sec.kind = DomainKind::kSecurity;
    Must(bindings.PutDomain(sec));
    TrustDomain d1;
    d1.id = "d1";
    Must(bindings.PutDomain(d1));
    for (int i = 0; i < sms; ++i) {
      SecurityManager sm;
      sm.id = "sm-" + std::to_string(i);
      sm.home_domain = "sec";
      Must(bindings.PutSm(sm));
      Binding b;
      b.sm = sm.id;
      b.domain = "d1";
      b.mode = Mode::kFullyActive;
      Must(bindings.PutBinding(b));
    }
    VnfRecord v;
    v.id = "vnf-1";
    v.domain = "d1";
    v.image_id = "img-1";
    v.vnfd_id = "vnfd-1";
    v.package_id = "pkg-1";
    v.host = "host-1";
    Must(inventory.Upsert(v));
    // Some unrelated quarantine entries so Check does real lookups.
    for (int i = 0; i < 100; ++i) {
      QuarantineEntry e;
      e.target = QuarantineTarget::kVnfInstance;
      e.target_id = "old-" + std::to_string(i);
      e.by_sm = "sm-0";
      e.domain = "d1";
      Must(quarantine.Add(e));
    }
    transport.set_evaluator(&evaluator);
  }
  static void Must(const Status& s) {
    if (!s.ok()) throw std::runtime_error(s.ToString());
  }

  ManualClock clock;
  BindingTable bindings;
  VnfInventory inventory;
  QuarantineRegistry quarantine;
  InstantAllowTransport transport;
  GateEvaluator evaluator{bindings, inventory, quarantine, transport, clock};
};

GateRequest MakeRequest(const std::string& vnf) {
  GateRequest r;
  r.id = "gate";
  r.operation = OperationKind::kHeal;
  r.vnf_id = vnf;
  r.source = EventSource::kVnfm;
  r.reason = "bench";
  return r;
}

void BM_GateAllFullyActiveAllow(benchmark::State& state) {
  World w(static_cast<int>(state.range(0)));
  const GateRequest req = MakeRequest("vnf-1");
  bool allowed = false;
  for (auto _ : state) {
    Status s = w.evaluator.Start(
        req, [&allowed](const GateDecision& d) { allowed = d.allowed; });
    benchmark::DoNotOptimize(s);
  }
  if (!allowed || w.evaluator.pending() != 0) {
    state.SkipWithError("gate was not decided allowed");
  }
}
BENCHMARK(BM_GateAllFullyActiveAllow)->Arg(1)->Arg(10)->Arg(100);

void BM_GateQuarantineVeto(benchmark::State& state) {
  World w(10);
  QuarantineEntry e;
  e.target = QuarantineTarget::kVnfInstance;
  e.target_id = "vnf-1";
  e.by_sm = "sm-0";
  e.domain = "d1";
  World::Must(w.quarantine.Add(e));
  const GateRequest req = MakeRequest("vnf-1");
  bool vetoed = false;
  for (auto _ : state) {
    Status s = w.evaluator.Start(
        req, [&vetoed](const GateDecision& d) { vetoed = d.quarantine_veto; });
    benchmark::DoNotOptimize(s);
  }
  if (!vetoed) state.SkipWithError("gate was not vetoed");
}
BENCHMARK(BM_GateQuarantineVeto);

}  // namespace
}  // namespace nfvsm

BENCHMARK_MAIN();
