// InTransaction: commit, rollback on error or exception, nested calls that
// join, and many threads sharing one store.
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <set>
#include <stdexcept>
#include <string>
#include <thread>
#include <vector>

#include "core/store/store_test_util.h"
#include "nfvsm/store.h"

namespace nfvsm {
namespace {

using ::nfvsm::testing::At;
using ::nfvsm::testing::MustOpen;
using ::nfvsm::testing::SampleAudit;
using ::nfvsm::testing::SampleDomain;
using ::nfvsm::testing::SampleEvent;
using ::nfvsm::testing::SampleQuarantine;
using ::nfvsm::testing::SampleVnf;
using ::nfvsm::testing::TempDir;

size_t CountDomains(Store& s) { return s.LoadDomains()->size(); }
size_t CountEvents(Store& s) { return s.QueryEvents({})->size(); }

class StoreTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(dir_.File("tx.db"));
    ASSERT_NE(store_, nullptr);
  }
  TempDir dir_;
  std::unique_ptr<Store> store_;
};

// covers: R2.1.150, R2.1.300
TEST_F(StoreTransactionTest, OkCommitsEveryWrite) {
  Status s = store_->InTransaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(store_->PutDomain(SampleDomain("dom-1")));
    NFVSM_RETURN_IF_ERROR(store_->PutVnf(SampleVnf("vnf-1", "dom-1")));
    NFVSM_ASSIGN_OR_RETURN(bool inserted, store_->AppendEvent(SampleEvent(
                                              "e-1", "dom-1", "vnf-1", At(1))));
    EXPECT_TRUE(inserted);
    // Reads inside the transaction see its own writes.
    EXPECT_EQ(CountDomains(*store_), 1u);
    return OkStatus();
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(CountDomains(*store_), 1u);
  EXPECT_EQ(store_->LoadVnfs()->size(), 1u);
  EXPECT_EQ(CountEvents(*store_), 1u);
}

// covers: IFA026 4, R1.3.260
TEST_F(StoreTransactionTest, ErrorInTheMiddleLeavesNothing) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("existing")).ok());
  Status s = store_->InTransaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(store_->PutDomain(SampleDomain("dom-1")));
    NFVSM_RETURN_IF_ERROR(store_->PutQuarantine(
        SampleQuarantine(QuarantineTarget::kVnfInstance, "vnf-1")));
    NFVSM_RETURN_IF_ERROR(store_->AppendAudit(SampleAudit("mano", 1)));
    // The duplicate fails; everything before it must go too.
    NFVSM_RETURN_IF_ERROR(store_->AppendAudit(SampleAudit("mano", 1)));
    ADD_FAILURE() << "unreachable";
    return OkStatus();
  });
  EXPECT_EQ(s.code(), StatusCode::kAlreadyExists) << s.ToString();
  EXPECT_EQ(CountDomains(*store_), 1u);
  EXPECT_TRUE(store_->LoadQuarantine()->empty());
  EXPECT_TRUE(store_->ReadAudit("mano", 0, 10)->empty());
  EXPECT_TRUE(store_->AuditPartitions()->empty());
}

// covers: R1.3.260
TEST_F(StoreTransactionTest, FnErrorIsReturnedAsIsAndRollsBack) {
  Status s = store_->InTransaction([&]() -> Status {
    EXPECT_TRUE(store_->PutDomain(SampleDomain("dom-1")).ok());
    return PermissionDeniedError("caller decided against it");
  });
  EXPECT_EQ(s, PermissionDeniedError("caller decided against it"));
  EXPECT_EQ(CountDomains(*store_), 0u);
}

// covers: R1.3.260
TEST_F(StoreTransactionTest, ExceptionRollsBackAndBecomesInternal) {
  Status s = store_->InTransaction([&]() -> Status {
    EXPECT_TRUE(store_->PutDomain(SampleDomain("dom-1")).ok());
    throw std::runtime_error("boom");
  });
  EXPECT_EQ(s.code(), StatusCode::kInternal);
  EXPECT_NE(s.message().find("boom"), std::string::npos);
  EXPECT_EQ(CountDomains(*store_), 0u);
  // The store is usable afterwards.
  EXPECT_TRUE(store_->PutDomain(SampleDomain("dom-2")).ok());
  EXPECT_EQ(CountDomains(*store_), 1u);
}

// covers: R2.1.150
TEST_F(StoreTransactionTest, NestedCallsJoinAndCommitOnce) {
  Status s = store_->InTransaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(store_->PutDomain(SampleDomain("outer")));
    NFVSM_RETURN_IF_ERROR(store_->InTransaction([&]() -> Status {
      NFVSM_RETURN_IF_ERROR(store_->PutDomain(SampleDomain("inner")));
      return store_->InTransaction(
          [&] { return store_->PutDomain(SampleDomain("innermost")); });
    }));
    EXPECT_EQ(CountDomains(*store_), 3u);
    return UnavailableError("outer gives up");
  });
  EXPECT_EQ(s.code(), StatusCode::kUnavailable);
  // The outer failure undoes the inner "commits": they were never separate.
  EXPECT_EQ(CountDomains(*store_), 0u);

  s = store_->InTransaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(store_->PutDomain(SampleDomain("outer")));
    return store_->InTransaction(
        [&] { return store_->PutDomain(SampleDomain("inner")); });
  });
  ASSERT_TRUE(s.ok()) << s.ToString();
  EXPECT_EQ(CountDomains(*store_), 2u);
}

