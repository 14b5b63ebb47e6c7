#include "config.h"

#include <ini.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <utility>

namespace nfvsm::gateway {
namespace {

// Values of one file: (section, option) -> value, the last one winning as
// with oslo.config.
using Values = std::map<std::pair<std::string, std::string>, std::string>;

struct ParseState {
  Values values;
  std::vector<std::string> unknown;  // "[section] option" in file order
};

bool IsKnown(std::string_view section, std::string_view name) {
  return std::any_of(KnownOptions().begin(), KnownOptions().end(),
                     [&](const OptionSpec& o) {
                       return o.section == section && o.name == name;
                     });
}

bool IsForeignSection(std::string_view section) {
  const auto& f = ForeignSections();
  return std::find(f.begin(), f.end(), section) != f.end();
}

int OnValue(void* user, const char* section, const char* name,
            const char* value) {
  auto* state = static_cast<ParseState*>(user);
  if (IsForeignSection(section)) return 1;
  if (!IsKnown(section, name)) {
    state->unknown.push_back("[" + std::string(section) + "] " + name);
    return 1;  // keep going: report every unknown option at once
  }
  state->values[{section, name}] = value;
  return 1;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return out;
}

std::vector<std::string> SplitList(std::string_view text, char sep) {
  std::vector<std::string> out;
  std::string item;
  std::istringstream in{std::string(text)};
  while (std::getline(in, item, sep)) {
    auto b = item.find_first_not_of(" \t");
    if (b == std::string::npos) continue;
    auto e = item.find_last_not_of(" \t");
    out.push_back(item.substr(b, e - b + 1));
  }
  return out;
}

class Reader {
 public:
  Reader(const Values& values, std::string_view origin)
      : values_(values), origin_(origin) {}

  // The value given in the file, else the table default.
  std::string Raw(std::string_view section, std::string_view name) const {
    auto it = values_.find({std::string(section), std::string(name)});
    if (it != values_.end()) return it->second;
    for (const auto& o : KnownOptions()) {
      if (o.section == section && o.name == name) {
        return std::string(o.default_value);
      }
    }
    return {};
  }

  Status Error(std::string_view section, std::string_view name,
               std::string_view what) const {
    return InvalidArgumentError(std::string(origin_) + ": [" +
                                std::string(section) + "] " +
                                std::string(name) + ": " + std::string(what));
  }

  // Whether the file gave the option (Raw falls back to the default).
  bool Has(std::string_view section, std::string_view name) const {
    return values_.count({std::string(section), std::string(name)}) > 0;
  }

  StatusOr<bool> Bool(std::string_view section, std::string_view name) const {
    std::string v = Lower(Raw(section, name));
    if (v == "true" || v == "yes" || v == "on" || v == "1") return true;
    if (v == "false" || v == "no" || v == "off" || v == "0") return false;
    return Error(section, name, "not a boolean (true/false)");
  }

  StatusOr<int64_t> Integer(std::string_view section, std::string_view name,
                            int64_t min, int64_t max) const {
    std::string v = Raw(section, name);
    int64_t out = 0;
    auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), out);
    if (v.empty() || ec != std::errc() || end != v.data() + v.size() ||
        out < min || out > max) {
      return Error(section, name,
                   "not an integer in " + std::to_string(min) + ".." +
                       std::to_string(max));
    }
    return out;
  }

  StatusOr<std::string> NonEmpty(std::string_view section,
                                 std::string_view name) const {
    std::string v = Raw(section, name);
    if (v.empty()) return Error(section, name, "must not be empty");
    return v;
  }

 private:
  const Values& values_;
  std::string_view origin_;
};

// [actuator], and the deprecated [nfvsm] actuator it replaces.
Status BuildActuator(const Reader& r, GatewayConfig& c) {
  const bool explicit_driver = r.Has("actuator", "driver");
  const std::string_view section = explicit_driver ? "actuator" : "nfvsm";
  const std::string_view name = explicit_driver ? "driver" : "actuator";
  c.actuator = Lower(r.Raw(section, name));
  if (c.actuator != "logging" && c.actuator != "bus") {
    return r.Error(section, name, "must be 'logging' or 'bus'");
  }
  NFVSM_ASSIGN_OR_RETURN(c.actuator_queue, r.NonEmpty("actuator", "queue"));
  NFVSM_ASSIGN_OR_RETURN(int64_t timeout_s,
                         r.Integer("actuator", "timeout_seconds", 1, 3600));
  c.actuator_timeout = std::chrono::seconds(timeout_s);
  return OkStatus();
}

