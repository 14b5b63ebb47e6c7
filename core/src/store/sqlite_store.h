// SqliteStore: the Store over one SQLite connection (see nfvsm/store.h for
// the contract and docs/store.md for the schema).
//
// Locking: one recursive mutex guards the connection, its cached
// statements and the transaction state. InTransaction holds it for the
// whole of fn, so only the thread that opened a transaction can reach the
// connection until it ends; a store call fn makes on that thread re-enters
// the mutex and joins the transaction. fn must therefore not wait for
// another thread that uses this store.
#ifndef NFVSM_STORE_SQLITE_STORE_H_
#define NFVSM_STORE_SQLITE_STORE_H_

#include <SQLiteCpp/Database.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <utility>

#include "nfvsm/store.h"
#include "store/sqlite_util.h"

namespace nfvsm::internal {

// Every fixed statement the store runs, prepared once at open.
struct Statements {
  explicit Statements(const SQLite::Database& db);

  SQLite::Statement begin, commit, rollback;
  SQLite::Statement put_domain, delete_domain, load_domains;
  SQLite::Statement delete_domain_trusts, insert_domain_trust,
      load_domain_trusts;
  SQLite::Statement put_sm, delete_sm, load_sms;
  SQLite::Statement put_binding, delete_binding, load_bindings;
  SQLite::Statement put_vnf, load_vnfs;
  SQLite::Statement append_event;
  SQLite::Statement put_quarantine, delete_quarantine, load_quarantine;
  SQLite::Statement put_policy, delete_policy, load_policies;
  SQLite::Statement append_gate, query_gates, query_gates_of_vnf;
  SQLite::Statement append_audit, read_audit, audit_partitions;
  SQLite::Statement put_audit_head, get_audit_head;
};

class SqliteStore final : public Store {
 public:
  static StatusOr<std::unique_ptr<Store>> Open(const std::string& path,
                                               const SqliteOptions& opts);
  ~SqliteStore() override;

  Status InTransaction(const std::function<Status()>& fn) override;

  Status PutDomain(const TrustDomain& d) override;
  Status DeleteDomain(const DomainId& id) override;
  StatusOr<std::vector<TrustDomain>> LoadDomains() override;

  Status PutSm(const SecurityManager& sm) override;
  Status DeleteSm(const SmId& id) override;
  StatusOr<std::vector<SecurityManager>> LoadSms() override;

  Status PutBinding(const Binding& b) override;
  Status DeleteBinding(const SmId& sm, const DomainId& domain) override;
  StatusOr<std::vector<Binding>> LoadBindings() override;

  Status PutVnf(const VnfRecord& v) override;
  StatusOr<std::vector<VnfRecord>> LoadVnfs() override;

  StatusOr<bool> AppendEvent(const LifecycleEvent& e) override;
  StatusOr<std::vector<LifecycleEvent>> QueryEvents(
      const EventQuery& q) override;

  Status PutQuarantine(const QuarantineEntry& q) override;
  Status DeleteQuarantine(QuarantineTarget target,
                          const std::string& target_id) override;
  StatusOr<std::vector<QuarantineEntry>> LoadQuarantine() override;

  Status PutPolicy(const std::string& scope, const std::string& json) override;
  Status DeletePolicy(const std::string& scope) override;
  StatusOr<std::map<std::string, std::string>> LoadPolicies() override;

  Status AppendGate(const GateRecord& g) override;
  StatusOr<std::vector<GateRecord>> QueryGates(const VnfId& vnf_id,
                                               TimePoint from,
                                               TimePoint to) override;

  Status AppendAudit(const AuditRecord& record) override;
  StatusOr<std::vector<AuditRecord>> ReadAudit(const std::string& partition,
                                               uint64_t from_seq,
                                               size_t limit) override;
  StatusOr<std::vector<std::string>> AuditPartitions() override;
  Status PutAuditHead(const std::string& partition, const Head& head) override;
  StatusOr<std::optional<Head>> GetAuditHead(
      const std::string& partition) override;

  int SchemaVersion() override { return schema_version_; }

 private:
  SqliteStore(std::unique_ptr<SQLite::Database> db,
              std::unique_ptr<Statements> stmts, int schema_version);

  // Runs body (one or more statements that need no transaction of their
  // own) under the connection lock, turning exceptions into Status.
  template <typename F>
  auto Locked(std::string_view op, F&& body) -> decltype(body());

  // Runs fn atomically: the outermost call on a thread brackets it with
  // BEGIN IMMEDIATE / COMMIT (or ROLLBACK); a nested call joins, and if it
  // fails the whole transaction is rolled back when the outermost ends,
  // even if the outer fn carried on.
  Status RunTransaction(std::string_view op, const std::function<Status()>& fn);

  // Requires mu_. Inside a transaction, fails (and dooms it) if SQLite has
  // already rolled it back after an I/O or memory error: carrying on would
  // commit the remaining writes one by one, outside any transaction.
  Status CheckTransactionAlive();
  // Requires mu_. Ends the open transaction, if any, discarding its writes.
  void RollbackQuietly() noexcept;

  // Requires mu_. The cached query for `domain_slots` domain parameters
  // (0 = no domain filter), with or without a VNF filter.
  SQLite::Statement& EventQueryStatement(size_t domain_slots, bool by_vnf);

  std::recursive_mutex mu_;
  // Declared before the statements: members are destroyed in reverse, and
  // the connection cannot close while statements are still prepared.
  std::unique_ptr<SQLite::Database> db_;
  std::unique_ptr<Statements> stmts_;
  std::map<std::pair<size_t, bool>, std::unique_ptr<SQLite::Statement>>
      event_queries_;
  // Nesting depth of InTransaction. Only the thread holding mu_ across the
  // whole outermost call can see it non-zero, so it is that thread's depth.
  int depth_ = 0;
  // First failure of a joined call in the current transaction: the
  // outermost call rolls back and returns it.
  Status doomed_;
  const int schema_version_;
};

template <typename F>
auto SqliteStore::Locked(std::string_view op, F&& body) -> decltype(body()) {
  std::lock_guard lock(mu_);
  NFVSM_RETURN_IF_ERROR(CheckTransactionAlive());
  try {
    return body();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, op);
  } catch (const std::exception& e) {
    return InternalError(std::string(op) + ": " + e.what());
  }
}

}  // namespace nfvsm::internal

#endif  // NFVSM_STORE_SQLITE_STORE_H_
