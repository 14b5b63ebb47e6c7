#include "pingpong.h"

#include <amqp.h>
#include <amqp_tcp_socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <atomic>
#include <memory>
#include <random>
#include <string>
#include <thread>

namespace nfvsm::bus_load {
namespace {

struct StateDeleter {
  void operator()(amqp_connection_state_t s) const {
    amqp_channel_close(s, 1, AMQP_REPLY_SUCCESS);
    amqp_connection_close(s, AMQP_REPLY_SUCCESS);
    amqp_destroy_connection(s);
  }
};
using RawConnection = std::unique_ptr<amqp_connection_state_t_, StateDeleter>;

amqp_bytes_t Bytes(const std::string& s) {
  return amqp_bytes_t{s.size(), const_cast<char*>(s.data())};
}
std::string String(amqp_bytes_t b) {
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

Status RpcStatus(amqp_connection_state_t s, const char* what) {
  const amqp_rpc_reply_t r = amqp_get_rpc_reply(s);
  if (r.reply_type == AMQP_RESPONSE_NORMAL) return OkStatus();
  return UnavailableError(std::string("ping-pong: ") + what + " failed");
}

StatusOr<RawConnection> Connect(const amqp::TransportUrl& url) {
  const amqp::BrokerAddress& broker = url.brokers.front();
  amqp_connection_state_t raw = amqp_new_connection();
  if (raw == nullptr) return InternalError("ping-pong: out of memory");
  amqp_socket_t* socket = amqp_tcp_socket_new(raw);
  if (socket == nullptr || amqp_socket_open(socket, broker.host.c_str(),
                                            broker.port) != AMQP_STATUS_OK) {
    amqp_destroy_connection(raw);
    return UnavailableError("ping-pong: cannot connect to " +
                            broker.HostPort());
  }
  const amqp_rpc_reply_t login = amqp_login(
      raw, url.virtual_host.c_str(), 0, 131072, 0, AMQP_SASL_METHOD_PLAIN,
      broker.username.c_str(), broker.password.c_str());
  if (login.reply_type != AMQP_RESPONSE_NORMAL) {
    amqp_destroy_connection(raw);
    return UnauthenticatedError("ping-pong: login refused by " +
                                broker.HostPort());
  }
  RawConnection c(raw);
  amqp_channel_open(raw, 1);
  NFVSM_RETURN_IF_ERROR(RpcStatus(raw, "channel.open"));
  return c;
}

std::string RandomHex(size_t n) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::random_device rd;
  std::string s(n, '0');
  for (auto& c : s) c = kHex[rd() % 16];
  return s;
}

// Replies to every request on `queue` until `stop`.
void Serve(amqp_connection_state_t s, const std::atomic<bool>& stop) {
  while (!stop.load()) {
    amqp_maybe_release_buffers(s);
    amqp_envelope_t envelope;
    struct timeval timeout {
      0, 100000
    };
    const amqp_rpc_reply_t r = amqp_consume_message(s, &envelope, &timeout, 0);
    if (r.reply_type != AMQP_RESPONSE_NORMAL) {
      if (r.reply_type == AMQP_RESPONSE_LIBRARY_EXCEPTION &&
          r.library_error == AMQP_STATUS_TIMEOUT) {
        continue;
      }
      return;  // the client counts the missing replies
    }
    amqp_basic_properties_t props{};
    props._flags =
        AMQP_BASIC_CORRELATION_ID_FLAG | AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.correlation_id = envelope.message.properties.correlation_id;
    props.delivery_mode = 1;
    amqp_basic_publish(s, 1, amqp_empty_bytes,
                       envelope.message.properties.reply_to, 0, 0, &props,
                       envelope.message.body);
    amqp_basic_ack(s, 1, envelope.delivery_tag, 0);
    amqp_destroy_envelope(&envelope);
  }
}

}  // namespace

StatusOr<Row> RunPingPong(const PingPongOptions& options) {
  const std::string queue = "nfvsm.bench.ping." + RandomHex(12);
  NFVSM_ASSIGN_OR_RETURN(RawConnection server, Connect(options.url));
  NFVSM_ASSIGN_OR_RETURN(RawConnection client, Connect(options.url));

  amqp_queue_declare(server.get(), 1, Bytes(queue), 0, 0, 0, 1,
                     amqp_empty_table);
  NFVSM_RETURN_IF_ERROR(RpcStatus(server.get(), "queue.declare"));
  amqp_basic_qos(server.get(), 1, 0, 64, 0);
  NFVSM_RETURN_IF_ERROR(RpcStatus(server.get(), "basic.qos"));
  amqp_basic_consume(server.get(), 1, Bytes(queue), amqp_empty_bytes, 0, 0, 0,
                     amqp_empty_table);
  NFVSM_RETURN_IF_ERROR(RpcStatus(server.get(), "basic.consume"));

  // The client's reply queue: exclusive, broker-named, consumed no-ack.
  amqp_queue_declare_ok_t* declared = amqp_queue_declare(
      client.get(), 1, amqp_empty_bytes, 0, 0, 1, 1, amqp_empty_table);
  NFVSM_RETURN_IF_ERROR(RpcStatus(client.get(), "reply queue.declare"));
  const std::string reply_queue = String(declared->queue);
  amqp_basic_consume(client.get(), 1, Bytes(reply_queue), amqp_empty_bytes, 0,
                     1, 1, amqp_empty_table);
  NFVSM_RETURN_IF_ERROR(RpcStatus(client.get(), "reply basic.consume"));

  std::atomic<bool> stop{false};
  std::thread server_thread(Serve, server.get(), std::cref(stop));

  const std::string body(options.body_bytes, 'x');
  LatencyRecorder samples;
  uint64_t errors = 0;
  const uint64_t total = options.warmup + options.requests;
  Clock::time_point measured_start = Clock::now();
  for (uint64_t i = 0; i < total; ++i) {
    if (i == options.warmup) measured_start = Clock::now();
    const std::string correlation = std::to_string(i);
    amqp_basic_properties_t props{};
    props._flags = AMQP_BASIC_REPLY_TO_FLAG | AMQP_BASIC_CORRELATION_ID_FLAG |
                   AMQP_BASIC_DELIVERY_MODE_FLAG;
    props.reply_to = Bytes(reply_queue);
    props.correlation_id = Bytes(correlation);
    props.delivery_mode = 1;
    const auto start = Clock::now();
    if (amqp_basic_publish(client.get(), 1, amqp_empty_bytes, Bytes(queue), 0,
                           0, &props, Bytes(body)) != AMQP_STATUS_OK) {
      ++errors;
      break;
    }
    bool answered = false;
    while (!answered) {
      amqp_maybe_release_buffers(client.get());
      amqp_envelope_t envelope;
      struct timeval timeout {
        5, 0
      };
      const amqp_rpc_reply_t r =
          amqp_consume_message(client.get(), &envelope, &timeout, 0);
      if (r.reply_type != AMQP_RESPONSE_NORMAL) break;
      answered =
          String(envelope.message.properties.correlation_id) == correlation;
      amqp_destroy_envelope(&envelope);
    }
    if (!answered) {
      ++errors;
      break;  // the connection is unusable or the server is gone
    }
    if (i >= options.warmup) samples.Add(Clock::now() - start);
  }
  const auto wall = Clock::now() - measured_start;
  stop.store(true);
  server_thread.join();
  amqp_queue_delete(client.get(), 1, Bytes(queue), 0, 0);
  return LatencyRow("pingpong", samples, errors, wall);
}

}  // namespace nfvsm::bus_load
