// EventTranslator on synthetic notifications: instance.update, malformed
// payloads, unknown types, the VNF resolver, Heat and Neutron.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "nfvsm/amqp/event_translator.h"
#include "nfvsm/lifecycle_event.h"
#include "tests/amqp/sample_resolver.h"

namespace nfvsm::amqp {
namespace {

using nlohmann::json;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

Notification Legacy(const std::string& event_type, json payload) {
  Notification n;
  n.message_id = "msg-1";
  n.publisher_id = "orchestration.host-a";
  n.event_type = event_type;
  n.priority = "INFO";
  n.timestamp = FromMicros(1'700'000'000'000'000);
  n.payload = std::move(payload);
  n.format = NotificationFormat::kLegacy;
  return n;
}

Notification Sample(const std::string& file) {
  auto n = testing::SampleNotification(file);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  return *n;
}

json& Data(Notification& n) { return n.payload["nova_object.data"]; }

// covers: R2.1.170
TEST(TranslatorTest, UpdateIntoErrorStateIsACrash) {
  Notification n = Sample("instance-update.json");
  Data(n)["state"] = "error";
  Data(n)["state_update"]["nova_object.data"]["old_state"] = "active";
  Data(n)["state_update"]["nova_object.data"]["state"] = "error";
  EventTranslator translator;
  auto t = translator.Translate(n);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kCrash);
  EXPECT_THAT(t->events[0].reason, HasSubstr("error state"));
  EXPECT_EQ(t->events[0].details.at("old_state"), "active");
}

// covers: R2.1.170
TEST(TranslatorTest, CrashedPowerStateIsACrash) {
  Notification n = Sample("instance-update.json");
  Data(n)["power_state"] = "crashed";
  EventTranslator translator;
  auto t = translator.Translate(n);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kCrash);
  EXPECT_THAT(t->events[0].reason, HasSubstr("crashed"));
}

// covers: R2.1.160
TEST(TranslatorTest, RenameIsAnIdentificationChange) {
  Notification n = Sample("instance-update.json");
  Data(n)["old_display_name"] = "old-name";
  EventTranslator translator;
  auto t = translator.Translate(n);
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kModify);
  EXPECT_EQ(t->events[0].aspect, ModifyAspect::kIdentification);
  EXPECT_EQ(t->events[0].details.at("old_display_name"), "old-name");
  EXPECT_EQ(t->events[0].details.at("display_name"), "some-server");
}

struct MalformedCase {
  std::string name;
  std::string file;
  std::function<void(Notification&)> damage;
  std::string expect_in_message;
};

class MalformedNovaTest : public ::testing::TestWithParam<MalformedCase> {};

