// nfvsm-sm: the reference Security Manager (issue #3, section 6).
//
//   nfvsm-sm keygen --out K.pem
//   nfvsm-sm serve --channel-file F --key K.pem --rules R.json
//                  [--state-dir D] [--events-out FILE]
//   nfvsm-sm send --channel-file F --key K.pem <instruction> [...]
//
// Built only on the published .proto files, OpenSSL, rabbitmq-c,
// nlohmann-json, CLI11 and spdlog: no nfvsm core library (docs/sm.md).
#include <signal.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include "sm/src/channel.h"
#include "sm/src/keys.h"
#include "sm/src/messages.h"
#include "sm/src/rules.h"
#include "sm/src/send.h"
#include "sm/src/sequence.h"
#include "sm/src/serve.h"

namespace {

using namespace nfvsm::refsm;  // NOLINT(build/namespaces): program scope

namespace v1 = nfvsm::v1;

std::atomic<bool> g_stop{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void OnSignal(int) { g_stop.store(true); }

void InstallSignalHandlers() {
  struct sigaction sa {};
  sa.sa_handler = OnSignal;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGTERM, &sa, nullptr);
  sigaction(SIGINT, &sa, nullptr);
}

void SetUpLogging() {
  auto logger = spdlog::stderr_logger_mt("nfvsm-sm");
  // oslo.log's default line: date time pid level name [-] message.
  logger->set_pattern("%Y-%m-%d %H:%M:%S.%e %P %^%L%$ nfvsm-sm [-] %v");
  spdlog::set_default_logger(logger);
}

// Where the sequence state lives: --state-dir, else beside the key.
std::string SequenceFile(const std::string& state_dir,
                         const std::string& key_path,
                         const std::string& sm_id) {
  if (!state_dir.empty()) return state_dir + "/" + sm_id + ".seq";
  return key_path + ".seq";
}

struct Common {
  std::string channel_file;
  std::string key_file;
  std::string state_dir;
  TlsFiles tls;
  bool no_verify = false;
};

void AddCommon(CLI::App* app, Common& c) {
  app->add_option("--channel-file", c.channel_file,
                  "channel file written by the gateway")
      ->required();
  app->add_option("--key", c.key_file, "the SM's Ed25519 private key (PEM)")
      ->required();
  app->add_option("--state-dir", c.state_dir,
                  "where the sequence state file lives (default: beside "
                  "the key)");
  app->add_option("--tls-ca", c.tls.ca_file, "CA file for amqps");
  app->add_option("--tls-cert", c.tls.cert_file, "client certificate");
  app->add_option("--tls-key", c.tls.key_file, "client certificate key");
  app->add_flag("--tls-no-verify", c.no_verify,
                "do not verify the broker's certificate (testing only)");
}

struct Loaded {
  ChannelFile channel;
  PrivateKey key;
};

std::optional<Loaded> Load(const Common& c) {
  Result<ChannelFile> channel = LoadChannelFile(c.channel_file);
  if (!channel.ok()) {
    spdlog::error("channel file: {}", channel.error().ToString());
    return std::nullopt;
  }
  Result<PrivateKey> key = PrivateKey::LoadFile(c.key_file);
  if (!key.ok()) {
    spdlog::error("key: {}", key.error().ToString());
    return std::nullopt;
  }
  return Loaded{std::move(channel).value(), std::move(key).value()};
}

int Keygen(const std::string& out) {
  Result<PrivateKey> key = PrivateKey::Generate();
  if (!key.ok()) {
    spdlog::error("{}", key.error().ToString());
    return 1;
  }
  if (Outcome w = key->WriteNewFile(out); !w.ok()) {
    spdlog::error("{}", w.error().ToString());
    return 1;
  }
  // The public key is what the operator registers with the gateway
  // (SecurityManager.public_key_pem).
  std::cout << key->public_key().pem();
  std::cerr << "key id " << key->public_key().key_id() << ", private key in "
            << out << "\n";
  return 0;
}

int Serve(const Common& c, const std::string& rules_file,
          const std::string& events_out) {
  std::optional<Loaded> loaded = Load(c);
  if (!loaded) return 2;
  Result<Rules> rules = Rules::LoadFile(rules_file);
  if (!rules.ok()) {
    spdlog::error("rules: {}", rules.error().ToString());
    return 2;
  }
  ServeOptions options;
  options.tls = c.tls;
  options.tls.verify = !c.no_verify;
  const std::string seq_file =
      SequenceFile(c.state_dir, c.key_file, loaded->channel.sm_id);
  spdlog::info("serving as {} (key id {}), {} rules", loaded->channel.sm_id,
               loaded->key.public_key().key_id(), rules->size());
  nfvsm::refsm::Server server(std::move(loaded->channel),
                              std::move(loaded->key), std::move(rules).value(),
                              seq_file, events_out, options);
  InstallSignalHandlers();
  return server.Run(g_stop);
}

std::string ReadFile(const std::string& path, bool* ok) {
  std::ifstream in(path);
  std::ostringstream buf;
  buf << in.rdbuf();
  *ok = static_cast<bool>(in);
  return buf.str();
}

}  // namespace

