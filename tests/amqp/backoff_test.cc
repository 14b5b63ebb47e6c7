// BackoffPolicy: capped exponential delays with jitter, never zero.
#include "nfvsm/amqp/backoff.h"

#include <gtest/gtest.h>

#include <chrono>
#include <random>

namespace nfvsm::amqp {
namespace {

using std::chrono::milliseconds;
using std::chrono::seconds;

// covers: R1.3.10/290
TEST(BackoffTest, DoublesUpToTheCapWithoutJitter) {
  BackoffPolicy p;
  p.initial = seconds(1);
  p.max = seconds(30);
  p.jitter = 0;
  ASSERT_TRUE(p.Validate().ok());
  std::mt19937_64 rng(1);
  const seconds want[] = {seconds(1),  seconds(2),  seconds(4), seconds(8),
                          seconds(16), seconds(30), seconds(30)};
  for (uint32_t i = 0; i < std::size(want); ++i) {
    EXPECT_EQ(p.Delay(i, rng), Duration(want[i])) << "attempt " << i;
  }
  EXPECT_EQ(p.Delay(100000, rng), Duration(seconds(30)));
}

// covers: R1.3.10/290
TEST(BackoffTest, JitterSpreadsWithinBoundsAndCap) {
  BackoffPolicy p;
  p.initial = seconds(1);
  p.max = seconds(10);
  p.jitter = 0.2;
  std::mt19937_64 rng(42);
  Duration lowest = Duration::max();
  Duration highest = Duration::min();
  for (int i = 0; i < 2000; ++i) {
    const Duration d = p.Delay(2, rng);  // base 4 s
    EXPECT_GE(d, Duration(milliseconds(3200)));
    EXPECT_LE(d, Duration(milliseconds(4800)));
    lowest = std::min(lowest, d);
    highest = std::max(highest, d);
    EXPECT_LE(p.Delay(10, rng), Duration(seconds(10)));  // cut at max
  }
  // Clients that fail together must not retry together.
  EXPECT_LT(lowest, Duration(milliseconds(3500)));
  EXPECT_GT(highest, Duration(milliseconds(4500)));
}

// covers: R1.3.10/290
TEST(BackoffTest, NeverZeroSoNoBusyLoop) {
  BackoffPolicy p;
  p.initial = Duration(1);  // 1 us
  p.max = Duration(1);
  p.multiplier = 1;
  p.jitter = 0.9;
  ASSERT_TRUE(p.Validate().ok());
  std::mt19937_64 rng(7);
  for (int i = 0; i < 100; ++i) {
    EXPECT_GE(p.Delay(static_cast<uint32_t>(i), rng),
              Duration(milliseconds(1)));
  }
}

// covers: R1.3.10/290
TEST(BackoffTest, ValidateRefusesBadPolicies) {
  auto bad = [](auto mutate) {
    BackoffPolicy p;
    mutate(p);
    return p.Validate().code();
  };
  EXPECT_EQ(bad([](BackoffPolicy& p) { p.initial = Duration(0); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](BackoffPolicy& p) { p.max = milliseconds(10); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](BackoffPolicy& p) { p.multiplier = 0.5; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](BackoffPolicy& p) { p.jitter = 1.0; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](BackoffPolicy& p) { p.jitter = -0.1; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](BackoffPolicy&) {}), StatusCode::kOk);
}

}  // namespace
}  // namespace nfvsm::amqp
