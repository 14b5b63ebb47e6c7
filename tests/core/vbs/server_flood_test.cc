// A flood of M1s costs bounded memory, and an honest agent still gets
// through afterwards.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>

#include "core/vbs/vbs_test_support.h"

namespace nfvsm::vbs {
namespace {

using testing::kPlatformA;
using testing::Must;
using testing::VbsWorld;

constexpr int kFloodMessages = 100'000;

ServerOptions FloodOptions() {
  ServerOptions o = VbsWorld::DefaultOptions();
  o.max_half_open_sessions = 1'000;
  o.max_half_open_per_platform = 64;
  o.remembered_nonces = 2'000;
  return o;
}

// 100,000 M1s, spread over 50 platforms, all well-formed and for a
// registered VNF (the costliest kind: each one is answered with a signed
// M2). Half-open sessions and remembered nonces stay within their bounds.
// covers: VBS-M1, VBS-M2, R1.3.10/290
TEST(FloodTest, HundredThousandM1sKeepMemoryBounded) {
  VbsWorld w(FloodOptions());
  w.RegisterVnf("vnf-1");
  std::vector<std::string> platforms;
  for (int i = 0; i < 50; ++i) {
    platforms.push_back("flood-" + std::to_string(i));
    w.AddPlatform(platforms.back());
  }
  // Nonces from a counter: the flood needs distinct N1s, not random ones.
  std::string n1(kNonceBytes, '\0');
  size_t max_seen = 0;
  for (int i = 0; i < kFloodMessages; ++i) {
    std::memcpy(n1.data(), &i, sizeof(i));
    const std::string m1 =
        Encode(StartMessage{n1, "vnf-1", platforms[i % platforms.size()]});
    ASSERT_TRUE(w.server_->HandleStart(m1, {"203.0.113.66:1"}).ok()) << i;
    if (i % 1000 == 0) {
      max_seen = std::max(max_seen, w.server_->Stats().half_open_sessions);
    }
  }
  ServerStats stats = w.server_->Stats();
  EXPECT_LE(stats.half_open_sessions, 1'000u);
  EXPECT_LE(max_seen, 1'000u);
  EXPECT_EQ(stats.sessions_started, static_cast<uint64_t>(kFloodMessages));
  EXPECT_GE(stats.sessions_evicted,
            static_cast<uint64_t>(kFloodMessages) - 1'000u);
  // Nothing was audited per message.
  EXPECT_TRUE(w.DomainAudit().empty());

  // An honest agent still bootstraps after the flood.
  EXPECT_TRUE(w.Bootstrap(w.Params("vnf-1", kPlatformA)).ok());
}

// One platform flooded: bounded by the per-platform limit; other platforms'
// sessions survive.
// covers: VBS-M2
TEST(FloodTest, FloodOfOnePlatformDoesNotEvictOthers) {
  VbsWorld w(FloodOptions());
  w.RegisterVnf("vnf-1");
  testing::ManualHandshake victim;
  victim.platform_id = testing::kPlatformB;
  std::string m2 = Must(w.server_->HandleStart(victim.M1(), {"v"}));
  std::string n1(kNonceBytes, '\0');
  for (int i = 0; i < 5'000; ++i) {
    std::memcpy(n1.data(), &i, sizeof(i));
    ASSERT_TRUE(
        w.server_
            ->HandleStart(Encode(StartMessage{n1, "vnf-1", kPlatformA}), {"a"})
            .ok());
  }
  EXPECT_EQ(w.server_->Stats().half_open_sessions, 65u);  // 64 + victim
  EXPECT_TRUE(w.server_
                  ->HandleRegister(
                      Encode(victim.M3(m2, w.hmee(testing::kPlatformB))), {"v"})
                  .ok());
}

}  // namespace
}  // namespace nfvsm::vbs
