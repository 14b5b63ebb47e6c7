#include "sm/src/channel.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace nfvsm::refsm {
namespace {

bool IdChar(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
         (c >= '0' && c <= '9');
}

Result<std::string> StringField(const nlohmann::json& j, const char* name,
                                bool required) {
  auto it = j.find(name);
  if (it == j.end()) {
    if (required) {
      return MakeError(Code::kInvalidArgument,
                       std::string("channel file lacks \"") + name + "\"");
    }
    return std::string();
  }
  if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
    return MakeError(Code::kInvalidArgument,
                     std::string("channel file field \"") + name +
                         "\" must be a non-empty string");
  }
  return it->get<std::string>();
}

}  // namespace

bool ValidSmId(std::string_view id) {
  if (id.empty() || id.size() > 63 || !IdChar(id[0])) return false;
  for (char c : id) {
    if (!IdChar(c) && c != '.' && c != '_' && c != '-') return false;
  }
  return true;
}

Result<ChannelFile> ParseChannelFile(std::string_view json_text) {
  const nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !j.is_object()) {
    return MakeError(Code::kInvalidArgument,
                     "channel file is not a JSON object");
  }
  ChannelFile channel;
  struct Field {
    const char* name;
    std::string* out;
    bool required;
  };
  std::string key_pem;
  const Field fields[] = {
      {"sm_id", &channel.sm_id, true},
      {"gateway_id", &channel.gateway_id, false},
      {"transport_url", &channel.transport_url, true},
      {"gateway_public_key_pem", &key_pem, true},
      {"publish_exchange", &channel.publish_exchange, false},
      {"publish_routing_key", &channel.publish_routing_key, false},
      {"consume_queue", &channel.consume_queue, false},
  };
  for (const Field& f : fields) {
    Result<std::string> value = StringField(j, f.name, f.required);
    if (!value.ok()) return value.error();
    if (!value->empty()) *f.out = std::move(value).value();
  }
  if (!ValidSmId(channel.sm_id)) {
    return MakeError(Code::kInvalidArgument,
                     "sm_id must match ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$");
  }
  Result<PublicKey> key = PublicKey::FromPem(key_pem);
  if (!key.ok()) {
    return MakeError(Code::kInvalidArgument,
                     "gateway_public_key_pem: " + key.error().message);
  }
  channel.gateway_key = std::move(key).value();
  return channel;
}

Result<ChannelFile> LoadChannelFile(const std::string& path) {
  std::ifstream in(path);
  if (!in) return MakeError(Code::kNotFound, "cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return ParseChannelFile(buf.str());
}

}  // namespace nfvsm::refsm
