// Event routing cost as the deployment grows: BindingTable::Route alone, and
// the real routing step (VnfInventory::DomainOf, then Route). Each domain
// has 3 bound SMs, all sub-SMs of one unbound CSP master, so every Route
// returns 4 deliveries. The claim under test: the work per event does not
// grow with the number of domains and VNFs (BM_RouteHotDomain); what does
// grow is memory latency once the tables outgrow the caches (BM_Route and
// BM_RoutingStep probe 4096 random domains / VNFs).
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "nfvsm/domain_registry.h"
#include "nfvsm/inventory.h"

namespace nfvsm {
namespace {

constexpr int kSmsPerDomain = 3;
constexpr size_t kProbes = 4096;  // ids cycled through by the timed loop

// A random UUID-shaped id (36 chars), as OpenStack hands them out.
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

void Check(const Status& s) {
  if (!s.ok()) {
    std::fprintf(stderr, "setup failed: %s\n", s.ToString().c_str());
    std::abort();
  }
}

struct Deployment {
  BindingTable table;
  VnfInventory inventory;
  std::vector<DomainId> domain_probes;
  std::vector<VnfId> vnf_probes;
};

// Built once per (domains, vnfs) and kept: setup dwarfs the timed loop.
const Deployment& GetDeployment(int domains, int vnfs) {
  static std::map<std::pair<int, int>, std::unique_ptr<Deployment>> cache;
  auto& slot = cache[{domains, vnfs}];
  if (slot) return *slot;
  slot = std::make_unique<Deployment>();
  Deployment& d = *slot;
  std::mt19937_64 rng(domains * 1'000'003ULL + vnfs);
  SecurityManager master;
  master.id = "csp-master";
  Check(d.table.PutSm(master));
  std::vector<DomainId> ids;
  for (int i = 0; i < domains; ++i) {
    TrustDomain td;
    td.id = "domain-" + Uuid(rng);
    Check(d.table.PutDomain(td));
    ids.push_back(td.id);
    for (int k = 0; k < kSmsPerDomain; ++k) {
      SecurityManager sm;
      sm.id = "sm-" + std::to_string(i) + "-" + std::to_string(k);
      sm.master = master.id;
      Check(d.table.PutSm(sm));
      Binding b;
      b.sm = sm.id;
      b.domain = td.id;
      b.mode = static_cast<Mode>(k % 3);
      Check(d.table.PutBinding(b));
    }
  }
  std::vector<VnfId> vnf_ids;
  vnf_ids.reserve(vnfs);
  for (int i = 0; i < vnfs; ++i) {
    VnfRecord v;
    v.id = Uuid(rng);
    v.domain = ids[i % domains];
    v.host = "compute-" + std::to_string(i % 500);
    v.state = VnfState::kActive;
    Check(d.inventory.Upsert(v));
    vnf_ids.push_back(v.id);
  }
  std::uniform_int_distribution<int> pick_domain(0, domains - 1);
  std::uniform_int_distribution<int> pick_vnf(0, vnfs - 1);
  for (size_t i = 0; i < kProbes; ++i) {
    d.domain_probes.push_back(ids[pick_domain(rng)]);
    d.vnf_probes.push_back(vnf_ids[pick_vnf(rng)]);
  }
  return d;
}

void BM_Route(benchmark::State& state) {
  const Deployment& d = GetDeployment(state.range(0), state.range(1));
  size_t i = 0;
  size_t deliveries = 0;
  for (auto _ : state) {
    auto out =
        d.table.Route(d.domain_probes[i++ % kProbes], EventKind::kCreate);
    deliveries += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["deliveries_per_event"] = benchmark::Counter(
      static_cast<double>(deliveries), benchmark::Counter::kAvgIterations);
}

// One domain over and over: everything stays in cache, so this isolates
// the work Route does from the memory latency BM_Route pays once the table
// outgrows the caches.
void BM_RouteHotDomain(benchmark::State& state) {
  const Deployment& d = GetDeployment(state.range(0), state.range(1));
  const DomainId& domain = d.domain_probes.front();
  for (auto _ : state) {
    auto out = d.table.Route(domain, EventKind::kCreate);
    benchmark::DoNotOptimize(out);
  }
}

// The step the engine runs for every VIM notification: VNF -> domain, then
// the SMs to notify.
void BM_RoutingStep(benchmark::State& state) {
  const Deployment& d = GetDeployment(state.range(0), state.range(1));
  size_t i = 0;
  size_t deliveries = 0;
  for (auto _ : state) {
    auto domain = d.inventory.DomainOf(d.vnf_probes[i++ % kProbes]);
    auto out = d.table.Route(*domain, EventKind::kModify);
    deliveries += out.size();
    benchmark::DoNotOptimize(out);
  }
  state.counters["deliveries_per_event"] = benchmark::Counter(
      static_cast<double>(deliveries), benchmark::Counter::kAvgIterations);
}

void BM_AuthorityOverViaMaster(benchmark::State& state) {
  const Deployment& d = GetDeployment(state.range(0), state.range(1));
  size_t i = 0;
  for (auto _ : state) {
    auto a =
        d.table.AuthorityOver("csp-master", d.domain_probes[i++ % kProbes]);
    benchmark::DoNotOptimize(a);
  }
}

void Sizes(benchmark::internal::Benchmark* b) {
  b->ArgNames({"domains", "vnfs"});
  b->ArgsProduct({{100, 1'000, 10'000}, {1'000, 10'000, 100'000}});
}

BENCHMARK(BM_Route)->Apply(Sizes);
BENCHMARK(BM_RouteHotDomain)->Apply(Sizes);
BENCHMARK(BM_RoutingStep)->Apply(Sizes);
BENCHMARK(BM_AuthorityOverViaMaster)->Apply(Sizes);

}  // namespace
}  // namespace nfvsm

BENCHMARK_MAIN();
