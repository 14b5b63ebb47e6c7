// Connection: one AMQP 0-9-1 connection to RabbitMQ (rabbitmq-c), with
// TLS, heartbeats, publisher confirms, manual acknowledgements, a bounded
// prefetch, fail-over across the brokers of a transport URL and
// reconnection with capped exponential backoff.
//
// Thread safety: thread-compatible. One thread at a time may call a
// Connection (rabbitmq-c connections are not thread-safe); use one
// Connection per thread. The exception is Interrupt(), which any thread may
// call at any time.
//
// Ownership: Open returns the sole owner. The destructor closes the
// connection politely (bounded by rpc_timeout) and frees it; deliveries not
// acknowledged by then are requeued by the broker.
//
// Failures (Status codes):
//   kUnavailable        no broker reachable, connection lost, broker
//                       closed the connection, publish not confirmed
//                       before the connection dropped (it may or may not
//                       have been routed: publish again, consumers
//                       dedupe), a use while disconnected, or
//                       interrupted. Retry after Reconnect().
//                       Messages name the broker as host:port, never a
//                       password.
//   kUnauthenticated    every broker refused the credentials (403)
//   kPermissionDenied   the user may not use the virtual host or resource
//   kNotFound           exchange or queue does not exist (404), or a
//                       mandatory message was returned unroutable
//   kFailedPrecondition the broker refused a declaration that does not
//                       match the existing entity (406), or an ack for a
//                       delivery of an earlier consume generation
//   kResourceExhausted  the broker nacked a publish, or a limit was hit
//   kDeadlineExceeded   a confirm did not arrive within confirm_timeout
//   kInvalidArgument    bad options or arguments
//
// Channels: the connection uses one channel per use, so a broker refusal
// on one (a 406 on a declaration, say) does not disturb the others:
// channel 1 consumes (basic.qos prefetch, manual acks), channel 2
// publishes (confirm mode), channel 3 declares topology. A channel the
// broker closes is reopened on its next use; consumers are restarted on a
// reopened consume channel. Each reopening or reconnection starts a new
// consume generation: acknowledging a delivery of an earlier generation
// returns kFailedPrecondition (the broker has requeued it already).
//
// Reconnection is explicit: operations report a lost connection as
// kUnavailable and the caller calls Reconnect(), which retries with
// backoff (trying the brokers in order on each round), re-runs
// on_connected to re-declare topology and restarts the consumers.
//
// Heartbeats are sent and checked by rabbitmq-c whenever the connection
// reads or waits (NextDelivery, confirms, RPCs); a connection left idle
// without calls for longer than twice the heartbeat is closed by the
// broker and reported as kUnavailable on the next call.
#ifndef NFVSM_AMQP_CONNECTION_H_
#define NFVSM_AMQP_CONNECTION_H_

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "nfvsm/amqp/backoff.h"
#include "nfvsm/amqp/transport_url.h"
#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

// A value of an AMQP field table (headers, queue arguments). Other AMQP
// field kinds in received tables are skipped.
using FieldValue = std::variant<std::string, int64_t, bool>;
using FieldTable = std::map<std::string, FieldValue>;

struct ExchangeSpec {
  std::string name;
  std::string type = "topic";
  bool durable = false;
  bool auto_delete = false;
  bool internal = false;
  // Only check that it exists (404 if not); flags are then ignored.
  bool passive = false;
};

struct QueueSpec {
  std::string name;  // empty: the broker names it (see QueueInfo::name)
  bool durable = true;
  bool exclusive = false;
  bool auto_delete = false;
  bool passive = false;
  FieldTable arguments = {};  // x-dead-letter-exchange, x-queue-type, ...
};

struct QueueInfo {
  std::string name;
  uint32_t message_count = 0;
  uint32_t consumer_count = 0;
};

struct MessageProperties {
  std::string content_type;
  std::string content_encoding;
  std::string message_id;
  std::string correlation_id;
  std::string reply_to;
  std::string expiration;
  std::string type;
  std::string app_id;
  std::optional<int64_t> timestamp;  // seconds since the epoch
  std::optional<uint8_t> priority;
  bool persistent = true;  // delivery_mode 2: survives a broker restart
  FieldTable headers;
};

struct OutgoingMessage {
  std::string exchange;  // "" is the default exchange (routes by queue name)
  std::string routing_key;
  std::string body;
  MessageProperties properties;
  // Unroutable messages come back as kNotFound instead of being dropped.
  // nfvsm adds a header "x-nfvsm-publish-seq" to match the return.
  bool mandatory = false;
};

