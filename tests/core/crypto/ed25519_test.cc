#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>
#include <string>

#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

struct PkeyFree {
  void operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }
};
struct BioFree {
  void operator()(BIO* b) const { BIO_free(b); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string BioText(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  return std::string(data, static_cast<size_t>(len));
}

// PEMs of keys of other algorithms, made with OpenSSL directly.
std::string PrivatePem(EVP_PKEY* key, const EVP_CIPHER* cipher = nullptr,
                       const char* password = nullptr) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(
      PEM_write_bio_PrivateKey(
          bio.get(), key, cipher,
          reinterpret_cast<const unsigned char*>(password),
          password ? static_cast<int>(strlen(password)) : 0, nullptr, nullptr),
      1);
  return BioText(bio.get());
}

std::string PublicPem(EVP_PKEY* key) {
  std::unique_ptr<BIO, BioFree> bio(BIO_new(BIO_s_mem()));
  EXPECT_EQ(PEM_write_bio_PUBKEY(bio.get(), key), 1);
  return BioText(bio.get());
}

Pkey OtherKey(const char* kind) {
  if (std::string(kind) == "RSA") {
    return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", size_t{2048}));
  }
  if (std::string(kind) == "EC") {
    return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  }
  return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, kind));
}

SigningKey NewKey() {
  auto key = SigningKey::Generate();
  EXPECT_TRUE(key.ok()) << key.status().ToString();
  return std::move(key).value();
}

// covers: SEC024 6.2.1, R2.1.70, VBS-M2
TEST(Ed25519Test, SignVerifyRoundTrip) {
  SigningKey key = NewKey();
  auto sig = key.Sign("instruction: terminate vnf-1");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(sig->size(), kEd25519SignatureBytes);
  EXPECT_TRUE(
      key.verifying_key().Verify("instruction: terminate vnf-1", *sig).ok());
  EXPECT_EQ(key.PublicKeyRaw().size(), kEd25519PublicKeyBytes);
}

// covers: R2.1.70 (one SM's key never verifies another's messages)
TEST(Ed25519Test, WrongKeyIsUnauthenticated) {
  SigningKey a = NewKey();
  SigningKey b = NewKey();
  auto sig = a.Sign("msg");
  ASSERT_TRUE(sig.ok());
  EXPECT_EQ(b.verifying_key().Verify("msg", *sig).code(),
            StatusCode::kUnauthenticated);
  EXPECT_NE(a.KeyId(), b.KeyId());
}

