// RpcServer and RpcClient (see rpc_server.h and docs/rpc.md).
#include "nfvsm/amqp/rpc_server.h"

#include <openssl/rand.h>

#include <algorithm>
#include <array>
#include <cstdio>
#include <exception>
#include <random>
#include <utility>

namespace nfvsm::amqp {
namespace {

constexpr Duration kPollSlice = std::chrono::milliseconds(100);

}  // namespace

namespace internal {

// The one publishing connection of a server, shared by every Responder:
// rabbitmq-c connections are not thread-safe, so replies from any thread
// take the mutex.
class ReplyPublisher {
 public:
  explicit ReplyPublisher(ConnectionOptions options)
      : options_(std::move(options)) {
    options_.on_connected = nullptr;  // publishing declares nothing
    options_.connection_name += "-replies";
  }

  Status Connect() {
    std::lock_guard<std::mutex> lock(mu_);
    return ConnectLocked();
  }

  Status Publish(const OutgoingMessage& message) {
    std::lock_guard<std::mutex> lock(mu_);
    // One fresh connection and one retry when the old one was lost: a
    // reply either gets out promptly or not at all (the caller times out).
    for (int attempt = 0;; ++attempt) {
      NFVSM_RETURN_IF_ERROR(ConnectLocked());
      Status status = conn_->Publish(message);
      if (status.code() != StatusCode::kUnavailable || attempt > 0) {
        return status;
      }
      conn_.reset();
    }
  }

 private:
  Status ConnectLocked() {
    if (conn_ && conn_->connected()) return OkStatus();
    conn_.reset();
    NFVSM_ASSIGN_OR_RETURN(conn_, Connection::Open(options_));
    return OkStatus();
  }

  ConnectionOptions options_;
  std::mutex mu_;
  std::unique_ptr<Connection> conn_;
};

struct ResponderState {
  std::shared_ptr<ReplyPublisher> publisher;
  std::string reply_to;
  std::string correlation_id;
  std::string content_type;
  std::atomic<bool> answered{false};
};

}  // namespace internal

std::string RandomHexId() {
  std::array<unsigned char, 16> bytes{};
  if (RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) != 1) {
    // Ids need uniqueness, not secrecy; the OS generator is fine for that.
    std::random_device rd;
    for (auto& b : bytes) b = static_cast<unsigned char>(rd());
  }
  std::string hex(bytes.size() * 2, '0');
  static constexpr char kDigits[] = "0123456789abcdef";
  for (size_t i = 0; i < bytes.size(); ++i) {
    hex[2 * i] = kDigits[bytes[i] >> 4];
    hex[2 * i + 1] = kDigits[bytes[i] & 0x0f];
  }
  return hex;
}

// ------------------------------------------------------------- Responder

Responder::Responder(std::shared_ptr<internal::ResponderState> state)
    : state_(std::move(state)) {}

const std::string& Responder::correlation_id() const {
  return state_->correlation_id;
}

Status Responder::Reply(std::string body, std::string_view message_type) const {
  if (state_->answered.exchange(true)) {
    return FailedPreconditionError("request " + state_->correlation_id +
                                   " was answered already");
  }
  OutgoingMessage reply;
  reply.exchange = "";
  reply.routing_key = state_->reply_to;
  reply.body = std::move(body);
  reply.properties.content_type = state_->content_type;
  reply.properties.correlation_id = state_->correlation_id;
  reply.properties.type = std::string(message_type);
  reply.properties.persistent = false;  // a reply nobody waits for is moot
  return state_->publisher->Publish(reply);
}

// ------------------------------------------------------------- RpcServer

StatusOr<std::unique_ptr<RpcServer>> RpcServer::Create(RpcServerOptions options,
                                                       Handler handler) {
  if (options.queue.name.empty()) {
    return InvalidArgumentError("RpcServer needs a queue name");
  }
  if (!handler) return InvalidArgumentError("RpcServer needs a handler");
  return std::unique_ptr<RpcServer>(
      new RpcServer(std::move(options), std::move(handler)));
}

