#include "config.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

namespace nfvsm::gateway {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

std::string ReadSample() {
  std::ifstream in(NFVSM_CONFIG_SAMPLE);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

// covers: R1.3.10/290
TEST(GatewayConfigTest, DefaultsWhenOnlyTheTransportUrlIsGiven) {
  auto c = ParseConfig("[DEFAULT]\ntransport_url = rabbit://u:p@h1:5673/v\n");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transport_url.brokers.at(0).host, "h1");
  EXPECT_EQ(c->transport_url.brokers.at(0).port, 5673);
  EXPECT_EQ(c->transport_url.virtual_host, "v");
  EXPECT_FALSE(c->debug);
  EXPECT_EQ(c->gateway_id, "mano");
  EXPECT_EQ(c->state_dir, "/var/lib/nfvsm");
  EXPECT_EQ(c->notification_exchanges,
            (std::vector<std::string>{"nova", "heat", "neutron", "openstack",
                                      "tacker"}));
  EXPECT_EQ(c->ingest_queue, "nfvsm.notifications");
  EXPECT_EQ(c->dead_letter_queue, "nfvsm.notifications.dead");
  EXPECT_EQ(c->prefetch, 64);
  EXPECT_EQ(c->gate_default_deadline, std::chrono::milliseconds(30000));
  EXPECT_EQ(c->max_sm_message_bytes, 256u * 1024u);
  EXPECT_EQ(c->store_path, "/var/lib/nfvsm/nfvsm.sqlite");
  EXPECT_EQ(c->hmac_key_file, "/var/lib/nfvsm/audit-hmac.key");
  EXPECT_EQ(c->encryption_key_file, "");
  EXPECT_EQ(c->rabbitmqctl, std::vector<std::string>{"rabbitmqctl"});
}

// covers: R1.3.10/290
TEST(GatewayConfigTest, EveryOptionIsRead) {
  auto c = ParseConfig(R"([DEFAULT]
transport_url = rabbit://a:b@x:1,c:d@y:2/
debug = True
[nfvsm]
gateway_id = mano-2
state_dir = /srv/nfvsm
notification_exchanges = nova, tacker
ingest_queue = q1
dead_letter_queue = q1.dead
prefetch = 7
gate_default_deadline_ms = 1500
max_sm_message_bytes = 4096
actuator = Logging
[store]
path = /tmp/s.sqlite
[audit]
hmac_key_file = /k/h
encryption_key_file = /k/e
[sm_channels]
rabbitmqctl = /usr/sbin/rabbitmqctl
rabbitmqctl_args = -n  rabbit-x@localhost
sm_broker_host = broker:5672
[vbs]
listen = 0.0.0.0:9999
)");
  ASSERT_TRUE(c.ok()) << c.status().ToString();
  EXPECT_EQ(c->transport_url.brokers.size(), 2u);
  EXPECT_TRUE(c->debug);
  EXPECT_EQ(c->gateway_id, "mano-2");
  EXPECT_EQ(c->notification_exchanges,
            (std::vector<std::string>{"nova", "tacker"}));
  EXPECT_EQ(c->ingest_queue, "q1");
  EXPECT_EQ(c->dead_letter_queue, "q1.dead");
  EXPECT_EQ(c->prefetch, 7);
  EXPECT_EQ(c->gate_default_deadline, std::chrono::milliseconds(1500));
  EXPECT_EQ(c->max_sm_message_bytes, 4096u);
  EXPECT_EQ(c->actuator, "logging");
  EXPECT_EQ(c->store_path, "/tmp/s.sqlite");
  EXPECT_EQ(c->hmac_key_file, "/k/h");
  EXPECT_EQ(c->encryption_key_file, "/k/e");
  EXPECT_EQ(c->rabbitmqctl,
            (std::vector<std::string>{"/usr/sbin/rabbitmqctl", "-n",
                                      "rabbit-x@localhost"}));
  EXPECT_EQ(c->sm_broker_host, "broker:5672");
}

struct BadConfig {
  const char* name;
  const char* text;
  const char* expected;  // in the error message
};

class GatewayConfigBadInputTest : public ::testing::TestWithParam<BadConfig> {};

// covers: R1.3.10/290
TEST_P(GatewayConfigBadInputTest, IsAnErrorNamingTheProblem) {
  auto c = ParseConfig(GetParam().text, "test.conf");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(c.status().message(), HasSubstr(GetParam().expected));
  EXPECT_THAT(c.status().message(), HasSubstr("test.conf"));
  // Never echoes a password from the URL.
  EXPECT_THAT(c.status().message(), Not(HasSubstr("s3cret")));
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, GatewayConfigBadInputTest,
    ::testing::Values(
        BadConfig{"UnknownOption", "[nfvsm]\nprefech = 3\n",
                  "unknown option(s): [nfvsm] prefech"},
        BadConfig{"UnknownSection", "[nfvsmm]\nprefetch = 3\n",
                  "[nfvsmm] prefetch"},
        BadConfig{"SeveralUnknown", "[DEFAULT]\ndebugg=1\n[store]\npth=x\n",
                  "[DEFAULT] debugg, [store] pth"},
        BadConfig{"OptionInWrongSection", "[DEFAULT]\nprefetch = 3\n",
                  "[DEFAULT] prefetch"},
        BadConfig{"SyntaxError", "[nfvsm\nprefetch = 3\n", "line 1"},
        BadConfig{"NoEquals", "[nfvsm]\nprefetch\n", "line 2"},
        BadConfig{"BadBool", "[DEFAULT]\ndebug = maybe\n", "debug"},
        BadConfig{"PrefetchZero", "[nfvsm]\nprefetch = 0\n", "prefetch"},
        BadConfig{"PrefetchHuge", "[nfvsm]\nprefetch = 70000\n", "prefetch"},
        BadConfig{"PrefetchNotNumber", "[nfvsm]\nprefetch = 6x\n", "prefetch"},
        BadConfig{"DeadlineNegative",
                  "[nfvsm]\ngate_default_deadline_ms = -5\n",
                  "gate_default_deadline_ms"},
        BadConfig{"TinyMessages", "[nfvsm]\nmax_sm_message_bytes = 10\n",
                  "max_sm_message_bytes"},
        BadConfig{"EmptyExchanges", "[nfvsm]\nnotification_exchanges = ,\n",
                  "notification_exchanges"},
        BadConfig{"SameQueues",
                  "[nfvsm]\ningest_queue = q\ndead_letter_queue = q\n",
                  "dead_letter_queue"},
        BadConfig{"EmptyGatewayId", "[nfvsm]\ngateway_id =\n", "gateway_id"},
        BadConfig{"UnknownActuator", "[nfvsm]\nactuator = openstack\n",
                  "actuator"},
        BadConfig{"BadUrlScheme",
                  "[DEFAULT]\ntransport_url = http://u:s3cret@h/\n",
                  "transport_url"},
        BadConfig{"BadUrlPort",
                  "[DEFAULT]\ntransport_url = rabbit://u:s3cret@h:99999/\n",
                  "transport_url"}),
    [](const auto& info) { return std::string(info.param.name); });

// covers: R1.3.10/290
TEST(GatewayConfigTest, MissingFileIsNotFound) {
  auto c = LoadConfig("/nonexistent/nfvsm.conf");
  ASSERT_FALSE(c.ok());
  EXPECT_EQ(c.status().code(), StatusCode::kNotFound);
}

// covers: R1.3.10/290
TEST(GatewayConfigTest, SampleListsEveryOptionAndParses) {
  const std::string sample = ReadSample();
  ASSERT_FALSE(sample.empty()) << NFVSM_CONFIG_SAMPLE;
  // Collect "#option = default" lines per section.
  std::set<std::string> listed;
  std::string uncommented, section;
  std::istringstream in(sample);
  std::string line;
  const std::regex section_re(R"(^\[([A-Za-z_]+)\]$)");
  const std::regex option_re(R"(^#([a-z_]+) = ?(.*)$)");
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_match(line, m, section_re)) {
      section = m[1];
      uncommented += line + "\n";
    } else if (std::regex_match(line, m, option_re)) {
      listed.insert(section + "." + std::string(m[1]));
      uncommented += std::string(m[1]) + " = " + std::string(m[2]) + "\n";
    }
  }
  std::set<std::string> known;
  for (const auto& o : KnownOptions()) {
    known.insert(std::string(o.section) + "." + std::string(o.name));
    // The sample shows the parser's default.
    EXPECT_NE(sample.find("#" + std::string(o.name) + " = " +
                          std::string(o.default_value)),
              std::string::npos)
        << o.name;
    EXPECT_FALSE(o.help.empty()) << o.name;
  }
  EXPECT_EQ(listed, known);
  // The sample as shipped parses, and so does it with every option set to
  // the default it shows.
  auto as_shipped = ParseConfig(sample, "nfvsm.conf.sample");
  EXPECT_TRUE(as_shipped.ok()) << as_shipped.status().ToString();
  auto all_set = ParseConfig(uncommented, "uncommented sample");
  ASSERT_TRUE(all_set.ok()) << all_set.status().ToString() << "\n"
                            << uncommented;
  auto defaults = ParseConfig("", "empty");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(all_set->store_path, defaults->store_path);
  EXPECT_EQ(all_set->prefetch, defaults->prefetch);
  EXPECT_EQ(all_set->notification_exchanges, defaults->notification_exchanges);
}

}  // namespace
}  // namespace nfvsm::gateway
