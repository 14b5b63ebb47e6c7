#include <gtest/gtest.h>

#include <string>

#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

std::string Hex(const StatusOr<std::string>& bytes) {
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? HexEncode(*bytes) : "";
}

std::string Unhex(std::string_view hex) {
  auto bytes = HexDecode(hex);
  EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
  return bytes.ok() ? *bytes : "";
}

// covers: R1.3.270 (FIPS 180-4 known answers)
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Hex(Sha256("")),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Hex(Sha256("abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(
      Hex(Sha256("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")),
      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

// covers: R1.3.270
TEST(Sha256Test, IncrementalMatchesOneShotAndResetsAfterFinish) {
  auto hasher = Sha256Hasher::Create();
  ASSERT_TRUE(hasher.ok());
  ASSERT_TRUE(hasher->Update("ab").ok());
  ASSERT_TRUE(hasher->Update("").ok());
  ASSERT_TRUE(hasher->Update("c").ok());
  EXPECT_EQ(Hex(hasher->Finish()), Hex(Sha256("abc")));
  // A second message on the same hasher starts from scratch.
  ASSERT_TRUE(hasher->Update("abc").ok());
  EXPECT_EQ(Hex(hasher->Finish()), Hex(Sha256("abc")));
  // Finishing without any update is the digest of the empty message.
  EXPECT_EQ(Hex(hasher->Finish()), Hex(Sha256("")));
}

std::string Repeat(std::string_view unit, int times) {
  std::string out;
  for (int i = 0; i < times; ++i) out += unit;
  return out;
}

struct HmacVector {
  const char* name;
  std::string key_hex;
  std::string data;
  const char* mac_hex;
  size_t truncate_to = 32;
};

// covers: R1.3.270 (RFC 4231 test cases 1, 2, 3, 4, 5, 6, 7)
TEST(HmacSha256Test, Rfc4231Vectors) {
  const std::string k131 = Repeat("aa", 131);
  const std::vector<HmacVector> vectors = {
      {"case1", Repeat("0b", 20), "Hi There",
       "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"},
      {"case2", "4a656665", "what do ya want for nothing?",
       "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"},
      {"case3", Repeat("aa", 20), std::string(50, '\xdd'),
       "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe"},
      {"case4", "0102030405060708090a0b0c0d0e0f10111213141516171819",
       std::string(50, '\xcd'),
       "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b"},
      {"case5", Repeat("0c", 20), "Test With Truncation",
       "a3b6167473100ee06e0c796c2955552b", 16},
      {"case6", k131, "Test Using Larger Than Block-Size Key - Hash Key First",
       "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"},
      {"case7", k131,
       "This is a test using a larger than block-size key and a larger than "
       "block-size data. The key needs to be hashed before being used by the "
       "HMAC algorithm.",
       "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2"},
  };
  for (const auto& v : vectors) {
    SCOPED_TRACE(v.name);
    SecretBytes key(Unhex(v.key_hex));
    std::string mac = Hex(HmacSha256(key, v.data));
    EXPECT_EQ(mac.substr(0, v.truncate_to * 2), v.mac_hex);
  }
}

// covers: R1.3.270
TEST(HmacSha256Test, ReusableHasherKeepsItsKey) {
  SecretBytes key("0123456789abcdef0123456789abcdef");
  auto hmac = HmacSha256Hasher::Create(key);
  ASSERT_TRUE(hmac.ok());
  for (std::string msg : {"first", "second", ""}) {
    ASSERT_TRUE(hmac->Update(msg).ok());
    EXPECT_EQ(Hex(hmac->Finish()), Hex(HmacSha256(key, msg))) << msg;
  }
  // Keys are independent: another key gives another MAC (R2.1.70).
  SecretBytes other("0123456789abcdef0123456789abcdeF");
  EXPECT_NE(Hex(HmacSha256(key, "m")), Hex(HmacSha256(other, "m")));
}

// covers: R1.3.270
TEST(HmacSha256Test, EmptyKeyIsRefused) {
  SecretBytes empty;
  EXPECT_EQ(HmacSha256(empty, "x").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(HmacSha256Hasher::Create(empty).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::crypto
