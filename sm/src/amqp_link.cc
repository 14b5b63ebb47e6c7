#include "sm/src/amqp_link.h"

#include <amqp.h>
#include <amqp_framing.h>
#include <amqp_ssl_socket.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>

#include <chrono>
#include <cstring>

namespace nfvsm::refsm {

class AmqpLink::State {
 public:
  State() : conn(amqp_new_connection()) {}
  ~State() {
    if (logged_in) {
      amqp_channel_close(conn, 1, AMQP_REPLY_SUCCESS);
      amqp_connection_close(conn, AMQP_REPLY_SUCCESS);
    }
    amqp_destroy_connection(conn);
  }
  State(const State&) = delete;
  State& operator=(const State&) = delete;

  amqp_connection_state_t conn;
  bool logged_in = false;
};

namespace {

constexpr amqp_channel_t kChannel = 1;

timeval ToTimeval(int ms) {
  timeval tv{};
  tv.tv_sec = ms / 1000;
  tv.tv_usec = (ms % 1000) * 1000;
  return tv;
}

amqp_bytes_t Bytes(const std::string& s) {
  amqp_bytes_t b;
  b.len = s.size();
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string ToString(amqp_bytes_t b) {
  return b.len == 0 ? std::string()
                    : std::string(static_cast<const char*>(b.bytes), b.len);
}

Code CodeForReply(uint16_t reply_code) {
  switch (reply_code) {
    case AMQP_ACCESS_REFUSED:
      return Code::kPermissionDenied;
    case AMQP_NOT_FOUND:
      return Code::kNotFound;
    case AMQP_PRECONDITION_FAILED:
      return Code::kFailedPrecondition;
    default:
      return Code::kUnavailable;
  }
}

// The broker's reason for a failed RPC, as (code, text).
Error ReplyError(const amqp_rpc_reply_t& reply, const std::string& what) {
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return MakeError(Code::kInternal, what + ": no error");
    case AMQP_RESPONSE_NONE:
      return MakeError(Code::kUnavailable, what + ": no reply");
    case AMQP_RESPONSE_LIBRARY_EXCEPTION:
      return MakeError(Code::kUnavailable,
                       what + ": " + amqp_error_string2(reply.library_error));
    case AMQP_RESPONSE_SERVER_EXCEPTION:
      break;
  }
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD) {
    const auto* m = static_cast<amqp_connection_close_t*>(reply.reply.decoded);
    const Code code = m->reply_code == AMQP_ACCESS_REFUSED
                          ? Code::kUnauthenticated
                          : CodeForReply(m->reply_code);
    return MakeError(code, what + ": broker closed the connection (" +
                               std::to_string(m->reply_code) + " " +
                               ToString(m->reply_text) + ")");
  }
  if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD) {
    const auto* m = static_cast<amqp_channel_close_t*>(reply.reply.decoded);
    return MakeError(CodeForReply(m->reply_code),
                     what + ": broker closed the channel (" +
                         std::to_string(m->reply_code) + " " +
                         ToString(m->reply_text) + ")");
  }
  return MakeError(Code::kUnavailable, what + ": unexpected broker reply");
}

}  // namespace

