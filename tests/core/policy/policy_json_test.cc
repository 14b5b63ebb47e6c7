// ParsePolicyJson / PolicyToJson: the policy's JSON form.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nfvsm/policy.h"

namespace nfvsm {
namespace {

constexpr std::string_view kFullPolicy = R"({
  "version": 1,
  "id": "sm-a/web-tier",
  "placement": {
    "allowed_zones": ["az-2", "az-1"],
    "denied_hosts": ["compute-7"],
    "hmee_required": true,
    "anti_affinity_group": "web"
  },
  "network": {
    "security_group_rules": [
      {"direction": "ingress", "protocol": "tcp", "port_min": 443,
       "port_max": 443, "remote_cidr": "10.0.0.0/8"},
      {"direction": "egress", "protocol": "udp", "port_min": 53,
       "port_max": 53, "remote_cidr": "2001:db8::/32"}
    ],
    "insert_functions": [
      {"vsf_vnfd_id": "vnfd-ids", "after": "vnf-lb", "before": "vnf-web"}
    ]
  },
  "boot": {
    "vbs_required": true,
    "vnf_whitelist": ["vnf-web"],
    "vnfd_whitelist": ["vnfd-web"],
    "image_whitelist": ["img-1"],
    "vnfm_whitelist": ["tacker"],
    "em_whitelist": ["em-1"]
  },
  "on_update": "exit_gracefully"
})";

Policy ExpectedFullPolicy() {
  Policy p;
  p.id = "sm-a/web-tier";
  p.placement.allowed_zones = {"az-1", "az-2"};
  p.placement.denied_hosts = {"compute-7"};
  p.placement.hmee_required = true;
  p.placement.anti_affinity_group = "web";
  p.network.security_group_rules = {{"ingress", "tcp", 443, 443, "10.0.0.0/8"},
                                    {"egress", "udp", 53, 53, "2001:db8::/32"}};
  p.network.insert_functions = {{"vnfd-ids", "vnf-lb", "vnf-web"}};
  p.boot.vbs_required = true;
  p.boot.vnf_whitelist = {"vnf-web"};
  p.boot.vnfd_whitelist = {"vnfd-web"};
  p.boot.image_whitelist = {"img-1"};
  p.boot.vnfm_whitelist = {"tacker"};
  p.boot.em_whitelist = {"em-1"};
  p.on_update = EnforcementBehaviour::kExitGracefully;
  return p;
}

// covers: R2.1.310, R1.2.50-80, SEC024 6.2.2
TEST(PolicyJsonTest, ParsesEverySection) {
  auto parsed = ParsePolicyJson(kFullPolicy);
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, ExpectedFullPolicy());
}

// covers: R2.1.310
TEST(PolicyJsonTest, SectionsAreOptional) {
  auto parsed = ParsePolicyJson(R"({"version": 1})");
  ASSERT_TRUE(parsed.ok()) << parsed.status().ToString();
  EXPECT_EQ(*parsed, Policy{});

  auto rule_defaults = ParsePolicyJson(
      R"({"version":1,"network":{"security_group_rules":[
          {"direction":"egress","protocol":"any"}]}})");
  ASSERT_TRUE(rule_defaults.ok()) << rule_defaults.status().ToString();
  ASSERT_EQ(rule_defaults->network.security_group_rules.size(), 1u);
  const auto& rule = rule_defaults->network.security_group_rules[0];
  EXPECT_EQ(rule.port_min, 0);
  EXPECT_EQ(rule.port_max, 0);
  EXPECT_EQ(rule.remote_cidr, "0.0.0.0/0");
}

