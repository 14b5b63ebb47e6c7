#include "gate_load.h"

#include <barrier>
#include <cstdio>
#include <mutex>
#include <set>
#include <thread>
#include <vector>

#include "nfvsm/amqp/gate_client.h"

namespace nfvsm::bus_load {
namespace {

// Empty when the reply is the SM's allow; otherwise why not.
std::string Problem(const StatusOr<amqp::GateReply>& reply) {
  if (!reply.ok()) return "check: " + reply.status().ToString();
  if (!reply->error.empty()) return "error: " + reply->error;
  if (reply->failed_open) return "failed open";
  if (reply->timed_out) return "timed out (SM silent)";
  if (reply->verdict != Verdict::kAllow) {
    std::string why = "denied:";
    for (const auto& r : reply->reasons) why += " " + r;
    return why;
  }
  if (!reply->policy.has_value() || !reply->policy->boot.vbs_required) {
    return "allowed without the SM's policy";
  }
  return "";
}

struct ClientResult {
  LatencyRecorder samples;
  uint64_t errors = 0;
  std::set<std::string> problems;
};

}  // namespace

StatusOr<Row> RunGateLoad(const GateLoadOptions& options) {
  if (options.concurrency < 1 || options.vnfs < 1) {
    return InvalidArgumentError("concurrency and vnfs must be >= 1");
  }
  const auto n = static_cast<size_t>(options.concurrency);
  std::vector<std::unique_ptr<amqp::GateClient>> clients;
  for (size_t i = 0; i < n; ++i) {
    amqp::GateClientOptions gate_options;
    gate_options.queue = options.queue;
    gate_options.requester = "nfvsm-bus-load@" + std::to_string(i);
    gate_options.default_deadline = std::chrono::seconds(10);
    auto connection = options.connection;
    connection.connection_name = "nfvsm-bus-load-gate-" + std::to_string(i);
    NFVSM_ASSIGN_OR_RETURN(auto client,
                           amqp::GateClient::Open(connection, gate_options));
    clients.push_back(std::move(client));
  }

  std::vector<ClientResult> results(n);
  const uint64_t per_client = std::max<uint64_t>(1, options.requests / n);
  std::mutex time_mutex;
  Clock::time_point start, end;
  // Warm-up (connect, declare reply queues) outside the timed part; the
  // barrier's completion marks the start for every client at once.
  std::barrier sync(static_cast<std::ptrdiff_t>(n),
                    [&]() noexcept { start = Clock::now(); });
  std::vector<std::thread> threads;
  for (size_t i = 0; i < n; ++i) {
    threads.emplace_back([&, i] {
      amqp::HookGateRequestInput in;
      in.kind = amqp::GateCheckKind::kOperation;
      in.request.operation = OperationKind::kInstantiate;
      in.request.vnf_id = options.vnf_prefix +
                          std::to_string(i % static_cast<size_t>(options.vnfs));
      in.request.source = EventSource::kVnfm;
      ClientResult& result = results[i];
      for (uint64_t w = 0; w < options.warmup_per_client; ++w) {
        auto reply = clients[i]->Check(in);
        if (auto p = Problem(reply); !p.empty()) result.problems.insert(p);
      }
      sync.arrive_and_wait();
      for (uint64_t k = 0; k < per_client; ++k) {
        const auto t0 = Clock::now();
        auto reply = clients[i]->Check(in);
        const auto t1 = Clock::now();
        if (auto p = Problem(reply); !p.empty()) {
          ++result.errors;
          if (result.problems.size() < 5) result.problems.insert(p);
        } else {
          result.samples.Add(t1 - t0);
        }
      }
      std::lock_guard lock(time_mutex);
      end = std::max(end, Clock::now());
    });
  }
  for (auto& t : threads) t.join();

  LatencyRecorder all;
  uint64_t errors = 0;
  std::set<std::string> problems;
  for (auto& r : results) {
    all.Merge(r.samples);
    errors += r.errors;
    problems.insert(r.problems.begin(), r.problems.end());
  }
  for (const auto& p : problems) {
    std::fprintf(stderr, "gate c=%d: %s\n", options.concurrency, p.c_str());
  }
  return LatencyRow("gate c=" + std::to_string(options.concurrency), all,
                    errors, end - start);
}

}  // namespace nfvsm::bus_load
