// The capture protocol end to end in process: the happy path, and each
// attack refused with its own reason and audited in the VNF's domain.
#include <gtest/gtest.h>

#include "core/vbs/vbs_test_support.h"

namespace nfvsm::vbs {
namespace {

using testing::Digest;
using testing::IsRefusal;
using testing::kDomain;
using testing::kPlatformA;
using testing::kPlatformB;
using testing::ManualHandshake;
using testing::Must;
using testing::VbsWorld;

const RequestContext kFrom{"198.51.100.7:5555"};

class HandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    w_.RegisterVnf("vnf-1");
    w_.RegisterVnf("vnf-2");
  }
  StatusOr<std::string> Start(const std::string& m1) {
    return w_.server_->HandleStart(m1, kFrom);
  }
  StatusOr<std::string> Register(const RegisterMessage& m3) {
    return w_.server_->HandleRegister(Encode(m3), kFrom);
  }
  // The reason of the last refusal audited in `partition`.
  std::string LastRefusalReason(
      const std::string& partition = VbsPartition(kDomain)) {
    auto r = w_.LastRefusal(partition);
    return r ? r->body.at("reason").get<std::string>() : "<none>";
  }

  VbsWorld w_;
};

// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4, R1.3.160
TEST_F(HandshakeTest, HappyPathIssuesACredentialBoundToVnfKeyAndPlatform) {
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  EXPECT_EQ(cred.info.public_key, cred.key.PublicKeyRaw());
  EXPECT_EQ(cred.info.uris,
            (std::vector<std::string>{
                "urn:nfvsm:vnf:vnf-1",
                "spiffe://nfvsm.test/nfvsm/domain/tenant-a/vnf/vnf-1/"
                "platform/compute-1"}));
  EXPECT_EQ(cred.vnfm_address, "https://vnfm.test:9890");
  EXPECT_EQ(cred.em_address, "https://em.test:8080");
  EXPECT_EQ(cred.ca_certificates_der, w_.ca_chain_);
  EXPECT_TRUE(
      VerifyCertificate(cred.certificate_der, w_.ca_chain_, w_.clock_.Now())
          .ok());
  EXPECT_EQ(cred.info.not_after,
            std::chrono::floor<std::chrono::seconds>(w_.clock_.Now()) +
                std::chrono::hours(24));

  auto audit = w_.DomainAudit();
  ASSERT_EQ(audit.size(), 1u);
  EXPECT_EQ(audit[0].kind, "vbs.handshake.accepted");
  EXPECT_EQ(audit[0].subject, "vnf-1");
  EXPECT_EQ(audit[0].body.at("serial"), cred.info.serial_hex);
  EXPECT_EQ(audit[0].body.at("platform_id"), kPlatformA);
  EXPECT_EQ(audit[0].body.at("source"), "192.0.2.10:40000");
  ServerStats stats = w_.server_->Stats();
  EXPECT_EQ(stats.handshakes_accepted, 1u);
  EXPECT_EQ(stats.half_open_sessions, 0u);
  EXPECT_EQ(stats.live_credentials, 1u);
}

// Scale-out: each instance of one image gets its own credential.
// covers: VBS-M4
TEST_F(HandshakeTest, TwoInstancesOfOneImageGetDistinctCredentials) {
  AgentCredential a = Must(w_.Bootstrap(w_.Params("vnf-1")));
  AgentCredential b = Must(w_.Bootstrap(w_.Params("vnf-2", kPlatformB)));
  EXPECT_NE(a.info.serial_hex, b.info.serial_hex);
  EXPECT_NE(a.info.public_key, b.info.public_key);
  EXPECT_NE(a.info.uris, b.info.uris);
  EXPECT_EQ(b.info.uris[0], "urn:nfvsm:vnf:vnf-2");
  EXPECT_NE(b.info.uris[1].find("/platform/compute-2"), std::string::npos);
}

