// Store write throughput: lifecycle events and audit records appended in
// transactions of 1000 (the engine's ingest batches), on a WAL file in
// /tmp, synchronous=NORMAL. Reported as items_per_second.
#include <benchmark/benchmark.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/store.h"

namespace nfvsm {
namespace {

constexpr int kBatch = 1000;

// A store on a fresh file, removed when the benchmark ends.
class BenchStore {
 public:
  explicit BenchStore(bool synchronous_full = false) {
    char pattern[] = "/tmp/nfvsm-store-bench-XXXXXX";
    const char* dir = mkdtemp(pattern);
    if (dir == nullptr) return;
    dir_ = dir;
    SqliteOptions opts;
    opts.synchronous_full = synchronous_full;
    auto opened = OpenSqliteStore(dir_ + "/bench.db", opts);
    if (opened.ok()) store_ = std::move(opened).value();
  }
  ~BenchStore() {
    store_.reset();
    if (!dir_.empty()) std::filesystem::remove_all(dir_);
  }
  Store* get() { return store_.get(); }

 private:
  std::string dir_;
  std::unique_ptr<Store> store_;
};

LifecycleEvent MakeEvent(uint64_t n) {
  LifecycleEvent e;
  e.id = "req-" + std::to_string(n) + "-7f3c2a9e";
  e.kind = EventKind::kCreate;
  e.phase = Phase::kEnd;
  e.source = EventSource::kVnfm;
  e.reason = "instantiate requested by OSS/BSS";
  e.occurred_at = FromMicros(1'700'000'000'000'000 + static_cast<int64_t>(n));
  e.vnf_id = "vnf-" + std::to_string(n % 500);
  e.domain = "dom-" + std::to_string(n % 8);
  e.origin = "tacker.vnf_lcm_op_occs";
  e.package_id = "pkg-2d1f";
  e.vnfd_id = "vnfd-firewall-1.2";
  e.package_checksum = "sha256:9f86d081884c7d659a2feaa0c55ad015";
  e.package_integrity_ok = true;
  e.requestor_id = "oss-" + std::to_string(n % 500);
  e.ns_id = "ns-edge-1";
  e.connectivity = {"net-mgmt", "net-data", "port-4"};
  e.intended_hosts = {"compute-3"};
  e.locations = {"az-1"};
  e.image_id = "img-fw-1.2";
  return e;
}

AuditRecord MakeAudit(uint64_t seq) {
  AuditRecord r;
  r.partition = "sm:sm-1|domain:dom-1";
  r.seq = seq;
  r.at = FromMicros(1'700'000'000'000'000 + static_cast<int64_t>(seq));
  r.kind = "event.delivered";
  r.actor = "mano";
  r.subject = "vnf-" + std::to_string(seq % 500);
  r.body = R"({"event_id":"req-)" + std::to_string(seq) +
           R"(-7f3c2a9e","kind":"create","phase":"end","mode":"fully_active"})";
  r.prev_hash = std::string(32, '\x11');
  r.hash = std::string(32, '\x22');
  r.mac = std::string(32, '\x33');
  return r;
}

void BM_AppendEventBatched(benchmark::State& state) {
  BenchStore bench;
  Store* store = bench.get();
  if (store == nullptr) return state.SkipWithError("cannot open store");
  uint64_t n = 0;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<LifecycleEvent> batch;
    batch.reserve(kBatch);
    for (int i = 0; i < kBatch; ++i) batch.push_back(MakeEvent(n++));
    state.ResumeTiming();
    Status s = store->InTransaction([&]() -> Status {
      for (const auto& e : batch) {
        NFVSM_RETURN_IF_ERROR(store->AppendEvent(e).status());
      }
      return OkStatus();
    });
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_AppendEventBatched)->Unit(benchmark::kMillisecond);

void BM_AppendAuditBatched(benchmark::State& state) {
  BenchStore bench;
  Store* store = bench.get();
  if (store == nullptr) return state.SkipWithError("cannot open store");
  uint64_t seq = 1;
  for (auto _ : state) {
    state.PauseTiming();
    std::vector<AuditRecord> batch;
    batch.reserve(kBatch);
    for (int i = 0; i < kBatch; ++i) batch.push_back(MakeAudit(seq++));
    state.ResumeTiming();
    Status s = store->InTransaction([&]() -> Status {
      for (const auto& r : batch) NFVSM_RETURN_IF_ERROR(store->AppendAudit(r));
      return OkStatus();
    });
    if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations() * kBatch);
}
BENCHMARK(BM_AppendAuditBatched)->Unit(benchmark::kMillisecond);

// One event per transaction: what an unbatched ingest path would cost.
void BM_AppendEventOwnTransaction(benchmark::State& state) {
  BenchStore bench(/*synchronous_full=*/state.range(0) != 0);
  Store* store = bench.get();
  if (store == nullptr) return state.SkipWithError("cannot open store");
  uint64_t n = 0;
  for (auto _ : state) {
    auto r = store->AppendEvent(MakeEvent(n++));
    if (!r.ok()) return state.SkipWithError(r.status().ToString().c_str());
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_AppendEventOwnTransaction)->ArgName("sync_full")->Arg(0)->Arg(1);

// A forensic history query (R2.1.360): one domain's 1000 most recent events
// out of 100k.
void BM_QueryEventsOneDomain(benchmark::State& state) {
  BenchStore bench;
  Store* store = bench.get();
  if (store == nullptr) return state.SkipWithError("cannot open store");
  Status s = store->InTransaction([&]() -> Status {
    for (uint64_t n = 0; n < 100'000; ++n) {
      NFVSM_RETURN_IF_ERROR(store->AppendEvent(MakeEvent(n)).status());
    }
    return OkStatus();
  });
  if (!s.ok()) return state.SkipWithError(s.ToString().c_str());
  EventQuery q;
  q.domains = {"dom-3"};
  q.from = FromMicros(1'700'000'000'000'000 + 90'000);
  q.limit = 1000;
  for (auto _ : state) {
    auto events = store->QueryEvents(q);
    if (!events.ok() || events->size() != 1000) {
      return state.SkipWithError("unexpected query result");
    }
    benchmark::DoNotOptimize(events->data());
  }
  state.SetItemsProcessed(state.iterations() * 1000);
}
BENCHMARK(BM_QueryEventsOneDomain)->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nfvsm

BENCHMARK_MAIN();