struct Delivery {
  uint64_t delivery_tag = 0;
  uint64_t generation = 0;  // consume generation it arrived in
  std::string consumer_tag;
  std::string exchange;
  std::string routing_key;
  bool redelivered = false;
  MessageProperties properties;
  std::string body;
  // Announced body size. When it exceeds max_message_bytes the body was
  // drained unread: `oversized` is set and `body` is empty; the delivery
  // must still be acknowledged or rejected.
  uint64_t body_size = 0;
  bool oversized = false;
};

struct ConsumeOptions {
  bool exclusive = false;
  std::string consumer_tag;  // empty: the broker picks one
};

class Connection;

struct ConnectionOptions {
  TransportUrl url;
  // Shown by the broker (rabbitmqctl list_connections name).
  std::string connection_name = "nfvsm";
  Duration connect_timeout = std::chrono::seconds(10);  // TCP+TLS+login
  Duration rpc_timeout = std::chrono::seconds(30);      // one AMQP method
  Duration confirm_timeout = std::chrono::seconds(30);  // publisher confirms
  // basic.qos on the consume channel; 0 is refused (unbounded). A
  // transport URL's rabbit_qos_prefetch_count overrides it.
  uint16_t prefetch_count = 64;
  uint64_t max_message_bytes = 16 * 1024 * 1024;
  uint32_t frame_max = 131072;
  // Defaults from the URL's rabbit_retry_interval / rabbit_interval_max
  // when set there.
  BackoffPolicy backoff;
  // Runs after every successful connect and reconnect, before consumers
  // are restarted: declares the exchanges, queues and bindings the caller
  // needs. A failure fails the connection attempt.
  std::function<Status(Connection&)> on_connected;
  // Told about each failed attempt of Reconnect/OpenWithRetry and the wait
  // before the next one (for logs and metrics).
  std::function<void(const Status&, Duration next_wait)> on_retry;
};

class Connection {
 public:
  // Connects to the first broker of options.url that accepts (in order),
  // once: no retries. kUnavailable lists every broker tried.
  static StatusOr<std::unique_ptr<Connection>> Open(ConnectionOptions options);
  // Like Open, retrying with options.backoff for up to max_wait.
  static StatusOr<std::unique_ptr<Connection>> OpenWithRetry(
      ConnectionOptions options, Duration max_wait);

  ~Connection();
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  bool connected() const;
  // host:port of the broker in use (or last used).
  const std::string& broker() const;
  // Heartbeat interval agreed with the broker (0: none).
  std::chrono::seconds heartbeat() const;
  // Consume generation; grows at every reconnection or consume-channel
  // reopening.
  uint64_t generation() const;
  // Successful connections so far (1 after Open).
  uint64_t connects() const;

  // Drops the current connection (if any) and connects again with backoff,
  // for up to max_wait; then re-runs on_connected and restarts consumers.
  Status Reconnect(Duration max_wait);

  // Makes a blocked or later Reconnect/OpenWithRetry wait and NextDelivery
  // return kUnavailable promptly. Thread-safe. Sticky until ClearInterrupt.
  void Interrupt();
  void ClearInterrupt();

  // ---- Topology (channel 3).
  Status DeclareExchange(const ExchangeSpec& spec);
  StatusOr<QueueInfo> DeclareQueue(const QueueSpec& spec);
  Status BindQueue(std::string_view queue, std::string_view exchange,
                   std::string_view routing_key);
  Status UnbindQueue(std::string_view queue, std::string_view exchange,
                     std::string_view routing_key);
  StatusOr<uint32_t> PurgeQueue(std::string_view queue);
  Status DeleteQueue(std::string_view queue);
  Status DeleteExchange(std::string_view exchange);

  // ---- Publishing (channel 2, confirm mode).
  // Publishes and waits for the broker's confirm.
  Status Publish(const OutgoingMessage& message);
  // Publishes all, then waits for all confirms: one Status per message.
  std::vector<Status> PublishBatch(std::span<const OutgoingMessage> messages);

  // ---- Consuming (channel 1, manual acks, bounded prefetch).
  // Starts a consumer; it is restarted after every reconnection. Returns
  // the consumer tag.
  StatusOr<std::string> Consume(std::string_view queue,
                                const ConsumeOptions& options = {});
  Status Cancel(std::string_view consumer_tag);
  // The next delivery of any consumer, waiting up to `timeout`;
  // std::nullopt when none arrived in time.
  StatusOr<std::optional<Delivery>> NextDelivery(Duration timeout);
  // basic.get with manual ack; std::nullopt when the queue is empty.
  StatusOr<std::optional<Delivery>> Get(std::string_view queue);
  Status Ack(const Delivery& delivery, bool multiple = false);
  // basic.nack: requeue, or drop / dead-letter (requeue = false).
  Status Reject(const Delivery& delivery, bool requeue);

  class Impl;  // rabbitmq-c state; defined in src/

 private:
  explicit Connection(std::unique_ptr<Impl> impl);

  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_CONNECTION_H_
