// nfvsm-core-demo: the core scenario (see README.md beside this file).
#include <SQLiteCpp/SQLiteCpp.h>
#include <fmt/core.h>

#include <CLI/CLI.hpp>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include "core_demo/scripted_sms.h"
#include "nfvsm/crypto.h"
#include "nfvsm/engine.h"

namespace nfvsm::demo {
namespace {

int g_step = 0;

void Step(const std::string& title) {
  fmt::print("\n[{}] {}\n", ++g_step, title);
}

// Every claim the demo makes is checked; the first false one ends it.
void Expect(bool ok, const std::string& what) {
  fmt::print("    {} {}\n", ok ? "ok  " : "FAIL", what);
  if (!ok) std::exit(1);
}

template <typename T>
T Must(StatusOr<T> v, const std::string& what) {
  if (!v.ok()) {
    fmt::print("    FAIL {}: {}\n", what, v.status().ToString());
    std::exit(1);
  }
  return std::move(v).value();
}

void Must(const Status& s, const std::string& what) {
  if (!s.ok()) {
    fmt::print("    FAIL {}: {}\n", what, s.ToString());
    std::exit(1);
  }
}

// Runs a gate to its decision, enforcing deadlines on the wall clock.
GateDecision RunGate(Engine& engine, GateRequest req) {
  std::mutex mu;
  std::condition_variable cv;
  std::optional<GateDecision> result;
  Must(engine.StartGate(std::move(req),
                        [&](const GateDecision& d) {
                          std::lock_guard lock(mu);
                          result = d;
                          cv.notify_all();
                        }),
       "start gate");
  std::unique_lock lock(mu);
  while (!result) {
    auto next = engine.NextGateDeadline();
    if (next) {
      lock.unlock();
      std::this_thread::sleep_until(std::chrono::system_clock::time_point(
          std::chrono::duration_cast<std::chrono::system_clock::duration>(
              next->time_since_epoch())));
      engine.ExpireGates();
      lock.lock();
    } else {
      cv.wait_for(lock, std::chrono::milliseconds(10));
    }
  }
  return *result;
}

std::string Describe(const GateDecision& d) {
  std::string s = d.allowed ? "ALLOWED" : "DENIED";
  for (const auto& r : d.reasons) s += "\n           - " + r;
  return s;
}

double Millis(const GateDecision& d) {
  return std::chrono::duration<double, std::milli>(d.decided_at -
                                                   d.requested_at)
      .count();
}

LifecycleEvent CreateEvent(const std::string& id, const VnfId& vnf,
                           const DomainId& domain, const std::string& vnfd) {
  LifecycleEvent e;
  e.id = id;
  e.kind = EventKind::kCreate;
  e.phase = Phase::kStart;
  e.source = EventSource::kNfvo;
  e.reason = "instantiation requested by OSS/BSS";
  e.occurred_at = SystemClock().Now();
  e.vnf_id = vnf;
  e.domain = domain;
  e.package_id = "pkg-" + vnfd;
  e.vnfd_id = vnfd;
  e.image_id = "img-firewall-2.1";
  e.package_checksum = "sha256:9f2c...";
  e.package_integrity_ok = true;
  e.requestor_id = "oss-" + vnf;
  e.ns_id = "ns-edge";
  e.intended_hosts = {"compute-1"};
  e.locations = {"zone-a"};
  return e;
}

GateRequest Gate(const std::string& id, OperationKind op, const VnfId& vnf,
                 const DomainId& domain, const std::string& vnfd,
                 const std::string& host) {
  GateRequest r;
  r.id = id;
  r.operation = op;
  r.vnf_id = vnf;
  r.domain = domain;
  r.vnfd_id = vnfd;
  r.image_id = "img-firewall-2.1";
  r.package_id = "pkg-" + vnfd;
  r.target_host = host;
  r.target_zone = "zone-a";
  r.source = EventSource::kNfvo;
  r.reason = "requested by the demo";
  r.event = CreateEvent(id + "-event", vnf, domain, vnfd);
  r.mano_attributes.placement.allowed_zones = {"zone-a", "zone-b"};
  return r;
}

int Run(const std::string& workdir) {
  namespace fs = std::filesystem;
  fs::remove_all(workdir);
  fs::create_directories(workdir);
  const std::string db = workdir + "/nfvsm.db";

  Step("Open the engine on a fresh SQLite store with a provisioned audit key");
  ScriptedSms sms;
  RecordingActuator actuator;
  EngineOptions options;
  options.store_path = db;
  // An operator provisions these from key files (AuditKeys::Load); the
  // demo makes fresh ones and keeps a copy to verify a tampered store.
  AuditKeys audit_keys = Must(AuditKeys::Generate(/*with_encryption=*/true),
                              "generate audit keys");
  options.audit_keys = audit_keys.Clone();
  auto engine =
      Must(Engine::Open(std::move(options), sms, actuator), "open engine");
  sms.set_engine(engine.get());
  Expect(true, "store " + db);

  Step("Two VNF trust domains, one security domain, three SMs");
  for (const auto& [id, kind] : std::vector<std::pair<std::string, DomainKind>>{
           {"core", DomainKind::kVnf},
           {"tenant-a", DomainKind::kVnf},
           {"security", DomainKind::kSecurity}}) {
    TrustDomain d;
    d.id = id;
    d.kind = kind;
    Must(engine->PutDomain(d, "operator"), "create domain " + id);
  }
  auto key = [](const std::string&) {
    return Must(crypto::SigningKey::Generate(), "generate key").PublicKeyPem();
  };
  SecurityManager master{"csp-master", key("csp-master"), std::nullopt,
                         "security", "CSP security manager"};
  SecurityManager tenant{"tenant-sm", key("tenant-sm"), "csp-master",
                         "security", "tenant security manager"};
  SecurityManager observer{"observer", key("observer"), std::nullopt,
                           "security", "compliance observer"};
  for (const auto& sm : {master, tenant, observer}) {
    Must(engine->PutSm(sm, "operator"), "register " + sm.id);
  }
  auto bind = [](const SmId& sm, const DomainId& domain, Mode mode) {
    Binding b;
    b.sm = sm;
    b.domain = domain;
    b.mode = mode;
    return b;
  };
  Binding b1 = bind("csp-master", "core", Mode::kFullyActive);
  b1.gate_deadline = std::chrono::milliseconds(300);
  for (const auto& b : {b1, bind("tenant-sm", "tenant-a", Mode::kSemiActive),
                        bind("observer", "core", Mode::kPassive),
                        bind("observer", "tenant-a", Mode::kPassive)}) {
    Must(engine->PutBinding(b, "operator"), "bind " + b.sm + " to " + b.domain);
    fmt::print("    bound {:<10} to {:<8} as {}\n", b.sm, b.domain,
               ToString(b.mode));
  }

  Step("Lifecycle events reach exactly the SMs bound to their domain");
  auto names = [](const std::vector<Delivery>& ds) {
    std::string s;
    for (const auto& d : ds) {
      s += d.sm + (d.via_master ? "(as master) " : " ");
    }
    return s;
  };
  auto core_ev = Must(
      engine->RecordEvent(CreateEvent("ev-1", "vnf-fw-1", "core", "vnfd-fw"),
                          EventValidation::kFull),
      "record core event");
  auto ten_ev = Must(engine->RecordEvent(CreateEvent("ev-2", "vnf-web-1",
                                                     "tenant-a", "vnfd-web"),
                                         EventValidation::kFull),
                     "record tenant event");
  fmt::print("    core event     -> {}\n", names(core_ev.deliveries));
  fmt::print("    tenant-a event -> {}\n", names(ten_ev.deliveries));
  auto has = [](const std::vector<Delivery>& ds, const std::string& sm) {
    for (const auto& d : ds) {
      if (d.sm == sm) return true;
    }
    return false;
  };
  Expect(
      has(core_ev.deliveries, "observer") && has(ten_ev.deliveries, "observer"),
      "observer sees core and tenant-a events");
  Expect(!has(core_ev.deliveries, "tenant-sm"),
         "tenant-sm never sees a core event");
  Expect(has(ten_ev.deliveries, "csp-master"),
         "csp-master sees tenant-a events as master of tenant-sm");
  auto again = Must(
      engine->RecordEvent(CreateEvent("ev-1", "vnf-fw-1", "core", "vnfd-fw"),
                          EventValidation::kFull),
      "redeliver event");
  Expect(again.duplicate,
         "a redelivered event is recognised, not stored twice");

  Step("Fully-Active csp-master gates instantiations in core");
  sms.SetRule("csp-master",
              [](const GateRequest& r) -> std::optional<SmAnswer> {
                if (r.vnfd_id == "vnfd-silent") return std::nullopt;
                SmAnswer a;
                if (r.vnfd_id != "vnfd-fw") {
                  a.verdict = Verdict::kDeny;
                  a.reason = "VNFD '" + r.vnfd_id + "' is not whitelisted";
                  return a;
                }
                a.verdict = Verdict::kAllow;
                a.reason = "whitelisted VNFD";
                Policy p;
                p.placement.allowed_zones = {"zone-a"};
                p.placement.hmee_required = true;
                a.policy = p;
                return a;
              });
  std::vector<std::pair<std::string, double>> timings;
  auto ok_gate =
      RunGate(*engine, Gate("g-1", OperationKind::kInstantiate, "vnf-fw-1",
                            "core", "vnfd-fw", "compute-1"));
  timings.emplace_back("instantiate vnf-fw-1 (allowed)", Millis(ok_gate));
  fmt::print("    vnf-fw-1 with vnfd-fw: {}\n", Describe(ok_gate));
  Expect(ok_gate.allowed, "approved by csp-master");
  Expect(ok_gate.effective_policy.placement.allowed_zones ==
                 std::set<std::string>{"zone-a"} &&
             ok_gate.effective_policy.placement.hmee_required,
         "the SM's placement policy supersedes the VNFD's zones");
  auto bad_gate =
      RunGate(*engine, Gate("g-2", OperationKind::kInstantiate, "vnf-x-1",
                            "core", "vnfd-unknown", "compute-2"));
  timings.emplace_back("instantiate vnf-x-1 (denied)", Millis(bad_gate));
  fmt::print("    vnf-x-1 with vnfd-unknown: {}\n", Describe(bad_gate));
  Expect(!bad_gate.allowed, "refused with the SM's reason");
  auto silent_gate =
      RunGate(*engine, Gate("g-3", OperationKind::kInstantiate, "vnf-y-1",
                            "core", "vnfd-silent", "compute-2"));
  timings.emplace_back("instantiate vnf-y-1 (SM silent)", Millis(silent_gate));
  fmt::print("    vnf-y-1, csp-master silent: {}\n", Describe(silent_gate));
  Expect(!silent_gate.allowed, "no answer means no (fail closed)");

  Step("csp-master detects a compromise of vnf-fw-1 and instructs");
  Instruction term;
  term.id = "i-1";
  term.sm = "csp-master";
  term.kind = InstructionKind::kTerminate;
  term.reason = "IDS: C2 beacon from vnf-fw-1";
  term.vnf_ids = {"vnf-fw-1"};
  term.terminate.quarantine_copy = true;
  term.terminate.quarantine_image_and_vnfd = true;
  term.terminate.quarantine_host = true;
  term.terminate.replacement_allowed = false;
  auto outcome = Must(engine->HandleInstruction(term), "terminate");
  for (const auto& c : actuator.calls()) {
    fmt::print("    actuator: {:<24} {:<18} {}\n", c.method, c.target,
               c.detail);
  }
  Expect(outcome.status.ok(), "every step carried out");
  Expect(engine->quarantine().IsQuarantined(QuarantineTarget::kVnfInstance,
                                            "vnf-fw-1") &&
             engine->quarantine().IsQuarantined(QuarantineTarget::kImage,
                                                "img-firewall-2.1") &&
             engine->quarantine().IsQuarantined(QuarantineTarget::kHost,
                                                "compute-1"),
         "instance, image and host are quarantined");

  Step("Recovery of the quarantined VNF is vetoed");
  auto heal = Gate("g-4", OperationKind::kHeal, "vnf-fw-1", "core", "vnfd-fw",
                   "compute-3");
  heal.is_recovery = true;
  heal.source = EventSource::kAutoHealing;
  auto heal_d = RunGate(*engine, heal);
  timings.emplace_back("heal vnf-fw-1 (vetoed)", Millis(heal_d));
  fmt::print("    heal vnf-fw-1: {}\n", Describe(heal_d));
  Expect(!heal_d.allowed && heal_d.quarantine_veto, "heal vetoed");
  auto reuse =
      RunGate(*engine, Gate("g-5", OperationKind::kInstantiate, "vnf-fw-2",
                            "core", "vnfd-fw", "compute-3"));
  fmt::print("    new instance from the quarantined image: {}\n",
             Describe(reuse));
  Expect(!reuse.allowed && reuse.quarantine_veto, "image reuse vetoed");
  auto place = Gate("g-6", OperationKind::kInstantiate, "vnf-web-2", "tenant-a",
                    "vnfd-web", "compute-1");
  place.image_id = "img-web-1.0";
  auto place_d = RunGate(*engine, place);
  fmt::print("    placing vnf-web-2 on quarantined compute-1: {}\n",
             Describe(place_d));
  Expect(!place_d.allowed && place_d.quarantine_veto,
         "placement on the quarantined host vetoed");

  Step("Instructions outside an SM's authority are refused");
  Instruction cross = term;
  cross.id = "i-2";
  cross.sm = "tenant-sm";
  cross.terminate = {};
  cross.vnf_ids = {"vnf-x-1"};
  VnfRecord other;
  other.id = "vnf-x-1";
  other.domain = "core";
  other.state = VnfState::kActive;
  Must(engine->PutVnf(other, "operator"), "register vnf-x-1");
  auto cross_r = engine->HandleInstruction(cross);
  fmt::print("    tenant-sm terminates a core VNF: {}\n",
             cross_r.ok() ? "accepted" : cross_r.status().ToString());
  Expect(
      !cross_r.ok() && cross_r.status().code() == StatusCode::kPermissionDenied,
      "cross-domain instruction refused (R2.1.90)");
  Instruction passive = cross;
  passive.id = "i-3";
  passive.sm = "observer";
  auto passive_r = engine->HandleInstruction(passive);
  fmt::print("    observer terminates a VNF: {}\n",
             passive_r.ok() ? "accepted" : passive_r.status().ToString());
  Expect(!passive_r.ok() &&
             passive_r.status().code() == StatusCode::kPermissionDenied,
         "Passive SM's instruction refused (R2.1.20)");

  Step("Forensics: the audit log verifies, and a flipped byte is found");
  auto reports = engine->audit().VerifyAll();
  size_t records = 0;
  bool all_ok = true;
  for (const auto& r : reports) {
    records += r.records_checked;
    all_ok = all_ok && r.ok;
    fmt::print("    {:<36} {:>4} records  {}\n", r.partition, r.records_checked,
               r.ok ? "ok" : r.problem);
  }
  Expect(all_ok && records > 0,
         fmt::format("{} audit records verify", records));
  engine.reset();  // close the store before copying it
  const std::string copy = workdir + "/tampered.db";
  fs::copy_file(db, copy, fs::copy_options::overwrite_existing);
  for (const char* ext : {"-wal", "-shm"}) {
    if (fs::exists(db + ext)) {
      fs::copy_file(db + ext, copy + ext, fs::copy_options::overwrite_existing);
    }
  }
  std::string flipped_partition;
  uint64_t flipped_seq = 0;
  {
    SQLite::Database raw(copy, SQLite::OPEN_READWRITE);
    SQLite::Statement pick(raw,
                           "SELECT partition, seq FROM audit WHERE partition "
                           "= 'sm:csp-master|domain:core' ORDER BY seq "
                           "LIMIT 1 OFFSET 2");
    Expect(pick.executeStep(), "picked a record to tamper with");
    flipped_partition = pick.getColumn(0).getString();
    flipped_seq = static_cast<uint64_t>(pick.getColumn(1).getInt64());
    SQLite::Statement read(
        raw, "SELECT body FROM audit WHERE partition=? AND seq=?");
    read.bind(1, flipped_partition);
    read.bind(2, static_cast<int64_t>(flipped_seq));
    Expect(read.executeStep(), "read the record");
    std::string body = read.getColumn(0).getString();
    body[body.size() / 2] ^= 0x01;
    SQLite::Statement write(
        raw, "UPDATE audit SET body=? WHERE partition=? AND seq=?");
    write.bind(1, body.data(), static_cast<int>(body.size()));
    write.bind(2, flipped_partition);
    write.bind(3, static_cast<int64_t>(flipped_seq));
    write.exec();
  }
  fmt::print("    flipped one byte of record {} in {}\n", flipped_seq,
             flipped_partition);
  // Verification needs only the store and the HMAC key, as an auditor
  // would have them.
  auto tampered = Must(OpenSqliteStore(copy), "open the tampered copy");
  auto auditor =
      Must(AuditLog::Create(*tampered, audit_keys.Clone(), SystemClock()),
           "open the audit log");
  auto report = auditor->Verify(flipped_partition);
  fmt::print("    verify {}: {}\n", flipped_partition,
             report.ok ? "ok" : report.problem);
  Expect(!report.ok && report.first_bad_seq == flipped_seq,
         fmt::format("verification names record {} as the first bad one",
                     flipped_seq));

  Step("Summary");
  fmt::print("    gates (requested -> decided, wall clock):\n");
  for (const auto& [what, ms] : timings) {
    fmt::print("      {:<36} {:8.3f} ms\n", what, ms);
  }
  fmt::print("    actuator calls: {}; audit records: {}\n",
             actuator.calls().size(), records);
  fmt::print("\nnfvsm core demo: every step held.\n");
  return 0;
}

}  // namespace
}  // namespace nfvsm::demo

int main(int argc, char** argv) {
  CLI::App app{
      "nfvsm core scenario: trust domains, SM modes, gates, "
      "quarantine and the audit log, on the real engine"};
  std::string workdir = ".nfvsm-run/core-demo";
  app.add_option("--workdir", workdir, "where the store and keys are written")
      ->capture_default_str();
  CLI11_PARSE(app, argc, argv);
  return nfvsm::demo::Run(workdir);
}
