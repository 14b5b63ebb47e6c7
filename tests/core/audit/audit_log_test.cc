#include <gtest/gtest.h>

#include <algorithm>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "core/audit/audit_test_util.h"

namespace nfvsm::testing {
namespace {

class AuditLogTest : public ::testing::Test {
 protected:
  MemoryAuditStore store_;
  ManualClock clock_;
};

// covers: R1.3.260, 5.3-audit
TEST_F(AuditLogTest, AppendBuildsAChainedRecordPerPartition) {
  auto log = NewLog(store_, Keys(), clock_);
  const std::string part = PartitionFor("sm-1", "core");
  auto first = log->Append(part, "event.delivered", "sm-1", "vnf-1",
                           R"({"event":"ev-1"})");
  ASSERT_TRUE(first.ok()) << first.status().ToString();
  EXPECT_EQ(first->partition, part);
  EXPECT_EQ(first->seq, 1u);
  EXPECT_EQ(first->at, clock_.Now());
  EXPECT_EQ(first->kind, "event.delivered");
  EXPECT_EQ(first->actor, "sm-1");
  EXPECT_EQ(first->subject, "vnf-1");
  EXPECT_EQ(first->body, R"({"event":"ev-1"})");
  EXPECT_FALSE(first->encrypted);
  EXPECT_EQ(first->prev_hash, std::string(32, '\0'));
  EXPECT_EQ(first->hash.size(), 32u);
  EXPECT_EQ(first->mac.size(), 32u);
  // What Append returns is what the store holds, and the head follows it.
  EXPECT_EQ(store_.Record(part, 1), *first);
  EXPECT_EQ(store_.StoredHead(part)->seq, 1u);
  EXPECT_EQ(store_.StoredHead(part)->hash, first->hash);

  clock_.Advance(std::chrono::seconds(1));
  auto second = log->Append(part, "gate.answer", "sm-1", "vnf-1", "{}");
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(second->seq, 2u);
  EXPECT_EQ(second->prev_hash, first->hash);
  EXPECT_NE(second->hash, first->hash);

  // Another partition has a chain of its own, starting at 1.
  auto mano =
      log->Append(kManoPartition, "domain.put", "operator", "core", "{}");
  ASSERT_TRUE(mano.ok());
  EXPECT_EQ(mano->seq, 1u);
  EXPECT_EQ(mano->prev_hash, std::string(32, '\0'));
}

// covers: R1.3.260, 5.3-audit
TEST_F(AuditLogTest, VerifyAllCoversEveryPartition) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, std::string(kManoPartition), 3);
  AppendN(*log, clock_, PartitionFor("sm-1", "core"), 5);
  AppendN(*log, clock_, PartitionFor("sm-1", "edge"), 2);
  AppendN(*log, clock_, PartitionFor("sm-2", "core"), 1);
  std::vector<VerifyReport> reports = log->VerifyAll();
  ASSERT_EQ(reports.size(), 4u);
  uint64_t total = 0;
  std::set<std::string> seen;
  for (const auto& r : reports) {
    EXPECT_TRUE(r.ok) << r.partition << ": " << r.problem;
    total += r.records_checked;
    seen.insert(r.partition);
  }
  EXPECT_EQ(total, 11u);
  EXPECT_EQ(seen.size(), 4u);
  EXPECT_TRUE(log->Verify("never-written").ok);
  EXPECT_EQ(log->Verify("never-written").records_checked, 0u);
}

// covers: R1.3.260 (the chain survives a restart)
TEST_F(AuditLogTest, NewLogContinuesTheStoredChain) {
  const std::string part = PartitionFor("sm-1", "core");
  std::string last_hash;
  {
    auto log = NewLog(store_, Keys(), clock_);
    AppendN(*log, clock_, part, 3);
    last_hash = store_.Record(part, 3).hash;
  }
  auto restarted = NewLog(store_, Keys(), clock_);
  auto next = restarted->Append(part, "k", "a", "s", "{}");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->seq, 4u);
  EXPECT_EQ(next->prev_hash, last_hash);
  EXPECT_TRUE(restarted->Verify(part).ok);
  EXPECT_EQ(restarted->Verify(part).records_checked, 4u);
}

