// The store's schema and its migrations. The database's PRAGMA user_version
// is the number of migrations applied; docs/store.md describes the tables.
#ifndef NFVSM_STORE_SCHEMA_H_
#define NFVSM_STORE_SCHEMA_H_

#include <SQLiteCpp/Database.h>

#include "nfvsm/status.h"

namespace nfvsm::internal {

// The version a database is at once every migration this build knows has
// been applied.
int CurrentSchemaVersion();

// Applies the missing migrations, each in its own IMMEDIATE transaction
// that also bumps user_version, so a crash leaves the file at a whole
// version and a concurrent opener waits instead of migrating twice.
// Returns the resulting version; kDataLoss if the file is newer than this
// build. Throws SQLite::Exception on SQLite failures.
StatusOr<int> Migrate(SQLite::Database& db);

}  // namespace nfvsm::internal

#endif  // NFVSM_STORE_SCHEMA_H_
