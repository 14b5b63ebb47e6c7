// Lifecycle events (R2.1.150 - R2.1.240, history queries R2.1.360) and
// gate decisions: append-only, queried by time.
#include <algorithm>
#include <cstdint>
#include <limits>
#include <string>

#include "store/codec.h"
#include "store/sqlite_store.h"

namespace nfvsm::internal {
namespace {

// Largest domain set one query binds. Sets are padded to a power of two so
// few distinct statements get cached; 2^14 stays under SQLite's limit of
// 32766 parameters.
constexpr size_t kMaxQueryDomains = size_t{1} << 14;

constexpr const char* kEventColumns =
    "SELECT id, kind, phase, source, reason, occurred_at_us, vnf_id, domain, "
    "origin, package_id, vnfd_id, vnfd, package_checksum, "
    "package_integrity_ok, requestor_id, ns_id, connectivity, intended_hosts, "
    "locations, image_id, aspect, details FROM events";

int64_t Limit(size_t limit) {
  return static_cast<int64_t>(
      std::min<uint64_t>(limit, std::numeric_limits<int64_t>::max()));
}

size_t DomainSlots(size_t domains) {
  if (domains == 0) return 0;
  size_t slots = 1;
  while (slots < domains) slots <<= 1;
  return slots;
}

StatusOr<LifecycleEvent> DecodeEvent(SQLite::Statement& row) {
  LifecycleEvent e;
  e.id = ReadBytes(row.getColumn(0));
  NFVSM_ASSIGN_OR_RETURN(e.kind, DecodeEnum(&ParseEventKind, {"events", "kind"},
                                            ReadBytes(row.getColumn(1))));
  NFVSM_ASSIGN_OR_RETURN(e.phase, DecodeEnum(&ParsePhase, {"events", "phase"},
                                             ReadBytes(row.getColumn(2))));
  NFVSM_ASSIGN_OR_RETURN(e.source,
                         DecodeEnum(&ParseEventSource, {"events", "source"},
                                    ReadBytes(row.getColumn(3))));
  e.reason = ReadBytes(row.getColumn(4));
  e.occurred_at = FromMicros(row.getColumn(5).getInt64());
  e.vnf_id = ReadBytes(row.getColumn(6));
  e.domain = ReadBytes(row.getColumn(7));
  e.origin = ReadBytes(row.getColumn(8));
  e.package_id = ReadBytes(row.getColumn(9));
  e.vnfd_id = ReadBytes(row.getColumn(10));
  e.vnfd = ReadBytes(row.getColumn(11));
  e.package_checksum = ReadBytes(row.getColumn(12));
  if (!row.getColumn(13).isNull()) {
    e.package_integrity_ok = row.getColumn(13).getInt64() != 0;
  }
  e.requestor_id = ReadBytes(row.getColumn(14));
  e.ns_id = ReadBytes(row.getColumn(15));
  NFVSM_ASSIGN_OR_RETURN(e.connectivity,
                         DecodeStringList(ReadBytes(row.getColumn(16)),
                                          {"events", "connectivity"}));
  NFVSM_ASSIGN_OR_RETURN(e.intended_hosts,
                         DecodeStringList(ReadBytes(row.getColumn(17)),
                                          {"events", "intended_hosts"}));
  NFVSM_ASSIGN_OR_RETURN(
      e.locations,
      DecodeStringList(ReadBytes(row.getColumn(18)), {"events", "locations"}));
  e.image_id = ReadBytes(row.getColumn(19));
  NFVSM_ASSIGN_OR_RETURN(e.aspect,
                         DecodeEnum(&ParseModifyAspect, {"events", "aspect"},
                                    ReadBytes(row.getColumn(20))));
  NFVSM_ASSIGN_OR_RETURN(
      e.details,
      DecodeStringMap(ReadBytes(row.getColumn(21)), {"events", "details"}));
  return e;
}

StatusOr<GateRecord> DecodeGate(SQLite::Statement& row) {
  GateRecord g;
  g.id = ReadBytes(row.getColumn(0));
  g.vnf_id = ReadBytes(row.getColumn(1));
  g.domain = ReadBytes(row.getColumn(2));
  NFVSM_ASSIGN_OR_RETURN(g.operation,
                         DecodeEnum(&ParseOperationKind, {"gates", "operation"},
                                    ReadBytes(row.getColumn(3))));
  g.allowed = row.getColumn(4).getInt64() != 0;
  g.requested_at = FromMicros(row.getColumn(5).getInt64());
  g.decided_at = FromMicros(row.getColumn(6).getInt64());
  g.detail_json = ReadBytes(row.getColumn(7));
  return g;
}

// Everything AppendEvent binds that is not a plain field: computed before
// taking the lock, and alive until the statement has run.
struct EncodedEvent {
  std::string kind, phase, source, aspect;
  std::string connectivity, intended_hosts, locations, details;
};

StatusOr<EncodedEvent> Encode(const LifecycleEvent& e) {
  if (e.id.empty()) return InvalidArgumentError("event id is empty");
  EncodedEvent out;
  NFVSM_ASSIGN_OR_RETURN(out.kind, EncodeEnum(e.kind, "event kind"));
  NFVSM_ASSIGN_OR_RETURN(out.phase, EncodeEnum(e.phase, "event phase"));
  NFVSM_ASSIGN_OR_RETURN(out.source, EncodeEnum(e.source, "event source"));
  NFVSM_ASSIGN_OR_RETURN(out.aspect, EncodeEnum(e.aspect, "event aspect"));
  NFVSM_ASSIGN_OR_RETURN(
      out.connectivity, EncodeStringList(e.connectivity, "event connectivity"));
  NFVSM_ASSIGN_OR_RETURN(
      out.intended_hosts,
      EncodeStringList(e.intended_hosts, "event intended_hosts"));
  NFVSM_ASSIGN_OR_RETURN(out.locations,
                         EncodeStringList(e.locations, "event locations"));
  NFVSM_ASSIGN_OR_RETURN(out.details,
                         EncodeStringMap(e.details, "event details"));
  return out;
}

}  // namespace

StatusOr<bool> SqliteStore::AppendEvent(const LifecycleEvent& e) {
  NFVSM_ASSIGN_OR_RETURN(EncodedEvent enc, Encode(e));
  return Locked("append event", [&]() -> StatusOr<bool> {
    StatementUse put(stmts_->append_event);
    BindText(*put, 1, e.id);
    BindText(*put, 2, enc.kind);
    BindText(*put, 3, enc.phase);
    BindText(*put, 4, enc.source);
    BindText(*put, 5, e.reason);
    put->bind(6, ToMicros(e.occurred_at));
    BindText(*put, 7, e.vnf_id);
    BindText(*put, 8, e.domain);
    BindText(*put, 9, e.origin);
    BindText(*put, 10, e.package_id);
    BindText(*put, 11, e.vnfd_id);
    BindText(*put, 12, e.vnfd);
    BindText(*put, 13, e.package_checksum);
    if (e.package_integrity_ok) {
      put->bind(14, static_cast<int64_t>(*e.package_integrity_ok ? 1 : 0));
    } else {
      put->bind(14);  // NULL: MANO did not check
    }
    BindText(*put, 15, e.requestor_id);
    BindText(*put, 16, e.ns_id);
    BindText(*put, 17, enc.connectivity);
    BindText(*put, 18, enc.intended_hosts);
    BindText(*put, 19, enc.locations);
    BindText(*put, 20, e.image_id);
    BindText(*put, 21, enc.aspect);
    BindText(*put, 22, enc.details);
    // ON CONFLICT (id) DO NOTHING: no row changed means a redelivery.
    return put->exec() == 1;
  });
}

SQLite::Statement& SqliteStore::EventQueryStatement(size_t domain_slots,
                                                    bool by_vnf) {
  auto& cached = event_queries_[{domain_slots, by_vnf}];
  if (cached) return *cached;
  // ?1 from, ?2 to, ?3 limit, ?4 VNF, ?5... domains.
  std::string sql = kEventColumns;
  sql += " WHERE occurred_at_us >= ?1 AND occurred_at_us < ?2";
  if (by_vnf) sql += " AND vnf_id = ?4";
  if (domain_slots > 0) {
    sql += " AND domain IN (";
    for (size_t i = 0; i < domain_slots; ++i) {
      if (i > 0) sql += ", ";
      sql += "?" + std::to_string(5 + i);
    }
    sql += ")";
  }
  sql += " ORDER BY occurred_at_us, seq LIMIT ?3";
  cached = std::make_unique<SQLite::Statement>(*db_, sql);
  return *cached;
}

StatusOr<std::vector<LifecycleEvent>> SqliteStore::QueryEvents(
    const EventQuery& q) {
  if (q.domains.size() > kMaxQueryDomains) {
    return InvalidArgumentError(
        "event query names " + std::to_string(q.domains.size()) +
        " domains; at most " + std::to_string(kMaxQueryDomains) + " allowed");
  }
  using Result = StatusOr<std::vector<LifecycleEvent>>;
  return Locked("query events", [&]() -> Result {
    const size_t slots = DomainSlots(q.domains.size());
    StatementUse query(EventQueryStatement(slots, q.vnf_id.has_value()));
    query->bind(1, ToMicros(q.from));
    query->bind(2, ToMicros(q.to));
    query->bind(3, Limit(q.limit));
    if (q.vnf_id) BindText(*query, 4, *q.vnf_id);
    int index = 5;
    for (const DomainId& d : q.domains) BindText(*query, index++, d);
    // Padding repeats the last domain: same set, fewer statement shapes.
    if (slots > 0) {
      const DomainId& last = *q.domains.rbegin();
      while (index < 5 + static_cast<int>(slots)) {
        BindText(*query, index++, last);
      }
    }
    std::vector<LifecycleEvent> events;
    while (query->executeStep()) {
      NFVSM_ASSIGN_OR_RETURN(LifecycleEvent e, DecodeEvent(*query));
      events.push_back(std::move(e));
    }
    return events;
  });
}

Status SqliteStore::AppendGate(const GateRecord& g) {
  if (g.id.empty()) return InvalidArgumentError("gate record id is empty");
  NFVSM_ASSIGN_OR_RETURN(std::string operation,
                         EncodeEnum(g.operation, "gate operation"));
  return Locked("append gate record", [&]() -> Status {
    StatementUse put(stmts_->append_gate);
    BindText(*put, 1, g.id);
    BindText(*put, 2, g.vnf_id);
    BindText(*put, 3, g.domain);
    BindText(*put, 4, operation);
    put->bind(5, static_cast<int64_t>(g.allowed ? 1 : 0));
    put->bind(6, ToMicros(g.requested_at));
    put->bind(7, ToMicros(g.decided_at));
    BindText(*put, 8, g.detail_json);
    put->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<GateRecord>> SqliteStore::QueryGates(const VnfId& vnf_id,
                                                          TimePoint from,
                                                          TimePoint to) {
  using Result = StatusOr<std::vector<GateRecord>>;
  return Locked("query gate records", [&]() -> Result {
    StatementUse query(vnf_id.empty() ? stmts_->query_gates
                                      : stmts_->query_gates_of_vnf);
    query->bind(1, ToMicros(from));
    query->bind(2, ToMicros(to));
    if (!vnf_id.empty()) BindText(*query, 3, vnf_id);
    std::vector<GateRecord> gates;
    while (query->executeStep()) {
      NFVSM_ASSIGN_OR_RETURN(GateRecord g, DecodeGate(*query));
      gates.push_back(std::move(g));
    }
    return gates;
  });
}

}  // namespace nfvsm::internal
