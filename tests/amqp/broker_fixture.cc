#include "tests/amqp/broker_fixture.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

namespace nfvsm::amqp::testing {
namespace {

namespace fs = std::filesystem;

std::string Quote(const std::string& s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

std::string ScriptCommand(const std::string& verb, const std::string& dir) {
  return "bash " + Quote(NFVSM_RABBITMQ_SCRIPT) + " " + verb + " " + Quote(dir);
}

StatusOr<BrokerInfo> ReadEnvFile(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return UnavailableError("no broker env file at " + file.string());
  std::map<std::string, std::string> env;
  std::string line;
  while (std::getline(in, line)) {
    const size_t eq = line.find('=');
    if (eq != std::string::npos) env[line.substr(0, eq)] = line.substr(eq + 1);
  }
  BrokerInfo b;
  b.dir = env["NFVSM_TEST_BROKER_DIR"];
  b.node = env["NFVSM_TEST_RABBIT_NODE"];
  b.user = env["NFVSM_TEST_AMQP_USER"];
  b.password = env["NFVSM_TEST_AMQP_PASSWORD"];
  b.transport_url = env["NFVSM_TEST_TRANSPORT_URL"];
  b.tls_ca = env["NFVSM_TEST_TLS_CA"];
  b.tls_client_cert = env["NFVSM_TEST_TLS_CLIENT_CERT"];
  b.tls_client_key = env["NFVSM_TEST_TLS_CLIENT_KEY"];
  b.port =
      static_cast<uint16_t>(std::atoi(env["NFVSM_TEST_AMQP_PORT"].c_str()));
  b.tls_port =
      static_cast<uint16_t>(std::atoi(env["NFVSM_TEST_AMQPS_PORT"].c_str()));
  if (b.dir.empty() || b.port == 0 || b.transport_url.empty()) {
    return UnavailableError("incomplete broker env file " + file.string());
  }
  return b;
}

struct BrokerState {
  std::mutex mu;
  std::optional<StatusOr<BrokerInfo>> broker;
  std::string owned_dir;  // set when this process started the node
};

BrokerState& State() {
  static auto* const state = new BrokerState;
  return *state;
}

StatusOr<BrokerInfo> StartOwnBroker(BrokerState& state) {
  char tmpl[] = "/tmp/nfvsm-broker-XXXXXX";
  if (mkdtemp(tmpl) == nullptr) return InternalError("mkdtemp failed");
  state.owned_dir = tmpl;
  const CommandResult r =
      RunCommand("NFVSM_RABBITMQ_OWNER_PID=" + std::to_string(getpid()) + " " +
                 ScriptCommand("start", state.owned_dir));
  if (r.exit_code != 0) {
    return UnavailableError("could not start a test RabbitMQ node (exit " +
                            std::to_string(r.exit_code) + "):\n" + r.output);
  }
  return ReadEnvFile(fs::path(state.owned_dir) / "broker.env");
}

// Stops the node this process started once every test has run.
class OwnedBrokerCleanup : public ::testing::Environment {
 public:
  void TearDown() override {
    BrokerState& state = State();
    std::lock_guard<std::mutex> lock(state.mu);
    if (state.owned_dir.empty()) return;
    RunCommand(ScriptCommand("stop", state.owned_dir));
    std::error_code ignored;
    fs::remove_all(state.owned_dir, ignored);
    state.owned_dir.clear();
    state.broker.reset();
  }
};

[[maybe_unused]] ::testing::Environment* const kCleanup =
    ::testing::AddGlobalTestEnvironment(new OwnedBrokerCleanup);

}  // namespace

CommandResult RunCommand(const std::string& command) {
  CommandResult result;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return result;
  std::array<char, 4096> buf;
  size_t n;
  while ((n = fread(buf.data(), 1, buf.size(), pipe)) > 0) {
    result.output.append(buf.data(), n);
  }
  const int status = pclose(pipe);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return result;
}

bool RabbitMqInstalled() {
  static const bool installed =
      RunCommand("bash " + Quote(NFVSM_RABBITMQ_SCRIPT) + " available")
          .exit_code == 0;
  return installed;
}

StatusOr<BrokerInfo> TestBroker() {
  BrokerState& state = State();
  std::lock_guard<std::mutex> lock(state.mu);
  if (!state.broker) {
    const char* shared = std::getenv("NFVSM_TEST_BROKER_ENV");
    if (shared != nullptr && *shared != '\0') {
      state.broker = ReadEnvFile(shared);
    } else {
      state.broker = StartOwnBroker(state);
    }
  }
  return *state.broker;
}

StatusOr<std::string> RabbitCtl(const std::vector<std::string>& args) {
  NFVSM_ASSIGN_OR_RETURN(BrokerInfo broker, TestBroker());
  std::string command = ScriptCommand("ctl", broker.dir);
  for (const std::string& a : args) command += " " + Quote(a);
  const CommandResult r = RunCommand(command);
  if (r.exit_code != 0) {
    return InternalError("rabbitmqctl failed (exit " +
                         std::to_string(r.exit_code) + "): " + r.output);
  }
  return r.output;
}

ConnectionOptions BrokerOptions(const BrokerInfo& broker) {
  ConnectionOptions options;
  options.url = TransportUrl::Parse(broker.transport_url).value();
  options.connection_name = "nfvsm-test";
  options.connect_timeout = std::chrono::seconds(10);
  options.rpc_timeout = std::chrono::seconds(20);
  options.confirm_timeout = std::chrono::seconds(20);
  options.backoff.initial = std::chrono::milliseconds(200);
  options.backoff.max = std::chrono::seconds(2);
  return options;
}

std::string UniqueName(const std::string& stem) {
  const auto* info = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string name = stem;
  if (info != nullptr) {
    name += std::string("-") + info->test_suite_name() + "-" + info->name();
  }
  name += "-" + std::to_string(getpid());
  for (char& c : name) {
    if (c == '/') c = '_';
  }
  return name;
}

}  // namespace nfvsm::amqp::testing
