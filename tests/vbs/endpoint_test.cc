// The VBS over its real HTTP endpoint on loopback (ephemeral port): the
// happy path, refusals as HTTP statuses with VbsError bodies, and the
// endpoint's own protections (body limit, rate limit, content type).
#include <gtest/gtest.h>
#include <httplib.h>

#include "core/vbs/vbs_test_support.h"
#include "lib/http_endpoint.h"
#include "lib/http_transport.h"

namespace nfvsm::vbs {
namespace {

using testing::IsRefusal;
using testing::kPlatformA;
using testing::ManualHandshake;
using testing::Must;
using testing::VbsWorld;

class EndpointTest : public ::testing::Test {
 protected:
  void SetUp() override {
    w_.RegisterVnf("vnf-1");
    w_.RegisterVnf("vnf-2");
  }
  void StartEndpoint(EndpointOptions o = {}) {
    endpoint_ = Must(HttpEndpoint::Create(*w_.server_, o, w_.clock_));
    ASSERT_TRUE(endpoint_->Start().ok());
    ASSERT_GT(endpoint_->port(), 0);
  }
  std::string Url() const {
    return "http://127.0.0.1:" + std::to_string(endpoint_->port());
  }
  httplib::Client Raw() const {
    return httplib::Client("127.0.0.1", endpoint_->port());
  }

  VbsWorld w_;
  std::unique_ptr<HttpEndpoint> endpoint_;
};

// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4, R1.3.160
TEST_F(EndpointTest, HappyPathOverHttp) {
  StartEndpoint();
  auto transport = Must(HttpTransport::Create(Url()));
  AgentCredential cred = Must(Bootstrap(w_.Params("vnf-1"), w_.hmee(kPlatformA),
                                        *transport, w_.clock_));
  EXPECT_EQ(cred.info.public_key, cred.key.PublicKeyRaw());
  EXPECT_EQ(cred.info.uris[0], "urn:nfvsm:vnf:vnf-1");
  EXPECT_TRUE(
      VerifyCertificate(cred.certificate_der, w_.ca_chain_, w_.clock_.Now())
          .ok());
  auto audit = w_.DomainAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].kind, "vbs.handshake.accepted");
  // The source is the agent's socket address.
  EXPECT_EQ(
      audit[0].body.at("source").get<std::string>().rfind("127.0.0.1:", 0), 0u);
}

// Refusals reach the agent as the VBS's Status and the HTTP status says
// the same.
// covers: VBS-M3, VBS-M4
TEST_F(EndpointTest, AttacksAreRefusedOverHttpWithTheirReason) {
  StartEndpoint();
  auto transport = Must(HttpTransport::Create(Url()));
  // Replayed M3.
  ManualHandshake h;
  std::string m2 = Must(transport->Start(h.M1()));
  const std::string m3 = Encode(h.M3(m2, w_.hmee(kPlatformA)));
  ASSERT_TRUE(transport->Register(m3).ok());
  EXPECT_TRUE(IsRefusal(transport->Register(m3).status(),
                        StatusCode::kUnauthenticated,
                        RefusalReason::kReplayedRegister));
  auto raw = Raw().Post(kRegisterPath, m3, kProtobufContentType);
  ASSERT_TRUE(raw);
  EXPECT_EQ(raw->status, 401);
  EXPECT_TRUE(IsRefusal(DecodeError(raw->body), StatusCode::kUnauthenticated,
                        RefusalReason::kReplayedRegister));
  // Image not what MANO registered.
  AgentParams params = w_.Params("vnf-2");
  params.image_digest = testing::Digest("image-evil");
  EXPECT_TRUE(IsRefusal(
      Bootstrap(params, w_.hmee(kPlatformA), *transport, w_.clock_).status(),
      StatusCode::kUnauthenticated, RefusalReason::kImageMismatch));
  EXPECT_EQ(w_.LastRefusal()->body.at("reason"), "image_mismatch");
}

// covers: R1.3.10/290
TEST_F(EndpointTest, OversizedBodiesAreRefusedBeforeParsing) {
  EndpointOptions o;
  o.max_body_bytes = 2048;
  StartEndpoint(o);
  auto res =
      Raw().Post(kStartPath, std::string(4096, 'x'), kProtobufContentType);
  ASSERT_TRUE(res);
  EXPECT_EQ(res->status, 413);
  EXPECT_EQ(DecodeError(res->body).code(), StatusCode::kResourceExhausted);
  EXPECT_EQ(w_.server_->Stats().refusals, 0u);  // never reached the VBS
}

