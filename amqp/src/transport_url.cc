#include "nfvsm/amqp/transport_url.h"

#include <charconv>
#include <cstdint>
#include <limits>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "url_codec.h"

namespace nfvsm::amqp {
namespace {

using internal::IsAsciiSpace;
using internal::PercentDecode;
using internal::PercentEncode;

// Option types of oslo.messaging's [oslo_messaging_rabbit] group (rabbit,
// amqp and base options of oslo.messaging 14). A query option outside this
// table is refused, as oslo refuses it (NoSuchOptError).
enum class OptionType { kBool, kInt, kFloat, kString };

const std::map<std::string_view, OptionType>& RabbitOptions() {
  static const auto* const kOptions =
      new std::map<std::string_view, OptionType>{
          {"ssl", OptionType::kBool},
          {"ssl_version", OptionType::kString},
          {"ssl_key_file", OptionType::kString},
          {"ssl_cert_file", OptionType::kString},
          {"ssl_ca_file", OptionType::kString},
          {"ssl_enforce_hostname_verification", OptionType::kBool},
          {"ssl_enforce_fips_mode", OptionType::kBool},
          {"heartbeat_in_pthread", OptionType::kBool},
          {"kombu_reconnect_delay", OptionType::kFloat},
          {"kombu_compression", OptionType::kString},
          {"kombu_missing_consumer_retry_timeout", OptionType::kInt},
          {"kombu_failover_strategy", OptionType::kString},
          {"rabbit_login_method", OptionType::kString},
          {"rabbit_retry_interval", OptionType::kInt},
          {"rabbit_retry_backoff", OptionType::kInt},
          {"rabbit_interval_max", OptionType::kInt},
          {"rabbit_ha_queues", OptionType::kBool},
          {"rabbit_quorum_queue", OptionType::kBool},
          {"rabbit_quorum_delivery_limit", OptionType::kInt},
          {"rabbit_quroum_max_memory_length", OptionType::kInt},
          {"rabbit_quroum_max_memory_bytes", OptionType::kInt},
          {"rabbit_transient_queues_ttl", OptionType::kInt},
          {"rabbit_qos_prefetch_count", OptionType::kInt},
          {"heartbeat_timeout_threshold", OptionType::kInt},
          {"heartbeat_rate", OptionType::kInt},
          {"direct_mandatory_flag", OptionType::kBool},
          {"enable_cancel_on_failover", OptionType::kBool},
          {"amqp_durable_queues", OptionType::kBool},
          {"amqp_auto_delete", OptionType::kBool},
          {"rpc_conn_pool_size", OptionType::kInt},
          {"conn_pool_min_size", OptionType::kInt},
          {"conn_pool_ttl", OptionType::kInt},
      };
  return *kOptions;
}

std::string_view TrimSpace(std::string_view s) {
  while (!s.empty() && IsAsciiSpace(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsAsciiSpace(s.back())) s.remove_suffix(1);
  return s;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return out;
}

// oslo.config's Boolean type.
std::optional<bool> ParseOsloBool(std::string_view s) {
  const std::string v = Lower(s);
  if (v == "true" || v == "1" || v == "on" || v == "yes") return true;
  if (v == "false" || v == "0" || v == "off" || v == "no") return false;
  return std::nullopt;
}

// oslo.config's Integer type (Python int(): surrounding spaces, a sign).
std::optional<int64_t> ParseOsloInt(std::string_view s) {
  s = TrimSpace(s);
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  int64_t v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || end != s.data() + s.size()) {
    return std::nullopt;
  }
  return v;
}

bool IsOsloFloat(std::string_view s) {
  s = TrimSpace(s);
  double v = 0;
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  return !s.empty() && ec == std::errc() && end == s.data() + s.size();
}

// Python's urlsplit, the parts oslo uses: lower-cased scheme, netloc, path
// and query (the fragment is dropped).
struct UrlParts {
  std::string scheme;
  std::string netloc;
  std::string path;
  std::string query;
};

bool IsSchemeChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.';
}

StatusOr<UrlParts> SplitUrl(std::string_view raw) {
  // Leading C0 controls and spaces are stripped, and tab, CR and LF removed
  // wherever they are (WHATWG; CPython does the same).
  while (!raw.empty() && static_cast<unsigned char>(raw.front()) <= 0x20) {
    raw.remove_prefix(1);
  }
  std::string url;
  url.reserve(raw.size());
  for (char c : raw) {
    if (c != '\t' && c != '\r' && c != '\n') url.push_back(c);
  }
  UrlParts parts;
  std::string_view rest = url;
  const size_t colon = rest.find(':');
  if (colon != std::string_view::npos && colon > 0) {
    const char first = rest.front();
    bool valid =
        (first >= 'a' && first <= 'z') || (first >= 'A' && first <= 'Z');
    for (size_t i = 0; valid && i < colon; ++i) valid = IsSchemeChar(rest[i]);
    if (valid) {
      parts.scheme = Lower(rest.substr(0, colon));
      rest.remove_prefix(colon + 1);
    }
  }
  if (parts.scheme.empty()) {
    return InvalidArgumentError("transport_url: no scheme specified");
  }
  if (rest.substr(0, 2) == "//") {
    rest.remove_prefix(2);
    const size_t end = rest.find_first_of("/?#");
    parts.netloc = std::string(rest.substr(0, end));
    rest =
        end == std::string_view::npos ? std::string_view() : rest.substr(end);
    const bool open = parts.netloc.find('[') != std::string::npos;
    const bool close = parts.netloc.find(']') != std::string::npos;
    if (open != close) {
      return InvalidArgumentError("transport_url: invalid IPv6 address");
    }
  }
  if (const size_t hash = rest.find('#'); hash != std::string_view::npos) {
    rest = rest.substr(0, hash);
  }
  if (const size_t q = rest.find('?'); q != std::string_view::npos) {
    parts.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  parts.path = std::string(rest);
  return parts;
}

// Python's parse_qs (keep_blank_values=False): '&'-separated pairs, '+' is
// a space, pairs without '=' or with an empty value are dropped, repeated
// names are joined with ',' (by oslo).
std::map<std::string, std::string> ParseQuery(std::string_view query) {
  std::map<std::string, std::string> out;
  while (!query.empty()) {
    const size_t amp = query.find('&');
    std::string_view pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view()
                                          : query.substr(amp + 1);
    const size_t eq = pair.find('=');
    if (eq == std::string_view::npos || eq + 1 == pair.size()) continue;
    std::string name(pair.substr(0, eq));
    std::string value(pair.substr(eq + 1));
    for (char& c : name) c = c == '+' ? ' ' : c;
    for (char& c : value) c = c == '+' ? ' ' : c;
    name = PercentDecode(name);
    value = PercentDecode(value);
    auto [it, inserted] = out.emplace(std::move(name), value);
    if (!inserted) it->second += "," + value;
  }
  return out;
}

// One comma-separated entry of the netloc, as oslo splits it.
StatusOr<BrokerAddress> ParseHost(std::string_view entry, size_t index,
                                  uint16_t default_port) {
  const std::string where = "transport_url: host " + std::to_string(index);
  BrokerAddress broker;
  broker.port = default_port;
  std::string_view host = entry;
  if (const size_t at = entry.rfind('@'); at != std::string_view::npos) {
    std::string_view userinfo = entry.substr(0, at);
    host = entry.substr(at + 1);
    std::string_view user = userinfo;
    if (const size_t colon = userinfo.find(':');
        colon != std::string_view::npos) {
      user = userinfo.substr(0, colon);
      std::string password = PercentDecode(userinfo.substr(colon + 1));
      if (!password.empty()) broker.password = std::move(password);
    }
    std::string username = PercentDecode(user);
    if (!username.empty()) broker.username = std::move(username);
  }
  std::string_view port_text;
  bool has_port = false;
  if (!host.empty() && host.front() == '[') {
    const size_t close = host.find(']');
    if (close == std::string_view::npos) {
      return InvalidArgumentError(where + ": invalid IPv6 address");
    }
    std::string_view after = host.substr(close);
    host = host.substr(1, close - 1);
    if (const size_t colon = after.find(':'); colon != std::string_view::npos) {
      port_text = after.substr(colon + 1);
      has_port = true;
    }
  } else if (const size_t colon = host.find(':');
             colon != std::string_view::npos) {
    port_text = host.substr(colon + 1);
    host = host.substr(0, colon);
    has_port = true;
  }
  if (has_port && !port_text.empty()) {
    const std::optional<int64_t> port = ParseOsloInt(port_text);
    if (!port || *port < 1 || *port > 65535) {
      return InvalidArgumentError(where + ": port is not a number in 1..65535");
    }
    broker.port = static_cast<uint16_t>(*port);
  }
  // kombu connects to localhost when the host name is empty.
  broker.host = host.empty() ? "localhost" : std::string(host);
  if (broker.host.size() > 255) {
    return InvalidArgumentError(where + ": host name longer than 255 bytes");
  }
  return broker;
}

Status ApplyQuery(TransportUrl& url) {
  for (const auto& [name, value] : url.query) {
    const auto option = RabbitOptions().find(name);
    if (option == RabbitOptions().end()) {
      std::string hint;
      if (name == "heartbeat")
        hint = " (oslo's name is heartbeat_timeout_threshold)";
      return InvalidArgumentError("transport_url: no such option '" +
                                  internal::Printable(name) +
                                  "' in group [oslo_messaging_rabbit]" + hint);
    }
    const std::string bad = "transport_url: option " + std::string(name);
    switch (option->second) {
      case OptionType::kBool:
        if (!ParseOsloBool(value)) {
          return InvalidArgumentError(bad + " is not a boolean");
        }
        break;
      case OptionType::kInt:
        if (!ParseOsloInt(value)) {
          return InvalidArgumentError(bad + " is not an integer");
        }
        break;
      case OptionType::kFloat:
        if (!IsOsloFloat(value)) {
          return InvalidArgumentError(bad + " is not a number");
        }
        break;
      case OptionType::kString:
        break;
    }
  }
  auto get = [&url](std::string_view name) -> const std::string* {
    const auto it = url.query.find(std::string(name));
    return it == url.query.end() ? nullptr : &it->second;
  };
  if (const std::string* ssl = get("ssl")) {
    const bool on = *ParseOsloBool(*ssl);
    if (!on && url.scheme == "amqps") {
      return InvalidArgumentError(
          "transport_url: ssl is false but the scheme is amqps");
    }
    url.tls.enabled = url.tls.enabled || on;
  }
  if (const std::string* v = get("ssl_ca_file")) url.tls.ca_file = *v;
  if (const std::string* v = get("ssl_cert_file")) url.tls.cert_file = *v;
  if (const std::string* v = get("ssl_key_file")) url.tls.key_file = *v;
  if (url.tls.cert_file.empty() != url.tls.key_file.empty()) {
    return InvalidArgumentError(
        "transport_url: ssl_cert_file and ssl_key_file go together");
  }
  auto seconds = [&](std::string_view name, int64_t max,
                     std::optional<std::chrono::seconds>& out) -> Status {
    const std::string* v = get(name);
    if (v == nullptr) return OkStatus();
    const int64_t n = *ParseOsloInt(*v);
    if (n < 0 || n > max) {
      return InvalidArgumentError("transport_url: option " + std::string(name) +
                                  " is outside 0.." + std::to_string(max));
    }
    out = std::chrono::seconds(n);
    return OkStatus();
  };
  std::optional<std::chrono::seconds> heartbeat;
  // rabbitmq-c negotiates the heartbeat as a 16-bit number of seconds.
  NFVSM_RETURN_IF_ERROR(
      seconds("heartbeat_timeout_threshold", 65535, heartbeat));
  if (heartbeat) url.heartbeat = *heartbeat;
  NFVSM_RETURN_IF_ERROR(
      seconds("rabbit_retry_interval", 3600, url.retry_interval));
  NFVSM_RETURN_IF_ERROR(seconds("rabbit_interval_max", 3600, url.interval_max));
  if (const std::string* v = get("rabbit_qos_prefetch_count")) {
    const int64_t n = *ParseOsloInt(*v);
    if (n < 0 || n > std::numeric_limits<uint16_t>::max()) {
      return InvalidArgumentError(
          "transport_url: option rabbit_qos_prefetch_count is outside "
          "0..65535");
    }
    // 0 is oslo's "unlimited"; nfvsm keeps its own bound then.
    if (n > 0) url.prefetch_count = static_cast<uint16_t>(n);
  }
  return OkStatus();
}

}  // namespace

std::string BrokerAddress::HostPort() const {
  const bool v6 = host.find(':') != std::string::npos;
  return (v6 ? "[" + host + "]" : host) + ":" + std::to_string(port);
}

StatusOr<TransportUrl> TransportUrl::Parse(std::string_view text) {
  NFVSM_ASSIGN_OR_RETURN(UrlParts parts, SplitUrl(text));
  TransportUrl url;
  url.scheme = parts.scheme;
  uint16_t default_port = kDefaultAmqpPort;
  if (url.scheme == "amqps") {
    url.tls.enabled = true;
    default_port = kDefaultAmqpsPort;
  } else if (url.scheme != "rabbit" && url.scheme != "kombu" &&
             url.scheme != "amqp") {
    return InvalidArgumentError("transport_url: unsupported transport '" +
                                internal::Printable(url.scheme) +
                                "' (nfvsm speaks RabbitMQ: rabbit://)");
  }
  size_t index = 0;
  std::string_view netloc = parts.netloc;
  while (true) {
    const size_t comma = netloc.find(',');
    const std::string_view entry = netloc.substr(0, comma);
    if (!entry.empty()) {
      NFVSM_ASSIGN_OR_RETURN(BrokerAddress broker,
                             ParseHost(entry, ++index, default_port));
      url.brokers.push_back(std::move(broker));
    }
    if (comma == std::string_view::npos) break;
    netloc.remove_prefix(comma + 1);
  }
  if (url.brokers.empty()) {
    BrokerAddress local;
    local.host = "localhost";
    local.port = default_port;
    url.brokers.push_back(std::move(local));
  }
  if (!parts.path.empty() && parts.path.front() == '/') {
    std::string vhost = PercentDecode(std::string_view(parts.path).substr(1));
    if (!vhost.empty()) url.virtual_host = std::move(vhost);
  }
  // connection.open carries the virtual host as an AMQP short string.
  if (url.virtual_host.size() > 255) {
    return InvalidArgumentError(
        "transport_url: virtual host longer than 255 bytes");
  }
  url.query = ParseQuery(parts.query);
  NFVSM_RETURN_IF_ERROR(ApplyQuery(url));
  return url;
}

std::string TransportUrl::Redacted() const {
  std::string out = scheme + "://";
  for (size_t i = 0; i < brokers.size(); ++i) {
    if (i > 0) out += ',';
    out += PercentEncode(brokers[i].username) + ":***@" + brokers[i].HostPort();
  }
  out += "/" + PercentEncode(virtual_host);
  char sep = '?';
  for (const auto& [name, value] : query) {
    out += sep + PercentEncode(name) + "=" + PercentEncode(value);
    sep = '&';
  }
  return out;
}

}  // namespace nfvsm::amqp
