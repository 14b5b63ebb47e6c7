// AES-256-GCM over EVP_CIPHER.
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>

#include "crypto/openssl_util.h"
#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

using internal::CipherCtxPtr;
using internal::kMaxOpenSslLength;
using internal::OpenSslError;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

Status CheckInputs(const SecretBytes& key, std::string_view text,
                   std::string_view aad) {
  if (key.size() != kAes256KeyBytes) {
    return InvalidArgumentError("AES-256-GCM key must be 32 bytes, got " +
                                std::to_string(key.size()));
  }
  if (text.size() > kMaxOpenSslLength || aad.size() > kMaxOpenSslLength) {
    return ResourceExhaustedError("AES-256-GCM input is larger than 1 GiB");
  }
  if (internal::Aes256GcmCipher() == nullptr) {
    return OpenSslError(StatusCode::kInternal, "AES-256-GCM is unavailable");
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> Aes256GcmSeal(const SecretBytes& key,
                                    std::string_view plaintext,
                                    std::string_view aad) {
  NFVSM_RETURN_IF_ERROR(CheckInputs(key, plaintext, aad));
  std::string out(kGcmNonceBytes + plaintext.size() + kGcmTagBytes, '\0');
  auto* nonce = reinterpret_cast<unsigned char*>(out.data());
  auto* ciphertext = nonce + kGcmNonceBytes;
  auto* tag = ciphertext + plaintext.size();
  if (RAND_bytes(nonce, kGcmNonceBytes) != 1) {
    return OpenSslError(StatusCode::kInternal, "RAND_bytes failed");
  }

  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  // The default GCM IV length is 12 bytes, so no IVLEN parameter is needed.
  if (!ctx ||
      EVP_EncryptInit_ex2(ctx.get(), internal::Aes256GcmCipher(), key.data(),
                          nonce, nullptr) != 1 ||
      (!aad.empty() && EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_EncryptUpdate(ctx.get(), ciphertext, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), ciphertext + len, &final_len) != 1 ||
      static_cast<size_t>(len + final_len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, kGcmTagBytes, tag) !=
          1) {
    return OpenSslError(StatusCode::kInternal, "AES-256-GCM encryption failed");
  }
  return out;
}

StatusOr<std::string> Aes256GcmOpen(const SecretBytes& key,
                                    std::string_view sealed,
                                    std::string_view aad) {
  NFVSM_RETURN_IF_ERROR(CheckInputs(key, sealed, aad));
  if (sealed.size() < kGcmNonceBytes + kGcmTagBytes) {
    return DataLossError("sealed data is shorter than nonce and tag");
  }
  std::string_view nonce = sealed.substr(0, kGcmNonceBytes);
  std::string_view ciphertext = sealed.substr(
      kGcmNonceBytes, sealed.size() - kGcmNonceBytes - kGcmTagBytes);
  // EVP_CTRL_GCM_SET_TAG takes a non-const pointer; give it a copy.
  unsigned char tag[kGcmTagBytes];
  std::copy_n(Bytes(sealed.substr(sealed.size() - kGcmTagBytes)), kGcmTagBytes,
              tag);

  std::string plaintext(ciphertext.size(), '\0');
  auto* out = reinterpret_cast<unsigned char*>(plaintext.data());
  CipherCtxPtr ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  if (!ctx ||
      EVP_DecryptInit_ex2(ctx.get(), internal::Aes256GcmCipher(), key.data(),
                          Bytes(nonce), nullptr) != 1 ||
      (!aad.empty() && EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(aad),
                                         static_cast<int>(aad.size())) != 1) ||
      EVP_DecryptUpdate(ctx.get(), out, &len, Bytes(ciphertext),
                        static_cast<int>(ciphertext.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, kGcmTagBytes, tag) !=
          1) {
    return OpenSslError(StatusCode::kInternal, "AES-256-GCM decryption failed");
  }
  // The tag is checked here; nothing decrypted is returned unless it holds.
  if (EVP_DecryptFinal_ex(ctx.get(), out + len, &final_len) != 1) {
    internal::ClearOpenSslErrors();
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return DataLossError("sealed data does not authenticate");
  }
  return plaintext;
}

}  // namespace nfvsm::crypto
