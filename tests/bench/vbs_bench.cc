// VBS handshake throughput on one core (CPU time), next to the bound set by
// its Ed25519 operations, measured in the same run (docs/vbs.md):
//   VBS side:          3 signs (M2, certificate, M4) + 2 verifies (M3, quote)
//   agent + VBS:       5 signs + 5 verifies (agent: M2, M4, certificate
//                      chain) + 1 key generation (the VNF key)
// bound = 1 / (signs * t_sign + verifies * t_verify + keygens * t_keygen);
// fraction_of_bound = achieved / bound (goal >= 2/3). Also: M1 flood cost and
// memory (100,000 M1s against the half-open bound).
#include <benchmark/benchmark.h>
#include <time.h>

#include <cstdio>
#include <cstring>
#include <fstream>
#include <memory>
#include <string>

#include "../core/audit/memory_audit_store.h"
#include "nfvsm/audit.h"
#include "nfvsm/hmee.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/vbs.h"
#include "nfvsm/vbs_agent.h"

namespace nfvsm::vbs {
namespace {

template <typename T>
T Must(StatusOr<T> v) {
  if (!v.ok()) {
    std::fprintf(stderr, "vbs_bench: %s\n", v.status().ToString().c_str());
    std::abort();
  }
  return std::move(v).value();
}

double ThreadCpuSeconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + ts.tv_nsec * 1e-9;
}

// Seconds per Ed25519 operation through the same crypto wrappers the VBS
// uses (OpenSSL EVP), measured on this thread's CPU clock.
struct Ed25519Cost {
  double sign = 0;
  double verify = 0;
  double keygen = 0;
};

Ed25519Cost MeasureEd25519() {
  crypto::SigningKey key = Must(crypto::SigningKey::Generate());
  const std::string message(160, 'm');  // about an M3 signing input
  const std::string signature = Must(key.Sign(message));
  constexpr int kOps = 2000;
  Ed25519Cost c;
  double t0 = ThreadCpuSeconds();
  for (int i = 0; i < kOps; ++i) benchmark::DoNotOptimize(key.Sign(message));
  c.sign = (ThreadCpuSeconds() - t0) / kOps;
  t0 = ThreadCpuSeconds();
  for (int i = 0; i < kOps; ++i) {
    benchmark::DoNotOptimize(key.verifying_key().Verify(message, signature));
  }
  c.verify = (ThreadCpuSeconds() - t0) / kOps;
  t0 = ThreadCpuSeconds();
  for (int i = 0; i < kOps / 4; ++i) {
    benchmark::DoNotOptimize(crypto::SigningKey::Generate());
  }
  c.keygen = (ThreadCpuSeconds() - t0) / (kOps / 4);
  return c;
}

constexpr int kVnfs = 20'000;

// A VBS with one platform and many registered VNFs (each handshake uses a
// fresh VNF, as a scale-out would, so no revocation work distorts it).
struct World {
  explicit World(ServerOptions o = Options()) {
    audit =
        Must(AuditLog::Create(store, Must(AuditKeys::Generate(false)), clock));
    crypto::SigningKey key = Must(crypto::SigningKey::Generate());
    vbs_key = key.PublicKeyRaw();
    auto ca = Must(CertificateAuthority::CreateSelfSigned(
        "bench CA", clock.Now(), std::chrono::hours(24 * 365)));
    server = Must(Server::Create(o, std::move(key), std::move(ca), *audit,
                                 &quarantine, clock));
    hmee = Must(SoftwareHmee::Create(
        Must(crypto::SigningKey::Generate()),
        HmeeProvisioning{vbs_key, o.address, "compute-1", {}}));
    (void)server->RegisterPlatform(
        {"compute-1", QuoteFormat::kSoftwareEd25519, hmee->public_key().Raw()});
    image = Must(crypto::Sha256("image"));
    vnfd = Must(crypto::Sha256("vnfd"));
    for (int i = 0; i < kVnfs; ++i) {
      VnfRegistration r;
      r.vnf_id = "vnf-" + std::to_string(i);
      r.domain = "tenant-a";
      r.image_id = "image";
      r.image_digest = image;
      r.vnfd_id = "vnfd";
      r.vnfd_digest = vnfd;
      r.vnfm_address = "https://vnfm:9890";
      (void)server->RegisterVnf(r);
    }
  }
  static ServerOptions Options() {
    ServerOptions o;
    o.address = "https://vbs.bench:8443";
    return o;
  }
  AgentParams Params(int i) const {
    AgentParams p;
    p.vbs_public_key = vbs_key;
    p.vbs_address = "https://vbs.bench:8443";
    p.vnf_id = "vnf-" + std::to_string(i % kVnfs);
    p.platform_id = "compute-1";
    p.image_digest = image;
    p.vnfd_digest = vnfd;
    return p;
  }

