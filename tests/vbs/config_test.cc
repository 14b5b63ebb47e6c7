// The configuration files of nfvsm-vbs and nfvsm-vbs-agent: what they
// accept, and that every mistake is an error naming the file and key.
#include "lib/config.h"

#include <gtest/gtest.h>

#include "core/vbs/vbs_test_support.h"
#include "vbs/test_files.h"

namespace nfvsm::vbs {
namespace {

using testing::Digest;
using testing::Must;
using testing::TempDir;

const char kMinimalIni[] = R"(
[vbs]
address = https://vbs.example.net:8443
signing_key_file = keys/vbs.key
ca_certificate_file = /etc/nfvsm/ca.crt
ca_key_file = /etc/nfvsm/ca.key
inventory_file = inventory.json
store_path = /var/lib/nfvsm/vbs.sqlite
audit_hmac_key_file = /etc/nfvsm/audit-hmac.key
session_ttl_seconds = 20

[endpoint]
bind = 0.0.0.0
port = 9443
rate_per_second = 2.5
detailed_refusals = false
)";

// covers: VBS-M1
TEST(DaemonConfigTest, ReadsOptionsAndResolvesRelativePaths) {
  TempDir dir;
  DaemonConfig c = Must(LoadDaemonConfig(dir.Write("vbs.conf", kMinimalIni)));
  EXPECT_EQ(c.server.address, "https://vbs.example.net:8443");
  EXPECT_EQ(c.server.session_ttl, std::chrono::seconds(20));
  EXPECT_EQ(c.server.max_half_open_per_platform, 64u);  // default
  EXPECT_EQ(c.signing_key_file, dir.Path("keys/vbs.key"));
  EXPECT_EQ(c.ca_certificate_file, "/etc/nfvsm/ca.crt");
  EXPECT_EQ(c.endpoint.bind_address, "0.0.0.0");
  EXPECT_EQ(c.endpoint.port, 9443);
  EXPECT_DOUBLE_EQ(c.endpoint.rate_limit.rate_per_second, 2.5);
  EXPECT_FALSE(c.endpoint.detailed_refusals);
}

// covers: VBS-M1
TEST(DaemonConfigTest, MistakesAreErrors) {
  TempDir dir;
  struct Case {
    const char* name;
    std::string ini;
    const char* mentions;
  };
  const std::string base = kMinimalIni;
  const std::vector<Case> cases = {
      {"typo", base + "sesion_ttl = 3\n", "sesion_ttl"},
      {"out of range", base + "[vbs]\nmax_half_open_sessions = 0\n",
       "max_half_open_sessions"},
      {"not a number", base + "[endpoint]\nthreads = many\n", "threads"},
      {"bad boolean", base + "[endpoint]\nallow_plain_http = maybe\n",
       "allow_plain_http"},
      {"missing required", "[vbs]\naddress = x\n", "signing_key_file"},
      {"syntax", "[vbs\n", "line"},
  };
  for (const Case& c : cases) {
    auto config = LoadDaemonConfig(dir.Write("bad.conf", c.ini));
    EXPECT_EQ(config.status().code(), StatusCode::kInvalidArgument) << c.name;
    EXPECT_NE(config.status().message().find(c.mentions), std::string::npos)
        << c.name << ": " << config.status().ToString();
  }
  EXPECT_EQ(LoadDaemonConfig(dir.Path("none.conf")).status().code(),
            StatusCode::kNotFound);
}

// covers: VBS-M4
TEST(InventoryTest, ReadsPlatformsVnfsAndBootPolicies) {
  TempDir dir;
  const std::string hmee_key =
      Must(crypto::SigningKey::Generate()).verifying_key().ToPem();
  dir.Write("compute-2.pem", hmee_key);
  const std::string image_hex = crypto::HexEncode(Digest("image"));
  const std::string key_hex =
      crypto::HexEncode(Must(crypto::SigningKey::Generate()).PublicKeyRaw());
  const std::string json = R"({
    "platforms": [
      {"platform_id": "compute-1", "hmee_public_key": ")" +
                           key_hex + R"("},
      {"platform_id": "compute-2", "hmee_public_key_file": "compute-2.pem"}
    ],
    "vnfs": [{"vnf_id": "vnf-1", "domain": "tenant-a", "image_id": "img",
              "image_sha256": ")" +
                           image_hex + R"(", "vnfd_id": "vnfd",
              "vnfd_sha256": ")" +
                           image_hex + R"(",
              "vnfm_address": "https://vnfm", "platform_id": "compute-1"}],
    "boot_policies": {"tenant-a": {"version": 1,
                      "boot": {"image_whitelist": ["img"]}}},
    "default_boot_policy": {"version": 1, "boot": {"vbs_required": true}}
  })";
  auto inv = ParseInventory(json, dir.path());
  ASSERT_TRUE(inv.ok()) << inv.status().ToString();
  EXPECT_EQ(crypto::HexEncode(inv->platforms[0].hmee_public_key), key_hex);
  ASSERT_EQ(inv->platforms.size(), 2u);
  EXPECT_EQ(inv->platforms[1].hmee_public_key,
            Must(crypto::VerifyingKey::FromPem(hmee_key)).Raw());
  ASSERT_EQ(inv->vnfs.size(), 1u);
  EXPECT_EQ(inv->vnfs[0].image_digest, Digest("image"));
  EXPECT_EQ(inv->vnfs[0].platform_id, "compute-1");
  EXPECT_EQ(inv->boot_policies.at("tenant-a").image_whitelist,
            (std::set<std::string>{"img"}));
  EXPECT_TRUE(inv->default_boot_policy->vbs_required);
}

