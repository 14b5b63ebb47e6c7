// TransportUrl: OpenStack's `transport_url`, read the way oslo.messaging
// reads it, so that nfvsm can be given the very URL every OpenStack service
// of the cloud is configured with.
//
// Thread safety: plain value types; Parse is a pure function.
//
// Ownership: a TransportUrl owns copies of everything it was parsed from,
// including the broker passwords. Passwords are never part of Redacted(),
// of any Status message, or of any other string this module builds.
//
// Failures: Parse returns kInvalidArgument saying what is wrong and where
// ("host 2: port is not a number in 1..65535"), never quoting the host
// part of the URL (a mistyped URL can put a password there), only scheme
// and query option names.
//
// Semantics (oslo_messaging.TransportURL.parse, the rabbit driver and kombu,
// as of oslo.messaging 14 / kombu 5.2; see docs/bus.md for the table):
//  - `rabbit://[user[:pass]@]host[:port][,[user[:pass]@]host[:port]...]
//    [/virtual_host][?option=value&...]`. Hosts are split on ','; each may
//    carry its own credentials; user and password are percent-decoded
//    (host names are not); IPv6 literals go in brackets.
//  - Missing user or password: "guest" (kombu's default). No host at all:
//    guest:guest@localhost. An empty host name: localhost.
//  - Port: 5672 when absent, also with ssl=1 (oslo always passes 5672 to
//    kombu). nfvsm also accepts the `amqps://` scheme of RabbitMQ's own URI
//    spec, which turns TLS on and defaults to 5671; `amqp://` is a synonym
//    of `rabbit://`.
//  - Virtual host: the percent-decoded path after the first '/'; absent or
//    empty means "/" ("%2F" and "//" also give "/").
//  - Query options are options of oslo's [oslo_messaging_rabbit] group and
//    override the configuration file. An option oslo does not know is an
//    error, as it is for oslo (so `heartbeat` is refused: oslo's name is
//    `heartbeat_timeout_threshold`). Values of the same option are joined
//    with ',' and then converted to the option's type, also like oslo.
//    nfvsm acts on: ssl, ssl_ca_file, ssl_cert_file, ssl_key_file,
//    heartbeat_timeout_threshold, rabbit_retry_interval,
//    rabbit_interval_max and rabbit_qos_prefetch_count; it type-checks and
//    keeps (in `query`) the others, which have no effect here.
//  - Deliberate differences: brokers are tried in the order written (oslo
//    shuffles them); with TLS, the peer certificate and host name are
//    always verified (oslo verifies the name only when told to); negative
//    heartbeats and ports outside 1..65535 are refused.
#ifndef NFVSM_AMQP_TRANSPORT_URL_H_
#define NFVSM_AMQP_TRANSPORT_URL_H_

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"

namespace nfvsm::amqp {

inline constexpr uint16_t kDefaultAmqpPort = 5672;
inline constexpr uint16_t kDefaultAmqpsPort = 5671;

// One broker of a transport URL.
struct BrokerAddress {
  std::string host;  // name or IP literal, IPv6 without brackets
  uint16_t port = kDefaultAmqpPort;
  std::string username = "guest";
  std::string password = "guest";  // secret: never print or log

  // "host:port", or "[v6]:port"; safe to log.
  std::string HostPort() const;
};

struct TlsOptions {
  bool enabled = false;
  std::string ca_file;    // PEM; empty: the system's trust store
  std::string cert_file;  // client certificate (PEM), optional
  std::string key_file;   // its private key (PEM); required with cert_file
  bool verify_peer = true;
  bool verify_hostname = true;
};

struct TransportUrl {
  std::string scheme = "rabbit";       // lower case, as written
  std::vector<BrokerAddress> brokers;  // in fail-over order; never empty
  std::string virtual_host = "/";
  TlsOptions tls;
  std::chrono::seconds heartbeat{60};  // heartbeat_timeout_threshold; 0: off
  std::optional<std::chrono::seconds> retry_interval;  // rabbit_retry_interval
  std::optional<std::chrono::seconds> interval_max;    // rabbit_interval_max
  std::optional<uint16_t> prefetch_count;  // rabbit_qos_prefetch_count
  // Every query option as given, values joined with ','.
  std::map<std::string, std::string> query;

  static StatusOr<TransportUrl> Parse(std::string_view url);

  // The URL with every password replaced by "***"; safe to log.
  std::string Redacted() const;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_TRANSPORT_URL_H_