  ManualClock clock;
  nfvsm::testing::MemoryAuditStore store;
  std::unique_ptr<AuditLog> audit;
  QuarantineRegistry quarantine;
  std::unique_ptr<Server> server;
  std::unique_ptr<SoftwareHmee> hmee;
  std::string vbs_key;
  std::string image;
  std::string vnfd;
};

void ReportBound(benchmark::State& state, const Ed25519Cost& c, int signs,
                 int verifies, int keygens) {
  const double per_handshake =
      signs * c.sign + verifies * c.verify + keygens * c.keygen;
  const double bound = 1.0 / per_handshake;
  const double n = static_cast<double>(state.iterations());
  state.counters["handshakes_per_s"] =
      benchmark::Counter(n, benchmark::Counter::kIsRate);
  state.counters["bound_per_s"] = bound;
  state.counters["fraction_of_bound"] =
      benchmark::Counter(n / bound, benchmark::Counter::kIsRate);
  state.counters["sign_us"] = c.sign * 1e6;
  state.counters["verify_us"] = c.verify * 1e6;
  state.counters["keygen_us"] = c.keygen * 1e6;
}

void BM_Ed25519Sign(benchmark::State& state) {
  crypto::SigningKey key = Must(crypto::SigningKey::Generate());
  const std::string message(160, 'm');
  for (auto _ : state) benchmark::DoNotOptimize(key.Sign(message));
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  crypto::SigningKey key = Must(crypto::SigningKey::Generate());
  const std::string message(160, 'm');
  const std::string signature = Must(key.Sign(message));
  for (auto _ : state) {
    benchmark::DoNotOptimize(key.verifying_key().Verify(message, signature));
  }
}
BENCHMARK(BM_Ed25519Verify);

// The VBS's work alone: the agent's steps run with the timers paused.
void BM_VbsHandshakeServerSide(benchmark::State& state) {
  World w;
  const Ed25519Cost cost = MeasureEd25519();
  const RequestContext context{"bench"};
  int i = 0;
  for (auto _ : state) {
    state.PauseTiming();
    auto agent = Must(Agent::Create(w.Params(i++), *w.hmee, w.clock));
    const std::string m1 = Must(agent->MakeStart());
    state.ResumeTiming();
    const std::string m2 = Must(w.server->HandleStart(m1, context));
    state.PauseTiming();
    const std::string m3 = Must(agent->OnStartResponse(m2));
    state.ResumeTiming();
    const std::string m4 = Must(w.server->HandleRegister(m3, context));
    state.PauseTiming();
    benchmark::DoNotOptimize(Must(agent->OnRegisterResponse(m4)));
    state.ResumeTiming();
  }
  ReportBound(state, cost, 3, 2, 0);
}
BENCHMARK(BM_VbsHandshakeServerSide)->Unit(benchmark::kMicrosecond);

// Agent and VBS in one process, on one thread: the whole handshake.
void BM_VbsHandshakeInProcess(benchmark::State& state) {
  World w;
  const Ed25519Cost cost = MeasureEd25519();
  InProcessTransport transport(*w.server, {"bench"});
  int i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(
        Must(Bootstrap(w.Params(i++), *w.hmee, transport, w.clock)));
  }
  ReportBound(state, cost, 5, 5, 1);
}
BENCHMARK(BM_VbsHandshakeInProcess)->Unit(benchmark::kMicrosecond);

