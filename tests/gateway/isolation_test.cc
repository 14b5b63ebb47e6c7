// Isolation of SM channels, enforced by the broker itself: with SM A's
// credentials (from its channel file) nothing of SM B, of the MANO vhost or
// of the gateway's side of A's own channel is reachable.
#include <gtest/gtest.h>
#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/crypto.h"
#include "sm_channel_files.h"
#include "sm_channels.h"
#include "sm_provisioner.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::gateway {
namespace {

namespace fs = std::filesystem;

std::string UniqueIsolatedSmId(const std::string& stem) {
  static std::atomic<int> counter{0};
  return stem + "-iso-" + std::to_string(::getpid()) + "-" +
         std::to_string(counter.fetch_add(1));
}

// SMs A and B are provisioned once for the suite (each rabbitmqctl call
// costs an Erlang VM start) and left on the private test node.
class IsolationTest : public ::testing::Test {
 protected:
  struct Shared {
    std::unique_ptr<SmChannels> channels;
    fs::path state_dir;
    std::string a;
    std::string b;
  };
  static Shared*& shared() {
    static Shared* s = nullptr;
    return s;
  }

  static StatusOr<std::unique_ptr<SmChannels>> MakeChannels(
      const amqp::testing::BrokerInfo& broker, const fs::path& state_dir) {
    SmChannelsOptions o;
    o.broker = amqp::testing::BrokerOptions(broker);
    o.state_dir = state_dir.string();
    o.rabbitmqctl = {"bash", NFVSM_RABBITMQ_SCRIPT, "ctl", broker.dir};
    return SmChannels::Create(std::move(o));
  }

  static Status ProvisionNew(SmChannels& channels, const std::string& id) {
    NFVSM_ASSIGN_OR_RETURN(auto key, crypto::SigningKey::Generate());
    return channels.Provision(
        SecurityManager{id, key.PublicKeyPem(), std::nullopt, "", ""});
  }

  static void TearDownTestSuite() {
    if (shared() == nullptr) return;
    shared()->channels.reset();
    std::error_code ec;
    fs::remove_all(shared()->state_dir, ec);
    delete shared();
    shared() = nullptr;
  }

  void SetUp() override {
    NFVSM_REQUIRE_BROKER(broker);
    broker_ = broker;
    if (shared() == nullptr) {
      auto s = std::make_unique<Shared>();
      s->state_dir = fs::temp_directory_path() /
                     ("nfvsm-smch-iso-" + std::to_string(::getpid()));
      fs::remove_all(s->state_dir);
      auto channels = MakeChannels(broker, s->state_dir);
      ASSERT_TRUE(channels.ok()) << channels.status().ToString();
      s->channels = std::move(channels).value();
      // Provisioning needs no engine: vhost, user, permissions, topology.
      s->a = UniqueIsolatedSmId("a");
      s->b = UniqueIsolatedSmId("b");
      for (const std::string& id : {s->a, s->b}) {
        Status st = ProvisionNew(*s->channels, id);
        ASSERT_TRUE(st.ok()) << st.ToString();
      }
      shared() = s.release();
    }
    channels_ = shared()->channels.get();
    state_dir_ = shared()->state_dir;
    a_ = shared()->a;
    b_ = shared()->b;
  }

  // Connection options with `sm`'s credentials from its channel file, on
  // `vhost` (default: its own).
  amqp::ConnectionOptions SmOptions(const std::string& sm,
                                    const std::string& vhost = "") {
    auto file = ReadChannelFile(channels_->ChannelFileOf(sm));
    EXPECT_TRUE(file.ok()) << file.status().ToString();
    amqp::ConnectionOptions o;
    if (!file.ok()) return o;
    o.url = amqp::TransportUrl::Parse(file->transport_url).value();
    if (!vhost.empty()) o.url.virtual_host = vhost;
    o.connection_name = "isolation-test " + sm;
    o.connect_timeout = std::chrono::seconds(10);
    o.rpc_timeout = std::chrono::seconds(10);
    o.confirm_timeout = std::chrono::seconds(10);
    return o;
  }

  // Connects as `sm` to `vhost`, then runs `op`; the first failure.
  Status TryAs(const std::string& sm, const std::string& vhost,
               const std::function<Status(amqp::Connection&)>& op) {
    auto c = amqp::Connection::Open(SmOptions(sm, vhost));
    if (!c.ok()) return c.status();
    return op(**c);
  }

