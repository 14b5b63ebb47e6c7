// The half-open session cache: single use, expiry, bounds, remembered N1s.
// An internal header of core/src/vbs (not on the test's include path).
#include "../../../core/src/vbs/session_cache.h"

#include <gtest/gtest.h>

namespace nfvsm::vbs::internal {
namespace {

constexpr Duration kTtl = std::chrono::seconds(30);

Session Make(const std::string& n1, const std::string& platform,
             TimePoint now) {
  return Session{n1, "n2-" + n1, "vnf", platform, now + kTtl};
}

using Kind = SessionCache::Taken::Kind;
using Insert = SessionCache::InsertResult;

// covers: VBS-M2, VBS-M4
TEST(SessionCacheTest, SessionsAreSingleUse) {
  SessionCache cache({10, 10, 10});
  ManualClock clock;
  ASSERT_EQ(cache.Insert(Make("a", "p", clock.Now()), clock.Now()),
            Insert::kInserted);
  auto first = cache.Take("a", clock.Now());
  ASSERT_EQ(first.kind, Kind::kFound);
  EXPECT_EQ(first.session.n2, "n2-a");
  cache.MarkSpent("a", SpentAs::kCompleted);
  auto second = cache.Take("a", clock.Now());
  EXPECT_EQ(second.kind, Kind::kSpent);
  EXPECT_EQ(second.spent_as, SpentAs::kCompleted);
  EXPECT_EQ(cache.Insert(Make("a", "p", clock.Now()), clock.Now()),
            Insert::kAlreadySpent);
  EXPECT_EQ(cache.Take("never", clock.Now()).kind, Kind::kUnknown);
}

// covers: VBS-M2
TEST(SessionCacheTest, DuplicateOpenN1IsRefusedAndKeepsTheSession) {
  SessionCache cache({10, 10, 10});
  ManualClock clock;
  ASSERT_EQ(cache.Insert(Make("a", "p", clock.Now()), clock.Now()),
            Insert::kInserted);
  Session replay = Make("a", "p", clock.Now());
  replay.n2 = "other";
  EXPECT_EQ(cache.Insert(replay, clock.Now()), Insert::kAlreadyOpen);
  EXPECT_EQ(cache.Take("a", clock.Now()).session.n2, "n2-a");
}

// covers: VBS-M4
TEST(SessionCacheTest, ExpiredSessionsAreReportedAsExpired) {
  SessionCache cache({10, 10, 10});
  ManualClock clock;
  ASSERT_EQ(cache.Insert(Make("a", "p", clock.Now()), clock.Now()),
            Insert::kInserted);
  ASSERT_EQ(cache.Insert(Make("b", "p", clock.Now()), clock.Now()),
            Insert::kInserted);
  clock.Advance(kTtl);
  auto taken = cache.Take("a", clock.Now());
  EXPECT_EQ(taken.kind, Kind::kSpent);
  EXPECT_EQ(taken.spent_as, SpentAs::kExpired);
  // Purged by the next insert, still remembered as expired.
  ASSERT_EQ(cache.Insert(Make("c", "p", clock.Now()), clock.Now()),
            Insert::kInserted);
  EXPECT_EQ(cache.open_sessions(), 1u);
  EXPECT_EQ(cache.Take("b", clock.Now()).spent_as, SpentAs::kExpired);
  EXPECT_EQ(cache.expired(), 2u);
}

// covers: VBS-M2
TEST(SessionCacheTest, PerPlatformBoundEvictsThatPlatformsOldest) {
  SessionCache cache({100, 2, 100});
  ManualClock clock;
  for (const char* n1 : {"a1", "a2"}) {
    ASSERT_EQ(cache.Insert(Make(n1, "A", clock.Now()), clock.Now()),
              Insert::kInserted);
  }
  ASSERT_EQ(cache.Insert(Make("b1", "B", clock.Now()), clock.Now()),
            Insert::kInserted);
  ASSERT_EQ(cache.Insert(Make("a3", "A", clock.Now()), clock.Now()),
            Insert::kInserted);
  EXPECT_EQ(cache.open_sessions(), 3u);
  EXPECT_EQ(cache.evicted(), 1u);
  auto evicted = cache.Take("a1", clock.Now());
  EXPECT_EQ(evicted.kind, Kind::kSpent);
  EXPECT_EQ(evicted.spent_as, SpentAs::kEvicted);
  EXPECT_EQ(cache.Take("b1", clock.Now()).kind, Kind::kFound);
  EXPECT_EQ(cache.Take("a2", clock.Now()).kind, Kind::kFound);
}

// covers: VBS-M2
TEST(SessionCacheTest, GlobalBoundEvictsTheOldestOverall) {
  SessionCache cache({3, 3, 100});
  ManualClock clock;
  for (const char* n1 : {"x", "y", "z", "w"}) {
    ASSERT_EQ(cache.Insert(Make(n1, std::string("p-") + n1, clock.Now()),
                           clock.Now()),
              Insert::kInserted);
  }
  EXPECT_EQ(cache.open_sessions(), 3u);
  EXPECT_EQ(cache.Take("x", clock.Now()).spent_as, SpentAs::kEvicted);
}

// covers: VBS-M2
TEST(SessionCacheTest, RememberedNoncesAreBounded) {
  SessionCache cache({1000, 1000, 5});
  ManualClock clock;
  for (int i = 0; i < 50; ++i) {
    const std::string n1 = "n" + std::to_string(i);
    ASSERT_EQ(cache.Insert(Make(n1, "p", clock.Now()), clock.Now()),
              Insert::kInserted);
    ASSERT_EQ(cache.Take(n1, clock.Now()).kind, Kind::kFound);
    cache.MarkSpent(n1, SpentAs::kCompleted);
  }
  EXPECT_EQ(cache.remembered_nonces(), 5u);
  EXPECT_EQ(cache.Take("n49", clock.Now()).kind, Kind::kSpent);
  EXPECT_EQ(cache.Take("n0", clock.Now()).kind, Kind::kUnknown);
}

}  // namespace
}  // namespace nfvsm::vbs::internal
