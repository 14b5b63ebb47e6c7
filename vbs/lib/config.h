// Configuration files of the VBS programs.
//
// nfvsm-vbs reads an INI file (OpenStack style, docs/vbs.md) and an
// inventory JSON file: what MANO registered (platforms with their HMEE
// keys, VNF instances with their expected image and VNFD digests) and the
// boot policies per trust domain (the product's policy format, its "boot"
// part). nfvsm-vbs-agent reads its start-up parameters from a JSON file
// such as a config drive's meta_data.json, and the software HMEE's
// provisioning from a JSON file.
//
// Thread safety: pure functions. Failures: kNotFound / kUnavailable for
// files that are missing / unreadable, kInvalidArgument naming the file
// and key for anything malformed. Never throws.
#ifndef NFVSM_VBS_LIB_CONFIG_H_
#define NFVSM_VBS_LIB_CONFIG_H_

#include <chrono>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "lib/http_endpoint.h"
#include "nfvsm/hmee.h"
#include "nfvsm/policy.h"
#include "nfvsm/status.h"
#include "nfvsm/vbs.h"
#include "nfvsm/vbs_agent.h"

namespace nfvsm::vbs {

struct DaemonConfig {
  ServerOptions server;
  EndpointOptions endpoint;
  std::string signing_key_file;
  std::string ca_certificate_file;
  std::string ca_key_file;
  std::string inventory_file;
  std::string store_path;  // SQLite: the audit log, and quarantine to honour
  std::string audit_hmac_key_file;
  std::string audit_encryption_key_file;  // empty: bodies in clear
  // Issued and revoked credentials across restarts; empty: memory only.
  std::string state_file;
  std::chrono::seconds sync_interval{10};
  std::string log_level = "info";
};

// Reads the [vbs] and [endpoint] sections. Unknown keys are refused (a
// typo must not silently leave a default in force).
StatusOr<DaemonConfig> LoadDaemonConfig(const std::string& path);

struct Inventory {
  std::vector<PlatformRegistration> platforms;
  std::vector<VnfRegistration> vnfs;
  std::map<std::string, BootPolicy> boot_policies;  // by trust domain
  std::optional<BootPolicy> default_boot_policy;
};

// `base_dir` resolves relative key-file paths.
StatusOr<Inventory> ParseInventory(std::string_view json,
                                   const std::string& base_dir);
StatusOr<Inventory> LoadInventory(const std::string& path);

// A public key given as 64 hex digits (raw Ed25519) or as PEM.
StatusOr<std::string> ParsePublicKey(std::string_view text);

// Start-up parameters: keys vbs_public_key, vbs_address, vnf_id,
// platform_id, image_sha256, vnfd_sha256, either at the top level or, as
// instance metadata in meta_data.json, in "meta" with the prefix
// "nfvsm_vbs_".
StatusOr<AgentParams> ParseAgentParams(std::string_view json);

// Software HMEE provisioning: vbs_public_key, vbs_address, platform_id,
// optional vnf_id.
StatusOr<HmeeProvisioning> ParseHmeeProvisioning(std::string_view json);
std::string HmeeProvisioningToJson(const HmeeProvisioning& p);

// Reads a whole (public) file, at most max_bytes.
StatusOr<std::string> ReadTextFile(const std::string& path,
                                   size_t max_bytes = 1 << 20);

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_LIB_CONFIG_H_
