// The request/reply pattern nfvsm's hook and admin RPCs use on the MANO
// vhost (docs/rpc.md): RpcServer is the server half (the gateway), RpcClient
// the client half (GateClient, AdminClient).
//
// Wire: the client publishes to the default exchange with routing key =
// the server's queue, a `reply_to`, a unique `correlation_id`, AMQP
// `expiration` = milliseconds left until its deadline and the header
// `x-nfvsm-deadline-us` (the deadline, microseconds since the epoch). The
// server replies to the default exchange with routing key = reply_to, the
// same correlation_id, persistent = false. Any reply_to works, direct
// reply-to (`amq.rabbitmq.reply-to`) included, so hooks in other languages
// may use it; RpcClient uses a private exclusive reply queue because
// Connection consumes and publishes on different channels, which direct
// reply-to does not allow.
//
// Thread safety:
//   RpcServer: Start/Stop from one controlling thread. The handler runs on
//   the server's consume thread, one request at a time; a Responder may be
//   called from ANY thread, at any time (also after Stop): replies go
//   through a separate, mutex-guarded publishing Connection.
//   RpcClient: every method is safe to call from many threads; calls are
//   serialized internally (one request in flight per client).
//
// Ownership: RpcServer owns its two connections and its thread; Stop (or
// the destructor) joins the thread. A Responder shares ownership of the
// publishing connection, so it stays valid after the server is gone.
//
// Delivery semantics: a request is acknowledged as soon as the handler
// returns, before its reply is sent. A request whose handler has taken it
// is not redelivered if the server dies before replying: the caller times
// out, which for the gate fails closed (R1.3.30). That is deliberate: a
// gate decision is cheap to ask again and must not run twice.
//
// Failures are values: Start returns kUnavailable / kUnauthenticated ... as
// Connection::Open does; Responder::Reply returns kFailedPrecondition when
// called twice and the publish error otherwise; RpcClient::Call returns
// kUnavailable (broker or server queue unreachable, connection lost),
// kDeadlineExceeded (no reply by the deadline), kInvalidArgument.
#ifndef NFVSM_AMQP_RPC_SERVER_H_
#define NFVSM_AMQP_RPC_SERVER_H_

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <thread>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

// Header carrying the caller's absolute deadline (int64, microseconds since
// the epoch). The broker drops queued requests past `expiration`; the
// server drops prefetched ones past this deadline.
inline constexpr char kRpcDeadlineHeader[] = "x-nfvsm-deadline-us";
inline constexpr char kProtobufContentType[] = "application/x-protobuf";

namespace internal {
class ReplyPublisher;
struct ResponderState;
}  // namespace internal

// Replies to one request. Copyable; every copy refers to the same request,
// which is answered at most once.
class Responder {
 public:
  // Publishes `body` to the request's reply_to with its correlation_id.
  // kFailedPrecondition if this request was answered already.
  Status Reply(std::string body, std::string_view message_type = {}) const;
  const std::string& correlation_id() const;

 private:
  friend class RpcServer;
  explicit Responder(std::shared_ptr<internal::ResponderState> state);
  std::shared_ptr<internal::ResponderState> state_;
};

struct RpcServerOptions {
  // prefetch_count bounds the requests in flight to the handler.
  ConnectionOptions connection;
  // Declared (again) after every connect; the contract's gate queue is
  // durable=false, auto_delete=false, exclusive=false.
  QueueSpec queue = [] {
    QueueSpec q;
    q.name = "nfvsm.gate";
    q.durable = false;
    return q;
  }();
  // How long Start waits for the broker (0: one attempt).
  Duration start_wait = Duration::zero();
  // Each Reconnect attempt of the consume loop; retried until Stop.
  Duration reconnect_wait = std::chrono::seconds(30);
  std::string reply_content_type = kProtobufContentType;
  const Clock* clock = nullptr;  // nullptr: SystemClock()
};

class RpcServer {
 public:
  using Handler = std::function<void(const Delivery&, Responder)>;

  // kInvalidArgument: no queue name or no handler.
  static StatusOr<std::unique_ptr<RpcServer>> Create(RpcServerOptions options,
                                                     Handler handler);
  ~RpcServer();  // Stop()
  RpcServer(const RpcServer&) = delete;
  RpcServer& operator=(const RpcServer&) = delete;

  // Connects, declares the queue, starts consuming and the thread. When it
  // returns OK, requests are being taken.
  Status Start();
  // Stops taking requests and joins the thread. Idempotent. Requests in
  // the prefetch buffer are requeued by the broker.
  void Stop();

  uint64_t requests_handled() const { return handled_.load(); }
  // Dropped without calling the handler: past their deadline, no reply_to,
  // oversized.
  uint64_t requests_dropped() const { return dropped_.load(); }

 private:
  RpcServer(RpcServerOptions options, Handler handler);
  void Loop();
  void Dispatch(const Delivery& delivery);

  RpcServerOptions options_;
  Handler handler_;
  const Clock& clock_;
  std::unique_ptr<Connection> consume_;
  std::shared_ptr<internal::ReplyPublisher> publisher_;
  std::thread thread_;
  std::atomic<bool> stop_{false};
  std::atomic<uint64_t> handled_{0};
  std::atomic<uint64_t> dropped_{0};
};

struct RpcClientOptions {
  ConnectionOptions connection;
  std::string queue;             // the server's queue
  std::string request_type;      // AMQP `type` of requests, e.g. the proto name
  const Clock* clock = nullptr;  // nullptr: SystemClock()
};

// The client half: one private reply queue, one request in flight.
class RpcClient {
 public:
  // Does not connect (the first Call does). kInvalidArgument: no queue.
  static StatusOr<std::unique_ptr<RpcClient>> Create(RpcClientOptions options);
  ~RpcClient();
  RpcClient(const RpcClient&) = delete;
  RpcClient& operator=(const RpcClient&) = delete;

  // Sends `body` and waits until `deadline` for the reply with the same
  // correlation id (replies to earlier, abandoned calls are discarded).
  // Returns the reply's body. kUnavailable: no broker, no server queue
  // (nothing consumes it: the request is unroutable), connection lost;
  // kDeadlineExceeded: no reply in time.
  StatusOr<std::string> Call(std::string body, TimePoint deadline);

  const Clock& clock() const { return clock_; }

 private:
  explicit RpcClient(RpcClientOptions options);
  Status EnsureConnected(TimePoint deadline);

  RpcClientOptions options_;
  const Clock& clock_;
  std::string reply_queue_;
  std::mutex mu_;
  std::unique_ptr<Connection> conn_;
};

// 16 random bytes, lower-case hex (correlation and queue ids).
std::string RandomHexId();

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_RPC_SERVER_H_
