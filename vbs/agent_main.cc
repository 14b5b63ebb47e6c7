// nfvsm-vbs-agent: bootstraps a VNF's root credential with the VBS (run
// from cloud-init). Exits 0 only once the credential is verified and
// stored; otherwise non-zero with one clear line on stderr:
//   1 the VBS refused, or an answer did not verify
//   2 usage or configuration error
//   3 the VBS could not be reached (after the retries)
//   4 the credential could not be written
//
//   nfvsm-vbs-agent --params /mnt/config/openstack/latest/meta_data.json
//       --hmee-key /etc/nfvsm/hmee/hmee.key
//       --hmee-provisioning /etc/nfvsm/hmee/provisioning.json
//       --out-dir /etc/nfvsm/vnf
//   nfvsm-vbs-agent --init-hmee DIR --platform-id P --vbs-public-key HEX
//       --vbs-address URL      # a software HMEE for development
#include <google/protobuf/stubs/logging.h>

#include <CLI/CLI.hpp>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <thread>

#include "lib/config.h"
#include "lib/http_transport.h"
#include "nfvsm/hmee.h"
#include "nfvsm/vbs_agent.h"

namespace nfvsm::vbs {
namespace {

constexpr char kVersion[] = "nfvsm-vbs-agent 0.1.0";
enum ExitCode { kOk = 0, kRefused = 1, kUsage = 2, kUnreachable = 3, kIo = 4 };

int Die(ExitCode code, const std::string& message) {
  std::fprintf(stderr, "nfvsm-vbs-agent: %s\n", message.c_str());
  return code;
}

bool Retryable(StatusCode code) {
  return code == StatusCode::kUnavailable ||
         code == StatusCode::kResourceExhausted ||
         code == StatusCode::kDeadlineExceeded;
}

int InitHmee(const std::string& dir, const std::string& platform_id,
             const std::string& vbs_key_text, const std::string& vbs_address,
             const std::string& vnf_id) {
  auto vbs_key = ParsePublicKey(vbs_key_text);
  if (!vbs_key.ok()) return Die(kUsage, vbs_key.status().ToString());
  auto key = crypto::SigningKey::Generate();
  if (!key.ok()) return Die(kIo, key.status().ToString());
  HmeeProvisioning p{*vbs_key, vbs_address, platform_id, vnf_id};
  const std::string public_hex = crypto::HexEncode(key->PublicKeyRaw());
  auto pem = key->ToPem();
  if (!pem.ok()) return Die(kIo, pem.status().ToString());
  auto hmee = SoftwareHmee::Create(std::move(key).value(), p);
  if (!hmee.ok()) return Die(kUsage, hmee.status().ToString());
  std::filesystem::create_directories(dir);
  const std::filesystem::path d(dir);
  Status s = crypto::WriteSecretFile((d / "hmee.key").string(), pem->view());
  if (s.ok()) {
    s = crypto::WriteSecretFile((d / "provisioning.json").string(),
                                HmeeProvisioningToJson(p));
  }
  if (!s.ok()) return Die(kIo, s.ToString());
  // Registered with the VBS as this platform's HMEE key.
  std::printf("%s\n", public_hex.c_str());
  return kOk;
}

struct Options {
  std::string params_file;
  std::string hmee_key_file;
  std::string hmee_provisioning_file;
  std::string out_dir = "/etc/nfvsm/vnf";
  std::string ca_file;
  bool reissue = false;
  int attempts = 5;
  int timeout_seconds = 10;
};

int RunBootstrap(const Options& o) {
  auto params_text = ReadTextFile(o.params_file);
  if (!params_text.ok()) return Die(kUsage, params_text.status().ToString());
  auto params = ParseAgentParams(*params_text);
  if (!params.ok()) {
    return Die(kUsage, o.params_file + ": " + params.status().message());
  }
  params->reissue = o.reissue;
  auto provisioning_text = ReadTextFile(o.hmee_provisioning_file);
  if (!provisioning_text.ok()) {
    return Die(kUsage, provisioning_text.status().ToString());
  }
  auto provisioning = ParseHmeeProvisioning(*provisioning_text);
  if (!provisioning.ok()) return Die(kUsage, provisioning.status().ToString());
  auto hmee_key = crypto::SigningKey::LoadPemFile(o.hmee_key_file);
  if (!hmee_key.ok()) return Die(kUsage, hmee_key.status().ToString());
  auto hmee = SoftwareHmee::Create(std::move(hmee_key).value(),
                                   std::move(provisioning).value());
  if (!hmee.ok()) return Die(kUsage, hmee.status().ToString());

  HttpTransportOptions transport_options;
  transport_options.read_timeout = std::chrono::seconds(o.timeout_seconds);
  transport_options.ca_file = o.ca_file;
  auto transport =
      HttpTransport::Create(params->vbs_address, transport_options);
  if (!transport.ok()) return Die(kUsage, transport.status().ToString());

  StatusOr<AgentCredential> credential = UnavailableError("not attempted");
  auto backoff = std::chrono::seconds(1);
  for (int attempt = 1; attempt <= o.attempts; ++attempt) {
    credential = vbs::Bootstrap(*params, **hmee, **transport, SystemClock());
    if (credential.ok() || !Retryable(credential.status().code())) break;
    if (attempt < o.attempts) {
      std::fprintf(stderr, "nfvsm-vbs-agent: attempt %d: %s; retrying\n",
                   attempt, credential.status().ToString().c_str());
      std::this_thread::sleep_for(backoff);
      backoff = std::min(backoff * 2, std::chrono::seconds(30));
    }
  }
  if (!credential.ok()) {
    const Status& s = credential.status();
    if (Retryable(s.code())) {
      return Die(kUnreachable, "VBS at " + params->vbs_address +
                                   " unavailable: " + s.ToString());
    }
    return Die(kRefused, "bootstrap refused: " + s.ToString());
  }
  std::error_code ec;
  std::filesystem::create_directories(o.out_dir, ec);
  if (Status s = WriteCredentialFiles(*credential, o.out_dir); !s.ok()) {
    return Die(kIo, s.ToString());
  }
  const auto not_after = std::chrono::duration_cast<std::chrono::seconds>(
      credential->info.not_after.time_since_epoch());
  std::printf(
      "nfvsm-vbs-agent: VNF '%s' bootstrapped: certificate %s valid until "
      "%lld (unix), written to %s\n",
      params->vnf_id.c_str(), credential->info.serial_hex.c_str(),
      static_cast<long long>(not_after.count()), o.out_dir.c_str());
  return kOk;
}

}  // namespace
}  // namespace nfvsm::vbs