// covers: VBS-M2
TEST_F(HandshakeTest, ReplayedM1IsRefused) {
  ManualHandshake h;
  ASSERT_TRUE(Start(h.M1()).ok());
  EXPECT_TRUE(IsRefusal(Start(h.M1()).status(), StatusCode::kAlreadyExists,
                        RefusalReason::kReplayedStart));
  EXPECT_EQ(LastRefusalReason(), "replayed_m1");
}

// covers: VBS-M2, VBS-M4
TEST_F(HandshakeTest, N1ReusedAfterACompletedHandshakeIsRefused) {
  ManualHandshake h;
  std::string m2 = Must(Start(h.M1()));
  ASSERT_TRUE(Register(h.M3(m2, w_.hmee(kPlatformA))).ok());
  ManualHandshake again;  // another agent, same N1
  again.n1 = h.n1;
  EXPECT_TRUE(IsRefusal(Start(again.M1()).status(), StatusCode::kAlreadyExists,
                        RefusalReason::kNonceReused));
  EXPECT_EQ(LastRefusalReason(), "n1_reused");
}

// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, ReplayedM3IsRefused) {
  ManualHandshake h;
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), w_.hmee(kPlatformA));
  ASSERT_TRUE(Register(m3).ok());
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kReplayedRegister));
  EXPECT_EQ(LastRefusalReason(), "replayed_m3");
  EXPECT_EQ(w_.server_->Stats().live_credentials, 1u);
}

// covers: VBS-M4
TEST_F(HandshakeTest, WrongN2IsRefusedAndConsumesTheSession) {
  ManualHandshake h;
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), w_.hmee(kPlatformA));
  RegisterMessage forged = m3;
  forged.n2[0] ^= 0x01;
  ManualHandshake::SignWith(forged, *h.vnf_key);
  EXPECT_TRUE(IsRefusal(Register(forged).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kNonceMismatch));
  EXPECT_EQ(LastRefusalReason(), "n2_mismatch");
  // Single use: the genuine M3 now finds its session gone.
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kSessionConsumed));
}

// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, M3SignedByAnotherKeyIsRefused) {
  ManualHandshake h;
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), w_.hmee(kPlatformA));
  ManualHandshake::SignWith(m3, Must(crypto::SigningKey::Generate()));
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kSignatureInvalid));
  EXPECT_EQ(LastRefusalReason(), "m3_signature_invalid");
}

// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, M3NamingAnotherVnfThanM1IsRefused) {
  ManualHandshake h;
  std::string m2 = Must(Start(h.M1()));
  ManualHandshake other = h;
  other.vnf_id = "vnf-2";
  RegisterMessage m3 = other.M3(m2, w_.hmee(kPlatformA));
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kIdentityMismatch));
}

// A platform's HMEE key only vouches for that platform: a quote made by
// another HMEE (here one that claims to be compute-1) does not verify.
// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, QuoteFromAnotherPlatformsHmeeIsRefused) {
  auto rogue = Must(SoftwareHmee::Create(
      Must(crypto::SigningKey::Generate()),
      HmeeProvisioning{
          w_.vbs_public_key_, testing::kVbsAddress, kPlatformA, {}}));
  ManualHandshake h;
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), *rogue);
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kQuoteInvalid));
  EXPECT_EQ(LastRefusalReason(), "quote_invalid");

  // compute-2's genuine HMEE quoting for a VNF that claims compute-1.
  ManualHandshake h2;
  RegisterMessage m3b = h2.M3(Must(Start(h2.M1())), w_.hmee(kPlatformB));
  EXPECT_TRUE(IsRefusal(Register(m3b).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kQuoteInvalid));
}

