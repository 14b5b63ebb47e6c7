#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "nfvsm/audit.h"

namespace nfvsm {
namespace {

namespace fs = std::filesystem;

class AuditKeysTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string tmpl = fs::temp_directory_path() / "nfvsm-audit-XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl.data()), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string Write(const std::string& name, const std::string& text,
                    fs::perms mode = fs::perms::owner_read) {
    std::string path = dir_ / name;
    std::ofstream(path) << text;
    fs::permissions(path, mode);
    return path;
  }
  fs::path dir_;
};

// covers: R1.3.270, R2.1.70
TEST_F(AuditKeysTest, GenerateMakesDistinct32ByteKeys) {
  auto with = AuditKeys::Generate(true);
  ASSERT_TRUE(with.ok());
  EXPECT_EQ(with->hmac_key.size(), 32u);
  ASSERT_TRUE(with->encryption_key.has_value());
  EXPECT_EQ(with->encryption_key->size(), 32u);
  EXPECT_NE(with->hmac_key.view(), with->encryption_key->view());
  auto without = AuditKeys::Generate(false);
  ASSERT_TRUE(without.ok());
  EXPECT_FALSE(without->encryption_key.has_value());
  EXPECT_NE(without->hmac_key.view(), with->hmac_key.view());
  AuditKeys copy = with->Clone();
  EXPECT_EQ(copy.hmac_key.view(), with->hmac_key.view());
  EXPECT_EQ(copy.encryption_key->view(), with->encryption_key->view());
}

// covers: R1.3.270 (provisioned key files)
TEST_F(AuditKeysTest, KeyFileRoundTripsAsHex) {
  auto keys = AuditKeys::Generate(true);
  ASSERT_TRUE(keys.ok());
  std::string hmac_path = dir_ / "hmac.key";
  std::string enc_path = dir_ / "enc.key";
  ASSERT_TRUE(AuditKeys::WriteKeyFile(hmac_path, keys->hmac_key).ok());
  ASSERT_TRUE(AuditKeys::WriteKeyFile(enc_path, *keys->encryption_key).ok());
  std::ifstream in(hmac_path);
  std::string text((std::istreambuf_iterator<char>(in)), {});
  EXPECT_EQ(text, crypto::HexEncode(keys->hmac_key.view()) + "\n");

  auto loaded = AuditKeys::Load(hmac_path, enc_path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->hmac_key.view(), keys->hmac_key.view());
  EXPECT_EQ(loaded->encryption_key->view(), keys->encryption_key->view());
  auto hmac_only = AuditKeys::Load(hmac_path, "");
  ASSERT_TRUE(hmac_only.ok());
  EXPECT_FALSE(hmac_only->encryption_key.has_value());
  EXPECT_EQ(AuditKeys::WriteKeyFile(hmac_path, keys->hmac_key).code(),
            StatusCode::kAlreadyExists);
}

// covers: R1.3.270
TEST_F(AuditKeysTest, KeyFileToleratesWhitespaceAndCase) {
  std::string hex(64, 'A');
  auto key = AuditKeys::LoadKeyFile(Write("k", "  " + hex + " \r\n\n"));
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->view(), std::string(32, '\xaa'));
}

// covers: R1.3.270 (a bad key file is an error that does not echo the key)
TEST_F(AuditKeysTest, BadKeyFilesAreRefused) {
  const std::string secretish = "deadbeefcafef00d";
  struct Case {
    const char* name;
    std::string text;
    fs::perms mode;
    StatusCode code;
  };
  const Case cases[] = {
      {"short", secretish + std::string(46, '0'), fs::perms::owner_read,
       StatusCode::kInvalidArgument},
      {"long", secretish + std::string(50, '0'), fs::perms::owner_read,
       StatusCode::kInvalidArgument},
      {"not hex", secretish + std::string(47, '0') + "g", fs::perms::owner_read,
       StatusCode::kInvalidArgument},
      {"raw bytes", std::string(32, 'k'), fs::perms::owner_read,
       StatusCode::kInvalidArgument},
      {"empty", "", fs::perms::owner_read, StatusCode::kInvalidArgument},
      {"group readable", secretish + std::string(48, '0'),
       fs::perms::owner_read | fs::perms::group_read,
       StatusCode::kFailedPrecondition},
  };
  for (const auto& c : cases) {
    auto r = AuditKeys::LoadKeyFile(Write(c.name, c.text, c.mode));
    EXPECT_EQ(r.status().code(), c.code) << c.name;
    EXPECT_EQ(r.status().message().find(secretish), std::string::npos)
        << c.name;
  }
  EXPECT_EQ(AuditKeys::LoadKeyFile((dir_ / "absent").string()).status().code(),
            StatusCode::kNotFound);
  EXPECT_EQ(AuditKeys::WriteKeyFile((dir_ / "w").string(),
                                    crypto::SecretBytes("short"))
                .code(),
            StatusCode::kInvalidArgument);
}

// covers: R1.3.270
TEST(AuditFaultTest, NamesAreStable) {
  EXPECT_EQ(ToString(AuditFault::kNone), "none");
  EXPECT_EQ(ToString(AuditFault::kMacMismatch), "mac_mismatch");
  EXPECT_EQ(ToString(AuditFault::kTruncated), "truncated");
  EXPECT_EQ(ToString(AuditFault::kBeyondHead), "beyond_head");
}

}  // namespace
}  // namespace nfvsm