RpcServer::RpcServer(RpcServerOptions options, Handler handler)
    : options_(std::move(options)),
      handler_(std::move(handler)),
      clock_(options_.clock ? *options_.clock : SystemClock()) {}

RpcServer::~RpcServer() { Stop(); }

Status RpcServer::Start() {
  if (thread_.joinable()) return FailedPreconditionError("already started");
  ConnectionOptions consume_options = options_.connection;
  auto user_on_connected = consume_options.on_connected;
  const QueueSpec queue = options_.queue;
  // Re-declared after every reconnection: a broker restart loses a
  // non-durable queue.
  consume_options.on_connected = [queue,
                                  user_on_connected](Connection& c) -> Status {
    NFVSM_RETURN_IF_ERROR(c.DeclareQueue(queue).status());
    if (user_on_connected) return user_on_connected(c);
    return OkStatus();
  };
  auto conn =
      options_.start_wait > Duration::zero()
          ? Connection::OpenWithRetry(consume_options, options_.start_wait)
          : Connection::Open(consume_options);
  if (!conn.ok()) return conn.status();
  NFVSM_RETURN_IF_ERROR((*conn)->Consume(queue.name).status());
  auto publisher =
      std::make_shared<internal::ReplyPublisher>(options_.connection);
  NFVSM_RETURN_IF_ERROR(publisher->Connect());
  consume_ = std::move(conn).value();
  publisher_ = std::move(publisher);
  stop_ = false;
  thread_ = std::thread(&RpcServer::Loop, this);
  return OkStatus();
}

void RpcServer::Stop() {
  stop_ = true;
  if (consume_) consume_->Interrupt();
  if (thread_.joinable()) thread_.join();
  // Closing the consume connection requeues what was prefetched.
  consume_.reset();
}

void RpcServer::Loop() {
  while (!stop_) {
    auto next = consume_->NextDelivery(kPollSlice);
    if (!next.ok()) {
      if (stop_) break;
      // Reconnect re-declares the queue and restarts the consumer; it
      // returns early (kUnavailable) when Stop interrupts it.
      (void)consume_->Reconnect(options_.reconnect_wait);
      continue;
    }
    if (!next->has_value()) continue;
    Dispatch(**next);
  }
}

void RpcServer::Dispatch(const Delivery& delivery) {
  const MessageProperties& p = delivery.properties;
  bool expired = false;
  if (auto it = p.headers.find(kRpcDeadlineHeader); it != p.headers.end()) {
    if (const auto* us = std::get_if<int64_t>(&it->second)) {
      expired = ToMicros(clock_.Now()) >= *us;
    }
  }
  if (delivery.oversized || p.reply_to.empty() || expired) {
    // Nobody can use an answer: drop it (ack: redelivering cannot help).
    ++dropped_;
    (void)consume_->Ack(delivery);
    return;
  }
  auto state = std::make_shared<internal::ResponderState>();
  state->publisher = publisher_;
  state->reply_to = p.reply_to;
  state->correlation_id = p.correlation_id;
  state->content_type = options_.reply_content_type;
  try {
    handler_(delivery, Responder(std::move(state)));
  } catch (const std::exception&) {
    // A throwing handler must not stop the server; its caller times out.
  }
  ++handled_;
  // Taken by the handler: acknowledged now (see rpc_server.h).
  (void)consume_->Ack(delivery);
}

// ------------------------------------------------------------- RpcClient

StatusOr<std::unique_ptr<RpcClient>> RpcClient::Create(
    RpcClientOptions options) {
  if (options.queue.empty()) {
    return InvalidArgumentError("RpcClient needs the server's queue name");
  }
  return std::unique_ptr<RpcClient>(new RpcClient(std::move(options)));
}

RpcClient::RpcClient(RpcClientOptions options)
    : options_(std::move(options)),
      clock_(options_.clock ? *options_.clock : SystemClock()),
      reply_queue_("nfvsm.reply." + RandomHexId()) {}

