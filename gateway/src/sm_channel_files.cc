#include "sm_channel_files.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nfvsm::gateway {
namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

constexpr size_t kMaxChannelFileBytes = 64 * 1024;

bool IdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

bool Alnum(char c) { return IdChar(c) && c != '.' && c != '_' && c != '-'; }

Status EnsurePrivateDir(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) return UnavailableError("cannot create " + dir.string());
  fs::permissions(dir, fs::perms::owner_all, fs::perm_options::replace, ec);
  if (ec) return UnavailableError("cannot restrict " + dir.string());
  return OkStatus();
}

StatusOr<std::string> ReadSmallFile(const std::string& path) {
  std::error_code ec;
  if (!fs::exists(path, ec)) return NotFoundError("no file " + path);
  std::ifstream in(path, std::ios::binary);
  if (!in) return UnavailableError("cannot read " + path);
  std::string data((std::istreambuf_iterator<char>(in)),
                   std::istreambuf_iterator<char>());
  if (data.size() > kMaxChannelFileBytes) {
    return ResourceExhaustedError(path + " is too large");
  }
  return data;
}

}  // namespace

Status ValidateChannelSmId(std::string_view sm) {
  if (sm.empty() || sm.size() > 63 || !Alnum(sm.front()) ||
      !std::all_of(sm.begin(), sm.end(), IdChar)) {
    return InvalidArgumentError(
        "SM id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$ to get a channel");
  }
  return OkStatus();
}

std::string ChannelVhost(const SmId& sm) { return "nfvsm.sm." + sm; }

std::string KeyPath(const std::string& state_dir, const SmId& sm) {
  return (fs::path(state_dir) / "keys" / ("mano-" + sm + ".pem")).string();
}
std::string ChannelFilePath(const std::string& state_dir, const SmId& sm) {
  return (fs::path(state_dir) / "sm" / (sm + ".json")).string();
}
std::string SequenceFilePath(const std::string& state_dir, const SmId& sm) {
  return (fs::path(state_dir) / "sm" / (sm + ".seq")).string();
}

StatusOr<crypto::SigningKey> LoadOrCreateChannelKey(
    const std::string& state_dir, const SmId& sm) {
  NFVSM_RETURN_IF_ERROR(ValidateChannelSmId(sm));
  const std::string path = KeyPath(state_dir, sm);
  auto loaded = crypto::SigningKey::LoadPemFile(path);
  if (loaded.ok() || loaded.status().code() != StatusCode::kNotFound) {
    return loaded;
  }
  NFVSM_RETURN_IF_ERROR(EnsurePrivateDir(fs::path(state_dir) / "keys"));
  NFVSM_ASSIGN_OR_RETURN(crypto::SigningKey key,
                         crypto::SigningKey::Generate());
  NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes pem, key.ToPem());
  // WriteSecretFile never overwrites: if another process won the race, its
  // key is the one to use.
  Status written = crypto::WriteSecretFile(path, pem.view());
  if (written.code() == StatusCode::kAlreadyExists) {
    return crypto::SigningKey::LoadPemFile(path);
  }
  NFVSM_RETURN_IF_ERROR(written);
  return key;
}

Status WritePrivateFileAtomically(const std::string& path,
                                  std::string_view contents) {
  NFVSM_RETURN_IF_ERROR(EnsurePrivateDir(fs::path(path).parent_path()));
  const std::string tmp = path + ".tmp";
  ::unlink(tmp.c_str());
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) return UnavailableError("cannot create " + tmp);
  bool ok = true;
  std::string_view rest = contents;
  while (ok && !rest.empty()) {
    ssize_t n = ::write(fd, rest.data(), rest.size());
    if (n < 0 && errno == EINTR) continue;
    ok = n > 0;
    if (ok) rest.remove_prefix(static_cast<size_t>(n));
  }
  ok = ok && ::fsync(fd) == 0;
  ok = (::close(fd) == 0) && ok;
  if (!ok || ::rename(tmp.c_str(), path.c_str()) != 0) {
    ::unlink(tmp.c_str());
    return UnavailableError("cannot write " + path);
  }
  return OkStatus();
}

StatusOr<ChannelFile> ReadChannelFile(const std::string& path) {
  NFVSM_ASSIGN_OR_RETURN(std::string data, ReadSmallFile(path));
  json j = json::parse(data, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object())
    return InvalidArgumentError(path + " is not a JSON object");
  ChannelFile f;
  const std::pair<const char*, std::string*> fields[] = {
      {"sm_id", &f.sm_id},
      {"gateway_id", &f.gateway_id},
      {"transport_url", &f.transport_url},
      {"gateway_public_key_pem", &f.gateway_public_key_pem},
      {"publish_exchange", &f.publish_exchange},
      {"publish_routing_key", &f.publish_routing_key},
      {"consume_queue", &f.consume_queue}};
  for (const auto& [name, out] : fields) {
    auto it = j.find(name);
    if (it == j.end() || !it->is_string()) {
      return InvalidArgumentError(path + ": missing string field " + name);
    }
    *out = it->get<std::string>();
  }
  return f;
}

Status WriteChannelFile(const std::string& path, const ChannelFile& f) {
  json j = {{"sm_id", f.sm_id},
            {"gateway_id", f.gateway_id},
            {"transport_url", f.transport_url},
            {"gateway_public_key_pem", f.gateway_public_key_pem},
            {"publish_exchange", f.publish_exchange},
            {"publish_routing_key", f.publish_routing_key},
            {"consume_queue", f.consume_queue}};
  return WritePrivateFileAtomically(path, j.dump(2) + "\n");
}

StatusOr<std::unique_ptr<SequenceCounter>> SequenceCounter::Open(
    std::string path, const Clock& clock) {
  uint64_t reserved = 0;
  auto data = ReadSmallFile(path);
  if (data.ok()) {
    std::string_view text = *data;
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) {
      text.remove_suffix(1);
    }
    auto [end, ec] =
        std::from_chars(text.data(), text.data() + text.size(), reserved);
    if (ec != std::errc() || end != text.data() + text.size()) {
      return InvalidArgumentError(path + " does not hold a sequence number");
    }
  } else if (data.status().code() != StatusCode::kNotFound) {
    return data.status();
  }
  const int64_t now_us = ToMicros(clock.Now());
  const uint64_t start =
      std::max<uint64_t>({reserved, now_us > 0 ? uint64_t(now_us) : 0, 1});
  return std::unique_ptr<SequenceCounter>(
      new SequenceCounter(std::move(path), start));
}

Status SequenceCounter::Reserve(uint64_t up_to) {
  NFVSM_RETURN_IF_ERROR(
      WritePrivateFileAtomically(path_, std::to_string(up_to) + "\n"));
  reserved_ = up_to;
  return OkStatus();
}

StatusOr<uint64_t> SequenceCounter::Next() {
  std::lock_guard lock(mu_);
  if (next_ >= reserved_) NFVSM_RETURN_IF_ERROR(Reserve(next_ + kReserveBlock));
  return next_++;
}

}  // namespace nfvsm::gateway
