// Audit bodies encrypted at rest (R1.3.270): readable only with the
// encryption key, verifiable with the HMAC key alone.
#include <gtest/gtest.h>

#include <string>

#include "core/audit/audit_test_util.h"

namespace nfvsm::testing {
namespace {

const std::string kPart = PartitionFor("sm-1", "core");
const std::string kBody = R"({"instruction":"terminate","vnf":"vnf-7"})";

class AuditEncryptionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    writer_ = NewLog(store_, Keys('h', 'e'), clock_);
    for (int i = 0; i < 3; ++i) {
      auto r = writer_->Append(kPart, "instruction.accepted", "sm-1",
                               "vnf-" + std::to_string(i), kBody);
      ASSERT_TRUE(r.ok()) << r.status().ToString();
    }
  }
  MemoryAuditStore store_;
  ManualClock clock_;
  std::unique_ptr<AuditLog> writer_;
};

// covers: R1.3.270
TEST_F(AuditEncryptionTest, BodiesAreStoredEncryptedAndDecryptWithTheKey) {
  EXPECT_TRUE(writer_->encrypts());
  const AuditRecord& stored = store_.Record(kPart, 2);
  EXPECT_TRUE(stored.encrypted);
  EXPECT_EQ(stored.body.find("terminate"), std::string::npos);
  EXPECT_EQ(stored.body.size(),
            kBody.size() + crypto::kGcmNonceBytes + crypto::kGcmTagBytes);
  auto plain = writer_->Decrypt(stored);
  ASSERT_TRUE(plain.ok()) << plain.status().ToString();
  EXPECT_EQ(*plain, kBody);
  EXPECT_TRUE(writer_->Verify(kPart).ok);
}

// covers: R1.3.270, R2.1.70 (integrity key and confidentiality key apart)
TEST_F(AuditEncryptionTest, HmacKeyAloneVerifiesButCannotRead) {
  auto no_key = NewLog(store_, Keys('h'), clock_);
  VerifyReport report = no_key->Verify(kPart);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records_checked, 3u);
  EXPECT_EQ(no_key->Decrypt(store_.Record(kPart, 1)).status().code(),
            StatusCode::kFailedPrecondition);

  auto wrong_key = NewLog(store_, Keys('h', 'w'), clock_);
  EXPECT_TRUE(wrong_key->Verify(kPart).ok);
  auto r = wrong_key->Decrypt(store_.Record(kPart, 1));
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(r.status().message().find("terminate"), std::string::npos);
}

// covers: R1.3.270 (a ciphertext is bound to its partition and seq)
TEST_F(AuditEncryptionTest, CiphertextMovedToAnotherRecordDoesNotDecrypt) {
  AuditRecord moved = store_.Record(kPart, 2);
  moved.body = store_.Record(kPart, 1).body;
  EXPECT_EQ(writer_->Decrypt(moved).status().code(), StatusCode::kDataLoss);
  AuditRecord elsewhere = store_.Record(kPart, 1);
  elsewhere.partition = PartitionFor("sm-2", "core");
  EXPECT_EQ(writer_->Decrypt(elsewhere).status().code(), StatusCode::kDataLoss);
}

// covers: R1.3.270
TEST_F(AuditEncryptionTest, TamperedCiphertextFailsVerifyAndDecrypt) {
  store_.Record(kPart, 2).body[20] ^= 0x04;
  VerifyReport report = writer_->Verify(kPart);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.fault, AuditFault::kHashMismatch);
  EXPECT_EQ(report.first_bad_seq, 2u);
  EXPECT_EQ(writer_->Decrypt(store_.Record(kPart, 2)).status().code(),
            StatusCode::kDataLoss);
  // Truncated below nonce + tag: an error, not a crash.
  store_.Record(kPart, 3).body.resize(5);
  EXPECT_EQ(writer_->Decrypt(store_.Record(kPart, 3)).status().code(),
            StatusCode::kDataLoss);
}

// covers: R1.3.270 (plaintext records read back as they are)
TEST_F(AuditEncryptionTest, PlainRecordsNeedNoKey) {
  auto plain_log = NewLog(store_, Keys('h'), clock_);
  auto r = plain_log->Append("mano", "k", "a", "s", R"({"x":1})");
  ASSERT_TRUE(r.ok());
  EXPECT_FALSE(r->encrypted);
  EXPECT_EQ(*plain_log->Decrypt(*r), R"({"x":1})");
  EXPECT_EQ(*writer_->Decrypt(*r), R"({"x":1})");
}

}  // namespace
}  // namespace nfvsm::testing
