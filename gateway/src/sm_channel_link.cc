#include "sm_channel_link.h"

#include <spdlog/spdlog.h>

#include <utility>

namespace nfvsm::gateway {
namespace {

constexpr Duration kReconnectWait = std::chrono::seconds(5);
constexpr Duration kDeliveryPoll = std::chrono::milliseconds(200);

}  // namespace

Status DeclareChannelTopology(amqp::Connection& connection) {
  for (auto [exchange, queue, key] :
       {std::tuple{kFromManoExchange, kSmInboxQueue, kToSmRoutingKey},
        std::tuple{kFromSmExchange, kManoInboxQueue, kToManoRoutingKey}}) {
    amqp::ExchangeSpec e;
    e.name = std::string(exchange);
    e.type = "direct";
    e.durable = true;
    NFVSM_RETURN_IF_ERROR(connection.DeclareExchange(e));
    amqp::QueueSpec q;
    q.name = std::string(queue);
    q.durable = true;
    NFVSM_RETURN_IF_ERROR(connection.DeclareQueue(q).status());
    NFVSM_RETURN_IF_ERROR(connection.BindQueue(queue, exchange, key));
  }
  return OkStatus();
}

SmChannel::SmChannel(SmChannelConfig config, crypto::SigningKey key,
                     std::unique_ptr<SequenceCounter> sequence, Engine& engine,
                     ChannelCounters& counters,
                     std::shared_ptr<spdlog::logger> log)
    : config_(std::move(config)),
      key_(std::move(key)),
      sequence_(std::move(sequence)),
      engine_(engine),
      counters_(counters),
      log_(std::move(log)) {}

StatusOr<std::unique_ptr<SmChannel>> SmChannel::Open(
    SmChannelConfig config, crypto::SigningKey key,
    std::unique_ptr<SequenceCounter> sequence, Engine& engine,
    ChannelCounters& counters, std::shared_ptr<spdlog::logger> log) {
  std::unique_ptr<SmChannel> channel(
      new SmChannel(std::move(config), std::move(key), std::move(sequence),
                    engine, counters, std::move(log)));
  {
    // The publisher declares the topology, so the SM can publish and
    // consume as soon as Open returns.
    std::lock_guard lock(channel->publish_mu_);
    NFVSM_ASSIGN_OR_RETURN(
        channel->publisher_,
        amqp::Connection::Open(channel->ConnectionOptionsFor("publish")));
  }
  SmChannel* raw = channel.get();
  channel->consumer_ = std::thread([raw] { raw->ConsumeLoop(); });
  return channel;
}

SmChannel::~SmChannel() { Stop(); }

amqp::ConnectionOptions SmChannel::ConnectionOptionsFor(
    const char* role) const {
  amqp::ConnectionOptions o = config_.connection;
  o.connection_name =
      "nfvsm-gateway " + config_.gateway_id + " " + role + " sm:" + config_.sm;
  o.on_connected = [](amqp::Connection& c) {
    return DeclareChannelTopology(c);
  };
  o.prefetch_count = config_.prefetch_count;
  // Larger deliveries are drained unread and refused as oversized.
  o.max_message_bytes =
      config_.max_sm_message_bytes + wire::kEnvelopeOverheadBytes;
  return o;
}

Status SmChannel::PublishLocked(const amqp::OutgoingMessage& message) {
  if (publisher_ == nullptr) {
    NFVSM_ASSIGN_OR_RETURN(
        publisher_, amqp::Connection::Open(ConnectionOptionsFor("publish")));
  }
  Status s = publisher_->Publish(message);
  if (s.code() == StatusCode::kUnavailable ||
      s.code() == StatusCode::kDeadlineExceeded) {
    // Lost or unconfirmed: publish again on a fresh connection. If the
    // first copy was routed after all, the SM's replay window drops the
    // second (same envelope, same sequence number).
    NFVSM_RETURN_IF_ERROR(publisher_->Reconnect(kReconnectWait));
    s = publisher_->Publish(message);
  }
  return s;
}

Status SmChannel::Publish(std::string_view message_type,
                          const std::string& payload,
                          const std::string& correlation_id,
                          std::optional<TimePoint> deadline) {
  std::lock_guard lock(publish_mu_);
  NFVSM_ASSIGN_OR_RETURN(uint64_t sequence, sequence_->Next());
  wire::Envelope envelope;
  envelope.sequence = sequence;
  envelope.timestamp = engine_.clock().Now();
  envelope.sender = config_.gateway_id;
  envelope.recipient = config_.sm;
  envelope.message_type = std::string(message_type);
  envelope.correlation_id = correlation_id;
  envelope.deadline = deadline;
  envelope.payload = payload;
  NFVSM_ASSIGN_OR_RETURN(std::string body, wire::SignEnvelope(key_, envelope));

  amqp::OutgoingMessage message;
  message.exchange = std::string(kFromManoExchange);
  message.routing_key = std::string(kToSmRoutingKey);
  message.body = std::move(body);
  message.properties.content_type = "application/x-protobuf";
  message.properties.type = envelope.message_type;
  message.properties.message_id =
      config_.gateway_id + ":" + std::to_string(sequence);
  message.properties.correlation_id = correlation_id;
  message.properties.persistent = true;
  // Mandatory: a message the topology cannot route is an error, not a loss.
  message.mandatory = true;
  Status s = PublishLocked(message);
  if (s.ok()) {
    counters_.published.fetch_add(1, std::memory_order_relaxed);
  } else {
    counters_.publish_failures.fetch_add(1, std::memory_order_relaxed);
    log_->warn("SM channel {}: publishing {} failed: {}", config_.sm,
               envelope.message_type, s.ToString());
  }
  return s;
}

void SmChannel::Stop() {
  {
    std::lock_guard lock(stop_mu_);
    stop_ = true;
  }
  stop_cv_.notify_all();
  if (consumer_.joinable() &&
      consumer_.get_id() != std::this_thread::get_id()) {
    consumer_.join();
  }
}

void SmChannel::SleepUnlessStopped(Duration d) {
  std::unique_lock lock(stop_mu_);
  stop_cv_.wait_for(lock, d, [this] { return stop_; });
}

void SmChannel::ConsumeLoop() {
  auto stopping = [this] {
    std::lock_guard lock(stop_mu_);
    return stop_;
  };
  std::unique_ptr<amqp::Connection> connection;
  Duration wait = std::chrono::milliseconds(200);
  while (!stopping()) {
    if (connection == nullptr) {
      auto opened = amqp::Connection::Open(ConnectionOptionsFor("consume"));
      Status s = opened.status();
      if (opened.ok()) {
        connection = std::move(opened).value();
        s = connection->Consume(kManoInboxQueue).status();
        if (!s.ok()) connection.reset();
      }
      if (!s.ok()) {
        log_->warn("SM channel {}: consumer not connected: {}", config_.sm,
                   s.ToString());
        SleepUnlessStopped(wait);
        wait = std::min<Duration>(wait * 2, std::chrono::seconds(5));
        continue;
      }
      wait = std::chrono::milliseconds(200);
    }
    auto next = connection->NextDelivery(kDeliveryPoll);
    if (!next.ok()) {
      log_->warn("SM channel {}: consumer connection: {}", config_.sm,
                 next.status().ToString());
      // Reconnect restarts the consumer; on failure start over.
      if (stopping()) break;
      if (!connection->Reconnect(std::chrono::seconds(1)).ok()) {
        connection.reset();
      }
      continue;
    }
    if (!next->has_value()) continue;
    Handle(*connection, **next);
  }
  // Prefetched, unhandled deliveries are requeued when the connection
  // closes.
}

}  // namespace nfvsm::gateway
