// What survives closing the store or killing the process, how the schema
// is versioned, and how damaged or unreachable files are reported.
#include <SQLiteCpp/Database.h>
#include <gtest/gtest.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <functional>
#include <ostream>
#include <string>

#include "core/store/store_test_util.h"
#include "nfvsm/store.h"

namespace nfvsm {
namespace {

using ::nfvsm::testing::At;
using ::nfvsm::testing::MustOpen;
using ::nfvsm::testing::RawExec;
using ::nfvsm::testing::RawUserVersion;
using ::nfvsm::testing::SampleAudit;
using ::nfvsm::testing::SampleBinding;
using ::nfvsm::testing::SampleDomain;
using ::nfvsm::testing::SampleEvent;
using ::nfvsm::testing::SampleGate;
using ::nfvsm::testing::SampleQuarantine;
using ::nfvsm::testing::SampleSm;
using ::nfvsm::testing::SampleVnf;
using ::nfvsm::testing::TempDir;

// One of everything the store keeps.
struct Snapshot {
  TrustDomain domain = SampleDomain("dom-1");
  SecurityManager master = SampleSm("sm-master");
  SecurityManager sm = [] {
    SecurityManager s = SampleSm("sm-1");
    s.master = "sm-master";
    return s;
  }();
  Binding binding = SampleBinding("sm-1", "dom-1");
  VnfRecord vnf = SampleVnf("vnf-1", "dom-1");
  LifecycleEvent event = SampleEvent("e-1", "dom-1", "vnf-1", At(5));
  QuarantineEntry quarantine =
      SampleQuarantine(QuarantineTarget::kImage, "img-1");
  GateRecord gate = SampleGate("g-1", "vnf-1", At(6));
  AuditRecord audit1 = SampleAudit("mano", 1);
  AuditRecord audit2 = SampleAudit("mano", 2);
  AuditStore::Head head{2, std::string(32, '\x07'), "mac-bytes"};

  Status WriteTo(Store& s) const {
    return s.InTransaction([&]() -> Status {
      NFVSM_RETURN_IF_ERROR(s.PutDomain(domain));
      NFVSM_RETURN_IF_ERROR(s.PutSm(master));
      NFVSM_RETURN_IF_ERROR(s.PutSm(sm));
      NFVSM_RETURN_IF_ERROR(s.PutBinding(binding));
      NFVSM_RETURN_IF_ERROR(s.PutVnf(vnf));
      NFVSM_RETURN_IF_ERROR(s.AppendEvent(event).status());
      NFVSM_RETURN_IF_ERROR(s.PutQuarantine(quarantine));
      NFVSM_RETURN_IF_ERROR(s.PutPolicy("vnf:vnf-1", R"({"zones":["az-1"]})"));
      NFVSM_RETURN_IF_ERROR(s.AppendGate(gate));
      NFVSM_RETURN_IF_ERROR(s.AppendAudit(audit1));
      NFVSM_RETURN_IF_ERROR(s.AppendAudit(audit2));
      return s.PutAuditHead("mano", head);
    });
  }

  void ExpectIn(Store& s) const {
    EXPECT_EQ(*s.LoadDomains(), std::vector<TrustDomain>{domain});
    EXPECT_EQ(*s.LoadSms(), (std::vector<SecurityManager>{sm, master}));
    EXPECT_EQ(*s.LoadBindings(), std::vector<Binding>{binding});
    EXPECT_EQ(*s.LoadVnfs(), std::vector<VnfRecord>{vnf});
    EXPECT_EQ(*s.QueryEvents({}), std::vector<LifecycleEvent>{event});
    EXPECT_EQ(*s.LoadQuarantine(), std::vector<QuarantineEntry>{quarantine});
    EXPECT_EQ(*s.LoadPolicies(), (std::map<std::string, std::string>{
                                     {"vnf:vnf-1", R"({"zones":["az-1"]})"}}));
    EXPECT_EQ(*s.QueryGates("", TimePoint{}, TimePoint::max()),
              std::vector<GateRecord>{gate});
    EXPECT_EQ(*s.ReadAudit("mano", 1, 10),
              (std::vector<AuditRecord>{audit1, audit2}));
    EXPECT_EQ(*s.AuditPartitions(), std::vector<std::string>{"mano"});
    auto got = s.GetAuditHead("mano");
    ASSERT_TRUE(got.ok() && got->has_value());
    EXPECT_EQ((*got)->seq, head.seq);
    EXPECT_EQ((*got)->hash, head.hash);
    EXPECT_EQ((*got)->mac, head.mac);
  }
};

// covers: IFA026 4, R1.3.260, R2.1.300, R2.1.360
TEST(StoreDurabilityTest, EverythingIsRestoredAfterReopen) {
  TempDir dir;
  const std::string path = dir.File("nfvsm.db");
  Snapshot snap;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(snap.WriteTo(*store).ok());
  }
  auto reopened = MustOpen(path);
  ASSERT_NE(reopened, nullptr);
  snap.ExpectIn(*reopened);
  // A redelivered event is still recognised after the restart.
  auto again = reopened->AppendEvent(snap.event);
  ASSERT_TRUE(again.ok());
  EXPECT_FALSE(*again);
}

// The process dies without closing anything: committed transactions are in
// the WAL and must be there; the one in flight must not.
// covers: IFA026 4, R1.3.260, R2.1.360
TEST(StoreDurabilityTest, CommittedWritesSurviveAKilledProcess) {
  TempDir dir;
  const std::string path = dir.File("killed.db");
  Snapshot snap;
  const pid_t child = fork();
  ASSERT_GE(child, 0);
  if (child == 0) {
    auto store = OpenSqliteStore(path);
    if (!store.ok() || !snap.WriteTo(**store).ok()) _exit(1);
    // Half a transaction, then the kill.
    (void)(*store)->InTransaction([&]() -> Status {
      (void)(*store)->PutDomain(SampleDomain("in-flight"));
      raise(SIGKILL);
      return OkStatus();
    });
    _exit(2);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status))
      << "child exited with " << WEXITSTATUS(status);
  ASSERT_EQ(WTERMSIG(status), SIGKILL);

