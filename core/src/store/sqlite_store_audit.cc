// Audit chains (R1.3.260/270): records kept verbatim, hashes and MACs as
// blobs, one authenticated head per partition.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "store/codec.h"
#include "store/sqlite_store.h"

namespace nfvsm::internal {
namespace {

constexpr uint64_t kMaxSeq =
    static_cast<uint64_t>(std::numeric_limits<int64_t>::max());

Status CheckSeq(uint64_t seq, std::string_view what) {
  if (seq > kMaxSeq) {
    return InvalidArgumentError(std::string(what) + " " + std::to_string(seq) +
                                " is out of the storable range");
  }
  return OkStatus();
}

StatusOr<AuditRecord> DecodeAudit(SQLite::Statement& row) {
  AuditRecord r;
  r.partition = ReadBytes(row.getColumn(0));
  NFVSM_ASSIGN_OR_RETURN(
      r.seq, DecodeUnsigned(row.getColumn(1).getInt64(), {"audit", "seq"}));
  r.at = FromMicros(row.getColumn(2).getInt64());
  r.kind = ReadBytes(row.getColumn(3));
  r.actor = ReadBytes(row.getColumn(4));
  r.subject = ReadBytes(row.getColumn(5));
  r.body = ReadBytes(row.getColumn(6));
  r.encrypted = row.getColumn(7).getInt64() != 0;
  r.prev_hash = ReadBytes(row.getColumn(8));
  r.hash = ReadBytes(row.getColumn(9));
  r.mac = ReadBytes(row.getColumn(10));
  return r;
}

}  // namespace

Status SqliteStore::AppendAudit(const AuditRecord& r) {
  if (r.partition.empty()) {
    return InvalidArgumentError("audit partition is empty");
  }
  NFVSM_RETURN_IF_ERROR(CheckSeq(r.seq, "audit seq"));
  return Locked("append audit record", [&]() -> Status {
    StatementUse put(stmts_->append_audit);
    BindText(*put, 1, r.partition);
    put->bind(2, static_cast<int64_t>(r.seq));
    put->bind(3, ToMicros(r.at));
    BindText(*put, 4, r.kind);
    BindText(*put, 5, r.actor);
    BindText(*put, 6, r.subject);
    BindBlob(*put, 7, r.body);
    put->bind(8, static_cast<int64_t>(r.encrypted ? 1 : 0));
    BindBlob(*put, 9, r.prev_hash);
    BindBlob(*put, 10, r.hash);
    BindBlob(*put, 11, r.mac);
    put->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<AuditRecord>> SqliteStore::ReadAudit(
    const std::string& partition, uint64_t from_seq, size_t limit) {
  using Result = StatusOr<std::vector<AuditRecord>>;
  // No stored seq can be that large.
  if (from_seq > kMaxSeq) return std::vector<AuditRecord>{};
  return Locked("read audit records", [&]() -> Result {
    StatementUse read(stmts_->read_audit);
    BindText(*read, 1, partition);
    read->bind(2, static_cast<int64_t>(from_seq));
    read->bind(3, static_cast<int64_t>(std::min<uint64_t>(limit, kMaxSeq)));
    std::vector<AuditRecord> records;
    while (read->executeStep()) {
      NFVSM_ASSIGN_OR_RETURN(AuditRecord r, DecodeAudit(*read));
      records.push_back(std::move(r));
    }
    return records;
  });
}

StatusOr<std::vector<std::string>> SqliteStore::AuditPartitions() {
  using Result = StatusOr<std::vector<std::string>>;
  return Locked("list audit partitions", [&]() -> Result {
    StatementUse list(stmts_->audit_partitions);
    std::vector<std::string> partitions;
    while (list->executeStep()) {
      partitions.push_back(ReadBytes(list->getColumn(0)));
    }
    return partitions;
  });
}

Status SqliteStore::PutAuditHead(const std::string& partition,
                                 const Head& head) {
  if (partition.empty()) {
    return InvalidArgumentError("audit partition is empty");
  }
  NFVSM_RETURN_IF_ERROR(CheckSeq(head.seq, "audit head seq"));
  return Locked("put audit head", [&]() -> Status {
    StatementUse put(stmts_->put_audit_head);
    BindText(*put, 1, partition);
    put->bind(2, static_cast<int64_t>(head.seq));
    BindBlob(*put, 3, head.hash);
    BindBlob(*put, 4, head.mac);
    put->exec();
    return OkStatus();
  });
}

StatusOr<std::optional<AuditStore::Head>> SqliteStore::GetAuditHead(
    const std::string& partition) {
  using Result = StatusOr<std::optional<Head>>;
  return Locked("get audit head", [&]() -> Result {
    StatementUse get(stmts_->get_audit_head);
    BindText(*get, 1, partition);
    if (!get->executeStep()) return std::optional<Head>();
    Head head;
    NFVSM_ASSIGN_OR_RETURN(
        head.seq,
        DecodeUnsigned(get->getColumn(0).getInt64(), {"audit_heads", "seq"}));
    head.hash = ReadBytes(get->getColumn(1));
    head.mac = ReadBytes(get->getColumn(2));
    return std::optional<Head>(std::move(head));
  });
}

}  // namespace nfvsm::internal
