// Decoding of oslo.messaging notification bodies: the 2.0 envelope, the
// legacy form, timestamps, and poison messages.
#include "nfvsm/amqp/notification.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>

namespace nfvsm::amqp {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

json InnerMessage() {
  return {{"message_id", "a4c1e5e8-1d1c-4e3a-9b58-3d1d3b3f0c11"},
          {"publisher_id", "nova-compute:compute-1"},
          {"event_type", "instance.power_off.end"},
          {"priority", "INFO"},
          {"payload", {{"nova_object.data", {{"uuid", "i-1"}}}}},
          {"timestamp", "2024-02-29 23:59:58.123456"},
          {"_context_request_id", "req-1"},
          {"_context_project_id", "p-1"},
          {"_unique_id", "u-1"}};
}

// What oslo.messaging's messagingv2 driver puts on the wire.
std::string Envelope(const json& inner) {
  return json{{"oslo.version", "2.0"}, {"oslo.message", inner.dump()}}.dump();
}

// covers: R2.1.240
TEST(NotificationTest, DecodesTheV2Envelope) {
  auto n = DecodeNotification(Envelope(InnerMessage()));
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->format, NotificationFormat::kMessagingV2);
  EXPECT_EQ(n->message_id, "a4c1e5e8-1d1c-4e3a-9b58-3d1d3b3f0c11");
  EXPECT_EQ(n->publisher_id, "nova-compute:compute-1");
  EXPECT_EQ(n->event_type, "instance.power_off.end");
  EXPECT_EQ(n->priority, "INFO");
  EXPECT_EQ(n->payload["nova_object.data"]["uuid"], "i-1");
  EXPECT_EQ(n->context["request_id"], "req-1");
  EXPECT_EQ(n->context["project_id"], "p-1");
  EXPECT_FALSE(n->context.contains("_unique_id"));
  // 2024-02-29 23:59:58.123456 UTC
  EXPECT_EQ(ToMicros(n->timestamp), 1709251198123456);
}

// covers: R2.1.240
TEST(NotificationTest, DecodesTheLegacyForm) {
  json legacy = InnerMessage();
  legacy["priority"] = "warn";
  auto n = DecodeNotification(legacy.dump());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->format, NotificationFormat::kLegacy);
  EXPECT_EQ(n->priority, "WARN");
  EXPECT_EQ(n->event_type, "instance.power_off.end");
}

// covers: R2.1.240
TEST(NotificationTest, OnlyOneEnvelopeKeyMeansLegacy) {
  // oslo treats a dict without both envelope keys as an unwrapped message.
  json legacy = InnerMessage();
  legacy["oslo.version"] = "2.0";
  auto n = DecodeNotification(legacy.dump());
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EXPECT_EQ(n->format, NotificationFormat::kLegacy);
}

struct PoisonCase {
  std::string name;
  std::string body;
  StatusCode code;
  std::string expect_in_message;
};

class PoisonTest : public ::testing::TestWithParam<PoisonCase> {};

// covers: R2.1.240
TEST_P(PoisonTest, IsAnErrorValue) {
  auto n = DecodeNotification(GetParam().body);
  ASSERT_FALSE(n.ok());
  EXPECT_EQ(n.status().code(), GetParam().code) << n.status().ToString();
  EXPECT_THAT(n.status().message(), HasSubstr(GetParam().expect_in_message));
}

json Without(const std::string& key) {
  json m = InnerMessage();
  m.erase(key);
  return m;
}

json With(const std::string& key, json value) {
  json m = InnerMessage();
  m[key] = std::move(value);
  return m;
}

std::string Nested(int depth) {
  return std::string(depth, '[') + std::string(depth, ']');
}

