// Audit records and heads: kept verbatim (binary hashes, MACs, encrypted
// bodies), read in order, partitions listed.
#include <gtest/gtest.h>

#include <limits>
#include <string>
#include <vector>

#include "core/store/store_test_util.h"
#include "nfvsm/store.h"

namespace nfvsm {
namespace {

using ::nfvsm::testing::MustOpen;
using ::nfvsm::testing::SampleAudit;

class StoreAuditTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(":memory:");
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Store> store_;
};

// covers: R1.3.260, R1.3.270, 5.3-audit
TEST_F(StoreAuditTest, RecordsRoundTripByteForByteInSeqOrder) {
  const std::string p = PartitionFor("sm-1", "dom-1");
  std::vector<AuditRecord> written;
  for (uint64_t seq : {3, 1, 2}) {
    AuditRecord r = SampleAudit(p, seq);
    ASSERT_TRUE(store_->AppendAudit(r).ok());
  }
  for (uint64_t seq : {1, 2, 3}) written.push_back(SampleAudit(p, seq));
  auto read = store_->ReadAudit(p, 1, 100);
  ASSERT_TRUE(read.ok()) << read.status().ToString();
  EXPECT_EQ(*read, written);
  EXPECT_EQ((*read)[0].prev_hash, std::string(32, '\0'));
}

// covers: R1.3.260, 5.3-audit
TEST_F(StoreAuditTest, ReadHonoursFromSeqLimitAndPartition) {
  for (uint64_t seq = 1; seq <= 5; ++seq) {
    ASSERT_TRUE(store_->AppendAudit(SampleAudit("mano", seq)).ok());
  }
  ASSERT_TRUE(store_->AppendAudit(SampleAudit("sm:x|domain:y", 1)).ok());

  auto read = store_->ReadAudit("mano", 2, 2);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 2u);
  EXPECT_EQ((*read)[0].seq, 2u);
  EXPECT_EQ((*read)[1].seq, 3u);
  EXPECT_TRUE(store_->ReadAudit("mano", 6, 10)->empty());
  EXPECT_TRUE(store_->ReadAudit("mano", 1, 0)->empty());
  EXPECT_TRUE(store_->ReadAudit("unknown", 1, 10)->empty());
  EXPECT_TRUE(
      store_->ReadAudit("mano", std::numeric_limits<uint64_t>::max(), 10)
          ->empty());
  EXPECT_EQ(
      store_->ReadAudit("mano", 0, std::numeric_limits<size_t>::max())->size(),
      5u);
}

// covers: R1.3.270
TEST_F(StoreAuditTest, DuplicateSeqIsAlreadyExistsAndKeepsTheFirst) {
  AuditRecord first = SampleAudit("mano", 1);
  AuditRecord forged = first;
  forged.body = "rewritten history";
  ASSERT_TRUE(store_->AppendAudit(first).ok());
  EXPECT_EQ(store_->AppendAudit(forged).code(), StatusCode::kAlreadyExists);
  auto read = store_->ReadAudit("mano", 1, 10);
  ASSERT_TRUE(read.ok());
  ASSERT_EQ(read->size(), 1u);
  EXPECT_EQ(read->front(), first);
}

// covers: R1.3.260
TEST_F(StoreAuditTest, BadRecordsAreInvalidArgument) {
  EXPECT_EQ(store_->AppendAudit(SampleAudit("", 1)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_
                ->AppendAudit(
                    SampleAudit("mano", std::numeric_limits<uint64_t>::max()))
                .code(),
            StatusCode::kInvalidArgument);
  AuditStore::Head head{std::numeric_limits<uint64_t>::max(), "h", "m"};
  EXPECT_EQ(store_->PutAuditHead("mano", head).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(store_->PutAuditHead("", {1, "h", "m"}).code(),
            StatusCode::kInvalidArgument);
  auto partitions = store_->AuditPartitions();
  ASSERT_TRUE(partitions.ok());
  EXPECT_TRUE(partitions->empty());
}

// covers: R1.3.270
TEST_F(StoreAuditTest, HeadsArePutReplacedAndRead) {
  auto missing = store_->GetAuditHead("mano");
  ASSERT_TRUE(missing.ok());
  EXPECT_FALSE(missing->has_value());

  AuditStore::Head head{7, std::string(32, '\x01'),
                        std::string("\x00\xff mac", 6)};
  ASSERT_TRUE(store_->PutAuditHead("mano", head).ok());
  head.seq = 8;
  head.hash = std::string(32, '\0');
  ASSERT_TRUE(store_->PutAuditHead("mano", head).ok());
  auto got = store_->GetAuditHead("mano");
  ASSERT_TRUE(got.ok()) << got.status().ToString();
  ASSERT_TRUE(got->has_value());
  EXPECT_EQ((*got)->seq, 8u);
  EXPECT_EQ((*got)->hash, head.hash);
  EXPECT_EQ((*got)->mac, head.mac);
}

// covers: 5.3-audit, R1.3.260
TEST_F(StoreAuditTest, PartitionsListRecordsAndHeadsOnceEachSorted) {
  EXPECT_TRUE(store_->AuditPartitions()->empty());
  for (uint64_t seq = 1; seq <= 3; ++seq) {
    ASSERT_TRUE(store_->AppendAudit(SampleAudit("p-b", seq)).ok());
    ASSERT_TRUE(store_->AppendAudit(SampleAudit("p-a", seq)).ok());
  }
  ASSERT_TRUE(store_->PutAuditHead("p-a", {3, "h", "m"}).ok());
  // A head without records: its records may have been truncated, and
  // verification must still see the partition.
  ASSERT_TRUE(store_->PutAuditHead("p-c", {9, "h", "m"}).ok());
  auto partitions = store_->AuditPartitions();
  ASSERT_TRUE(partitions.ok()) << partitions.status().ToString();
  EXPECT_EQ(*partitions, (std::vector<std::string>{"p-a", "p-b", "p-c"}));
}

}  // namespace
}  // namespace nfvsm