// covers: R2.1.150, R2.1.160, R2.1.170
TEST_P(MalformedNovaTest, IsInvalidArgumentAndCounted) {
  Notification n = Sample(GetParam().file);
  GetParam().damage(n);
  EventTranslator translator;
  auto t = translator.Translate(n);
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  EXPECT_THAT(t.status().message(), HasSubstr(GetParam().expect_in_message));
  EXPECT_EQ(translator.stats().malformed, 1u);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, MalformedNovaTest,
    ::testing::Values(
        MalformedCase{"PayloadNotObject", "instance-create-end.json",
                      [](Notification& n) { n.payload = "text"; },
                      "not a nova object"},
        MalformedCase{
            "NoObjectData", "instance-create-end.json",
            [](Notification& n) { n.payload.erase("nova_object.data"); },
            "no nova_object.data"},
        MalformedCase{"NoUuid", "instance-power_off-end.json",
                      [](Notification& n) { Data(n).erase("uuid"); },
                      "no instance uuid"},
        MalformedCase{"UuidNotString", "instance-power_off-end.json",
                      [](Notification& n) {
                        Data(n)["uuid"] = json::array({1, 2});
                      },
                      "uuid has the wrong type"},
        MalformedCase{"HostIsAnObject", "instance-power_off-end.json",
                      [](Notification& n) { Data(n)["host"] = json::object(); },
                      "host has the wrong type"},
        MalformedCase{"AddressesNotList", "instance-interface_attach-end.json",
                      [](Notification& n) { Data(n)["ip_addresses"] = 7; },
                      "ip_addresses is not a list"},
        MalformedCase{"FlavorNotObject", "instance-resize-end.json",
                      [](Notification& n) { Data(n)["flavor"] = "m1"; },
                      "flavor is not an object"},
        MalformedCase{
            "FaultWithoutData", "instance-reboot-error.json",
            [](Notification& n) { Data(n)["fault"] = json::object(); },
            "fault has no nova_object.data"},
        MalformedCase{
            "UuidTooLong", "instance-lock.json",
            [](Notification& n) { Data(n)["uuid"] = std::string(5000, 'u'); },
            "vnf_id longer than"},
        MalformedCase{"ComputeTaskNoUuid",
                      "compute_task-build_instances-error.json",
                      [](Notification& n) { Data(n).erase("instance_uuid"); },
                      "no instance instance_uuid"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.240
TEST(TranslatorTest, UnknownTypesAreCountedAndIgnored) {
  EventTranslator translator;
  for (const std::string type :
       {"aggregate.create.end", "flavor.update", "instance.exists",
        "instance.frobnicate.end", "aggregate.create.end"}) {
    Notification n = Legacy(type, json::object());
    auto t = translator.Translate(n);
    ASSERT_TRUE(t.ok()) << type << ": " << t.status().ToString();
    EXPECT_THAT(t->events, IsEmpty());
    EXPECT_FALSE(t->ignored_reason.empty());
  }
  const TranslatorStats stats = translator.stats();
  EXPECT_EQ(stats.not_relevant, 5u);
  EXPECT_EQ(stats.translated, 0u);
  EXPECT_EQ(stats.ignored_by_type.at("aggregate.create.end"), 2u);
  EXPECT_EQ(stats.ignored_by_type.at("instance.frobnicate.end"), 1u);
}

// covers: R2.1.240
TEST(TranslatorTest, IgnoredTypeCountersAreBounded) {
  EventTranslator translator;
  for (int i = 0; i < 1000; ++i) {
    ASSERT_TRUE(
        translator.Translate(Legacy("x" + std::to_string(i), json())).ok());
  }
  const TranslatorStats stats = translator.stats();
  EXPECT_EQ(stats.not_relevant, 1000u);
  EXPECT_LE(stats.ignored_by_type.size(), 257u);
  EXPECT_GT(stats.ignored_by_type.at("(other)"), 0u);
}

// covers: R2.1.150
TEST(TranslatorTest, ResolverMapsAnInstanceToSeveralVnfs) {
  std::vector<std::string> asked;
  EventTranslator translator([&asked](ResourceKind kind, std::string_view id) {
    EXPECT_EQ(kind, ResourceKind::kNovaInstance);
    asked.emplace_back(id);
    return std::vector<VnfId>{"vnf-a", "vnf-b"};
  });
  auto t = translator.Translate(Sample("instance-create-end.json"));
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->events.size(), 2u);
  EXPECT_THAT(asked, ElementsAre("178b0921-8f85-4257-88b6-2e743b5a975c"));
  EXPECT_EQ(t->events[0].vnf_id, "vnf-a");
  EXPECT_EQ(t->events[0].id, "sample:instance-create-end.json/vnf-a");
  EXPECT_EQ(t->events[1].id, "sample:instance-create-end.json/vnf-b");
  EXPECT_EQ(translator.stats().events, 2u);
}

// covers: R2.1.150
TEST(TranslatorTest, InstanceThatIsNoVnfIsNotRelevant) {
  EventTranslator translator(
      [](ResourceKind, std::string_view) { return std::vector<VnfId>{}; });
  auto t = translator.Translate(Sample("instance-delete-end.json"));
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->events, IsEmpty());
  EXPECT_THAT(t->ignored_reason, HasSubstr("not a known VNF"));
}

// covers: R2.1.190
TEST(TranslatorTest, LongFaultMessagesAreCut) {
  Notification n = Sample("instance-reboot-error.json");
  Data(n)["fault"]["nova_object.data"]["exception_message"] =
      std::string(10000, 'x');
  EventTranslator translator;
  auto t = translator.Translate(n);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_LE(t->events[0].reason.size(), 512u);
  EXPECT_TRUE(t->events[0].reason.ends_with("..."));
}

json StackPayload() {
  return {{"stack_identity",
           "arn:openstack:heat::6f70:stacks/vnf-stack/"
           "8a8d4d5c-1111-2222-3333-444455556666"},
          {"stack_name", "vnf-stack"},
          {"tenant_id", "6f70"},
          {"user_id", "tacker"},
          {"state", "CREATE_COMPLETE"},
          {"state_reason", "Stack CREATE completed successfully"},
          {"create_at", "2024-01-01T00:00:00"}};
}

EventTranslator StackResolver() {
  return EventTranslator([](ResourceKind kind, std::string_view id) {
    if (kind == ResourceKind::kHeatStack &&
        id == "8a8d4d5c-1111-2222-3333-444455556666") {
      return std::vector<VnfId>{"vnf-from-stack"};
    }
    return std::vector<VnfId>{};
  });
}

// covers: R2.1.150, R2.1.180, R2.1.190
TEST(TranslatorTest, HeatStackCreateThroughResolver) {
  EventTranslator translator = StackResolver();
  auto t = translator.Translate(
      Legacy("orchestration.stack.create.end", StackPayload()));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->events.size(), 1u);
  const LifecycleEvent& e = t->events[0];
  EXPECT_EQ(e.kind, EventKind::kCreate);
  EXPECT_EQ(e.phase, Phase::kEnd);
  EXPECT_EQ(e.vnf_id, "vnf-from-stack");
  EXPECT_EQ(e.source, EventSource::kVim);
  EXPECT_EQ(e.reason, "stack creation completed");
  EXPECT_EQ(e.details.at("stack_id"), "8a8d4d5c-1111-2222-3333-444455556666");
  EXPECT_EQ(e.details.at("state"), "CREATE_COMPLETE");
}

