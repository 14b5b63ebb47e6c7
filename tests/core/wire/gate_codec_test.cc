// Gate requests (MANO -> SM) and gate answers (SM -> MANO).
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/wire/samples.h"
#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

using samples::SampleEvent;
using samples::SampleGateRequest;
using samples::SamplePolicy;

void ExpectSameRequest(const GateRequest& a, const GateRequest& b) {
  EXPECT_EQ(a.id, b.id);
  EXPECT_EQ(a.operation, b.operation);
  EXPECT_EQ(a.vnf_id, b.vnf_id);
  EXPECT_EQ(a.domain, b.domain);
  EXPECT_EQ(a.image_id, b.image_id);
  EXPECT_EQ(a.vnfd_id, b.vnfd_id);
  EXPECT_EQ(a.package_id, b.package_id);
  EXPECT_EQ(a.target_host, b.target_host);
  EXPECT_EQ(a.target_zone, b.target_zone);
  EXPECT_EQ(a.replaces_vnf_id, b.replaces_vnf_id);
  EXPECT_EQ(a.is_recovery, b.is_recovery);
  EXPECT_EQ(a.needs_security_policy, b.needs_security_policy);
  EXPECT_EQ(a.source, b.source);
  EXPECT_EQ(a.reason, b.reason);
  EXPECT_EQ(a.mano_attributes, b.mano_attributes);
  EXPECT_EQ(a.event, b.event);
}

