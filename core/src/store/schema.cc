#include "store/schema.h"

#include <sqlite3.h>

#include <array>
#include <string>
#include <string_view>

namespace nfvsm::internal {
namespace {

// Append-only: a released migration is never edited; a change to the
// schema is a new entry. STRICT tables make SQLite refuse a value of the
// wrong type instead of storing it silently.
constexpr std::array<std::string_view, 1> kMigrations = {
    // 1: the initial schema.
    R"sql(
CREATE TABLE domains (
  id          TEXT NOT NULL PRIMARY KEY,
  kind        TEXT NOT NULL,
  sensitive   INTEGER NOT NULL,
  description TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE domain_trusts (
  domain  TEXT NOT NULL REFERENCES domains(id) ON DELETE CASCADE,
  trusted TEXT NOT NULL,
  PRIMARY KEY (domain, trusted)
) STRICT, WITHOUT ROWID;

CREATE TABLE sms (
  id             TEXT NOT NULL PRIMARY KEY,
  public_key_pem TEXT NOT NULL,
  master         TEXT REFERENCES sms(id),
  home_domain    TEXT NOT NULL,
  description    TEXT NOT NULL
) STRICT, WITHOUT ROWID;
CREATE INDEX sms_by_master ON sms(master);

CREATE TABLE bindings (
  sm                    TEXT NOT NULL REFERENCES sms(id),
  domain                TEXT NOT NULL REFERENCES domains(id),
  mode                  TEXT NOT NULL,
  allowed_instructions  INTEGER NOT NULL,
  hidden_events         INTEGER NOT NULL,
  gate_deadline_us      INTEGER NOT NULL,
  semi_active_window_us INTEGER NOT NULL,
  fail_mode             TEXT NOT NULL,
  PRIMARY KEY (sm, domain)
) STRICT, WITHOUT ROWID;
CREATE INDEX bindings_by_domain ON bindings(domain);

CREATE TABLE vnfs (
  id                    TEXT NOT NULL PRIMARY KEY,
  requestor_id          TEXT NOT NULL,
  ns_id                 TEXT NOT NULL,
  domain                TEXT NOT NULL,
  package_id            TEXT NOT NULL,
  vnfd_id               TEXT NOT NULL,
  image_id              TEXT NOT NULL,
  host                  TEXT NOT NULL,
  zone                  TEXT NOT NULL,
  state                 TEXT NOT NULL,
  needs_security_policy INTEGER NOT NULL,
  created_at_us         INTEGER NOT NULL,
  updated_at_us         INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE events (
  seq                  INTEGER PRIMARY KEY,
  id                   TEXT NOT NULL UNIQUE,
  kind                 TEXT NOT NULL,
  phase                TEXT NOT NULL,
  source               TEXT NOT NULL,
  reason               TEXT NOT NULL,
  occurred_at_us       INTEGER NOT NULL,
  vnf_id               TEXT NOT NULL,
  domain               TEXT NOT NULL,
  origin               TEXT NOT NULL,
  package_id           TEXT NOT NULL,
  vnfd_id              TEXT NOT NULL,
  vnfd                 TEXT NOT NULL,
  package_checksum     TEXT NOT NULL,
  package_integrity_ok INTEGER,
  requestor_id         TEXT NOT NULL,
  ns_id                TEXT NOT NULL,
  connectivity         TEXT NOT NULL,
  intended_hosts       TEXT NOT NULL,
  locations            TEXT NOT NULL,
  image_id             TEXT NOT NULL,
  aspect               TEXT NOT NULL,
  details              TEXT NOT NULL
) STRICT;
CREATE INDEX events_by_domain ON events(domain, occurred_at_us);
CREATE INDEX events_by_vnf ON events(vnf_id, occurred_at_us);
CREATE INDEX events_by_time ON events(occurred_at_us);

CREATE TABLE quarantine (
  target              TEXT NOT NULL,
  target_id           TEXT NOT NULL,
  by_sm               TEXT NOT NULL,
  domain              TEXT NOT NULL,
  at_us               INTEGER NOT NULL,
  reason              TEXT NOT NULL,
  terminated          INTEGER NOT NULL,
  replacement_allowed INTEGER NOT NULL,
  copy_kept           INTEGER NOT NULL,
  recovery_allowed    INTEGER NOT NULL,
  erase_requested     INTEGER NOT NULL,
  PRIMARY KEY (target, target_id)
) STRICT, WITHOUT ROWID;

CREATE TABLE policies (
  scope TEXT NOT NULL PRIMARY KEY,
  json  TEXT NOT NULL
) STRICT, WITHOUT ROWID;

CREATE TABLE gates (
  seq             INTEGER PRIMARY KEY,
  id              TEXT NOT NULL UNIQUE,
  vnf_id          TEXT NOT NULL,
  domain          TEXT NOT NULL,
  operation       TEXT NOT NULL,
  allowed         INTEGER NOT NULL,
  requested_at_us INTEGER NOT NULL,
  decided_at_us   INTEGER NOT NULL,
  detail_json     TEXT NOT NULL
) STRICT;
CREATE INDEX gates_by_vnf ON gates(vnf_id, requested_at_us);
CREATE INDEX gates_by_time ON gates(requested_at_us);

CREATE TABLE audit (
  partition TEXT NOT NULL,
  seq       INTEGER NOT NULL,
  at_us     INTEGER NOT NULL,
  kind      TEXT NOT NULL,
  actor     TEXT NOT NULL,
  subject   TEXT NOT NULL,
  body      BLOB NOT NULL,
  encrypted INTEGER NOT NULL,
  prev_hash BLOB NOT NULL,
  hash      BLOB NOT NULL,
  mac       BLOB NOT NULL,
  PRIMARY KEY (partition, seq)
) STRICT;

CREATE TABLE audit_heads (
  partition TEXT NOT NULL PRIMARY KEY,
  seq       INTEGER NOT NULL,
  hash      BLOB NOT NULL,
  mac       BLOB NOT NULL
) STRICT, WITHOUT ROWID;
)sql",
};

int UserVersion(SQLite::Database& db) {
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace

int CurrentSchemaVersion() { return static_cast<int>(kMigrations.size()); }

StatusOr<int> Migrate(SQLite::Database& db) {
  const int current = CurrentSchemaVersion();
  while (true) {
    db.exec("BEGIN IMMEDIATE");
    try {
      const int version = UserVersion(db);
      if (version > current) {
        db.exec("ROLLBACK");
        return DataLossError("store schema version " + std::to_string(version) +
                             " is newer than this build supports (" +
                             std::to_string(current) +
                             "); refusing to open it with an older nfvsm");
      }
      if (version < 0) {
        db.exec("ROLLBACK");
        return DataLossError("store schema version " + std::to_string(version) +
                             " is invalid");
      }
      if (version == current) {
        db.exec("COMMIT");
        return version;
      }
      db.exec(std::string(kMigrations[static_cast<size_t>(version)]));
      db.exec("PRAGMA user_version = " + std::to_string(version + 1));
      db.exec("COMMIT");
    } catch (...) {
      if (sqlite3_get_autocommit(db.getHandle()) == 0) {
        try {
          db.exec("ROLLBACK");
        } catch (const SQLite::Exception&) {
          // The original failure is what the caller needs to see.
        }
      }
      throw;
    }
  }
}

}  // namespace nfvsm::internal