// covers: R2.1.170, R2.1.190
TEST(TranslatorTest, HeatStackDeleteErrorCarriesStateReason) {
  EventTranslator translator = StackResolver();
  json payload = StackPayload();
  payload["state"] = "DELETE_FAILED";
  payload["state_reason"] = "Resource DELETE failed: volume busy";
  auto t =
      translator.Translate(Legacy("orchestration.stack.delete.error", payload));
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0].kind, EventKind::kTerminate);
  EXPECT_EQ(t->events[0].phase, Phase::kFailed);
  EXPECT_THAT(t->events[0].reason, HasSubstr("volume busy"));
}

// covers: R2.1.160
TEST(TranslatorTest, HeatWithoutMatchingVnfOrCheckIsNotRelevant) {
  EventTranslator plain;  // the default resolver knows no stacks
  auto t =
      plain.Translate(Legacy("orchestration.stack.update.end", StackPayload()));
  ASSERT_TRUE(t.ok());
  EXPECT_THAT(t->events, IsEmpty());
  EXPECT_THAT(t->ignored_reason, HasSubstr("no known VNF"));
  EventTranslator resolving = StackResolver();
  auto check = resolving.Translate(
      Legacy("orchestration.stack.check.end", StackPayload()));
  ASSERT_TRUE(check.ok());
  EXPECT_THAT(check->events, IsEmpty());
}

// covers: R2.1.160
TEST(TranslatorTest, HeatWithoutStackArnIsMalformed) {
  EventTranslator translator = StackResolver();
  json payload = StackPayload();
  payload["stack_identity"] = "not-an-arn";
  auto t =
      translator.Translate(Legacy("orchestration.stack.create.end", payload));
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
  auto notobj = translator.Translate(
      Legacy("orchestration.stack.create.end", json::array()));
  EXPECT_EQ(notobj.status().code(), StatusCode::kInvalidArgument);
}

json PortPayload(const std::string& owner) {
  return {{"port",
           {{"id", "port-1"},
            {"network_id", "net-1"},
            {"mac_address", "fa:16:3e:00:00:01"},
            {"device_owner", owner},
            {"device_id", "178b0921-8f85-4257-88b6-2e743b5a975c"},
            {"binding:host_id", "compute-1"},
            {"port_security_enabled", true},
            {"security_groups", {"sg-1", "sg-2"}},
            {"fixed_ips",
             {{{"subnet_id", "s"}, {"ip_address", "10.0.0.5"}},
              {{"subnet_id", "s6"}, {"ip_address", "fd00::5"}}}}}}};
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorTest, NeutronPortOfAnInstanceIsAPeeringChange) {
  EventTranslator translator;
  auto t = translator.Translate(
      Legacy("port.create.end", PortPayload("compute:nova")));
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  ASSERT_EQ(t->events.size(), 1u);
  const LifecycleEvent& e = t->events[0];
  EXPECT_EQ(e.kind, EventKind::kModify);
  EXPECT_EQ(e.aspect, ModifyAspect::kPeering);
  EXPECT_EQ(e.vnf_id, "178b0921-8f85-4257-88b6-2e743b5a975c");
  EXPECT_THAT(e.connectivity, ElementsAre("port-1"));
  EXPECT_EQ(e.details.at("ip_addresses"), "10.0.0.5,fd00::5");
  EXPECT_EQ(e.details.at("security_groups"), "sg-1,sg-2");
  EXPECT_EQ(e.details.at("host"), "compute-1");
  EXPECT_EQ(e.details.at("port_security_enabled"), "true");
  EXPECT_EQ(e.reason, "port creation completed");
}

// covers: R2.1.160
TEST(TranslatorTest, NeutronPortsOfOtherOwnersAreNotRelevant) {
  EventTranslator translator;
  for (const json& payload :
       {PortPayload("network:dhcp"), json{{"port_id", "port-1"}}}) {
    auto t = translator.Translate(Legacy("port.delete.end", payload));
    ASSERT_TRUE(t.ok());
    EXPECT_THAT(t->events, IsEmpty());
  }
  auto bad_list = PortPayload("compute:nova");
  bad_list["port"]["fixed_ips"] = "10.0.0.5";
  auto t = translator.Translate(Legacy("port.update.end", bad_list));
  EXPECT_EQ(t.status().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::amqp