// covers: SEC024 6.2.1
TEST(PolicyJsonTest, CanonicalFormRoundTripsAndIsOrderIndependent) {
  auto parsed = ParsePolicyJson(kFullPolicy);
  ASSERT_TRUE(parsed.ok());
  std::string canonical = PolicyToJson(*parsed);
  EXPECT_EQ(canonical.find_first_of(" \n\t"), std::string::npos) << canonical;
  // Keys sorted: "boot" < "id" < "network" < "on_update" < "placement".
  EXPECT_LT(canonical.find("\"boot\""), canonical.find("\"id\""));
  EXPECT_LT(canonical.find("\"network\""), canonical.find("\"placement\""));

  auto again = ParsePolicyJson(canonical);
  ASSERT_TRUE(again.ok()) << again.status().ToString();
  EXPECT_EQ(*again, *parsed);
  EXPECT_EQ(PolicyToJson(*again), canonical);

  auto reordered = ParsePolicyJson(
      R"({"placement":{"allowed_zones":["b","a"]},"version":1})");
  auto sorted = ParsePolicyJson(
      R"({"version":1,"placement":{"allowed_zones":["a","b"]}})");
  ASSERT_TRUE(reordered.ok() && sorted.ok());
  EXPECT_EQ(PolicyToJson(*reordered), PolicyToJson(*sorted));
  EXPECT_EQ(PolicyToJson(*sorted),
            R"({"placement":{"allowed_zones":["a","b"]},"version":1})");
}

// covers: SEC024 6.2.1
TEST(PolicyJsonTest, DefaultPolicySerializesToVersionOnly) {
  EXPECT_EQ(PolicyToJson(Policy{}), R"({"version":1})");
}

struct BadJsonCase {
  std::string name;
  std::string json;
  std::string message;  // exact message expected
};

class PolicyJsonRejectTest : public testing::TestWithParam<BadJsonCase> {};

