#include "core/store/store_test_util.h"

#include <SQLiteCpp/Database.h>
#include <stdlib.h>

#include <string>
#include <vector>

namespace nfvsm::testing {

TempDir::TempDir() {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "nfvsm-store-XXXXXX").string();
  std::vector<char> buf(pattern.begin(), pattern.end());
  buf.push_back('\0');
  const char* made = mkdtemp(buf.data());
  EXPECT_NE(made, nullptr) << "mkdtemp failed";
  path_ = made != nullptr ? made : pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

std::unique_ptr<Store> MustOpen(const std::string& path,
                                const SqliteOptions& opts) {
  auto store = OpenSqliteStore(path, opts);
  if (!store.ok()) {
    ADD_FAILURE() << "OpenSqliteStore(" << path
                  << "): " << store.status().ToString();
    return nullptr;
  }
  return std::move(store).value();
}

TrustDomain SampleDomain(const std::string& id) {
  TrustDomain d;
  d.id = id;
  d.kind = DomainKind::kSecurity;
  d.sensitive = true;
  d.trusts = {"mano", "other-" + id};
  d.description = "domain " + id;
  return d;
}

SecurityManager SampleSm(const std::string& id) {
  SecurityManager sm;
  sm.id = id;
  sm.public_key_pem =
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEA" + id + "\n-----END";
  sm.master = std::nullopt;
  sm.home_domain = "sec-" + id;
  sm.description = "SM " + id;
  return sm;
}

Binding SampleBinding(const std::string& sm, const std::string& domain) {
  Binding b;
  b.sm = sm;
  b.domain = domain;
  b.mode = Mode::kFullyActive;
  b.allowed_instructions = {InstructionKind::kTerminate,
                            InstructionKind::kHistoryQuery};
  b.hidden_events = {EventKind::kCrash, EventKind::kModify};
  b.gate_deadline = std::chrono::milliseconds(1500);
  b.semi_active_window = std::chrono::microseconds(250);
  b.fail_mode = FailMode::kOpen;
  return b;
}

VnfRecord SampleVnf(const std::string& id, const std::string& domain) {
  VnfRecord v;
  v.id = id;
  v.requestor_id = "oss-" + id;
  v.ns_id = "ns-1";
  v.domain = domain;
  v.package_id = "pkg-1";
  v.vnfd_id = "vnfd-1";
  v.image_id = "img-1";
  v.host = "compute-3";
  v.zone = "az-2";
  v.state = VnfState::kActive;
  v.needs_security_policy = true;
  v.created_at = At(10);
  v.updated_at = At(20);
  return v;
}

LifecycleEvent SampleEvent(const std::string& id, const std::string& domain,
                           const std::string& vnf, TimePoint at) {
  LifecycleEvent e;
  e.id = id;
  e.kind = EventKind::kModify;
  e.phase = Phase::kFailed;
  e.source = EventSource::kAutoHealing;
  e.reason = "reason of " + id;
  e.occurred_at = at;
  e.vnf_id = vnf;
  e.domain = domain;
  e.origin = "nova.instance.update";
  e.package_id = "pkg-1";
  e.vnfd_id = "vnfd-1";
  e.vnfd = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
  e.package_checksum = "sha256:abcd";
  e.package_integrity_ok = false;
  e.requestor_id = "oss-" + vnf;
  e.ns_id = "ns-1";
  e.connectivity = {"net-a", "port \"b\"", "pnf/c"};
  e.intended_hosts = {"compute-1", "compute-2"};
  e.locations = {"az-1"};
  e.image_id = "img-1";
  e.aspect = ModifyAspect::kLocation;
  e.details = {{"from", "compute-1"}, {"to", "compute-2"}, {"empty", ""}};
  return e;
}

QuarantineEntry SampleQuarantine(QuarantineTarget target,
                                 const std::string& target_id) {
  QuarantineEntry q;
  q.target = target;
  q.target_id = target_id;
  q.by_sm = "sm-1";
  q.domain = "dom-1";
  q.at = At(30);
  q.reason = "malware found";
  q.terminated = true;
  q.replacement_allowed = true;
  q.copy_kept = true;
  q.recovery_allowed = true;
  q.erase_requested = true;
  return q;
}

GateRecord SampleGate(const std::string& id, const std::string& vnf,
                      TimePoint at) {
  GateRecord g;
  g.id = id;
  g.vnf_id = vnf;
  g.domain = "dom-1";
  g.operation = OperationKind::kMigrate;
  g.allowed = true;
  g.requested_at = at;
  g.decided_at = at + std::chrono::milliseconds(5);
  g.detail_json = R"({"answers":[{"sm":"sm-1","verdict":"allow"}]})";
  return g;
}

AuditRecord SampleAudit(const std::string& partition, uint64_t seq) {
  AuditRecord r;
  r.partition = partition;
  r.seq = seq;
  r.at = At(static_cast<int64_t>(seq));
  r.kind = "instruction.refused";
  r.actor = "sm-1";
  r.subject = "vnf-1";
  r.body = AwkwardBytes() + std::to_string(seq);
  r.encrypted = true;
  r.prev_hash = std::string(32, '\0');
  r.hash = std::string(32, static_cast<char>(0xab)) + std::to_string(seq);
  r.mac = std::string("\x00\x01\xfe\xff", 4) + std::to_string(seq);
  return r;
}

std::string AwkwardBytes() { return std::string("a\0b\xff'\"\n", 7); }

void RawExec(const std::string& path, const std::string& sql) {
  SQLite::Database db(path, SQLite::OPEN_READWRITE);
  db.exec(sql);
}

int RawUserVersion(const std::string& path) {
  SQLite::Database db(path, SQLite::OPEN_READONLY);
  return db.execAndGet("PRAGMA user_version").getInt();
}

}  // namespace nfvsm::testing
