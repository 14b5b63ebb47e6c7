// ValidatePolicy: the value rules, applied to policies built in code (as
// the wire codec builds them from protobuf).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "nfvsm/policy.h"

namespace nfvsm {
namespace {

struct CidrCase {
  std::string cidr;
  bool valid;
};

class CidrTest : public testing::TestWithParam<CidrCase> {};

// covers: SEC024 6.2.1, R1.2.50-80
TEST_P(CidrTest, AcceptsOnlyWellFormedCidrs) {
  Policy p;
  p.network.security_group_rules = {
      {"ingress", "tcp", 22, 22, GetParam().cidr}};
  Status s = ValidatePolicy(p);
  EXPECT_EQ(s.ok(), GetParam().valid) << GetParam().cidr << " " << s.ToString();
  if (!s.ok()) {
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(
        s.message().rfind("network.security_group_rules[0].remote_cidr: ", 0),
        0u)
        << s.message();
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, CidrTest,
    testing::Values(
        CidrCase{"10.0.0.0/8", true}, CidrCase{"0.0.0.0/0", true},
        CidrCase{"192.168.1.7/32", true}, CidrCase{"::/0", true},
        CidrCase{"2001:db8::/32", true}, CidrCase{"fe80::1/128", true},
        CidrCase{"::ffff:10.0.0.1/128", true}, CidrCase{"10.0.0.0", false},
        CidrCase{"", false}, CidrCase{"10.0.0.0/33", false},
        CidrCase{"10.0.0/8", false}, CidrCase{"256.0.0.0/8", false},
        CidrCase{"10.0.0.0/-1", false}, CidrCase{"10.0.0.0/", false},
        CidrCase{"/8", false}, CidrCase{"2001:db8::/129", false},
        CidrCase{"10.0.0.0/8/8", false}, CidrCase{"10.0.0.0/ 8", false},
        CidrCase{"10.0.0.0/+8", false}, CidrCase{"10.0.0.0/1000", false},
        CidrCase{"a::g/64", false}, CidrCase{"host.example/24", false},
        CidrCase{std::string("10.0.0.0\0/8", 11), false}));

struct StructCase {
  std::string name;
  std::function<void(Policy&)> mutate;
  std::string message;  // exact
};

class ValidatePolicyRejectTest : public testing::TestWithParam<StructCase> {};

// covers: SEC024 6.2.1, R2.1.310
TEST_P(ValidatePolicyRejectTest, RejectsWithThePath) {
  Policy p;
  GetParam().mutate(p);
  Status s = ValidatePolicy(p);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, ValidatePolicyRejectTest,
    testing::Values(
        StructCase{"Version", [](Policy& p) { p.version = 7; },
                   "version: unsupported policy version 7 (this build reads "
                   "1)"},
        StructCase{"EmptyZone",
                   [](Policy& p) {
                     p.placement.allowed_zones = {"", "a"};
                   },
                   "placement.allowed_zones[0]: expected a non-empty string"},
        StructCase{"LongHost",
                   [](Policy& p) {
                     p.placement.denied_hosts = {std::string(300, 'h')};
                   },
                   "placement.denied_hosts[0]: 300 bytes is longer than the "
                   "limit of 255"},
        StructCase{"InvalidUtf8Id", [](Policy& p) { p.id = "caf\xc3"; },
                   "id: is not valid UTF-8"},
        StructCase{"NulInGroup",
                   [](Policy& p) {
                     p.placement.anti_affinity_group = std::string("a\0b", 3);
                   },
                   "placement.anti_affinity_group: contains a control "
                   "character"},
        StructCase{"Direction",
                   [](Policy& p) {
                     p.network.security_group_rules = {
                         {"both", "tcp", 1, 2, "0.0.0.0/0"}};
                   },
                   "network.security_group_rules[0].direction: expected one "
                   "of ingress, egress"},
        StructCase{"Ports",
                   [](Policy& p) {
                     p.network.security_group_rules = {
                         {"ingress", "udp", 10, 2, "0.0.0.0/0"}};
                   },
                   "network.security_group_rules[0].port_min: 10 is greater "
                   "than port_max 2"},
        StructCase{"FunctionAfter",
                   [](Policy& p) {
                     p.network.insert_functions = {{"fw", "", "b"}};
                   },
                   "network.insert_functions[0].after: expected a non-empty "
                   "string"},
        StructCase{
            "TooManyRules",
            [](Policy& p) { p.network.security_group_rules.resize(1025); },
            "network.security_group_rules: 1025 entries is more than "
            "the limit of 1024"},
        StructCase{"TooManyWhitelisted",
                   [](Policy& p) {
                     for (int i = 0; i < 1025; ++i) {
                       p.boot.em_whitelist.insert("em-" + std::to_string(i));
                     }
                   },
                   "boot.em_whitelist: 1025 entries is more than the limit "
                   "of 1024"},
        StructCase{"OnUpdateOutOfRange",
                   [](Policy& p) {
                     p.on_update = static_cast<EnforcementBehaviour>(9);
                   },
                   "on_update: unknown enforcement behaviour"}),
    [](const auto& info) { return info.param.name; });

// covers: SEC024 6.2.1
TEST(ValidatePolicyTest, AcceptsTheDefaultAndLimits) {
  EXPECT_TRUE(ValidatePolicy(Policy{}).ok());
  Policy p;
  p.id = std::string(255, 'i');
  p.network.security_group_rules.assign(
      1024, SecurityGroupRule{"egress", "icmp", 0, 65535, "::/0"});
  for (int i = 0; i < 1024; ++i) {
    p.placement.allowed_zones.insert("az-" + std::to_string(i));
  }
  p.placement.anti_affinity_group = "gr\xc3\xbcn";  // UTF-8 is fine
  Status s = ValidatePolicy(p);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// covers: SEC024 6.2.1
TEST(ValidatePolicyTest, SerializedInvalidPolicyIsRejectedOnRead) {
  Policy p;
  p.id = "bad\xff";
  std::string json = PolicyToJson(p);  // must not throw
  EXPECT_FALSE(json.empty());
  EXPECT_FALSE(ValidatePolicy(p).ok());
  // The malformed byte became U+FFFD: readable, but not the same policy.
  auto back = ParsePolicyJson(json);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->id, "bad\xef\xbf\xbd");
}

}  // namespace
}  // namespace nfvsm
