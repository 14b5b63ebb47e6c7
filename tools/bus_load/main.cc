// nfvsm-bus-load: the bus-level load driver of issue #3, section 8.
//
//   nfvsm-bus-load pingpong --transport-url URL [--requests N]
//   nfvsm-bus-load gate     --transport-url URL --concurrency 1,16,64
//                           [--requests N] [--vnfs K]
//   nfvsm-bus-load seed     --store FILE --hmac-key-file FILE
//   nfvsm-bus-load publish  --transport-url URL --exchange X [--queue Q]
//                           --count N
//   nfvsm-bus-load drain    --transport-url URL --queue Q --expected N
//                           --label L
//   nfvsm-bus-load history  --transport-url URL [--vnfs K] [--expect N]
//
// Measurements print "row|label|count|errors|p50_us|p99_us|per_second"
// lines (latency.h); scripts/bench-bus runs them all against one private
// broker and prints the table. The transport URL may also come from
// NFVSM_TRANSPORT_URL (it holds a password: prefer the environment).
// Exit status: 0 when every measurement ran without errors, 1 when a
// measurement had errors or failed, 2 for a bad command line.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <sstream>

#include "gate_load.h"
#include "ingest_load.h"
#include "latency.h"
#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/transport_url.h"
#include "pingpong.h"

namespace {

using namespace nfvsm::bus_load;  // NOLINT(build/namespaces): program scope
namespace amqp = nfvsm::amqp;

int Fail(const nfvsm::Status& s) {
  std::fprintf(stderr, "nfvsm-bus-load: %s\n", s.ToString().c_str());
  return 1;
}

nfvsm::StatusOr<amqp::ConnectionOptions> Options(const std::string& url) {
  NFVSM_ASSIGN_OR_RETURN(amqp::TransportUrl parsed,
                         amqp::TransportUrl::Parse(url));
  amqp::ConnectionOptions options;
  options.url = std::move(parsed);
  options.connection_name = "nfvsm-bus-load";
  return options;
}

std::vector<int> ParseList(const std::string& csv) {
  std::vector<int> out;
  std::stringstream in(csv);
  std::string item;
  while (std::getline(in, item, ',')) {
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (end == item.c_str() || *end != '\0' || v < 1 || v > 4096) return {};
    out.push_back(static_cast<int>(v));
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"nfvsm-bus-load: load driver of the MANO message bus"};
  app.require_subcommand(1);
  std::string url;
  if (const char* env = std::getenv("NFVSM_TRANSPORT_URL")) url = env;
  auto add_url = [&](CLI::App* sub) {
    sub->add_option("--transport-url", url,
                    "broker (default: $NFVSM_TRANSPORT_URL)");
  };

  PingPongOptions ping;
  auto* ping_cmd = app.add_subcommand("pingpong", "bare rabbitmq-c floor");
  add_url(ping_cmd);
  ping_cmd->add_option("--requests", ping.requests)->capture_default_str();
  ping_cmd->add_option("--warmup", ping.warmup)->capture_default_str();

  GateLoadOptions gate;
  gate.vnf_prefix = kGateVnfPrefix;
  gate.vnfs = 64;
  std::string concurrency = "1,16,64";
  auto* gate_cmd = app.add_subcommand("gate", "gate round trips");
  add_url(gate_cmd);
  gate_cmd->add_option("--concurrency", concurrency, "comma separated")
      ->capture_default_str();
  gate_cmd->add_option("--requests", gate.requests, "per concurrency level")
      ->capture_default_str();
  gate_cmd->add_option("--vnfs", gate.vnfs, "gated VNFs seeded")
      ->capture_default_str();
  gate_cmd->add_option("--queue", gate.queue)->capture_default_str();

  SeedOptions seed;
  auto* seed_cmd = app.add_subcommand("seed", "write bench domains and VNFs");
  seed_cmd->add_option("--store", seed.store_path)->required();
  seed_cmd->add_option("--hmac-key-file", seed.hmac_key_file)->required();
  seed_cmd->add_option("--gate-vnfs", seed.gate_vnfs)->capture_default_str();
  seed_cmd->add_option("--ingest-vnfs", seed.ingest_vnfs)
      ->capture_default_str();

  PublishOptions publish;
  auto* publish_cmd =
      app.add_subcommand("publish", "pre-publish oslo 2.0 notifications");
  add_url(publish_cmd);
  publish_cmd->add_option("--exchange", publish.exchange)->required();
  publish_cmd->add_option("--queue", publish.queue,
                          "declare and bind as nfvsm-gateway does");
  publish_cmd->add_option("--count", publish.count)->required();
  publish_cmd->add_option("--vnfs", publish.vnfs)->capture_default_str();

  DrainOptions drain;
  int drain_timeout_s = 240;
  auto* drain_cmd = app.add_subcommand("drain", "time a queue being emptied");
  add_url(drain_cmd);
  drain_cmd->add_option("--queue", drain.queue)->required();
  drain_cmd->add_option("--expected", drain.expected)->required();
  drain_cmd->add_option("--label", drain.label)->required();
  drain_cmd->add_option("--timeout", drain_timeout_s, "seconds")
      ->capture_default_str();

  HistoryOptions history;
  int64_t expect = -1;
  auto* history_cmd =
      app.add_subcommand("history", "count recorded ingest events");
  add_url(history_cmd);
  history_cmd->add_option("--vnfs", history.vnfs)->capture_default_str();
  history_cmd->add_option("--expect", expect, "exit 1 unless equal");

  CLI11_PARSE(app, argc, argv);

  if (seed_cmd->parsed()) {
    const nfvsm::Status s = Seed(seed);
    return s.ok() ? 0 : Fail(s);
  }
  if (url.empty()) {
    std::fprintf(
        stderr, "nfvsm-bus-load: no --transport-url nor NFVSM_TRANSPORT_URL\n");
    return 2;
  }
  auto options = Options(url);
  if (!options.ok()) return Fail(options.status());

  if (ping_cmd->parsed()) {
    ping.url = options->url;
    auto row = RunPingPong(ping);
    if (!row.ok()) return Fail(row.status());
    PrintRow(*row);
    return row->errors == 0 ? 0 : 1;
  }
  if (gate_cmd->parsed()) {
    const std::vector<int> levels = ParseList(concurrency);
    if (levels.empty()) {
      std::fprintf(stderr, "nfvsm-bus-load: bad --concurrency\n");
      return 2;
    }
    gate.connection = *options;
    int exit_code = 0;
    for (int level : levels) {
      gate.concurrency = level;
      auto row = RunGateLoad(gate);
      if (!row.ok()) return Fail(row.status());
      PrintRow(*row);
      if (row->errors != 0) exit_code = 1;
    }
    return exit_code;
  }
  if (publish_cmd->parsed()) {
    publish.connection = *options;
    const nfvsm::Status s = Publish(publish);
    return s.ok() ? 0 : Fail(s);
  }
  if (drain_cmd->parsed()) {
    drain.connection = *options;
    drain.timeout = std::chrono::seconds(drain_timeout_s);
    auto row = Drain(drain);
    if (!row.ok()) return Fail(row.status());
    PrintRow(*row);
    return row->errors == 0 ? 0 : 1;
  }
  if (history_cmd->parsed()) {
    history.connection = *options;
    auto count = CountHistory(history);
    if (!count.ok()) return Fail(count.status());
    std::printf("history %llu\n", static_cast<unsigned long long>(*count));
    return expect < 0 || static_cast<uint64_t>(expect) == *count ? 0 : 1;
  }
  return 2;
}
