// The audit log: tamper-evident, append-only records of what nfvsm did
// (R1.3.260, R1.3.270), kept in one hash chain per partition, one partition
// per (SM, trust domain) plus the MANO partition (IFA026 5.3).
//
// Record format (version 1; changing it is a schema change):
//   hash = SHA-256("nfvsm-audit-record-v1" || LP(partition) || u64(seq) ||
//                  i64(at in microseconds) || LP(kind) || LP(actor) ||
//                  LP(subject) || u8(encrypted) || LP(body) ||
//                  LP(prev_hash))
//   mac  = HMAC-SHA256(hmac_key, hash)
// where LP(x) = u64 big-endian length || x and integers are big-endian, so
// no two field tuples share an encoding. prev_hash is the previous record's
// hash (32 zero bytes for seq 1). With an encryption key, body is
// AES-256-GCM(nonce || ciphertext || tag) with additional data
// "nfvsm-audit-body-v1" || LP(partition) || u64(seq), so a ciphertext
// cannot be moved to another record. The chain covers the stored
// (encrypted) body: verifying needs only the HMAC key.
// Each partition has a head (AuditStore::Head): its last seq and hash with
// mac = HMAC-SHA256(hmac_key, "nfvsm-audit-head-v1" || LP(partition) ||
// u64(seq) || LP(hash)), which is what reveals a truncated tail.
//
// What verification cannot see: an attacker with write access to the store
// who deletes the newest records AND restores an older genuine head. Anchor
// heads outside the store (export them, or send them to the SM) to close
// that gap.
//
// Thread safety: every AuditLog method is safe to call concurrently.
// Appends to one partition are serialized by a per-partition lock, held
// while the store is written; appends to different partitions run in
// parallel. Lock order: a caller may hold the store's transaction lock when
// calling Append (Engine does), but must then do so for every Append on
// this log: mixing appends inside and outside store transactions on one
// partition from different threads can deadlock. Verify, Export and
// PartitionsOfSm never hold an AuditLog lock while calling the store.
//
// Ownership: AuditLog owns its keys (wiped on destruction) and borrows the
// store and the clock, which must outlive it.
//
// Failures: Append returns kInvalidArgument for malformed input,
// kResourceExhausted for an oversized field or body, kDataLoss when the
// partition's stored head does not authenticate or disagrees with its
// records (it refuses to extend a damaged chain: run Verify), and the
// store's errors. Verify reports problems in its VerifyReport, never as an
// error.
#ifndef NFVSM_AUDIT_H_
#define NFVSM_AUDIT_H_

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/status.h"
#include "nfvsm/store.h"
#include "nfvsm/types.h"

namespace nfvsm {

inline constexpr size_t kAuditKeyBytes = 32;

// The provisioned audit keys (R1.3.270). Both 32 bytes; the encryption key
// is optional and must differ from the HMAC key.
struct AuditKeys {
  crypto::SecretBytes hmac_key;
  std::optional<crypto::SecretBytes> encryption_key;

  // Fresh random keys (first start, tests, demos).
  static StatusOr<AuditKeys> Generate(bool with_encryption);
  // Loads the keys from key files; encryption_key_file empty = no
  // encryption. See LoadKeyFile.
  static StatusOr<AuditKeys> Load(const std::string& hmac_key_file,
                                  const std::string& encryption_key_file);
  // A key file holds the key as 64 hex digits; surrounding whitespace
  // (a trailing newline) is ignored. Hex, not raw bytes, so keys survive
  // configuration management and copy-paste, and a truncated file is
  // noticed. The file must not be accessible by group or others
  // (kFailedPrecondition); kInvalidArgument if it is not 32 bytes of hex.
  static StatusOr<crypto::SecretBytes> LoadKeyFile(const std::string& path);
  // Writes a key file in that format, mode 0600, never overwriting.
  static Status WriteKeyFile(const std::string& path,
                             const crypto::SecretBytes& key);

