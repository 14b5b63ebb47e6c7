// Store: durable state of nfvsm (domains, SMs, bindings, VNFs, lifecycle
// events, quarantine, policies, gate decisions, audit chains).
//
// Thread safety: every method of a Store is safe to call concurrently; the
// SQLite implementation serializes on one connection. InTransaction makes a
// group of writes atomic; a call made from inside `fn` on the same thread
// joins that transaction (no nesting of SQL transactions).
//
// Ownership: the Store copies what it is given and returns copies.
//
// Failures: kUnavailable when the database cannot be opened or is busy past
// its timeout; kDataLoss when stored rows cannot be decoded; kInternal for
// unexpected SQLite errors. A failed InTransaction rolls back everything
// written in it and returns fn's error.
#ifndef NFVSM_STORE_H_
#define NFVSM_STORE_H_

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

// The audit log's persistence; a Store is one. Kept apart so the audit log
// can be tested and benchmarked against a minimal implementation.
class AuditStore {
 public:
  virtual ~AuditStore() = default;
  // Appends a record. kAlreadyExists if (partition, seq) is taken.
  virtual Status AppendAudit(const AuditRecord& record) = 0;
  // Records of a partition with seq >= from_seq, ascending, at most `limit`.
  virtual StatusOr<std::vector<AuditRecord>> ReadAudit(
      const std::string& partition, uint64_t from_seq, size_t limit) = 0;
  // Every partition that has records or a head.
  virtual StatusOr<std::vector<std::string>> AuditPartitions() = 0;
  // The authenticated head of a partition (last seq, last hash, MAC over
  // both): what lets verification notice a truncated tail.
  struct Head {
    uint64_t seq = 0;
    std::string hash;
    std::string mac;
  };
  virtual Status PutAuditHead(const std::string& partition,
                              const Head& head) = 0;
  virtual StatusOr<std::optional<Head>> GetAuditHead(
      const std::string& partition) = 0;
};

struct EventQuery {
  std::set<DomainId> domains;  // empty = every domain
  std::optional<VnfId> vnf_id;
  TimePoint from{};                 // inclusive
  TimePoint to = TimePoint::max();  // exclusive
  size_t limit = 10'000;
};

class Store : public AuditStore {
 public:
  // Runs fn in one transaction: commits if fn returns OK, else rolls back.
  virtual Status InTransaction(const std::function<Status()>& fn) = 0;

  virtual Status PutDomain(const TrustDomain& d) = 0;
  virtual Status DeleteDomain(const DomainId& id) = 0;
  virtual StatusOr<std::vector<TrustDomain>> LoadDomains() = 0;

  virtual Status PutSm(const SecurityManager& sm) = 0;
  virtual Status DeleteSm(const SmId& id) = 0;
  virtual StatusOr<std::vector<SecurityManager>> LoadSms() = 0;

  virtual Status PutBinding(const Binding& b) = 0;
  virtual Status DeleteBinding(const SmId& sm, const DomainId& domain) = 0;
  virtual StatusOr<std::vector<Binding>> LoadBindings() = 0;

  virtual Status PutVnf(const VnfRecord& v) = 0;
  virtual StatusOr<std::vector<VnfRecord>> LoadVnfs() = 0;

  // Stores an event once: returns false (and writes nothing) if an event
  // with the same id is already stored (at-least-once delivery dedupe).
  virtual StatusOr<bool> AppendEvent(const LifecycleEvent& e) = 0;
  // Events ordered by occurred_at, then insertion order.
  virtual StatusOr<std::vector<LifecycleEvent>> QueryEvents(
      const EventQuery& q) = 0;

  virtual Status PutQuarantine(const QuarantineEntry& q) = 0;
  virtual Status DeleteQuarantine(QuarantineTarget target,
                                  const std::string& target_id) = 0;
  virtual StatusOr<std::vector<QuarantineEntry>> LoadQuarantine() = 0;

  // Policies in force, as their canonical JSON, keyed by scope ("vnf:<id>",
  // "domain:<id>").
  virtual Status PutPolicy(const std::string& scope,
                           const std::string& json) = 0;
  virtual Status DeletePolicy(const std::string& scope) = 0;
  virtual StatusOr<std::map<std::string, std::string>> LoadPolicies() = 0;

  virtual Status AppendGate(const GateRecord& g) = 0;
  // Gate records for a VNF (all VNFs if empty) in [from, to).
  virtual StatusOr<std::vector<GateRecord>> QueryGates(const VnfId& vnf_id,
                                                       TimePoint from,
                                                       TimePoint to) = 0;

  // The schema version the database is at (after migrations).
  virtual int SchemaVersion() = 0;
};

struct SqliteOptions {
  int busy_timeout_ms = 5000;
  // FULL survives power loss; NORMAL (WAL) survives process crashes only.
  bool synchronous_full = false;
};

// Opens (creating if needed) the SQLite store at `path` in WAL mode and
// migrates its schema to the current version. ":memory:" gives a private
// in-memory store. kUnavailable if the file cannot be opened; kDataLoss if
// the file's schema is newer than this build knows.
StatusOr<std::unique_ptr<Store>> OpenSqliteStore(
    const std::string& path, const SqliteOptions& opts = {});

}  // namespace nfvsm

#endif  // NFVSM_STORE_H_
