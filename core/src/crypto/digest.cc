// SHA-256 and HMAC-SHA256 over EVP_MD / EVP_MAC.
#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include "crypto/openssl_util.h"
#include "nfvsm/crypto.h"

namespace nfvsm::crypto {

using internal::OpenSslError;

void MdCtxFree::operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
void MacCtxFree::operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }

StatusOr<std::string> Sha256(std::string_view data) {
  const EVP_MD* md = internal::Sha256Md();
  if (md == nullptr) {
    return OpenSslError(StatusCode::kInternal, "SHA-256 is unavailable");
  }
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(),
                 reinterpret_cast<unsigned char*>(out.data()), &len, md,
                 nullptr) != 1 ||
      len != kSha256Bytes) {
    return OpenSslError(StatusCode::kInternal, "SHA-256 failed");
  }
  return out;
}

// ---------------------------------------------------------- Sha256Hasher

StatusOr<Sha256Hasher> Sha256Hasher::Create() {
  if (internal::Sha256Md() == nullptr) {
    return OpenSslError(StatusCode::kInternal, "SHA-256 is unavailable");
  }
  Sha256Hasher h;
  h.ctx_.reset(EVP_MD_CTX_new());
  if (!h.ctx_) {
    return OpenSslError(StatusCode::kInternal, "EVP_MD_CTX_new failed");
  }
  return h;
}

Status Sha256Hasher::Update(std::string_view data) {
  if (!ctx_) return FailedPreconditionError("hasher was moved from");
  if (!started_) {
    if (EVP_DigestInit_ex2(ctx_.get(), internal::Sha256Md(), nullptr) != 1) {
      return OpenSslError(StatusCode::kInternal, "SHA-256 init failed");
    }
    started_ = true;
  }
  if (EVP_DigestUpdate(ctx_.get(), data.data(), data.size()) != 1) {
    started_ = false;
    return OpenSslError(StatusCode::kInternal, "SHA-256 update failed");
  }
  return OkStatus();
}

Status Sha256Hasher::FinishInto(std::span<unsigned char, kSha256Bytes> out) {
  if (!started_) NFVSM_RETURN_IF_ERROR(Update({}));
  started_ = false;
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out.data(), &len) != 1 ||
      len != kSha256Bytes) {
    return OpenSslError(StatusCode::kInternal, "SHA-256 final failed");
  }
  return OkStatus();
}

StatusOr<std::string> Sha256Hasher::Finish() {
  std::string out(kSha256Bytes, '\0');
  NFVSM_RETURN_IF_ERROR(FinishInto(std::span<unsigned char, kSha256Bytes>(
      reinterpret_cast<unsigned char*>(out.data()), kSha256Bytes)));
  return out;
}

// ------------------------------------------------------ HmacSha256Hasher

StatusOr<HmacSha256Hasher> HmacSha256Hasher::Create(const SecretBytes& key) {
  if (key.empty()) return InvalidArgumentError("HMAC key is empty");
  EVP_MAC* mac = internal::HmacMac();
  if (mac == nullptr) {
    return OpenSslError(StatusCode::kInternal, "HMAC is unavailable");
  }
  HmacSha256Hasher h;
  h.ctx_.reset(EVP_MAC_CTX_new(mac));
  if (!h.ctx_) {
    return OpenSslError(StatusCode::kInternal, "EVP_MAC_CTX_new failed");
  }
  char digest[] = "SHA256";
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
      OSSL_PARAM_construct_end()};
  // The key schedule is computed here once; later inits pass no key and
  // reuse it.
  if (EVP_MAC_init(h.ctx_.get(), key.data(), key.size(), params) != 1) {
    return OpenSslError(StatusCode::kInternal, "HMAC init failed");
  }
  h.started_ = true;
  return h;
}

Status HmacSha256Hasher::Update(std::string_view data) {
  if (!ctx_) return FailedPreconditionError("hasher was moved from");
  if (!started_) {
    if (EVP_MAC_init(ctx_.get(), nullptr, 0, nullptr) != 1) {
      return OpenSslError(StatusCode::kInternal, "HMAC init failed");
    }
    started_ = true;
  }
  if (EVP_MAC_update(ctx_.get(),
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1) {
    started_ = false;
    return OpenSslError(StatusCode::kInternal, "HMAC update failed");
  }
  return OkStatus();
}

Status HmacSha256Hasher::FinishInto(
    std::span<unsigned char, kSha256Bytes> out) {
  if (!started_) NFVSM_RETURN_IF_ERROR(Update({}));
  started_ = false;
  size_t len = 0;
  if (EVP_MAC_final(ctx_.get(), out.data(), &len, out.size()) != 1 ||
      len != kSha256Bytes) {
    return OpenSslError(StatusCode::kInternal, "HMAC final failed");
  }
  return OkStatus();
}

StatusOr<std::string> HmacSha256Hasher::Finish() {
  std::string out(kSha256Bytes, '\0');
  NFVSM_RETURN_IF_ERROR(FinishInto(std::span<unsigned char, kSha256Bytes>(
      reinterpret_cast<unsigned char*>(out.data()), kSha256Bytes)));
  return out;
}

StatusOr<std::string> HmacSha256(const SecretBytes& key,
                                 std::string_view data) {
  NFVSM_ASSIGN_OR_RETURN(HmacSha256Hasher h, HmacSha256Hasher::Create(key));
  NFVSM_RETURN_IF_ERROR(h.Update(data));
  return h.Finish();
}

}  // namespace nfvsm::crypto
