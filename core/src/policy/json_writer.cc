// Writing the canonical JSON form of a policy: PolicyToJson.
#include <nlohmann/json.hpp>
#include <set>
#include <string>

#include "nfvsm/policy.h"

namespace nfvsm {
namespace {

using nlohmann::json;

json NameArray(const std::set<std::string>& names) {
  json a = json::array();
  for (const auto& n : names) a.push_back(n);
  return a;
}

}  // namespace

std::string PolicyToJson(const Policy& p) {
  // Fields equal to their defaults, and sections left empty, are omitted:
  // the output is canonical either way, and shorter in audit records.
  json doc = json::object();
  doc["version"] = p.version;
  if (!p.id.empty()) doc["id"] = p.id;

  json placement = json::object();
  if (!p.placement.allowed_zones.empty()) {
    placement["allowed_zones"] = NameArray(p.placement.allowed_zones);
  }
  if (!p.placement.denied_hosts.empty()) {
    placement["denied_hosts"] = NameArray(p.placement.denied_hosts);
  }
  if (p.placement.hmee_required) placement["hmee_required"] = true;
  if (!p.placement.anti_affinity_group.empty()) {
    placement["anti_affinity_group"] = p.placement.anti_affinity_group;
  }
  if (!placement.empty()) doc["placement"] = std::move(placement);

  json network = json::object();
  if (!p.network.security_group_rules.empty()) {
    json rules = json::array();
    for (const auto& r : p.network.security_group_rules) {
      rules.push_back({{"direction", r.direction},
                       {"protocol", r.protocol},
                       {"port_min", r.port_min},
                       {"port_max", r.port_max},
                       {"remote_cidr", r.remote_cidr}});
    }
    network["security_group_rules"] = std::move(rules);
  }
  if (!p.network.insert_functions.empty()) {
    json functions = json::array();
    for (const auto& f : p.network.insert_functions) {
      functions.push_back({{"vsf_vnfd_id", f.vsf_vnfd_id},
                           {"after", f.after},
                           {"before", f.before}});
    }
    network["insert_functions"] = std::move(functions);
  }
  if (!network.empty()) doc["network"] = std::move(network);

  json boot = json::object();
  if (p.boot.vbs_required) boot["vbs_required"] = true;
  const std::pair<const char*, const std::set<std::string>*> lists[] = {
      {"vnf_whitelist", &p.boot.vnf_whitelist},
      {"vnfd_whitelist", &p.boot.vnfd_whitelist},
      {"image_whitelist", &p.boot.image_whitelist},
      {"vnfm_whitelist", &p.boot.vnfm_whitelist},
      {"em_whitelist", &p.boot.em_whitelist},
  };
  for (const auto& [key, set] : lists) {
    if (!set->empty()) boot[key] = NameArray(*set);
  }
  if (!boot.empty()) doc["boot"] = std::move(boot);

  if (p.on_update != EnforcementBehaviour::kContinueUntilNextTrigger) {
    doc["on_update"] = std::string(ToString(p.on_update));
  }
  // `replace` keeps this total: an unvalidated Policy with malformed UTF-8
  // still serializes (and then fails ValidatePolicy when read back).
  return doc.dump(-1, ' ', false, json::error_handler_t::replace);
}

}  // namespace nfvsm
