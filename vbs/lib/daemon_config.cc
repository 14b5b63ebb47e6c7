// The daemon's INI file, parsed by inih.
#include <ini.h>

#include <charconv>
#include <filesystem>
#include <map>
#include <utility>

#include "lib/config.h"

namespace nfvsm::vbs {
namespace {

using Entries = std::map<std::pair<std::string, std::string>, std::string>;

int Collect(void* user, const char* section, const char* name,
            const char* value) {
  auto* entries = static_cast<Entries*>(user);
  (*entries)[{section, name}] = value;
  return 1;
}

class Reader {
 public:
  Reader(const std::string& path, Entries entries)
      : path_(path), entries_(std::move(entries)) {}

  std::string String(const std::string& section, const std::string& key,
                     std::string fallback = {}) {
    auto it = entries_.find({section, key});
    if (it == entries_.end()) return fallback;
    std::string v = it->second;
    entries_.erase(it);
    return v;
  }

  template <typename Int>
  Int Integer(const std::string& section, const std::string& key, Int fallback,
              Int min, Int max) {
    const std::string text = String(section, key);
    if (text.empty()) return fallback;
    Int v{};
    auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
    if (ec != std::errc() || end != text.data() + text.size() || v < min ||
        v > max) {
      Fail(section, key,
           "must be an integer in [" + std::to_string(min) + ", " +
               std::to_string(max) + "]");
      return fallback;
    }
    return v;
  }

  double Real(const std::string& section, const std::string& key,
              double fallback) {
    const std::string text = String(section, key);
    if (text.empty()) return fallback;
    char* end = nullptr;
    const double v = std::strtod(text.c_str(), &end);
    if (end != text.c_str() + text.size() || !(v > 0)) {
      Fail(section, key, "must be a positive number");
      return fallback;
    }
    return v;
  }

  bool Boolean(const std::string& section, const std::string& key,
               bool fallback) {
    const std::string text = String(section, key);
    if (text.empty()) return fallback;
    if (text == "true" || text == "yes" || text == "1") return true;
    if (text == "false" || text == "no" || text == "0") return false;
    Fail(section, key, "must be true or false");
    return fallback;
  }

  // The first problem, including keys nobody asked for.
  Status Finish() {
    if (!error_.ok()) return error_;
    if (!entries_.empty()) {
      const auto& [section, key] = entries_.begin()->first;
      return InvalidArgumentError(path_ + ": unknown option [" + section +
                                  "] " + key);
    }
    return OkStatus();
  }