Result<std::vector<BrokerAddress>> ParseTransportUrl(const std::string& url) {
  const size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) {
    return MakeError(Code::kInvalidArgument, "transport_url has no scheme");
  }
  const std::string scheme = url.substr(0, scheme_end);
  std::string rest = url.substr(scheme_end + 3);
  std::string query;
  if (const size_t q = rest.find('?'); q != std::string::npos) {
    query = rest.substr(q + 1);
    rest.resize(q);
  }
  bool tls = scheme == "amqps";
  if (scheme != "rabbit" && scheme != "amqp" && scheme != "amqps") {
    return MakeError(Code::kInvalidArgument,
                     "transport_url scheme must be rabbit, amqp or amqps");
  }
  if (query.find("ssl=1") != std::string::npos ||
      query.find("ssl=true") != std::string::npos ||
      query.find("ssl=True") != std::string::npos) {
    tls = true;
  }
  // Hosts are separated by ',' before the path (oslo.messaging).
  std::string path;
  const size_t slash = rest.find('/');
  if (slash != std::string::npos) {
    path = rest.substr(slash);
    rest.resize(slash);
  }
  std::vector<BrokerAddress> out;
  size_t start = 0;
  while (start <= rest.size()) {
    size_t comma = rest.find(',', start);
    if (comma == std::string::npos) comma = rest.size();
    std::string one = std::string(tls ? "amqps://" : "amqp://") +
                      rest.substr(start, comma - start) + path;
    std::vector<char> buf(one.begin(), one.end());
    buf.push_back('\0');
    amqp_connection_info info{};
    if (amqp_parse_url(buf.data(), &info) != AMQP_STATUS_OK) {
      return MakeError(
          Code::kInvalidArgument,
          "transport_url host " + std::to_string(out.size()) + " is malformed");
    }
    BrokerAddress a;
    a.host = info.host;
    a.port = info.port;
    a.user = info.user;
    a.password = info.password;
    a.vhost = (info.vhost == nullptr || *info.vhost == '\0') ? "/" : info.vhost;
    a.tls = tls;
    out.push_back(std::move(a));
    start = comma + 1;
  }
  return out;
}

AmqpLink::~AmqpLink() = default;

Error AmqpLink::Fail(Code code, std::string message) {
  if (code == Code::kUnavailable) broken_ = true;
  return MakeError(code, std::move(message));
}

Result<std::unique_ptr<AmqpLink>> AmqpLink::Open(const LinkOptions& options) {
  if (options.brokers.empty()) {
    return MakeError(Code::kInvalidArgument, "no broker address");
  }
  std::string tried;
  Error last = MakeError(Code::kUnavailable, "no broker");
  for (const BrokerAddress& b : options.brokers) {
    std::unique_ptr<AmqpLink> link(new AmqpLink);
    link->state_ = std::make_unique<State>();
    link->broker_ = b.host + ":" + std::to_string(b.port);
    link->prefetch_ = options.prefetch;
    amqp_connection_state_t conn = link->state_->conn;
    amqp_socket_t* socket =
        b.tls ? amqp_ssl_socket_new(conn) : amqp_tcp_socket_new(conn);
    if (socket == nullptr) {
      return MakeError(Code::kInternal, "cannot create a socket");
    }
    if (b.tls) {
      const TlsFiles& t = options.tls;
      if (!t.ca_file.empty() &&
          amqp_ssl_socket_set_cacert(socket, t.ca_file.c_str()) !=
              AMQP_STATUS_OK) {
        return MakeError(Code::kInvalidArgument, "cannot load the CA file");
      }
      if (!t.cert_file.empty() &&
          amqp_ssl_socket_set_key(socket, t.cert_file.c_str(),
                                  t.key_file.c_str()) != AMQP_STATUS_OK) {
        return MakeError(Code::kInvalidArgument,
                         "cannot load the client certificate or key");
      }
      amqp_ssl_socket_set_verify_peer(socket, t.verify ? 1 : 0);
      amqp_ssl_socket_set_verify_hostname(socket, t.verify ? 1 : 0);
    }
    timeval tv = ToTimeval(options.timeout_ms);
    amqp_set_rpc_timeout(conn, &tv);
    const int rc =
        amqp_socket_open_noblock(socket, b.host.c_str(), b.port, &tv);
    if (rc != AMQP_STATUS_OK) {
      last = MakeError(Code::kUnavailable,
                       link->broker_ + ": " + amqp_error_string2(rc));
      tried += " " + link->broker_;
      continue;
    }
    amqp_table_entry_t name_entry;
    name_entry.key = amqp_cstring_bytes("connection_name");
    name_entry.value.kind = AMQP_FIELD_KIND_UTF8;
    name_entry.value.value.bytes = Bytes(options.connection_name);
    amqp_table_t client_properties{1, &name_entry};
    amqp_rpc_reply_t reply = amqp_login_with_properties(
        conn, b.vhost.c_str(), 0, 131072, options.heartbeat_s,
        &client_properties, AMQP_SASL_METHOD_PLAIN, b.user.c_str(),
        b.password.c_str());
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
      last = ReplyError(reply, link->broker_ + " login");
      // A refused login over an open socket is the broker saying no.
      if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          reply.library_error == AMQP_STATUS_CONNECTION_CLOSED) {
        last.code = Code::kUnauthenticated;
        last.message = link->broker_ + " refused the login or vhost";
      }
      tried += " " + link->broker_;
      continue;
    }
    link->state_->logged_in = true;
    amqp_channel_open(conn, kChannel);
    reply = amqp_get_rpc_reply(conn);
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
      last = ReplyError(reply, link->broker_ + " channel.open");
      continue;
    }
    return link;
  }
  if (options.brokers.size() > 1) last.message += " (tried" + tried + ")";
  return last;
}

