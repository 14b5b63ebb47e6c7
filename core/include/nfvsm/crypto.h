// Cryptographic building blocks of nfvsm, as thin RAII wrappers over the
// OpenSSL 3 EVP API: Ed25519 signatures, SHA-256, HMAC-SHA256, AES-256-GCM,
// a CSPRNG, constant-time comparison and hex. No cryptography is
// implemented here; every primitive is OpenSSL's.
//
// Thread safety: free functions are safe to call concurrently. SigningKey
// and VerifyingKey are immutable after creation: their const methods may be
// used from many threads at once. Sha256Hasher and HmacSha256Hasher hold
// a running computation and need external synchronization (use one per
// thread). SecretBytes is a value type.
//
// Ownership: every class owns its OpenSSL objects and frees them on
// destruction. SecretBytes owns its buffer and wipes it (OPENSSL_cleanse)
// when destroyed or moved from; it never prints its contents.
//
// Failures are returned as Status, never thrown, with OpenSSL's error queue
// drained. Messages never contain key bytes, plaintexts or signatures:
//   kInvalidArgument    malformed input: wrong key size, not Ed25519, bad PEM
//                       or hex
//   kUnauthenticated    a signature does not verify
//   kDataLoss           an AES-GCM ciphertext does not authenticate or is
//                       too short
//   kFailedPrecondition a secret file is readable by group or others
//   kNotFound           a file does not exist
//   kAlreadyExists      WriteSecretFile would overwrite a file
//   kResourceExhausted  an input is over a size limit
//   kUnavailable        a file cannot be read or written
//   kInternal           OpenSSL failed unexpectedly (out of memory, a
//                       provider without the algorithm); fail closed
#ifndef NFVSM_CRYPTO_H_
#define NFVSM_CRYPTO_H_

#include <openssl/types.h>

#include <cstddef>
#include <cstdint>
#include <iosfwd>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include "nfvsm/status.h"

namespace nfvsm::crypto {

inline constexpr size_t kSha256Bytes = 32;
inline constexpr size_t kEd25519PublicKeyBytes = 32;
inline constexpr size_t kEd25519SignatureBytes = 64;
inline constexpr size_t kAes256KeyBytes = 32;
inline constexpr size_t kGcmNonceBytes = 12;
inline constexpr size_t kGcmTagBytes = 16;

// Key material. Move-only so that copies are explicit (Clone); wiped on
// destruction and when moved from. Streams as "[secret: N bytes]".
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string_view bytes);
  // `size` zero bytes, to be filled through mutable_data().
  static SecretBytes Zeroed(size_t size);
  ~SecretBytes();

  SecretBytes(SecretBytes&& other) noexcept;
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;

  SecretBytes Clone() const;

  const unsigned char* data() const { return data_; }
  unsigned char* mutable_data() { return data_; }
  size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }
  // For passing to APIs that take bytes; do not copy it into a std::string
  // that outlives the call (it would not be wiped).
  std::string_view view() const {
    return {reinterpret_cast<const char*>(data_), size_};
  }

  friend std::ostream& operator<<(std::ostream& os, const SecretBytes& s);

 private:
  void Wipe() noexcept;
  unsigned char* data_ = nullptr;
  size_t size_ = 0;
};

// ------------------------------------------------------------ utilities

// Lower-case hex.
std::string HexEncode(std::string_view bytes);
// Accepts either case, no separators. kInvalidArgument on odd length or a
// non-hex character.
StatusOr<std::string> HexDecode(std::string_view hex);
// As HexDecode, straight into wiped memory (for keys read from text).
StatusOr<SecretBytes> HexDecodeSecret(std::string_view hex);

// n bytes from OpenSSL's CSPRNG (RAND_bytes). kInternal if it fails;
// kResourceExhausted above 1 GiB.
StatusOr<std::string> RandomBytes(size_t n);
StatusOr<SecretBytes> RandomSecret(size_t n);

// Constant time in the length of the inputs (CRYPTO_memcmp). Inputs of
// different lengths are unequal; only the lengths leak through timing.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Reads a secret (key, PEM) from a regular file. Refuses, with
// kFailedPrecondition, a file that group or others may access (mode & 077):
// an operator expects a key file they left world-readable to be noticed,
// not silently used. kResourceExhausted if larger than max_bytes.
StatusOr<SecretBytes> ReadSecretFile(const std::string& path,
                                     size_t max_bytes = 64 * 1024);
// Creates `path` with mode 0600 and writes `contents`. Never overwrites
// (kAlreadyExists), so a typo cannot destroy an existing key.
Status WriteSecretFile(const std::string& path, std::string_view contents);

// ------------------------------------------------------------ hashing

// SHA-256 of data: 32 raw bytes.
StatusOr<std::string> Sha256(std::string_view data);

struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const;
};
struct MacCtxFree {
  void operator()(EVP_MAC_CTX* ctx) const;
};