// covers: R2.1.20, R2.1.40, R1.3.30, R1.3.160, R2.1.210
TEST(GateRequestCodecTest, RoundTripsEveryField) {
  TimePoint deadline = FromMicros(1'700'000'030'000'000);
  auto bytes = EncodeGateRequest(SampleGateRequest(), deadline, true);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeGateRequest(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectSameRequest(back->request, SampleGateRequest());
  EXPECT_EQ(back->deadline, deadline);
  EXPECT_TRUE(back->answer_expected);
}

// covers: R2.1.20
TEST(GateRequestCodecTest, PassiveNotificationHasNoDeadlineNorEvent) {
  GateRequest r = SampleGateRequest();
  r.event = LifecycleEvent{};
  auto bytes = EncodeGateRequest(r, std::nullopt, false);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeGateRequest(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_FALSE(back->deadline.has_value());
  EXPECT_FALSE(back->answer_expected);
  EXPECT_EQ(back->request.event, LifecycleEvent{});
}

// covers: R2.1.240, SEC024 6.2.1
TEST(GateRequestCodecTest, DecodeErrorsNameTheField) {
  v1::GateRequest proto;
  ASSERT_TRUE(proto.ParseFromString(
      *EncodeGateRequest(SampleGateRequest(), std::nullopt, true)));

  auto check = [](v1::GateRequest p, const std::string& message) {
    auto back = DecodeGateRequest(p.SerializeAsString());
    ASSERT_FALSE(back.ok());
    EXPECT_EQ(back.status().code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(back.status().message(), message);
  };
  v1::GateRequest p = proto;
  p.clear_gate_id();
  check(p, "gate_id: required");
  p = proto;
  p.clear_operation();
  check(p, "operation: unspecified");
  p = proto;
  p.set_source(static_cast<v1::EventSource>(42));
  check(p, "source: unknown value 42");
  p = proto;
  p.mutable_mano_attributes()->set_version(3);
  check(p,
        "mano_attributes.version: unsupported policy version 3 (this build "
        "reads 1)");
  p = proto;
  p.mutable_event()->clear_vnf_id();
  check(p, "event.vnf_id: required");
  p = proto;
  p.set_target_host(std::string(256, 'h'));
  check(p, "target_host: 256 bytes, at most 255");

  EXPECT_EQ(DecodeGateRequest(proto.SerializeAsString(), 16).status().code(),
            StatusCode::kResourceExhausted);
}

// covers: R2.1.240
TEST(GateRequestCodecTest, EncodeRefusesIncompleteRequests) {
  GateRequest r = SampleGateRequest();
  r.vnf_id.clear();
  EXPECT_EQ(EncodeGateRequest(r, std::nullopt, true).status().message(),
            "vnf_id: required");
  r = SampleGateRequest();
  r.mano_attributes.placement.allowed_zones = {""};
  EXPECT_EQ(EncodeGateRequest(r, std::nullopt, true).status().message(),
            "mano_attributes.placement.allowed_zones[0]: expected a non-empty "
            "string");
}

// covers: R2.1.30, R2.1.40, R2.1.310
TEST(GateAnswerCodecTest, RoundTripsWithPolicy) {
  SmAnswer answer;
  answer.sm = "ignored-on-the-wire";
  answer.verdict = Verdict::kAllow;
  answer.reason = "policy attached";
  answer.policy = SamplePolicy();
  auto bytes = EncodeGateAnswer("gate-1", answer);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeGateAnswer(*bytes, "sm-a");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->gate_id, "gate-1");
  EXPECT_EQ(back->answer.sm, "sm-a");  // from the envelope, not the payload
  EXPECT_EQ(back->answer.verdict, Verdict::kAllow);
  EXPECT_EQ(back->answer.reason, "policy attached");
  ASSERT_TRUE(back->answer.policy.has_value());
  EXPECT_EQ(*back->answer.policy, SamplePolicy());
}

// covers: R2.1.40, R1.3.30
TEST(GateAnswerCodecTest, DenyWithoutPolicy) {
  SmAnswer answer;
  answer.verdict = Verdict::kDeny;
  answer.reason = "image not whitelisted";
  auto back = DecodeGateAnswer(*EncodeGateAnswer("gate-2", answer), "sm-b");
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->answer.verdict, Verdict::kDeny);
  EXPECT_FALSE(back->answer.policy.has_value());
}

struct BadAnswer {
  std::string name;
  std::function<void(v1::GateAnswer&)> mutate;
  StatusCode code;
  std::string message;
};

class GateAnswerRejectTest : public ::testing::TestWithParam<BadAnswer> {};

// covers: R1.3.30, SEC024 6.2.1
TEST_P(GateAnswerRejectTest, NeverAnImplicitAllow) {
  v1::GateAnswer proto;
  proto.set_gate_id("gate-1");
  proto.set_verdict(v1::VERDICT_ALLOW);
  GetParam().mutate(proto);
  auto back = DecodeGateAnswer(proto.SerializeAsString(), "sm-a");
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), GetParam().code);
  EXPECT_EQ(back.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, GateAnswerRejectTest,
    ::testing::Values(
        BadAnswer{"VerdictUnspecified",
                  [](v1::GateAnswer& a) { a.clear_verdict(); },
                  StatusCode::kInvalidArgument, "verdict: unspecified"},
        BadAnswer{"VerdictUnknown",
                  [](v1::GateAnswer& a) {
                    a.set_verdict(static_cast<v1::Verdict>(3));
                  },
                  StatusCode::kInvalidArgument, "verdict: unknown value 3"},
        BadAnswer{"NoGateId", [](v1::GateAnswer& a) { a.clear_gate_id(); },
                  StatusCode::kInvalidArgument, "gate_id: required"},
        BadAnswer{"InvalidPolicy",
                  [](v1::GateAnswer& a) {
                    a.mutable_policy()->set_version(1);
                    a.mutable_policy()->mutable_placement()->add_denied_hosts(
                        "");
                  },
                  StatusCode::kInvalidArgument,
                  "policy.placement.denied_hosts[0]: expected a non-empty "
                  "string"},
        BadAnswer{"PolicyWithoutVersion",
                  [](v1::GateAnswer& a) { a.mutable_policy(); },
                  StatusCode::kInvalidArgument,
                  "policy.version: unsupported policy version 0 (this build "
                  "reads 1)"},
        BadAnswer{"UnknownField",
                  [](v1::GateAnswer& a) {
                    samples::UnknownFieldsOf(&a)->AddVarint(99, 1);
                  },
                  StatusCode::kInvalidArgument,
                  "nfvsm.v1.GateAnswer: has fields this build does not know; "
                  "refusing to act on part of a message"},
        BadAnswer{"UnknownFieldInPolicy",
                  [](v1::GateAnswer& a) {
                    a.mutable_policy()->set_version(1);
                    samples::UnknownFieldsOf(a.mutable_policy()->mutable_boot())
                        ->AddLengthDelimited(50, "x");
                  },
                  StatusCode::kInvalidArgument,
                  "nfvsm.v1.GateAnswer: has fields this build does not know; "
                  "refusing to act on part of a message"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.60, R2.1.70
TEST(GateAnswerCodecTest, SenderComesFromTheEnvelopeAndIsRequired) {
  SmAnswer answer;
  answer.verdict = Verdict::kAllow;
  auto bytes = EncodeGateAnswer("gate-1", answer);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(DecodeGateAnswer(*bytes, "").status().message(),
            "sender: required");
  EXPECT_EQ(DecodeGateAnswer(*bytes, "sm-a", bytes->size() - 1).status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(EncodeGateAnswer("", answer).status().message(),
            "gate_id: required");
  answer.verdict = static_cast<Verdict>(7);
  EXPECT_EQ(EncodeGateAnswer("gate-1", answer).status().message(),
            "verdict: not a known value");
}

// covers: R2.1.210
TEST(GateRequestCodecTest, EmbeddedEventKeepsItsFields) {
  GateRequest r = SampleGateRequest();
  r.event.kind = EventKind::kCreate;
  r.event.package_integrity_ok = true;
  auto back = DecodeGateRequest(*EncodeGateRequest(r, std::nullopt, true));
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(back->request.event, r.event);
  EXPECT_NE(back->request.event, SampleEvent());
}

}  // namespace
}  // namespace nfvsm::wire