Outcome AmqpLink::Consume(const std::string& queue) {
  amqp_connection_state_t conn = state_->conn;
  amqp_basic_qos(conn, kChannel, 0, prefetch_, 0);
  amqp_rpc_reply_t reply = amqp_get_rpc_reply(conn);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
    Error e = ReplyError(reply, "basic.qos");
    return Fail(Code::kUnavailable, e.message);
  }
  amqp_basic_consume(conn, kChannel, Bytes(queue), amqp_empty_bytes, 0, 0, 0,
                     amqp_empty_table);
  reply = amqp_get_rpc_reply(conn);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
    Error e = ReplyError(reply, "basic.consume " + queue);
    broken_ = true;  // the channel is closed after a refusal
    return e;
  }
  return Ok{};
}

Result<std::optional<InboundMessage>> AmqpLink::Next(int timeout_ms) {
  if (broken_) return Fail(Code::kUnavailable, "link is broken");
  amqp_connection_state_t conn = state_->conn;
  amqp_maybe_release_buffers(conn);
  amqp_envelope_t envelope;
  timeval tv = ToTimeval(timeout_ms);
  const amqp_rpc_reply_t reply = amqp_consume_message(conn, &envelope, &tv, 0);
  if (reply.reply_type == AMQP_RESPONSE_NORMAL) {
    InboundMessage m;
    m.delivery_tag = envelope.delivery_tag;
    m.redelivered = envelope.redelivered != 0;
    const amqp_basic_properties_t& p = envelope.message.properties;
    if (p._flags & AMQP_BASIC_TYPE_FLAG) m.type = ToString(p.type);
    if (p._flags & AMQP_BASIC_MESSAGE_ID_FLAG) {
      m.message_id = ToString(p.message_id);
    }
    m.body = ToString(envelope.message.body);
    amqp_destroy_envelope(&envelope);
    return std::optional<InboundMessage>(std::move(m));
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_TIMEOUT) {
    return std::optional<InboundMessage>();
  }
  if (reply.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
      reply.library_error == AMQP_STATUS_UNEXPECTED_STATE) {
    // A method other than basic.deliver: a close means the link is gone;
    // anything else (e.g. basic.cancel-ok) is skipped.
    amqp_frame_t frame;
    if (amqp_simple_wait_frame_noblock(conn, &frame, &tv) != AMQP_STATUS_OK) {
      return Fail(Code::kUnavailable, broker_ + ": connection lost");
    }
    if (frame.frame_type == AMQP_FRAME_METHOD &&
        (frame.payload.method.id == AMQP_CHANNEL_CLOSE_METHOD ||
         frame.payload.method.id == AMQP_CONNECTION_CLOSE_METHOD ||
         frame.payload.method.id == AMQP_BASIC_CANCEL_METHOD)) {
      return Fail(Code::kUnavailable,
                  broker_ + ": the broker closed the consumer");
    }
    return std::optional<InboundMessage>();
  }
  return Fail(Code::kUnavailable,
              ReplyError(reply, broker_ + " consume").message);
}

Outcome AmqpLink::Ack(uint64_t delivery_tag) {
  if (amqp_basic_ack(state_->conn, kChannel, delivery_tag, 0) !=
      AMQP_STATUS_OK) {
    return Fail(Code::kUnavailable, broker_ + ": ack failed");
  }
  return Ok{};
}