// An HMEE provisioned for another VBS (h2) yields quotes this VBS refuses.
// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, QuoteForAnotherVbsIsRefused) {
  crypto::SigningKey hmee_key = Must(crypto::SigningKey::Generate());
  ASSERT_TRUE(
      w_.server_
          ->RegisterPlatform({"compute-9", QuoteFormat::kSoftwareEd25519,
                              hmee_key.PublicKeyRaw()})
          .ok());
  auto misprovisioned = Must(SoftwareHmee::Create(
      std::move(hmee_key),
      HmeeProvisioning{
          w_.vbs_public_key_, "https://other-vbs:8443", "compute-9", {}}));
  ManualHandshake h;
  h.platform_id = "compute-9";
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), *misprovisioned);
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kQuoteInvalid));
}

// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, QuoteOverAnotherImageOrVnfdIsRefused) {
  ManualHandshake image;
  image.image = "image-tampered";
  EXPECT_TRUE(IsRefusal(
      Register(image.M3(Must(Start(image.M1())), w_.hmee(kPlatformA))).status(),
      StatusCode::kUnauthenticated, RefusalReason::kImageMismatch));
  EXPECT_EQ(LastRefusalReason(), "image_mismatch");

  ManualHandshake vnfd;
  vnfd.vnfd = "vnfd-tampered";
  EXPECT_TRUE(IsRefusal(
      Register(vnfd.M3(Must(Start(vnfd.M1())), w_.hmee(kPlatformA))).status(),
      StatusCode::kUnauthenticated, RefusalReason::kVnfdMismatch));
  EXPECT_EQ(LastRefusalReason(), "vnfd_mismatch");

  // Claiming the registered digests over a quote of other ones fails the
  // quote itself.
  ManualHandshake lie;
  RegisterMessage m3 = lie.M3(Must(Start(lie.M1())), w_.hmee(kPlatformA));
  lie.image = "image-tampered";
  RegisterMessage quoted_other =
      lie.M3(Encode(StartResponseMessage{lie.n1, m3.n2, std::string(64, 's')}),
             w_.hmee(kPlatformA));
  m3.quote = quoted_other.quote;
  ManualHandshake::SignWith(m3, *lie.vnf_key);
  EXPECT_TRUE(IsRefusal(Register(m3).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kQuoteInvalid));
}

// One case per whitelist kind (SEC024 6.1.2: VNF instance, VNFD, image,
// VNFM, EM): each refused with its own reason.
// covers: VBS-M4
TEST_F(HandshakeTest, EachWhitelistIsEnforced) {
  struct Case {
    const char* name;
    std::function<void(BootPolicy&)> restrict;
    RefusalReason reason;
  };
  const std::vector<Case> cases = {
      {"vnf", [](BootPolicy& p) { p.vnf_whitelist = {"vnf-2"}; },
       RefusalReason::kVnfNotWhitelisted},
      {"vnfd", [](BootPolicy& p) { p.vnfd_whitelist = {"vnfd-v2"}; },
       RefusalReason::kVnfdNotWhitelisted},
      {"image", [](BootPolicy& p) { p.image_whitelist = {"image-v2"}; },
       RefusalReason::kImageNotWhitelisted},
      {"vnfm", [](BootPolicy& p) { p.vnfm_whitelist = {"https://other-vnfm"}; },
       RefusalReason::kVnfmNotWhitelisted},
      {"em", [](BootPolicy& p) { p.em_whitelist = {"https://other-em"}; },
       RefusalReason::kEmNotWhitelisted},
  };
  for (const Case& c : cases) {
    BootPolicy policy;
    c.restrict(policy);
    ASSERT_TRUE(w_.server_->SetBootPolicy(kDomain, policy).ok());
    auto refused = w_.Bootstrap(w_.Params("vnf-1"));
    EXPECT_TRUE(
        IsRefusal(refused.status(), StatusCode::kPermissionDenied, c.reason))
        << c.name;
    EXPECT_EQ(LastRefusalReason(), ToString(c.reason)) << c.name;
  }
  // Whitelisting by id or by digest lets it through.
  BootPolicy allow;
  allow.vnf_whitelist = {"vnf-1"};
  allow.image_whitelist = {"sha256:" + crypto::HexEncode(Digest("image-v1"))};
  allow.vnfd_whitelist = {"vnfd-v1"};
  allow.vnfm_whitelist = {"https://vnfm.test:9890"};
  allow.em_whitelist = {"https://em.test:8080"};
  ASSERT_TRUE(w_.server_->SetBootPolicy(kDomain, allow).ok());
  EXPECT_TRUE(w_.Bootstrap(w_.Params("vnf-1")).ok());
}