// Incremental SHA-256. Finish returns the digest and resets the hasher, so
// one hasher computes many digests without reallocating.
class Sha256Hasher {
 public:
  static StatusOr<Sha256Hasher> Create();
  Status Update(std::string_view data);
  Status FinishInto(std::span<unsigned char, kSha256Bytes> out);
  StatusOr<std::string> Finish();

 private:
  Sha256Hasher() = default;
  std::unique_ptr<EVP_MD_CTX, MdCtxFree> ctx_;
  bool started_ = false;
};

// HMAC-SHA256 under one key (EVP_MAC), reusable like Sha256Hasher: the key
// schedule is computed once at Create, each Finish starts a new message
// under the same key.
class HmacSha256Hasher {
 public:
  // kInvalidArgument for an empty key.
  static StatusOr<HmacSha256Hasher> Create(const SecretBytes& key);
  Status Update(std::string_view data);
  Status FinishInto(std::span<unsigned char, kSha256Bytes> out);
  StatusOr<std::string> Finish();

 private:
  HmacSha256Hasher() = default;
  std::unique_ptr<EVP_MAC_CTX, MacCtxFree> ctx_;
  bool started_ = false;
};

// HMAC-SHA256(key, data): 32 raw bytes. kInvalidArgument for an empty key.
StatusOr<std::string> HmacSha256(const SecretBytes& key, std::string_view data);

// ------------------------------------------------------------ AES-256-GCM

// Encrypts with a fresh random 96-bit nonce. Returns
// nonce(12) || ciphertext || tag(16). `key` must be 32 bytes
// (kInvalidArgument). Random nonces are safe for up to 2^32 messages per
// key; rotate keys well before that.
StatusOr<std::string> Aes256GcmSeal(const SecretBytes& key,
                                    std::string_view plaintext,
                                    std::string_view aad);
// Inverse of Seal. kDataLoss if `sealed` is shorter than nonce + tag or
// does not authenticate under key and aad (tampered, wrong key, wrong aad).
StatusOr<std::string> Aes256GcmOpen(const SecretBytes& key,
                                    std::string_view sealed,
                                    std::string_view aad);

// ------------------------------------------------------------ Ed25519

// An Ed25519 public key. Copyable (shares the immutable OpenSSL key).
class VerifyingKey {
 public:
  // SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
  // kInvalidArgument if unparsable or not Ed25519.
  static StatusOr<VerifyingKey> FromPem(std::string_view pem);
  // The 32-byte raw key. kInvalidArgument for another length.
  static StatusOr<VerifyingKey> FromRaw(std::string_view raw);

  // OK if `signature` is a valid Ed25519 signature of `data` under this key;
  // kUnauthenticated otherwise (including a signature of the wrong size).
  Status Verify(std::string_view data, std::string_view signature) const;

  const std::string& Raw() const { return raw_; }
  // Hex of the first 8 bytes of SHA-256(raw key): names a key in envelopes
  // and logs without carrying it.
  const std::string& KeyId() const { return key_id_; }
  const std::string& ToPem() const { return pem_; }

 private:
  friend class SigningKey;
  static StatusOr<VerifyingKey> FromPkey(std::shared_ptr<EVP_PKEY> pkey);
  VerifyingKey() = default;
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string raw_;
  std::string key_id_;
  std::string pem_;
};

// An Ed25519 private key. Move-only; signing is const and thread-safe.
class SigningKey {
 public:
  static StatusOr<SigningKey> Generate();
  // PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----"), unencrypted. An encrypted
  // PEM is refused (kInvalidArgument) rather than prompting for a password.
  // kInvalidArgument if unparsable or not Ed25519.
  static StatusOr<SigningKey> FromPem(std::string_view pem);
  // ReadSecretFile + FromPem (so a group/other-readable key file is refused
  // with kFailedPrecondition).
  static StatusOr<SigningKey> LoadPemFile(const std::string& path);

  SigningKey(SigningKey&&) noexcept = default;
  SigningKey& operator=(SigningKey&&) noexcept = default;

  // The private key as unencrypted PKCS#8 PEM.
  StatusOr<SecretBytes> ToPem() const;
  // 64-byte signature of data.
  StatusOr<std::string> Sign(std::string_view data) const;

  const VerifyingKey& verifying_key() const { return public_key_; }
  const std::string& PublicKeyPem() const { return public_key_.ToPem(); }
  const std::string& PublicKeyRaw() const { return public_key_.Raw(); }
  const std::string& KeyId() const { return public_key_.KeyId(); }

 private:
  static StatusOr<SigningKey> FromPkey(EVP_PKEY* pkey);
  SigningKey() = default;
  struct PkeyFree {
    void operator()(EVP_PKEY* k) const;
  };
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey_;
  VerifyingKey public_key_;
};

}  // namespace nfvsm::crypto

#endif  // NFVSM_CRYPTO_H_