Outcome AmqpLink::Reject(uint64_t delivery_tag, bool requeue) {
  if (amqp_basic_nack(state_->conn, kChannel, delivery_tag, 0,
                      requeue ? 1 : 0) != AMQP_STATUS_OK) {
    return Fail(Code::kUnavailable, broker_ + ": nack failed");
  }
  return Ok{};
}

Outcome AmqpLink::Publish(const OutboundMessage& message,
                          int confirm_timeout_ms) {
  if (broken_) return Fail(Code::kUnavailable, "link is broken");
  amqp_connection_state_t conn = state_->conn;
  if (!confirming_) {
    amqp_confirm_select(conn, kChannel);
    const amqp_rpc_reply_t reply = amqp_get_rpc_reply(conn);
    if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
      return Fail(Code::kUnavailable,
                  ReplyError(reply, "confirm.select").message);
    }
    confirming_ = true;
  }
  amqp_maybe_release_buffers(conn);
  amqp_basic_properties_t props{};
  props._flags = AMQP_BASIC_CONTENT_TYPE_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG |
                 AMQP_BASIC_TYPE_FLAG | AMQP_BASIC_MESSAGE_ID_FLAG;
  props.content_type = amqp_cstring_bytes("application/x-protobuf");
  props.delivery_mode = 2;  // persistent
  props.type = Bytes(message.type);
  props.message_id = Bytes(message.message_id);
  if (amqp_basic_publish(conn, kChannel, Bytes(message.exchange),
                         Bytes(message.routing_key), /*mandatory=*/1,
                         /*immediate=*/0, &props,
                         Bytes(message.body)) != AMQP_STATUS_OK) {
    return Fail(Code::kUnavailable, broker_ + ": publish failed");
  }
  const uint64_t seq = ++publish_seq_;
  bool returned = false;
  const auto deadline = std::chrono::steady_clock::now() +
                        std::chrono::milliseconds(confirm_timeout_ms);
  for (;;) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      broken_ = true;  // a late confirm would confuse the next publish
      return MakeError(Code::kDeadlineExceeded,
                       broker_ + ": no publisher confirm in time");
    }
    timeval tv = ToTimeval(static_cast<int>(left.count()));
    amqp_frame_t frame;
    const int rc = amqp_simple_wait_frame_noblock(conn, &frame, &tv);
    if (rc == AMQP_STATUS_TIMEOUT) continue;
    if (rc != AMQP_STATUS_OK) {
      return Fail(Code::kUnavailable, broker_ + ": connection lost");
    }
    if (frame.frame_type != AMQP_FRAME_METHOD) continue;  // returned body
    const amqp_method_number_t id = frame.payload.method.id;
    const void* decoded = frame.payload.method.decoded;
    if (id == AMQP_BASIC_ACK_METHOD) {
      const auto* ack = static_cast<const amqp_basic_ack_t*>(decoded);
      if (ack->delivery_tag == seq ||
          (ack->multiple && ack->delivery_tag > seq)) {
        if (returned) {
          return MakeError(Code::kNotFound, "message unroutable: exchange " +
                                                message.exchange +
                                                " has no matching queue");
        }
        return Ok{};
      }
    } else if (id == AMQP_BASIC_NACK_METHOD) {
      return MakeError(Code::kResourceExhausted, "broker nacked the publish");
    } else if (id == AMQP_BASIC_RETURN_METHOD) {
      returned = true;
    } else if (id == AMQP_CHANNEL_CLOSE_METHOD) {
      const auto* m = static_cast<const amqp_channel_close_t*>(decoded);
      broken_ = true;
      return MakeError(CodeForReply(m->reply_code),
                       "publish refused: " + std::to_string(m->reply_code) +
                           " " + ToString(m->reply_text));
    } else if (id == AMQP_CONNECTION_CLOSE_METHOD) {
      return Fail(Code::kUnavailable, broker_ + ": broker closed connection");
    }
  }
}

}  // namespace nfvsm::refsm
