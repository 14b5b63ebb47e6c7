// Ed25519 verification under a raw public key that arrives in a message
// (PubKey-VNF in M3), straight through OpenSSL's EVP API.
//
// crypto::VerifyingKey::FromRaw also encodes the key as PEM and hashes it
// for its key id, which costs about as much as the verification itself
// (OpenSSL 3's encoder framework); a key used once per handshake does not
// need either. Keys the VBS keeps (HMEE keys) are crypto::VerifyingKeys.
#ifndef NFVSM_VBS_RAW_ED25519_H_
#define NFVSM_VBS_RAW_ED25519_H_

#include <string_view>

#include "nfvsm/status.h"

namespace nfvsm::vbs::internal {

// OK if `signature` is a valid Ed25519 signature of `message` under the
// 32-byte `raw_public_key`; kUnauthenticated otherwise (including a key or
// signature of the wrong size); kInternal if OpenSSL fails.
Status VerifyEd25519Raw(std::string_view raw_public_key,
                        std::string_view message, std::string_view signature);

}  // namespace nfvsm::vbs::internal

#endif  // NFVSM_VBS_RAW_ED25519_H_
