// AuditKeys: generation, key files, and the names of audit faults.
#include <openssl/crypto.h>

#include <cstring>

#include "nfvsm/audit.h"

namespace nfvsm {

StatusOr<AuditKeys> AuditKeys::Generate(bool with_encryption) {
  AuditKeys keys;
  NFVSM_ASSIGN_OR_RETURN(keys.hmac_key, crypto::RandomSecret(kAuditKeyBytes));
  if (with_encryption) {
    NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes enc,
                           crypto::RandomSecret(kAuditKeyBytes));
    keys.encryption_key = std::move(enc);
  }
  return keys;
}

StatusOr<crypto::SecretBytes> AuditKeys::LoadKeyFile(const std::string& path) {
  NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes text,
                         crypto::ReadSecretFile(path, 4096));
  std::string_view hex = text.view();
  constexpr std::string_view kSpace = " \t\r\n";
  size_t begin = hex.find_first_not_of(kSpace);
  size_t end = hex.find_last_not_of(kSpace);
  hex = begin == std::string_view::npos ? std::string_view()
                                        : hex.substr(begin, end - begin + 1);
  auto key = crypto::HexDecodeSecret(hex);
  if (!key.ok() || key->size() != kAuditKeyBytes) {
    return InvalidArgumentError("audit key file '" + path +
                                "' must hold 64 hex digits (a 32-byte key)");
  }
  return std::move(key).value();
}

StatusOr<AuditKeys> AuditKeys::Load(const std::string& hmac_key_file,
                                    const std::string& encryption_key_file) {
  AuditKeys keys;
  NFVSM_ASSIGN_OR_RETURN(keys.hmac_key, LoadKeyFile(hmac_key_file));
  if (!encryption_key_file.empty()) {
    NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes enc,
                           LoadKeyFile(encryption_key_file));
    keys.encryption_key = std::move(enc);
  }
  return keys;
}

Status AuditKeys::WriteKeyFile(const std::string& path,
                               const crypto::SecretBytes& key) {
  if (key.size() != kAuditKeyBytes) {
    return InvalidArgumentError("an audit key is 32 bytes");
  }
  std::string hex = crypto::HexEncode(key.view());
  crypto::SecretBytes line = crypto::SecretBytes::Zeroed(hex.size() + 1);
  std::memcpy(line.mutable_data(), hex.data(), hex.size());
  line.mutable_data()[hex.size()] = '\n';
  OPENSSL_cleanse(hex.data(), hex.size());
  return crypto::WriteSecretFile(path, line.view());
}

AuditKeys AuditKeys::Clone() const {
  AuditKeys copy;
  copy.hmac_key = hmac_key.Clone();
  if (encryption_key) copy.encryption_key = encryption_key->Clone();
  return copy;
}

std::string_view ToString(AuditFault fault) {
  switch (fault) {
    case AuditFault::kNone:
      return "none";
    case AuditFault::kStoreError:
      return "store_error";
    case AuditFault::kWrongPartition:
      return "wrong_partition";
    case AuditFault::kSeqGap:
      return "seq_gap";
    case AuditFault::kOutOfOrder:
      return "out_of_order";
    case AuditFault::kMacMismatch:
      return "mac_mismatch";
    case AuditFault::kHashMismatch:
      return "hash_mismatch";
    case AuditFault::kReordered:
      return "reordered";
    case AuditFault::kChainBroken:
      return "chain_broken";
    case AuditFault::kTruncated:
      return "truncated";
    case AuditFault::kHeadMissing:
      return "head_missing";
    case AuditFault::kHeadForged:
      return "head_forged";
    case AuditFault::kHeadMismatch:
      return "head_mismatch";
    case AuditFault::kBeyondHead:
      return "beyond_head";
  }
  return "unknown";
}

}  // namespace nfvsm