// covers: VBS-M4
TEST_F(HandshakeTest, ExpiredSessionIsRefused) {
  ManualHandshake h;
  std::string m2 = Must(Start(h.M1()));
  w_.clock_.Advance(std::chrono::seconds(31));
  EXPECT_TRUE(IsRefusal(Register(h.M3(m2, w_.hmee(kPlatformA))).status(),
                        StatusCode::kDeadlineExceeded,
                        RefusalReason::kSessionExpired));
  EXPECT_EQ(LastRefusalReason(), "session_expired");
  EXPECT_EQ(w_.server_->Stats().sessions_expired, 1u);
}

// covers: VBS-M4
TEST_F(HandshakeTest, UnknownSessionIsRefused) {
  ManualHandshake h;
  std::string m2 = Encode(
      StartResponseMessage{h.n1, std::string(32, 'n'), std::string(64, 's')});
  EXPECT_TRUE(IsRefusal(Register(h.M3(m2, w_.hmee(kPlatformA))).status(),
                        StatusCode::kUnauthenticated,
                        RefusalReason::kUnknownSession));
}

// covers: VBS-M1, VBS-M4
TEST_F(HandshakeTest, UnregisteredVnfsAndPlatformsAreRefused) {
  ManualHandshake vnf;
  vnf.vnf_id = "vnf-unknown";
  EXPECT_TRUE(IsRefusal(Start(vnf.M1()).status(), StatusCode::kNotFound,
                        RefusalReason::kVnfUnknown));
  EXPECT_EQ(LastRefusalReason(std::string(kVbsUnattributedPartition)),
            "vnf_unknown");

  ManualHandshake platform;
  platform.platform_id = "compute-unknown";
  EXPECT_TRUE(IsRefusal(Start(platform.M1()).status(), StatusCode::kNotFound,
                        RefusalReason::kPlatformUnknown));
  EXPECT_EQ(LastRefusalReason(), "platform_unknown");
}

// covers: VBS-M1, VBS-M3
TEST_F(HandshakeTest, MalformedMessagesAreRefusedAndAudited) {
  EXPECT_TRUE(IsRefusal(w_.server_->HandleStart("\x0a\x01", kFrom).status(),
                        StatusCode::kInvalidArgument,
                        RefusalReason::kMalformed));
  EXPECT_TRUE(IsRefusal(
      w_.server_->HandleRegister(std::string(100, '\xff'), kFrom).status(),
      StatusCode::kInvalidArgument, RefusalReason::kMalformed));
  EXPECT_EQ(w_.AuditOf(std::string(kVbsUnattributedPartition)).size(), 2u);
}

// The audit log cannot be written: no credential leaves.
// covers: VBS-M4, R1.3.260
TEST_F(HandshakeTest, AcceptedHandshakeIsRefusedWhenItCannotBeAudited) {
  ManualHandshake h;
  RegisterMessage m3 = h.M3(Must(Start(h.M1())), w_.hmee(kPlatformA));
  w_.store_.set_fail_appends(true);
  auto m4 = Register(m3);
  EXPECT_TRUE(IsRefusal(m4.status(), StatusCode::kUnavailable,
                        RefusalReason::kAuditUnavailable));
  EXPECT_EQ(w_.server_->Stats().live_credentials, 0u);
}