  auto reopened = MustOpen(path);
  ASSERT_NE(reopened, nullptr);
  snap.ExpectIn(*reopened);
}

// covers: R1.3.260
TEST(StoreSchemaTest, EmptyFileMigratesToCurrentVersion) {
  TempDir dir;
  const std::string path = dir.File("empty.db");
  std::ofstream(path).close();  // zero bytes: a valid, empty database
  int version = 0;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    version = store->SchemaVersion();
    EXPECT_GE(version, 1);
    EXPECT_TRUE(store->LoadDomains()->empty());
  }
  EXPECT_EQ(RawUserVersion(path), version);
  // Reopening migrates nothing and keeps the version.
  auto again = MustOpen(path);
  ASSERT_NE(again, nullptr);
  EXPECT_EQ(again->SchemaVersion(), version);
  SQLite::Database raw(path, SQLite::OPEN_READONLY);
  EXPECT_EQ(raw.execAndGet("PRAGMA journal_mode").getString(), "wal");
}

// covers: R1.3.260
TEST(StoreSchemaTest, FileFromANewerBuildIsRefusedWithDataLoss) {
  TempDir dir;
  const std::string path = dir.File("future.db");
  int current = 0;
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    current = store->SchemaVersion();
    ASSERT_TRUE(store->PutDomain(SampleDomain("keep-me")).ok());
  }
  RawExec(path, "PRAGMA user_version = " + std::to_string(current + 1));
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss);
  EXPECT_NE(store.status().message().find("newer"), std::string::npos)
      << store.status().message();
  // Refusing must not have touched the file.
  EXPECT_EQ(RawUserVersion(path), current + 1);
}

// covers: R1.3.260
TEST(StoreOpenTest, PathInMissingDirectoryIsUnavailable) {
  TempDir dir;
  auto store = OpenSqliteStore(dir.File("no/such/dir/nfvsm.db"));
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kUnavailable)
      << store.status().ToString();
}

// covers: R1.3.260
TEST(StoreOpenTest, FileThatIsNotADatabaseIsDataLoss) {
  TempDir dir;
  const std::string path = dir.File("garbage.db");
  std::ofstream(path) << std::string(4096, 'x');
  auto store = OpenSqliteStore(path);
  ASSERT_FALSE(store.ok());
  EXPECT_EQ(store.status().code(), StatusCode::kDataLoss)
      << store.status().ToString();
}

