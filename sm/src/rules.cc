#include "sm/src/rules.h"

#include <fnmatch.h>

#include <algorithm>
#include <cctype>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "sm/src/messages.h"

namespace nfvsm::refsm {
namespace {

using nlohmann::json;

constexpr const char* kGlobFields[] = {
    "domain",     "vnf_id",      "vnfd_id",    "image_id",
    "package_id", "target_host", "target_zone"};

Error Bad(const std::string& where, const std::string& what) {
  return MakeError(Code::kInvalidArgument, where + ": " + what);
}

const std::string& FieldOf(const v1::GateRequest& r, const std::string& f) {
  if (f == "domain") return r.domain();
  if (f == "vnf_id") return r.vnf_id();
  if (f == "vnfd_id") return r.vnfd_id();
  if (f == "image_id") return r.image_id();
  if (f == "package_id") return r.package_id();
  if (f == "target_host") return r.target_host();
  return r.target_zone();
}

Result<v1::OperationKind> ParseOperation(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(), [](unsigned char c) {
    return c == '-' ? '_' : static_cast<char>(std::toupper(c));
  });
  if (text.rfind("OPERATION_KIND_", 0) != 0) text = "OPERATION_KIND_" + text;
  v1::OperationKind kind = v1::OPERATION_KIND_UNSPECIFIED;
  if (!v1::OperationKind_Parse(text, &kind) ||
      kind == v1::OPERATION_KIND_UNSPECIFIED) {
    return MakeError(Code::kInvalidArgument, "unknown operation");
  }
  return kind;
}

Result<GateDecision> ParseDecision(const json& j, const std::string& where,
                                   bool allow_match_keys) {
  GateDecision d;
  if (j.is_string()) {
    if (allow_match_keys) return Bad(where, "a rule must be an object");
    const std::string v = j.get<std::string>();
    if (v != "allow" && v != "deny") {
      return Bad(where, "verdict must be \"allow\" or \"deny\"");
    }
    d.verdict = v == "allow" ? v1::VERDICT_ALLOW : v1::VERDICT_DENY;
    d.reason = "default " + v;
    return d;
  }
  if (!j.is_object()) return Bad(where, "must be an object");
  for (const auto& [key, value] : j.items()) {
    if (key == "match" && allow_match_keys) continue;
    if (key == "verdict") {
      if (!value.is_string() || (value != "allow" && value != "deny")) {
        return Bad(where, "verdict must be \"allow\" or \"deny\"");
      }
      d.verdict = value == "allow" ? v1::VERDICT_ALLOW : v1::VERDICT_DENY;
    } else if (key == "reason") {
      if (!value.is_string()) return Bad(where, "reason must be a string");
      d.reason = value.get<std::string>();
    } else if (key == "policy") {
      if (!value.is_object()) return Bad(where, "policy must be an object");
      Result<v1::Policy> policy = ParsePolicyJson(value.dump());
      if (!policy.ok()) return Bad(where, "policy: " + policy.error().message);
      d.policy = std::move(policy).value();
    } else if (key == "delay_ms") {
      if (!value.is_number_integer() || value.get<int64_t>() < 0 ||
          value.get<int64_t>() > 50'000) {
        return Bad(where, "delay_ms must be an integer in [0, 50000]");
      }
      d.delay_ms = value.get<int>();
    } else if (key == "silent") {
      if (!value.is_boolean()) return Bad(where, "silent must be a boolean");
      d.silent = value.get<bool>();
    } else {
      return Bad(where, "unknown key \"" + key + "\"");
    }
  }
  if (!j.contains("verdict") && !d.silent) {
    return Bad(where, "verdict is required");
  }
  return d;
}

}  // namespace

Result<Rules> Rules::Parse(std::string_view json_text) {
  const json root = json::parse(json_text, nullptr, false);
  if (root.is_discarded() || !root.is_object()) {
    return MakeError(Code::kInvalidArgument, "rules file is not JSON object");
  }
  Rules rules;
  rules.default_.verdict = v1::VERDICT_DENY;
  rules.default_.reason = "no rule matched (default deny)";
  for (const auto& [key, value] : root.items()) {
    if (key == "default") {
      Result<GateDecision> d = ParseDecision(value, "default", false);
      if (!d.ok()) return d.error();
      rules.default_ = std::move(d).value();
      if (rules.default_.reason.empty()) {
        rules.default_.reason = "no rule matched";
      }
    } else if (key != "rules") {
      return Bad("rules file", "unknown key \"" + key + "\"");
    }
  }
  const auto list = root.find("rules");
  if (list != root.end() && !list->is_array()) {
    return Bad("rules file", "\"rules\" must be an array");
  }
  if (list == root.end()) return rules;
  for (size_t i = 0; i < list->size(); ++i) {
    const json& r = (*list)[i];
    const std::string where = "rules[" + std::to_string(i) + "]";
    Result<GateDecision> d = ParseDecision(r, where, true);
    if (!d.ok()) return d.error();
    Rule rule;
    rule.decision = std::move(d).value();
    rule.decision.rule_index = static_cast<int>(i);
    if (rule.decision.reason.empty()) rule.decision.reason = where;
    const auto m = r.find("match");
    if (m != r.end()) {
      if (!m->is_object()) return Bad(where, "match must be an object");
      for (const auto& [field, value] : m->items()) {
        const std::string at = where + ".match." + field;
        const bool glob =
            std::find_if(std::begin(kGlobFields), std::end(kGlobFields),
                         [&](const char* f) { return field == f; }) !=
            std::end(kGlobFields);
        if (glob) {
          if (!value.is_string()) return Bad(at, "must be a string");
          rule.match.globs.emplace_back(field, value.get<std::string>());
        } else if (field == "operation") {
          if (!value.is_string()) return Bad(at, "must be a string");
          Result<v1::OperationKind> op = ParseOperation(value);
          if (!op.ok()) return Bad(at, op.error().message);
          rule.match.operation = op.value();
        } else if (field == "is_recovery" || field == "needs_security_policy") {
          if (!value.is_boolean()) return Bad(at, "must be a boolean");
          (field == "is_recovery" ? rule.match.is_recovery
                                  : rule.match.needs_security_policy) =
              value.get<bool>();
        } else {
          return Bad(at, "unknown match key");
        }
      }
    }
    rules.rules_.push_back(std::move(rule));
  }
  return rules;
}

Result<Rules> Rules::LoadFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(Code::kNotFound, "cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return Parse(buf.str());
}

bool Rules::Matches(const Match& match, const v1::GateRequest& request) {
  for (const auto& [field, glob] : match.globs) {
    if (fnmatch(glob.c_str(), FieldOf(request, field).c_str(), 0) != 0) {
      return false;
    }
  }
  if (match.operation && request.operation() != *match.operation) {
    return false;
  }
  if (match.is_recovery && request.is_recovery() != *match.is_recovery) {
    return false;
  }
  if (match.needs_security_policy &&
      request.needs_security_policy() != *match.needs_security_policy) {
    return false;
  }
  return true;
}

GateDecision Rules::Decide(const v1::GateRequest& request) const {
  for (const Rule& rule : rules_) {
    if (Matches(rule.match, request)) return rule.decision;
  }
  return default_;
}

}  // namespace nfvsm::refsm
