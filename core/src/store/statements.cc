// The store's fixed SQL, prepared once per connection. SELECT column lists
// follow the field order of the structs in nfvsm/types.h; the decoders in
// sqlite_store_*.cc read them by that position.
#include "store/sqlite_store.h"

namespace nfvsm::internal {

Statements::Statements(const SQLite::Database& db)
    : begin(db, "BEGIN IMMEDIATE"),
      commit(db, "COMMIT"),
      rollback(db, "ROLLBACK"),
      // Upserts, not INSERT OR REPLACE: REPLACE deletes the old row first,
      // which would cascade to domain_trusts and trip the foreign keys of
      // bindings and sub-SMs.
      put_domain(db,
                 "INSERT INTO domains (id, kind, sensitive, description) "
                 "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (id) DO UPDATE SET "
                 "kind = excluded.kind, sensitive = excluded.sensitive, "
                 "description = excluded.description"),
      delete_domain(db, "DELETE FROM domains WHERE id = ?1"),
      load_domains(db,
                   "SELECT id, kind, sensitive, description FROM domains "
                   "ORDER BY id"),
      delete_domain_trusts(db, "DELETE FROM domain_trusts WHERE domain = ?1"),
      insert_domain_trust(
          db, "INSERT INTO domain_trusts (domain, trusted) VALUES (?1, ?2)"),
      load_domain_trusts(db,
                         "SELECT domain, trusted FROM domain_trusts "
                         "ORDER BY domain, trusted"),
      put_sm(db,
             "INSERT INTO sms (id, public_key_pem, master, home_domain, "
             "description) VALUES (?1, ?2, ?3, ?4, ?5) "
             "ON CONFLICT (id) DO UPDATE SET "
             "public_key_pem = excluded.public_key_pem, "
             "master = excluded.master, home_domain = excluded.home_domain, "
             "description = excluded.description"),
      delete_sm(db, "DELETE FROM sms WHERE id = ?1"),
      load_sms(db,
               "SELECT id, public_key_pem, master, home_domain, description "
               "FROM sms ORDER BY id"),
      put_binding(db,
                  "INSERT INTO bindings (sm, domain, mode, "
                  "allowed_instructions, hidden_events, gate_deadline_us, "
                  "semi_active_window_us, fail_mode) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8) "
                  "ON CONFLICT (sm, domain) DO UPDATE SET "
                  "mode = excluded.mode, "
                  "allowed_instructions = excluded.allowed_instructions, "
                  "hidden_events = excluded.hidden_events, "
                  "gate_deadline_us = excluded.gate_deadline_us, "
                  "semi_active_window_us = excluded.semi_active_window_us, "
                  "fail_mode = excluded.fail_mode"),
      delete_binding(db, "DELETE FROM bindings WHERE sm = ?1 AND domain = ?2"),
      load_bindings(db,
                    "SELECT sm, domain, mode, allowed_instructions, "
                    "hidden_events, gate_deadline_us, semi_active_window_us, "
                    "fail_mode FROM bindings ORDER BY sm, domain"),
      put_vnf(db,
              "INSERT INTO vnfs (id, requestor_id, ns_id, domain, package_id, "
              "vnfd_id, image_id, host, zone, state, needs_security_policy, "
              "created_at_us, updated_at_us) VALUES (?1, ?2, ?3, ?4, ?5, ?6, "
              "?7, ?8, ?9, ?10, ?11, ?12, ?13) ON CONFLICT (id) DO UPDATE SET "
              "requestor_id = excluded.requestor_id, ns_id = excluded.ns_id, "
              "domain = excluded.domain, package_id = excluded.package_id, "
              "vnfd_id = excluded.vnfd_id, image_id = excluded.image_id, "
              "host = excluded.host, zone = excluded.zone, "
              "state = excluded.state, "
              "needs_security_policy = excluded.needs_security_policy, "
              "created_at_us = excluded.created_at_us, "
              "updated_at_us = excluded.updated_at_us"),
      load_vnfs(db,
                "SELECT id, requestor_id, ns_id, domain, package_id, vnfd_id, "
                "image_id, host, zone, state, needs_security_policy, "
                "created_at_us, updated_at_us FROM vnfs ORDER BY id"),
      append_event(
          db,
          "INSERT INTO events (id, kind, phase, source, reason, "
          "occurred_at_us, vnf_id, domain, origin, package_id, vnfd_id, vnfd, "
          "package_checksum, package_integrity_ok, requestor_id, ns_id, "
          "connectivity, intended_hosts, locations, image_id, aspect, "
          "details) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
          "?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22) "
          "ON CONFLICT (id) DO NOTHING"),
      put_quarantine(
          db,
          "INSERT INTO quarantine (target, target_id, by_sm, domain, at_us, "
          "reason, terminated, replacement_allowed, copy_kept, "
          "recovery_allowed, erase_requested) VALUES (?1, ?2, ?3, ?4, ?5, "
          "?6, ?7, ?8, ?9, ?10, ?11) ON CONFLICT (target, target_id) "
          "DO UPDATE SET by_sm = excluded.by_sm, domain = excluded.domain, "
          "at_us = excluded.at_us, reason = excluded.reason, "
          "terminated = excluded.terminated, "
          "replacement_allowed = excluded.replacement_allowed, "
          "copy_kept = excluded.copy_kept, "
          "recovery_allowed = excluded.recovery_allowed, "
          "erase_requested = excluded.erase_requested"),
      delete_quarantine(
          db, "DELETE FROM quarantine WHERE target = ?1 AND target_id = ?2"),
      load_quarantine(db,
                      "SELECT target, target_id, by_sm, domain, at_us, "
                      "reason, terminated, replacement_allowed, copy_kept, "
                      "recovery_allowed, erase_requested FROM quarantine "
                      "ORDER BY target, target_id"),
      put_policy(db,
                 "INSERT INTO policies (scope, json) VALUES (?1, ?2) "
                 "ON CONFLICT (scope) DO UPDATE SET json = excluded.json"),
      delete_policy(db, "DELETE FROM policies WHERE scope = ?1"),
      load_policies(db, "SELECT scope, json FROM policies ORDER BY scope"),
      append_gate(db,
                  "INSERT INTO gates (id, vnf_id, domain, operation, allowed, "
                  "requested_at_us, decided_at_us, detail_json) "
                  "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)"),
      query_gates(db,
                  "SELECT id, vnf_id, domain, operation, allowed, "
                  "requested_at_us, decided_at_us, detail_json FROM gates "
                  "WHERE requested_at_us >= ?1 AND requested_at_us < ?2 "
                  "ORDER BY requested_at_us, seq"),
      query_gates_of_vnf(db,
                         "SELECT id, vnf_id, domain, operation, allowed, "
                         "requested_at_us, decided_at_us, detail_json "
                         "FROM gates WHERE vnf_id = ?3 AND "
                         "requested_at_us >= ?1 AND requested_at_us < ?2 "
                         "ORDER BY requested_at_us, seq"),
      append_audit(db,
                   "INSERT INTO audit (partition, seq, at_us, kind, actor, "
                   "subject, body, encrypted, prev_hash, hash, mac) VALUES "
                   "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"),
      read_audit(db,
                 "SELECT partition, seq, at_us, kind, actor, subject, body, "
                 "encrypted, prev_hash, hash, mac FROM audit "
                 "WHERE partition = ?1 AND seq >= ?2 ORDER BY seq LIMIT ?3"),
      // Walks the distinct partitions of `audit` through its primary-key
      // index (one seek per partition) instead of scanning every record.
      audit_partitions(
          db,
          "WITH RECURSIVE p(name) AS ("
          "  SELECT (SELECT MIN(partition) FROM audit)"
          "  UNION ALL"
          "  SELECT (SELECT MIN(partition) FROM audit WHERE partition > name)"
          "  FROM p WHERE name IS NOT NULL) "
          "SELECT name FROM p WHERE name IS NOT NULL "
          "UNION SELECT partition FROM audit_heads ORDER BY 1"),
      put_audit_head(db,
                     "INSERT INTO audit_heads (partition, seq, hash, mac) "
                     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT (partition) "
                     "DO UPDATE SET seq = excluded.seq, hash = excluded.hash, "
                     "mac = excluded.mac"),
      get_audit_head(db,
                     "SELECT seq, hash, mac FROM audit_heads "
                     "WHERE partition = ?1") {}

}  // namespace nfvsm::internal