// covers: R1.3.260 (appends use the cached head, not store reads)
TEST_F(AuditLogTest, OnlyTheFirstAppendToAPartitionReadsTheStore) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "p", 1);
  size_t reads = store_.reads();
  AppendN(*log, clock_, "p", 20);
  EXPECT_EQ(store_.reads(), reads);
  AppendN(*log, clock_, "q", 1);
  EXPECT_GT(store_.reads(), reads);
}

// covers: R1.3.270, R2.1.70 (a log with another key never extends a chain)
TEST_F(AuditLogTest, LogWithAnotherKeyRefusesToExtendTheChain) {
  AppendN(*NewLog(store_, Keys('h'), clock_), clock_, "p", 2);
  auto other = NewLog(store_, Keys('x'), clock_);
  auto r = other->Append("p", "k", "a", "s", "{}");
  EXPECT_EQ(r.status().code(), StatusCode::kDataLoss);
  EXPECT_EQ(store_.RecordCount("p"), 2u);
  // It may still start chains of its own elsewhere.
  EXPECT_TRUE(other->Append("q", "k", "a", "s", "{}").ok());
}

// covers: R1.3.270 (fail closed on a damaged chain; never hide evidence)
TEST_F(AuditLogTest, DamagedPartitionsAreNotExtended) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "no-head", 2);
  store_.SetHead("no-head", std::nullopt);
  AppendN(*log, clock_, "truncated", 3);
  store_.Erase("truncated", 3);
  AppendN(*log, clock_, "forged", 2);
  auto head = store_.StoredHead("forged");
  head->seq = 9;
  store_.SetHead("forged", head);
  AppendN(*log, clock_, "bad-tail", 2);
  auto tail = store_.Record("bad-tail", 2);
  tail.seq = 3;  // a record after the head that does not continue the chain
  store_.Put(tail);

  auto restarted = NewLog(store_, Keys(), clock_);
  for (const char* part : {"no-head", "truncated", "forged", "bad-tail"}) {
    auto r = restarted->Append(part, "k", "a", "s", "{}");
    EXPECT_EQ(r.status().code(), StatusCode::kDataLoss) << part;
    EXPECT_NE(r.status().message().find(part), std::string::npos);
  }
  EXPECT_EQ(store_.RecordCount("no-head"), 2u);
  EXPECT_FALSE(store_.StoredHead("no-head").has_value());
}

// covers: R1.3.260 (an append cut short between record and head)
TEST_F(AuditLogTest, AppendWhoseHeadWriteFailedIsAdoptedByTheNextOne) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "p", 2);
  store_.set_fail_heads(true);
  auto cut = log->Append("p", "k", "a", "s", "{}");
  EXPECT_EQ(cut.status().code(), StatusCode::kUnavailable);
  store_.set_fail_heads(false);
  EXPECT_EQ(store_.RecordCount("p"), 3u);
  VerifyReport report = log->Verify("p");
  EXPECT_EQ(report.fault, AuditFault::kBeyondHead) << report.problem;
  EXPECT_EQ(report.first_bad_seq, 3u);
  // Record 3 is genuine and continues the chain: the next append adopts it.
  auto next = log->Append("p", "k", "a", "s", "{}");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->seq, 4u);
  EXPECT_TRUE(log->Verify("p").ok) << log->Verify("p").problem;
}

// covers: R1.3.260
TEST_F(AuditLogTest, FailedRecordWriteLeavesNoTrace) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "p", 2);
  store_.set_fail_appends(true);
  EXPECT_EQ(log->Append("p", "k", "a", "s", "{}").status().code(),
            StatusCode::kUnavailable);
  store_.set_fail_appends(false);
  auto next = log->Append("p", "k", "a", "s", "{}");
  ASSERT_TRUE(next.ok());
  EXPECT_EQ(next->seq, 3u);
  EXPECT_TRUE(log->Verify("p").ok);
}

// covers: R1.3.260 (a rolled-back store transaction)
TEST_F(AuditLogTest, ForgetCachedHeadsResyncsAfterARollback) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "p", 2);
  auto before = store_.StoredHead("p");
  AppendN(*log, clock_, "p", 1);
  // What a rollback of the transaction holding that append leaves behind.
  store_.Erase("p", 3);
  store_.SetHead("p", before);
  log->ForgetCachedHeads();
  auto next = log->Append("p", "k", "a", "s", "{}");
  ASSERT_TRUE(next.ok()) << next.status().ToString();
  EXPECT_EQ(next->seq, 3u);
  EXPECT_TRUE(log->Verify("p").ok);
}

