// nfvsm::Policy <-> nfvsm.v1.Policy.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/wire/samples.h"
#include "nfvsm/v1/policy.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

using samples::SamplePolicy;

// covers: R2.1.310, R1.2.50-80, SEC024 6.2.2
TEST(PolicyCodecTest, RoundTripsEveryField) {
  v1::Policy proto;
  ASSERT_TRUE(ToProto(SamplePolicy(), &proto).ok());
  EXPECT_EQ(proto.version(), 1u);
  EXPECT_EQ(proto.network().security_group_rules(1).direction(),
            v1::TRAFFIC_DIRECTION_EGRESS);
  EXPECT_EQ(proto.network().security_group_rules(3).protocol(),
            v1::IP_PROTOCOL_ANY);
  EXPECT_EQ(proto.on_update(), v1::ENFORCEMENT_BEHAVIOUR_BLOCK_ALL_TRAFFIC);
  auto back = FromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, SamplePolicy());

  // Through bytes as well, as an SM in another language would see it.
  std::string bytes = proto.SerializeAsString();
  v1::Policy reparsed;
  ASSERT_TRUE(reparsed.ParseFromString(bytes));
  auto again = FromProto(reparsed);
  ASSERT_TRUE(again.ok());
  EXPECT_EQ(*again, SamplePolicy());
}

// covers: R2.1.310
TEST(PolicyCodecTest, DefaultPolicyRoundTrips) {
  v1::Policy proto;
  ASSERT_TRUE(ToProto(Policy{}, &proto).ok());
  auto back = FromProto(proto);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, Policy{});
}

// covers: SEC024 6.2.1
TEST(PolicyCodecTest, EncodingRefusesAnInvalidPolicy) {
  Policy p;
  p.placement.allowed_zones = {""};
  v1::Policy proto;
  Status s = ToProto(p, &proto);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message(),
            "placement.allowed_zones[0]: expected a non-empty string");
}

struct BadProto {
  std::string name;
  std::function<void(v1::Policy&)> mutate;
  std::string message;
};

class PolicyCodecRejectTest : public ::testing::TestWithParam<BadProto> {};

// covers: SEC024 6.2.1, R2.1.310
TEST_P(PolicyCodecRejectTest, NamesTheField) {
  v1::Policy proto;
  ASSERT_TRUE(ToProto(SamplePolicy(), &proto).ok());
  GetParam().mutate(proto);
  auto back = FromProto(proto);
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(back.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, PolicyCodecRejectTest,
    ::testing::Values(
        BadProto{"VersionZero", [](v1::Policy& p) { p.set_version(0); },
                 "version: unsupported policy version 0 (this build reads 1)"},
        BadProto{"VersionTwo", [](v1::Policy& p) { p.set_version(2); },
                 "version: unsupported policy version 2 (this build reads 1)"},
        BadProto{"DuplicateZone",
                 [](v1::Policy& p) {
                   p.mutable_placement()->add_allowed_zones("az-1");
                 },
                 "placement.allowed_zones[2]: duplicate entry"},
        BadProto{
            "EmptyHost",
            [](v1::Policy& p) { p.mutable_placement()->add_denied_hosts(""); },
            "placement.denied_hosts[0]: expected a non-empty string"},
        BadProto{"PortOutOfRange",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_security_group_rules(0)
                       ->set_port_max(70000);
                 },
                 "network.security_group_rules[0].port_max: 70000 is out of "
                 "range 0..65535"},
        BadProto{"PortsReversed",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_security_group_rules(1)
                       ->set_port_min(60);
                 },
                 "network.security_group_rules[1].port_min: 60 is greater "
                 "than port_max 53"},
        BadProto{"DirectionUnspecified",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_security_group_rules(0)
                       ->set_direction(v1::TRAFFIC_DIRECTION_UNSPECIFIED);
                 },
                 "network.security_group_rules[0].direction: unspecified"},
        BadProto{"ProtocolUnknownNumber",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_security_group_rules(0)
                       ->set_protocol(static_cast<v1::IpProtocol>(99));
                 },
                 "network.security_group_rules[0].protocol: unknown value 99"},
        BadProto{"BadCidr",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_security_group_rules(0)
                       ->set_remote_cidr("10.0.0.0/40");
                 },
                 "network.security_group_rules[0].remote_cidr: prefix length "
                 "must be 0..32"},
        BadProto{"FunctionWithoutVsf",
                 [](v1::Policy& p) {
                   p.mutable_network()
                       ->mutable_insert_functions(0)
                       ->clear_vsf_vnfd_id();
                 },
                 "network.insert_functions[0].vsf_vnfd_id: expected a "
                 "non-empty string"},
        BadProto{"TooManyRules",
                 [](v1::Policy& p) {
                   for (int i = 0; i < 1024; ++i) {
                     *p.mutable_network()->add_security_group_rules() =
                         p.network().security_group_rules(0);
                   }
                 },
                 "network.security_group_rules: 1028 entries is more than the "
                 "limit of 1024"},
        BadProto{"OnUpdateUnknown",
                 [](v1::Policy& p) {
                   p.set_on_update(static_cast<v1::EnforcementBehaviour>(5));
                 },
                 "on_update: unknown value 5"},
        BadProto{"LongId",
                 [](v1::Policy& p) { p.set_id(std::string(256, 'i')); },
                 "id: 256 bytes is longer than the limit of 255"}),
    [](const auto& info) { return info.param.name; });

// covers: SEC024 6.2.2
TEST(PolicyCodecTest, UnspecifiedBehaviourMeansTheDefault) {
  v1::Policy proto;
  proto.set_version(1);
  auto back = FromProto(proto);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->on_update, EnforcementBehaviour::kContinueUntilNextTrigger);
}

}  // namespace
}  // namespace nfvsm::wire
