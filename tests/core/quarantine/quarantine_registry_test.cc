// QuarantineRegistry bookkeeping: merge, validation, release, listing,
// concurrency.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <optional>
#include <string>
#include <thread>
#include <utility>
#include <vector>

#include "core/quarantine/quarantine_test_util.h"
#include "nfvsm/quarantine.h"

namespace nfvsm::quarantine_test {
namespace {

// covers: R2.1.270
TEST(QuarantineRegistryTest, MergingKeepsTheEarliestOwnerAndTheStricterFlags) {
  QuarantineRegistry reg;
  QuarantineEntry first =
      Entry(QuarantineTarget::kVnfInstance, "v1", "sm-a", "first");
  first.at = kT0 + std::chrono::seconds(10);
  first.replacement_allowed = true;
  first.recovery_allowed = true;
  first.copy_kept = true;
  QuarantineEntry earlier =
      Entry(QuarantineTarget::kVnfInstance, "v1", "sm-b", "earlier");
  earlier.at = kT0;
  earlier.domain = "d-edge";
  earlier.terminated = true;
  earlier.replacement_allowed = true;
  earlier.recovery_allowed = false;
  earlier.erase_requested = true;
  ASSERT_TRUE(reg.Add(first).ok());
  ASSERT_TRUE(reg.Add(earlier).ok());

  auto merged = reg.Find(QuarantineTarget::kVnfInstance, "v1");
  ASSERT_TRUE(merged.has_value());
  EXPECT_EQ(merged->by_sm, "sm-b");
  EXPECT_EQ(merged->at, kT0);
  EXPECT_EQ(merged->domain, "d-edge");
  EXPECT_EQ(merged->reason, "earlier");
  EXPECT_TRUE(merged->terminated);
  EXPECT_TRUE(merged->copy_kept);
  EXPECT_TRUE(merged->erase_requested);
  EXPECT_TRUE(merged->replacement_allowed);
  EXPECT_FALSE(merged->recovery_allowed);
  EXPECT_EQ(reg.List().size(), 1u);

  // A later entry does not take over ownership, but still restricts.
  QuarantineEntry later = Entry(QuarantineTarget::kVnfInstance, "v1", "sm-c");
  later.at = kT0 + std::chrono::hours(1);
  ASSERT_TRUE(reg.Add(later).ok());
  merged = reg.Find(QuarantineTarget::kVnfInstance, "v1");
  EXPECT_EQ(merged->by_sm, "sm-b");
  EXPECT_FALSE(merged->replacement_allowed);
}

// covers: R2.1.270
TEST(QuarantineRegistryTest, AddRejectsEntriesWithoutTargetOrSm) {
  QuarantineRegistry reg;
  EXPECT_EQ(reg.Add(Entry(QuarantineTarget::kVnfInstance, "")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reg.Add(Entry(QuarantineTarget::kVnfInstance, "v1", "")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(reg.Add(Entry(static_cast<QuarantineTarget>(42), "v1")).code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(reg.List().empty());
}

Status PutSm(BindingTable& t, const SmId& id,
             std::optional<SmId> master = std::nullopt) {
  SecurityManager sm;
  sm.id = id;
  sm.master = std::move(master);
  return t.PutSm(sm);
}

class ReleaseTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(PutSm(bindings_, "csp-master").ok());
    ASSERT_TRUE(PutSm(bindings_, "sm-a", "csp-master").ok());
    ASSERT_TRUE(PutSm(bindings_, "sm-sub", "sm-a").ok());
    ASSERT_TRUE(PutSm(bindings_, "sm-b").ok());
    ASSERT_TRUE(
        reg_.Add(Entry(QuarantineTarget::kVnfInstance, "v1", "sm-a")).ok());
  }
  BindingTable bindings_;
  QuarantineRegistry reg_;
};

// covers: IFA026 4, R2.1.270
TEST_F(ReleaseTest, TheQuarantiningSmReleases) {
  ASSERT_TRUE(
      reg_.Release(QuarantineTarget::kVnfInstance, "v1", "sm-a", bindings_)
          .ok());
  EXPECT_FALSE(reg_.IsQuarantined(QuarantineTarget::kVnfInstance, "v1"));
  EXPECT_TRUE(reg_.Check(Op(OperationKind::kRestart, "v1")).ok());
}

// covers: R2.1.50, IFA026 4
TEST_F(ReleaseTest, AMasterOfTheQuarantiningSmReleases) {
  EXPECT_TRUE(reg_.Release(QuarantineTarget::kVnfInstance, "v1", "csp-master",
                           bindings_)
                  .ok());
  EXPECT_FALSE(reg_.Find(QuarantineTarget::kVnfInstance, "v1").has_value());
}

// covers: R2.1.50, R2.1.90, IFA026 4
TEST_F(ReleaseTest, OtherSmsAndSubSmsAreRefused) {
  for (const char* other : {"sm-b", "sm-sub", "nobody"}) {
    Status s =
        reg_.Release(QuarantineTarget::kVnfInstance, "v1", other, bindings_);
    EXPECT_EQ(s.code(), StatusCode::kPermissionDenied) << other;
  }
  EXPECT_TRUE(reg_.IsQuarantined(QuarantineTarget::kVnfInstance, "v1"));
  EXPECT_EQ(reg_.Check(Op(OperationKind::kHeal, "v1")).code(),
            StatusCode::kFailedPrecondition);
}

// covers: IFA026 4
TEST_F(ReleaseTest, UnknownEntriesAreNotFound) {
  EXPECT_EQ(
      reg_.Release(QuarantineTarget::kImage, "v1", "sm-a", bindings_).code(),
      StatusCode::kNotFound);
  EXPECT_EQ(reg_.Release(QuarantineTarget::kVnfInstance, "", "sm-a", bindings_)
                .code(),
            StatusCode::kNotFound);
}

// covers: R2.1.270, R2.1.320/330
TEST(QuarantineRegistryTest, ListIsOrderedByTargetThenId) {
  QuarantineRegistry reg;
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kHost, "h1")).ok());
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kVnfInstance, "v2")).ok());
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kVnfInstance, "v1")).ok());
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kImage, "img")).ok());
  std::vector<std::pair<QuarantineTarget, std::string>> got;
  for (const auto& e : reg.List()) got.emplace_back(e.target, e.target_id);
  EXPECT_EQ(got, (std::vector<std::pair<QuarantineTarget, std::string>>{
                     {QuarantineTarget::kVnfInstance, "v1"},
                     {QuarantineTarget::kVnfInstance, "v2"},
                     {QuarantineTarget::kImage, "img"},
                     {QuarantineTarget::kHost, "h1"}}));
  EXPECT_TRUE(reg.IsQuarantined(QuarantineTarget::kImage, "img"));
  EXPECT_FALSE(reg.IsQuarantined(QuarantineTarget::kVnfd, "img"));
}

