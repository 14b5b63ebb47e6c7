// TransportUrl::Parse against oslo.messaging's semantics. The expected
// values of the table were produced by oslo_messaging.TransportURL.parse
// (oslo.messaging 14) plus the rabbit driver's defaults (port 5672, guest
// credentials, "/" vhost); see docs/bus.md.
#include "nfvsm/amqp/transport_url.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace nfvsm::amqp {
namespace {

using ::testing::HasSubstr;
using ::testing::Not;

struct Broker {
  std::string host;
  uint16_t port;
  std::string user;
  std::string password;
};

struct UrlCase {
  std::string name;
  std::string url;
  std::vector<Broker> brokers;
  std::string vhost = "/";
  bool tls = false;
};

class TransportUrlParseTest : public ::testing::TestWithParam<UrlCase> {};

// covers: R2.1.60, R2.1.70
TEST_P(TransportUrlParseTest, MatchesOslo) {
  const UrlCase& c = GetParam();
  auto url = TransportUrl::Parse(c.url);
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  ASSERT_EQ(url->brokers.size(), c.brokers.size());
  for (size_t i = 0; i < c.brokers.size(); ++i) {
    EXPECT_EQ(url->brokers[i].host, c.brokers[i].host) << i;
    EXPECT_EQ(url->brokers[i].port, c.brokers[i].port) << i;
    EXPECT_EQ(url->brokers[i].username, c.brokers[i].user) << i;
    EXPECT_EQ(url->brokers[i].password, c.brokers[i].password) << i;
  }
  EXPECT_EQ(url->virtual_host, c.vhost);
  EXPECT_EQ(url->tls.enabled, c.tls);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TransportUrlParseTest,
    ::testing::Values(
        UrlCase{"TwoHostsWithCredentials",
                "rabbit://user:pass@host1:5672,user2:pass2@host2:5673/vhost",
                {{"host1", 5672, "user", "pass"},
                 {"host2", 5673, "user2", "pass2"}},
                "vhost"},
        UrlCase{"NoHostIsLocalGuest",
                "rabbit://",
                {{"localhost", 5672, "guest", "guest"}}},
        UrlCase{"EmptyPathIsSlash",
                "rabbit:///",
                {{"localhost", 5672, "guest", "guest"}}},
        UrlCase{"NoPath", "rabbit://h", {{"h", 5672, "guest", "guest"}}},
        UrlCase{"SlashPath", "rabbit://h/", {{"h", 5672, "guest", "guest"}}},
        UrlCase{"DoubleSlashIsSlash",
                "rabbit://h//",
                {{"h", 5672, "guest", "guest"}}},
        UrlCase{
            "EncodedSlash", "rabbit://h/%2F", {{"h", 5672, "guest", "guest"}}},
        UrlCase{"EncodedSlashInside",
                "rabbit://h/a%2Fb",
                {{"h", 5672, "guest", "guest"}},
                "a/b"},
        UrlCase{"EncodedCredentials",
                "rabbit://us%40er:p%3Aa%2Fss@h:1/",
                {{"h", 1, "us@er", "p:a/ss"}}},
        UrlCase{
            "ColonInPassword", "rabbit://u:p:q@h", {{"h", 5672, "u", "p:q"}}},
        UrlCase{
            "PlusStaysPlus", "rabbit://u:p+q@h/", {{"h", 5672, "u", "p+q"}}},
        UrlCase{
            "UserWithoutPassword", "rabbit://u@h", {{"h", 5672, "u", "guest"}}},
        UrlCase{
            "LastAtSplits", "rabbit://a@b@h", {{"h", 5672, "a@b", "guest"}}},
        UrlCase{"Ipv6WithPort",
                "rabbit://[::1]:5673/",
                {{"::1", 5673, "guest", "guest"}}},
        UrlCase{"Ipv6", "rabbit://[::1]/", {{"::1", 5672, "guest", "guest"}}},
        UrlCase{"EmptyPort", "rabbit://h:/", {{"h", 5672, "guest", "guest"}}},
        UrlCase{"EmptyEntriesSkipped",
                "rabbit://u:p@h1,,h2:5",
                {{"h1", 5672, "u", "p"}, {"h2", 5, "guest", "guest"}}},
        UrlCase{"EmptyHostIsLocalhost",
                "rabbit://u:p@:5672/",
                {{"localhost", 5672, "u", "p"}}},
        UrlCase{"SchemeCaseInsensitive",
                "RABBIT://H/",
                {{"H", 5672, "guest", "guest"}}},
        UrlCase{"FragmentDropped",
                "rabbit://h/v#frag",
                {{"h", 5672, "guest", "guest"}},
                "v"},
        UrlCase{"SemicolonKept",
                "rabbit://h/v;p",
                {{"h", 5672, "guest", "guest"}},
                "v;p"},
        UrlCase{"WhitespaceStripped",
                "  rabbit://h/x\ty",
                {{"h", 5672, "guest", "guest"}},
                "xy"},
        UrlCase{
            "NoNetloc", "rabbit:h", {{"localhost", 5672, "guest", "guest"}}},
        UrlCase{"SslKeepsPort5672",
                "rabbit://h/?ssl=1",
                {{"h", 5672, "guest", "guest"}},
                "/",
                true},
        UrlCase{"AmqpsDefaults5671",
                "amqps://u:p@h/vh",
                {{"h", 5671, "u", "p"}},
                "vh",
                true},
        UrlCase{
            "AmqpIsRabbit", "amqp://h:1234", {{"h", 1234, "guest", "guest"}}},
        UrlCase{"KombuAlias", "kombu://h", {{"h", 5672, "guest", "guest"}}}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.70
TEST(TransportUrlTest, ReadsTlsOptions) {
  auto url = TransportUrl::Parse(
      "rabbit://u:p@h:5671/?ssl=YES&ssl_ca_file=/etc/ca%20x.pem"
      "&ssl_cert_file=/c.pem&ssl_key_file=/k.pem");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_TRUE(url->tls.enabled);
  EXPECT_EQ(url->tls.ca_file, "/etc/ca x.pem");
  EXPECT_EQ(url->tls.cert_file, "/c.pem");
  EXPECT_EQ(url->tls.key_file, "/k.pem");
  EXPECT_TRUE(url->tls.verify_peer);
  EXPECT_TRUE(url->tls.verify_hostname);
}

// covers: R2.1.70
TEST(TransportUrlTest, ReadsHeartbeatRetryAndPrefetch) {
  auto url = TransportUrl::Parse(
      "rabbit://h/?heartbeat_timeout_threshold=%205%20"
      "&rabbit_retry_interval=2&rabbit_interval_max=9"
      "&rabbit_qos_prefetch_count=10&kombu_failover_strategy=shuffle");
  ASSERT_TRUE(url.ok()) << url.status().ToString();
  EXPECT_EQ(url->heartbeat, std::chrono::seconds(5));
  EXPECT_EQ(url->retry_interval, std::chrono::seconds(2));
  EXPECT_EQ(url->interval_max, std::chrono::seconds(9));
  EXPECT_EQ(url->prefetch_count, 10);
  EXPECT_EQ(url->query.at("kombu_failover_strategy"), "shuffle");
  auto defaults =
      TransportUrl::Parse("rabbit://h/?ssl=&rabbit_qos_prefetch_count=0");
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->heartbeat, std::chrono::seconds(60));
  EXPECT_FALSE(defaults->tls.enabled);  // blank values are dropped
  EXPECT_FALSE(defaults->prefetch_count.has_value());  // 0: unbounded in oslo
}

struct BadUrlCase {
  std::string name;
  std::string url;
  std::string expect_in_message;
};

class TransportUrlErrorTest : public ::testing::TestWithParam<BadUrlCase> {};

// covers: R2.1.70
TEST_P(TransportUrlErrorTest, IsInvalidArgument) {
  auto url = TransportUrl::Parse(GetParam().url);
  ASSERT_FALSE(url.ok());
  EXPECT_EQ(url.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(url.status().message(), HasSubstr(GetParam().expect_in_message));
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TransportUrlErrorTest,
    ::testing::Values(
        BadUrlCase{"NoScheme", "//h:5672/", "no scheme"},
        BadUrlCase{"Empty", "", "no scheme"},
        BadUrlCase{"OtherTransport", "kafka://h:9092/",
                   "unsupported transport"},
        BadUrlCase{"PortNotNumber", "rabbit://h:abc/", "port"},
        BadUrlCase{"PortZero", "rabbit://h:0/", "port"},
        BadUrlCase{"PortTooBig", "rabbit://h:65536/", "port"},
        BadUrlCase{"SecondHostBadPort", "rabbit://h1,h2:x/", "host 2"},
        BadUrlCase{"UnclosedIpv6", "rabbit://[::1:5672/", "IPv6"},
        BadUrlCase{"UnknownOption", "rabbit://h/?foo=1",
                   "no such option 'foo'"},
        BadUrlCase{"HeartbeatIsNotOslosName", "rabbit://h/?heartbeat=1",
                   "heartbeat_timeout_threshold"},
        BadUrlCase{"DeprecatedName", "rabbit://h/?rabbit_use_ssl=1",
                   "no such option"},
        BadUrlCase{"BadBool", "rabbit://h/?ssl=maybe", "not a boolean"},
        BadUrlCase{"RepeatedBoolJoined", "rabbit://h/?ssl=true&ssl=false",
                   "not a boolean"},
        BadUrlCase{"BadInt", "rabbit://h/?heartbeat_timeout_threshold=1.5",
                   "not an integer"},
        BadUrlCase{"NegativeHeartbeat",
                   "rabbit://h/?heartbeat_timeout_threshold=-3", "outside"},
        BadUrlCase{"BadFloat", "rabbit://h/?kombu_reconnect_delay=soon",
                   "not a number"},
        BadUrlCase{"CertWithoutKey", "rabbit://h/?ssl=1&ssl_cert_file=/c.pem",
                   "go together"},
        BadUrlCase{"AmqpsWithSslOff", "amqps://h/?ssl=0", "ssl is false"},
        BadUrlCase{"LongVhost", "rabbit://h/" + std::string(300, 'v'),
                   "virtual host"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.70, R1.3.260
TEST(TransportUrlTest, RedactedHidesEveryPassword) {
  auto url = TransportUrl::Parse(
      "rabbit://alice:Zq9s3cret@h1:5672,bob:Wx7pa55@h2/vh?ssl=1");
  ASSERT_TRUE(url.ok());
  const std::string redacted = url->Redacted();
  EXPECT_EQ(redacted, "rabbit://alice:***@h1:5672,bob:***@h2:5672/vh?ssl=1");
  EXPECT_THAT(redacted, Not(HasSubstr("Zq9s3cret")));
  EXPECT_THAT(redacted, Not(HasSubstr("Wx7pa55")));
}

// covers: R2.1.70, R1.3.260
TEST(TransportUrlTest, RedactedRoundTrips) {
  auto url = TransportUrl::Parse("rabbit://u%40x:p@[::1]:5/a%2Fb?ssl=1");
  ASSERT_TRUE(url.ok());
  auto again = TransportUrl::Parse(url->Redacted());
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(again->brokers[0].username, "u@x");
  EXPECT_EQ(again->brokers[0].host, "::1");
  EXPECT_EQ(again->virtual_host, "a/b");
  EXPECT_TRUE(again->tls.enabled);
}

// covers: R2.1.70, R1.3.260
TEST(TransportUrlTest, ErrorsNeverQuoteTheHostPart) {
  // An unencoded '/' cuts the netloc inside the password: oslo then reads
  // the rest of the password as a port. The error must not repeat it.
  for (const std::string url :
       {"rabbit://u:Zq9s3cret/x@h:5672/", "rabbit://u:p@h:Zq9s3cret/",
        "rabbit://u:p@[Zq9s3cret/"}) {
    auto parsed = TransportUrl::Parse(url);
    ASSERT_FALSE(parsed.ok()) << url;
    EXPECT_THAT(parsed.status().message(), Not(HasSubstr("Zq9s3cret"))) << url;
  }
}

}  // namespace
}  // namespace nfvsm::amqp
