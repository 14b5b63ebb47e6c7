// SEC003 trust invalidation: quarantined or SM-terminated VNFs have their
// credentials revoked (the signed CRL the VBS serves) and cannot
// re-bootstrap.
#include <gtest/gtest.h>

#include "core/vbs/vbs_test_support.h"

namespace nfvsm::vbs {
namespace {

using testing::IsRefusal;
using testing::kDomain;
using testing::kPlatformA;
using testing::kPlatformB;
using testing::ManualHandshake;
using testing::Must;
using testing::VbsWorld;

QuarantineEntry Quarantine(QuarantineTarget target, const std::string& id) {
  QuarantineEntry e;
  e.target = target;
  e.target_id = id;
  e.by_sm = "sm-1";
  e.domain = kDomain;
  e.reason = "compromised";
  return e;
}

class RevocationTest : public ::testing::Test {
 protected:
  void SetUp() override {
    w_.RegisterVnf("vnf-1");
    ASSERT_TRUE(
        w_.server_->RegisterVnf(w_.Registration("vnf-2", "image-v2")).ok());
  }
  bool Revoked(const AgentCredential& c) {
    const std::string crl = Must(w_.server_->RevocationList());
    Status s = VerifyCertificate(c.certificate_der, w_.ca_chain_,
                                 w_.clock_.Now(), crl);
    return s.code() == StatusCode::kUnauthenticated &&
           s.message().find("revoked") != std::string::npos;
  }
  bool HasRevocationRecord(const std::string& reason) {
    for (const auto& r : w_.DomainAudit()) {
      if (r.kind == "vbs.credential.revoked" && r.body.at("reason") == reason) {
        return true;
      }
    }
    return false;
  }
  VbsWorld w_;
};

// covers: SEC003, VBS-M4, IFA026 4
TEST_F(RevocationTest, QuarantinedVnfCannotRebootstrap) {
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  ASSERT_TRUE(
      w_.quarantine_.Add(Quarantine(QuarantineTarget::kVnfInstance, "vnf-1"))
          .ok());
  // Refused at M1 already: it gets no session.
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(w_.Params("vnf-1")).status(),
                        StatusCode::kFailedPrecondition,
                        RefusalReason::kQuarantined));
  EXPECT_EQ(w_.LastRefusal()->body.at("reason"), "quarantined");
  // Syncing with the registry revokes what it still holds.
  EXPECT_EQ(Must(w_.server_->SyncWithQuarantine()), 1u);
  EXPECT_TRUE(Revoked(cred));
  EXPECT_TRUE(HasRevocationRecord("privilege_withdrawn"));
  EXPECT_EQ(Must(w_.server_->SyncWithQuarantine()), 0u);  // idempotent
}

// Quarantined between M1 and M3: M3 is refused and the old credential is
// revoked on the spot.
// covers: SEC003, VBS-M4
TEST_F(RevocationTest, QuarantineBetweenM1AndM3RefusesAndRevokes) {
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  ManualHandshake h;
  std::string m2 = Must(w_.server_->HandleStart(h.M1(), {"x"}));
  ASSERT_TRUE(
      w_.quarantine_.Add(Quarantine(QuarantineTarget::kVnfInstance, "vnf-1"))
          .ok());
  EXPECT_TRUE(IsRefusal(
      w_.server_->HandleRegister(Encode(h.M3(m2, w_.hmee(kPlatformA))), {"x"})
          .status(),
      StatusCode::kFailedPrecondition, RefusalReason::kQuarantined));
  EXPECT_TRUE(Revoked(cred));
}

// covers: SEC003, R2.1.270
TEST_F(RevocationTest, QuarantinedImageOrHostRevokesWhatRunsFromIt) {
  AgentCredential one = Must(w_.Bootstrap(w_.Params("vnf-1")));
  auto two_params = w_.Params("vnf-2", kPlatformB);
  two_params.image_digest = testing::Digest("image-v2");
  AgentCredential two = Must(w_.Bootstrap(two_params));

  ASSERT_TRUE(
      w_.quarantine_.Add(Quarantine(QuarantineTarget::kImage, "image-v2"))
          .ok());
  EXPECT_EQ(Must(w_.server_->SyncWithQuarantine()), 1u);
  EXPECT_FALSE(Revoked(one));
  EXPECT_TRUE(Revoked(two));

  ASSERT_TRUE(
      w_.quarantine_.Add(Quarantine(QuarantineTarget::kHost, kPlatformA)).ok());
  EXPECT_EQ(Must(w_.server_->SyncWithQuarantine()), 1u);
  EXPECT_TRUE(Revoked(one));
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(w_.Params("vnf-1")).status(),
                        StatusCode::kFailedPrecondition,
                        RefusalReason::kQuarantined));
}

// covers: SEC003, R2.1.270
TEST_F(RevocationTest, SmTerminationInvalidatesTrustUntilReinstated) {
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  EXPECT_EQ(Must(w_.server_->RevokeVnf("vnf-1", "terminated by sm-1")), 1u);
  EXPECT_TRUE(Revoked(cred));
  EXPECT_TRUE(HasRevocationRecord("privilege_withdrawn"));
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(w_.Params("vnf-1")).status(),
                        StatusCode::kFailedPrecondition,
                        RefusalReason::kTrustInvalidated));
  ASSERT_TRUE(w_.server_->ReinstateVnf("vnf-1").ok());
  EXPECT_TRUE(w_.Bootstrap(w_.Params("vnf-1")).ok());
  EXPECT_EQ(w_.server_->ReinstateVnf("vnf-1").code(), StatusCode::kNotFound);
}