// covers: R1.3.260
TEST(StoreOpenTest, NegativeBusyTimeoutIsInvalidArgument) {
  SqliteOptions opts;
  opts.busy_timeout_ms = -1;
  EXPECT_EQ(OpenSqliteStore(":memory:", opts).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: R1.3.30, R1.3.260
TEST(StoreOpenTest, WriteLockedByAnotherConnectionIsUnavailable) {
  TempDir dir;
  const std::string path = dir.File("locked.db");
  SqliteOptions opts;
  opts.busy_timeout_ms = 10;
  opts.synchronous_full = true;
  auto store = MustOpen(path, opts);
  ASSERT_NE(store, nullptr);
  SQLite::Database other(path, SQLite::OPEN_READWRITE);
  other.exec("BEGIN IMMEDIATE");
  EXPECT_EQ(store->PutDomain(SampleDomain("d")).code(),
            StatusCode::kUnavailable);
  EXPECT_EQ(store->InTransaction([] { return OkStatus(); }).code(),
            StatusCode::kUnavailable);
  other.exec("ROLLBACK");
  EXPECT_TRUE(store->PutDomain(SampleDomain("d")).ok());
}

// A stored row the build cannot decode is kDataLoss naming where it is.
struct CorruptionCase {
  const char* name;
  const char* sql;
  const char* table;
  const char* column;
  std::function<Status(Store&)> load;
};

void PrintTo(const CorruptionCase& c, std::ostream* os) { *os << c.name; }

class StoreCorruptionTest : public ::testing::TestWithParam<CorruptionCase> {};

// covers: R1.3.260, IFA026 4
TEST_P(StoreCorruptionTest, UndecodableValueIsDataLossNamingTableAndColumn) {
  TempDir dir;
  const std::string path = dir.File("corrupt.db");
  {
    auto store = MustOpen(path);
    ASSERT_NE(store, nullptr);
    ASSERT_TRUE(Snapshot().WriteTo(*store).ok());
  }
  RawExec(path, GetParam().sql);
  auto store = MustOpen(path);
  ASSERT_NE(store, nullptr);
  Status s = GetParam().load(*store);
  EXPECT_EQ(s.code(), StatusCode::kDataLoss) << s.ToString();
  EXPECT_NE(s.message().find(GetParam().table), std::string::npos)
      << s.message();
  EXPECT_NE(s.message().find(GetParam().column), std::string::npos)
      << s.message();
}

Status LoadDomains(Store& s) { return s.LoadDomains().status(); }
Status LoadBindings(Store& s) { return s.LoadBindings().status(); }
Status LoadVnfs(Store& s) { return s.LoadVnfs().status(); }
Status LoadQuarantine(Store& s) { return s.LoadQuarantine().status(); }
Status QueryEvents(Store& s) { return s.QueryEvents({}).status(); }
Status QueryGates(Store& s) {
  return s.QueryGates("", TimePoint{}, TimePoint::max()).status();
}
Status GetHead(Store& s) { return s.GetAuditHead("mano").status(); }

INSTANTIATE_TEST_SUITE_P(
    Cases, StoreCorruptionTest,
    ::testing::Values(
        CorruptionCase{"DomainKind", "UPDATE domains SET kind = 'bogus'",
                       "domains", "kind", LoadDomains},
        CorruptionCase{"BindingMode", "UPDATE bindings SET mode = 'loud'",
                       "bindings", "mode", LoadBindings},
        CorruptionCase{"BindingFailMode",
                       "UPDATE bindings SET fail_mode = 'ajar'", "bindings",
                       "fail_mode", LoadBindings},
        CorruptionCase{"BindingInstructionBits",
                       "UPDATE bindings SET allowed_instructions = 1 << 20",
                       "bindings", "allowed_instructions", LoadBindings},
        CorruptionCase{"BindingHiddenEventBits",
                       "UPDATE bindings SET hidden_events = -1", "bindings",
                       "hidden_events", LoadBindings},
        CorruptionCase{"VnfState", "UPDATE vnfs SET state = 'zombie'", "vnfs",
                       "state", LoadVnfs},
        CorruptionCase{"EventKind", "UPDATE events SET kind = 'explode'",
                       "events", "kind", QueryEvents},
        CorruptionCase{"EventPhase", "UPDATE events SET phase = 'middle'",
                       "events", "phase", QueryEvents},
        CorruptionCase{"EventSource", "UPDATE events SET source = 'aliens'",
                       "events", "source", QueryEvents},
        CorruptionCase{"EventAspect", "UPDATE events SET aspect = 'colour'",
                       "events", "aspect", QueryEvents},
        CorruptionCase{"EventListJson",
                       "UPDATE events SET connectivity = '[\"a\",'", "events",
                       "connectivity", QueryEvents},
        CorruptionCase{"EventListType",
                       "UPDATE events SET locations = '[1, 2]'", "events",
                       "locations", QueryEvents},
        CorruptionCase{"EventMapType", "UPDATE events SET details = '[]'",
                       "events", "details", QueryEvents},
        CorruptionCase{"QuarantineTarget",
                       "UPDATE quarantine SET target = 'planet'", "quarantine",
                       "target", LoadQuarantine},
        CorruptionCase{"GateOperation",
                       "UPDATE gates SET operation = 'teleport'", "gates",
                       "operation", QueryGates},
        CorruptionCase{"AuditHeadSeq", "UPDATE audit_heads SET seq = -5",
                       "audit_heads", "seq", GetHead}),
    [](const ::testing::TestParamInfo<CorruptionCase>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace nfvsm
