// Reading the JSON form of a policy: ParsePolicyJson (the writer is
// json_writer.cc).
//
// The reader walks the document against the schema itself (rather than
// nlohmann's from_json) so every error names its JSON path and every
// element is checked at its index in the document.
#include <cstdint>
#include <initializer_list>
#include <nlohmann/json.hpp>
#include <set>
#include <string>
#include <vector>

#include "nfvsm/policy.h"
#include "policy/checks.h"

namespace nfvsm {
namespace {

using nlohmann::json;
using policy_internal::CheckFunction;
using policy_internal::CheckListSize;
using policy_internal::CheckRule;
using policy_internal::CheckText;
using policy_internal::Emptiness;
using policy_internal::Indexed;
using policy_internal::Member;

// Keys are attacker-chosen; only echo ones that cannot garble a log line.
std::string ShownKey(const std::string& key) {
  constexpr size_t kMaxShown = 64;
  if (key.empty() || key.size() > kMaxShown) return "<unprintable>";
  for (unsigned char c : key) {
    if (c < 0x21 || c > 0x7e) return "<unprintable>";
  }
  return key;
}

std::string Where(const std::string& path) {
  return path.empty() ? std::string("policy") : path;
}

Status ExpectObject(const json& j, const std::string& path,
                    std::initializer_list<std::string_view> known) {
  if (!j.is_object()) {
    return InvalidArgumentError(Where(path) + ": expected a JSON object");
  }
  for (const auto& [key, value] : j.items()) {
    bool found = false;
    for (auto k : known) found = found || k == key;
    if (!found) {
      std::string allowed;
      for (auto k : known) {
        if (!allowed.empty()) allowed += ", ";
        allowed += k;
      }
      return InvalidArgumentError(
          Member(path, ShownKey(key)) +
          ": unknown field (expected one of: " + allowed + ")");
    }
  }
  return OkStatus();
}

const json* Find(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it == obj.end() ? nullptr : &*it;
}

Status ReadText(const json& j, const std::string& path, Emptiness emptiness,
                std::string* out) {
  if (!j.is_string()) {
    return InvalidArgumentError(path + (emptiness == Emptiness::kRejected
                                            ? ": expected a non-empty string"
                                            : ": expected a string"));
  }
  const auto& s = j.get_ref<const std::string&>();
  NFVSM_RETURN_IF_ERROR(CheckText(path, s, emptiness));
  *out = s;
  return OkStatus();
}

Status ReadBool(const json& j, const std::string& path, bool* out) {
  if (!j.is_boolean()) {
    return InvalidArgumentError(path + ": expected true or false");
  }
  *out = j.get<bool>();
  return OkStatus();
}

Status ReadPort(const json& j, const std::string& path, uint16_t* out) {
  if (!j.is_number_integer()) {
    return InvalidArgumentError(path + ": expected an integer");
  }
  if (j.is_number_unsigned()) {
    uint64_t v = j.get<uint64_t>();
    if (v <= UINT16_MAX) {
      *out = static_cast<uint16_t>(v);
      return OkStatus();
    }
    return InvalidArgumentError(path + ": " + std::to_string(v) +
                                " is out of range 0..65535");
  }
  return InvalidArgumentError(path + ": " + std::to_string(j.get<int64_t>()) +
                              " is out of range 0..65535");
}

Status ReadArray(const json& j, const std::string& path) {
  if (!j.is_array()) {
    return InvalidArgumentError(path + ": expected a JSON array");
  }
  return CheckListSize(path, j.size());
}

Status ReadNameSet(const json& j, const std::string& path,
                   std::set<std::string>* out) {
  NFVSM_RETURN_IF_ERROR(ReadArray(j, path));
  for (size_t i = 0; i < j.size(); ++i) {
    std::string name;
    NFVSM_RETURN_IF_ERROR(
        ReadText(j[i], Indexed(path, i), Emptiness::kRejected, &name));
    if (!out->insert(std::move(name)).second) {
      return InvalidArgumentError(Indexed(path, i) + ": duplicate entry");
    }
  }
  return OkStatus();
}

Status ReadVersion(const json& doc, int* out) {
  const json* v = Find(doc, "version");
  if (v == nullptr) {
    return InvalidArgumentError("version: required field is missing");
  }
  if (!v->is_number_integer()) {
    return InvalidArgumentError("version: expected an integer");
  }
  // Versions this build does not know are reported as such; clamp absurd
  // values so the message stays a plain number.
  int64_t version = v->is_number_unsigned()
                        ? static_cast<int64_t>(
                              std::min<uint64_t>(v->get<uint64_t>(), INT32_MAX))
                        : std::max<int64_t>(v->get<int64_t>(), INT32_MIN);
  *out = static_cast<int>(std::min<int64_t>(version, INT32_MAX));
  return policy_internal::CheckVersion(*out);
}

Status ReadPlacement(const json& j, PlacementPolicy* out) {
  const std::string path = "placement";
  NFVSM_RETURN_IF_ERROR(ExpectObject(j, path,
                                     {"allowed_zones", "denied_hosts",
                                      "hmee_required", "anti_affinity_group"}));
  if (const json* v = Find(j, "allowed_zones")) {
    NFVSM_RETURN_IF_ERROR(
        ReadNameSet(*v, Member(path, "allowed_zones"), &out->allowed_zones));
  }
  if (const json* v = Find(j, "denied_hosts")) {
    NFVSM_RETURN_IF_ERROR(
        ReadNameSet(*v, Member(path, "denied_hosts"), &out->denied_hosts));
  }
  if (const json* v = Find(j, "hmee_required")) {
    NFVSM_RETURN_IF_ERROR(
        ReadBool(*v, Member(path, "hmee_required"), &out->hmee_required));
  }
  if (const json* v = Find(j, "anti_affinity_group")) {
    NFVSM_RETURN_IF_ERROR(ReadText(*v, Member(path, "anti_affinity_group"),
                                   Emptiness::kAllowed,
                                   &out->anti_affinity_group));
  }
  return OkStatus();
}

Status ReadRule(const json& j, const std::string& path,
                SecurityGroupRule* out) {
  NFVSM_RETURN_IF_ERROR(ExpectObject(
      j, path,
      {"direction", "protocol", "port_min", "port_max", "remote_cidr"}));
  for (std::string_view required : {"direction", "protocol"}) {
    if (Find(j, required) == nullptr) {
      return InvalidArgumentError(Member(path, required) +
                                  ": required field is missing");
    }
  }
  NFVSM_RETURN_IF_ERROR(ReadText(j["direction"], Member(path, "direction"),
                                 Emptiness::kRejected, &out->direction));
  NFVSM_RETURN_IF_ERROR(ReadText(j["protocol"], Member(path, "protocol"),
                                 Emptiness::kRejected, &out->protocol));
  if (const json* v = Find(j, "port_min")) {
    NFVSM_RETURN_IF_ERROR(
        ReadPort(*v, Member(path, "port_min"), &out->port_min));
  }
  if (const json* v = Find(j, "port_max")) {
    NFVSM_RETURN_IF_ERROR(
        ReadPort(*v, Member(path, "port_max"), &out->port_max));
  }
  if (const json* v = Find(j, "remote_cidr")) {
    NFVSM_RETURN_IF_ERROR(ReadText(*v, Member(path, "remote_cidr"),
                                   Emptiness::kRejected, &out->remote_cidr));
  }
  return CheckRule(path, *out);
}

Status ReadFunction(const json& j, const std::string& path,
                    SecurityFunctionSpec* out) {
  NFVSM_RETURN_IF_ERROR(
      ExpectObject(j, path, {"vsf_vnfd_id", "after", "before"}));
  for (std::string_view required : {"vsf_vnfd_id", "after", "before"}) {
    if (Find(j, required) == nullptr) {
      return InvalidArgumentError(Member(path, required) +
                                  ": required field is missing");
    }
  }
  NFVSM_RETURN_IF_ERROR(ReadText(j["vsf_vnfd_id"], Member(path, "vsf_vnfd_id"),
                                 Emptiness::kRejected, &out->vsf_vnfd_id));
  NFVSM_RETURN_IF_ERROR(ReadText(j["after"], Member(path, "after"),
                                 Emptiness::kRejected, &out->after));
  NFVSM_RETURN_IF_ERROR(ReadText(j["before"], Member(path, "before"),
                                 Emptiness::kRejected, &out->before));
  return CheckFunction(path, *out);
}

Status ReadNetwork(const json& j, NetworkPolicy* out) {
  const std::string path = "network";
  NFVSM_RETURN_IF_ERROR(
      ExpectObject(j, path, {"security_group_rules", "insert_functions"}));
  if (const json* v = Find(j, "security_group_rules")) {
    const std::string list = Member(path, "security_group_rules");
    NFVSM_RETURN_IF_ERROR(ReadArray(*v, list));
    for (size_t i = 0; i < v->size(); ++i) {
      SecurityGroupRule rule;
      NFVSM_RETURN_IF_ERROR(ReadRule((*v)[i], Indexed(list, i), &rule));
      out->security_group_rules.push_back(std::move(rule));
    }
  }
  if (const json* v = Find(j, "insert_functions")) {
    const std::string list = Member(path, "insert_functions");
    NFVSM_RETURN_IF_ERROR(ReadArray(*v, list));
    for (size_t i = 0; i < v->size(); ++i) {
      SecurityFunctionSpec f;
      NFVSM_RETURN_IF_ERROR(ReadFunction((*v)[i], Indexed(list, i), &f));
      out->insert_functions.push_back(std::move(f));
    }
  }
  return OkStatus();
}

Status ReadBoot(const json& j, BootPolicy* out) {
  const std::string path = "boot";
  NFVSM_RETURN_IF_ERROR(
      ExpectObject(j, path,
                   {"vbs_required", "vnf_whitelist", "vnfd_whitelist",
                    "image_whitelist", "vnfm_whitelist", "em_whitelist"}));
  if (const json* v = Find(j, "vbs_required")) {
    NFVSM_RETURN_IF_ERROR(
        ReadBool(*v, Member(path, "vbs_required"), &out->vbs_required));
  }
  const std::pair<std::string_view, std::set<std::string>*> lists[] = {
      {"vnf_whitelist", &out->vnf_whitelist},
      {"vnfd_whitelist", &out->vnfd_whitelist},
      {"image_whitelist", &out->image_whitelist},
      {"vnfm_whitelist", &out->vnfm_whitelist},
      {"em_whitelist", &out->em_whitelist},
  };
  for (const auto& [key, set] : lists) {
    if (const json* v = Find(j, key)) {
      NFVSM_RETURN_IF_ERROR(ReadNameSet(*v, Member(path, key), set));
    }
  }
  return OkStatus();
}

Status ReadDocument(const json& doc, Policy* out) {
  NFVSM_RETURN_IF_ERROR(ExpectObject(
      doc, "", {"version", "id", "placement", "network", "boot", "on_update"}));
  NFVSM_RETURN_IF_ERROR(ReadVersion(doc, &out->version));
  if (const json* v = Find(doc, "id")) {
    NFVSM_RETURN_IF_ERROR(ReadText(*v, "id", Emptiness::kAllowed, &out->id));
  }
  if (const json* v = Find(doc, "placement")) {
    NFVSM_RETURN_IF_ERROR(ReadPlacement(*v, &out->placement));
  }
  if (const json* v = Find(doc, "network")) {
    NFVSM_RETURN_IF_ERROR(ReadNetwork(*v, &out->network));
  }
  if (const json* v = Find(doc, "boot")) {
    NFVSM_RETURN_IF_ERROR(ReadBoot(*v, &out->boot));
  }
  if (const json* v = Find(doc, "on_update")) {
    if (!v->is_string()) {
      return InvalidArgumentError("on_update: expected a string");
    }
    auto behaviour =
        ParseEnforcementBehaviour(v->get_ref<const std::string&>());
    if (!behaviour.ok()) {
      return InvalidArgumentError("on_update: " + behaviour.status().message());
    }
    out->on_update = *behaviour;
  }
  return OkStatus();
}

// Parses without exceptions, rejecting what nlohmann would otherwise accept
// silently: duplicate keys (it keeps the last one, so two readers of a
// signed policy could disagree on its meaning) and absurd nesting.
struct ParseGuard {
  std::vector<std::set<std::string>> open_objects;
  bool duplicate_key = false;
  bool too_deep = false;
};

StatusOr<json> ParseJson(std::string_view text) {
  ParseGuard guard;
  json::parser_callback_t watch = [&guard](int depth, json::parse_event_t event,
                                           json& parsed) {
    if (depth > policy_internal::kMaxJsonDepth) guard.too_deep = true;
    switch (event) {
      case json::parse_event_t::object_start:
        guard.open_objects.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!guard.open_objects.empty()) guard.open_objects.pop_back();
        break;
      case json::parse_event_t::key:
        if (!guard.open_objects.empty() && parsed.is_string() &&
            !guard.open_objects.back()
                 .insert(parsed.get<std::string>())
                 .second) {
          guard.duplicate_key = true;
        }
        break;
      default:
        break;
    }
    return true;
  };
  json doc;
  try {
    doc = json::parse(text, watch, /*allow_exceptions=*/false);
  } catch (const std::exception&) {
    doc = json(json::value_t::discarded);
  }
  if (doc.is_discarded()) {
    return InvalidArgumentError("policy: not well-formed JSON");
  }
  if (guard.too_deep) {
    return InvalidArgumentError("policy: nested deeper than " +
                                std::to_string(policy_internal::kMaxJsonDepth) +
                                " levels");
  }
  if (guard.duplicate_key) {
    return InvalidArgumentError("policy: an object has a duplicate key");
  }
  return doc;
}

}  // namespace

StatusOr<Policy> ParsePolicyJson(std::string_view text, size_t max_bytes) {
  if (text.size() > max_bytes) {
    return ResourceExhaustedError("policy: " + std::to_string(text.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(max_bytes));
  }
  NFVSM_ASSIGN_OR_RETURN(json doc, ParseJson(text));
  Policy policy;
  try {
    NFVSM_RETURN_IF_ERROR(ReadDocument(doc, &policy));
  } catch (const std::exception&) {
    // The reader checks every type before reading it; reaching this means a
    // bug, and a bug must not let a policy through.
    return InternalError("policy: unexpected error while reading");
  }
  NFVSM_RETURN_IF_ERROR(ValidatePolicy(policy));
  return policy;
}

}  // namespace nfvsm
