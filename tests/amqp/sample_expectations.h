// What nfvsm must make of each Nova notification sample: one event of a
// given kind, phase and aspect, or "ignored" with the reason. Shared by the
// unit test (translation of the resolved files) and the end-to-end test
// (the same samples sent through the broker by oslo.messaging).
#ifndef NFVSM_TESTS_AMQP_SAMPLE_EXPECTATIONS_H_
#define NFVSM_TESTS_AMQP_SAMPLE_EXPECTATIONS_H_

#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/types.h"

namespace nfvsm::amqp::testing {

inline constexpr std::string_view kSampleInstance =
    "178b0921-8f85-4257-88b6-2e743b5a975c";
inline constexpr std::string_view kComputeTaskInstance =
    "d5e6a7b7-80e5-4166-85a3-cd6115201082";

struct SampleExpectation {
  std::string file;
  bool ignored = false;
  std::string reason;  // substring of the event reason / ignored reason
  EventKind kind = EventKind::kModify;
  Phase phase = Phase::kEnd;
  ModifyAspect aspect = ModifyAspect::kOther;
};

// Every instance-*.json and compute_task-*.json sample, sorted by file.
const std::vector<SampleExpectation>& SampleExpectations();

}  // namespace nfvsm::amqp::testing

#endif  // NFVSM_TESTS_AMQP_SAMPLE_EXPECTATIONS_H_