StatusOr<GatewayConfig> Build(const Values& values, std::string_view origin) {
  Reader r(values, origin);
  GatewayConfig c;
  {
    auto url = amqp::TransportUrl::Parse(r.Raw("DEFAULT", "transport_url"));
    if (!url.ok()) {
      // Parse errors never quote hosts or passwords.
      return r.Error("DEFAULT", "transport_url", url.status().message());
    }
    c.transport_url = std::move(url).value();
  }
  NFVSM_ASSIGN_OR_RETURN(c.debug, r.Bool("DEFAULT", "debug"));
  NFVSM_ASSIGN_OR_RETURN(c.gateway_id, r.NonEmpty("nfvsm", "gateway_id"));
  NFVSM_ASSIGN_OR_RETURN(c.state_dir, r.NonEmpty("nfvsm", "state_dir"));
  c.notification_exchanges =
      SplitList(r.Raw("nfvsm", "notification_exchanges"), ',');
  if (c.notification_exchanges.empty()) {
    return r.Error("nfvsm", "notification_exchanges", "must name an exchange");
  }
  NFVSM_ASSIGN_OR_RETURN(c.ingest_queue, r.NonEmpty("nfvsm", "ingest_queue"));
  NFVSM_ASSIGN_OR_RETURN(c.dead_letter_queue,
                         r.NonEmpty("nfvsm", "dead_letter_queue"));
  if (c.dead_letter_queue == c.ingest_queue) {
    return r.Error("nfvsm", "dead_letter_queue",
                   "must differ from ingest_queue");
  }
  NFVSM_ASSIGN_OR_RETURN(int64_t prefetch,
                         r.Integer("nfvsm", "prefetch", 1, 65535));
  c.prefetch = static_cast<uint16_t>(prefetch);
  NFVSM_ASSIGN_OR_RETURN(
      int64_t deadline_ms,
      r.Integer("nfvsm", "gate_default_deadline_ms", 1, 3'600'000));
  c.gate_default_deadline = std::chrono::milliseconds(deadline_ms);
  NFVSM_ASSIGN_OR_RETURN(
      int64_t max_bytes,
      r.Integer("nfvsm", "max_sm_message_bytes", 1024, 16 * 1024 * 1024));
  c.max_sm_message_bytes = static_cast<size_t>(max_bytes);
  NFVSM_RETURN_IF_ERROR(BuildActuator(r, c));
  c.store_path = r.Raw("store", "path");
  if (c.store_path.empty()) c.store_path = c.state_dir + "/nfvsm.sqlite";
  c.hmac_key_file = r.Raw("audit", "hmac_key_file");
  if (c.hmac_key_file.empty())
    c.hmac_key_file = c.state_dir + "/audit-hmac.key";
  c.encryption_key_file = r.Raw("audit", "encryption_key_file");
  NFVSM_ASSIGN_OR_RETURN(std::string ctl,
                         r.NonEmpty("sm_channels", "rabbitmqctl"));
  c.rabbitmqctl = {ctl};
  for (auto& arg : SplitList(r.Raw("sm_channels", "rabbitmqctl_args"), ' ')) {
    c.rabbitmqctl.push_back(std::move(arg));
  }
  c.sm_broker_host = r.Raw("sm_channels", "sm_broker_host");
  return c;
}

}  // namespace