// covers: SEC024 6.2.1, R2.1.310
TEST_P(PolicyJsonRejectTest, NamesTheOffendingPath) {
  auto parsed = ParsePolicyJson(GetParam().json);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PolicyJsonRejectTest,
    testing::Values(
        BadJsonCase{"NotJson", "{version: 1}", "policy: not well-formed JSON"},
        BadJsonCase{"Empty", "", "policy: not well-formed JSON"},
        BadJsonCase{"Truncated", R"({"version": 1, "placement": {)",
                    "policy: not well-formed JSON"},
        BadJsonCase{"TrailingGarbage", R"({"version":1} x)",
                    "policy: not well-formed JSON"},
        BadJsonCase{"Comment", "{\"version\":1 /* c */}",
                    "policy: not well-formed JSON"},
        BadJsonCase{"InvalidUtf8", "{\"version\":1,\"id\":\"\xff\"}",
                    "policy: not well-formed JSON"},
        BadJsonCase{"NotAnObject", "[1]", "policy: expected a JSON object"},
        BadJsonCase{"MissingVersion", R"({"id":"x"})",
                    "version: required field is missing"},
        BadJsonCase{"FutureVersion", R"({"version":2})",
                    "version: unsupported policy version 2 (this build "
                    "reads 1)"},
        BadJsonCase{"VersionZero", R"({"version":0})",
                    "version: unsupported policy version 0 (this build "
                    "reads 1)"},
        BadJsonCase{"VersionString", R"({"version":"1"})",
                    "version: expected an integer"},
        BadJsonCase{"VersionFloat", R"({"version":1.0})",
                    "version: expected an integer"},
        BadJsonCase{"UnknownTopLevel", R"({"version":1,"zones":[]})",
                    "zones: unknown field (expected one of: version, id, "
                    "placement, network, boot, on_update)"},
        BadJsonCase{"UnknownUnprintableKey", "{\"version\":1,\"a\\nb\":1}",
                    "<unprintable>: unknown field (expected one of: version, "
                    "id, placement, network, boot, on_update)"},
        BadJsonCase{"UnknownPlacementKey",
                    R"({"version":1,"placement":{"zones":[]}})",
                    "placement.zones: unknown field (expected one of: "
                    "allowed_zones, denied_hosts, hmee_required, "
                    "anti_affinity_group)"},
        BadJsonCase{"EmptyZone",
                    R"({"version":1,"placement":{"allowed_zones":
                        ["a","b",""]}})",
                    "placement.allowed_zones[2]: expected a non-empty string"},
        BadJsonCase{"NumericZone",
                    R"({"version":1,"placement":{"allowed_zones":[1]}})",
                    "placement.allowed_zones[0]: expected a non-empty string"},
        BadJsonCase{"DuplicateZone",
                    R"({"version":1,"placement":{"allowed_zones":
                        ["a","a"]}})",
                    "placement.allowed_zones[1]: duplicate entry"},
        BadJsonCase{"ZonesNotArray",
                    R"({"version":1,"placement":{"allowed_zones":"a"}})",
                    "placement.allowed_zones: expected a JSON array"},
        BadJsonCase{"HmeeNotBool",
                    R"({"version":1,"placement":{"hmee_required":1}})",
                    "placement.hmee_required: expected true or false"},
        BadJsonCase{"ControlCharInHost",
                    R"({"version":1,"placement":{"denied_hosts":["a\nb"]}})",
                    "placement.denied_hosts[0]: contains a control character"},
        BadJsonCase{"PortTooLarge",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "port_min":1,"port_max":70000}]}})",
                    "network.security_group_rules[0].port_max: 70000 is out "
                    "of range 0..65535"},
        BadJsonCase{"PortNegative",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "port_min":-1}]}})",
                    "network.security_group_rules[0].port_min: -1 is out of "
                    "range 0..65535"},
        BadJsonCase{"PortFloat",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "port_min":1.5}]}})",
                    "network.security_group_rules[0].port_min: expected an "
                    "integer"},
        BadJsonCase{"PortsReversed",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "port_min":90,"port_max":80}]}})",
                    "network.security_group_rules[0].port_min: 90 is greater "
                    "than port_max 80"},
        BadJsonCase{"BadDirection",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"inbound","protocol":"tcp"}]}})",
                    "network.security_group_rules[0].direction: expected one "
                    "of ingress, egress"},
        BadJsonCase{"BadProtocol",
                    R"({"version":1,"network":{"security_group_rules":[
                        {},{"direction":"ingress","protocol":"sctp"}]}})",
                    "network.security_group_rules[0].direction: required "
                    "field is missing"},
        BadJsonCase{"BadProtocolSecond",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"egress","protocol":"any"},
                        {"direction":"ingress","protocol":"sctp"}]}})",
                    "network.security_group_rules[1].protocol: expected one "
                    "of tcp, udp, icmp, any"},
        BadJsonCase{"BadCidr",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "remote_cidr":"10.0.0.0/33"}]}})",
                    "network.security_group_rules[0].remote_cidr: prefix "
                    "length must be 0..32"},
        BadJsonCase{"RuleUnknownKey",
                    R"({"version":1,"network":{"security_group_rules":[
                        {"direction":"ingress","protocol":"tcp",
                         "ethertype":"IPv4"}]}})",
                    "network.security_group_rules[0].ethertype: unknown "
                    "field (expected one of: direction, protocol, port_min, "
                    "port_max, remote_cidr)"},
        BadJsonCase{"FunctionMissingBefore",
                    R"({"version":1,"network":{"insert_functions":[
                        {"vsf_vnfd_id":"fw","after":"a"}]}})",
                    "network.insert_functions[0].before: required field is "
                    "missing"},
        BadJsonCase{"FunctionEmptyId",
                    R"({"version":1,"network":{"insert_functions":[
                        {"vsf_vnfd_id":"","after":"a","before":"b"}]}})",
                    "network.insert_functions[0].vsf_vnfd_id: expected a "
                    "non-empty string"},
        BadJsonCase{"NetworkNotObject", R"({"version":1,"network":[]})",
                    "network: expected a JSON object"},
        BadJsonCase{"BootWhitelistEntry",
                    R"({"version":1,"boot":{"image_whitelist":["i",null]}})",
                    "boot.image_whitelist[1]: expected a non-empty string"},
        BadJsonCase{"BootUnknownKey", R"({"version":1,"boot":{"vbs":true}})",
                    "boot.vbs: unknown field (expected one of: vbs_required, "
                    "vnf_whitelist, vnfd_whitelist, image_whitelist, "
                    "vnfm_whitelist, em_whitelist)"},
        BadJsonCase{"BadOnUpdate", R"({"version":1,"on_update":"reboot"})",
                    "on_update: unknown enforcement behaviour (expected one "
                    "of: continue_until_next_trigger, exit_gracefully, "
                    "abandon_immediately, block_all_traffic)"},
        BadJsonCase{"OnUpdateNotString", R"({"version":1,"on_update":3})",
                    "on_update: expected a string"},
        BadJsonCase{"IdNotString", R"({"version":1,"id":7})",
                    "id: expected a string"},
        BadJsonCase{"DuplicateKey", R"({"version":1,"version":1})",
                    "policy: an object has a duplicate key"},
        BadJsonCase{"NestedDuplicateKey",
                    R"({"version":1,"placement":{"hmee_required":true,
                        "hmee_required":false}})",
                    "policy: an object has a duplicate key"}),
    [](const auto& info) { return info.param.name; });

