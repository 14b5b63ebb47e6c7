// An in-memory AuditStore for the audit tests, with the hooks the tamper
// tests need: direct access to stored records and heads, and injected
// failures. Thread-safe like a real store.
#ifndef NFVSM_TESTS_CORE_AUDIT_MEMORY_AUDIT_STORE_H_
#define NFVSM_TESTS_CORE_AUDIT_MEMORY_AUDIT_STORE_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/store.h"

namespace nfvsm::testing {

class MemoryAuditStore : public AuditStore {
 public:
  Status AppendAudit(const AuditRecord& record) override {
    std::lock_guard lock(mu_);
    if (fail_appends_) return UnavailableError("injected append failure");
    auto& records = records_[record.partition];
    if (!records.emplace(record.seq, record).second) {
      return AlreadyExistsError("audit record exists");
    }
    return OkStatus();
  }

  StatusOr<std::vector<AuditRecord>> ReadAudit(const std::string& partition,
                                               uint64_t from_seq,
                                               size_t limit) override {
    std::lock_guard lock(mu_);
    ++reads_;
    if (fail_reads_) return UnavailableError("injected read failure");
    std::vector<AuditRecord> out;
    auto it = records_.find(partition);
    if (it == records_.end()) return out;
    for (auto r = it->second.lower_bound(from_seq);
         r != it->second.end() && out.size() < limit; ++r) {
      out.push_back(r->second);
    }
    return out;
  }

  StatusOr<std::vector<std::string>> AuditPartitions() override {
    std::lock_guard lock(mu_);
    std::vector<std::string> out;
    for (const auto& [name, records] : records_) {
      if (!records.empty()) out.push_back(name);
    }
    for (const auto& [name, head] : heads_) {
      if (!records_.contains(name) || records_.at(name).empty()) {
        out.push_back(name);
      }
    }
    return out;
  }

  Status PutAuditHead(const std::string& partition, const Head& head) override {
    std::lock_guard lock(mu_);
    if (fail_heads_) return UnavailableError("injected head failure");
    heads_[partition] = head;
    return OkStatus();
  }

  StatusOr<std::optional<Head>> GetAuditHead(
      const std::string& partition) override {
    std::lock_guard lock(mu_);
    ++reads_;
    if (fail_reads_) return UnavailableError("injected read failure");
    auto it = heads_.find(partition);
    if (it == heads_.end()) return std::optional<Head>();
    return std::optional<Head>(it->second);
  }

  // ---- test hooks (the tests are single-threaded when they use these)
  AuditRecord& Record(const std::string& partition, uint64_t seq) {
    return records_.at(partition).at(seq);
  }
  void Erase(const std::string& partition, uint64_t seq) {
    records_.at(partition).erase(seq);
  }
  void Put(const AuditRecord& record) {
    records_[record.partition][record.seq] = record;
  }
  std::optional<Head> StoredHead(const std::string& partition) const {
    auto it = heads_.find(partition);
    if (it == heads_.end()) return std::nullopt;
    return it->second;
  }
  // nullopt deletes the head.
  void SetHead(const std::string& partition, std::optional<Head> head) {
    if (head) {
      heads_[partition] = *head;
    } else {
      heads_.erase(partition);
    }
  }
  size_t RecordCount(const std::string& partition) const {
    auto it = records_.find(partition);
    return it == records_.end() ? 0 : it->second.size();
  }
  size_t reads() const { return reads_; }
  void set_fail_appends(bool v) { fail_appends_ = v; }
  void set_fail_heads(bool v) { fail_heads_ = v; }
  void set_fail_reads(bool v) { fail_reads_ = v; }

 private:
  std::mutex mu_;
  std::map<std::string, std::map<uint64_t, AuditRecord>> records_;
  std::map<std::string, Head> heads_;
  size_t reads_ = 0;
  bool fail_appends_ = false;
  bool fail_heads_ = false;
  bool fail_reads_ = false;
};

}  // namespace nfvsm::testing

#endif  // NFVSM_TESTS_CORE_AUDIT_MEMORY_AUDIT_STORE_H_