int main(int argc, char** argv) {
  SetUpLogging();
  CLI::App app{"nfvsm-sm: reference Security Manager for the nfvsm bus"};
  app.require_subcommand(1);

  std::string keygen_out;
  CLI::App* keygen = app.add_subcommand("keygen", "create an Ed25519 key");
  keygen->add_option("--out", keygen_out, "private key file to create")
      ->required();

  Common serve_common;
  std::string rules_file, events_out;
  CLI::App* serve = app.add_subcommand("serve", "answer gate requests");
  AddCommon(serve, serve_common);
  serve->add_option("--rules", rules_file, "rules file (JSON)")->required();
  serve->add_option("--events-out", events_out,
                    "append what arrives as JSON lines to this file");

  Common send_common;
  SendOptions send_options;
  std::string reason;
  double timeout_s = 30;
  CLI::App* send = app.add_subcommand("send", "send an instruction");
  AddCommon(send, send_common);
  send->add_option("--timeout", timeout_s, "seconds to wait for the answer");
  send->add_option("--reason", reason, "recorded in MANO's audit log");
  send->require_subcommand(1);

  std::vector<std::string> vnfs, flags;
  std::string host, action, policy_file, domain, target, target_id;
  bool quarantine_host = false;
  int64_t from_us = 0, to_us = 0;
  CLI::App* terminate = send->add_subcommand("terminate", "R2.1.260/270");
  terminate->add_option("--vnf", vnfs, "VNF instance id(s)")
      ->required()
      ->delimiter(',');
  terminate
      ->add_option("--flags", flags,
                   "replacement-allowed,quarantine-copy,recovery-"
                   "allowed,quarantine-image-and-vnfd,quarantine-host,"
                   "terminate-colocated,erase-storage")
      ->delimiter(',');
  CLI::App* stop_host = send->add_subcommand("stop-host", "R2.1.320/330");
  stop_host->add_option("--host", host)->required();
  stop_host->add_option("--action", action, "migrate | terminate")->required();
  stop_host->add_flag("--quarantine", quarantine_host);
  CLI::App* apply = send->add_subcommand("apply-policy", "R2.1.310");
  apply->add_option("--vnf", vnfs)->delimiter(',');
  apply->add_option("--domain", domain);
  apply
      ->add_option("--policy-file", policy_file,
                   "nfvsm.v1.Policy in protobuf JSON")
      ->required();
  CLI::App* release =
      send->add_subcommand("release-quarantine", "lift a quarantine");
  release
      ->add_option("--target", target,
                   "vnf-instance | image | vnfd | package | host")
      ->required();
  release->add_option("--id", target_id)->required();
  CLI::App* status = send->add_subcommand("status", "R2.1.350");
  status->add_option("--vnf", vnfs)->delimiter(',');
  status->add_option("--domain", domain);
  CLI::App* history = send->add_subcommand("history", "R2.1.360");
  history->add_option("--vnf", vnfs)->delimiter(',');
  history->add_option("--domain", domain);
  history->add_option("--from-us", from_us, "start, inclusive (default 0)");
  history->add_option("--to-us", to_us, "end, exclusive (default now)");

  CLI11_PARSE(app, argc, argv);

  if (keygen->parsed()) return Keygen(keygen_out);
  if (serve->parsed()) return Serve(serve_common, rules_file, events_out);

  std::optional<Loaded> loaded = Load(send_common);
  if (!loaded) return kSendUsageError;
  v1::Instruction instruction;
  instruction.set_instruction_id(NewInstructionId(loaded->channel.sm_id));
  instruction.set_reason(reason);
  auto usage = [](const Error& e) {
    spdlog::error("{}", e.ToString());
    return kSendUsageError;
  };
  if (terminate->parsed()) {
    auto* t = instruction.mutable_terminate();
    for (const auto& v : vnfs) t->add_vnf_ids(v);
    Result<v1::TerminateFlags> f = ParseTerminateFlags(flags);
    if (!f.ok()) return usage(f.error());
    *t->mutable_flags() = f.value();
  } else if (stop_host->parsed()) {
    Result<v1::HostAction> a = ParseHostAction(action);
    if (!a.ok()) return usage(a.error());
    auto* s = instruction.mutable_stop_using_host();
    s->set_host(host);
    s->set_action(a.value());
    s->set_quarantine_host(quarantine_host);
  } else if (apply->parsed()) {
    bool read = false;
    const std::string text = ReadFile(policy_file, &read);
    if (!read) return usage(MakeError(Code::kNotFound, policy_file));
    Result<v1::Policy> p = ParsePolicyJson(text);
    if (!p.ok()) return usage(p.error());
    auto* a = instruction.mutable_apply_policy();
    for (const auto& v : vnfs) a->add_vnf_ids(v);
    a->set_domain(domain);
    *a->mutable_policy() = p.value();
  } else if (release->parsed()) {
    Result<v1::QuarantineTarget> t = ParseQuarantineTarget(target);
    if (!t.ok()) return usage(t.error());
    instruction.mutable_release_quarantine()->set_target(t.value());
    instruction.mutable_release_quarantine()->set_target_id(target_id);
  } else if (status->parsed()) {
    auto* q = instruction.mutable_status_query();
    for (const auto& v : vnfs) q->add_vnf_ids(v);
    q->set_domain(domain);
  } else if (history->parsed()) {
    auto* q = instruction.mutable_history_query();
    for (const auto& v : vnfs) q->add_vnf_ids(v);
    q->set_domain(domain);
    q->set_from_us(from_us);
    q->set_to_us(to_us != 0 ? to_us : WallClockMicros());
  }
  send_options.tls = send_common.tls;
  send_options.tls.verify = !send_common.no_verify;
  send_options.timeout_ms = static_cast<int>(timeout_s * 1000);
  SequenceSource sequence(SequenceFile(
      send_common.state_dir, send_common.key_file, loaded->channel.sm_id));
  const SendOutcome outcome = SendInstruction(
      loaded->channel, loaded->key, sequence, instruction, send_options);
  if (!outcome.json.empty()) std::cout << outcome.json << "\n";
  if (!outcome.error.empty()) std::cerr << outcome.error << "\n";
  return outcome.exit_code;
}
