// The JSON files of the VBS programs: inventory, agent start-up
// parameters, software-HMEE provisioning (nlohmann-json, no exceptions).
#include <cctype>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "lib/config.h"
#include "nfvsm/crypto.h"

namespace nfvsm::vbs {
namespace {

using nlohmann::json;

StatusOr<json> ParseObject(std::string_view text, std::string_view what) {
  json j = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) {
    return InvalidArgumentError(std::string(what) + " is not a JSON object");
  }
  return j;
}

// A string member; empty if absent, an error if present with another type.
StatusOr<std::string> StringField(const json& obj, const std::string& key,
                                  std::string_view where) {
  auto it = obj.find(key);
  if (it == obj.end()) return std::string();
  if (!it->is_string()) {
    return InvalidArgumentError(std::string(where) + "." + key +
                                " must be a string");
  }
  return it->get<std::string>();
}

StatusOr<std::string> RequiredString(const json& obj, const std::string& key,
                                     std::string_view where) {
  NFVSM_ASSIGN_OR_RETURN(std::string v, StringField(obj, key, where));
  if (v.empty()) {
    return InvalidArgumentError(std::string(where) + "." + key +
                                " is required");
  }
  return v;
}

StatusOr<std::string> Sha256Field(const json& obj, const std::string& key,
                                  std::string_view where) {
  NFVSM_ASSIGN_OR_RETURN(std::string hex, RequiredString(obj, key, where));
  auto raw = crypto::HexDecode(hex);
  if (!raw.ok() || raw->size() != kDigestBytes) {
    return InvalidArgumentError(std::string(where) + "." + key +
                                " must be 64 hex digits (SHA-256)");
  }
  return std::move(raw).value();
}

StatusOr<BootPolicy> ParseBootPolicy(const json& policy,
                                     std::string_view where) {
  // The product's policy format: reuse its parser and validation.
  auto parsed = ParsePolicyJson(policy.dump());
  if (!parsed.ok()) {
    return InvalidArgumentError(std::string(where) + ": " +
                                parsed.status().message());
  }
  return parsed->boot;
}

}  // namespace

