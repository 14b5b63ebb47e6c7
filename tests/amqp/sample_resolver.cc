#include "tests/amqp/sample_resolver.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace nfvsm::amqp::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

StatusOr<json> ReadJson(const fs::path& file) {
  std::ifstream in(file);
  if (!in) return NotFoundError("cannot read " + file.string());
  std::stringstream text;
  text << in.rdbuf();
  json value = json::parse(text.str(), nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return InvalidArgumentError(file.string() + " is not JSON");
  }
  return value;
}

void UpdateRecursively(json& target, const json& update) {
  for (const auto& [key, value] : update.items()) {
    if (target.contains(key) && target[key].is_object() && value.is_object()) {
      UpdateRecursively(target[key], value);
    } else {
      target[key] = value;
    }
  }
}

StatusOr<json> Resolve(json value, const fs::path& base);

StatusOr<json> ResolveRef(const std::string& ref, const fs::path& base) {
  const std::string file = ref.substr(0, ref.find('#'));
  if (ref.find('#') != std::string::npos &&
      ref.substr(ref.find('#') + 1) != "") {
    return InvalidArgumentError("JSON pointers in $ref are not supported");
  }
  const fs::path path = base / file;
  NFVSM_ASSIGN_OR_RETURN(json loaded, ReadJson(path));
  return Resolve(std::move(loaded), path.parent_path());
}

StatusOr<json> Resolve(json value, const fs::path& base) {
  if (value.is_array()) {
    for (json& item : value) {
      NFVSM_ASSIGN_OR_RETURN(item, Resolve(std::move(item), base));
    }
    return value;
  }
  if (!value.is_object()) return value;
  if (value.contains("$ref")) {
    if (!value["$ref"].is_string()) return InvalidArgumentError("bad $ref");
    const std::string ref = value["$ref"];
    value.erase("$ref");
    NFVSM_ASSIGN_OR_RETURN(json resolved, ResolveRef(ref, base));
    NFVSM_ASSIGN_OR_RETURN(json overrides, Resolve(std::move(value), base));
    UpdateRecursively(resolved, overrides);
    return resolved;
  }
  for (auto& [key, item] : value.items()) {
    NFVSM_ASSIGN_OR_RETURN(item, Resolve(std::move(item), base));
  }
  return value;
}

}  // namespace

std::filesystem::path SamplesDir() { return NFVSM_NOVA_SAMPLES_DIR; }

StatusOr<nlohmann::json> LoadSample(const std::filesystem::path& file) {
  NFVSM_ASSIGN_OR_RETURN(json raw, ReadJson(file));
  return Resolve(std::move(raw), file.parent_path());
}

std::vector<std::string> SampleNames(const std::string& prefix) {
  std::vector<std::string> names;
  for (const auto& entry : fs::directory_iterator(SamplesDir())) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.ends_with(".json") &&
        name.starts_with(prefix)) {
      names.push_back(name);
    }
  }
  std::sort(names.begin(), names.end());
  return names;
}

StatusOr<Notification> SampleNotification(const std::string& name) {
  NFVSM_ASSIGN_OR_RETURN(json sample, LoadSample(SamplesDir() / name));
  Notification n;
  n.message_id = "sample:" + name;
  n.publisher_id = sample.value("publisher_id", "");
  n.event_type = sample.value("event_type", "");
  n.priority = sample.value("priority", "INFO");
  n.timestamp = FromMicros(1'700'000'000'123'456);
  n.payload = sample["payload"];
  return n;
}

}  // namespace nfvsm::amqp::testing
