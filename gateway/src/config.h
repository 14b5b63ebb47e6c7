// The configuration of nfvsm-gateway: OpenStack INI style
// (/etc/nfvsm/nfvsm.conf), read with inih. Every option, its default and
// its help text are listed in one table (KnownOptions), which the parser,
// etc/nfvsm/nfvsm.conf.sample and its test share, so they cannot drift.
//
// Thread safety: pure functions; GatewayConfig is a plain value.
//
// Ownership: a GatewayConfig owns copies of everything, including the
// broker password inside transport_url. Print it only via Redacted().
//
// Failures: kInvalidArgument naming the file, section and option
// ("[nfvsm] prefetch: not an integer in 1..65535", "unknown option
// [nfvsm] prefech"), never quoting the value of transport_url;
// kNotFound when the file cannot be read.
#ifndef NFVSM_GATEWAY_CONFIG_H_
#define NFVSM_GATEWAY_CONFIG_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/amqp/transport_url.h"
#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::gateway {

inline constexpr std::string_view kDefaultConfigFile = "/etc/nfvsm/nfvsm.conf";

// One option the parser knows. `default_value` is written as in the file.
struct OptionSpec {
  std::string_view section;
  std::string_view name;
  std::string_view default_value;
  std::string_view help;
};

// Every option, in the order of the sample file.
const std::vector<OptionSpec>& KnownOptions();
// Sections that are documented but hold no option read by this daemon
// ([vbs] belongs to nfvsm-vbs): accepted, their contents ignored.
const std::vector<std::string_view>& ForeignSections();

struct GatewayConfig {
  // [DEFAULT]
  amqp::TransportUrl transport_url;
  bool debug = false;
  // [nfvsm]
  std::string gateway_id = "mano";
  std::string state_dir = "/var/lib/nfvsm";
  std::vector<std::string> notification_exchanges = {"nova", "heat", "neutron",
                                                     "openstack", "tacker"};
  std::string ingest_queue = "nfvsm.notifications";
  std::string dead_letter_queue = "nfvsm.notifications.dead";
  uint16_t prefetch = 64;
  Duration gate_default_deadline = std::chrono::milliseconds(30000);
  size_t max_sm_message_bytes = 256 * 1024;
  // The effective actuator driver: [actuator] driver when given, else the
  // deprecated [nfvsm] actuator. "logging" or "bus".
  std::string actuator = "logging";
  // [actuator] (driver = bus)
  std::string actuator_queue = "nfvsm.actuator";
  Duration actuator_timeout = std::chrono::seconds(120);
  // [store]
  std::string store_path;  // <state_dir>/nfvsm.sqlite when not given
  // [audit]
  std::string hmac_key_file;        // <state_dir>/audit-hmac.key
  std::string encryption_key_file;  // empty: bodies not encrypted
  // [sm_channels]
  std::vector<std::string> rabbitmqctl = {"rabbitmqctl"};  // argv prefix
  std::string sm_broker_host;  // "" = first broker of transport_url
};

// Parses the text of a configuration file; `origin` names it in errors.
StatusOr<GatewayConfig> ParseConfig(std::string_view text,
                                    std::string_view origin = "<config>");
// Reads and parses a file.
StatusOr<GatewayConfig> LoadConfig(const std::string& path);

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_CONFIG_H_
