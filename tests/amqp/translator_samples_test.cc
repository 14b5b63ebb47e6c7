// Translation of every Nova versioned-notification sample (instance.* and
// compute_task.*): each yields exactly the expected event or is listed as
// ignored with its reason.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <set>
#include <string>

#include "nfvsm/amqp/event_translator.h"
#include "nfvsm/lifecycle_event.h"
#include "tests/amqp/sample_expectations.h"
#include "tests/amqp/sample_resolver.h"

namespace nfvsm::amqp {
namespace {

using ::testing::HasSubstr;
using ::testing::IsEmpty;
using testing::SampleExpectation;
using testing::SampleExpectations;
using testing::SampleNames;
using testing::SampleNotification;

// covers: R2.1.150, R2.1.160, R2.1.170
TEST(TranslatorSamplesTest, EveryInstanceSampleHasAnExpectation) {
  std::set<std::string> files;
  for (const std::string& name : SampleNames("instance-")) files.insert(name);
  for (const std::string& name : SampleNames("compute_task-")) {
    files.insert(name);
  }
  ASSERT_GT(files.size(), 90u)
      << "samples missing from " << testing::SamplesDir();
  std::set<std::string> expected;
  for (const SampleExpectation& e : SampleExpectations())
    expected.insert(e.file);
  EXPECT_EQ(files, expected)
      << "a sample was added or removed: list it in sample_expectations.cc";
}

class TranslatorSampleTest
    : public ::testing::TestWithParam<SampleExpectation> {};

// covers: R2.1.150, R2.1.160, R2.1.170, R2.1.180, R2.1.190, R2.1.240
TEST_P(TranslatorSampleTest, TranslatesAsExpected) {
  const SampleExpectation& want = GetParam();
  auto n = SampleNotification(want.file);
  ASSERT_TRUE(n.ok()) << n.status().ToString();
  EventTranslator translator;
  auto t = translator.Translate(*n);
  ASSERT_TRUE(t.ok()) << t.status().ToString();
  if (want.ignored) {
    EXPECT_THAT(t->events, IsEmpty());
    EXPECT_THAT(t->ignored_reason, HasSubstr(want.reason));
    EXPECT_EQ(translator.stats().not_relevant, 1u);
    EXPECT_EQ(translator.stats().ignored_by_type.at(n->event_type), 1u);
    return;
  }
  ASSERT_EQ(t->events.size(), 1u) << t->ignored_reason;
  const LifecycleEvent& e = t->events[0];
  EXPECT_EQ(e.kind, want.kind) << ToString(e.kind);
  EXPECT_EQ(e.phase, want.phase) << ToString(e.phase);
  if (want.kind == EventKind::kModify) {
    EXPECT_EQ(e.aspect, want.aspect) << ToString(e.aspect);
  }
  EXPECT_THAT(e.reason, HasSubstr(want.reason));
  EXPECT_EQ(e.source, EventSource::kVim);
  const bool compute_task = want.file.starts_with("compute_task-");
  EXPECT_EQ(e.vnf_id, compute_task ? testing::kComputeTaskInstance
                                   : testing::kSampleInstance);
  EXPECT_EQ(e.id, n->message_id);
  EXPECT_EQ(e.origin, n->event_type);
  EXPECT_EQ(e.occurred_at, n->timestamp);
  EXPECT_TRUE(ValidateEvent(e, EventValidation::kObserved).ok());
  if (!compute_task) {
    // R2.1.240: context an SM needs to understand the event.
    EXPECT_EQ(e.details.at("project_id"), "6f70656e737461636b20342065766572");
    EXPECT_FALSE(e.image_id.empty());
  }
  EXPECT_EQ(translator.stats().translated, 1u);
  EXPECT_EQ(translator.stats().events, 1u);
}

std::string SampleTestName(
    const ::testing::TestParamInfo<SampleExpectation>& info) {
  std::string name = info.param.file.substr(0, info.param.file.size() - 5);
  for (char& c : name) {
    if (!isalnum(static_cast<unsigned char>(c))) c = '_';
  }
  return name;
}

INSTANTIATE_TEST_SUITE_P(NovaSamples, TranslatorSampleTest,
                         ::testing::ValuesIn(SampleExpectations()),
                         SampleTestName);

Translation MustTranslate(const std::string& file) {
  auto n = SampleNotification(file);
  EXPECT_TRUE(n.ok()) << n.status().ToString();
  EventTranslator translator;
  auto t = translator.Translate(*n);
  EXPECT_TRUE(t.ok()) << t.status().ToString();
  EXPECT_EQ(t->events.size(), 1u);
  return *t;
}

// covers: R2.1.150, R2.1.210
TEST(TranslatorSamplesTest, CreateCarriesHostZoneImageAndPorts) {
  const LifecycleEvent e = MustTranslate("instance-create-end.json").events[0];
  EXPECT_THAT(e.intended_hosts, ::testing::ElementsAre("compute"));
  EXPECT_THAT(e.locations, ::testing::ElementsAre("nova"));
  EXPECT_EQ(e.image_id, "155d900f-4e14-4e4c-a73d-069cbf4541e6");
  EXPECT_THAT(e.connectivity,
              ::testing::ElementsAre("ce531f90-199f-48c0-816c-13e38010b442"));
  EXPECT_EQ(e.details.at("flavor_name"), "test_flavor");
  EXPECT_EQ(e.details.at("node"), "fake-mini");
  EXPECT_EQ(e.details.at("publisher_id"), "nova-compute:compute");
  EXPECT_EQ(e.details.count("requestor_id"), 0u);  // tenant is not requestor
}

// covers: R2.1.150, R2.1.210
TEST(TranslatorSamplesTest, CreateStartHasNoHostYet) {
  const LifecycleEvent e =
      MustTranslate("instance-create-start.json").events[0];
  EXPECT_THAT(e.intended_hosts, IsEmpty());
  EXPECT_THAT(e.locations, ::testing::ElementsAre("nova"));
  EXPECT_EQ(e.details.at("state"), "building");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, PowerOffReportsPowerState) {
  const LifecycleEvent e =
      MustTranslate("instance-power_off-end.json").events[0];
  EXPECT_EQ(e.details.at("power_state"), "shutdown");
  EXPECT_EQ(e.details.at("state"), "stopped");
  const LifecycleEvent on =
      MustTranslate("instance-power_on-end.json").events[0];
  EXPECT_EQ(on.details.at("power_state"), "running");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, MigrationReportsHostAndNode) {
  const LifecycleEvent e =
      MustTranslate("instance-live_migration_post_dest-end.json").events[0];
  EXPECT_EQ(e.details.at("host"), "host2");
  EXPECT_EQ(e.details.at("node"), "host2");
  EXPECT_EQ(e.details.at("publisher_id"), "nova-compute:host2");
  EXPECT_EQ(e.details.at("initiator_user"), "admin");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, RebuildReportsTheNewImage) {
  const LifecycleEvent e = MustTranslate("instance-rebuild-end.json").events[0];
  EXPECT_EQ(e.image_id, "a2459075-d96c-40d5-893e-577ff92e721c");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, ResizeReportsFlavors) {
  const LifecycleEvent prep =
      MustTranslate("instance-resize_prep-start.json").events[0];
  EXPECT_EQ(prep.details.at("new_flavor_name"), "other_flavor");
  EXPECT_EQ(prep.details.at("new_memory_mb"), "256");
  EXPECT_EQ(prep.details.at("flavor_name"), "test_flavor");
  const LifecycleEvent confirm =
      MustTranslate("instance-resize_confirm-end.json").events[0];
  EXPECT_EQ(confirm.details.at("flavor_name"), "m1.small");
  EXPECT_EQ(confirm.details.at("memory_mb"), "2048");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, InterfaceAttachListsPorts) {
  const LifecycleEvent e =
      MustTranslate("instance-interface_attach-end.json").events[0];
  EXPECT_THAT(e.connectivity,
              ::testing::ElementsAre("ce531f90-199f-48c0-816c-13e38010b442",
                                     "88dae9fa-0dc6-49e3-8c29-3abc41e99ac9"));
  EXPECT_EQ(e.details.at("ip_addresses"), "192.168.1.3,192.168.1.30");
}

// covers: R2.1.160, R2.1.220
TEST(TranslatorSamplesTest, VolumeSwapNamesBothVolumes) {
  const LifecycleEvent e =
      MustTranslate("instance-volume_swap-end.json").events[0];
  EXPECT_EQ(e.details.at("old_volume_id"),
            "a07f71dc-8151-4e7d-a0cc-cd24a3f11113");
  EXPECT_EQ(e.details.at("new_volume_id"),
            "227cc671-f30b-4488-96fd-7d0bf13648d8");
}

// covers: R2.1.190
TEST(TranslatorSamplesTest, ErrorReasonCarriesTheFault) {
  const LifecycleEvent e =
      MustTranslate("instance-resize-error.json").events[0];
  EXPECT_EQ(e.phase, Phase::kFailed);
  EXPECT_THAT(e.reason,
              HasSubstr("FlavorDiskTooSmall: The created instance's disk"));
  EXPECT_THAT(e.details.at("fault"), HasSubstr("FlavorDiskTooSmall"));
  EXPECT_EQ(e.details.at("priority"), "ERROR");
  EXPECT_EQ(e.details.count("traceback"), 0u);
}

}  // namespace
}  // namespace nfvsm::amqp