// covers: IFA026 4
TEST(QuarantineRegistryTest, VetoHoldsWhileOtherEntriesChangeConcurrently) {
  QuarantineRegistry reg;
  BindingTable hierarchy;
  ASSERT_TRUE(PutSm(hierarchy, "sm-a").ok());
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kVnfInstance, "v1")).ok());
  std::atomic<bool> stop{false};
  std::atomic<int> wrong{0};
  std::vector<std::thread> readers;
  for (int t = 0; t < 3; ++t) {
    readers.emplace_back([&] {
      while (!stop.load()) {
        if (reg.Check(Op(OperationKind::kRestart, "v1")).ok()) ++wrong;
        if (!reg.Check(Op(OperationKind::kRestart, "v-free")).ok()) ++wrong;
      }
    });
  }
  for (int i = 0; i < 2000; ++i) {
    std::string id = "churn-" + std::to_string(i % 50);
    ASSERT_TRUE(
        reg.Add(Entry(QuarantineTarget::kVnfInstance, id, "sm-a")).ok());
    ASSERT_TRUE(
        reg.Release(QuarantineTarget::kVnfInstance, id, "sm-a", hierarchy)
            .ok());
  }
  stop = true;
  for (auto& t : readers) t.join();
  EXPECT_EQ(wrong.load(), 0);
}

}  // namespace
}  // namespace nfvsm::quarantine_test