// covers: SEC024 6.2.1
TEST(PolicyJsonTest, RejectsOverlongStringsAndLists) {
  std::string long_id(256, 'x');
  auto parsed = ParsePolicyJson(R"({"version":1,"id":")" + long_id + "\"}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(),
            "id: 256 bytes is longer than the limit of 255");
  EXPECT_TRUE(
      ParsePolicyJson(R"({"version":1,"id":")" + std::string(255, 'x') + "\"}")
          .ok());

  std::string zones;
  for (int i = 0; i < 1025; ++i) {
    zones += (i ? ",\"z" : "\"z") + std::to_string(i) + "\"";
  }
  parsed = ParsePolicyJson(R"({"version":1,"placement":{"allowed_zones":[)" +
                           zones + "]}}");
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(parsed.status().message(),
            "placement.allowed_zones: 1025 entries is more than the limit of "
            "1024");
}

// covers: SEC024 6.2.1
TEST(PolicyJsonTest, InputOverTheByteLimitIsResourceExhausted) {
  std::string doc = R"({"version":1,"id":"abc"})";
  EXPECT_TRUE(ParsePolicyJson(doc, doc.size()).ok());
  auto parsed = ParsePolicyJson(doc, doc.size() - 1);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().code(), StatusCode::kResourceExhausted);

  std::string huge(kDefaultMaxPolicyBytes + 1, ' ');
  EXPECT_EQ(ParsePolicyJson(huge).status().code(),
            StatusCode::kResourceExhausted);
}

// covers: SEC024 6.2.1
TEST(PolicyJsonTest, DeepNestingIsAnErrorNotACrash) {
  std::string deep = R"({"version":1,"id":)" + std::string(20000, '[') +
                     std::string(20000, ']') + "}";
  auto parsed = ParsePolicyJson(deep);
  ASSERT_FALSE(parsed.ok());
  EXPECT_EQ(parsed.status().message(), "policy: nested deeper than 16 levels");

  // Unbalanced: malformed, whatever the depth.
  EXPECT_EQ(ParsePolicyJson(std::string(30000, '[')).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: SEC024 6.2.2
TEST(PolicyJsonTest, EnforcementBehaviourNamesRoundTrip) {
  const std::vector<std::pair<EnforcementBehaviour, std::string>> names = {
      {EnforcementBehaviour::kContinueUntilNextTrigger,
       "continue_until_next_trigger"},
      {EnforcementBehaviour::kExitGracefully, "exit_gracefully"},
      {EnforcementBehaviour::kAbandonImmediately, "abandon_immediately"},
      {EnforcementBehaviour::kBlockAllTraffic, "block_all_traffic"},
  };
  for (const auto& [behaviour, name] : names) {
    EXPECT_EQ(ToString(behaviour), name);
    auto parsed = ParseEnforcementBehaviour(name);
    ASSERT_TRUE(parsed.ok()) << name;
    EXPECT_EQ(*parsed, behaviour);
    Policy p;
    p.on_update = behaviour;
    auto back = ParsePolicyJson(PolicyToJson(p));
    ASSERT_TRUE(back.ok()) << name;
    EXPECT_EQ(back->on_update, behaviour);
  }
  EXPECT_EQ(ParseEnforcementBehaviour("Exit_Gracefully").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ToString(static_cast<EnforcementBehaviour>(200)), "invalid");
}

}  // namespace
}  // namespace nfvsm
