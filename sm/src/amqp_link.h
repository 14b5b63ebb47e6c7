// One AMQP 0-9-1 connection of the reference SM, on rabbitmq-c directly:
// either a consumer (manual acks, bounded prefetch) or a publisher
// (publisher confirms). The SM opens one of each, so a publisher waiting
// for its confirm never has to set deliveries aside.
//
// Thread safety: none; one thread per link (rabbitmq-c connections are not
// thread-safe).
// Ownership: the link owns its rabbitmq-c connection; the destructor
// closes it politely. Unacked deliveries are requeued by the broker.
// Failures: kUnavailable (no broker reachable, connection lost; the link
// is then broken() and must be replaced), kUnauthenticated (credentials
// refused), kPermissionDenied (403 on a resource), kNotFound (404, or an
// unroutable publish), kResourceExhausted (publish nacked),
// kDeadlineExceeded (no confirm in time), kInvalidArgument (bad URL).
// Messages name host:port, never credentials.
#ifndef NFVSM_SM_SRC_AMQP_LINK_H_
#define NFVSM_SM_SRC_AMQP_LINK_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "sm/src/result.h"

namespace nfvsm::refsm {

struct BrokerAddress {
  std::string host;
  int port = 5672;
  std::string user;
  std::string password;
  std::string vhost = "/";
  bool tls = false;
};

// rabbit://u:p@h1:5672,u:p@h2:5672/vhost (oslo.messaging's form), amqp://
// and amqps:// (TLS; also rabbit://...?ssl=1). Hosts are tried in order.
// Credentials and vhost are URL-decoded (rabbitmq-c's amqp_parse_url).
Result<std::vector<BrokerAddress>> ParseTransportUrl(const std::string& url);

struct TlsFiles {
  std::string ca_file;    // empty: the system's default trust store
  std::string cert_file;  // client certificate (optional)
  std::string key_file;
  bool verify = true;  // peer certificate and host name
};

struct LinkOptions {
  std::vector<BrokerAddress> brokers;
  TlsFiles tls;
  int heartbeat_s = 30;
  int timeout_ms = 10000;  // connect, login, each RPC
  uint16_t prefetch = 16;
  std::string connection_name = "nfvsm-sm";
};

struct InboundMessage {
  uint64_t delivery_tag = 0;
  bool redelivered = false;
  std::string type;        // AMQP property "type"
  std::string message_id;  // AMQP property "message_id"
  std::string body;
};

struct OutboundMessage {
  std::string exchange;
  std::string routing_key;
  std::string type;
  std::string message_id;
  std::string body;
};

class AmqpLink {
 public:
  // Tries the brokers in order, once each.
  static Result<std::unique_ptr<AmqpLink>> Open(const LinkOptions& options);
  ~AmqpLink();
  AmqpLink(const AmqpLink&) = delete;
  AmqpLink& operator=(const AmqpLink&) = delete;

  const std::string& broker() const { return broker_; }
  bool broken() const { return broken_; }

  // ---- consumer
  Outcome Consume(const std::string& queue);
  // std::nullopt when nothing arrived within timeout_ms.
  Result<std::optional<InboundMessage>> Next(int timeout_ms);
  Outcome Ack(uint64_t delivery_tag);
  // Requeue = false drops it (or dead-letters it where configured).
  Outcome Reject(uint64_t delivery_tag, bool requeue);

  // ---- publisher: persistent, mandatory, waits for the broker's confirm.
  Outcome Publish(const OutboundMessage& message, int confirm_timeout_ms);

  class State;  // rabbitmq-c objects, in amqp_link.cc

 private:
  AmqpLink() = default;
  Error Fail(Code code, std::string message);

  std::unique_ptr<State> state_;
  std::string broker_;
  bool broken_ = false;
  bool confirming_ = false;
  uint16_t prefetch_ = 16;
  uint64_t publish_seq_ = 0;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_AMQP_LINK_H_
