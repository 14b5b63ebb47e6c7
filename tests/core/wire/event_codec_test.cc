// Lifecycle events, security alerts, VNF records, audit records and the
// status / history answers.
#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "core/wire/samples.h"
#include "nfvsm/lifecycle_event.h"
#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/queries.pb.h"
#include "nfvsm/v1/records.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

using samples::SampleEvent;
using samples::SampleVnf;

// covers: R2.1.150, R2.1.160, R2.1.180, R2.1.190, R2.1.210, R2.1.220,
// R2.1.240, R2.1.300
TEST(EventCodecTest, RoundTripsEveryField) {
  auto bytes = EncodeEvent(SampleEvent());
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeEvent(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, SampleEvent());
}

// covers: R2.1.150, R2.1.170, R2.1.210, R2.1.230
TEST(EventCodecTest, RoundTripsEachKindAndUnsetIntegrity) {
  for (EventKind kind : {EventKind::kCreate, EventKind::kModify,
                         EventKind::kTerminate, EventKind::kCrash}) {
    for (Phase phase : {Phase::kStart, Phase::kEnd, Phase::kFailed}) {
      LifecycleEvent e = SampleEvent();
      e.kind = kind;
      e.phase = phase;
      e.package_integrity_ok.reset();  // MANO did not check
      e.aspect = ModifyAspect::kOther;
      auto bytes = EncodeEvent(e);
      ASSERT_TRUE(bytes.ok());
      auto back = DecodeEvent(*bytes);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      EXPECT_EQ(*back, e);
      EXPECT_FALSE(back->package_integrity_ok.has_value());
    }
  }
}

struct BadEvent {
  std::string name;
  std::function<void(v1::LifecycleEventNotification&)> mutate;
  std::string message;
};

class EventDecodeRejectTest : public ::testing::TestWithParam<BadEvent> {};