// covers: VBS-M4
TEST(InventoryTest, MistakesAreErrors) {
  const std::string key_hex =
      crypto::HexEncode(Must(crypto::SigningKey::Generate()).PublicKeyRaw());
  for (const std::string& json : std::vector<std::string>{
           "[]",
           "{\"platform\": []}",
           "{\"platforms\": {}}",
           "{\"platforms\": [{\"platform_id\": \"p\"}]}",
           "{\"platforms\": [{\"platform_id\": \"p\", \"hmee_public_key\": "
           "\"zz\"}]}",
           "{\"platforms\": [{\"platform_id\": \"p\", \"hmee_public_key\": \"" +
               key_hex + "\", \"quote_format\": \"sgx\"}]}",
           "{\"vnfs\": [{\"vnf_id\": 5}]}",
           "{\"vnfs\": [{\"vnf_id\": \"v\", \"domain\": \"d\", \"image_id\": "
           "\"i\", \"image_sha256\": \"abc\"}]}",
           "{\"boot_policies\": {\"d\": {\"version\": 1, \"boot\": "
           "{\"bogus\": 1}}}}",
           "{\"vnfs\": [",
       }) {
    auto inv = ParseInventory(json, "/");
    EXPECT_EQ(inv.status().code(), StatusCode::kInvalidArgument) << json;
  }
}

// covers: VBS-M1
TEST(AgentParamsTest, ReadsTopLevelOrConfigDriveMetadata) {
  const std::string key_hex =
      crypto::HexEncode(Must(crypto::SigningKey::Generate()).PublicKeyRaw());
  const std::string digest = crypto::HexEncode(Digest("x"));
  const std::string top = R"({"vbs_public_key": ")" + key_hex +
                          R"(", "vbs_address": "https://vbs:8443",
      "vnf_id": "vnf-1", "platform_id": "compute-1",
      "image_sha256": ")" +
                          digest + R"(", "vnfd_sha256": ")" + digest + "\"}";
  AgentParams a = Must(ParseAgentParams(top));
  EXPECT_EQ(a.vnf_id, "vnf-1");
  EXPECT_EQ(crypto::HexEncode(a.vbs_public_key), key_hex);
  EXPECT_EQ(a.image_digest, Digest("x"));

  const std::string meta = R"({"uuid": "ignored", "meta": {
      "nfvsm_vbs_vbs_public_key": ")" +
                           key_hex + R"(",
      "nfvsm_vbs_vbs_address": "https://vbs:8443",
      "nfvsm_vbs_vnf_id": "vnf-9", "nfvsm_vbs_platform_id": "compute-1",
      "nfvsm_vbs_image_sha256": ")" +
                           digest + R"(",
      "nfvsm_vbs_vnfd_sha256": ")" +
                           digest + R"(", "other": "x"}})";
  EXPECT_EQ(Must(ParseAgentParams(meta)).vnf_id, "vnf-9");

  EXPECT_EQ(ParseAgentParams("{}").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseAgentParams("nope").status().code(),
            StatusCode::kInvalidArgument);
  std::string bad_key = top;
  bad_key.replace(bad_key.find(key_hex), 4, "zzzz");
  EXPECT_EQ(ParseAgentParams(bad_key).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: VBS-M3
TEST(HmeeProvisioningTest, RoundTripsThroughItsJson) {
  HmeeProvisioning p{Must(crypto::SigningKey::Generate()).PublicKeyRaw(),
                     "https://vbs:8443", "compute-1", "vnf-1"};
  HmeeProvisioning back =
      Must(ParseHmeeProvisioning(HmeeProvisioningToJson(p)));
  EXPECT_EQ(back.vbs_public_key, p.vbs_public_key);
  EXPECT_EQ(back.vbs_address, p.vbs_address);
  EXPECT_EQ(back.platform_id, p.platform_id);
  EXPECT_EQ(back.vnf_id, p.vnf_id);
  EXPECT_EQ(ParseHmeeProvisioning("{\"vbs_address\": 1}").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::vbs
