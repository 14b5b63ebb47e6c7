// VnfInventory at scale: heap bytes per tracked VNF (goal: <= 1 KiB at 1M
// VNFs with 36-char UUID ids), and Get / DomainOf latency. Memory is the
// growth of glibc's in-use heap (mallinfo2().uordblks) and of the resident
// set (/proc/self/statm) across inserting the records; the inputs are built
// one at a time and freed, so the delta is the inventory alone.
#include <benchmark/benchmark.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "nfvsm/inventory.h"

namespace nfvsm {
namespace {

constexpr size_t kProbes = 4096;

std::string Uuid(std::mt19937_64& rng) {
  const uint64_t hi = rng();
  const uint64_t lo = rng();
  char buf[37];
  std::snprintf(buf, sizeof buf, "%08x-%04x-%04x-%04x-%012llx",
                static_cast<unsigned>(hi >> 32),
                static_cast<unsigned>((hi >> 16) & 0xffff),
                static_cast<unsigned>(hi & 0xffff),
                static_cast<unsigned>(lo >> 48),
                static_cast<unsigned long long>(lo & 0xffffffffffffULL));
  return buf;
}

// A record as a real deployment would have it: UUIDs for the instance and
// its OSS/BSS id, a realistic vocabulary of shared values.
VnfRecord RealisticVnf(std::mt19937_64& rng, size_t i) {
  VnfRecord v;
  v.id = Uuid(rng);
  v.requestor_id = Uuid(rng);
  v.ns_id = "ns-" + std::to_string(i % 2'000);
  v.domain = "tenant-" + std::to_string(i % 100);
  v.package_id = "pkg-" + std::to_string(i % 300);
  v.vnfd_id = "vnfd-" + std::to_string(i % 300);
  v.image_id = "img-" + std::to_string(i % 300);
  v.host = "compute-" + std::to_string(i % 5'000) + ".dc1.example.net";
  v.zone = "az-" + std::to_string(i % 20);
  v.state = VnfState::kActive;
  v.created_at = FromMicros(1'700'000'000'000'000 + static_cast<int64_t>(i));
  v.updated_at = v.created_at;
  return v;
}

size_t HeapInUse() { return mallinfo2().uordblks; }

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

void BM_MemoryPerVnf(benchmark::State& state) {
  const auto count = static_cast<size_t>(state.range(0));
  for (auto _ : state) {
    std::mt19937_64 rng(42);
    const size_t heap_before = HeapInUse();
    const size_t rss_before = ResidentBytes();
    auto inv = std::make_unique<VnfInventory>();
    for (size_t i = 0; i < count; ++i) {
      if (!inv->Upsert(RealisticVnf(rng, i)).ok()) std::abort();
    }
    const size_t heap = HeapInUse() - heap_before;
    const size_t rss = ResidentBytes() - rss_before;
    state.counters["heap_bytes_per_vnf"] =
        static_cast<double>(heap) / static_cast<double>(count);
    state.counters["rss_bytes_per_vnf"] =
        static_cast<double>(rss) / static_cast<double>(count);
    state.PauseTiming();
    inv.reset();
    state.ResumeTiming();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_MemoryPerVnf)
    ->Arg(1'000'000)
    ->Iterations(1)
    ->Unit(benchmark::kMillisecond);

struct Filled {
  VnfInventory inventory;
  std::vector<VnfId> probes;
  std::vector<std::string> hosts;  // as many as probes
};

// Built once per size and kept (shared by the benchmarks below).
Filled& GetFilled(size_t count) {
  static std::map<size_t, std::unique_ptr<Filled>> cache;
  auto& slot = cache[count];
  if (slot) return *slot;
  slot = std::make_unique<Filled>();
  std::mt19937_64 rng(7);
  std::vector<VnfId> ids;
  ids.reserve(count);
  for (size_t i = 0; i < count; ++i) {
    VnfRecord v = RealisticVnf(rng, i);
    ids.push_back(v.id);
    if (!slot->inventory.Upsert(v).ok()) std::abort();
  }
  std::uniform_int_distribution<size_t> pick(0, count - 1);
  for (size_t i = 0; i < kProbes; ++i) {
    slot->probes.push_back(ids[pick(rng)]);
    slot->hosts.push_back("compute-" + std::to_string(i % 5'000) +
                          ".dc1.example.net");
  }
  return *slot;
}

void BM_DomainOf(benchmark::State& state) {
  const Filled& f = GetFilled(static_cast<size_t>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    auto d = f.inventory.DomainOf(f.probes[i++ % kProbes]);
    benchmark::DoNotOptimize(d);
  }
}
BENCHMARK(BM_DomainOf)->Arg(10'000)->Arg(1'000'000);

void BM_Get(benchmark::State& state) {
  const Filled& f = GetFilled(static_cast<size_t>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    auto v = f.inventory.Get(f.probes[i++ % kProbes]);
    benchmark::DoNotOptimize(v);
  }
}
BENCHMARK(BM_Get)->Arg(10'000)->Arg(1'000'000);

void BM_SetHost(benchmark::State& state) {
  // Mutates the shared fixture; hosts move within the same vocabulary.
  Filled& f = GetFilled(static_cast<size_t>(state.range(0)));
  size_t i = 0;
  for (auto _ : state) {
    const size_t k = i++ % kProbes;
    if (!f.inventory.SetHost(f.probes[k], f.hosts[k], FromMicros(1)).ok()) {
      std::abort();
    }
  }
}
BENCHMARK(BM_SetHost)->Arg(1'000'000);

}  // namespace
}  // namespace nfvsm

BENCHMARK_MAIN();