// covers: VBS-M3, VBS-M4
TEST_F(HandshakeTest, PlacementMismatchIsRefusedAndMigrationReattests) {
  VnfRegistration reg = w_.Registration("vnf-1");
  reg.platform_id = kPlatformA;
  ASSERT_TRUE(w_.server_->RegisterVnf(reg).ok());
  AgentCredential before = Must(w_.Bootstrap(w_.Params("vnf-1", kPlatformA)));

  // MANO migrates the VNF to compute-2.
  reg.platform_id = kPlatformB;
  ASSERT_TRUE(w_.server_->RegisterVnf(reg).ok());
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(w_.Params("vnf-1", kPlatformA)).status(),
                        StatusCode::kUnauthenticated,
                        RefusalReason::kPlatformMismatch));
  AgentCredential after = Must(w_.Bootstrap(w_.Params("vnf-1", kPlatformB)));
  EXPECT_NE(after.info.uris[1], before.info.uris[1]);
  // The credential of the old platform is superseded.
  const std::string crl = Must(w_.server_->RevocationList());
  EXPECT_EQ(VerifyCertificate(before.certificate_der, w_.ca_chain_,
                              w_.clock_.Now(), crl)
                .code(),
            StatusCode::kUnauthenticated);
  EXPECT_TRUE(VerifyCertificate(after.certificate_der, w_.ca_chain_,
                                w_.clock_.Now(), crl)
                  .ok());
}

// covers: VBS-M4
TEST_F(HandshakeTest, SameKeyRetrievesItsCredentialAndReissueReplacesIt) {
  ManualHandshake h;
  auto m4a = Must(DecodeRegisterResponse(
      Must(Register(h.M3(Must(Start(h.M1())), w_.hmee(kPlatformA))))));
  ManualHandshake again = h;  // same key, fresh N1
  again.n1 = Must(crypto::RandomBytes(kNonceBytes));
  auto m4b = Must(DecodeRegisterResponse(
      Must(Register(again.M3(Must(Start(again.M1())), w_.hmee(kPlatformA))))));
  EXPECT_EQ(m4b.certificate_der, m4a.certificate_der);  // retrieved

  ManualHandshake reissue = h;
  reissue.n1 = Must(crypto::RandomBytes(kNonceBytes));
  RegisterMessage m3 =
      reissue.M3(Must(Start(reissue.M1())), w_.hmee(kPlatformA));
  m3.reissue = true;
  ManualHandshake::SignWith(m3, *reissue.vnf_key);
  auto m4c = Must(DecodeRegisterResponse(Must(Register(m3))));
  EXPECT_NE(m4c.certificate_der, m4a.certificate_der);
  const std::string crl = Must(w_.server_->RevocationList());
  EXPECT_EQ(
      VerifyCertificate(m4a.certificate_der, w_.ca_chain_, w_.clock_.Now(), crl)
          .code(),
      StatusCode::kUnauthenticated);
  EXPECT_EQ(w_.server_->Stats().live_credentials, 1u);
}

// covers: VBS-M1, VBS-M4
TEST_F(HandshakeTest, InvalidConfigurationAndRegistrationsAreRefused) {
  ServerOptions bad = VbsWorld::DefaultOptions();
  bad.address.clear();
  auto ca = Must(CertificateAuthority::CreateSelfSigned("ca", w_.clock_.Now(),
                                                        std::chrono::hours(1)));
  EXPECT_EQ(Server::Create(bad, Must(crypto::SigningKey::Generate()),
                           std::move(ca), *w_.audit_, nullptr, w_.clock_)
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  VnfRegistration reg = w_.Registration("vnf-x");
  reg.image_digest = "short";
  EXPECT_EQ(w_.server_->RegisterVnf(reg).code(), StatusCode::kInvalidArgument);
  reg = w_.Registration("bad/id");
  EXPECT_EQ(w_.server_->RegisterVnf(reg).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(
      w_.server_
          ->RegisterPlatform({"p", QuoteFormat::kSoftwareEd25519, "not a key"})
          .code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(w_.server_->RemovePlatform("nope").code(), StatusCode::kNotFound);
  EXPECT_EQ(w_.server_->SetBootPolicy("a b", {}).code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::vbs