// covers: SEC024 6.2.1, VBS-M3
TEST(Ed25519Test, TamperedMessageOrSignatureIsUnauthenticated) {
  SigningKey key = NewKey();
  const std::string msg = "policy v1";
  auto sig = key.Sign(msg);
  ASSERT_TRUE(sig.ok());
  const VerifyingKey& vk = key.verifying_key();
  for (size_t i = 0; i < msg.size(); ++i) {
    std::string tampered = msg;
    tampered[i] ^= 0x20;
    EXPECT_EQ(vk.Verify(tampered, *sig).code(), StatusCode::kUnauthenticated);
  }
  for (size_t i = 0; i < sig->size(); ++i) {
    std::string tampered = *sig;
    tampered[i] ^= 0x01;
    EXPECT_EQ(vk.Verify(msg, tampered).code(), StatusCode::kUnauthenticated)
        << "byte " << i;
  }
  EXPECT_EQ(vk.Verify(msg, "").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(vk.Verify(msg, *sig + "x").code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(vk.Verify(msg + "x", *sig).code(), StatusCode::kUnauthenticated);
}

// covers: SEC024 6.2.1 (RFC 8032 section 7.1, test 1 and test 2)
TEST(Ed25519Test, Rfc8032KnownAnswers) {
  struct Vector {
    const char* secret;
    const char* public_key;
    const char* message;
    const char* signature;
  };
  const Vector vectors[] = {
      {"9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60",
       "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a", "",
       "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb88"
       "21590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"},
      {"4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb",
       "3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c", "72",
       "92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da085ac"
       "1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00"},
  };
  for (const auto& v : vectors) {
    std::string secret = *HexDecode(v.secret);
    Pkey raw(EVP_PKEY_new_raw_private_key_ex(
        nullptr, "ED25519", nullptr,
        reinterpret_cast<const unsigned char*>(secret.data()), secret.size()));
    ASSERT_NE(raw, nullptr);
    auto key = SigningKey::FromPem(PrivatePem(raw.get()));
    ASSERT_TRUE(key.ok()) << key.status().ToString();
    EXPECT_EQ(HexEncode(key->PublicKeyRaw()), v.public_key);
    std::string message = *HexDecode(v.message);
    auto sig = key->Sign(message);
    ASSERT_TRUE(sig.ok());
    EXPECT_EQ(HexEncode(*sig), v.signature);
    auto vk = VerifyingKey::FromRaw(*HexDecode(v.public_key));
    ASSERT_TRUE(vk.ok());
    EXPECT_TRUE(vk->Verify(message, *HexDecode(v.signature)).ok());
  }
}

// covers: R2.1.70
TEST(Ed25519Test, PemAndRawRoundTrips) {
  SigningKey key = NewKey();
  auto pem = key.ToPem();
  ASSERT_TRUE(pem.ok());
  EXPECT_NE(pem->view().find("-----BEGIN PRIVATE KEY-----"),
            std::string_view::npos);
  auto reloaded = SigningKey::FromPem(pem->view());
  ASSERT_TRUE(reloaded.ok()) << reloaded.status().ToString();
  EXPECT_EQ(reloaded->PublicKeyRaw(), key.PublicKeyRaw());
  // The reloaded key signs what the original verifies (Ed25519 is
  // deterministic, so the signatures are identical too).
  EXPECT_EQ(*reloaded->Sign("m"), *key.Sign("m"));

  EXPECT_NE(key.PublicKeyPem().find("-----BEGIN PUBLIC KEY-----"),
            std::string::npos);
  auto from_pem = VerifyingKey::FromPem(key.PublicKeyPem());
  ASSERT_TRUE(from_pem.ok());
  auto from_raw = VerifyingKey::FromRaw(key.PublicKeyRaw());
  ASSERT_TRUE(from_raw.ok());
  EXPECT_EQ(from_pem->Raw(), key.PublicKeyRaw());
  EXPECT_EQ(from_raw->ToPem(), key.PublicKeyPem());
  auto sig = key.Sign("m");
  EXPECT_TRUE(from_pem->Verify("m", *sig).ok());
  EXPECT_TRUE(from_raw->Verify("m", *sig).ok());
}

// covers: R2.1.70 (key ids name keys in envelopes)
TEST(Ed25519Test, KeyIdIsHexOfFirst8BytesOfSha256OfRawKey) {
  SigningKey key = NewKey();
  auto digest = Sha256(key.PublicKeyRaw());
  ASSERT_TRUE(digest.ok());
  EXPECT_EQ(key.KeyId(), HexEncode(digest->substr(0, 8)));
  EXPECT_EQ(key.KeyId().size(), 16u);
  EXPECT_EQ(key.verifying_key().KeyId(), key.KeyId());
}

// covers: R2.1.70 (only Ed25519 keys are accepted)
TEST(Ed25519Test, NonEd25519KeysAreRejected) {
  for (const char* kind : {"RSA", "EC", "X25519", "ED448"}) {
    SCOPED_TRACE(kind);
    Pkey other = OtherKey(kind);
    ASSERT_NE(other, nullptr);
    EXPECT_EQ(SigningKey::FromPem(PrivatePem(other.get())).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(VerifyingKey::FromPem(PublicPem(other.get())).status().code(),
              StatusCode::kInvalidArgument);
  }
}

// covers: R2.1.70
TEST(Ed25519Test, MalformedInputsAreInvalidArgument) {
  const std::string garbage[] = {
      "", "not a pem",
      "-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n",
      std::string(1000, '\0')};
  for (const auto& g : garbage) {
    EXPECT_EQ(SigningKey::FromPem(g).status().code(),
              StatusCode::kInvalidArgument);
    EXPECT_EQ(VerifyingKey::FromPem(g).status().code(),
              StatusCode::kInvalidArgument);
  }
  // A private key is not a public key and vice versa.
  SigningKey key = NewKey();
  EXPECT_EQ(SigningKey::FromPem(key.PublicKeyPem()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyingKey::FromPem(key.ToPem()->view()).status().code(),
            StatusCode::kInvalidArgument);
  for (size_t n : {size_t{0}, size_t{31}, size_t{33}, size_t{64}}) {
    EXPECT_EQ(VerifyingKey::FromRaw(std::string(n, 'a')).status().code(),
              StatusCode::kInvalidArgument);
  }
}

// covers: R2.1.70 (a password-protected key is refused, never prompted for)
TEST(Ed25519Test, EncryptedPemIsRefusedWithoutPrompting) {
  Pkey raw(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  std::string pem = PrivatePem(raw.get(), EVP_aes_256_cbc(), "hunter22");
  ASSERT_NE(pem.find("ENCRYPTED"), std::string::npos);
  EXPECT_EQ(SigningKey::FromPem(pem).status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::crypto
