#include "tests/gateway/gateway_test_util.h"

#include <fcntl.h>
#include <signal.h>
#include <spdlog/sinks/null_sink.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "nfvsm/audit.h"

namespace nfvsm::gateway::testing {

namespace fs = std::filesystem;
using amqp::testing::CommandResult;
using amqp::testing::RunCommand;
using amqp::testing::UniqueName;
using nlohmann::json;

namespace {

std::string Quote(const std::string& s) { return "'" + s + "'"; }

size_t FileSize(const fs::path& p) {
  std::error_code ec;
  const auto size = fs::file_size(p, ec);
  return ec ? 0 : size;
}

// Waits for `needle` in `file` beyond its first `offset` bytes.
bool WaitForLine(const fs::path& file, size_t offset,
                 const std::string& needle) {
  return WaitFor(
      [&] { return ReadFile(file).find(needle, offset) != std::string::npos; },
      kProcessWait);
}

}  // namespace

std::string NovaNotification(const std::string& message_id,
                             const std::string& event_type,
                             const std::string& instance_uuid) {
  json inner = {{"message_id", message_id},
                {"publisher_id", "nova-compute:compute-1"},
                {"event_type", event_type},
                {"priority", "INFO"},
                {"timestamp", "2026-11-23 12:00:00.123456"},
                {"payload",
                 {{"nova_object.name", "InstanceActionPayload"},
                  {"nova_object.namespace", "nova"},
                  {"nova_object.version", "1.8"},
                  {"nova_object.data",
                   {{"uuid", instance_uuid},
                    {"host", "compute-1"},
                    {"state", "active"},
                    {"power_state", "running"}}}}},
                {"_context_request_id", "req-" + message_id}};
  return json{{"oslo.version", "2.0"}, {"oslo.message", inner.dump()}}.dump();
}

Status PublishNotification(amqp::Connection& c, const std::string& exchange,
                           const std::string& body) {
  amqp::OutgoingMessage m;
  m.exchange = exchange;
  m.routing_key = "versioned_notifications.info";
  m.body = body;
  m.properties.content_type = "application/json";
  return c.Publish(m);
}

bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

StatusOr<QueueCounts> CountMessages(const std::string& queue,
                                    const std::string& vhost) {
  std::vector<std::string> args = {"list_queues", "-q", "--no-table-headers"};
  if (!vhost.empty()) {
    args.push_back("-p");
    args.push_back(vhost);
  }
  for (const char* column :
       {"name", "messages_ready", "messages_unacknowledged"}) {
    args.push_back(column);
  }
  NFVSM_ASSIGN_OR_RETURN(std::string out, amqp::testing::RabbitCtl(args));
  std::istringstream lines(out);
  std::string name;
  QueueCounts counts;
  while (lines >> name >> counts.ready >> counts.unacked) {
    if (name == queue) return counts;
  }
  return NotFoundError("queue " + queue + " not listed");
}

std::string ReadFile(const fs::path& p) {
  std::ifstream in(p);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

ChildProcess::ChildProcess(const std::vector<std::string>& argv,
                           const fs::path& output)
    : output_(output) {
  // argv is built before fork: the child only calls async-signal-safe
  // functions.
  std::vector<char*> args;
  for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  pid_ = fork();
  if (pid_ == 0) {
    int fd = open(output.c_str(), O_WRONLY | O_CREAT | O_APPEND, 0600);
    dup2(fd, 1);
    dup2(fd, 2);
    execv(args[0], args.data());
    _exit(127);
  }
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

int ChildProcess::Stop(int signal, std::chrono::milliseconds timeout) {
  if (pid_ <= 0) return -1;
  kill(pid_, signal);
  int status = 0;
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      pid_ = -1;
      return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return -1;
}

Status GatewayWorkdir::Create(const amqp::testing::BrokerInfo& broker,
                              const WorkdirSeed& seed) {
  broker_ = broker;
  dir_ = fs::temp_directory_path() / UniqueName(seed.dir_stem);
  std::error_code ec;
  fs::create_directories(dir_ / "state", ec);
  if (ec) return InternalError("cannot create " + dir_.string());
  key_file_ = (dir_ / "audit-hmac.key").string();
  NFVSM_ASSIGN_OR_RETURN(AuditKeys keys, AuditKeys::Generate(false));
  NFVSM_RETURN_IF_ERROR(AuditKeys::WriteKeyFile(key_file_, keys.hmac_key));
  store_ = (dir_ / "state" / "nfvsm.sqlite").string();
  {
    NFVSM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, OpenEngine());
    for (const auto& id : seed.domains) {
      TrustDomain d;
      d.id = id;
      NFVSM_RETURN_IF_ERROR(engine->PutDomain(d, seed.actor));
    }
    for (const auto& [id, domain] : seed.vnfs) {
      VnfRecord v;
      v.id = id;
      v.domain = domain;
      NFVSM_RETURN_IF_ERROR(engine->PutVnf(v, seed.actor));
    }
  }
  exchange_ = UniqueName("nova");
  queue_ = UniqueName(seed.queue_stem);
  dlq_ = queue_ + ".dead";
  log_ = (dir_ / "gateway.log").string();
  config_ = (dir_ / "nfvsm.conf").string();
  std::ofstream conf(config_);
  conf << "[DEFAULT]\ntransport_url = " << broker.transport_url
       << "\n[nfvsm]\nstate_dir = " << (dir_ / "state").string()
       << "\nnotification_exchanges = " << exchange_
       << "\ningest_queue = " << queue_ << "\ndead_letter_queue = " << dlq_
       << "\n[audit]\nhmac_key_file = " << key_file_
       << "\n[sm_channels]\nrabbitmqctl = bash\nrabbitmqctl_args = "
       << NFVSM_RABBITMQ_SCRIPT << " ctl " << broker.dir << "\n";
  conf.close();
  if (!conf) return InternalError("cannot write " + config_);
  return OkStatus();
}

StatusOr<std::unique_ptr<Engine>> GatewayWorkdir::OpenEngine() {
  NFVSM_ASSIGN_OR_RETURN(AuditKeys keys, AuditKeys::Load(key_file_, ""));
  if (!actuator_) {
    actuator_ =
        std::make_unique<LoggingActuator>(std::make_shared<spdlog::logger>(
            "a", std::make_shared<spdlog::sinks::null_sink_mt>()));
  }
  EngineOptions options;
  options.store_path = store_;
  options.audit_keys = std::move(keys);
  return Engine::Open(std::move(options), transport_, *actuator_);
}

StatusOr<std::vector<std::string>> GatewayWorkdir::HistoryIds(
    const std::vector<std::string>& vnfs,
    std::vector<std::string>* audit_problems) {
  NFVSM_ASSIGN_OR_RETURN(std::unique_ptr<Engine> engine, OpenEngine());
  std::vector<std::string> ids;
  for (const auto& vnf : vnfs) {
    EventQuery q;
    q.vnf_id = vnf;
    q.limit = 100'000;
    NFVSM_ASSIGN_OR_RETURN(std::vector<LifecycleEvent> events,
                           engine->store().QueryEvents(q));
    for (const auto& e : events) ids.push_back(e.id);
  }
  for (const auto& report : engine->audit().VerifyAll()) {
    if (!report.ok) {
      audit_problems->push_back(report.partition + ": " + report.problem);
    }
  }
  return ids;
}

CommandResult GatewayWorkdir::Admin(const std::string& actor,
                                    const std::string& args) const {
  return RunCommand(std::string(NFVSM_ADMIN_BINARY) + " --config-file " +
                    Quote(config_) + " --actor " + actor + " " + args);
}

void GatewayWorkdir::RemoveAll() {
  if (dir_.empty()) return;
  std::error_code ec;
  fs::remove_all(dir_, ec);
}

Status GatewayProcess::Start() {
  const fs::path log = workdir_.log();
  const size_t log_before = FileSize(log);
  process_ = std::make_unique<ChildProcess>(
      std::vector<std::string>{NFVSM_GATEWAY_BINARY, "--config-file",
                               workdir_.config(), "--log-file", log.string()},
      workdir_.dir() / "gateway-stdio.txt");
  if (!process_->running()) return InternalError("fork failed");
  if (!WaitForLine(log, log_before, "ingest consuming")) {
    return DeadlineExceededError("nfvsm-gateway did not start consuming:\n" +
                                 ReadFile(log) + process_->Output());
  }
  return OkStatus();
}

int GatewayProcess::Stop(int signal) {
  return process_ ? process_->Stop(signal) : -1;
}

StatusOr<SmUnderTest> AddSm(const GatewayWorkdir& workdir,
                            const std::string& name,
                            const std::string& home_domain,
                            const std::string& domain,
                            const std::string& binding_args) {
  const fs::path& dir = workdir.dir();
  SmUnderTest sm;
  sm.name = name;
  // Unique on the shared node, short enough for the SM id pattern.
  sm.id = "e2e-" + std::to_string(getpid()) + "-" + name;
  sm.key_file = (dir / (name + ".pem")).string();
  sm.events_file = (dir / (name + "-events.jsonl")).string();
  auto keygen = RunCommand(std::string(NFVSM_SM_BINARY) + " keygen --out " +
                           Quote(sm.key_file) + " 2>/dev/null");
  if (keygen.exit_code != 0 ||
      keygen.output.find("BEGIN PUBLIC KEY") == std::string::npos) {
    return InternalError("nfvsm-sm keygen: " + keygen.output);
  }
  const fs::path public_key = dir / (name + ".pub.pem");
  std::ofstream(public_key) << keygen.output;

  auto created = workdir.Admin(
      "e2e-operator", "-f json sm create " + sm.id + " --public-key-file " +
                          Quote(public_key.string()) + " --home-domain " +
                          home_domain);
  if (created.exit_code != 0) {
    return InternalError("nfvsm-admin sm create: " + created.output);
  }
  sm.channel_file = (dir / "state" / "sm" / (sm.id + ".json")).string();
  if (!fs::exists(sm.channel_file) ||
      created.output.find(sm.channel_file) == std::string::npos) {
    return NotFoundError("no channel file " + sm.channel_file + " named in " +
                         created.output);
  }
  if ((fs::status(sm.channel_file).permissions() & fs::perms::all) !=
      (fs::perms::owner_read | fs::perms::owner_write)) {
    return FailedPreconditionError("channel file is not 0600");
  }
  auto bound = workdir.Admin("e2e-operator", "binding create --sm " + sm.id +
                                                 " --domain " + domain + " " +
                                                 binding_args);
  if (bound.exit_code != 0) {
    return InternalError("nfvsm-admin binding create: " + bound.output);
  }
  return sm;
}

Status Serve(const GatewayWorkdir& workdir, const std::string& rules,
             SmUnderTest& sm) {
  const fs::path& dir = workdir.dir();
  const fs::path rules_file = dir / (sm.name + "-rules.json");
  std::ofstream(rules_file) << rules;
  const fs::path output = dir / (sm.name + "-serve.txt");
  const size_t output_before = FileSize(output);
  sm.serve = std::make_unique<ChildProcess>(
      std::vector<std::string>{NFVSM_SM_BINARY, "serve", "--channel-file",
                               sm.channel_file, "--key", sm.key_file, "--rules",
                               rules_file.string(), "--events-out",
                               sm.events_file, "--state-dir", dir.string()},
      output);
  if (!sm.serve->running()) return InternalError("fork failed");
  if (!WaitForLine(output, output_before, "consuming")) {
    return DeadlineExceededError("nfvsm-sm serve did not start consuming:\n" +
                                 sm.serve->Output());
  }
  return OkStatus();
}

void DeleteSmChannel(const SmUnderTest& sm) {
  (void)amqp::testing::RabbitCtl({"delete_vhost", "nfvsm.sm." + sm.id});
  (void)amqp::testing::RabbitCtl({"delete_user", "nfvsm.sm." + sm.id});
}

}  // namespace nfvsm::gateway::testing
