// Ed25519 keys over EVP_PKEY (one-shot EVP_DigestSign / EVP_DigestVerify,
// as Ed25519 hashes the message itself).
#include <openssl/evp.h>
#include <openssl/pem.h>

#include "crypto/openssl_util.h"
#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

using internal::BioPtr;
using internal::OpenSslError;
using internal::PkeyPtr;

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

bool IsEd25519(const EVP_PKEY* pkey) {
  return EVP_PKEY_is_a(pkey, "ED25519") == 1;
}

// Refuses encrypted PEMs instead of letting OpenSSL prompt on a terminal.
int NoPassword(char*, int, int, void*) { return -1; }

BioPtr ReadOnlyBio(std::string_view bytes) {
  return BioPtr(BIO_new_mem_buf(bytes.data(), static_cast<int>(bytes.size())));
}

std::string BioContents(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  if (len <= 0 || data == nullptr) return {};
  return std::string(data, static_cast<size_t>(len));
}

Status CheckPemSize(std::string_view pem) {
  if (pem.size() > internal::kMaxOpenSslLength) {
    return ResourceExhaustedError("PEM input is larger than 1 GiB");
  }
  return OkStatus();
}

}  // namespace

// ---------------------------------------------------------- VerifyingKey

StatusOr<VerifyingKey> VerifyingKey::FromPkey(std::shared_ptr<EVP_PKEY> pkey) {
  if (!IsEd25519(pkey.get())) {
    return InvalidArgumentError("key is not an Ed25519 key");
  }
  VerifyingKey key;
  key.raw_.assign(kEd25519PublicKeyBytes, '\0');
  size_t len = key.raw_.size();
  if (EVP_PKEY_get_raw_public_key(
          pkey.get(), reinterpret_cast<unsigned char*>(key.raw_.data()),
          &len) != 1 ||
      len != kEd25519PublicKeyBytes) {
    return OpenSslError(StatusCode::kInternal,
                        "cannot extract the raw Ed25519 public key");
  }
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_PUBKEY(bio.get(), pkey.get()) != 1) {
    return OpenSslError(StatusCode::kInternal,
                        "cannot encode the public key as PEM");
  }
  key.pem_ = BioContents(bio.get());
  NFVSM_ASSIGN_OR_RETURN(std::string digest, Sha256(key.raw_));
  key.key_id_ = HexEncode(std::string_view(digest).substr(0, 8));
  key.pkey_ = std::move(pkey);
  return key;
}

StatusOr<VerifyingKey> VerifyingKey::FromPem(std::string_view pem) {
  NFVSM_RETURN_IF_ERROR(CheckPemSize(pem));
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return OpenSslError(StatusCode::kInternal, "BIO_new_mem_buf");
  EVP_PKEY* raw = PEM_read_bio_PUBKEY_ex(bio.get(), nullptr, nullptr, nullptr,
                                         nullptr, nullptr);
  if (raw == nullptr) {
    return OpenSslError(StatusCode::kInvalidArgument, "not a PEM public key");
  }
  return FromPkey(std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free));
}

StatusOr<VerifyingKey> VerifyingKey::FromRaw(std::string_view raw) {
  if (raw.size() != kEd25519PublicKeyBytes) {
    return InvalidArgumentError(
        "raw Ed25519 public key must be 32 bytes, got " +
        std::to_string(raw.size()));
  }
  EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key_ex(
      nullptr, "ED25519", nullptr,
      reinterpret_cast<const unsigned char*>(raw.data()), raw.size());
  if (pkey == nullptr) {
    return OpenSslError(StatusCode::kInvalidArgument,
                        "not a valid Ed25519 public key");
  }
  return FromPkey(std::shared_ptr<EVP_PKEY>(pkey, EVP_PKEY_free));
}

Status VerifyingKey::Verify(std::string_view data,
                            std::string_view signature) const {
  if (!pkey_) return FailedPreconditionError("verifying key is empty");
  if (signature.size() != kEd25519SignatureBytes) {
    return UnauthenticatedError("Ed25519 signature must be 64 bytes");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit_ex(ctx.get(), nullptr, nullptr, nullptr,
                                      nullptr, pkey_.get(), nullptr) != 1) {
    return OpenSslError(StatusCode::kInternal, "Ed25519 verify init failed");
  }
  int rc = EVP_DigestVerify(
      ctx.get(), reinterpret_cast<const unsigned char*>(signature.data()),
      signature.size(), reinterpret_cast<const unsigned char*>(data.data()),
      data.size());
  if (rc != 1) {
    internal::ClearOpenSslErrors();
    return UnauthenticatedError("Ed25519 signature does not verify under key " +
                                key_id_);
  }
  return OkStatus();
}