  static Status Publish(amqp::Connection& c, std::string_view exchange,
                        std::string_view key) {
    amqp::OutgoingMessage m;
    m.exchange = std::string(exchange);
    m.routing_key = std::string(key);
    m.body = "isolation probe";
    return c.Publish(m);
  }
  static Status ConsumeOne(amqp::Connection& c, std::string_view queue) {
    NFVSM_RETURN_IF_ERROR(c.Consume(queue).status());
    // A refused basic.consume may arrive as a channel close afterwards.
    return c.NextDelivery(std::chrono::milliseconds(300)).status();
  }

  amqp::testing::BrokerInfo broker_;
  fs::path state_dir_;
  SmChannels* channels_ = nullptr;
  std::string a_;
  std::string b_;
};

struct IsolationCase {
  const char* name;
  bool other_vhost;  // B's vhost instead of A's own ("/" if mano_vhost)
  bool mano_vhost;
  std::function<Status(amqp::Connection&)> op;
};

// covers: R2.1.60, R2.1.120, R1.1.160, R2.1.70
TEST_F(IsolationTest, SmCredentialsReachNothingButTheirOwnTwoEnds) {
  const std::vector<IsolationCase> cases = {
      {"open SM B's vhost", true, false,
       [](amqp::Connection&) { return OkStatus(); }},
      {"consume SM B's inbox", true, false,
       [](amqp::Connection& c) { return ConsumeOne(c, kSmInboxQueue); }},
      {"publish on SM B's exchange", true, false,
       [](amqp::Connection& c) {
         return Publish(c, kFromSmExchange, kToManoRoutingKey);
       }},
      {"open the MANO vhost", false, true,
       [](amqp::Connection&) { return OkStatus(); }},
      {"declare a queue in its own vhost", false, false,
       [](amqp::Connection& c) {
         amqp::QueueSpec q;
         q.name = "sm-own-queue";
         return c.DeclareQueue(q).status();
       }},
      {"declare an exchange in its own vhost", false, false,
       [](amqp::Connection& c) {
         amqp::ExchangeSpec e;
         e.name = "sm-own-exchange";
         e.type = "fanout";
         return c.DeclareExchange(e);
       }},
      {"read nfvsm.mano-inbox in its own vhost", false, false,
       [](amqp::Connection& c) { return ConsumeOne(c, kManoInboxQueue); }},
      {"basic.get nfvsm.mano-inbox in its own vhost", false, false,
       [](amqp::Connection& c) { return c.Get(kManoInboxQueue).status(); }},
      {"publish as MANO in its own vhost", false, false,
       [](amqp::Connection& c) {
         return Publish(c, kFromManoExchange, kToSmRoutingKey);
       }},
      {"delete its own inbox", false, false,
       [](amqp::Connection& c) { return c.DeleteQueue(kSmInboxQueue); }},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    const std::string vhost = c.mano_vhost    ? std::string("/")
                              : c.other_vhost ? ChannelVhost(b_)
                                              : ChannelVhost(a_);
    Status s = TryAs(a_, vhost, c.op);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << s.ToString();
  }
}

// The control: what the SM must be able to do, it can (so the refusals
// above are about permissions, not a broken channel).
// covers: R2.1.60, R1.1.160
TEST_F(IsolationTest, SmCredentialsCanConsumeInboxAndPublishToMano) {
  Status s = TryAs(a_, ChannelVhost(a_), [](amqp::Connection& c) -> Status {
    NFVSM_RETURN_IF_ERROR(Publish(c, kFromSmExchange, kToManoRoutingKey));
    return ConsumeOne(c, kSmInboxQueue);
  });
  EXPECT_TRUE(s.ok()) << s.ToString();
  // SM B's own credentials work on B's channel too.
  s = TryAs(b_, ChannelVhost(b_),
            [](amqp::Connection& c) { return ConsumeOne(c, kSmInboxQueue); });
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// covers: R2.1.120, R2.1.60
TEST_F(IsolationTest, RemoveDeletesVhostUserAndFiles) {
  const std::string c = UniqueIsolatedSmId("c");
  ASSERT_TRUE(ProvisionNew(*channels_, c).ok());
  const amqp::ConnectionOptions c_options = SmOptions(c);
  ASSERT_TRUE(amqp::Connection::Open(c_options).ok());
  ASSERT_TRUE(channels_->Remove(c).ok());
  EXPECT_FALSE(fs::exists(channels_->ChannelFileOf(c)));
  EXPECT_FALSE(fs::exists(KeyPath(state_dir_.string(), c)));
  auto opened = amqp::Connection::Open(c_options);
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated)
      << opened.status().ToString();
  auto vhosts = amqp::testing::RabbitCtl({"list_vhosts"});
  ASSERT_TRUE(vhosts.ok()) << vhosts.status().ToString();
  EXPECT_EQ(vhosts->find(ChannelVhost(c) + "\n"), std::string::npos);
  EXPECT_NE(vhosts->find(ChannelVhost(a_)), std::string::npos);
  // Removing again is not an error (idempotent).
  EXPECT_TRUE(channels_->Remove(c).ok());
}

// covers: R2.1.60
TEST_F(IsolationTest, RabbitmqctlFailuresCarryExitCodeWithoutPassword) {
  SmChannelsOptions o;
  o.broker = amqp::testing::BrokerOptions(broker_);
  o.state_dir = (state_dir_ / "bad").string();
  o.rabbitmqctl = {"bash", NFVSM_RABBITMQ_SCRIPT, "ctl",
                   (state_dir_ / "no-such-node").string()};
  auto channels = SmChannels::Create(std::move(o));
  ASSERT_TRUE(channels.ok());
  auto key = crypto::SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  SecurityManager sm{UniqueIsolatedSmId("c"), key->PublicKeyPem(), std::nullopt,
                     "", ""};
  Status s = (*channels)->Provision(sm);
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("exit "), std::string::npos) << s.ToString();
  EXPECT_FALSE(fs::exists((*channels)->ChannelFileOf(sm.id)));