// Where a handshake's time goes, besides the signatures.
void BM_CaIssue(benchmark::State& state) {
  ManualClock clock;
  auto ca = Must(CertificateAuthority::CreateSelfSigned(
      "bench CA", clock.Now(), std::chrono::hours(24)));
  const std::string key = Must(crypto::SigningKey::Generate()).PublicKeyRaw();
  for (auto _ : state) {
    benchmark::DoNotOptimize(ca->Issue({"vnf-1", "compute-1", "tenant-a", key},
                                       "nfvsm.local", clock.Now(),
                                       std::chrono::hours(1)));
  }
}
BENCHMARK(BM_CaIssue);

void BM_InspectCertificate(benchmark::State& state) {
  ManualClock clock;
  auto ca = Must(CertificateAuthority::CreateSelfSigned(
      "bench CA", clock.Now(), std::chrono::hours(24)));
  const std::string key = Must(crypto::SigningKey::Generate()).PublicKeyRaw();
  const std::string der =
      Must(ca->Issue({"vnf-1", "compute-1", "tenant-a", key}, "nfvsm.local",
                     clock.Now(), std::chrono::hours(1)))
          .der;
  for (auto _ : state) benchmark::DoNotOptimize(InspectCertificate(der));
}
BENCHMARK(BM_InspectCertificate);

void BM_VerifyingKeyFromRaw(benchmark::State& state) {
  const std::string key = Must(crypto::SigningKey::Generate()).PublicKeyRaw();
  for (auto _ : state) {
    benchmark::DoNotOptimize(crypto::VerifyingKey::FromRaw(key));
  }
}
BENCHMARK(BM_VerifyingKeyFromRaw);

void BM_AuditAppend(benchmark::State& state) {
  ManualClock clock;
  nfvsm::testing::MemoryAuditStore store;
  auto audit =
      Must(AuditLog::Create(store, Must(AuditKeys::Generate(false)), clock));
  const std::string body =
      R"({"outcome":"accepted","platform_id":"compute-1","retrieved":false,)"
      R"("serial":"4F2A0B9C8D7E6F5A4B3C2D1E0F9A8B7C","source":"bench"})";
  for (auto _ : state) {
    benchmark::DoNotOptimize(audit->Append(
        "vbs|domain:tenant-a", "vbs.handshake.accepted", "vbs", "vnf-1", body));
  }
}
BENCHMARK(BM_AuditAppend);

size_t ResidentBytes() {
  std::ifstream statm("/proc/self/statm");
  size_t pages = 0;
  size_t resident = 0;
  statm >> pages >> resident;
  return resident * static_cast<size_t>(sysconf(_SC_PAGESIZE));
}

// 100,000 M1s (each answered with a signed M2) against the default bounds
// (10,000 half-open sessions, 64 per platform, 20,000 remembered N1s),
// spread over 200 platforms: throughput, and how much memory the flood
// leaves behind.
void BM_VbsM1Flood(benchmark::State& state) {
  World w;
  for (int p = 0; p < 200; ++p) {
    (void)w.server->RegisterPlatform({"flood-" + std::to_string(p),
                                      QuoteFormat::kSoftwareEd25519,
                                      w.hmee->public_key().Raw()});
  }
  const size_t rss_before = ResidentBytes();
  const RequestContext context{"flood"};
  std::string n1(kNonceBytes, '\0');
  uint64_t i = 0;
  for (auto _ : state) {
    std::memcpy(n1.data(), &i, sizeof(i));
    const std::string m1 =
        Encode(StartMessage{n1, "vnf-1", "flood-" + std::to_string(i % 200)});
    ++i;
    benchmark::DoNotOptimize(w.server->HandleStart(m1, context));
  }
  const ServerStats stats = w.server->Stats();
  state.counters["m1_per_s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["half_open"] = static_cast<double>(stats.half_open_sessions);
  state.counters["evicted"] = static_cast<double>(stats.sessions_evicted);
  state.counters["rss_growth_MiB"] =
      static_cast<double>(ResidentBytes() - rss_before) / (1 << 20);
}
BENCHMARK(BM_VbsM1Flood)->Iterations(100'000)->Unit(benchmark::kMicrosecond);

}  // namespace
}  // namespace nfvsm::vbs

BENCHMARK_MAIN();
