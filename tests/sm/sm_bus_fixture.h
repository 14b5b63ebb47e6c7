// Test helper for the reference SM against a real broker: one SM channel's
// topology (declared by the test with the broker's admin user, in the
// default vhost, with names unique to the test, since the gateway that
// normally provisions it is not needed here), a channel file pointing at
// it, the gateway's side (core's SignEnvelope / OpenEnvelope through
// nfvsm_amqp) and nfvsm-sm run as a real process.
#ifndef NFVSM_TESTS_SM_SM_BUS_FIXTURE_H_
#define NFVSM_TESTS_SM_SM_BUS_FIXTURE_H_

#include <gtest/gtest.h>
#include <sys/types.h>

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/wire.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::refsm::testing {

// A child process with stdout and stderr captured in files.
class ChildProcess {
 public:
  static std::unique_ptr<ChildProcess> Start(
      const std::vector<std::string>& argv, const std::string& out_dir);
  ~ChildProcess();
  pid_t pid() const { return pid_; }
  void Signal(int sig);
  // Exit code, or nullopt if still running after `timeout`. -1 if killed.
  std::optional<int> Wait(std::chrono::milliseconds timeout);
  std::string Stdout() const;
  std::string Stderr() const;

 private:
  pid_t pid_ = -1;
  std::optional<int> exit_code_;
  std::string stdout_path_;
  std::string stderr_path_;
};

class SmChannelTest : public ::testing::Test {
 protected:
  static constexpr char kSmId[] = "sm-test";
  static constexpr char kGatewayId[] = "mano";

  void SetUp() override;
  void TearDown() override;

  // MANO -> SM: an envelope signed by core, published to from-mano/sm.
  void PublishToSm(const std::string& message_type, const std::string& payload,
                   const std::string& correlation_id,
                   std::optional<int64_t> deadline_us = std::nullopt);
  void PublishRawToSm(const std::string& body);
  // SM -> MANO: the next message in mano-inbox, opened with core's
  // OpenEnvelope and the SM's key; nullopt if none arrives in time.
  std::optional<wire::Envelope> NextFromSm(std::chrono::milliseconds timeout);

  std::vector<std::string> SmArgs(const std::string& command) const;
  std::string ReadFile(const std::string& path) const;

  bool skipped_ = false;
  std::string dir_;
  std::string key_file_;
  std::string channel_file_;
  std::string from_mano_, from_sm_, sm_inbox_, mano_inbox_;
  std::unique_ptr<amqp::Connection> admin_;
  std::optional<crypto::SigningKey> gateway_key_;
  std::optional<crypto::VerifyingKey> sm_key_;
  wire::ReplayWindow window_;
  uint64_t sequence_ = 0;
  std::optional<std::string> consumer_tag_;
};

}  // namespace nfvsm::refsm::testing

#endif  // NFVSM_TESTS_SM_SM_BUS_FIXTURE_H_
