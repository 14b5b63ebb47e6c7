// Test helper: loads Nova's notification samples and resolves their "$ref"
// references the way Nova's own tests do (nova/tests/json_ref.py): the
// referenced file, with refs resolved relative to its own folder, updated
// recursively by the keys beside the "$ref" (dicts merge key by key,
// anything else replaces).
#ifndef NFVSM_TESTS_AMQP_SAMPLE_RESOLVER_H_
#define NFVSM_TESTS_AMQP_SAMPLE_RESOLVER_H_

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nfvsm/amqp/notification.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp::testing {

// tests/amqp/data/nova-notification-samples (set by CMake).
std::filesystem::path SamplesDir();

// The sample file resolved: {"event_type", "payload", "priority",
// "publisher_id"}.
StatusOr<nlohmann::json> LoadSample(const std::filesystem::path& file);

// Sample file names (no directory) whose name starts with `prefix`, sorted.
std::vector<std::string> SampleNames(const std::string& prefix);

// The sample as the Notification an oslo Notifier would deliver for it.
StatusOr<Notification> SampleNotification(const std::string& name);

}  // namespace nfvsm::amqp::testing

#endif  // NFVSM_TESTS_AMQP_SAMPLE_RESOLVER_H_
