// nfvsm-vbs: the VNF Bootstrapping Service daemon (docs/vbs.md).
//
//   nfvsm-vbs --config-file /etc/nfvsm/vbs.conf
//   nfvsm-vbs --init DIR      # keys, a self-signed CA and audit key in DIR
//
// SIGHUP reloads the inventory; SIGINT/SIGTERM stop the daemon.
#include <google/protobuf/stubs/logging.h>
#include <signal.h>
#include <spdlog/spdlog.h>

#include <CLI/CLI.hpp>
#include <cstdio>
#include <filesystem>
#include <set>

#include "lib/config.h"
#include "lib/http_endpoint.h"
#include "nfvsm/audit.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/store.h"
#include "nfvsm/vbs.h"

namespace nfvsm::vbs {
namespace {

constexpr char kVersion[] = "nfvsm-vbs 0.1.0";

int Fail(const Status& s, const std::string& what) {
  spdlog::critical("{}: {}", what, s.ToString());
  return 1;
}

// `--init DIR`: what a first deployment needs, never overwriting anything.
int Init(const std::string& dir) {
  std::filesystem::create_directories(dir);
  auto key = crypto::SigningKey::Generate();
  auto ca = CertificateAuthority::CreateSelfSigned(
      "nfvsm VBS CA", SystemClock().Now(), std::chrono::hours(24 * 365 * 5));
  auto hmac = crypto::RandomSecret(kAuditKeyBytes);
  if (!key.ok() || !ca.ok() || !hmac.ok()) {
    std::fprintf(stderr, "nfvsm-vbs: cannot generate keys\n");
    return 1;
  }
  auto key_pem = key->ToPem();
  auto ca_key_pem = (*ca)->PrivateKeyPem();
  auto ca_pem = (*ca)->ChainPem();
  if (!key_pem.ok() || !ca_key_pem.ok() || !ca_pem.ok()) {
    std::fprintf(stderr, "nfvsm-vbs: cannot encode keys\n");
    return 1;
  }
  const std::filesystem::path d(dir);
  for (const auto& [name, contents] :
       {std::pair<const char*, std::string_view>{"vbs.key", key_pem->view()},
        {"ca.key", ca_key_pem->view()},
        {"ca.crt", *ca_pem}}) {
    Status s = crypto::WriteSecretFile((d / name).string(), contents);
    if (!s.ok()) {
      std::fprintf(stderr, "nfvsm-vbs: %s\n", s.ToString().c_str());
      return 1;
    }
  }
  Status s = AuditKeys::WriteKeyFile((d / "audit-hmac.key").string(), *hmac);
  if (!s.ok()) {
    std::fprintf(stderr, "nfvsm-vbs: %s\n", s.ToString().c_str());
    return 1;
  }
  // The public key goes into every VNF's start-up parameters and every
  // HMEE's provisioning.
  std::printf("%s\n", crypto::HexEncode(key->PublicKeyRaw()).c_str());
  return 0;
}

// Applies an inventory, removing what the previous one had and this one
// does not (their credentials are revoked).
class InventorySync {
 public:
  explicit InventorySync(Server& server) : server_(server) {}

  Status Apply(const Inventory& inv) {
    std::set<std::string> platforms;
    std::set<std::string> vnfs;
    for (const auto& p : inv.platforms) {
      NFVSM_RETURN_IF_ERROR(server_.RegisterPlatform(p));
      platforms.insert(p.platform_id);
    }
    for (const auto& v : inv.vnfs) {
      NFVSM_RETURN_IF_ERROR(server_.RegisterVnf(v));
      vnfs.insert(v.vnf_id);
    }
    for (const auto& [domain, policy] : inv.boot_policies) {
      NFVSM_RETURN_IF_ERROR(server_.SetBootPolicy(domain, policy));
    }
    server_.SetDefaultBootPolicy(
        inv.default_boot_policy.value_or(BootPolicy{}));
    for (const auto& gone : platforms_) {
      if (!platforms.contains(gone)) (void)server_.RemovePlatform(gone);
    }
    for (const auto& gone : vnfs_) {
      if (!vnfs.contains(gone)) (void)server_.RemoveVnf(gone);
    }
    spdlog::info("inventory: {} platforms, {} VNFs, {} domain policies",
                 platforms.size(), vnfs.size(), inv.boot_policies.size());
    platforms_ = std::move(platforms);
    vnfs_ = std::move(vnfs);
    return OkStatus();
  }

 private:
  Server& server_;
  std::set<std::string> platforms_;
  std::set<std::string> vnfs_;
};

// Brings quarantine entries the gateway stored into the registry the VBS
// consults, then revokes what they taint. Releases are not propagated here
// (the registry only releases through the SM that quarantined); a released
// VNF bootstraps again after a restart: the fail-safe direction.
void SyncQuarantine(Store& store, QuarantineRegistry& registry,
                    Server& server) {
  auto entries = store.LoadQuarantine();
  if (!entries.ok()) {
    spdlog::warn("cannot read quarantine entries: {}",
                 entries.status().ToString());
    return;
  }
  for (const QuarantineEntry& e : *entries) (void)registry.Add(e);
  auto revoked = server.SyncWithQuarantine();
  if (!revoked.ok()) {
    spdlog::error("quarantine sync: {}", revoked.status().ToString());
  } else if (*revoked > 0) {
    spdlog::warn("revoked {} credentials of quarantined VNFs", *revoked);
  }
}

// The state file is replaced atomically (temporary file, 0600, rename).
void SaveState(const Server& server, const std::string& path) {
  auto state = server.ExportState();
  if (!state.ok()) {
    spdlog::error("cannot export the VBS state: {}", state.status().ToString());
    return;
  }
  const std::string tmp = path + ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);
  Status s = crypto::WriteSecretFile(tmp, *state);
  std::filesystem::rename(tmp, path, ec);
  if (!s.ok() || ec) {
    spdlog::error("cannot save the VBS state to '{}': {}", path,
                  s.ok() ? ec.message() : s.ToString());
  }
}

Status LoadState(Server& server, const std::string& path) {
  if (path.empty() || !std::filesystem::exists(path)) return OkStatus();
  NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes bytes,
                         crypto::ReadSecretFile(path, size_t{256} << 20));
  return server.ImportState(bytes.view());
}