// covers: R1.3.10/290
TEST_F(EndpointTest, EachSourceIsRateLimited) {
  EndpointOptions o;
  o.rate_limit = {1.0, 5.0, 100};
  StartEndpoint(o);
  httplib::Client client = Raw();
  int allowed = 0;
  int limited = 0;
  for (int i = 0; i < 8; ++i) {
    auto res = client.Get(kCrlPath);
    ASSERT_TRUE(res);
    if (res->status == 200) ++allowed;
    if (res->status == 429) {
      ++limited;
      EXPECT_EQ(DecodeError(res->body).code(), StatusCode::kResourceExhausted);
      EXPECT_EQ(res->get_header_value("Retry-After"), "1");
    }
  }
  // The manual clock stands still: exactly the burst gets through.
  EXPECT_EQ(allowed, 5);
  EXPECT_EQ(limited, 3);
  w_.clock_.Advance(std::chrono::seconds(2));
  EXPECT_EQ(client.Get(kCrlPath)->status, 200);
}

// covers: VBS-M1
TEST_F(EndpointTest, WrongContentTypeAndUnknownPathsAreRefused) {
  StartEndpoint();
  ManualHandshake h;
  auto wrong = Raw().Post(kStartPath, h.M1(), "application/json");
  ASSERT_TRUE(wrong);
  EXPECT_EQ(wrong->status, 400);
  EXPECT_EQ(DecodeError(wrong->body).code(), StatusCode::kInvalidArgument);
  auto unknown = Raw().Get("/vbs/v1/secrets");
  ASSERT_TRUE(unknown);
  EXPECT_EQ(unknown->status, 404);
  EXPECT_EQ(DecodeError(unknown->body).code(), StatusCode::kNotFound);
  auto garbage = Raw().Post(kRegisterPath, "\xff\xff", kProtobufContentType);
  ASSERT_TRUE(garbage);
  EXPECT_EQ(garbage->status, 400);
}

// covers: SEC003
TEST_F(EndpointTest, ServesTheSignedRevocationList) {
  StartEndpoint();
  auto transport = Must(HttpTransport::Create(Url()));
  AgentCredential cred = Must(Bootstrap(w_.Params("vnf-1"), w_.hmee(kPlatformA),
                                        *transport, w_.clock_));
  ASSERT_EQ(Must(w_.server_->RevokeVnf("vnf-1", "quarantined by sm-1")), 1u);
  const std::string crl = Must(transport->RevocationList());
  Status s = VerifyCertificate(cred.certificate_der, w_.ca_chain_,
                               w_.clock_.Now(), crl);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("revoked"), std::string::npos);
  auto raw = Raw().Get(kCrlPath);
  EXPECT_EQ(raw->get_header_value("Content-Type"), "application/pkix-crl");
}

// covers: VBS-M4
TEST_F(EndpointTest, RefusalDetailCanBeWithheld) {
  EndpointOptions o;
  o.detailed_refusals = false;
  StartEndpoint(o);
  auto transport = Must(HttpTransport::Create(Url()));
  ManualHandshake h;
  h.vnf_id = "vnf-unknown";
  Status s = transport->Start(h.M1()).status();
  EXPECT_EQ(s.code(), StatusCode::kNotFound);
  EXPECT_EQ(s.message().find("vnf_unknown"), std::string::npos);
  // The audit log keeps the detail.
  auto refused = w_.LastRefusal(std::string(kVbsUnattributedPartition));
  ASSERT_TRUE(refused);
  EXPECT_EQ(refused->body.at("reason"), "vnf_unknown");
}

// covers: R1.1.160
TEST_F(EndpointTest, PlainHttpOnlyOnLoopbackUnlessAllowed) {
  EndpointOptions o;
  o.bind_address = "0.0.0.0";
  EXPECT_EQ(HttpEndpoint::Create(*w_.server_, o, w_.clock_).status().code(),
            StatusCode::kInvalidArgument);
  o.allow_plain_http = true;
  EXPECT_TRUE(HttpEndpoint::Create(*w_.server_, o, w_.clock_).ok());
  o.tls_certificate_file = "/nonexistent.crt";
  EXPECT_EQ(HttpEndpoint::Create(*w_.server_, o, w_.clock_).status().code(),
            StatusCode::kInvalidArgument);  // no key given
}

// covers: VBS-M1
TEST_F(EndpointTest, UnreachableVbsIsRetryable) {
  StartEndpoint();
  const std::string url = Url();
  endpoint_->Stop();
  HttpTransportOptions o;
  o.connect_timeout = std::chrono::seconds(1);
  auto transport = Must(HttpTransport::Create(url, o));
  EXPECT_EQ(transport->Start(ManualHandshake().M1()).status().code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(HttpTransport::Create("ftp://x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(HttpTransport::Create("http://x:1/path").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::vbs
