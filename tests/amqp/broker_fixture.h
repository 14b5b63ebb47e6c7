// Test helper: a private RabbitMQ node for the tests of one binary.
//
// The node comes from scripts/lib/rabbitmq.sh. When CTest runs the bus
// tests it starts one node for all of them (fixture "amqp_broker") and
// passes its env file in NFVSM_TEST_BROKER_ENV; a test binary run by hand
// starts its own node on first use (a few seconds), shared by its tests,
// and stops it when the binary exits. The script's watchdog stops that
// node even if the binary crashes.
//
// Tests call RequireBroker() and skip (GTEST_SKIP) only when
// rabbitmq-server is not installed; a node that is installed but does not
// start is a test failure.
#ifndef NFVSM_TESTS_AMQP_BROKER_FIXTURE_H_
#define NFVSM_TESTS_AMQP_BROKER_FIXTURE_H_

#include <cstdint>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp::testing {

struct BrokerInfo {
  std::string dir;
  std::string node;
  uint16_t port = 0;
  uint16_t tls_port = 0;
  std::string user;
  std::string password;
  std::string transport_url;
  std::string tls_ca;
  std::string tls_client_cert;
  std::string tls_client_key;
};

// True when rabbitmq-server is installed on this machine.
bool RabbitMqInstalled();

// The node for this binary, started on first use. kUnavailable (with the
// script's output) when it cannot be started.
StatusOr<BrokerInfo> TestBroker();

// rabbitmqctl against the node: RabbitCtl({"stop_app"}). Returns stdout,
// or kInternal with the exit status and output.
StatusOr<std::string> RabbitCtl(const std::vector<std::string>& args);

// Connection options for the node's plain AMQP port.
ConnectionOptions BrokerOptions(const BrokerInfo& broker);

// A queue or exchange name unique to the running test and process.
std::string UniqueName(const std::string& stem);

// Runs a command with /bin/sh, returning its exit status and output.
struct CommandResult {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};
CommandResult RunCommand(const std::string& command);

}  // namespace nfvsm::amqp::testing

// Skips the test when rabbitmq-server is not installed, fails it when the
// node cannot be started, and otherwise declares `broker` (a BrokerInfo).
#define NFVSM_REQUIRE_BROKER(broker)                                       \
  if (!::nfvsm::amqp::testing::RabbitMqInstalled()) {                      \
    GTEST_SKIP() << "rabbitmq-server is not installed "                    \
                    "(apt-get install rabbitmq-server); bus test skipped"; \
  }                                                                        \
  auto broker##_or = ::nfvsm::amqp::testing::TestBroker();                 \
  ASSERT_TRUE(broker##_or.ok()) << broker##_or.status().ToString();        \
  const ::nfvsm::amqp::testing::BrokerInfo broker = broker##_or.value()

#endif  // NFVSM_TESTS_AMQP_BROKER_FIXTURE_H_