RpcClient::~RpcClient() = default;

Status RpcClient::EnsureConnected(TimePoint deadline) {
  if (conn_ && conn_->connected()) return OkStatus();
  conn_.reset();
  ConnectionOptions options = options_.connection;
  const Duration left = deadline - clock_.Now();
  options.connect_timeout = std::max<Duration>(
      std::chrono::milliseconds(1), std::min(options.connect_timeout, left));
  QueueSpec reply_queue;
  reply_queue.name = reply_queue_;
  reply_queue.durable = false;
  reply_queue.exclusive = true;  // nobody else reads our replies
  reply_queue.auto_delete = true;
  auto user_on_connected = options.on_connected;
  options.on_connected = [reply_queue,
                          user_on_connected](Connection& c) -> Status {
    NFVSM_RETURN_IF_ERROR(c.DeclareQueue(reply_queue).status());
    if (user_on_connected) return user_on_connected(c);
    return OkStatus();
  };
  auto conn = Connection::Open(std::move(options));
  if (!conn.ok()) {
    return UnavailableError("cannot reach the broker: " +
                            conn.status().message());
  }
  if (auto tag = (*conn)->Consume(reply_queue_); !tag.ok()) {
    return UnavailableError("cannot consume replies: " +
                            tag.status().message());
  }
  conn_ = std::move(conn).value();
  return OkStatus();
}

StatusOr<std::string> RpcClient::Call(std::string body, TimePoint deadline) {
  std::lock_guard<std::mutex> lock(mu_);
  if (deadline <= clock_.Now()) {
    return DeadlineExceededError("the deadline has passed already");
  }
  // An idle connection may have been closed by the broker (missed
  // heartbeats) without our knowing: its first publish fails, and one
  // retry on a fresh connection keeps that from reaching the caller.
  const bool reusing = conn_ && conn_->connected();
  NFVSM_RETURN_IF_ERROR(EnsureConnected(deadline));

  const std::string correlation_id = RandomHexId();
  const auto left_ms = std::max<int64_t>(
      1, std::chrono::ceil<std::chrono::milliseconds>(deadline - clock_.Now())
             .count());
  OutgoingMessage request;
  request.exchange = "";
  request.routing_key = options_.queue;
  request.body = std::move(body);
  request.mandatory = true;  // no queue => an immediate error, not a wait
  MessageProperties& p = request.properties;
  p.content_type = kProtobufContentType;
  p.correlation_id = correlation_id;
  p.reply_to = reply_queue_;
  p.expiration = std::to_string(left_ms);
  p.type = options_.request_type;
  p.persistent = false;
  p.headers[kRpcDeadlineHeader] = int64_t{ToMicros(deadline)};
  Status published = conn_->Publish(request);
  if (published.code() == StatusCode::kUnavailable && reusing) {
    conn_.reset();
    NFVSM_RETURN_IF_ERROR(EnsureConnected(deadline));
    published = conn_->Publish(request);
  }
  if (const Status& s = published; !s.ok()) {
    if (s.code() == StatusCode::kNotFound) {
      return UnavailableError("nothing serves queue '" + options_.queue +
                              "' on the broker");
    }
    conn_.reset();
    return UnavailableError(s.message());
  }

  while (true) {
    const Duration left = deadline - clock_.Now();
    if (left <= Duration::zero()) {
      return DeadlineExceededError("no reply within the deadline");
    }
    auto next = conn_->NextDelivery(std::min(left, kPollSlice));
    if (!next.ok()) {
      conn_.reset();
      return UnavailableError("connection to the broker lost: " +
                              next.status().message());
    }
    if (!next->has_value()) continue;
    const Delivery& reply = **next;
    (void)conn_->Ack(reply);
    // A reply to an earlier call that gave up waiting: not ours.
    if (reply.properties.correlation_id != correlation_id) continue;
    if (reply.oversized) {
      return ResourceExhaustedError("the reply exceeds max_message_bytes");
    }
    return reply.body;
  }
}

}  // namespace nfvsm::amqp
