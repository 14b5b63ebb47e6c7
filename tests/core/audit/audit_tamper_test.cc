// Every way of tampering with a stored chain is detected, at the right
// record, whatever the page size of the walk.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <utility>
#include <vector>

#include "core/audit/audit_test_util.h"

namespace nfvsm::testing {
namespace {

const std::string kPart = PartitionFor("sm-1", "core");
const std::string kOther = PartitionFor("sm-2", "core");
constexpr int kRecords = 6;

struct TamperCase {
  std::string name;
  // Changes the store holding records 1..kRecords of kPart (and of kOther).
  std::function<void(MemoryAuditStore&)> tamper;
  AuditFault fault;
  std::optional<uint64_t> first_bad_seq;
};

void Flip(std::string& s, size_t at = 0) { s[at % s.size()] ^= 0x01; }

std::vector<TamperCase> Cases() {
  return {
      {"body byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 3).body, 2); },
       AuditFault::kHashMismatch, 3},
      {"kind byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 2).kind); },
       AuditFault::kHashMismatch, 2},
      {"actor byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 5).actor, 3); },
       AuditFault::kHashMismatch, 5},
      {"subject changed",
       [](MemoryAuditStore& s) { s.Record(kPart, 4).subject = "vnf-other"; },
       AuditFault::kHashMismatch, 4},
      {"timestamp moved",
       [](MemoryAuditStore& s) {
         s.Record(kPart, 3).at += std::chrono::seconds(1);
       },
       AuditFault::kHashMismatch, 3},
      {"encrypted flag toggled",
       [](MemoryAuditStore& s) { s.Record(kPart, 3).encrypted = true; },
       AuditFault::kHashMismatch, 3},
      {"prev_hash byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 4).prev_hash, 7); },
       AuditFault::kHashMismatch, 4},
      {"hash byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 4).hash, 31); },
       AuditFault::kMacMismatch, 4},
      {"mac byte flipped",
       [](MemoryAuditStore& s) { Flip(s.Record(kPart, 1).mac, 0); },
       AuditFault::kMacMismatch, 1},
      {"mac truncated",
       [](MemoryAuditStore& s) { s.Record(kPart, 6).mac.resize(16); },
       AuditFault::kMacMismatch, 6},
      {"middle record dropped", [](MemoryAuditStore& s) { s.Erase(kPart, 3); },
       AuditFault::kSeqGap, 3},
      {"first record dropped", [](MemoryAuditStore& s) { s.Erase(kPart, 1); },
       AuditFault::kSeqGap, 1},
      {"two records swapped",
       [](MemoryAuditStore& s) {
         AuditRecord third = s.Record(kPart, 3);
         AuditRecord fourth = s.Record(kPart, 4);
         std::swap(third.seq, fourth.seq);
         s.Put(third);
         s.Put(fourth);
       },
       AuditFault::kReordered, 3},
      {"record from another partition",
       [](MemoryAuditStore& s) {
         AuditRecord foreign = s.Record(kOther, 2);
         foreign.partition = kPart;
         s.Put(foreign);
       },
       AuditFault::kHashMismatch, 2},
      {"record claims another partition",
       [](MemoryAuditStore& s) { s.Record(kPart, 2).partition = kOther; },
       AuditFault::kWrongPartition, 2},
      {"record from a fork of the chain under the same key",
       [](MemoryAuditStore& s) {
         // Another store (a restored backup, a second site) where the same
         // partition grew differently: its record 4 is genuine but follows
         // another record 3.
         MemoryAuditStore fork;
         ManualClock later(FromMicros(1'800'000'000'000'000));
         AppendN(*NewLog(fork, Keys(), later), later, kPart, 4);
         s.Put(fork.Record(kPart, 4));
       },
       AuditFault::kChainBroken, 4},
      {"tail truncated",
       [](MemoryAuditStore& s) {
         s.Erase(kPart, 6);
         s.Erase(kPart, 5);
       },
       AuditFault::kTruncated, 5},
      {"every record deleted, head kept",
       [](MemoryAuditStore& s) {
         for (uint64_t seq = 1; seq <= kRecords; ++seq) s.Erase(kPart, seq);
       },
       AuditFault::kTruncated, 1},
      {"head deleted",
       [](MemoryAuditStore& s) { s.SetHead(kPart, std::nullopt); },
       AuditFault::kHeadMissing, std::nullopt},
      {"head rolled forward",
       [](MemoryAuditStore& s) {
         auto head = s.StoredHead(kPart);
         head->seq += 1;
         s.SetHead(kPart, head);
       },
       AuditFault::kHeadForged, std::nullopt},
      {"head forged to hide a truncation",
       [](MemoryAuditStore& s) {
         s.Erase(kPart, 6);
         auto head = s.StoredHead(kPart);
         head->seq = 5;
         head->hash = s.Record(kPart, 5).hash;
         s.SetHead(kPart, head);
       },
       AuditFault::kHeadForged, std::nullopt},
      {"head of another partition",
       [](MemoryAuditStore& s) { s.SetHead(kPart, s.StoredHead(kOther)); },
       AuditFault::kHeadForged, std::nullopt},
  };
}

class AuditTamperTest : public ::testing::TestWithParam<size_t> {
 protected:
  // A fresh store with kRecords records in kPart and kOther.
  void Fill(AuditLog& log) {
    AppendN(log, clock_, kPart, kRecords);
    AppendN(log, clock_, kOther, kRecords);
    ASSERT_TRUE(log.Verify(kPart).ok);
  }
  AuditLogOptions Options() const {
    AuditLogOptions o;
    o.page_size = GetParam();
    return o;
  }
  ManualClock clock_;
};

// covers: R1.3.260, R1.3.270, 5.3-audit
TEST_P(AuditTamperTest, EachTamperIsFoundAtTheFirstBadRecord) {
  for (const TamperCase& c : Cases()) {
    SCOPED_TRACE(c.name);
    MemoryAuditStore store;
    auto log = NewLog(store, Keys(), clock_, Options());
    Fill(*log);
    c.tamper(store);
    // A fresh log (as after a restart), so nothing comes from a cache.
    auto verifier = NewLog(store, Keys(), clock_, Options());
    VerifyReport report = verifier->Verify(kPart);
    EXPECT_FALSE(report.ok);
    EXPECT_EQ(ToString(report.fault), ToString(c.fault)) << report.problem;
    EXPECT_EQ(report.first_bad_seq, c.first_bad_seq) << report.problem;
    EXPECT_EQ(report.partition, kPart);
    EXPECT_FALSE(report.problem.empty());
    if (c.first_bad_seq) {
      EXPECT_EQ(report.records_checked, *c.first_bad_seq - 1);
    }
    // The other partition is untouched and still verifies (5.3-audit:
    // partitions are independent chains), unless the tamper used it.
    EXPECT_TRUE(verifier->Verify(kOther).ok);
  }
}

// covers: R1.3.270 (records written under another HMAC key: re-keyed tail)
TEST_P(AuditTamperTest, RekeyedTailIsFoundAtItsFirstRecord) {
  MemoryAuditStore store;
  auto log = NewLog(store, Keys('h'), clock_, Options());
  AppendN(*log, clock_, kPart, 4);
  // The attacker holds another key and builds a chain of their own...
  MemoryAuditStore scratch;
  auto forger = NewLog(scratch, Keys('x'), clock_, Options());
  AppendN(*forger, clock_, kPart, 6);
  // ...and splices its tail and head onto the genuine chain.
  store.Put(scratch.Record(kPart, 5));
  store.Put(scratch.Record(kPart, 6));
  store.SetHead(kPart, scratch.StoredHead(kPart));
  VerifyReport report =
      NewLog(store, Keys('h'), clock_, Options())->Verify(kPart);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.fault, AuditFault::kMacMismatch) << report.problem;
  EXPECT_EQ(report.first_bad_seq, 5u);
  EXPECT_EQ(report.records_checked, 4u);
  // Under the forger's key the genuine records are the bad ones.
  VerifyReport other =
      NewLog(store, Keys('x'), clock_, Options())->Verify(kPart);
  EXPECT_FALSE(other.ok);
  EXPECT_EQ(other.first_bad_seq, 1u);
}

// covers: R1.3.270 (an older genuine head replayed over a longer chain)
TEST_P(AuditTamperTest, RolledBackHeadIsFound) {
  MemoryAuditStore store;
  auto log = NewLog(store, Keys(), clock_, Options());
  AppendN(*log, clock_, kPart, 3);
  auto old_head = store.StoredHead(kPart);
  AppendN(*log, clock_, kPart, 3);
  store.SetHead(kPart, old_head);
  VerifyReport report = NewLog(store, Keys(), clock_, Options())->Verify(kPart);
  EXPECT_FALSE(report.ok);
  EXPECT_EQ(report.fault, AuditFault::kBeyondHead) << report.problem;
  EXPECT_EQ(report.first_bad_seq, 4u);
}

// covers: R1.3.260 (the clean chain verifies at every page size)
TEST_P(AuditTamperTest, UntouchedChainVerifies) {
  MemoryAuditStore store;
  auto log = NewLog(store, Keys(), clock_, Options());
  AppendN(*log, clock_, kPart, 9);
  VerifyReport report = log->Verify(kPart);
  EXPECT_TRUE(report.ok) << report.problem;
  EXPECT_EQ(report.records_checked, 9u);
  EXPECT_EQ(report.fault, AuditFault::kNone);
  EXPECT_FALSE(report.first_bad_seq.has_value());
}

INSTANTIATE_TEST_SUITE_P(PageSizes, AuditTamperTest,
                         ::testing::Values(size_t{1}, size_t{2}, size_t{5},
                                           size_t{4096}));

}  // namespace
}  // namespace nfvsm::testing
