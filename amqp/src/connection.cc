// Connection life cycle: options, dialing the brokers of a transport URL
// in order (TCP or TLS, login), reconnection with backoff, teardown.
#include "nfvsm/amqp/connection.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <openssl/ssl.h>

#include <chrono>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <utility>

#include "amqp_util.h"
#include "connection_impl.h"

namespace nfvsm::amqp {
namespace {

using internal::Bytes;
using internal::ToTimeval;

using SteadyClock = std::chrono::steady_clock;

constexpr char kProduct[] = "nfvsm";

// TLS settings of a fresh rabbitmq-c SSL socket. Configuration problems
// (unreadable files) are kInvalidArgument: retrying will not fix them.
Status ConfigureTls(amqp_socket_t* socket, const TlsOptions& tls) {
  if (amqp_ssl_socket_set_ssl_versions(socket, AMQP_TLSv1_2, AMQP_TLSvLATEST) !=
      AMQP_STATUS_OK) {
    return InternalError("TLS: cannot require TLS 1.2 or later");
  }
  if (!tls.ca_file.empty()) {
    if (amqp_ssl_socket_set_cacert(socket, tls.ca_file.c_str()) !=
        AMQP_STATUS_OK) {
      return InvalidArgumentError("TLS: cannot load the CA file '" +
                                  tls.ca_file + "'");
    }
  } else {
    // rabbitmq-c trusts nothing unless told; use the system's store.
    auto* ctx = static_cast<SSL_CTX*>(amqp_ssl_socket_get_context(socket));
    if (ctx == nullptr || SSL_CTX_set_default_verify_paths(ctx) != 1) {
      return InternalError("TLS: cannot load the system trust store");
    }
  }
  if (!tls.cert_file.empty()) {
    if (amqp_ssl_socket_set_key(socket, tls.cert_file.c_str(),
                                tls.key_file.c_str()) != AMQP_STATUS_OK) {
      return InvalidArgumentError("TLS: cannot load the client certificate '" +
                                  tls.cert_file + "' or its key");
    }
  }
  amqp_ssl_socket_set_verify_peer(socket, tls.verify_peer ? 1 : 0);
  amqp_ssl_socket_set_verify_hostname(socket, tls.verify_hostname ? 1 : 0);
  return OkStatus();
}

}  // namespace

// ------------------------------------------------------------------ Impl

void Connection::Impl::StateDeleter::operator()(
    amqp_connection_state_t_* s) const {
  if (s != nullptr) amqp_destroy_connection(s);
}

Connection::Impl::Impl(ConnectionOptions options)
    : options_(std::move(options)), rng_(std::random_device{}()) {}

Connection::Impl::~Impl() { CloseGracefully(); }

Status Connection::Impl::Prepare() {
  const TransportUrl& url = options_.url;
  if (url.brokers.empty()) {
    return InvalidArgumentError("connection: the transport URL has no broker");
  }
  if (url.prefetch_count) options_.prefetch_count = *url.prefetch_count;
  if (url.retry_interval && url.retry_interval->count() > 0) {
    options_.backoff.initial = *url.retry_interval;
  }
  if (url.interval_max && url.interval_max->count() > 0) {
    options_.backoff.max = *url.interval_max;
  }
  if (options_.backoff.max < options_.backoff.initial) {
    options_.backoff.max = options_.backoff.initial;
  }
  NFVSM_RETURN_IF_ERROR(options_.backoff.Validate());
  if (options_.prefetch_count == 0) {
    return InvalidArgumentError(
        "connection: prefetch_count must be positive (0 is unbounded)");
  }
  if (options_.connect_timeout <= Duration::zero() ||
      options_.rpc_timeout <= Duration::zero() ||
      options_.confirm_timeout <= Duration::zero()) {
    return InvalidArgumentError("connection: timeouts must be positive");
  }
  if (options_.max_message_bytes == 0) {
    return InvalidArgumentError(
        "connection: max_message_bytes must be positive");
  }
  if (options_.frame_max < AMQP_FRAME_MIN_SIZE) {
    return InvalidArgumentError("connection: frame_max below the AMQP minimum");
  }
  return OkStatus();
}

Status Connection::Impl::RequireConnected() const {
  if (state_ != nullptr) return OkStatus();
  return UnavailableError(
      "connection to " +
      (broker_.empty() ? std::string("the broker") : broker_) +
      " is down; call Reconnect()");
}

StatusOr<Connection::Impl::StatePtr> Connection::Impl::Dial(
    const BrokerAddress& broker) {
  const std::string where = "broker " + broker.HostPort();
  StatePtr state(amqp_new_connection());
  if (state == nullptr)
    return ResourceExhaustedError(where + ": out of memory");
  const TlsOptions& tls = options_.url.tls;
  amqp_socket_t* socket = tls.enabled ? amqp_ssl_socket_new(state.get())
                                      : amqp_tcp_socket_new(state.get());
  if (socket == nullptr) {
    return InternalError(where + ": cannot create a socket");
  }
  if (tls.enabled) {
    Status s = ConfigureTls(socket, tls);
    if (!s.ok()) return Status(s.code(), where + ": " + s.message());
  }
  timeval connect_tv = ToTimeval(options_.connect_timeout);
  const int rc = amqp_socket_open_noblock(socket, broker.host.c_str(),
                                          broker.port, &connect_tv);
  if (rc != AMQP_STATUS_OK) {
    return internal::LibraryError(
        rc, where + (tls.enabled ? ": TLS connect" : ": connect"));
  }
  amqp_set_handshake_timeout(state.get(), &connect_tv);
  timeval rpc_tv = ToTimeval(options_.rpc_timeout);
  amqp_set_rpc_timeout(state.get(), &rpc_tv);

  amqp_table_entry_t props[2];
  props[0].key = amqp_cstring_bytes("connection_name");
  props[0].value.kind = AMQP_FIELD_KIND_UTF8;
  props[0].value.value.bytes = Bytes(options_.connection_name);
  props[1].key = amqp_cstring_bytes("product");
  props[1].value.kind = AMQP_FIELD_KIND_UTF8;
  props[1].value.value.bytes = amqp_cstring_bytes(kProduct);
  amqp_table_t properties{2, props};
  const int heartbeat = static_cast<int>(options_.url.heartbeat.count());
  const amqp_rpc_reply_t login = amqp_login_with_properties(
      state.get(), options_.url.virtual_host.c_str(), 0,
      static_cast<int>(options_.frame_max), heartbeat, &properties,
      AMQP_SASL_METHOD_PLAIN, broker.username.c_str(), broker.password.c_str());
  switch (login.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return state;
    case AMQP_RESPONSE_SERVER_EXCEPTION: {
      const internal::CloseReason reason = internal::ReadCloseReason(login);
      if (reason.code == AMQP_ACCESS_REFUSED) {
        return UnauthenticatedError(where + ": login refused for user '" +
                                    broker.username + "' (" +
                                    std::to_string(reason.code) + ")");
      }
      return internal::BrokerError(reason.code, reason.text,
                                   where + ": login to virtual host '" +
                                       options_.url.virtual_host + "'");
    }
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return internal::LibraryError(login.library_error, where + ": login");
    default:
      return InternalError(where + ": login: no reply");
  }
}

Status Connection::Impl::OpenChannel(amqp_channel_t channel) {
  amqp_channel_open(state_.get(), channel);
  NFVSM_RETURN_IF_ERROR(CheckReply(channel, "channel.open"));
  if (channel == kConsumeChannel) {
    amqp_basic_qos(state_.get(), channel, 0, options_.prefetch_count, 0);
    NFVSM_RETURN_IF_ERROR(CheckReply(channel, "basic.qos"));
    ++generation_;
    buffered_.clear();  // their tags died with the old channel
  } else if (channel == kPublishChannel) {
    amqp_confirm_select(state_.get(), channel);
    NFVSM_RETURN_IF_ERROR(CheckReply(channel, "confirm.select"));
    next_publish_seq_ = 1;
  }
  channel_open_[channel] = true;
  return OkStatus();
}

Status Connection::Impl::SetUpSession(Connection& self) {
  for (amqp_channel_t ch :
       {kConsumeChannel, kPublishChannel, kTopologyChannel}) {
    NFVSM_RETURN_IF_ERROR(OpenChannel(ch));
  }
  if (options_.on_connected) {
    Status s = options_.on_connected(self);
    if (!s.ok()) {
      return Status(s.code(), "on_connected: " + s.message());
    }
  }
  return RestartConsumers();
}

Status Connection::Impl::ConnectOnce(Connection& self) {
  Drop(UnavailableError("reconnecting"));
  std::string failures;
  // When every broker fails the same way (all refuse the login, all deny
  // the virtual host) that is the answer; a mix is "unavailable".
  std::optional<StatusCode> common;
  bool mixed = false;
  Status last;
  for (const BrokerAddress& broker : options_.url.brokers) {
    if (interrupted_.load()) return UnavailableError("connection: interrupted");
    StatusOr<StatePtr> state = Dial(broker);
    if (state.ok()) {
      state_ = std::move(state).value();
      broker_ = broker.HostPort();
      channel_open_.fill(false);
      ++connects_;
      Status s = SetUpSession(self);
      if (s.ok()) return s;
      Drop(s);
      // Refused by a broker that accepted the login: topology or
      // permissions, the same on every broker of a cluster. Only a lost
      // connection is worth trying the next broker for.
      if (s.code() != StatusCode::kUnavailable) return s;
      last = s;
    } else {
      last = state.status();
    }
    if (last.code() == StatusCode::kInvalidArgument) return last;
    if (common && *common != last.code()) mixed = true;
    common = last.code();
    if (!failures.empty()) failures += "; ";
    failures += last.message();
  }
  std::string message = "connection: no broker of " + options_.url.Redacted() +
                        " accepted: " + failures;
  if (!mixed && common) return Status(*common, std::move(message));
  return UnavailableError(std::move(message));
}

Status Connection::Impl::Reconnect(Connection& self, Duration max_wait) {
  const auto deadline = SteadyClock::now() + max_wait;
  for (uint32_t attempt = 0;; ++attempt) {
    if (interrupted_.load()) return UnavailableError("connection: interrupted");
    Status s = ConnectOnce(self);
    if (s.ok()) return s;
    if (s.code() == StatusCode::kInvalidArgument) return s;
    const Duration wait = options_.backoff.Delay(attempt, rng_);
    if (SteadyClock::now() + wait > deadline) {
      return Status(s.code(), "gave up after " + std::to_string(attempt + 1) +
                                  " attempt(s): " + s.message());
    }
    if (options_.on_retry) options_.on_retry(s, wait);
    SleepInterruptibly(wait);
  }
}

void Connection::Impl::SleepInterruptibly(Duration d) {
  std::unique_lock<std::mutex> lock(sleep_mu_);
  sleep_cv_.wait_for(lock, d, [this] { return interrupted_.load(); });
}

void Connection::Impl::Drop(const Status& why) {
  if (state_ != nullptr) ++generation_;
  state_.reset();
  channel_open_.fill(false);
  buffered_.clear();
  FailPendingConfirms(why);
  returned_.clear();
}

void Connection::Impl::CloseGracefully() {
  if (state_ == nullptr) return;
  amqp_connection_close(state_.get(), AMQP_REPLY_SUCCESS);
  Drop(UnavailableError("connection closed"));
}

// ------------------------------------------------------------ Connection

Connection::Connection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Connection::~Connection() = default;

StatusOr<std::unique_ptr<Connection>> Connection::Open(
    ConnectionOptions options) {
  auto impl = std::make_unique<Impl>(std::move(options));
  NFVSM_RETURN_IF_ERROR(impl->Prepare());
  std::unique_ptr<Connection> conn(new Connection(std::move(impl)));
  NFVSM_RETURN_IF_ERROR(conn->impl_->ConnectOnce(*conn));
  return conn;
}

StatusOr<std::unique_ptr<Connection>> Connection::OpenWithRetry(
    ConnectionOptions options, Duration max_wait) {
  auto impl = std::make_unique<Impl>(std::move(options));
  NFVSM_RETURN_IF_ERROR(impl->Prepare());
  std::unique_ptr<Connection> conn(new Connection(std::move(impl)));
  NFVSM_RETURN_IF_ERROR(conn->impl_->Reconnect(*conn, max_wait));
  return conn;
}

bool Connection::connected() const { return impl_->connected(); }
const std::string& Connection::broker() const { return impl_->broker_; }
uint64_t Connection::generation() const { return impl_->generation_; }
uint64_t Connection::connects() const { return impl_->connects_; }

std::chrono::seconds Connection::heartbeat() const {
  if (!impl_->connected()) return std::chrono::seconds(0);
  return std::chrono::seconds(amqp_get_heartbeat(impl_->state_.get()));
}

Status Connection::Reconnect(Duration max_wait) {
  return impl_->Reconnect(*this, max_wait);
}

void Connection::Interrupt() {
  {
    std::lock_guard<std::mutex> lock(impl_->sleep_mu_);
    impl_->interrupted_.store(true);
  }
  impl_->sleep_cv_.notify_all();
}

void Connection::ClearInterrupt() { impl_->interrupted_.store(false); }

Status Connection::DeclareExchange(const ExchangeSpec& spec) {
  return impl_->DeclareExchange(spec);
}
StatusOr<QueueInfo> Connection::DeclareQueue(const QueueSpec& spec) {
  return impl_->DeclareQueue(spec);
}
Status Connection::BindQueue(std::string_view queue, std::string_view exchange,
                             std::string_view routing_key) {
  return impl_->Bind(true, queue, exchange, routing_key);
}
Status Connection::UnbindQueue(std::string_view queue,
                               std::string_view exchange,
                               std::string_view routing_key) {
  return impl_->Bind(false, queue, exchange, routing_key);
}
StatusOr<uint32_t> Connection::PurgeQueue(std::string_view queue) {
  return impl_->PurgeQueue(queue);
}
Status Connection::DeleteQueue(std::string_view queue) {
  return impl_->DeleteQueue(queue);
}
Status Connection::DeleteExchange(std::string_view exchange) {
  return impl_->DeleteExchange(exchange);
}
Status Connection::Publish(const OutgoingMessage& message) {
  return impl_->PublishBatch(std::span<const OutgoingMessage>(&message, 1))
      .front();
}
std::vector<Status> Connection::PublishBatch(
    std::span<const OutgoingMessage> messages) {
  return impl_->PublishBatch(messages);
}
StatusOr<std::string> Connection::Consume(std::string_view queue,
                                          const ConsumeOptions& options) {
  return impl_->Consume(queue, options);
}
Status Connection::Cancel(std::string_view consumer_tag) {
  return impl_->Cancel(consumer_tag);
}
StatusOr<std::optional<Delivery>> Connection::NextDelivery(Duration timeout) {
  return impl_->NextDelivery(timeout);
}
StatusOr<std::optional<Delivery>> Connection::Get(std::string_view queue) {
  return impl_->Get(queue);
}
Status Connection::Ack(const Delivery& delivery, bool multiple) {
  return impl_->Settle(delivery, true, multiple, false);
}
Status Connection::Reject(const Delivery& delivery, bool requeue) {
  return impl_->Settle(delivery, false, false, requeue);
}

}  // namespace nfvsm::amqp
