// Audit log throughput: append (plain and encrypted) and verification, over
// a minimal in-memory AuditStore, so the figures are the log's own cost.
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "nfvsm/audit.h"

namespace nfvsm {
namespace {

// Just enough of an AuditStore: records kept in seq order per partition.
class VectorAuditStore : public AuditStore {
 public:
  Status AppendAudit(const AuditRecord& r) override {
    std::lock_guard lock(mu_);
    auto& v = records_[r.partition];
    if (r.seq != v.size() + 1) return AlreadyExistsError("seq");
    v.push_back(r);
    return OkStatus();
  }
  StatusOr<std::vector<AuditRecord>> ReadAudit(const std::string& partition,
                                               uint64_t from_seq,
                                               size_t limit) override {
    std::lock_guard lock(mu_);
    std::vector<AuditRecord> out;
    auto it = records_.find(partition);
    if (it == records_.end() || from_seq == 0) return out;
    const auto& v = it->second;
    for (size_t i = from_seq - 1; i < v.size() && out.size() < limit; ++i) {
      out.push_back(v[i]);
    }
    return out;
  }
  StatusOr<std::vector<std::string>> AuditPartitions() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, v] : records_) out.push_back(name);
    return out;
  }
  Status PutAuditHead(const std::string& partition, const Head& h) override {
    std::lock_guard lock(mu_);
    heads_[partition] = h;
    return OkStatus();
  }
  StatusOr<std::optional<Head>> GetAuditHead(
      const std::string& partition) override {
    std::lock_guard lock(mu_);
    auto it = heads_.find(partition);
    if (it == heads_.end()) return std::optional<Head>();
    return std::optional<Head>(it->second);
  }

 private:
  std::mutex mu_;
  std::map<std::string, std::vector<AuditRecord>> records_;
  std::map<std::string, Head> heads_;
};

// A typical body: an instruction summary of ~200 bytes.
const std::string kBody =
    R"({"instruction":"i-12345","kind":"terminate","vnf_ids":["vnf-fw-1"],)"
    R"("flags":{"quarantine_copy":true,"quarantine_host":true},)"
    R"("steps":["terminate vnf-fw-1","quarantine host compute-1"]})";

const std::string kPartition = PartitionFor("sm-1", "core");

std::unique_ptr<AuditLog> NewLog(AuditStore& store, bool encrypt) {
  auto keys = AuditKeys::Generate(encrypt);
  if (!keys.ok()) std::abort();
  auto log = AuditLog::Create(store, std::move(keys).value(), SystemClock());
  if (!log.ok()) std::abort();
  return std::move(log).value();
}

void BM_AuditAppend(benchmark::State& state) {
  const bool encrypt = state.range(0) != 0;
  VectorAuditStore store;
  auto log = NewLog(store, encrypt);
  for (auto _ : state) {
    auto r = log->Append(kPartition, "instruction.accepted", "sm-1", "i-12345",
                         kBody);
    if (!r.ok()) state.SkipWithError("append failed");
  }
  state.counters["records/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_AuditAppend)->ArgName("encrypted")->Arg(0)->Arg(1);

// A log over `records` records of one partition, built once per
// (records, encrypted) and kept while consecutive benchmarks use it, so
// that repeated runs measure verification rather than setup.
struct FilledLog {
  size_t records = 0;
  bool encrypted = false;
  VectorAuditStore store;
  std::unique_ptr<AuditLog> log;
};

FilledLog* Filled(size_t records, bool encrypt) {
  static std::unique_ptr<FilledLog> filled;
  if (filled && filled->records == records && filled->encrypted == encrypt) {
    return filled.get();
  }
  filled.reset();
  auto f = std::make_unique<FilledLog>();
  f->records = records;
  f->encrypted = encrypt;
  f->log = NewLog(f->store, encrypt);
  for (size_t i = 0; i < records; ++i) {
    if (!f->log
             ->Append(kPartition, "instruction.accepted", "sm-1", "i-12345",
                      kBody)
             .ok()) {
      return nullptr;
    }
  }
  filled = std::move(f);
  return filled.get();
}

void BM_AuditVerify(benchmark::State& state) {
  FilledLog* f =
      Filled(static_cast<size_t>(state.range(0)), state.range(1) != 0);
  if (f == nullptr) {
    state.SkipWithError("append failed");
    return;
  }
  uint64_t checked = 0;
  for (auto _ : state) {
    VerifyReport report = f->log->Verify(kPartition);
    if (!report.ok) state.SkipWithError("verify failed");
    checked += report.records_checked;
  }
  // A rate over CPU time: the single-threaded cost, whatever else the
  // machine is running.
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(checked),
                                                   benchmark::Counter::kIsRate);
}

// The store's share of BM_AuditVerify: the same paging, no checks.
void BM_AuditStoreReadOnly(benchmark::State& state) {
  FilledLog* f = Filled(static_cast<size_t>(state.range(0)), false);
  if (f == nullptr) {
    state.SkipWithError("append failed");
    return;
  }
  uint64_t read = 0;
  for (auto _ : state) {
    for (uint64_t from = 1;;) {
      auto page = f->store.ReadAudit(kPartition, from, 4096);
      if (!page.ok() || page->empty()) break;
      read += page->size();
      from += page->size();
    }
  }
  state.counters["records/s"] = benchmark::Counter(static_cast<double>(read),
                                                   benchmark::Counter::kIsRate);
}
// Registered in this order so the 1M-record log is built twice, not thrice.
BENCHMARK(BM_AuditVerify)
    ->ArgNames({"records", "encrypted"})
    ->Args({1'000'000, 0})
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AuditStoreReadOnly)
    ->ArgName("records")
    ->Arg(1'000'000)
    ->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AuditVerify)
    ->ArgNames({"records", "encrypted"})
    ->Args({1'000'000, 1})
    ->Unit(benchmark::kMillisecond);

}  // namespace
}  // namespace nfvsm

BENCHMARK_MAIN();
