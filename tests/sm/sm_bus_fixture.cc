#include "tests/sm/sm_bus_fixture.h"

#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

extern char** environ;

namespace nfvsm::refsm::testing {

namespace fs = std::filesystem;

std::unique_ptr<ChildProcess> ChildProcess::Start(
    const std::vector<std::string>& argv, const std::string& out_dir) {
  static int counter = 0;
  auto child = std::unique_ptr<ChildProcess>(new ChildProcess);
  const std::string stem = out_dir + "/child" + std::to_string(++counter);
  child->stdout_path_ = stem + ".out";
  child->stderr_path_ = stem + ".err";
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 1, child->stdout_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  posix_spawn_file_actions_addopen(&actions, 2, child->stderr_path_.c_str(),
                                   O_WRONLY | O_CREAT | O_TRUNC, 0600);
  std::vector<char*> args;
  for (const std::string& a : argv)
    args.push_back(const_cast<char*>(a.c_str()));
  args.push_back(nullptr);
  const int rc = posix_spawn(&child->pid_, args[0], &actions, nullptr,
                             args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    ADD_FAILURE() << "cannot start " << argv[0];
    child->pid_ = -1;
  }
  return child;
}

ChildProcess::~ChildProcess() {
  if (pid_ > 0 && !exit_code_) {
    kill(pid_, SIGKILL);
    waitpid(pid_, nullptr, 0);
  }
}

void ChildProcess::Signal(int sig) {
  if (pid_ > 0 && !exit_code_) kill(pid_, sig);
}

std::optional<int> ChildProcess::Wait(std::chrono::milliseconds timeout) {
  if (exit_code_) return exit_code_;
  if (pid_ <= 0) return -1;
  const auto until = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int status = 0;
    const pid_t r = waitpid(pid_, &status, WNOHANG);
    if (r == pid_) {
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return exit_code_;
    }
    if (std::chrono::steady_clock::now() >= until) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

namespace {
std::string Slurp(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}
}  // namespace

std::string ChildProcess::Stdout() const { return Slurp(stdout_path_); }
std::string ChildProcess::Stderr() const { return Slurp(stderr_path_); }

std::string SmChannelTest::ReadFile(const std::string& path) const {
  return Slurp(path);
}

void SmChannelTest::SetUp() {
  if (!amqp::testing::RabbitMqInstalled()) {
    skipped_ = true;
    GTEST_SKIP() << "rabbitmq-server is not installed; bus test skipped";
  }
  auto broker = amqp::testing::TestBroker();
  ASSERT_TRUE(broker.ok()) << broker.status().ToString();

  char tmpl[] = "/tmp/nfvsm-sm-test-XXXXXX";
  ASSERT_NE(mkdtemp(tmpl), nullptr);
  dir_ = tmpl;
  key_file_ = dir_ + "/sm.pem";
  channel_file_ = dir_ + "/channel.json";

  // keygen as a real process: its stdout is the PEM to register.
  auto keygen = ChildProcess::Start(
      {NFVSM_SM_BINARY, "keygen", "--out", key_file_}, dir_);
  ASSERT_EQ(keygen->Wait(std::chrono::seconds(30)), 0) << keygen->Stderr();
  auto sm_key = crypto::VerifyingKey::FromPem(keygen->Stdout());
  ASSERT_TRUE(sm_key.ok()) << sm_key.status().ToString();
  sm_key_ = sm_key.value();
  EXPECT_EQ(fs::status(key_file_).permissions() &
                (fs::perms::group_all | fs::perms::others_all),
            fs::perms::none);

  auto gateway_key = crypto::SigningKey::Generate();
  ASSERT_TRUE(gateway_key.ok());
  gateway_key_.emplace(std::move(gateway_key).value());

  auto admin = amqp::Connection::Open(amqp::testing::BrokerOptions(*broker));
  ASSERT_TRUE(admin.ok()) << admin.status().ToString();
  admin_ = std::move(admin).value();
  from_mano_ = amqp::testing::UniqueName("nfvsm.from-mano");
  from_sm_ = amqp::testing::UniqueName("nfvsm.from-sm");
  sm_inbox_ = amqp::testing::UniqueName("nfvsm.sm-inbox");
  mano_inbox_ = amqp::testing::UniqueName("nfvsm.mano-inbox");
  for (const std::string& ex : {from_mano_, from_sm_}) {
    ASSERT_TRUE(admin_
                    ->DeclareExchange(amqp::ExchangeSpec{
                        .name = ex, .type = "direct", .durable = true})
                    .ok());
  }
  for (const std::string& q : {sm_inbox_, mano_inbox_}) {
    ASSERT_TRUE(admin_->DeclareQueue(amqp::QueueSpec{.name = q}).ok());
  }
  ASSERT_TRUE(admin_->BindQueue(sm_inbox_, from_mano_, "sm").ok());
  ASSERT_TRUE(admin_->BindQueue(mano_inbox_, from_sm_, "mano").ok());

  const nlohmann::json channel = {
      {"sm_id", kSmId},
      {"gateway_id", kGatewayId},
      {"transport_url", broker->transport_url},
      {"gateway_public_key_pem", gateway_key_->PublicKeyPem()},
      {"publish_exchange", from_sm_},
      {"publish_routing_key", "mano"},
      {"consume_queue", sm_inbox_}};
  std::ofstream(channel_file_) << channel.dump(2);
  fs::permissions(channel_file_,
                  fs::perms::owner_read | fs::perms::owner_write);
}

void SmChannelTest::TearDown() {
  if (admin_ != nullptr) {
    for (const std::string& q : {sm_inbox_, mano_inbox_}) {
      (void)admin_->DeleteQueue(q);
    }
    for (const std::string& ex : {from_mano_, from_sm_}) {
      (void)admin_->DeleteExchange(ex);
    }
    admin_.reset();
  }
  if (!dir_.empty()) {
    std::error_code ignored;
    fs::remove_all(dir_, ignored);
  }
}

std::vector<std::string> SmChannelTest::SmArgs(
    const std::string& command) const {
  return {NFVSM_SM_BINARY, command, "--channel-file",
          channel_file_,   "--key", key_file_};
}

void SmChannelTest::PublishToSm(const std::string& message_type,
                                const std::string& payload,
                                const std::string& correlation_id,
                                std::optional<int64_t> deadline_us) {
  wire::Envelope e;
  e.sequence = ++sequence_;
  e.timestamp = SystemClock().Now();
  e.sender = kGatewayId;
  e.recipient = kSmId;
  e.message_type = message_type;
  e.correlation_id = correlation_id;
  if (deadline_us) e.deadline = FromMicros(*deadline_us);
  e.payload = payload;
  auto bytes = wire::SignEnvelope(*gateway_key_, e);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  PublishRawToSm(*bytes);
}

void SmChannelTest::PublishRawToSm(const std::string& body) {
  amqp::OutgoingMessage m;
  m.exchange = from_mano_;
  m.routing_key = "sm";
  m.body = body;
  m.properties.content_type = "application/x-protobuf";
  m.properties.message_id =
      std::string(kGatewayId) + ":" + std::to_string(sequence_);
  ASSERT_TRUE(admin_->Publish(m).ok());
}

std::optional<wire::Envelope> SmChannelTest::NextFromSm(
    std::chrono::milliseconds timeout) {
  const auto until = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < until) {
    auto got = admin_->Get(mano_inbox_);
    if (!got.ok()) {
      ADD_FAILURE() << got.status().ToString();
      return std::nullopt;
    }
    if (!got->has_value()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    const amqp::Delivery& d = **got;
    EXPECT_TRUE(admin_->Ack(d).ok());
    EXPECT_EQ(d.properties.content_type, "application/x-protobuf");
    EXPECT_TRUE(d.properties.persistent);
    wire::OpenOptions options;
    options.expected_sender = kSmId;
    options.expected_recipient = kGatewayId;
    auto opened =
        wire::OpenEnvelope(d.body, *sm_key_, window_, SystemClock(), options);
    if (!opened.ok()) {
      ADD_FAILURE() << "core refused the SM's envelope: "
                    << opened.status().ToString();
      return std::nullopt;
    }
    EXPECT_EQ(d.properties.type, opened->message_type);
    EXPECT_EQ(d.properties.message_id,
              std::string(kSmId) + ":" + std::to_string(opened->sequence));
    return *opened;
  }
  return std::nullopt;
}

}  // namespace nfvsm::refsm::testing
