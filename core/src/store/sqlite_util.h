// Small helpers over SQLiteCpp shared by the store's source files: turning
// SQLite exceptions into Status, resetting cached statements, and binding
// and reading byte-exact strings.
#ifndef NFVSM_STORE_SQLITE_UTIL_H_
#define NFVSM_STORE_SQLITE_UTIL_H_

#include <SQLiteCpp/Column.h>
#include <SQLiteCpp/Exception.h>
#include <SQLiteCpp/Statement.h>

#include <cstdint>
#include <string>
#include <string_view>

#include "nfvsm/status.h"

namespace nfvsm::internal {

// Maps a SQLite failure to the store's error contract: busy/locked ->
// kUnavailable (retryable), a duplicate key -> kAlreadyExists, a dangling
// or still-referenced foreign key -> kFailedPrecondition, an oversized
// value -> kResourceExhausted, a damaged file -> kDataLoss, anything else
// -> kInternal. `op` names the store operation for the message.
Status FromSqlite(const SQLite::Exception& e, std::string_view op);

// Resets a cached statement when the scope ends, however it ends, so the
// next use starts clean and no pointer bound with bindNoCopy outlives the
// call that bound it.
class StatementUse {
 public:
  explicit StatementUse(SQLite::Statement& stmt) : stmt_(stmt) {}
  ~StatementUse();
  StatementUse(const StatementUse&) = delete;
  StatementUse& operator=(const StatementUse&) = delete;
  SQLite::Statement& operator*() { return stmt_; }
  SQLite::Statement* operator->() { return &stmt_; }

 private:
  SQLite::Statement& stmt_;
};

// Bind without copying; the value must outlive the statement's use (the
// StatementUse scope). Throw SQLite::Exception(SQLITE_TOOBIG) for values
// longer than SQLite's int length parameter can express.
void BindText(SQLite::Statement& stmt, int index, const std::string& value);
void BindBlob(SQLite::Statement& stmt, int index, const std::string& value);

// Byte-exact copy of a TEXT or BLOB column (embedded NULs kept); NULL
// reads as "".
std::string ReadBytes(const SQLite::Column& column);

}  // namespace nfvsm::internal

#endif  // NFVSM_STORE_SQLITE_UTIL_H_
