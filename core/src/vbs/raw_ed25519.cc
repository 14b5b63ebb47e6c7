#include "vbs/raw_ed25519.h"

#include <openssl/evp.h>

#include "nfvsm/vbs_protocol.h"
#include "vbs/x509_util.h"

namespace nfvsm::vbs::internal {

using MdCtxPtr = OpenSslPtr<EVP_MD_CTX, EVP_MD_CTX_free>;

Status VerifyEd25519Raw(std::string_view raw_public_key,
                        std::string_view message, std::string_view signature) {
  if (raw_public_key.size() != kPublicKeyBytes ||
      signature.size() != kSignatureBytes) {
    return UnauthenticatedError("Ed25519 key or signature of the wrong size");
  }
  PkeyPtr key(EVP_PKEY_new_raw_public_key(
      EVP_PKEY_ED25519, nullptr,
      reinterpret_cast<const unsigned char*>(raw_public_key.data()),
      raw_public_key.size()));
  if (!key) {
    ClearOpenSslErrors();
    return UnauthenticatedError("not an Ed25519 public key");
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr,
                                   key.get()) != 1) {
    return OpenSslFailure(StatusCode::kInternal, "Ed25519 verify init");
  }
  if (EVP_DigestVerify(ctx.get(),
                       reinterpret_cast<const unsigned char*>(signature.data()),
                       signature.size(),
                       reinterpret_cast<const unsigned char*>(message.data()),
                       message.size()) != 1) {
    ClearOpenSslErrors();
    return UnauthenticatedError("Ed25519 signature does not verify");
  }
  return OkStatus();
}

}  // namespace nfvsm::vbs::internal
