// The endpoint's per-source token bucket.
#include <gtest/gtest.h>

#include "nfvsm/vbs_rate_limit.h"

namespace nfvsm::vbs {
namespace {

// covers: R1.3.10/290
TEST(RateLimiterTest, BurstThenSustainedRatePerSource) {
  ManualClock clock;
  auto limiter = SourceRateLimiter::Create({2.0, 3.0, 100}, clock);
  ASSERT_TRUE(limiter.ok());
  for (int i = 0; i < 3; ++i) EXPECT_TRUE((*limiter)->Allow("a")) << i;
  EXPECT_FALSE((*limiter)->Allow("a"));
  EXPECT_TRUE((*limiter)->Allow("b"));            // sources are independent
  clock.Advance(std::chrono::milliseconds(500));  // one token at 2/s
  EXPECT_TRUE((*limiter)->Allow("a"));
  EXPECT_FALSE((*limiter)->Allow("a"));
  clock.Advance(std::chrono::hours(1));  // refills to the burst, not beyond
  for (int i = 0; i < 3; ++i) EXPECT_TRUE((*limiter)->Allow("a")) << i;
  EXPECT_FALSE((*limiter)->Allow("a"));
}

// covers: R1.3.10/290
TEST(RateLimiterTest, TrackedSourcesAreBounded) {
  ManualClock clock;
  auto limiter = SourceRateLimiter::Create({1.0, 1.0, 10}, clock);
  ASSERT_TRUE(limiter.ok());
  for (int i = 0; i < 1000; ++i) {
    EXPECT_TRUE((*limiter)->Allow("10.0.0." + std::to_string(i)));
  }
  EXPECT_EQ((*limiter)->tracked_sources(), 10u);
  // A recently seen source keeps its (empty) bucket.
  EXPECT_FALSE((*limiter)->Allow("10.0.0.999"));
}

// covers: R1.3.10/290
TEST(RateLimiterTest, InvalidOptionsAreRefused) {
  ManualClock clock;
  EXPECT_FALSE(SourceRateLimiter::Create({0, 1, 1}, clock).ok());
  EXPECT_FALSE(SourceRateLimiter::Create({1, 0.5, 1}, clock).ok());
  EXPECT_FALSE(SourceRateLimiter::Create({1, 1, 0}, clock).ok());
}

}  // namespace
}  // namespace nfvsm::vbs
