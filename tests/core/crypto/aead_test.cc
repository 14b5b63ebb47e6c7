#include <gtest/gtest.h>

#include <string>

#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

SecretBytes Key(char fill) { return SecretBytes(std::string(32, fill)); }

// covers: R1.3.270
TEST(Aes256GcmTest, SealOpenRoundTrip) {
  SecretBytes key = Key('k');
  for (std::string plaintext :
       {std::string(), std::string("{\"vnf\":\"fw-1\"}"),
        std::string(100'000, '\0')}) {
    auto sealed = Aes256GcmSeal(key, plaintext, "aad");
    ASSERT_TRUE(sealed.ok()) << sealed.status().ToString();
    EXPECT_EQ(sealed->size(), kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
    if (!plaintext.empty()) {
      EXPECT_EQ(sealed->find(plaintext), std::string::npos)
          << "plaintext visible in ciphertext";
    }
    auto opened = Aes256GcmOpen(key, *sealed, "aad");
    ASSERT_TRUE(opened.ok()) << opened.status().ToString();
    EXPECT_EQ(*opened, plaintext);
  }
}

// covers: R1.3.270
TEST(Aes256GcmTest, FreshNonceEverySeal) {
  SecretBytes key = Key('k');
  auto a = Aes256GcmSeal(key, "same", "");
  auto b = Aes256GcmSeal(key, "same", "");
  ASSERT_TRUE(a.ok() && b.ok());
  EXPECT_NE(a->substr(0, kGcmNonceBytes), b->substr(0, kGcmNonceBytes));
  EXPECT_NE(*a, *b);
}

// covers: R1.3.270 (a flipped bit anywhere is detected, never decrypted)
TEST(Aes256GcmTest, AnyFlippedByteFailsWithDataLoss) {
  SecretBytes key = Key('k');
  auto sealed = Aes256GcmSeal(key, "attack at dawn", "partition|7");
  ASSERT_TRUE(sealed.ok());
  for (size_t i = 0; i < sealed->size(); ++i) {
    std::string tampered = *sealed;
    tampered[i] ^= 0x01;
    auto opened = Aes256GcmOpen(key, tampered, "partition|7");
    EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss) << "byte " << i;
  }
}

struct OpenCase {
  const char* name;
  std::string key;
  std::string aad;
};

// covers: R1.3.270, R2.1.70 (another key or another context cannot open)
TEST(Aes256GcmTest, WrongKeyOrAadFailsWithDataLoss) {
  SecretBytes key = Key('k');
  auto sealed = Aes256GcmSeal(key, "secret body", "mano|1");
  ASSERT_TRUE(sealed.ok());
  const OpenCase cases[] = {
      {"wrong key", std::string(32, 'x'), "mano|1"},
      {"wrong aad", std::string(32, 'k'), "mano|2"},
      {"missing aad", std::string(32, 'k'), ""},
  };
  for (const auto& c : cases) {
    auto opened = Aes256GcmOpen(SecretBytes(c.key), *sealed, c.aad);
    EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss) << c.name;
  }
}

// covers: R1.3.270
TEST(Aes256GcmTest, ShortInputIsDataLossNotACrash) {
  SecretBytes key = Key('k');
  for (size_t n : {size_t{0}, size_t{1}, kGcmNonceBytes,
                   kGcmNonceBytes + kGcmTagBytes - 1}) {
    auto opened = Aes256GcmOpen(key, std::string(n, '\x42'), "");
    EXPECT_EQ(opened.status().code(), StatusCode::kDataLoss) << n;
  }
  // Exactly nonce + tag is a well-formed (empty) message that still has to
  // authenticate.
  auto forged =
      Aes256GcmOpen(key, std::string(kGcmNonceBytes + kGcmTagBytes, 0), "");
  EXPECT_EQ(forged.status().code(), StatusCode::kDataLoss);
}

// covers: R1.3.270
TEST(Aes256GcmTest, KeyMustBe32Bytes) {
  for (size_t n : {size_t{0}, size_t{16}, size_t{31}, size_t{33}}) {
    SecretBytes key(std::string(n, 'k'));
    EXPECT_EQ(Aes256GcmSeal(key, "x", "").status().code(),
              StatusCode::kInvalidArgument)
        << n;
    EXPECT_EQ(Aes256GcmOpen(key, std::string(40, 'x'), "").status().code(),
              StatusCode::kInvalidArgument)
        << n;
  }
}

}  // namespace
}  // namespace nfvsm::crypto