int main(int argc, char** argv) {
  // Undecodable input from the network is an error value already; protobuf's
  // own log lines about it would let any client write to our stderr.
  google::protobuf::SetLogHandler(nullptr);
  using nfvsm::vbs::Options;
  CLI::App app{
      "nfvsm-vbs-agent: obtains this VNF's root credential from the VNF "
      "Bootstrapping Service (4-way capture protocol with HMEE quote)."};
  Options o;
  app.add_option("--params", o.params_file,
                 "start-up parameters (JSON, e.g. the config drive's "
                 "meta_data.json)");
  app.add_option("--hmee-key", o.hmee_key_file,
                 "software HMEE key (PEM, 0600)");
  app.add_option("--hmee-provisioning", o.hmee_provisioning_file,
                 "software HMEE provisioning (JSON)");
  app.add_option("--out-dir", o.out_dir,
                 "where vnf.key, vnf.crt and ca.crt are written (0600)")
      ->capture_default_str();
  app.add_option("--ca-file", o.ca_file,
                 "CA bundle for the VBS's TLS certificate (https)");
  app.add_flag("--reissue", o.reissue, "ask for a new certificate");
  app.add_option("--attempts", o.attempts,
                 "attempts while the VBS is unavailable")
      ->check(CLI::Range(1, 100))
      ->capture_default_str();
  app.add_option("--timeout", o.timeout_seconds, "per-request timeout, seconds")
      ->check(CLI::Range(1, 300))
      ->capture_default_str();
  std::string init_dir, platform_id, vbs_key, vbs_address, vnf_id;
  app.add_option("--init-hmee", init_dir,
                 "create a software HMEE (hmee.key, provisioning.json) in this "
                 "directory and print its public key");
  app.add_option("--platform-id", platform_id, "with --init-hmee");
  app.add_option("--vbs-public-key", vbs_key, "with --init-hmee (hex or PEM)");
  app.add_option("--vbs-address", vbs_address, "with --init-hmee");
  app.add_option("--vnf-id", vnf_id,
                 "with --init-hmee: quote only for this VNF");
  app.set_version_flag("--version", nfvsm::vbs::kVersion);
  CLI11_PARSE(app, argc, argv);

  if (!init_dir.empty()) {
    if (platform_id.empty() || vbs_key.empty() || vbs_address.empty()) {
      return nfvsm::vbs::Die(nfvsm::vbs::kUsage,
                             "--init-hmee needs --platform-id, "
                             "--vbs-public-key and --vbs-address");
    }
    return nfvsm::vbs::InitHmee(init_dir, platform_id, vbs_key, vbs_address,
                                vnf_id);
  }
  if (o.params_file.empty() || o.hmee_key_file.empty() ||
      o.hmee_provisioning_file.empty()) {
    return nfvsm::vbs::Die(nfvsm::vbs::kUsage,
                           "--params, --hmee-key and --hmee-provisioning are "
                           "required (see --help)");
  }
  return nfvsm::vbs::RunBootstrap(o);
}
