// Ed25519 keys of the reference SM, straight on OpenSSL 3's EVP API.
//
// Thread safety: both classes are immutable after construction; Sign and
// Verify may be called from any number of threads.
// Ownership: each object owns its EVP_PKEY (RAII); PublicKey copies share
// the immutable key.
// Failures: Result errors, never exceptions. kInvalidArgument for
// unparsable or non-Ed25519 keys, kFailedPrecondition for a private key
// file readable by group or others, kNotFound for a missing file,
// kInternal when OpenSSL fails. Messages never contain key material.
#ifndef NFVSM_SM_SRC_KEYS_H_
#define NFVSM_SM_SRC_KEYS_H_

#include <openssl/evp.h>

#include <memory>
#include <string>
#include <string_view>

#include "sm/src/result.h"

namespace nfvsm::refsm {

// Lower-case hex of the first 8 bytes of SHA-256(raw 32-byte public key):
// Envelope.key_id (envelope.proto).
Result<std::string> KeyIdOf(std::string_view raw_public_key);

class PublicKey {
 public:
  PublicKey() = default;  // empty: verifies nothing
  // SubjectPublicKeyInfo PEM ("-----BEGIN PUBLIC KEY-----").
  static Result<PublicKey> FromPem(std::string_view pem);

  // True only for a valid 64-byte Ed25519 signature of `data`.
  bool Verify(std::string_view data, std::string_view signature) const;

  const std::string& key_id() const { return key_id_; }
  const std::string& pem() const { return pem_; }
  const std::string& raw() const { return raw_; }

 private:
  friend class PrivateKey;
  static Result<PublicKey> FromPkey(std::shared_ptr<EVP_PKEY> pkey);
  std::shared_ptr<EVP_PKEY> pkey_;
  std::string key_id_;
  std::string pem_;
  std::string raw_;
};

class PrivateKey {
 public:
  static Result<PrivateKey> Generate();
  // Unencrypted PKCS#8 PEM ("-----BEGIN PRIVATE KEY-----").
  static Result<PrivateKey> FromPem(std::string_view pem);
  // Reads a PEM file; refuses one that group or others may read.
  static Result<PrivateKey> LoadFile(const std::string& path);

  // Writes the private key as PKCS#8 PEM to a new file with mode 0600
  // (kAlreadyExists if it exists: never overwrite a key).
  Outcome WriteNewFile(const std::string& path) const;

  // 64-byte Ed25519 signature (RFC 8032, pure).
  Result<std::string> Sign(std::string_view data) const;

  const PublicKey& public_key() const { return public_key_; }

 private:
  struct PkeyFree {
    void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
  };
  static Result<PrivateKey> FromPkey(EVP_PKEY* owned);
  PrivateKey() = default;
  std::unique_ptr<EVP_PKEY, PkeyFree> pkey_;
  PublicKey public_key_;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_KEYS_H_