// ------------------------------------------------------------ SigningKey

void SigningKey::PkeyFree::operator()(EVP_PKEY* k) const { EVP_PKEY_free(k); }

StatusOr<SigningKey> SigningKey::FromPkey(EVP_PKEY* owned) {
  PkeyPtr pkey(owned);
  if (!IsEd25519(pkey.get())) {
    return InvalidArgumentError("key is not an Ed25519 key");
  }
  unsigned char raw[kEd25519PublicKeyBytes];
  size_t len = sizeof(raw);
  if (EVP_PKEY_get_raw_public_key(pkey.get(), raw, &len) != 1 ||
      len != sizeof(raw)) {
    return OpenSslError(StatusCode::kInternal,
                        "cannot extract the raw Ed25519 public key");
  }
  NFVSM_ASSIGN_OR_RETURN(VerifyingKey public_key,
                         VerifyingKey::FromRaw(std::string_view(
                             reinterpret_cast<const char*>(raw), len)));
  SigningKey key;
  key.pkey_.reset(pkey.release());
  key.public_key_ = std::move(public_key);
  return key;
}

StatusOr<SigningKey> SigningKey::Generate() {
  EVP_PKEY* pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (pkey == nullptr) {
    return OpenSslError(StatusCode::kInternal, "Ed25519 key generation failed");
  }
  return FromPkey(pkey);
}

StatusOr<SigningKey> SigningKey::FromPem(std::string_view pem) {
  NFVSM_RETURN_IF_ERROR(CheckPemSize(pem));
  BioPtr bio = ReadOnlyBio(pem);
  if (!bio) return OpenSslError(StatusCode::kInternal, "BIO_new_mem_buf");
  EVP_PKEY* pkey = PEM_read_bio_PrivateKey_ex(bio.get(), nullptr, NoPassword,
                                              nullptr, nullptr, nullptr);
  if (pkey == nullptr) {
    return OpenSslError(StatusCode::kInvalidArgument,
                        "not an unencrypted PEM private key");
  }
  return FromPkey(pkey);
}

StatusOr<SigningKey> SigningKey::LoadPemFile(const std::string& path) {
  NFVSM_ASSIGN_OR_RETURN(SecretBytes pem, ReadSecretFile(path));
  auto key = FromPem(pem.view());
  if (!key.ok()) {
    return Status(key.status().code(),
                  "key file '" + path + "': " + key.status().message());
  }
  return key;
}

StatusOr<SecretBytes> SigningKey::ToPem() const {
  if (!pkey_) return FailedPreconditionError("signing key is empty");
  BioPtr bio(BIO_new(BIO_s_mem()));
  // PEM_write_bio_PrivateKey writes PKCS#8 ("PRIVATE KEY").
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), pkey_.get(), nullptr, nullptr,
                                       0, nullptr, nullptr) != 1) {
    return OpenSslError(StatusCode::kInternal,
                        "cannot encode the private key as PEM");
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  if (len <= 0 || data == nullptr) {
    return InternalError("cannot encode the private key as PEM");
  }
  // The memory BIO wipes its buffer when freed.
  return SecretBytes(std::string_view(data, static_cast<size_t>(len)));
}

StatusOr<std::string> SigningKey::Sign(std::string_view data) const {
  if (!pkey_) return FailedPreconditionError("signing key is empty");
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestSignInit_ex(ctx.get(), nullptr, nullptr, nullptr,
                                    nullptr, pkey_.get(), nullptr) != 1) {
    return OpenSslError(StatusCode::kInternal, "Ed25519 sign init failed");
  }
  std::string signature(kEd25519SignatureBytes, '\0');
  size_t len = signature.size();
  if (EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1 ||
      len != kEd25519SignatureBytes) {
    return OpenSslError(StatusCode::kInternal, "Ed25519 signing failed");
  }
  return signature;
}

}  // namespace nfvsm::crypto