  AuditKeys Clone() const;
};

// Why verification stopped. Stable names (ToString) for tools and tests.
enum class AuditFault : uint8_t {
  kNone,
  kStoreError,      // the store could not be read
  kWrongPartition,  // a record claims another partition
  kSeqGap,          // a record is missing (dropped)
  kOutOfOrder,      // records are not in ascending seq order
  kMacMismatch,     // hash or mac altered, or written under another key
  kHashMismatch,    // record contents altered
  kReordered,       // a genuine record sits at another record's place
  kChainBroken,     // prev_hash does not link to the previous record
  kTruncated,       // the head names records that are gone
  kHeadMissing,     // records but no head
  kHeadForged,      // the head does not authenticate
  kHeadMismatch,    // the head's hash is not the record's at its seq
  kBeyondHead,      // records after the head (head rolled back)
};
std::string_view ToString(AuditFault fault);

struct VerifyReport {
  bool ok = false;
  std::string partition;
  uint64_t records_checked = 0;  // records that passed every check
  // The first record at fault: the altered one, or the first missing one
  // (gap, truncation). Empty for problems of the head alone.
  std::optional<uint64_t> first_bad_seq;
  AuditFault fault = AuditFault::kNone;
  std::string problem;  // human-readable; never contains keys or bodies
};

struct AuditLogOptions {
  size_t max_body_bytes = size_t{1} << 20;  // kResourceExhausted above
  size_t max_field_bytes = 1024;            // partition, kind, actor, subject
  size_t page_size = 4096;                  // records per store read
  size_t max_export_records = 1'000'000;
};

class AuditLog {
 public:
  // kInvalidArgument unless the HMAC key (and the encryption key, if any)
  // is 32 bytes and the two keys differ (R2.1.70: one key, one purpose).
  static StatusOr<std::unique_ptr<AuditLog>> Create(
      AuditStore& store, AuditKeys keys, const Clock& clock,
      AuditLogOptions options = {});
  ~AuditLog();
  AuditLog(const AuditLog&) = delete;
  AuditLog& operator=(const AuditLog&) = delete;

  // Appends a record to `partition` (kManoPartition or PartitionFor(sm,
  // domain)) and moves the partition's head. `body_json` must be valid
  // JSON; it is encrypted when an encryption key is configured. Returns the
  // record as stored. The first append to a partition in this process
  // reads its head from the store; later ones use a cached head.
  StatusOr<AuditRecord> Append(std::string_view partition,
                               std::string_view kind, std::string_view actor,
                               std::string_view subject,
                               std::string_view body_json);

  // Walks the partition and reports the first problem found.
  VerifyReport Verify(const std::string& partition);
  // Verify for every partition of the store, in the store's order. If the
  // store cannot list them, one report with kStoreError.
  std::vector<VerifyReport> VerifyAll();

  // The plaintext body of a record. kFailedPrecondition for an encrypted
  // record when no encryption key is configured; kDataLoss when the body
  // does not authenticate (wrong key, tampered, or moved from another
  // partition or seq). Does not check the chain: use Verify for that.
  StatusOr<std::string> Decrypt(const AuditRecord& record) const;

  // Records of the given partitions, verbatim, partition by partition.
  // kResourceExhausted past options.max_export_records.
  StatusOr<std::vector<AuditRecord>> Export(
      const std::vector<std::string>& partitions);
  // The partitions PartitionFor(sm, *) of one SM, so that what is exported
  // for an SM holds its partitions only (IFA026 5.3). kInvalidArgument for
  // an empty SM id or one containing '|' (which would make partition names
  // ambiguous).
  StatusOr<std::vector<std::string>> PartitionsOfSm(const SmId& sm);

  // Drops the cached heads: the next Append to each partition reloads its
  // head from the store. Call it after a store transaction that contained
  // Append calls was rolled back, or the cache would run ahead of the store.
  void ForgetCachedHeads();

  bool encrypts() const { return keys_.encryption_key.has_value(); }

 private:
  struct PartitionState;
  AuditLog(AuditStore& store, AuditKeys keys, const Clock& clock,
           AuditLogOptions options);

  PartitionState& StateFor(std::string_view partition);
  Status LoadHead(const std::string& partition, PartitionState& state);
  // Last seq appended by this log to `partition`, 0 if none; waits for an
  // append in progress.
  uint64_t CachedSeq(const std::string& partition);

  AuditStore& store_;
  const AuditKeys keys_;
  const Clock& clock_;
  const AuditLogOptions options_;
  std::mutex partitions_mu_;  // guards partitions_ (the map, not the states)
  std::map<std::string, std::unique_ptr<PartitionState>, std::less<>>
      partitions_;
};

}  // namespace nfvsm

#endif  // NFVSM_AUDIT_H_
