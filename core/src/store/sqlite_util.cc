#include "store/sqlite_util.h"

#include <sqlite3.h>

#include <climits>
#include <string>

namespace nfvsm::internal {

Status FromSqlite(const SQLite::Exception& e, std::string_view op) {
  std::string message = std::string(op) + ": " + e.what();
  const int extended = e.getExtendedErrorCode();
  const int code = e.getErrorCode() >= 0 ? (e.getErrorCode() & 0xff) : -1;
  switch (code) {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      return UnavailableError(std::move(message));
    case SQLITE_CONSTRAINT:
      if (extended == SQLITE_CONSTRAINT_PRIMARYKEY ||
          extended == SQLITE_CONSTRAINT_UNIQUE) {
        return AlreadyExistsError(std::move(message));
      }
      if (extended == SQLITE_CONSTRAINT_FOREIGNKEY) {
        return FailedPreconditionError(std::move(message));
      }
      return InternalError(std::move(message));
    case SQLITE_TOOBIG:
      return ResourceExhaustedError(std::move(message));
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      return DataLossError(std::move(message));
    default:
      return InternalError(std::move(message));
  }
}

StatementUse::~StatementUse() {
  // tryReset reports the last step's error, which was already thrown and
  // handled; the statement is reusable either way.
  (void)stmt_.tryReset();
  try {
    stmt_.clearBindings();
  } catch (const SQLite::Exception&) {
    // sqlite3_clear_bindings cannot fail; nothing to do if it ever did.
  }
}

namespace {

int CheckedLength(const std::string& value) {
  if (value.size() > static_cast<size_t>(INT_MAX)) {
    throw SQLite::Exception("value too large to store", SQLITE_TOOBIG);
  }
  return static_cast<int>(value.size());
}

}  // namespace

void BindText(SQLite::Statement& stmt, int index, const std::string& value) {
  CheckedLength(value);
  stmt.bindNoCopy(index, value);
}

void BindBlob(SQLite::Statement& stmt, int index, const std::string& value) {
  stmt.bindNoCopy(index, value.data(), CheckedLength(value));
}

std::string ReadBytes(const SQLite::Column& column) {
  // Blob first, then its length: the order SQLite documents so that the
  // length matches the returned pointer without a text conversion.
  const void* data = column.getBlob();
  const int size = column.getBytes();
  if (data == nullptr || size <= 0) return {};
  return std::string(static_cast<const char*>(data), static_cast<size_t>(size));
}

}  // namespace nfvsm::internal
