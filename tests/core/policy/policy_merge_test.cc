// MergePolicies, Supersede and Restrict (docs/policy.md, "Combining").
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "nfvsm/policy.h"

namespace nfvsm {
namespace {

using Names = std::set<std::string>;

Policy Zones(Names zones) {
  Policy p;
  p.placement.allowed_zones = std::move(zones);
  return p;
}

SecurityGroupRule Rule(uint16_t port) {
  return {"ingress", "tcp", port, port, "10.0.0.0/8"};
}

// covers: R2.1.50, R1.2.50-80
TEST(MergePoliciesTest, LaterPoliciesOnlyNarrowZones) {
  Policy merged = MergePolicies(
      {Zones({"a", "b", "c"}), Zones({"b", "c", "d"}), Zones({"c", "b"})});
  EXPECT_EQ(merged.placement.allowed_zones, (Names{"b", "c"}));
}

// covers: R2.1.50
TEST(MergePoliciesTest, MasterStandsWhenSubSmWouldLeaveNoZone) {
  Policy master = Zones({"a"});
  Policy sub = Zones({"z"});
  EXPECT_EQ(MergePolicies({master, sub}).placement.allowed_zones, Names{"a"});
  // Order is precedence: with the sub-SM first, its zones stand instead.
  EXPECT_EQ(MergePolicies({sub, master}).placement.allowed_zones, Names{"z"});

  Policy master_wl;
  master_wl.boot.image_whitelist = {"img-1"};
  Policy sub_wl;
  sub_wl.boot.image_whitelist = {"img-2"};
  EXPECT_EQ(MergePolicies({master_wl, sub_wl}).boot.image_whitelist,
            Names{"img-1"});
}

// covers: R2.1.50, R1.2.50-80
TEST(MergePoliciesTest, NoConstraintAdoptsTheLaterConstraint) {
  Policy open;  // no zone constraint
  EXPECT_EQ(MergePolicies({open, Zones({"x"})}).placement.allowed_zones,
            Names{"x"});
  EXPECT_EQ(MergePolicies({Zones({"x"}), open}).placement.allowed_zones,
            Names{"x"});
}

// covers: R2.1.50, R1.2.50-80, SEC024 6.2.2
TEST(MergePoliciesTest, RestrictionsAddUp) {
  Policy a;
  a.id = "master";
  a.placement.denied_hosts = {"h1"};
  a.network.security_group_rules = {Rule(22)};
  a.network.insert_functions = {{"fw", "lb", "web"}};
  a.boot.vnfm_whitelist = {"tacker", "other"};
  a.on_update = EnforcementBehaviour::kExitGracefully;

  Policy b;
  b.id = "sub";
  b.placement.denied_hosts = {"h2"};
  b.placement.hmee_required = true;
  b.placement.anti_affinity_group = "g";
  b.network.security_group_rules = {Rule(22), Rule(443)};
  b.network.insert_functions = {{"ids", "web", "db"}};
  b.boot.vbs_required = true;
  b.boot.vnfm_whitelist = {"tacker"};
  b.on_update = EnforcementBehaviour::kBlockAllTraffic;

  Policy c;
  c.on_update = EnforcementBehaviour::kAbandonImmediately;

  Policy merged = MergePolicies({a, b, c});
  EXPECT_EQ(merged.id, "master");
  EXPECT_EQ(merged.placement.denied_hosts, (Names{"h1", "h2"}));
  EXPECT_TRUE(merged.placement.hmee_required);
  EXPECT_EQ(merged.placement.anti_affinity_group, "g");
  EXPECT_EQ(merged.network.security_group_rules,
            (std::vector<SecurityGroupRule>{Rule(22), Rule(443)}));
  ASSERT_EQ(merged.network.insert_functions.size(), 2u);
  EXPECT_EQ(merged.network.insert_functions[1].vsf_vnfd_id, "ids");
  EXPECT_TRUE(merged.boot.vbs_required);
  EXPECT_EQ(merged.boot.vnfm_whitelist, Names{"tacker"});
  EXPECT_EQ(merged.on_update, EnforcementBehaviour::kBlockAllTraffic);
  EXPECT_TRUE(ValidatePolicy(merged).ok());
}

// covers: R2.1.50
TEST(MergePoliciesTest, EmptyAndSingleInputs) {
  EXPECT_EQ(MergePolicies({}), Policy{});
  Policy only = Zones({"a"});
  only.placement.hmee_required = true;
  EXPECT_EQ(MergePolicies({only}), only);
}

// covers: SEC024 6.2.2
TEST(MergePoliciesTest, MostDisruptiveBehaviourWinsWhateverTheOrder) {
  const std::vector<EnforcementBehaviour> all = {
      EnforcementBehaviour::kContinueUntilNextTrigger,
      EnforcementBehaviour::kExitGracefully,
      EnforcementBehaviour::kAbandonImmediately,
      EnforcementBehaviour::kBlockAllTraffic};
  for (auto x : all) {
    for (auto y : all) {
      Policy px, py;
      px.on_update = x;
      py.on_update = y;
      EXPECT_EQ(MergePolicies({px, py}).on_update, std::max(x, y));
      EXPECT_EQ(MergePolicies({py, px}).on_update, std::max(x, y));
    }
  }
}

// covers: R2.1.40
TEST(SupersedeTest, SmFieldsReplaceManoFieldByField) {
  Policy mano;
  mano.id = "vnfd-web";
  mano.placement.allowed_zones = {"a", "b"};
  mano.placement.denied_hosts = {"h1"};
  mano.placement.anti_affinity_group = "vnfd-group";
  mano.network.security_group_rules = {Rule(80)};
  mano.boot.image_whitelist = {"img-1"};
  mano.on_update = EnforcementBehaviour::kExitGracefully;

  Policy sm;
  sm.placement.allowed_zones = {"z"};  // outside MANO's: still wins
  sm.network.security_group_rules = {Rule(443)};
  sm.boot.vbs_required = true;

  Policy out = Supersede(mano, sm);
  EXPECT_EQ(out.placement.allowed_zones, Names{"z"});
  EXPECT_EQ(out.network.security_group_rules,
            std::vector<SecurityGroupRule>{Rule(443)});
  EXPECT_TRUE(out.boot.vbs_required);
  // Fields the SM left unset keep MANO's values.
  EXPECT_EQ(out.id, "vnfd-web");
  EXPECT_EQ(out.placement.denied_hosts, Names{"h1"});
  EXPECT_EQ(out.placement.anti_affinity_group, "vnfd-group");
  EXPECT_EQ(out.boot.image_whitelist, Names{"img-1"});
  EXPECT_EQ(out.on_update, EnforcementBehaviour::kExitGracefully);
}

// covers: R2.1.40
TEST(SupersedeTest, UnsetFlagsNeverClearManoRequirements) {
  Policy mano;
  mano.placement.hmee_required = true;
  mano.boot.vbs_required = true;
  Policy out = Supersede(mano, Policy{});
  EXPECT_EQ(out, mano);

  Policy sm;
  sm.on_update = EnforcementBehaviour::kAbandonImmediately;
  sm.placement.denied_hosts = {"h9"};
  out = Supersede(mano, sm);
  EXPECT_EQ(out.on_update, EnforcementBehaviour::kAbandonImmediately);
  EXPECT_EQ(out.placement.denied_hosts, Names{"h9"});
  EXPECT_TRUE(out.placement.hmee_required);
}

// covers: R2.1.30
TEST(RestrictTest, SemiActivePolicyCannotWiden) {
  struct Case {
    Names mano;
    Names sm;
    Names want;
  };
  const std::vector<Case> cases = {
      {{"a", "b"}, {"b", "c"}, {"b"}},
      {{"a", "b"}, {"c"}, {"a", "b"}},  // disjoint: MANO stands
      {{"a", "b"}, {}, {"a", "b"}},
      {{}, {"c"}, {"c"}},  // MANO had no constraint: SM may add one
      {{}, {}, {}},
  };
  for (const auto& c : cases) {
    Policy out = Restrict(Zones(c.mano), Zones(c.sm));
    EXPECT_EQ(out.placement.allowed_zones, c.want);
    if (!c.mano.empty()) {
      for (const auto& z : out.placement.allowed_zones) {
        EXPECT_TRUE(c.mano.count(z)) << z << " widened MANO's zones";
      }
    }
  }
}

// covers: R2.1.30
TEST(RestrictTest, SemiActivePolicyAddsRequirements) {
  Policy mano;
  mano.id = "vnfd";
  mano.placement.denied_hosts = {"h1"};
  mano.boot.vnfd_whitelist = {"d1", "d2"};
  Policy sm;
  sm.id = "sm";
  sm.placement.denied_hosts = {"h2"};
  sm.placement.hmee_required = true;
  sm.boot.vnfd_whitelist = {"d2"};
  sm.on_update = EnforcementBehaviour::kExitGracefully;

  Policy out = Restrict(mano, sm);
  EXPECT_EQ(out.id, "vnfd");
  EXPECT_EQ(out.placement.denied_hosts, (Names{"h1", "h2"}));
  EXPECT_TRUE(out.placement.hmee_required);
  EXPECT_EQ(out.boot.vnfd_whitelist, Names{"d2"});
  EXPECT_EQ(out.on_update, EnforcementBehaviour::kExitGracefully);

  // A Semi-Active SM cannot lower the enforcement behaviour either.
  mano.on_update = EnforcementBehaviour::kBlockAllTraffic;
  EXPECT_EQ(Restrict(mano, sm).on_update,
            EnforcementBehaviour::kBlockAllTraffic);
}

// The worked example of docs/policy.md, "Combining policies".
// covers: R2.1.40, R2.1.30, R2.1.50, SEC024 6.2.2
TEST(CombiningExampleTest, MatchesTheDocumentation) {
  auto parse = [](std::string_view json) {
    auto p = ParsePolicyJson(json);
    EXPECT_TRUE(p.ok()) << p.status().ToString();
    return p.ok() ? *p : Policy{};
  };
  Policy mano = parse(
      R"({"placement":{"allowed_zones":["az-1","az-2","az-3"],)"
      R"("denied_hosts":["h1"]},"boot":{"image_whitelist":["img-1","img-2"]},)"
      R"("version":1})");
  Policy master = parse(R"({"placement":{"allowed_zones":["az-1","az-2"]},)"
                        R"("on_update":"exit_gracefully","version":1})");
  Policy sub = parse(
      R"({"placement":{"allowed_zones":["az-3"],"denied_hosts":["h2"],)"
      R"("hmee_required":true},"on_update":"block_all_traffic","version":1})");

  Policy merged = MergePolicies({master, sub});
  EXPECT_EQ(merged.placement.allowed_zones, (Names{"az-1", "az-2"}));
  EXPECT_EQ(merged.placement.denied_hosts, Names{"h2"});
  EXPECT_TRUE(merged.placement.hmee_required);
  EXPECT_EQ(merged.on_update, EnforcementBehaviour::kBlockAllTraffic);

  Policy fully = Supersede(mano, merged);
  EXPECT_EQ(fully.placement.allowed_zones, (Names{"az-1", "az-2"}));
  EXPECT_EQ(fully.placement.denied_hosts, Names{"h2"});
  EXPECT_TRUE(fully.placement.hmee_required);
  EXPECT_EQ(fully.boot.image_whitelist, (Names{"img-1", "img-2"}));
  EXPECT_EQ(fully.on_update, EnforcementBehaviour::kBlockAllTraffic);

  Policy semi = Restrict(Supersede(mano, master), sub);
  EXPECT_EQ(semi.placement.allowed_zones, (Names{"az-1", "az-2"}));
  EXPECT_EQ(semi.placement.denied_hosts, (Names{"h1", "h2"}));
  EXPECT_TRUE(semi.placement.hmee_required);
  EXPECT_EQ(semi.on_update, EnforcementBehaviour::kBlockAllTraffic);
}

}  // namespace
}  // namespace nfvsm