// covers: R2.1.180, R2.1.210, R2.1.240
TEST_P(EventDecodeRejectTest, NamesTheField) {
  v1::LifecycleEventNotification proto;
  ASSERT_TRUE(ToProto(SampleEvent(), &proto).ok());
  GetParam().mutate(proto);
  auto back = DecodeEvent(proto.SerializeAsString());
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(back.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, EventDecodeRejectTest,
    ::testing::Values(
        BadEvent{"NoId",
                 [](v1::LifecycleEventNotification& e) { e.clear_event_id(); },
                 "event_id: required"},
        BadEvent{"NoVnf",
                 [](v1::LifecycleEventNotification& e) { e.clear_vnf_id(); },
                 "vnf_id: required"},
        BadEvent{"KindUnspecified",
                 [](v1::LifecycleEventNotification& e) { e.clear_kind(); },
                 "kind: unspecified"},
        BadEvent{"PhaseUnknown",
                 [](v1::LifecycleEventNotification& e) {
                   e.set_phase(static_cast<v1::EventPhase>(4));
                 },
                 "phase: unknown value 4"},
        BadEvent{"SourceUnspecified",
                 [](v1::LifecycleEventNotification& e) { e.clear_source(); },
                 "source: unspecified"},
        BadEvent{"ModifyWithoutAspect",
                 [](v1::LifecycleEventNotification& e) { e.clear_aspect(); },
                 "aspect: unspecified"},
        BadEvent{"HugeReason",
                 [](v1::LifecycleEventNotification& e) {
                   e.set_reason(std::string(kMaxEventStringBytes + 1, 'r'));
                 },
                 "reason: 4097 bytes, at most 4096"},
        BadEvent{"TooManyHosts",
                 [](v1::LifecycleEventNotification& e) {
                   for (int i = 0; i < 1025; ++i) e.add_intended_hosts("h");
                 },
                 "intended_hosts: 1026 entries, at most 1024"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.160
TEST(EventCodecTest, AspectMayBeUnsetOutsideModifyEvents) {
  v1::LifecycleEventNotification proto;
  LifecycleEvent e = SampleEvent();
  e.kind = EventKind::kCreate;
  ASSERT_TRUE(ToProto(e, &proto).ok());
  proto.clear_aspect();
  auto back = DecodeEvent(proto.SerializeAsString());
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->aspect, ModifyAspect::kOther);
}

// covers: R2.1.240, SEC024 6.2.1
TEST(EventCodecTest, SizeLimitAndGarbage) {
  auto bytes = EncodeEvent(SampleEvent());
  ASSERT_TRUE(bytes.ok());
  auto limited = DecodeEvent(*bytes, bytes->size() - 1);
  EXPECT_EQ(limited.status().code(), StatusCode::kResourceExhausted);
  EXPECT_TRUE(DecodeEvent(*bytes, bytes->size()).ok());

  EXPECT_EQ(DecodeEvent("\xff\xff\xff\xff").status().code(),
            StatusCode::kInvalidArgument);
  // Cut inside the last field (a details entry).
  EXPECT_EQ(DecodeEvent(bytes->substr(0, bytes->size() - 1)).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeEvent("").status().message(), "kind: unspecified");
}

// covers: R2.1.240
TEST(EventCodecTest, EncodingRefusesWhatReceiversWouldRefuse) {
  LifecycleEvent e = SampleEvent();
  e.vnfd = std::string(kMaxEventVnfdBytes + 1, 'v');
  EXPECT_EQ(EncodeEvent(e).status().message(),
            "vnfd: 1048577 bytes, at most "
            "1048576");
  e = SampleEvent();
  e.kind = static_cast<EventKind>(9);
  EXPECT_EQ(EncodeEvent(e).status().message(), "kind: not a known value");
}

// covers: R1.3.110, R1.3.180
TEST(SecurityEventCodecTest, RoundTripsWithAndWithoutOptionalFields) {
  SecurityAlert alert;
  alert.id = "alert-1";
  alert.kind = SecurityAlertKind::kUnauthorizedLifecycleAction;
  alert.occurred_at = FromMicros(1'700'000'000'000'000);
  alert.vnf_id = "vnf-web";
  alert.domain = "tenant-a";
  alert.source = EventSource::kVim;
  alert.operation = OperationKind::kRestart;
  alert.description = "instance restarted without a gate decision";
  alert.related_id = "ev-77";
  auto bytes = EncodeSecurityEvent(alert);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeSecurityEvent(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, alert);

  SecurityAlert minimal;
  minimal.id = "alert-2";
  minimal.kind = SecurityAlertKind::kUnauthorizedOnboarding;
  bytes = EncodeSecurityEvent(minimal);
  ASSERT_TRUE(bytes.ok());
  back = DecodeSecurityEvent(*bytes);
  ASSERT_TRUE(back.ok());
  EXPECT_EQ(*back, minimal);
  EXPECT_FALSE(back->operation.has_value());

  v1::SecurityEvent proto;
  proto.set_alert_id("a");
  EXPECT_EQ(DecodeSecurityEvent(proto.SerializeAsString()).status().message(),
            "kind: unspecified");
  proto.set_kind(v1::SECURITY_EVENT_KIND_MESSAGE_REJECTED);
  proto.set_operation(static_cast<v1::OperationKind>(11));
  EXPECT_EQ(DecodeSecurityEvent(proto.SerializeAsString()).status().message(),
            "operation: unknown value 11");
}

// covers: R2.1.350, R2.1.300
TEST(StatusResultCodecTest, RoundTripsVnfRecords) {
  VnfRecord other = SampleVnf();
  other.id = "vnf-db";
  other.state = VnfState::kActive;
  auto bytes = EncodeStatusResult("ins-1", {SampleVnf(), other});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeStatusResult(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->instruction_id, "ins-1");
  ASSERT_EQ(back->vnfs.size(), 2u);
  EXPECT_EQ(back->vnfs[0], SampleVnf());
  EXPECT_EQ(back->vnfs[1], other);

  auto empty = DecodeStatusResult(*EncodeStatusResult("ins-2", {}));
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->vnfs.empty());
}

// covers: R2.1.350
TEST(StatusResultCodecTest, RejectsBadRecordsByPath) {
  v1::StatusResult proto;
  proto.set_instruction_id("ins-1");
  ASSERT_TRUE(ToProto(SampleVnf(), proto.add_vnfs()).ok());
  proto.add_vnfs()->set_vnf_id("vnf-2");  // state left unspecified
  auto back = DecodeStatusResult(proto.SerializeAsString());
  EXPECT_EQ(back.status().message(), "vnfs[1].state: unspecified");

  VnfRecord bad = SampleVnf();
  bad.id.clear();
  EXPECT_EQ(EncodeStatusResult("ins-1", {SampleVnf(), bad}).status().message(),
            "vnfs[1].vnf_id: required");
  EXPECT_EQ(EncodeStatusResult("", {}).status().message(),
            "instruction_id: required");
}

// covers: R2.1.360
TEST(HistoryResultCodecTest, RoundTripsEventsInOrder) {
  LifecycleEvent first = SampleEvent();
  LifecycleEvent second = SampleEvent();
  second.id = "ev-2";
  second.kind = EventKind::kTerminate;
  auto bytes = EncodeHistoryResult("ins-9", {first, second});
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeHistoryResult(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->instruction_id, "ins-9");
  ASSERT_EQ(back->events.size(), 2u);
  EXPECT_EQ(back->events[0], first);
  EXPECT_EQ(back->events[1], second);

  v1::HistoryResult proto;
  proto.set_instruction_id("ins-9");
  proto.add_events();
  EXPECT_EQ(DecodeHistoryResult(proto.SerializeAsString()).status().message(),
            "events[0].kind: unspecified");
  EXPECT_EQ(DecodeHistoryResult(*bytes, 8).status().code(),
            StatusCode::kResourceExhausted);
}

// covers: R1.3.260, R1.3.270
TEST(AuditRecordCodecTest, RoundTripsBinaryFields) {
  AuditRecord r;
  r.partition = PartitionFor("sm-a", "tenant-a");
  r.seq = 42;
  r.at = FromMicros(1'700'000'000'000'042);
  r.kind = "instruction.refused";
  r.actor = "sm-a";
  r.subject = "vnf-web";
  r.body = std::string("\x00\x01\xfe\xff ciphertext", 15);
  r.encrypted = true;
  r.prev_hash = std::string(32, '\0');
  r.hash = std::string(32, '\x7f');
  r.mac = std::string(32, '\x80');
  auto bytes = EncodeAuditRecord(r);
  ASSERT_TRUE(bytes.ok()) << bytes.status().ToString();
  auto back = DecodeAuditRecord(*bytes);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(*back, r);

  EXPECT_EQ(DecodeAuditRecord("").status().message(), "partition: required");
}

}  // namespace
}  // namespace nfvsm::wire
