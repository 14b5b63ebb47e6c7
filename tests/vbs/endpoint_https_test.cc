// The endpoint over TLS, as VNFs in tenant networks reach it.
#include <gtest/gtest.h>

#include "core/vbs/vbs_test_support.h"
#include "lib/http_endpoint.h"
#include "lib/http_transport.h"
#include "vbs/test_files.h"

namespace nfvsm::vbs {
namespace {

using testing::kPlatformA;
using testing::Must;
using testing::RunCommand;
using testing::TempDir;
using testing::VbsWorld;

// A server certificate for 127.0.0.1, made with the openssl command.
struct TlsFiles {
  explicit TlsFiles(const TempDir& dir)
      : cert(dir.Path("tls.crt")), key(dir.Path("tls.key")) {
    auto [rc, out] = RunCommand(
        "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 "
        "-nodes -days 1 -subj /CN=127.0.0.1 -addext "
        "subjectAltName=IP:127.0.0.1 -keyout " +
        key + " -out " + cert);
    ok = rc == 0;
    output = out;
  }
  std::string cert;
  std::string key;
  bool ok = false;
  std::string output;
};

// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4, R1.1.160
TEST(EndpointHttpsTest, HappyPathOverTls) {
  TempDir dir;
  TlsFiles tls(dir);
  ASSERT_TRUE(tls.ok) << tls.output;
  VbsWorld w;
  w.RegisterVnf("vnf-1");
  EndpointOptions o;
  o.tls_certificate_file = tls.cert;
  o.tls_key_file = tls.key;
  auto endpoint = Must(HttpEndpoint::Create(*w.server_, o, w.clock_));
  ASSERT_TRUE(endpoint->Start().ok());
  const std::string url =
      "https://127.0.0.1:" + std::to_string(endpoint->port());

  HttpTransportOptions trusted;
  trusted.ca_file = tls.cert;
  auto transport = Must(HttpTransport::Create(url, trusted));
  AgentCredential cred = Must(
      Bootstrap(w.Params("vnf-1"), w.hmee(kPlatformA), *transport, w.clock_));
  EXPECT_EQ(cred.info.public_key, cred.key.PublicKeyRaw());

  // Without the CA, the TLS certificate is not trusted: nothing is sent.
  TempDir other;
  TlsFiles stranger(other);
  ASSERT_TRUE(stranger.ok) << stranger.output;
  HttpTransportOptions untrusted;
  untrusted.ca_file = stranger.cert;
  auto wary = Must(HttpTransport::Create(url, untrusted));
  EXPECT_EQ(wary->Start(testing::ManualHandshake().M1()).status().code(),
            StatusCode::kUnavailable);
}

}  // namespace
}  // namespace nfvsm::vbs
