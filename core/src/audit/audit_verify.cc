// AuditLog verification: walks a partition's chain page by page and names
// the first record (or head) at fault.
#include "audit/chain.h"
#include "nfvsm/audit.h"

namespace nfvsm {

using audit_internal::ChainHasher;

namespace {

VerifyReport Failed(VerifyReport report, AuditFault fault,
                    std::optional<uint64_t> seq, std::string problem) {
  report.ok = false;
  report.fault = fault;
  report.first_bad_seq = seq;
  report.problem = std::move(problem);
  return report;
}

}  // namespace

VerifyReport AuditLog::Verify(const std::string& partition) {
  VerifyReport report;
  report.partition = partition;
  auto store_error = [&](const Status& s) {
    return Failed(std::move(report), AuditFault::kStoreError, std::nullopt,
                  "cannot verify: " + s.ToString());
  };
  auto hasher_or = ChainHasher::Create(keys_.hmac_key);
  if (!hasher_or.ok()) return store_error(hasher_or.status());
  ChainHasher& hasher = *hasher_or;
  // The head is read first: records appended meanwhile then show up as
  // records beyond it, which the end of the walk accounts for.
  auto head_or = store_.GetAuditHead(partition);
  if (!head_or.ok()) return store_error(head_or.status());
  const std::optional<AuditStore::Head>& head = *head_or;

  std::string prev = audit_internal::GenesisHash();
  std::string hash_at_head;
  uint64_t expected = 1;
  while (true) {
    auto page = store_.ReadAudit(partition, expected, options_.page_size);
    if (!page.ok()) return store_error(page.status());
    for (const AuditRecord& record : *page) {
      auto check = audit_internal::CheckRecord(hasher, record, partition,
                                               expected, prev);
      if (!check.ok()) return store_error(check.status());
      if (check->fault != AuditFault::kNone) {
        return Failed(std::move(report), check->fault, check->bad_seq,
                      std::move(check->problem));
      }
      if (head && record.seq == head->seq) hash_at_head = record.hash;
      prev.assign(record.hash);  // same size each time: no reallocation
      ++expected;
      ++report.records_checked;
    }
    if (page->size() < options_.page_size) break;
  }

  const uint64_t last = expected - 1;
  const std::string records_end =
      last == 0 ? "there are no records"
                : "records end at " + std::to_string(last);
  if (!head) {
    if (last == 0) {
      report.ok = true;
      return report;
    }
    return Failed(std::move(report), AuditFault::kHeadMissing, std::nullopt,
                  "the partition has records but no head (" + records_end +
                      "; a truncated tail would go unnoticed)");
  }
  auto authentic = audit_internal::HeadAuthentic(hasher, partition, *head);
  if (!authentic.ok()) return store_error(authentic.status());
  if (!*authentic) {
    return Failed(std::move(report), AuditFault::kHeadForged, std::nullopt,
                  "the head (seq " + std::to_string(head->seq) +
                      ") does not authenticate: forged, or written under "
                      "another key");
  }
  if (head->seq > last) {
    return Failed(std::move(report), AuditFault::kTruncated, last + 1,
                  "tail truncated: the head says " + std::to_string(head->seq) +
                      " records, " + records_end);
  }
  if (head->seq < last && CachedSeq(partition) < last) {
    return Failed(std::move(report), AuditFault::kBeyondHead, head->seq + 1,
                  "records continue after the head (seq " +
                      std::to_string(head->seq) +
                      "): the head was rolled back or a write was cut short");
  }
  if (!crypto::ConstantTimeEqual(hash_at_head, head->hash)) {
    return Failed(
        std::move(report), AuditFault::kHeadMismatch, head->seq,
        "the head's hash is not that of record " + std::to_string(head->seq));
  }
  report.ok = true;
  return report;
}

std::vector<VerifyReport> AuditLog::VerifyAll() {
  auto partitions = store_.AuditPartitions();
  if (!partitions.ok()) {
    VerifyReport report;
    report.fault = AuditFault::kStoreError;
    report.problem =
        "cannot list partitions: " + partitions.status().ToString();
    return {report};
  }
  std::vector<VerifyReport> reports;
  reports.reserve(partitions->size());
  for (const std::string& partition : *partitions) {
    reports.push_back(Verify(partition));
  }
  return reports;
}

}  // namespace nfvsm