// covers: R1.3.260 (bad input gives an error, never a crash or a record)
TEST_F(AuditLogTest, MalformedAndOversizedInputsAreRefused) {
  AuditLogOptions options;
  options.max_field_bytes = 16;
  options.max_body_bytes = 64;
  auto log = NewLog(store_, Keys(), clock_, options);
  struct Case {
    const char* name;
    std::string partition, kind, actor, subject, body;
    StatusCode code;
  };
  const std::string big(17, 'x');
  const Case cases[] = {
      {"empty partition", "", "k", "a", "s", "{}",
       StatusCode::kInvalidArgument},
      {"empty kind", "p", "", "a", "s", "{}", StatusCode::kInvalidArgument},
      {"empty body", "p", "k", "a", "s", "", StatusCode::kInvalidArgument},
      {"body not JSON", "p", "k", "a", "s",
       "{\"a\":", StatusCode::kInvalidArgument},
      {"body trailing garbage", "p", "k", "a", "s", "{} x",
       StatusCode::kInvalidArgument},
      {"body binary", "p", "k", "a", "s", std::string("\0\xff", 2),
       StatusCode::kInvalidArgument},
      {"partition too long", big, "k", "a", "s", "{}",
       StatusCode::kResourceExhausted},
      {"kind too long", "p", big, "a", "s", "{}",
       StatusCode::kResourceExhausted},
      {"actor too long", "p", "k", big, "s", "{}",
       StatusCode::kResourceExhausted},
      {"subject too long", "p", "k", "a", big, "{}",
       StatusCode::kResourceExhausted},
      {"body too long", "p", "k", "a", "s", "\"" + std::string(63, 'b') + "\"",
       StatusCode::kResourceExhausted},
  };
  for (const auto& c : cases) {
    auto r = log->Append(c.partition, c.kind, c.actor, c.subject, c.body);
    EXPECT_EQ(r.status().code(), c.code) << c.name;
  }
  EXPECT_EQ(store_.RecordCount("p"), 0u);
  // At the limits exactly, records are accepted; actor/subject may be empty.
  EXPECT_TRUE(log->Append(std::string(16, 'p'), std::string(16, 'k'), "", "",
                          "\"" + std::string(62, 'b') + "\"")
                  .ok());
}

// covers: R1.3.260 (default body limit: 1 MiB)
TEST_F(AuditLogTest, DefaultBodyLimitIsOneMebibyte) {
  auto log = NewLog(store_, Keys(), clock_);
  std::string at_limit = "\"" + std::string((1 << 20) - 2, 'b') + "\"";
  EXPECT_TRUE(log->Append("p", "k", "a", "s", at_limit).ok());
  std::string over = "\"" + std::string((1 << 20) - 1, 'b') + "\"";
  EXPECT_EQ(log->Append("p", "k", "a", "s", over).status().code(),
            StatusCode::kResourceExhausted);
}

