// The audit chain's encodings and per-record checks (format in
// nfvsm/audit.h), shared by appending, head loading and verification.
#ifndef NFVSM_AUDIT_CHAIN_H_
#define NFVSM_AUDIT_CHAIN_H_

#include <array>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>

#include "nfvsm/audit.h"
#include "nfvsm/crypto.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::audit_internal {

using Digest = std::array<unsigned char, crypto::kSha256Bytes>;

inline std::string_view View(const Digest& d) {
  return {reinterpret_cast<const char*>(d.data()), d.size()};
}

// prev_hash of a partition's first record.
inline const std::string& GenesisHash() {
  static const std::string* zeros = new std::string(crypto::kSha256Bytes, '\0');
  return *zeros;
}

// Stores keep seq as a signed 64-bit integer.
inline constexpr uint64_t kMaxSeq =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

// The fields the record hash covers, as views (no copies).
struct RecordFields {
  std::string_view partition;
  uint64_t seq = 0;
  int64_t at_us = 0;
  std::string_view kind;
  std::string_view actor;
  std::string_view subject;
  bool encrypted = false;
  std::string_view body;
  std::string_view prev_hash;
};
RecordFields FieldsOf(const AuditRecord& r);

// Additional data binding an encrypted body to its partition and seq.
std::string BodyAad(std::string_view partition, uint64_t seq);

// Hashing and MACs under one HMAC key, reusing its buffers and OpenSSL
// contexts across records. Not thread-safe: one per thread of use.
class ChainHasher {
 public:
  static StatusOr<ChainHasher> Create(const crypto::SecretBytes& hmac_key);

  Status RecordHash(const RecordFields& fields, Digest& out);
  Status RecordMac(std::string_view hash, Digest& out);
  Status HeadMac(std::string_view partition, uint64_t seq,
                 std::string_view hash, Digest& out);

 private:
  ChainHasher(crypto::Sha256Hasher sha, crypto::HmacSha256Hasher hmac)
      : sha_(std::move(sha)), hmac_(std::move(hmac)) {}
  std::string buffer_;
  crypto::Sha256Hasher sha_;
  crypto::HmacSha256Hasher hmac_;
};

// The outcome of checking one record; fault == kNone if it is good.
struct RecordCheck {
  AuditFault fault = AuditFault::kNone;
  uint64_t bad_seq = 0;
  std::string problem;
};

// Checks that `record` is the authentic record `expected_seq` of
// `partition`, following a record whose hash is `expected_prev`. Checks
// run in the order seq, MAC, hash, link, so the fault names the most
// telling problem. Errors only if the hashing itself fails.
StatusOr<RecordCheck> CheckRecord(ChainHasher& hasher,
                                  const AuditRecord& record,
                                  std::string_view partition,
                                  uint64_t expected_seq,
                                  std::string_view expected_prev);

// Whether `head` authenticates as the head of `partition`.
StatusOr<bool> HeadAuthentic(ChainHasher& hasher, std::string_view partition,
                             const AuditStore::Head& head);

}  // namespace nfvsm::audit_internal

#endif  // NFVSM_AUDIT_CHAIN_H_