// Scale-in / MANO termination.
// covers: SEC003, R2.1.170
TEST_F(RevocationTest, RemovedVnfIsRevokedAndUnknown) {
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  ASSERT_TRUE(w_.server_->RemoveVnf("vnf-1").ok());
  EXPECT_TRUE(Revoked(cred));
  EXPECT_TRUE(HasRevocationRecord("cessation_of_operation"));
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(w_.Params("vnf-1")).status(),
                        StatusCode::kNotFound, RefusalReason::kVnfUnknown));
  EXPECT_EQ(w_.server_->RemoveVnf("vnf-1").code(), StatusCode::kNotFound);
}

// covers: SEC003
TEST_F(RevocationTest, CrlIsSignedByTheCaAndRebuiltOnChange) {
  const std::string empty = Must(w_.server_->RevocationList());
  EXPECT_EQ(Must(w_.server_->RevocationList()), empty);  // cached
  AgentCredential cred = Must(w_.Bootstrap(w_.Params("vnf-1")));
  EXPECT_FALSE(Revoked(cred));
  ASSERT_EQ(Must(w_.server_->RevokeVnf("vnf-1", "test")), 1u);
  const std::string after = Must(w_.server_->RevocationList());
  EXPECT_NE(after, empty);
  // Half its validity later it is re-signed even without changes.
  w_.clock_.Advance(std::chrono::minutes(31));
  EXPECT_NE(Must(w_.server_->RevocationList()), after);
  // Once the revoked certificate has expired, it leaves the CRL.
  EXPECT_EQ(w_.server_->Stats().revoked_credentials, 1u);
  w_.clock_.Advance(std::chrono::hours(25));
  ASSERT_TRUE(w_.server_->RevocationList().ok());
  EXPECT_EQ(w_.server_->Stats().revoked_credentials, 0u);
}

// covers: VBS-M3
TEST_F(RevocationTest, Tpm2QuotesAreRefusedUntilSupported) {
  crypto::SigningKey ak = Must(crypto::SigningKey::Generate());
  ASSERT_TRUE(w_.server_
                  ->RegisterPlatform(
                      {"tpm-host", QuoteFormat::kTpm2, ak.PublicKeyRaw()})
                  .ok());
  auto hmee = Must(SoftwareHmee::Create(
      std::move(ak),
      HmeeProvisioning{
          w_.vbs_public_key_, testing::kVbsAddress, "tpm-host", {}}));
  ManualHandshake h;
  h.platform_id = "tpm-host";
  RegisterMessage m3 =
      h.M3(Must(w_.server_->HandleStart(h.M1(), {"x"})), *hmee);
  m3.quote_format = QuoteFormat::kTpm2;
  ManualHandshake::SignWith(m3, *h.vnf_key);
  EXPECT_TRUE(IsRefusal(w_.server_->HandleRegister(Encode(m3), {"x"}).status(),
                        StatusCode::kFailedPrecondition,
                        RefusalReason::kQuoteFormatUnsupported));
}

// What nfvsm-vbs saves in its state file: revocations and withdrawn trust
// survive a restart.
// covers: SEC003
TEST_F(RevocationTest, StateSurvivesARestart) {
  AgentCredential kept = Must(w_.Bootstrap(w_.Params("vnf-1")));
  auto two_params = w_.Params("vnf-2");
  two_params.image_digest = testing::Digest("image-v2");
  AgentCredential revoked = Must(w_.Bootstrap(two_params));
  ASSERT_EQ(Must(w_.server_->RevokeVnf("vnf-2", "terminated by sm-1")), 1u);
  const uint64_t version = w_.server_->state_version();
  const std::string state = Must(w_.server_->ExportState());

  auto restarted = Must(Server::Create(
      VbsWorld::DefaultOptions(), Must(crypto::SigningKey::Generate()),
      Must(CertificateAuthority::CreateSelfSigned("restarted", w_.clock_.Now(),
                                                  std::chrono::hours(24))),
      *w_.audit_, &w_.quarantine_, w_.clock_));
  ASSERT_TRUE(restarted->ImportState(state).ok());
  ServerStats stats = restarted->Stats();
  EXPECT_EQ(stats.live_credentials, 1u);
  EXPECT_EQ(stats.revoked_credentials, 1u);
  EXPECT_EQ(Must(restarted->ExportState()), state);
  // The SM's decision still stands.
  ASSERT_TRUE(
      restarted->RegisterVnf(w_.Registration("vnf-2", "image-v2")).ok());
  ASSERT_TRUE(restarted
                  ->RegisterPlatform({kPlatformA, QuoteFormat::kSoftwareEd25519,
                                      w_.hmee(kPlatformA).public_key().Raw()})
                  .ok());
  ManualHandshake h;
  h.vnf_id = "vnf-2";
  EXPECT_TRUE(IsRefusal(restarted->HandleStart(h.M1(), {"x"}).status(),
                        StatusCode::kFailedPrecondition,
                        RefusalReason::kTrustInvalidated));
  // Issuing changes the version; malformed state is refused.
  EXPECT_GT(version, 0u);
  EXPECT_EQ(restarted->ImportState("\xff\xff").code(),
            StatusCode::kInvalidArgument);
  (void)kept;
  (void)revoked;
}

}  // namespace
}  // namespace nfvsm::vbs