  o = SmChannelsOptions{};
  o.broker = amqp::testing::BrokerOptions(broker_);
  o.state_dir = (state_dir_ / "bad2").string();
  o.rabbitmqctl = {"/nonexistent/rabbitmqctl"};
  auto missing = SmChannels::Create(std::move(o));
  ASSERT_TRUE(missing.ok());
  EXPECT_EQ((*missing)->Provision(sm).code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace nfvsm::gateway

namespace nfvsm::gateway {
namespace {

// The password travels on stdin, never in argv, and is scrubbed from the
// output quoted in errors. A stand-in for rabbitmqctl echoes both.
// covers: R2.1.70
TEST(SmProvisionerTest, PasswordGoesOnStdinAndIsScrubbedFromErrors) {
  auto ctl = SmProvisioner::Create(
      {"sh", "-c", "echo \"args: $*\"; cat; exit 3", "rabbitmqctl"});
  ASSERT_TRUE(ctl.ok());
  Status s = ctl->EnsureUser("nfvsm.sm.x", "s3cretpassw0rd");
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("exit 3"), std::string::npos) << s.ToString();
  EXPECT_NE(s.message().find("args: add_user nfvsm.sm.x"), std::string::npos)
      << s.ToString();
  EXPECT_NE(s.message().find("***"), std::string::npos) << s.ToString();
  EXPECT_EQ(s.message().find("s3cretpassw0rd"), std::string::npos);
}

// covers: R2.1.60
TEST(SmProvisionerTest, ExistingUserGetsItsPasswordChanged) {
  const std::string out = ::testing::TempDir() + "smch-change-password-" +
                          std::to_string(::getpid());
  std::filesystem::remove(out);
  auto ctl = SmProvisioner::Create(
      {"sh", "-c",
       "if [ \"$1\" = add_user ]; then echo \"User \\\"$2\\\" already "
       "exists\" >&2; exit 70; fi; echo \"$*\" > \"$0\"; cat >> \"$0\"",
       out});
  ASSERT_TRUE(ctl.ok());
  Status s = ctl->EnsureUser("nfvsm.sm.y", "0123abcd");
  EXPECT_TRUE(s.ok()) << s.ToString();
  std::ifstream in(out);
  std::string line1, line2;
  std::getline(in, line1);
  std::getline(in, line2);
  EXPECT_EQ(line1, "change_password nfvsm.sm.y");
  EXPECT_EQ(line2, "0123abcd");
  std::filesystem::remove(out);
  EXPECT_EQ(SmProvisioner::Create({}).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::gateway