StatusOr<std::string> ReadTextFile(const std::string& path, size_t max_bytes) {
  std::error_code ec;
  if (!std::filesystem::exists(path, ec)) {
    return NotFoundError("file '" + path + "' does not exist");
  }
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return UnavailableError("cannot read '" + path + "'");
  if (size > max_bytes) {
    return ResourceExhaustedError("file '" + path + "' is too large");
  }
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError("cannot read '" + path + "'");
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

StatusOr<std::string> ParsePublicKey(std::string_view text) {
  while (!text.empty() &&
         std::isspace(static_cast<unsigned char>(text.back()))) {
    text.remove_suffix(1);
  }
  if (text.find("-----BEGIN") != std::string_view::npos) {
    NFVSM_ASSIGN_OR_RETURN(crypto::VerifyingKey key,
                           crypto::VerifyingKey::FromPem(text));
    return key.Raw();
  }
  auto raw = crypto::HexDecode(text);
  if (!raw.ok() || raw->size() != kPublicKeyBytes) {
    return InvalidArgumentError(
        "a public key must be 64 hex digits (raw Ed25519) or a PEM");
  }
  NFVSM_RETURN_IF_ERROR(crypto::VerifyingKey::FromRaw(*raw).status());
  return std::move(raw).value();
}

StatusOr<Inventory> ParseInventory(std::string_view text,
                                   const std::string& base_dir) {
  NFVSM_ASSIGN_OR_RETURN(json root, ParseObject(text, "inventory"));
  for (const auto& [key, value] : root.items()) {
    if (key != "platforms" && key != "vnfs" && key != "boot_policies" &&
        key != "default_boot_policy") {
      return InvalidArgumentError("inventory: unknown key '" + key + "'");
    }
  }
  Inventory inv;
  if (auto it = root.find("platforms"); it != root.end()) {
    if (!it->is_array()) {
      return InvalidArgumentError("inventory.platforms must be an array");
    }
    for (size_t i = 0; i < it->size(); ++i) {
      const json& p = (*it)[i];
      const std::string where =
          "inventory.platforms[" + std::to_string(i) + "]";
      if (!p.is_object()) return InvalidArgumentError(where + " not an object");
      PlatformRegistration reg;
      NFVSM_ASSIGN_OR_RETURN(reg.platform_id,
                             RequiredString(p, "platform_id", where));
      NFVSM_ASSIGN_OR_RETURN(std::string key_text,
                             StringField(p, "hmee_public_key", where));
      if (key_text.empty()) {
        NFVSM_ASSIGN_OR_RETURN(
            std::string file, RequiredString(p, "hmee_public_key_file", where));
        if (!std::filesystem::path(file).is_absolute()) {
          file = (std::filesystem::path(base_dir) / file).string();
        }
        NFVSM_ASSIGN_OR_RETURN(key_text, ReadTextFile(file, 64 * 1024));
      }
      auto key = ParsePublicKey(key_text);
      if (!key.ok()) {
        return InvalidArgumentError(where + ": " + key.status().message());
      }
      reg.hmee_public_key = std::move(key).value();
      NFVSM_ASSIGN_OR_RETURN(std::string format,
                             StringField(p, "quote_format", where));
      if (format.empty() || format == "software-ed25519") {
        reg.quote_format = QuoteFormat::kSoftwareEd25519;
      } else if (format == "tpm2") {
        reg.quote_format = QuoteFormat::kTpm2;
      } else {
        return InvalidArgumentError(where +
                                    ".quote_format must be software-ed25519 "
                                    "or tpm2");
      }
      inv.platforms.push_back(std::move(reg));
    }
  }
  if (auto it = root.find("vnfs"); it != root.end()) {
    if (!it->is_array())
      return InvalidArgumentError("inventory.vnfs must be an array");
    for (size_t i = 0; i < it->size(); ++i) {
      const json& v = (*it)[i];
      const std::string where = "inventory.vnfs[" + std::to_string(i) + "]";
      if (!v.is_object()) return InvalidArgumentError(where + " not an object");
      VnfRegistration reg;
      NFVSM_ASSIGN_OR_RETURN(reg.vnf_id, RequiredString(v, "vnf_id", where));
      NFVSM_ASSIGN_OR_RETURN(reg.domain, RequiredString(v, "domain", where));
      NFVSM_ASSIGN_OR_RETURN(reg.image_id,
                             RequiredString(v, "image_id", where));
      NFVSM_ASSIGN_OR_RETURN(reg.image_digest,
                             Sha256Field(v, "image_sha256", where));
      NFVSM_ASSIGN_OR_RETURN(reg.vnfd_id, RequiredString(v, "vnfd_id", where));
      NFVSM_ASSIGN_OR_RETURN(reg.vnfd_digest,
                             Sha256Field(v, "vnfd_sha256", where));
      NFVSM_ASSIGN_OR_RETURN(reg.vnfm_address,
                             StringField(v, "vnfm_address", where));
      NFVSM_ASSIGN_OR_RETURN(reg.em_address,
                             StringField(v, "em_address", where));
      NFVSM_ASSIGN_OR_RETURN(reg.platform_id,
                             StringField(v, "platform_id", where));
      inv.vnfs.push_back(std::move(reg));
    }
  }
  if (auto it = root.find("boot_policies"); it != root.end()) {
    if (!it->is_object()) {
      return InvalidArgumentError("inventory.boot_policies must be an object");
    }
    for (const auto& [domain, policy] : it->items()) {
      NFVSM_ASSIGN_OR_RETURN(
          BootPolicy boot,
          ParseBootPolicy(policy, "inventory.boot_policies." + domain));
      inv.boot_policies[domain] = std::move(boot);
    }
  }
  if (auto it = root.find("default_boot_policy"); it != root.end()) {
    NFVSM_ASSIGN_OR_RETURN(
        BootPolicy boot, ParseBootPolicy(*it, "inventory.default_boot_policy"));
    inv.default_boot_policy = std::move(boot);
  }
  return inv;
}

StatusOr<Inventory> LoadInventory(const std::string& path) {
  NFVSM_ASSIGN_OR_RETURN(std::string text, ReadTextFile(path));
  auto inv = ParseInventory(
      text, std::filesystem::absolute(path).parent_path().string());
  if (!inv.ok()) {
    return Status(inv.status().code(), path + ": " + inv.status().message());
  }
  return inv;
}

StatusOr<AgentParams> ParseAgentParams(std::string_view text) {
  NFVSM_ASSIGN_OR_RETURN(json root, ParseObject(text, "start-up parameters"));
  // OpenStack's meta_data.json keeps instance metadata under "meta".
  json params = json::object();
  if (auto meta = root.find("meta"); meta != root.end() && meta->is_object()) {
    constexpr std::string_view kPrefix = "nfvsm_vbs_";
    for (const auto& [key, value] : meta->items()) {
      if (key.rfind(kPrefix, 0) == 0)
        params[key.substr(kPrefix.size())] = value;
    }
  }
  if (params.empty()) params = root;
  const std::string where = "start-up parameters";
  AgentParams p;
  NFVSM_ASSIGN_OR_RETURN(std::string key,
                         RequiredString(params, "vbs_public_key", where));
  auto raw = ParsePublicKey(key);
  if (!raw.ok()) {
    return InvalidArgumentError(where +
                                ".vbs_public_key: " + raw.status().message());
  }
  p.vbs_public_key = std::move(raw).value();
  NFVSM_ASSIGN_OR_RETURN(p.vbs_address,
                         RequiredString(params, "vbs_address", where));
  NFVSM_ASSIGN_OR_RETURN(p.vnf_id, RequiredString(params, "vnf_id", where));
  NFVSM_ASSIGN_OR_RETURN(p.platform_id,
                         RequiredString(params, "platform_id", where));
  NFVSM_ASSIGN_OR_RETURN(p.image_digest,
                         Sha256Field(params, "image_sha256", where));
  NFVSM_ASSIGN_OR_RETURN(p.vnfd_digest,
                         Sha256Field(params, "vnfd_sha256", where));
  return p;
}

StatusOr<HmeeProvisioning> ParseHmeeProvisioning(std::string_view text) {
  NFVSM_ASSIGN_OR_RETURN(json root, ParseObject(text, "HMEE provisioning"));
  const std::string where = "HMEE provisioning";
  HmeeProvisioning p;
  NFVSM_ASSIGN_OR_RETURN(std::string key,
                         RequiredString(root, "vbs_public_key", where));
  NFVSM_ASSIGN_OR_RETURN(p.vbs_public_key, ParsePublicKey(key));
  NFVSM_ASSIGN_OR_RETURN(p.vbs_address,
                         RequiredString(root, "vbs_address", where));
  NFVSM_ASSIGN_OR_RETURN(p.platform_id,
                         RequiredString(root, "platform_id", where));
  NFVSM_ASSIGN_OR_RETURN(p.vnf_id, StringField(root, "vnf_id", where));
  return p;
}

std::string HmeeProvisioningToJson(const HmeeProvisioning& p) {
  json j = {{"vbs_public_key", crypto::HexEncode(p.vbs_public_key)},
            {"vbs_address", p.vbs_address},
            {"platform_id", p.platform_id}};
  if (!p.vnf_id.empty()) j["vnf_id"] = p.vnf_id;
  return j.dump(2) + "\n";
}

}  // namespace nfvsm::vbs
