// Route and AuthorityOver answer from per-domain plans rebuilt on writes.
// This test drives random sequences of writes and, after each, compares
// every answer with a direct computation from the live bindings and the
// hierarchy (BindingsOn, MastersOf): a plan that a write forgot to rebuild
// shows up as a difference.
#include <gtest/gtest.h>

#include <map>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "core/domain/domain_test_util.h"
#include "nfvsm/domain_registry.h"

namespace nfvsm {
namespace {

using testing::Domain;

const std::vector<DomainId> kDomains = {"d0", "d1", "d2"};
const std::vector<SmId> kSms = {"s0", "s1", "s2", "s3", "s4", "s5"};

// The documented semantics, computed the slow way.
std::vector<Delivery> ExpectedRoute(const BindingTable& t, const DomainId& d,
                                    EventKind kind) {
  std::map<SmId, Delivery> out;
  const auto bound = t.BindingsOn(d);
  auto bound_here = [&](const SmId& sm) {
    for (const auto& b : bound) {
      if (b.sm == sm) return true;
    }
    return false;
  };
  for (const auto& b : bound) {
    if (b.hidden_events.Contains(kind)) continue;
    out[b.sm] = Delivery{b.sm, b.mode, false};
  }
  for (const auto& b : bound) {
    if (b.hidden_events.Contains(kind)) continue;
    for (const SmId& m : t.MastersOf(b.sm)) {
      if (!bound_here(m)) out.emplace(m, Delivery{m, Mode::kPassive, true});
    }
  }
  std::vector<Delivery> v;
  for (auto& [id, del] : out) v.push_back(del);
  return v;
}

std::optional<Authority> ExpectedAuthority(const BindingTable& t,
                                           const SmId& sm, const DomainId& d) {
  if (!t.GetSm(sm)) return std::nullopt;
  if (auto b = t.GetBinding(sm, d)) {
    return Authority{sm, d, b->mode, b->allowed_instructions, std::nullopt};
  }
  for (const auto& b : t.BindingsOn(d)) {  // in SM id order
    if (t.IsMasterOf(sm, b.sm)) {
      return Authority{sm, d, Mode::kFullyActive, AllInstructionKinds(), b.sm};
    }
  }
  return std::nullopt;
}

void ExpectSameAuthority(const std::optional<Authority>& got,
                         const std::optional<Authority>& want) {
  ASSERT_EQ(got.has_value(), want.has_value());
  if (!got) return;
  EXPECT_EQ(got->sm, want->sm);
  EXPECT_EQ(got->domain, want->domain);
  EXPECT_EQ(got->mode, want->mode);
  EXPECT_EQ(got->allowed, want->allowed);
  EXPECT_EQ(got->via_sub_sm, want->via_sub_sm);
}

// covers: R2.1.50, R2.1.80, R2.1.90, R2.1.200, R2.1.130/140
TEST(RouteModelTest, PlansMatchTheLiveTableAfterEveryWrite) {
  for (uint64_t seed = 1; seed <= 20; ++seed) {
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937_64 rng(seed);
    auto pick = [&rng](const auto& v) { return v[rng() % v.size()]; };
    BindingTable t;
    for (const auto& d : kDomains) NFVSM_ASSERT_OK(t.PutDomain(Domain(d)));
    for (const auto& sm : kSms) NFVSM_ASSERT_OK(t.PutSm(testing::Sm(sm)));
    for (int step = 0; step < 200; ++step) {
      switch (rng() % 4) {
        case 0: {  // re-parent (cycles are refused, which is fine)
          const SmId sm = pick(kSms);
          std::optional<SmId> master;
          if (rng() % 3 != 0) master = pick(kSms);
          (void)t.PutSm(testing::Sm(sm, master));
          break;
        }
        case 1:
        case 2: {
          Binding b = testing::Bind(pick(kSms), pick(kDomains),
                                    static_cast<Mode>(rng() % 3));
          b.hidden_events = EventKindSet::FromBits(rng() % 16);
          b.allowed_instructions = InstructionKindSet::FromBits(rng() % 256);
          NFVSM_ASSERT_OK(t.PutBinding(b));
          break;
        }
        case 3:
          (void)t.RemoveBinding(pick(kSms), pick(kDomains));
          break;
      }
      for (const auto& d : kDomains) {
        for (uint32_t k = 0; k < 4; ++k) {
          const auto kind = static_cast<EventKind>(k);
          ASSERT_EQ(t.Route(d, kind), ExpectedRoute(t, d, kind))
              << "step " << step << " domain " << d << " kind "
              << ToString(kind);
        }
        for (const auto& sm : kSms) {
          SCOPED_TRACE("step " + std::to_string(step) + " " + sm + "@" + d);
          ExpectSameAuthority(t.AuthorityOver(sm, d),
                              ExpectedAuthority(t, sm, d));
        }
      }
    }
  }
}

}  // namespace
}  // namespace nfvsm
