// TLS against the test node's TLS listener (client certificate required;
// server certificate issued to "localhost" only, by the test CA).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

#include "nfvsm/amqp/connection.h"
#include "tests/amqp/broker_fixture.h"

namespace nfvsm::amqp {
namespace {

using testing::BrokerInfo;
using testing::BrokerOptions;
using ::testing::HasSubstr;
using ::testing::Not;

std::string Encoded(const std::string& s) {
  std::string out;
  for (unsigned char c : s) {
    if (isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      char buf[4];
      snprintf(buf, sizeof buf, "%%%02X", c);
      out += buf;
    }
  }
  return out;
}

// amqps:// URL for `host` with the given query options.
ConnectionOptions TlsOptionsFor(const BrokerInfo& b, const std::string& host,
                                const std::string& query) {
  ConnectionOptions options = BrokerOptions(b);
  auto url = TransportUrl::Parse("amqps://" + b.user + ":" +
                                 Encoded(b.password) + "@" + host + ":" +
                                 std::to_string(b.tls_port) + "/" + query);
  EXPECT_TRUE(url.ok()) << url.status().ToString();
  options.url = url.value();
  return options;
}

std::string AllFiles(const BrokerInfo& b) {
  return "?ssl_ca_file=" + Encoded(b.tls_ca) +
         "&ssl_cert_file=" + Encoded(b.tls_client_cert) +
         "&ssl_key_file=" + Encoded(b.tls_client_key);
}

#define NFVSM_REQUIRE_TLS(broker) \
  NFVSM_REQUIRE_BROKER(broker);   \
  ASSERT_NE(broker.tls_port, 0) << "the test node has no TLS listener"

// covers: R2.1.70, R1.3.280
TEST(TlsTest, ConnectsWithCaAndClientCertificate) {
  NFVSM_REQUIRE_TLS(broker);
  auto conn =
      Connection::Open(TlsOptionsFor(broker, "localhost", AllFiles(broker)));
  ASSERT_TRUE(conn.ok()) << conn.status().ToString();
  EXPECT_TRUE((*conn)->connected());
  QueueSpec probe{
      .name = testing::UniqueName("tls"), .durable = false, .exclusive = true};
  EXPECT_TRUE((*conn)->DeclareQueue(probe).ok());
}

// covers: R2.1.70, R1.3.280
TEST(TlsTest, HostNameMismatchIsRefused) {
  NFVSM_REQUIRE_TLS(broker);
  // The certificate names "localhost", not 127.0.0.1.
  auto conn =
      Connection::Open(TlsOptionsFor(broker, "127.0.0.1", AllFiles(broker)));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
  EXPECT_THAT(conn.status().message(), HasSubstr("TLS connect"));
  EXPECT_THAT(conn.status().message(), Not(HasSubstr(broker.password)));
  // Turning the name check off (API only, never from the URL) connects.
  ConnectionOptions relaxed =
      TlsOptionsFor(broker, "127.0.0.1", AllFiles(broker));
  relaxed.url.tls.verify_hostname = false;
  EXPECT_TRUE(Connection::Open(relaxed).ok());
}

// covers: R2.1.70, R1.3.280
TEST(TlsTest, UntrustedBrokerIsRefused) {
  NFVSM_REQUIRE_TLS(broker);
  // No ssl_ca_file: the system store, which does not know the test CA.
  auto conn = Connection::Open(
      TlsOptionsFor(broker, "localhost",
                    "?ssl_cert_file=" + Encoded(broker.tls_client_cert) +
                        "&ssl_key_file=" + Encoded(broker.tls_client_key)));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
}

// covers: R2.1.70, R1.3.280
TEST(TlsTest, BrokerRefusesAClientWithoutCertificate) {
  NFVSM_REQUIRE_TLS(broker);
  auto conn = Connection::Open(TlsOptionsFor(
      broker, "localhost", "?ssl_ca_file=" + Encoded(broker.tls_ca)));
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
}

// covers: R2.1.70
TEST(TlsTest, UnreadableCaFileIsAConfigurationError) {
  NFVSM_REQUIRE_TLS(broker);
  auto conn = Connection::OpenWithRetry(
      TlsOptionsFor(broker, "localhost", "?ssl_ca_file=/nonexistent/ca.pem"),
      std::chrono::seconds(30));
  ASSERT_FALSE(conn.ok());
  // Not retried: retrying cannot make the file appear.
  EXPECT_EQ(conn.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(conn.status().message(), HasSubstr("/nonexistent/ca.pem"));
}

// covers: R2.1.70, R1.3.280
TEST(TlsTest, TlsToThePlainPortFails) {
  NFVSM_REQUIRE_TLS(broker);
  ConnectionOptions options =
      TlsOptionsFor(broker, "localhost", AllFiles(broker));
  options.url.brokers[0].port = broker.port;
  auto conn = Connection::Open(options);
  ASSERT_FALSE(conn.ok());
  EXPECT_EQ(conn.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace nfvsm::amqp