 private:
  void Fail(const std::string& section, const std::string& key,
            const std::string& why) {
    if (error_.ok()) {
      error_ = InvalidArgumentError(path_ + ": [" + section + "] " + key + " " +
                                    why);
    }
  }
  std::string path_;
  Entries entries_;
  Status error_;
};

// Relative paths in the file are relative to the file's directory.
std::string Resolve(const std::string& base_dir, const std::string& path) {
  if (path.empty() || std::filesystem::path(path).is_absolute()) return path;
  return (std::filesystem::path(base_dir) / path).string();
}

}  // namespace

StatusOr<DaemonConfig> LoadDaemonConfig(const std::string& path) {
  Entries entries;
  const int rc = ini_parse(path.c_str(), Collect, &entries);
  if (rc == -1) return NotFoundError("cannot open config file '" + path + "'");
  if (rc != 0) {
    return InvalidArgumentError(path + ": syntax error on line " +
                                std::to_string(rc));
  }
  const std::string dir =
      std::filesystem::absolute(path).parent_path().string();
  Reader r(path, std::move(entries));
  DaemonConfig c;
  constexpr int64_t kDay = 24 * 3600;
  c.server.address = r.String("vbs", "address");
  c.server.trust_domain = r.String("vbs", "trust_domain", "nfvsm.local");
  c.server.session_ttl = std::chrono::seconds(
      r.Integer<int64_t>("vbs", "session_ttl_seconds", 30, 1, 3600));
  c.server.max_half_open_sessions =
      r.Integer<size_t>("vbs", "max_half_open_sessions", 10'000, 1, 10'000'000);
  c.server.max_half_open_per_platform =
      r.Integer<size_t>("vbs", "max_half_open_per_platform", 64, 1, 1'000'000);
  c.server.remembered_nonces =
      r.Integer<size_t>("vbs", "remembered_nonces", 20'000, 0, 10'000'000);
  c.server.credential_validity = std::chrono::seconds(r.Integer<int64_t>(
      "vbs", "credential_validity_seconds", kDay, 60, 365 * kDay));
  c.server.crl_validity = std::chrono::seconds(
      r.Integer<int64_t>("vbs", "crl_validity_seconds", 3600, 60, 30 * kDay));
  c.signing_key_file = Resolve(dir, r.String("vbs", "signing_key_file"));
  c.ca_certificate_file = Resolve(dir, r.String("vbs", "ca_certificate_file"));
  c.ca_key_file = Resolve(dir, r.String("vbs", "ca_key_file"));
  c.inventory_file = Resolve(dir, r.String("vbs", "inventory_file"));
  c.store_path = Resolve(dir, r.String("vbs", "store_path"));
  c.audit_hmac_key_file = Resolve(dir, r.String("vbs", "audit_hmac_key_file"));
  c.audit_encryption_key_file =
      Resolve(dir, r.String("vbs", "audit_encryption_key_file"));
  c.state_file = Resolve(dir, r.String("vbs", "state_file"));
  c.sync_interval = std::chrono::seconds(
      r.Integer<int64_t>("vbs", "sync_interval_seconds", 10, 1, 3600));
  c.log_level = r.String("vbs", "log_level", "info");

  EndpointOptions& e = c.endpoint;
  e.bind_address = r.String("endpoint", "bind", "127.0.0.1");
  e.port = r.Integer<int>("endpoint", "port", 8443, 0, 65535);
  e.tls_certificate_file =
      Resolve(dir, r.String("endpoint", "tls_certificate_file"));
  e.tls_key_file = Resolve(dir, r.String("endpoint", "tls_key_file"));
  e.allow_plain_http = r.Boolean("endpoint", "allow_plain_http", false);
  e.max_body_bytes =
      r.Integer<size_t>("endpoint", "max_body_bytes", 16 * 1024, 1024, 1 << 20);
  e.read_timeout = std::chrono::seconds(
      r.Integer<int64_t>("endpoint", "read_timeout_seconds", 5, 1, 300));
  e.write_timeout = std::chrono::seconds(
      r.Integer<int64_t>("endpoint", "write_timeout_seconds", 5, 1, 300));
  e.keep_alive_timeout = std::chrono::seconds(
      r.Integer<int64_t>("endpoint", "keep_alive_timeout_seconds", 5, 1, 300));
  e.threads = r.Integer<size_t>("endpoint", "threads", 8, 1, 256);
  e.rate_limit.rate_per_second =
      r.Real("endpoint", "rate_per_second", e.rate_limit.rate_per_second);
  e.rate_limit.burst = r.Real("endpoint", "rate_burst", e.rate_limit.burst);
  e.rate_limit.max_sources = r.Integer<size_t>(
      "endpoint", "rate_limit_max_sources", 65'536, 1, 10'000'000);
  e.detailed_refusals = r.Boolean("endpoint", "detailed_refusals", true);
  NFVSM_RETURN_IF_ERROR(r.Finish());

  for (const auto& [key, value] :
       {std::pair<const char*, const std::string*>{"address",
                                                   &c.server.address},
        {"signing_key_file", &c.signing_key_file},
        {"ca_certificate_file", &c.ca_certificate_file},
        {"ca_key_file", &c.ca_key_file},
        {"inventory_file", &c.inventory_file},
        {"store_path", &c.store_path},
        {"audit_hmac_key_file", &c.audit_hmac_key_file}}) {
    if (value->empty()) {
      return InvalidArgumentError(path + ": [vbs] " + key + " is required");
    }
  }
  return c;
}

}  // namespace nfvsm::vbs
