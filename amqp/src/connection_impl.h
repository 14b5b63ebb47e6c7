// Connection::Impl: the rabbitmq-c connection state behind Connection, and
// everything that survives a reconnection (consumers, options).
#ifndef NFVSM_AMQP_SRC_CONNECTION_IMPL_H_
#define NFVSM_AMQP_SRC_CONNECTION_IMPL_H_

#include <amqp.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

inline constexpr amqp_channel_t kConsumeChannel = 1;
inline constexpr amqp_channel_t kPublishChannel = 2;
inline constexpr amqp_channel_t kTopologyChannel = 3;
inline constexpr char kPublishSeqHeader[] = "x-nfvsm-publish-seq";

namespace internal {

// Longest single wait inside a loop, so that Interrupt() is seen promptly.
inline constexpr Duration kWaitSlice = std::chrono::milliseconds(100);

// Time left until `deadline`, never negative.
inline Duration Remaining(std::chrono::steady_clock::time_point deadline) {
  const auto left = deadline - std::chrono::steady_clock::now();
  return std::max(Duration::zero(), std::chrono::duration_cast<Duration>(left));
}

}  // namespace internal

class Connection::Impl {
 public:
  explicit Impl(ConnectionOptions options);
  ~Impl();
  Impl(const Impl&) = delete;
  Impl& operator=(const Impl&) = delete;

  // Checks and completes the options (URL overrides); kInvalidArgument.
  Status Prepare();

  // ---- Life cycle (connection.cc).
  // One round over the brokers, in order. `self` is handed to on_connected.
  Status ConnectOnce(Connection& self);
  Status Reconnect(Connection& self, Duration max_wait);
  // Forgets the connection without talking to the broker.
  void Drop(const Status& why);
  // Sends connection.close and waits for close-ok (bounded by rpc_timeout).
  void CloseGracefully();
  bool connected() const { return state_ != nullptr; }
  Status RequireConnected() const;
  void SleepInterruptibly(Duration d);

  // ---- Channels and replies (connection_io.cc).
  Status EnsureChannel(amqp_channel_t channel);
  // Status of the last synchronous call on `channel`; handles channel and
  // connection closes (replies close-ok, marks state).
  Status CheckReply(amqp_channel_t channel, std::string_view what);
  Status CheckReply(const amqp_rpc_reply_t& reply, amqp_channel_t channel,
                    std::string_view what);
  // Reads one frame (up to `timeout`) and dispatches it: deliveries are
  // buffered, confirms resolved, closes handled. Sets *idle on timeout.
  Status PumpOnce(Duration timeout, bool* idle);
  Status RestartConsumers();

  // ---- Operations (connection_io.cc, connection_ops.cc).
  Status DeclareExchange(const ExchangeSpec& spec);
  StatusOr<QueueInfo> DeclareQueue(const QueueSpec& spec);
  Status Bind(bool bind, std::string_view queue, std::string_view exchange,
              std::string_view routing_key);
  StatusOr<uint32_t> PurgeQueue(std::string_view queue);
  Status DeleteQueue(std::string_view queue);
  Status DeleteExchange(std::string_view exchange);
  std::vector<Status> PublishBatch(std::span<const OutgoingMessage> messages);
  StatusOr<std::string> Consume(std::string_view queue,
                                const ConsumeOptions& options);
  Status Cancel(std::string_view consumer_tag);
  StatusOr<std::optional<Delivery>> NextDelivery(Duration timeout);
  StatusOr<std::optional<Delivery>> Get(std::string_view queue);
  Status Settle(const Delivery& d, bool ack, bool multiple, bool requeue);

  ConnectionOptions options_;
  std::string broker_;
  uint64_t generation_ = 0;
  uint64_t connects_ = 0;
  std::atomic<bool> interrupted_{false};

 private:
  struct StateDeleter {
    void operator()(amqp_connection_state_t_* s) const;
  };
  using StatePtr = std::unique_ptr<amqp_connection_state_t_, StateDeleter>;

  struct Consumer {
    std::string queue;
    ConsumeOptions options;
    std::string tag;
  };

  StatusOr<StatePtr> Dial(const BrokerAddress& broker);
  Status SetUpSession(Connection& self);
  Status OpenChannel(amqp_channel_t channel);
  void OnChannelClosed(amqp_channel_t channel, const Status& why);
  Status ReadContent(amqp_channel_t channel, MessageProperties& properties,
                     std::string& body, uint64_t& body_size, bool& oversized);
  void ResolveConfirms(uint64_t tag, bool multiple, const Status& status);
  void FailPendingConfirms(const Status& why);
  Status HandleReturn(const amqp_basic_return_t& method);

  StatePtr state_;
  std::array<bool, 4> channel_open_{};
  bool consumers_need_restart_ = false;
  uint64_t next_publish_seq_ = 1;
  // Publish sequence number -> where its outcome goes.
  std::map<uint64_t, Status*> pending_confirms_;
  std::map<uint64_t, Status> returned_;
  std::deque<Delivery> buffered_;
  std::vector<Consumer> consumers_;
  std::mt19937_64 rng_;
  std::mutex sleep_mu_;
  std::condition_variable sleep_cv_;

  friend class Connection;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_SRC_CONNECTION_IMPL_H_