INSTANTIATE_TEST_SUITE_P(
    Cases, PoisonTest,
    ::testing::Values(
        PoisonCase{"Empty", "", StatusCode::kInvalidArgument, "not valid JSON"},
        PoisonCase{"NotJson", "this is not json {",
                   StatusCode::kInvalidArgument, "not valid JSON"},
        PoisonCase{"Binary", std::string("\x00\xff\xfe{", 4),
                   StatusCode::kInvalidArgument, "not valid JSON"},
        PoisonCase{"BadUtf8", "{\"event_type\": \"\xc3\x28\"}",
                   StatusCode::kInvalidArgument, "not valid JSON"},
        PoisonCase{"Array", "[1,2]", StatusCode::kInvalidArgument,
                   "not a JSON object"},
        PoisonCase{
            "InnerNotString",
            json{{"oslo.version", "2.0"}, {"oslo.message", InnerMessage()}}
                .dump(),
            StatusCode::kInvalidArgument, "oslo.message is not a JSON string"},
        PoisonCase{
            "InnerNotJson",
            json{{"oslo.version", "2.0"}, {"oslo.message", "{oops"}}.dump(),
            StatusCode::kInvalidArgument, "oslo.message is not valid"},
        PoisonCase{"InnerNotObject",
                   json{{"oslo.version", "2.0"}, {"oslo.message", "42"}}.dump(),
                   StatusCode::kInvalidArgument, "not a JSON object"},
        PoisonCase{"NewerEnvelope",
                   json{{"oslo.version", "3.0"},
                        {"oslo.message", InnerMessage().dump()}}
                       .dump(),
                   StatusCode::kInvalidArgument, "envelope version"},
        PoisonCase{"NoEventType", Envelope(Without("event_type")),
                   StatusCode::kInvalidArgument, "no event_type"},
        PoisonCase{"NoMessageId", Envelope(Without("message_id")),
                   StatusCode::kInvalidArgument, "no message_id"},
        PoisonCase{"NoPriority", Envelope(Without("priority")),
                   StatusCode::kInvalidArgument, "no priority"},
        PoisonCase{"NoTimestamp", Envelope(Without("timestamp")),
                   StatusCode::kInvalidArgument, "no timestamp"},
        PoisonCase{"NoPayload", Envelope(Without("payload")),
                   StatusCode::kInvalidArgument, "no payload"},
        PoisonCase{"EventTypeNotString", Envelope(With("event_type", 5)),
                   StatusCode::kInvalidArgument, "event_type is not a string"},
        PoisonCase{"UnknownPriority", Envelope(With("priority", "LOUD")),
                   StatusCode::kInvalidArgument, "priorit"},
        PoisonCase{"BadTimestamp", Envelope(With("timestamp", "yesterday")),
                   StatusCode::kInvalidArgument, "timestamp"},
        PoisonCase{"HugeMessageId",
                   Envelope(With("message_id", std::string(300, 'm'))),
                   StatusCode::kInvalidArgument, "longer than"},
        PoisonCase{"TooDeep", Nested(200), StatusCode::kResourceExhausted,
                   "deeper"},
        PoisonCase{"TooDeepInside",
                   Envelope(With("payload", json::parse(Nested(100)))),
                   StatusCode::kResourceExhausted, "deeper"},
        PoisonCase{"TooLarge",
                   "\"" + std::string(kMaxNotificationBytes, 'a') + "\"",
                   StatusCode::kResourceExhausted, "larger than"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.240
TEST(NotificationTest, ErrorsDoNotQuoteThePayload) {
  json m = InnerMessage();
  m["timestamp"] = "secret-looking-value";
  auto n = DecodeNotification(Envelope(m));
  ASSERT_FALSE(n.ok());
  EXPECT_THAT(n.status().message(),
              ::testing::Not(HasSubstr("secret-looking-value")));
}

struct TimestampCase {
  std::string text;
  int64_t micros;  // -1: invalid
};

class TimestampTest : public ::testing::TestWithParam<TimestampCase> {};

// covers: R2.1.240
TEST_P(TimestampTest, Parses) {
  auto t = ParseOsloTimestamp(GetParam().text);
  if (GetParam().micros < 0) {
    EXPECT_FALSE(t.ok()) << GetParam().text;
    if (!t.ok()) {
      EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
    }
  } else {
    ASSERT_TRUE(t.ok()) << GetParam().text << ": " << t.status().ToString();
    EXPECT_EQ(ToMicros(*t), GetParam().micros);
  }
}

INSTANTIATE_TEST_SUITE_P(
    Cases, TimestampTest,
    ::testing::Values(
        TimestampCase{"1970-01-01 00:00:00", 0},
        TimestampCase{"2024-01-02 03:04:05", 1704164645000000},
        TimestampCase{"2024-01-02 03:04:05.000001", 1704164645000001},
        TimestampCase{"2024-01-02 03:04:05.5", 1704164645500000},
        TimestampCase{"2024-01-02T03:04:05.123456", 1704164645123456},
        TimestampCase{"2024-01-02T03:04:05Z", 1704164645000000},
        TimestampCase{"2024-01-02 03:04:05.25+00:00", 1704164645250000},
        TimestampCase{"2024-02-29 12:00:00", 1709208000000000},
        TimestampCase{"2023-02-29 12:00:00", -1},
        TimestampCase{"2024-04-31 00:00:00", -1},
        TimestampCase{"2024-13-01 00:00:00", -1},
        TimestampCase{"2024-01-01 24:00:00", -1},
        TimestampCase{"2024-01-01 23:60:00", -1},
        TimestampCase{"2024-01-01 23:59:60", -1},
        TimestampCase{"2024-01-01 00:00:00.1234567", -1},
        TimestampCase{"2024-01-01 00:00:00.", -1},
        TimestampCase{"2024-01-01 00:00:00+01:00", -1},
        TimestampCase{"2024-01-01 00:00", -1},
        TimestampCase{"2024-1-01 00:00:00", -1},
        TimestampCase{" 2024-01-01 00:00:00", -1},
        TimestampCase{"2024-01-01 00:00:0x", -1}, TimestampCase{"", -1}));

}  // namespace
}  // namespace nfvsm::amqp
