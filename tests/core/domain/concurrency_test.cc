// Concurrent readers and writers: a smoke test that every result a reader
// sees is internally consistent while writers churn (run it under the
// sanitizers too). No timing assertions.
#include <gtest/gtest.h>

#include <atomic>
#include <string>
#include <thread>
#include <vector>

#include "core/domain/domain_test_util.h"
#include "nfvsm/domain_registry.h"
#include "nfvsm/inventory.h"

namespace nfvsm {
namespace {

using testing::Bind;
using testing::Domain;
using testing::Sm;

constexpr int kWriters = 2;
constexpr int kReaders = 3;
constexpr int kRounds = 2000;

// covers: R2.1.80, R2.1.50, R2.1.110
TEST(ConcurrencyTest, RoutingStaysConsistentWhileBindingsChange) {
  BindingTable table;
  NFVSM_ASSERT_OK(table.PutDomain(Domain("d")));
  NFVSM_ASSERT_OK(table.PutSm(Sm("master")));
  for (int w = 0; w < kWriters; ++w) {
    NFVSM_ASSERT_OK(table.PutSm(Sm("sub" + std::to_string(w), "master")));
  }
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&table, &bad, w] {
      const SmId sm = "sub" + std::to_string(w);
      for (int i = 0; i < kRounds; ++i) {
        if (!table.PutBinding(Bind(sm, "d", Mode::kSemiActive)).ok()) ++bad;
        if (!table.RemoveBinding(sm, "d").ok()) ++bad;
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&table, &bad] {
      for (int i = 0; i < kRounds; ++i) {
        const auto ds = table.Route("d", EventKind::kCreate);
        // Either nobody is bound, or the master comes with its subs.
        if (!ds.empty() && (ds.front().sm != "master" ||
                            !ds.front().via_master || ds.size() < 2)) {
          ++bad;
        }
        for (size_t k = 1; k < ds.size(); ++k) {
          if (!(ds[k - 1].sm < ds[k].sm) || ds[k].via_master) ++bad;
        }
        // Unbound itself, the master can only hold authority through a sub.
        const auto a = table.AuthorityOver("master", "d");
        if (a && (!a->via_sub_sm || a->mode != Mode::kFullyActive)) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  EXPECT_TRUE(table.BindingsOn("d").empty());
  EXPECT_TRUE(table.Route("d", EventKind::kCreate).empty());
}

// covers: R1.1.10, R2.1.270
TEST(ConcurrencyTest, InventoryIndexesStayConsistentUnderChurn) {
  VnfInventory inv;
  constexpr int kVnfs = 64;
  for (int i = 0; i < kVnfs; ++i) {
    VnfRecord v;
    v.id = "vnf-" + std::to_string(i);
    v.domain = "d" + std::to_string(i % 4);
    v.host = "h0";
    v.state = VnfState::kActive;
    NFVSM_ASSERT_OK(inv.Upsert(v));
  }
  std::atomic<int> bad{0};
  std::vector<std::thread> threads;
  for (int w = 0; w < kWriters; ++w) {
    threads.emplace_back([&inv, &bad, w] {
      for (int i = 0; i < kRounds; ++i) {
        const VnfId id = "vnf-" + std::to_string((i * 7 + w) % kVnfs);
        const std::string host = "h" + std::to_string(i % 3);
        if (!inv.SetHost(id, host, FromMicros(i)).ok()) ++bad;
      }
    });
  }
  for (int r = 0; r < kReaders; ++r) {
    threads.emplace_back([&inv, &bad, r] {
      for (int i = 0; i < kRounds; ++i) {
        const std::string host = "h" + std::to_string((i + r) % 3);
        for (const auto& v : inv.OnHost(host)) {
          if (v.host != host) ++bad;  // index and record disagree
        }
        const VnfId id = "vnf-" + std::to_string(i % kVnfs);
        if (inv.DomainOf(id) != "d" + std::to_string(i % kVnfs % 4)) ++bad;
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(bad.load(), 0);
  size_t placed = 0;
  for (const char* h : {"h0", "h1", "h2"}) placed += inv.OnHost(h).size();
  EXPECT_EQ(placed, static_cast<size_t>(kVnfs)) << "each VNF on one host";
}

}  // namespace
}  // namespace nfvsm
