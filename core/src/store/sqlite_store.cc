#include "store/sqlite_store.h"

#include <sqlite3.h>

#include <utility>

#include "store/schema.h"

namespace nfvsm {
namespace internal {
namespace {

bool IsMemoryPath(const std::string& path) {
  return path.empty() || path == ":memory:";
}

// Connection settings that must hold before anything is read or written.
Status Configure(SQLite::Database& db, const std::string& path,
                 const SqliteOptions& opts) {
  sqlite3* handle = db.getHandle();
  // Extended codes tell a duplicate key from a foreign-key violation.
  sqlite3_extended_result_codes(handle, 1);
  // Defensive mode: no SQL can corrupt the file through writable_schema
  // and the like, whatever reaches the connection.
  sqlite3_db_config(handle, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
  db.exec("PRAGMA foreign_keys = ON");
  const std::string mode =
      db.execAndGet("PRAGMA journal_mode = WAL").getString();
  if (!IsMemoryPath(path) && mode != "wal") {
    return UnavailableError("store '" + path +
                            "' cannot use write-ahead logging (journal mode '" +
                            mode + "')");
  }
  // 16 MiB of page cache (the default is 2 MiB): the event indexes are
  // touched on every append, and re-reading their pages dominated the
  // append benchmark.
  db.exec("PRAGMA cache_size = -16384");
  db.exec(opts.synchronous_full ? "PRAGMA synchronous = FULL"
                                : "PRAGMA synchronous = NORMAL");
  return OkStatus();
}

}  // namespace

StatusOr<std::unique_ptr<Store>> SqliteStore::Open(const std::string& path,
                                                   const SqliteOptions& opts) {
  if (opts.busy_timeout_ms < 0) {
    return InvalidArgumentError("busy_timeout_ms must not be negative");
  }
  std::unique_ptr<SQLite::Database> db;
  try {
    // NOMUTEX: every use of the connection is already serialized by mu_.
    db = std::make_unique<SQLite::Database>(
        path,
        SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE | SQLite::OPEN_NOMUTEX,
        opts.busy_timeout_ms);
  } catch (const SQLite::Exception& e) {
    return UnavailableError("cannot open store '" + path + "': " + e.what());
  }
  try {
    NFVSM_RETURN_IF_ERROR(Configure(*db, path, opts));
    NFVSM_ASSIGN_OR_RETURN(int version, Migrate(*db));
    auto stmts = std::make_unique<Statements>(*db);
    return std::unique_ptr<Store>(
        new SqliteStore(std::move(db), std::move(stmts), version));
  } catch (const SQLite::Exception& e) {
    Status s = FromSqlite(e, "open store '" + path + "'");
    // A damaged file stays kDataLoss; anything else that stops the open
    // (locks, permissions, a full disk) is the store being unavailable.
    if (s.code() == StatusCode::kDataLoss) return s;
    return UnavailableError(s.message());
  }
}

SqliteStore::SqliteStore(std::unique_ptr<SQLite::Database> db,
                         std::unique_ptr<Statements> stmts, int schema_version)
    : db_(std::move(db)),
      stmts_(std::move(stmts)),
      schema_version_(schema_version) {}

SqliteStore::~SqliteStore() {
  // Statements hold the connection open; they go first.
  event_queries_.clear();
  stmts_.reset();
}

Status SqliteStore::InTransaction(const std::function<Status()>& fn) {
  return RunTransaction("transaction", fn);
}

Status SqliteStore::CheckTransactionAlive() {
  if (depth_ == 0 || sqlite3_get_autocommit(db_->getHandle()) == 0) {
    return OkStatus();
  }
  Status lost = InternalError(
      "store transaction was rolled back by SQLite after an earlier failure");
  if (doomed_.ok()) doomed_ = lost;
  return lost;
}

void SqliteStore::RollbackQuietly() noexcept {
  if (sqlite3_get_autocommit(db_->getHandle()) != 0) return;
  try {
    StatementUse rollback(stmts_->rollback);
    rollback->exec();
  } catch (...) {
    // Nothing more can be done; the caller already reports a failure, and
    // the next BEGIN will fail loudly if the transaction is somehow open.
  }
}

namespace {

Status CallCatching(std::string_view op, const std::function<Status()>& fn) {
  try {
    return fn();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, op);
  } catch (const std::exception& e) {
    return InternalError(std::string(op) +
                         " aborted by an exception: " + e.what());
  } catch (...) {
    return InternalError(std::string(op) + " aborted by an exception");
  }
}

}  // namespace

Status SqliteStore::RunTransaction(std::string_view op,
                                   const std::function<Status()>& fn) {
  if (!fn) return InvalidArgumentError(std::string(op) + ": no function");
  std::lock_guard lock(mu_);
  if (depth_ > 0) {
    NFVSM_RETURN_IF_ERROR(CheckTransactionAlive());
    ++depth_;
    Status s = CallCatching(op, fn);
    --depth_;
    if (!s.ok() && doomed_.ok()) doomed_ = s;
    return s;
  }

  try {
    StatementUse begin(stmts_->begin);
    begin->exec();
  } catch (const SQLite::Exception& e) {
    return FromSqlite(e, std::string(op) + ": begin");
  }
  depth_ = 1;
  Status s = CallCatching(op, fn);
  if (s.ok()) s = CheckTransactionAlive();
  depth_ = 0;
  Status doomed = std::exchange(doomed_, OkStatus());
  if (s.ok()) s = std::move(doomed);
  if (s.ok()) {
    try {
      StatementUse commit(stmts_->commit);
      commit->exec();
      return OkStatus();
    } catch (const SQLite::Exception& e) {
      s = FromSqlite(e, std::string(op) + ": commit");
    }
  }
  RollbackQuietly();
  return s;
}

}  // namespace internal

StatusOr<std::unique_ptr<Store>> OpenSqliteStore(const std::string& path,
                                                 const SqliteOptions& opts) {
  return internal::SqliteStore::Open(path, opts);
}

}  // namespace nfvsm