// covers: R1.3.260
TEST_F(StoreTransactionTest, FailedInnerCallDoomsTheWholeTransaction) {
  Status s = store_->InTransaction([&]() -> Status {
    EXPECT_TRUE(store_->PutDomain(SampleDomain("outer")).ok());
    Status inner = store_->InTransaction([&]() -> Status {
      EXPECT_TRUE(store_->PutDomain(SampleDomain("inner")).ok());
      return DataLossError("inner gave up");
    });
    EXPECT_EQ(inner.code(), StatusCode::kDataLoss);
    // The outer fn ignores the failure and carries on...
    EXPECT_TRUE(store_->PutDomain(SampleDomain("after")).ok());
    return OkStatus();
  });
  // ...but a joined transaction cannot half-commit: all of it is undone.
  EXPECT_EQ(s, DataLossError("inner gave up"));
  EXPECT_EQ(CountDomains(*store_), 0u);
  // And the next transaction starts clean.
  EXPECT_TRUE(store_
                  ->InTransaction(
                      [&] { return store_->PutDomain(SampleDomain("next")); })
                  .ok());
  EXPECT_EQ(CountDomains(*store_), 1u);
}

// covers: R1.3.260
TEST_F(StoreTransactionTest, EmptyFunctionIsInvalidArgument) {
  EXPECT_EQ(store_->InTransaction(nullptr).code(),
            StatusCode::kInvalidArgument);
}

// Another thread cannot see (or write into) an open transaction: it waits
// for the outcome.
// covers: R1.3.260
TEST_F(StoreTransactionTest, OtherThreadsDoNotSeeUncommittedWrites) {
  std::atomic<bool> reader_started{false};
  size_t seen_by_reader = 99;
  std::thread reader;
  Status s = store_->InTransaction([&]() -> Status {
    EXPECT_TRUE(store_->PutDomain(SampleDomain("uncommitted")).ok());
    reader = std::thread([&] {
      reader_started = true;
      seen_by_reader = CountDomains(*store_);
    });
    while (!reader_started) std::this_thread::yield();
    // Give the reader the chance to race; it must block on the store.
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return FailedPreconditionError("abandon");
  });
  reader.join();
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(seen_by_reader, 0u);
}

// covers: R2.1.150, R1.3.260
TEST_F(StoreTransactionTest, ConcurrentAppendsFromFourThreadsLandExactlyOnce) {
  constexpr int kThreads = 4;
  constexpr int kShared = 200;  // every thread appends these same ids
  constexpr int kOwn = 200;     // ids only this thread appends
  std::atomic<int> shared_inserted{0};
  std::atomic<int> failures{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      const std::string partition = "p-" + std::to_string(t);
      for (int i = 0; i < kShared + kOwn; ++i) {
        const bool shared = i < kShared;
        const std::string id =
            shared ? "shared-" + std::to_string(i)
                   : "own-" + std::to_string(t) + "-" + std::to_string(i);
        auto r = store_->AppendEvent(
            SampleEvent(id, "dom-" + std::to_string(t % 2), "vnf", At(i)));
        if (!r.ok()) {
          ++failures;
        } else if (shared && *r) {
          ++shared_inserted;
        }
        // Every other write inside a transaction, to mix both paths.
        Status a =
            (i % 2 == 0)
                ? store_->AppendAudit(SampleAudit(partition, i + 1))
                : store_->InTransaction([&] {
                    return store_->AppendAudit(SampleAudit(partition, i + 1));
                  });
        if (!a.ok()) ++failures;
      }
    });
  }
  for (auto& th : threads) th.join();

  EXPECT_EQ(failures.load(), 0);
  EXPECT_EQ(shared_inserted.load(), kShared);
  EventQuery all;
  all.limit = 1'000'000;
  auto events = store_->QueryEvents(all);
  ASSERT_TRUE(events.ok());
  std::set<std::string> ids;
  for (const auto& e : *events) ids.insert(e.id);
  EXPECT_EQ(events->size(), static_cast<size_t>(kShared + kThreads * kOwn));
  EXPECT_EQ(ids.size(), events->size());  // no id twice
  for (int t = 0; t < kThreads; ++t) {
    auto audit = store_->ReadAudit("p-" + std::to_string(t), 0, 100'000);
    ASSERT_TRUE(audit.ok());
    ASSERT_EQ(audit->size(), static_cast<size_t>(kShared + kOwn));
    for (size_t i = 0; i < audit->size(); ++i) {
      EXPECT_EQ((*audit)[i].seq, i + 1);
    }
  }
}

}  // namespace
}  // namespace nfvsm