// covers: R1.3.270, R2.1.70 (keys are checked; one key per purpose)
TEST_F(AuditLogTest, CreateRefusesBadKeys) {
  struct Case {
    const char* name;
    std::string hmac;
    std::optional<std::string> enc;
  };
  const Case cases[] = {
      {"no HMAC key", "", std::nullopt},
      {"short HMAC key", std::string(16, 'h'), std::nullopt},
      {"long HMAC key", std::string(33, 'h'), std::nullopt},
      {"short encryption key", std::string(32, 'h'), std::string(31, 'e')},
      {"same key twice", std::string(32, 'h'), std::string(32, 'h')},
  };
  for (const auto& c : cases) {
    AuditKeys keys;
    keys.hmac_key = crypto::SecretBytes(c.hmac);
    if (c.enc) keys.encryption_key = crypto::SecretBytes(*c.enc);
    EXPECT_EQ(AuditLog::Create(store_, std::move(keys), clock_).status().code(),
              StatusCode::kInvalidArgument)
        << c.name;
  }
  AuditLogOptions zero_page;
  zero_page.page_size = 0;
  EXPECT_EQ(AuditLog::Create(store_, Keys(), clock_, zero_page).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: 5.3-audit (an SM's export holds its own partitions only)
TEST_F(AuditLogTest, ExportOfAnSmHoldsOnlyItsPartitions) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, std::string(kManoPartition), 2);
  AppendN(*log, clock_, PartitionFor("sm-a", "core"), 3);
  AppendN(*log, clock_, PartitionFor("sm-a", "edge"), 2);
  AppendN(*log, clock_, PartitionFor("sm-b", "core"), 4);
  AppendN(*log, clock_, PartitionFor("sm-ab", "core"), 1);
  // An SM whose id would spell one of sm-a's partitions.
  AppendN(*log, clock_, PartitionFor("sm-a|domain:core", "x"), 1);

  auto parts = log->PartitionsOfSm("sm-a");
  ASSERT_TRUE(parts.ok()) << parts.status().ToString();
  std::vector<std::string> sorted = *parts;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, (std::vector<std::string>{PartitionFor("sm-a", "core"),
                                              PartitionFor("sm-a", "edge")}));
  auto exported = log->Export(*parts);
  ASSERT_TRUE(exported.ok());
  EXPECT_EQ(exported->size(), 5u);
  for (const auto& r : *exported) {
    EXPECT_TRUE(r.partition == PartitionFor("sm-a", "core") ||
                r.partition == PartitionFor("sm-a", "edge"))
        << r.partition;
  }
  auto b = log->Export(*log->PartitionsOfSm("sm-b"));
  ASSERT_TRUE(b.ok());
  EXPECT_EQ(b->size(), 4u);
  EXPECT_TRUE(log->PartitionsOfSm("sm-none")->empty());
  EXPECT_EQ(log->PartitionsOfSm("").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(log->PartitionsOfSm("a|b").status().code(),
            StatusCode::kInvalidArgument);
}

// covers: 5.3-audit
TEST_F(AuditLogTest, ExportPagesAndLimits) {
  AuditLogOptions options;
  options.page_size = 3;
  options.max_export_records = 10;
  auto log = NewLog(store_, Keys(), clock_, options);
  AppendN(*log, clock_, "p", 7);
  AppendN(*log, clock_, "q", 3);
  auto all = log->Export({"p", "q"});
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 10u);
  for (uint64_t i = 0; i < 7; ++i) EXPECT_EQ((*all)[i].seq, i + 1);
  EXPECT_EQ((*all)[7].partition, "q");
  AppendN(*log, clock_, "q", 1);
  EXPECT_EQ(log->Export({"p", "q"}).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_TRUE(log->Export({"absent"})->empty());
}

// covers: R1.3.260 (store failures are reported, not hidden)
TEST_F(AuditLogTest, UnreadableStoreIsReportedByVerify) {
  auto log = NewLog(store_, Keys(), clock_);
  AppendN(*log, clock_, "p", 2);
  store_.set_fail_reads(true);
  VerifyReport report = log->Verify("p");
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.fault, AuditFault::kStoreError);
  EXPECT_EQ(log->Export({"p"}).status().code(), StatusCode::kUnavailable);
  store_.set_fail_reads(false);
  EXPECT_TRUE(log->Verify("p").ok);
}

// covers: R1.3.260, 5.3-audit (concurrent appends keep every chain intact)
TEST_F(AuditLogTest, ConcurrentAppendsKeepChainsIntact) {
  auto log = NewLog(store_, Keys(), clock_);
  constexpr int kThreads = 4;
  constexpr int kPerThread = 100;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; ++i) {
        // Threads share partitions pairwise, so appends to one partition
        // race.
        std::string part = "p" + std::to_string(t % 2);
        EXPECT_TRUE(
            log->Append(part, "k", "t" + std::to_string(t), "s", "{}").ok());
      }
    });
  }
  for (auto& th : threads) th.join();
  for (const char* part : {"p0", "p1"}) {
    VerifyReport report = log->Verify(part);
    EXPECT_TRUE(report.ok) << report.problem;
    EXPECT_EQ(report.records_checked, 2u * kPerThread);
  }
}

}  // namespace
}  // namespace nfvsm::testing
