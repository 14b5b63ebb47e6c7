#include "audit/chain.h"

#include <algorithm>
#include <cstring>

namespace nfvsm::audit_internal {
namespace {

constexpr std::string_view kRecordTag = "nfvsm-audit-record-v1";
constexpr std::string_view kHeadTag = "nfvsm-audit-head-v1";
constexpr std::string_view kBodyTag = "nfvsm-audit-body-v1";

// How far from its place a genuine record is looked for when its hash does
// not match (diagnosis only; detection does not depend on it).
constexpr uint64_t kReorderSearch = 16;

void PutU64(std::string& out, uint64_t v) {
  char bytes[8];
  for (int i = 7; i >= 0; --i, v >>= 8) bytes[i] = static_cast<char>(v & 0xff);
  out.append(bytes, sizeof(bytes));
}

void PutField(std::string& out, std::string_view field) {
  PutU64(out, field.size());
  out.append(field);
}

// Writes into a buffer sized in advance: encoding a record then costs no
// reallocation (verification encodes every record of a partition).
class Writer {
 public:
  explicit Writer(char* out) : out_(out) {}
  void U64(uint64_t v) {
    for (int i = 7; i >= 0; --i, v >>= 8) out_[i] = static_cast<char>(v & 0xff);
    out_ += 8;
  }
  void Byte(char c) { *out_++ = c; }
  void Field(std::string_view s) {
    U64(s.size());
    if (!s.empty()) std::memcpy(out_, s.data(), s.size());
    out_ += s.size();
  }

 private:
  char* out_;
};

void EncodeRecord(const RecordFields& f, std::string& out) {
  constexpr size_t kFields = 6;  // length-prefixed
  out.resize(kRecordTag.size() + kFields * 8 + 2 * 8 + 1 + f.partition.size() +
             f.kind.size() + f.actor.size() + f.subject.size() + f.body.size() +
             f.prev_hash.size());
  std::memcpy(out.data(), kRecordTag.data(), kRecordTag.size());
  Writer w(out.data() + kRecordTag.size());
  w.Field(f.partition);
  w.U64(f.seq);
  w.U64(static_cast<uint64_t>(f.at_us));
  w.Field(f.kind);
  w.Field(f.actor);
  w.Field(f.subject);
  w.Byte(f.encrypted ? 1 : 0);
  w.Field(f.body);
  w.Field(f.prev_hash);
}

}  // namespace

RecordFields FieldsOf(const AuditRecord& r) {
  return RecordFields{.partition = r.partition,
                      .seq = r.seq,
                      .at_us = ToMicros(r.at),
                      .kind = r.kind,
                      .actor = r.actor,
                      .subject = r.subject,
                      .encrypted = r.encrypted,
                      .body = r.body,
                      .prev_hash = r.prev_hash};
}

std::string BodyAad(std::string_view partition, uint64_t seq) {
  std::string aad(kBodyTag);
  PutField(aad, partition);
  PutU64(aad, seq);
  return aad;
}

StatusOr<ChainHasher> ChainHasher::Create(const crypto::SecretBytes& hmac_key) {
  NFVSM_ASSIGN_OR_RETURN(crypto::Sha256Hasher sha,
                         crypto::Sha256Hasher::Create());
  NFVSM_ASSIGN_OR_RETURN(crypto::HmacSha256Hasher hmac,
                         crypto::HmacSha256Hasher::Create(hmac_key));
  return ChainHasher(std::move(sha), std::move(hmac));
}

Status ChainHasher::RecordHash(const RecordFields& fields, Digest& out) {
  EncodeRecord(fields, buffer_);
  NFVSM_RETURN_IF_ERROR(sha_.Update(buffer_));
  return sha_.FinishInto(out);
}

Status ChainHasher::RecordMac(std::string_view hash, Digest& out) {
  NFVSM_RETURN_IF_ERROR(hmac_.Update(hash));
  return hmac_.FinishInto(out);
}

Status ChainHasher::HeadMac(std::string_view partition, uint64_t seq,
                            std::string_view hash, Digest& out) {
  buffer_.clear();
  buffer_.append(kHeadTag);
  PutField(buffer_, partition);
  PutU64(buffer_, seq);
  PutField(buffer_, hash);
  NFVSM_RETURN_IF_ERROR(hmac_.Update(buffer_));
  return hmac_.FinishInto(out);
}

StatusOr<RecordCheck> CheckRecord(ChainHasher& hasher,
                                  const AuditRecord& record,
                                  std::string_view partition,
                                  uint64_t expected_seq,
                                  std::string_view expected_prev) {
  RecordCheck check;
  auto fail = [&](AuditFault fault, uint64_t seq, std::string problem) {
    check.fault = fault;
    check.bad_seq = seq;
    check.problem = std::move(problem);
    return check;
  };
  // Messages are built only on failure: the good path must not allocate.
  auto at = [&] { return "record " + std::to_string(expected_seq); };
  if (record.partition != partition) {
    return fail(AuditFault::kWrongPartition, expected_seq,
                at() + " claims another partition");
  }
  if (record.seq > expected_seq) {
    return fail(AuditFault::kSeqGap, expected_seq,
                at() + " is missing (the next stored record is " +
                    std::to_string(record.seq) + ")");
  }
  if (record.seq < expected_seq) {
    return fail(AuditFault::kOutOfOrder, expected_seq,
                "record " + std::to_string(record.seq) + " found where " +
                    at() + " was expected");
  }
  Digest digest;
  NFVSM_RETURN_IF_ERROR(hasher.RecordMac(record.hash, digest));
  if (!crypto::ConstantTimeEqual(View(digest), record.mac)) {
    return fail(AuditFault::kMacMismatch, expected_seq,
                at() +
                    ": MAC does not verify (hash or MAC altered, or written "
                    "under another key)");
  }
  RecordFields fields = FieldsOf(record);
  NFVSM_RETURN_IF_ERROR(hasher.RecordHash(fields, digest));
  if (!crypto::ConstantTimeEqual(View(digest), record.hash)) {
    // The MAC is genuine, so the hash is one this log wrote: if it matches
    // these contents at another seq, a genuine record was moved here.
    uint64_t from = expected_seq > kReorderSearch
                        ? expected_seq - kReorderSearch
                        : uint64_t{1};
    uint64_t to = std::min(kMaxSeq, expected_seq + kReorderSearch);
    for (uint64_t seq = from; seq <= to; ++seq) {
      if (seq == expected_seq) continue;
      fields.seq = seq;
      NFVSM_RETURN_IF_ERROR(hasher.RecordHash(fields, digest));
      if (crypto::ConstantTimeEqual(View(digest), record.hash)) {
        return fail(AuditFault::kReordered, expected_seq,
                    at() + " holds the contents of record " +
                        std::to_string(seq) + " (records reordered)");
      }
    }
    return fail(AuditFault::kHashMismatch, expected_seq,
                at() + ": contents do not match its hash (record altered)");
  }
  if (!crypto::ConstantTimeEqual(record.prev_hash, expected_prev)) {
    return fail(AuditFault::kChainBroken, expected_seq,
                at() + " does not link to the record before it");
  }
  return check;
}

StatusOr<bool> HeadAuthentic(ChainHasher& hasher, std::string_view partition,
                             const AuditStore::Head& head) {
  if (head.seq == 0 || head.seq > kMaxSeq) return false;
  Digest mac;
  NFVSM_RETURN_IF_ERROR(hasher.HeadMac(partition, head.seq, head.hash, mac));
  return crypto::ConstantTimeEqual(View(mac), head.mac);
}

}  // namespace nfvsm::audit_internal