int Run(const std::string& config_file) {
  auto config = LoadDaemonConfig(config_file);
  if (!config.ok()) return Fail(config.status(), "configuration");
  spdlog::set_level(spdlog::level::from_str(config->log_level));

  auto key = crypto::SigningKey::LoadPemFile(config->signing_key_file);
  if (!key.ok()) return Fail(key.status(), "VBS signing key");
  auto ca = CertificateAuthority::LoadPemFiles(config->ca_certificate_file,
                                               config->ca_key_file);
  if (!ca.ok()) return Fail(ca.status(), "VBS CA");
  auto store = OpenSqliteStore(config->store_path);
  if (!store.ok()) return Fail(store.status(), "store");
  auto audit_keys = AuditKeys::Load(config->audit_hmac_key_file,
                                    config->audit_encryption_key_file);
  if (!audit_keys.ok()) return Fail(audit_keys.status(), "audit keys");
  auto audit =
      AuditLog::Create(**store, std::move(audit_keys).value(), SystemClock());
  if (!audit.ok()) return Fail(audit.status(), "audit log");
  auto inventory = LoadInventory(config->inventory_file);
  if (!inventory.ok()) return Fail(inventory.status(), "inventory");

  QuarantineRegistry quarantine;
  const std::string public_key_hex = crypto::HexEncode(key->PublicKeyRaw());
  auto server = Server::Create(config->server, std::move(key).value(),
                               std::move(ca).value(), **audit, &quarantine,
                               SystemClock());
  if (!server.ok()) return Fail(server.status(), "VBS");
  if (Status s = LoadState(**server, config->state_file); !s.ok()) {
    return Fail(s, "state file");
  }
  InventorySync sync(**server);
  if (Status s = sync.Apply(*inventory); !s.ok()) return Fail(s, "inventory");
  SyncQuarantine(**store, quarantine, **server);

  // Signals are taken synchronously by the main loop, on every thread
  // blocked, so no handler runs in the middle of a request.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  auto endpoint =
      HttpEndpoint::Create(**server, config->endpoint, SystemClock());
  if (!endpoint.ok()) return Fail(endpoint.status(), "endpoint");
  if (Status s = (*endpoint)->Start(); !s.ok()) return Fail(s, "endpoint");
  spdlog::info("nfvsm-vbs listening on {}://{}:{} as '{}', public key {}",
               (*endpoint)->tls() ? "https" : "http",
               config->endpoint.bind_address, (*endpoint)->port(),
               config->server.address, public_key_hex);

  const timespec interval{config->sync_interval.count(), 0};
  uint64_t saved_version = (*server)->state_version();
  while (true) {
    const int sig = sigtimedwait(&signals, nullptr, &interval);
    if (sig == SIGINT || sig == SIGTERM) break;
    if (sig == SIGHUP) {
      auto reloaded = LoadInventory(config->inventory_file);
      if (!reloaded.ok()) {
        spdlog::error("inventory reload: {}", reloaded.status().ToString());
      } else if (Status s = sync.Apply(*reloaded); !s.ok()) {
        spdlog::error("inventory reload: {}", s.ToString());
      }
    }
    SyncQuarantine(**store, quarantine, **server);
    if (!config->state_file.empty() &&
        (*server)->state_version() != saved_version) {
      saved_version = (*server)->state_version();
      SaveState(**server, config->state_file);
    }
  }
  spdlog::info("nfvsm-vbs stopping");
  (*endpoint)->Stop();
  if (!config->state_file.empty()) SaveState(**server, config->state_file);
  return 0;
}

}  // namespace
}  // namespace nfvsm::vbs

int main(int argc, char** argv) {
  // Undecodable input from the network is an error value already; protobuf's
  // own log lines about it would let any client write to our stderr.
  google::protobuf::SetLogHandler(nullptr);
  CLI::App app{
      "nfvsm-vbs: the VNF Bootstrapping Service (ETSI NFV-SEC 024 6.1): "
      "issues each VNF instance its X.509 root credential after the 4-way "
      "capture protocol with HMEE attestation and whitelist checks."};
  std::string config_file;
  std::string init_dir;
  app.add_option("--config-file", config_file, "INI configuration file")
      ->check(CLI::ExistingFile);
  app.add_option("--init", init_dir,
                 "create vbs.key, ca.key, ca.crt and audit-hmac.key in this "
                 "directory (never overwriting) and print the VBS public key");
  app.set_version_flag("--version", nfvsm::vbs::kVersion);
  CLI11_PARSE(app, argc, argv);
  if (!init_dir.empty()) return nfvsm::vbs::Init(init_dir);
  if (config_file.empty()) {
    std::fprintf(stderr, "nfvsm-vbs: --config-file is required\n%s",
                 app.help().c_str());
    return 2;
  }
  return nfvsm::vbs::Run(config_file);
}
