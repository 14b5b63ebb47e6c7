// AuditLog: creation, appending, head loading, decryption and export.
#include <nlohmann/json.hpp>

#include "audit/chain.h"
#include "nfvsm/audit.h"

namespace nfvsm {

using audit_internal::ChainHasher;
using audit_internal::Digest;
using audit_internal::kMaxSeq;
using audit_internal::View;

// The cached end of one partition's chain. `mu` serializes appends to the
// partition and guards every other member.
struct AuditLog::PartitionState {
  std::mutex mu;
  bool loaded = false;
  uint64_t last_seq = 0;
  std::string last_hash;
  std::optional<ChainHasher> hasher;  // created on first use
};

namespace {

Status ValidateKeys(const AuditKeys& keys) {
  if (keys.hmac_key.size() != kAuditKeyBytes) {
    return InvalidArgumentError("the audit HMAC key must be 32 bytes, got " +
                                std::to_string(keys.hmac_key.size()));
  }
  if (keys.encryption_key) {
    if (keys.encryption_key->size() != kAuditKeyBytes) {
      return InvalidArgumentError(
          "the audit encryption key must be 32 bytes, got " +
          std::to_string(keys.encryption_key->size()));
    }
    if (crypto::ConstantTimeEqual(keys.hmac_key.view(),
                                  keys.encryption_key->view())) {
      return InvalidArgumentError(
          "the audit HMAC and encryption keys must differ");
    }
  }
  return OkStatus();
}

Status CheckField(std::string_view name, std::string_view value, size_t max,
                  bool required) {
  if (required && value.empty()) {
    return InvalidArgumentError("audit " + std::string(name) + " is empty");
  }
  if (value.size() > max) {
    return ResourceExhaustedError(
        "audit " + std::string(name) + " is " + std::to_string(value.size()) +
        " bytes, over the limit of " + std::to_string(max));
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<AuditLog>> AuditLog::Create(AuditStore& store,
                                                     AuditKeys keys,
                                                     const Clock& clock,
                                                     AuditLogOptions options) {
  NFVSM_RETURN_IF_ERROR(ValidateKeys(keys));
  if (options.page_size == 0) {
    return InvalidArgumentError("audit page size must be positive");
  }
  // Fail now, not at the first append, if the crypto is unusable.
  NFVSM_RETURN_IF_ERROR(ChainHasher::Create(keys.hmac_key).status());
  return std::unique_ptr<AuditLog>(
      new AuditLog(store, std::move(keys), clock, options));
}

AuditLog::AuditLog(AuditStore& store, AuditKeys keys, const Clock& clock,
                   AuditLogOptions options)
    : store_(store), keys_(std::move(keys)), clock_(clock), options_(options) {}

AuditLog::~AuditLog() = default;

AuditLog::PartitionState& AuditLog::StateFor(std::string_view partition) {
  std::lock_guard lock(partitions_mu_);
  auto it = partitions_.find(partition);
  if (it == partitions_.end()) {
    it =
        partitions_
            .emplace(std::string(partition), std::make_unique<PartitionState>())
            .first;
  }
  return *it->second;
}

Status AuditLog::LoadHead(const std::string& partition, PartitionState& state) {
  if (!state.hasher) {
    NFVSM_ASSIGN_OR_RETURN(ChainHasher hasher,
                           ChainHasher::Create(keys_.hmac_key));
    state.hasher.emplace(std::move(hasher));
  }
  ChainHasher& hasher = *state.hasher;
  const std::string damaged =
      "audit partition '" + partition + "' is damaged: ";
  const std::string advice = "; run verify";

  NFVSM_ASSIGN_OR_RETURN(std::optional<AuditStore::Head> head,
                         store_.GetAuditHead(partition));
  if (!head) {
    // A partition without a head must be empty: re-creating a lost head
    // would hide a truncated tail.
    NFVSM_ASSIGN_OR_RETURN(auto first, store_.ReadAudit(partition, 1, 1));
    if (!first.empty()) {
      return DataLossError(damaged + "records but no head" + advice);
    }
    state.last_seq = 0;
    state.last_hash = audit_internal::GenesisHash();
    state.loaded = true;
    return OkStatus();
  }
  NFVSM_ASSIGN_OR_RETURN(
      bool authentic, audit_internal::HeadAuthentic(hasher, partition, *head));
  if (!authentic) {
    return DataLossError(damaged +
                         "its head does not authenticate under this log's "
                         "HMAC key (wrong key, or a forged head)" +
                         advice);
  }
  // The record at the head must carry the head's hash. Records after it
  // are adopted only if they authentically continue the chain: that is an
  // append whose head write was lost.
  uint64_t last_seq = head->seq;
  std::string last_hash = head->hash;
  uint64_t from = head->seq;
  bool head_record_seen = false;
  while (true) {
    NFVSM_ASSIGN_OR_RETURN(
        auto page, store_.ReadAudit(partition, from, options_.page_size));
    for (const AuditRecord& record : page) {
      if (!head_record_seen) {
        if (record.seq != head->seq ||
            !crypto::ConstantTimeEqual(record.hash, head->hash)) {
          return DataLossError(damaged + "record " + std::to_string(head->seq) +
                               " is missing or disagrees with the head" +
                               advice);
        }
        head_record_seen = true;
        continue;
      }
      NFVSM_ASSIGN_OR_RETURN(
          audit_internal::RecordCheck check,
          audit_internal::CheckRecord(hasher, record, partition, last_seq + 1,
                                      last_hash));
      if (check.fault != AuditFault::kNone) {
        return DataLossError(damaged + check.problem + advice);
      }
      last_seq = record.seq;
      last_hash = record.hash;
    }
    if (page.size() < options_.page_size) break;
    from = last_seq + 1;
  }
  if (!head_record_seen) {
    return DataLossError(damaged + "record " + std::to_string(head->seq) +
                         " is missing (tail truncated)" + advice);
  }
  if (last_seq != head->seq) {
    Digest mac;
    NFVSM_RETURN_IF_ERROR(hasher.HeadMac(partition, last_seq, last_hash, mac));
    NFVSM_RETURN_IF_ERROR(store_.PutAuditHead(
        partition,
        AuditStore::Head{last_seq, last_hash, std::string(View(mac))}));
  }
  state.last_seq = last_seq;
  state.last_hash = std::move(last_hash);
  state.loaded = true;
  return OkStatus();
}

StatusOr<AuditRecord> AuditLog::Append(std::string_view partition,
                                       std::string_view kind,
                                       std::string_view actor,
                                       std::string_view subject,
                                       std::string_view body_json) {
  const size_t max = options_.max_field_bytes;
  NFVSM_RETURN_IF_ERROR(CheckField("partition", partition, max, true));
  NFVSM_RETURN_IF_ERROR(CheckField("kind", kind, max, true));
  NFVSM_RETURN_IF_ERROR(CheckField("actor", actor, max, false));
  NFVSM_RETURN_IF_ERROR(CheckField("subject", subject, max, false));
  NFVSM_RETURN_IF_ERROR(
      CheckField("body", body_json, options_.max_body_bytes, true));
  if (!nlohmann::json::accept(body_json.begin(), body_json.end())) {
    return InvalidArgumentError("audit body is not valid JSON");
  }

  PartitionState& state = StateFor(partition);
  std::lock_guard lock(state.mu);
  AuditRecord record;
  record.partition = std::string(partition);
  if (!state.loaded) NFVSM_RETURN_IF_ERROR(LoadHead(record.partition, state));
  if (state.last_seq >= kMaxSeq) {
    return ResourceExhaustedError("audit partition '" + record.partition +
                                  "' has no sequence numbers left");
  }
  record.seq = state.last_seq + 1;
  record.at = clock_.Now();
  record.kind = std::string(kind);
  record.actor = std::string(actor);
  record.subject = std::string(subject);
  if (keys_.encryption_key) {
    NFVSM_ASSIGN_OR_RETURN(
        record.body,
        crypto::Aes256GcmSeal(*keys_.encryption_key, body_json,
                              audit_internal::BodyAad(partition, record.seq)));
    record.encrypted = true;
  } else {
    record.body = std::string(body_json);
  }
  record.prev_hash = state.last_hash;

  ChainHasher& hasher = *state.hasher;
  Digest digest;
  NFVSM_RETURN_IF_ERROR(
      hasher.RecordHash(audit_internal::FieldsOf(record), digest));
  record.hash = std::string(View(digest));
  NFVSM_RETURN_IF_ERROR(hasher.RecordMac(record.hash, digest));
  record.mac = std::string(View(digest));
  NFVSM_RETURN_IF_ERROR(
      hasher.HeadMac(record.partition, record.seq, record.hash, digest));
  AuditStore::Head head{record.seq, record.hash, std::string(View(digest))};

  // After a failed write the store's state is unknown (a transaction may
  // roll back later, or only the record was written): reload next time.
  Status written = store_.AppendAudit(record);
  if (written.ok()) written = store_.PutAuditHead(record.partition, head);
  if (!written.ok()) {
    state.loaded = false;
    return written;
  }
  state.last_seq = record.seq;
  state.last_hash = record.hash;
  return record;
}

uint64_t AuditLog::CachedSeq(const std::string& partition) {
  PartitionState* state = nullptr;
  {
    std::lock_guard lock(partitions_mu_);
    auto it = partitions_.find(partition);
    if (it == partitions_.end()) return 0;
    state = it->second.get();
  }
  std::lock_guard lock(state->mu);
  return state->loaded ? state->last_seq : 0;
}

void AuditLog::ForgetCachedHeads() {
  std::lock_guard lock(partitions_mu_);
  for (auto& [name, state] : partitions_) {
    std::lock_guard state_lock(state->mu);
    state->loaded = false;
  }
}

StatusOr<std::string> AuditLog::Decrypt(const AuditRecord& record) const {
  if (!record.encrypted) return record.body;
  if (!keys_.encryption_key) {
    return FailedPreconditionError(
        "audit record is encrypted and no encryption key is configured");
  }
  auto plaintext = crypto::Aes256GcmOpen(
      *keys_.encryption_key, record.body,
      audit_internal::BodyAad(record.partition, record.seq));
  if (!plaintext.ok() && plaintext.status().code() == StatusCode::kDataLoss) {
    return DataLossError("audit record " + std::to_string(record.seq) +
                         " of partition '" + record.partition +
                         "' does not decrypt (wrong key, or tampered)");
  }
  return plaintext;
}

StatusOr<std::vector<AuditRecord>> AuditLog::Export(
    const std::vector<std::string>& partitions) {
  std::vector<AuditRecord> out;
  for (const std::string& partition : partitions) {
    uint64_t from = 1;
    while (true) {
      NFVSM_ASSIGN_OR_RETURN(
          auto page, store_.ReadAudit(partition, from, options_.page_size));
      if (out.size() + page.size() > options_.max_export_records) {
        return ResourceExhaustedError(
            "audit export is larger than " +
            std::to_string(options_.max_export_records) + " records");
      }
      for (AuditRecord& record : page) out.push_back(std::move(record));
      if (page.size() < options_.page_size) break;
      from = out.back().seq + 1;
    }
  }
  return out;
}

StatusOr<std::vector<std::string>> AuditLog::PartitionsOfSm(const SmId& sm) {
  if (sm.empty() || sm.find('|') != std::string::npos) {
    return InvalidArgumentError("SM id '" + sm +
                                "' cannot name audit partitions");
  }
  const std::string prefix = PartitionFor(sm, "");
  NFVSM_ASSIGN_OR_RETURN(std::vector<std::string> all,
                         store_.AuditPartitions());
  std::vector<std::string> mine;
  for (std::string& partition : all) {
    // A '|' after the prefix could only come from another SM whose id
    // contains one ("sm:a|domain:x|domain:y"): never hand that out.
    if (partition.starts_with(prefix) &&
        partition.find('|', prefix.size()) == std::string::npos) {
      mine.push_back(std::move(partition));
    }
  }
  return mine;
}

}  // namespace nfvsm
