#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

namespace fs = std::filesystem;

// A fresh directory per test, removed afterwards.
class TempDir {
 public:
  TempDir() {
    std::string tmpl = (fs::temp_directory_path() / "nfvsm-crypto-XXXXXX");
    char* made = ::mkdtemp(tmpl.data());
    EXPECT_NE(made, nullptr);
    path_ = tmpl;
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string File(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

void WriteWithMode(const std::string& path, const std::string& contents,
                   fs::perms mode) {
  std::ofstream(path, std::ios::binary) << contents;
  fs::permissions(path, mode);
}

// covers: R1.3.270 (key material never printed)
TEST(SecretBytesTest, PrintsOnlyItsSize) {
  SecretBytes s("super-secret-key");
  std::ostringstream os;
  os << s;
  EXPECT_EQ(os.str(), "[secret: 16 bytes]");
  EXPECT_EQ(os.str().find("super"), std::string::npos);
  EXPECT_EQ(::testing::PrintToString(s).find("super"), std::string::npos);
}

// covers: R1.3.270
TEST(SecretBytesTest, MoveEmptiesTheSourceAndCloneCopies) {
  SecretBytes a("key");
  SecretBytes b = a.Clone();
  EXPECT_EQ(b.view(), "key");
  SecretBytes c = std::move(a);
  EXPECT_EQ(c.view(), "key");
  EXPECT_TRUE(a.empty());  // NOLINT(bugprone-use-after-move): by design
  b = std::move(c);
  EXPECT_EQ(b.view(), "key");
  EXPECT_TRUE(c.empty());  // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(SecretBytes::Zeroed(4).view(), std::string(4, '\0'));
}

// covers: R1.3.270
TEST(HexTest, EncodeDecodeRoundTrip) {
  const std::string bytes("\x00\x01\x7f\x80\xfe\xff", 6);
  EXPECT_EQ(HexEncode(bytes), "00017f80feff");
  EXPECT_EQ(*HexDecode("00017f80feff"), bytes);
  EXPECT_EQ(*HexDecode("00017F80FEFF"), bytes);
  EXPECT_EQ(*HexDecode(""), "");
  EXPECT_EQ(HexDecodeSecret("0a0B")->view(), std::string("\x0a\x0b"));
}

// covers: R1.3.270 (malformed key text is an error, not a crash)
TEST(HexTest, MalformedHexIsInvalidArgument) {
  for (std::string bad :
       std::vector<std::string>{"0", "abc", "zz", "0g", "00 11", "0x00",
                                std::string("00\0"
                                            "1",
                                            4)}) {
    EXPECT_EQ(HexDecode(bad).status().code(), StatusCode::kInvalidArgument)
        << bad;
    EXPECT_EQ(HexDecodeSecret(bad).status().code(),
              StatusCode::kInvalidArgument)
        << bad;
  }
}

// covers: R1.3.270 (MAC and tag comparisons)
TEST(ConstantTimeEqualTest, Semantics) {
  struct Case {
    std::string a, b;
    bool equal;
  };
  const Case cases[] = {
      {"", "", true},
      {"abc", "abc", true},
      {"abc", "abd", false},
      {"abc", "ab", false},
      {"ab", "abc", false},
      {"", "a", false},
      {std::string("a\0b", 3), std::string("a\0c", 3), false},
      {std::string("a\0b", 3), std::string("a\0b", 3), true},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(ConstantTimeEqual(c.a, c.b), c.equal)
        << HexEncode(c.a) << " vs " << HexEncode(c.b);
  }
}

// covers: R1.3.270
TEST(RandomTest, GivesRequestedLengthAndDiffers) {
  auto a = RandomBytes(32);
  auto b = RandomBytes(32);
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_EQ(a->size(), 32u);
  EXPECT_NE(*a, *b);
  EXPECT_EQ(RandomBytes(0)->size(), 0u);
  auto s = RandomSecret(32);
  ASSERT_TRUE(s.ok());
  EXPECT_EQ(s->size(), 32u);
  EXPECT_NE(s->view(), std::string(32, '\0'));
  EXPECT_EQ(RandomBytes(size_t{1} << 31).status().code(),
            StatusCode::kResourceExhausted);
}

// covers: R1.3.270 (provisioned keys are protected on disk)
TEST(SecretFileTest, RefusesFilesReadableByGroupOrOthers) {
  TempDir dir;
  const std::string path = dir.File("key");
  for (fs::perms mode :
       {fs::perms::owner_read | fs::perms::group_read,
        fs::perms::owner_read | fs::perms::others_read,
        fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_write,
        fs::perms::owner_read | fs::perms::others_exec}) {
    WriteWithMode(path, "secret",
                  fs::perms::owner_read | fs::perms::owner_write);
    fs::permissions(path, mode);
    EXPECT_EQ(ReadSecretFile(path).status().code(),
              StatusCode::kFailedPrecondition)
        << static_cast<int>(mode);
    fs::remove(path);
  }
  WriteWithMode(path, "secret", fs::perms::owner_read);
  auto ok = ReadSecretFile(path);
  ASSERT_TRUE(ok.ok()) << ok.status().ToString();
  EXPECT_EQ(ok->view(), "secret");
}

// covers: R1.3.270
TEST(SecretFileTest, MissingDirectoryAndOversizedAreErrors) {
  TempDir dir;
  EXPECT_EQ(ReadSecretFile(dir.File("absent")).status().code(),
            StatusCode::kNotFound);
  fs::create_directory(dir.File("d"));
  fs::permissions(dir.File("d"), fs::perms::owner_all);
  EXPECT_EQ(ReadSecretFile(dir.File("d")).status().code(),
            StatusCode::kInvalidArgument);
  WriteWithMode(dir.File("big"), std::string(2000, 'x'), fs::perms::owner_read);
  EXPECT_EQ(ReadSecretFile(dir.File("big"), 1999).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(ReadSecretFile(dir.File("big"), 2000)->size(), 2000u);
}

// covers: R1.3.270
TEST(SecretFileTest, WriteCreates0600AndNeverOverwrites) {
  TempDir dir;
  const std::string path = dir.File("new-key");
  ASSERT_TRUE(WriteSecretFile(path, "k1").ok());
  EXPECT_EQ(fs::status(path).permissions() & fs::perms::all,
            fs::perms::owner_read | fs::perms::owner_write);
  EXPECT_EQ(WriteSecretFile(path, "k2").code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(ReadSecretFile(path)->view(), "k1");
  EXPECT_EQ(WriteSecretFile(dir.File("no/such/dir"), "k").code(),
            StatusCode::kNotFound);
}

// covers: R2.1.70 (each SM's signing key is loaded from its own file)
TEST(SecretFileTest, SigningKeyLoadsFromPrivateFileOnly) {
  TempDir dir;
  auto key = SigningKey::Generate();
  ASSERT_TRUE(key.ok());
  const std::string path = dir.File("sm.pem");
  ASSERT_TRUE(WriteSecretFile(path, key->ToPem()->view()).ok());
  auto loaded = SigningKey::LoadPemFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  EXPECT_EQ(loaded->PublicKeyRaw(), key->PublicKeyRaw());
  fs::permissions(path, fs::perms::others_read, fs::perm_options::add);
  EXPECT_EQ(SigningKey::LoadPemFile(path).status().code(),
            StatusCode::kFailedPrecondition);
  WriteWithMode(dir.File("junk.pem"), "junk", fs::perms::owner_read);
  EXPECT_EQ(SigningKey::LoadPemFile(dir.File("junk.pem")).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::crypto