const std::vector<OptionSpec>& KnownOptions() {
  static const std::vector<OptionSpec> kOptions = {
      {"DEFAULT", "transport_url", "rabbit://",
       "The MANO message bus: the same transport URL the OpenStack services "
       "use (rabbit://user:pass@host1:5672,user:pass@host2:5672/vhost, "
       "amqps:// or ?ssl=1 for TLS). Secret: holds broker passwords."},
      {"DEFAULT", "debug", "false", "Log at DEBUG level instead of INFO."},
      {"nfvsm", "gateway_id", "mano",
       "This gateway's name on SM channels (sender / recipient of signed "
       "envelopes)."},
      {"nfvsm", "state_dir", "/var/lib/nfvsm",
       "Directory of the store, keys/ (per-SM gateway keys) and sm/ "
       "(channel files)."},
      {"nfvsm", "notification_exchanges", "nova,heat,neutron,openstack,tacker",
       "OpenStack exchanges (control_exchange of each service) whose "
       "notifications are ingested, comma separated."},
      {"nfvsm", "ingest_queue", "nfvsm.notifications",
       "nfvsm's own durable queue, bound to the exchanges with "
       "versioned_notifications.* and notifications.*."},
      {"nfvsm", "dead_letter_queue", "nfvsm.notifications.dead",
       "Durable queue receiving notifications that cannot be decoded, with "
       "header x-nfvsm-reason."},
      {"nfvsm", "prefetch", "64",
       "Unacknowledged notifications the broker may hand the ingest at once "
       "(1..65535)."},
      {"nfvsm", "gate_default_deadline_ms", "30000",
       "Deadline of a gate request whose hook gave none, in milliseconds."},
      {"nfvsm", "max_sm_message_bytes", "262144",
       "Largest message accepted from an SM (bytes, before the envelope "
       "overhead)."},
      {"nfvsm", "actuator", "logging",
       "Deprecated: use [actuator] driver, which wins when both are given. "
       "Same values."},
      {"actuator", "driver", "logging",
       "What carries out accepted instructions. 'logging': recorded and "
       "audited, not carried out. 'bus': each step is sent to the OpenStack "
       "actuator service nfvsm-actuator (openstacksdk) over the MANO bus; "
       "a step it does not confirm in time fails (docs/actuator.md)."},
      {"actuator", "queue", "nfvsm.actuator",
       "Queue nfvsm-actuator consumes on the MANO vhost (driver = bus)."},
      {"actuator", "timeout_seconds", "120",
       "How long one actuator step may take before it is reported failed "
       "(1..3600; driver = bus)."},
      {"store", "path", "",
       "SQLite file of the store. Empty: <state_dir>/nfvsm.sqlite."},
      {"audit", "hmac_key_file", "",
       "File with the audit HMAC key (64 hex digits, mode 0600). Empty: "
       "<state_dir>/audit-hmac.key, generated on first start if missing."},
      {"audit", "encryption_key_file", "",
       "File with the audit encryption key (64 hex digits, mode 0600). "
       "Empty: audit bodies are not encrypted."},
      {"sm_channels", "rabbitmqctl", "rabbitmqctl",
       "rabbitmqctl program used to provision per-SM vhosts and users."},
      {"sm_channels", "rabbitmqctl_args", "",
       "Extra arguments for rabbitmqctl, split on spaces (e.g. "
       "'-n rabbit@broker1')."},
      {"sm_channels", "sm_broker_host", "",
       "host:port written into SM channel files. Empty: the first broker of "
       "transport_url."},
  };
  return kOptions;
}

const std::vector<std::string_view>& ForeignSections() {
  static const std::vector<std::string_view> kSections = {"vbs"};
  return kSections;
}

StatusOr<GatewayConfig> ParseConfig(std::string_view text,
                                    std::string_view origin) {
  ParseState state;
  std::string copy(text);  // inih wants a NUL-terminated string
  int rc = ini_parse_string(copy.c_str(), &OnValue, &state);
  if (rc != 0) {
    return InvalidArgumentError(std::string(origin) +
                                ": syntax error on line " + std::to_string(rc));
  }
  if (!state.unknown.empty()) {
    std::string list;
    for (const auto& u : state.unknown) {
      list += (list.empty() ? "" : ", ") + u;
    }
    return InvalidArgumentError(std::string(origin) +
                                ": unknown option(s): " + list);
  }
  return Build(state.values, origin);
}

StatusOr<GatewayConfig> LoadConfig(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return NotFoundError("cannot read config file " + path);
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) return NotFoundError("cannot read config file " + path);
  return ParseConfig(text.str(), path);
}

}  // namespace nfvsm::gateway
