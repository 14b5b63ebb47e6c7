// Helpers shared by the gateway's broker tests: OpenStack-style
// notification bodies, polling, queue inspection, and the real programs
// (nfvsm-gateway, nfvsm-admin, nfvsm-sm) run as child processes against
// a temporary work directory.
//
// Thread safety: none of these classes is synchronized; use each from the
// test's thread. Ownership: ChildProcess owns its process and kills it
// (SIGKILL) when destroyed; GatewayWorkdir owns its directory only when
// the test asks it to remove it (RemoveAll). Failures are Status values
// whose messages carry the programs' output, for the test to print.
#ifndef NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
#define NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_

#include <sys/types.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "logging_actuator.h"
#include "nfvsm/amqp/connection.h"
#include "nfvsm/engine.h"
#include "nfvsm/status.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::gateway::testing {

// How long a program gets to start or stop.
inline constexpr std::chrono::seconds kProcessWait{60};

// An oslo.messaging 2.0 envelope of a Nova versioned notification about
// one instance, as the messagingv2 driver writes it.
std::string NovaNotification(const std::string& message_id,
                             const std::string& event_type,
                             const std::string& instance_uuid);

// Publishes `body` on an OpenStack exchange as oslo does (topic exchange,
// routing key versioned_notifications.info), with a publisher confirm.
Status PublishNotification(amqp::Connection& c, const std::string& exchange,
                           const std::string& body);

// Polls `done` every 50 ms until it is true or `timeout` passes.
bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds timeout);

// Messages ready + unacknowledged in a queue, from rabbitmqctl. `vhost`
// empty: the default vhost.
struct QueueCounts {
  int64_t ready = -1;
  int64_t unacked = -1;
};
StatusOr<QueueCounts> CountMessages(const std::string& queue,
                                    const std::string& vhost = "");

// The whole file ("" when it cannot be read).
std::string ReadFile(const std::filesystem::path& p);

// A program run with execv, stdout and stderr appended to one file.
class ChildProcess {
 public:
  ChildProcess(const std::vector<std::string>& argv,
               const std::filesystem::path& output);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  bool running() const { return pid_ > 0; }
  std::string Output() const { return ReadFile(output_); }

  // Sends `signal` and reaps the process: its exit status, 128 + signal
  // when a signal ended it, -1 when it did not exit within `timeout` (or
  // was not running).
  int Stop(int signal, std::chrono::milliseconds timeout = kProcessWait);

 private:
  pid_t pid_ = -1;
  std::filesystem::path output_;
};

// What the store holds before the daemon first starts (the admin RPC has
// no operation that registers a VNF).
struct WorkdirSeed {
  std::string dir_stem;    // temp directory name stem, made unique
  std::string queue_stem;  // ingest queue name stem, made unique
  std::vector<std::string> domains;
  std::vector<std::pair<std::string, std::string>> vnfs;  // (id, domain)
  std::string actor;  // recorded in the audit of the seeding
};

// A temporary directory with what nfvsm-gateway needs: an audit key, a
// seeded store, and a configuration file for the private broker node
// (own notification exchange, ingest and dead-letter queues, SM channels
// provisioned with the node's rabbitmqctl).
class GatewayWorkdir {
 public:
  Status Create(const amqp::testing::BrokerInfo& broker,
                const WorkdirSeed& seed);

  // The store as the daemon sees it; only while the daemon is stopped
  // for writes (the daemon is the store's only writer).
  StatusOr<std::unique_ptr<Engine>> OpenEngine();

  // Ids of the events in the history of each of `vnfs`, read from the
  // store, and the audit chains verified (problems appended to
  // `audit_problems`). Call after the daemon stopped.
  StatusOr<std::vector<std::string>> HistoryIds(
      const std::vector<std::string>& vnfs,
      std::vector<std::string>* audit_problems);

  // `nfvsm-admin --config-file <config> --actor <actor> <args>`.
  amqp::testing::CommandResult Admin(const std::string& actor,
                                     const std::string& args) const;

  void RemoveAll();

  const amqp::testing::BrokerInfo& broker() const { return broker_; }
  const std::filesystem::path& dir() const { return dir_; }
  const std::string& store() const { return store_; }
  const std::string& config() const { return config_; }
  const std::string& log() const { return log_; }
  const std::string& exchange() const { return exchange_; }
  const std::string& queue() const { return queue_; }
  const std::string& dead_letter_queue() const { return dlq_; }

 private:
  class NullTransport final : public SmTransport {
   public:
    void Notify(const SmId&, const GateRequest&) override {}
    Status Ask(const SmId&, const GateRequest&, TimePoint) override {
      return UnavailableError("offline");
    }
  };

  NullTransport transport_;
  std::unique_ptr<LoggingActuator> actuator_;
  amqp::testing::BrokerInfo broker_;
  std::filesystem::path dir_;
  std::string key_file_, store_, config_, log_;
  std::string exchange_, queue_, dlq_;
};

// The nfvsm-gateway daemon of a work directory. Started again after a
// stop, it appends to the same log file.
class GatewayProcess {
 public:
  explicit GatewayProcess(const GatewayWorkdir& workdir) : workdir_(workdir) {}

  // Starts the daemon and waits until its ingest consumes (a line written
  // after this call). kDeadlineExceeded with the log when it does not.
  Status Start();
  // As ChildProcess::Stop; -1 when not running.
  int Stop(int signal);
  bool running() const { return process_ && process_->running(); }
  std::string Output() const { return process_ ? process_->Output() : ""; }

 private:
  const GatewayWorkdir& workdir_;
  std::unique_ptr<ChildProcess> process_;
};

// A Security Manager as the operator sets one up: a key from
// `nfvsm-sm keygen`, registered and provisioned with `nfvsm-admin sm
// create`, bound with `binding create`; `Serve` runs `nfvsm-sm serve` on
// its channel.
struct SmUnderTest {
  std::string name;  // short, unique in the test
  std::string id;    // unique on the shared broker node
  std::string key_file;
  std::string channel_file;
  std::string events_file;  // --events-out of the next Serve
  std::unique_ptr<ChildProcess> serve;
};

// Keygen, `sm create` (home domain `home_domain`), `binding create --sm
// <id> --domain <domain> <binding_args>`. Checks the channel file the
// gateway wrote (exists, mode 0600, named in the output).
StatusOr<SmUnderTest> AddSm(const GatewayWorkdir& workdir,
                            const std::string& name,
                            const std::string& home_domain,
                            const std::string& domain,
                            const std::string& binding_args);

// `nfvsm-sm serve` with `rules` (a rules file's text), events appended to
// `sm.events_file`; waits until it consumes (a line written after this
// call). Stdio is appended to <dir>/<name>-serve.txt.
Status Serve(const GatewayWorkdir& workdir, const std::string& rules,
             SmUnderTest& sm);

// The SM's vhost and user outlive the daemon on the shared node.
void DeleteSmChannel(const SmUnderTest& sm);

}  // namespace nfvsm::gateway::testing

#endif  // NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
