// VnfInventory: records, indexes and interning.
#include "nfvsm/inventory.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/domain/domain_test_util.h"

namespace nfvsm {
namespace {

VnfRecord Vnf(const VnfId& id, const DomainId& domain,
              const std::string& host = "") {
  VnfRecord v;
  v.id = id;
  v.requestor_id = "oss-" + id;
  v.ns_id = "ns-" + domain;
  v.domain = domain;
  v.package_id = "pkg-1";
  v.vnfd_id = "vnfd-1";
  v.image_id = "img-1";
  v.host = host;
  v.zone = "zone-a";
  v.state = VnfState::kActive;
  v.created_at = FromMicros(1'000);
  v.updated_at = FromMicros(2'000);
  return v;
}

std::vector<VnfId> Ids(const std::vector<VnfRecord>& vs) {
  std::vector<VnfId> out;
  for (const auto& v : vs) out.push_back(v.id);
  return out;
}

// covers: R1.1.10, R2.1.300
TEST(VnfInventoryTest, UpsertThenGetReturnsEveryField) {
  VnfInventory inv;
  VnfRecord v = Vnf("3f1c2a9e-6b1d-4f7e-9a53-0c2d8e7b4a11", "core", "cmp-1");
  v.requestor_id = "oss-bss/app/7781";  // R2.1.300: kept as given
  v.needs_security_policy = true;
  v.state = VnfState::kStopped;
  NFVSM_ASSERT_OK(inv.Upsert(v));
  EXPECT_EQ(inv.Get(v.id), v);
  EXPECT_EQ(inv.DomainOf(v.id), std::optional<DomainId>("core"));
  EXPECT_EQ(inv.size(), 1u);
  EXPECT_FALSE(inv.Get("nope").has_value());
  EXPECT_FALSE(inv.DomainOf("nope").has_value());
}

// covers: R1.1.10
TEST(VnfInventoryTest, UpsertReplacesAndMovesIndexes) {
  VnfInventory inv;
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("v1", "core", "cmp-1")));
  VnfRecord moved = Vnf("v1", "tenant", "cmp-2");
  moved.image_id = "img-2";
  NFVSM_ASSERT_OK(inv.Upsert(moved));
  EXPECT_EQ(inv.size(), 1u);
  EXPECT_EQ(inv.Get("v1"), moved);
  EXPECT_TRUE(inv.InDomain("core").empty());
  EXPECT_EQ(Ids(inv.InDomain("tenant")), std::vector<VnfId>{"v1"});
  EXPECT_TRUE(inv.OnHost("cmp-1").empty());
  EXPECT_EQ(Ids(inv.OnHost("cmp-2")), std::vector<VnfId>{"v1"});
}

// covers: R1.1.10
TEST(VnfInventoryTest, BadInputIsAnErrorValue) {
  VnfInventory inv;
  EXPECT_EQ(inv.Upsert(Vnf("", "core")).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(inv.Upsert(Vnf("v1", "")).code(), StatusCode::kInvalidArgument);
  VnfRecord bad_state = Vnf("v1", "core");
  bad_state.state = static_cast<VnfState>(77);
  EXPECT_EQ(inv.Upsert(bad_state).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(inv.size(), 0u);
  EXPECT_EQ(inv.SetState("v1", VnfState::kActive, FromMicros(1)).code(),
            StatusCode::kNotFound);
  EXPECT_EQ(inv.SetHost("v1", "cmp-1", FromMicros(1)).code(),
            StatusCode::kNotFound);
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("v1", "core")));
  EXPECT_EQ(inv.SetState("v1", static_cast<VnfState>(77), FromMicros(1)).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(inv.Get("v1")->state, VnfState::kActive);
}

// covers: R2.1.270, R2.1.320/330
TEST(VnfInventoryTest, SetHostKeepsTheHostIndexRight) {
  VnfInventory inv;
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("v2", "core", "cmp-1")));
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("v1", "core", "cmp-1")));
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("v3", "core")));  // not placed yet
  EXPECT_EQ(Ids(inv.OnHost("cmp-1")), (std::vector<VnfId>{"v1", "v2"}));
  EXPECT_TRUE(inv.OnHost("").empty()) << "unplaced VNFs are on no host";

  NFVSM_ASSERT_OK(inv.SetHost("v2", "cmp-9", FromMicros(5'000)));
  NFVSM_ASSERT_OK(inv.SetHost("v3", "cmp-9", FromMicros(5'000)));
  EXPECT_EQ(Ids(inv.OnHost("cmp-1")), std::vector<VnfId>{"v1"});
  EXPECT_EQ(Ids(inv.OnHost("cmp-9")), (std::vector<VnfId>{"v2", "v3"}));
  EXPECT_EQ(inv.Get("v2")->host, "cmp-9");
  EXPECT_EQ(inv.Get("v2")->updated_at, FromMicros(5'000));

  NFVSM_ASSERT_OK(inv.SetHost("v1", "", FromMicros(6'000)));
  EXPECT_TRUE(inv.OnHost("cmp-1").empty());
  EXPECT_EQ(inv.Get("v1")->host, "");
}

// covers: R1.1.10, R2.1.350, R2.1.170
TEST(VnfInventoryTest, ListingsExcludeTerminatedUnlessAsked) {
  VnfInventory inv;
  for (const char* id : {"c", "a", "b"}) {
    NFVSM_ASSERT_OK(inv.Upsert(Vnf(id, "core", "cmp-1")));
  }
  NFVSM_ASSERT_OK(inv.Upsert(Vnf("z", "tenant", "cmp-1")));
  NFVSM_ASSERT_OK(inv.SetState("b", VnfState::kTerminated, FromMicros(9)));
  EXPECT_EQ(inv.Get("b")->state, VnfState::kTerminated);
  EXPECT_EQ(inv.Get("b")->updated_at, FromMicros(9));

  EXPECT_EQ(Ids(inv.InDomain("core")), (std::vector<VnfId>{"a", "c"}));
  EXPECT_EQ(Ids(inv.InDomain("core", /*include_terminated=*/true)),
            (std::vector<VnfId>{"a", "b", "c"}));
  EXPECT_EQ(Ids(inv.OnHost("cmp-1")), (std::vector<VnfId>{"a", "c", "z"}));
  EXPECT_EQ(Ids(inv.OnHost("cmp-1", true)),
            (std::vector<VnfId>{"a", "b", "c", "z"}));
  EXPECT_TRUE(inv.InDomain("no-such-domain").empty());
  EXPECT_EQ(inv.size(), 4u) << "terminated records are kept";
}

// covers: R2.1.300
TEST(VnfInventoryTest, InterningNeverMixesUpValues) {
  VnfInventory inv;
  // Values that collide across fields (a host named like a domain, ...)
  // and near-identical strings must all come back exactly as given.
  VnfRecord a = Vnf("a", "x");
  a.host = "x";
  a.zone = "x ";
  a.ns_id = "X";
  a.package_id = "";
  a.requestor_id = "shared-requestor";
  VnfRecord b = Vnf("b", "x ");
  b.host = "X";
  b.zone = "x";
  b.vnfd_id = "x";
  b.image_id = std::string("x\0y", 3);
  b.requestor_id = "shared-requestor";
  NFVSM_ASSERT_OK(inv.Upsert(a));
  NFVSM_ASSERT_OK(inv.Upsert(b));
  EXPECT_EQ(inv.Get("a"), a);
  EXPECT_EQ(inv.Get("b"), b);
  EXPECT_EQ(Ids(inv.InDomain("x")), std::vector<VnfId>{"a"});
  EXPECT_EQ(Ids(inv.InDomain("x ")), std::vector<VnfId>{"b"});
  EXPECT_EQ(Ids(inv.OnHost("x")), std::vector<VnfId>{"a"});
  EXPECT_EQ(Ids(inv.OnHost("X")), std::vector<VnfId>{"b"});
}

// covers: R1.1.10
TEST(VnfInventoryTest, ShortAndLongIdsSurviveGrowth) {
  // Enough records to make the containers grow many times; ids shorter and
  // longer than the small-string buffer must stay findable.
  VnfInventory inv;
  constexpr int kCount = 5000;
  for (int i = 0; i < kCount; ++i) {
    std::string id = i % 2 ? std::to_string(i)
                           : "vnf-instance-with-a-long-id-" + std::to_string(i);
    NFVSM_ASSERT_OK(inv.Upsert(Vnf(id, "d" + std::to_string(i % 7))));
  }
  EXPECT_EQ(inv.size(), static_cast<size_t>(kCount));
  for (int i = 0; i < kCount; ++i) {
    std::string id = i % 2 ? std::to_string(i)
                           : "vnf-instance-with-a-long-id-" + std::to_string(i);
    ASSERT_EQ(inv.DomainOf(id), "d" + std::to_string(i % 7)) << id;
  }
  size_t listed = 0;
  for (int d = 0; d < 7; ++d) {
    listed += inv.InDomain("d" + std::to_string(d)).size();
  }
  EXPECT_EQ(listed, static_cast<size_t>(kCount));
}

}  // namespace
}  // namespace nfvsm
