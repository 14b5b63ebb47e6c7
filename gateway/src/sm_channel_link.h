// SmChannel: the gateway's end of one SM's channel (internal to
// nfvsm_gateway; SmChannels is the public face). A publisher connection
// (mutex-guarded; publish and confirm on the caller's thread) and a
// consumer connection driven by a thread of its own, both on the SM's
// vhost with the gateway's user. Both re-declare the channel's topology
// after every (re)connection.
//
// Thread safety: Publish may be called from any thread; Stop from any
// thread but the consumer's own.
//
// Inbound messages (SM -> MANO) are opened with the SM's registered key
// and a replay window, handed to the engine, and acked only once the
// engine has made their effect durable. Refused messages are acked
// (removed), audited in the SM's partitions, and answered with a
// SecurityEvent (kMessageRejected) naming the reason, never the bytes.
#ifndef NFVSM_GATEWAY_SM_CHANNEL_LINK_H_
#define NFVSM_GATEWAY_SM_CHANNEL_LINK_H_

#include <atomic>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/crypto.h"
#include "nfvsm/engine.h"
#include "nfvsm/status.h"
#include "nfvsm/wire.h"
#include "sm_channel_files.h"

namespace spdlog {
class logger;
}

namespace nfvsm::gateway {

struct ChannelCounters {
  std::atomic<uint64_t> published{0};
  std::atomic<uint64_t> publish_failures{0};
  std::atomic<uint64_t> gate_answers{0};
  std::atomic<uint64_t> instructions{0};
  std::atomic<uint64_t> refused{0};
};

struct SmChannelConfig {
  SmId sm;
  std::string gateway_id;
  amqp::ConnectionOptions connection;  // the SM's vhost, the gateway's user
  size_t max_sm_message_bytes = wire::kDefaultMaxMessageBytes;
  Duration max_clock_skew = std::chrono::seconds(60);
  uint16_t prefetch_count = 16;
};

// Declares the channel's exchanges, queues and bindings (durable).
Status DeclareChannelTopology(amqp::Connection& connection);

class SmChannel {
 public:
  // Connects the publisher (declaring the topology) and starts the
  // consumer thread. The engine, counters and logger must outlive it.
  static StatusOr<std::unique_ptr<SmChannel>> Open(
      SmChannelConfig config, crypto::SigningKey key,
      std::unique_ptr<SequenceCounter> sequence, Engine& engine,
      ChannelCounters& counters, std::shared_ptr<spdlog::logger> log);
  ~SmChannel();
  SmChannel(const SmChannel&) = delete;
  SmChannel& operator=(const SmChannel&) = delete;

  // Signs `payload` as `message_type` and publishes it to the SM with a
  // confirm; reconnects once if the connection was lost.
  Status Publish(std::string_view message_type, const std::string& payload,
                 const std::string& correlation_id,
                 std::optional<TimePoint> deadline);

  // Ends the consumer after its in-flight message; idempotent.
  void Stop();

  const SmId& sm() const { return config_.sm; }

 private:
  SmChannel(SmChannelConfig config, crypto::SigningKey key,
            std::unique_ptr<SequenceCounter> sequence, Engine& engine,
            ChannelCounters& counters, std::shared_ptr<spdlog::logger> log);
  amqp::ConnectionOptions ConnectionOptionsFor(const char* role) const;
  Status PublishLocked(const amqp::OutgoingMessage& message);

  // ---- consumer thread (sm_channel_inbound.cc)
  void ConsumeLoop();
  void SleepUnlessStopped(Duration d);
  void Handle(amqp::Connection& connection, const amqp::Delivery& delivery);
  // Opens, dispatches and reports; returns the refusal, if any.
  Status Dispatch(const amqp::Delivery& delivery);
  Status HandleGateAnswer(const wire::Envelope& envelope);
  Status HandleInstruction(const wire::Envelope& envelope);
  void Refuse(const amqp::Delivery& delivery, const Status& reason);
  StatusOr<crypto::VerifyingKey> SmKey();
  void Alert(wire::SecurityAlertKind kind, const std::string& description,
             const std::string& related_id);

  SmChannelConfig config_;
  crypto::SigningKey key_;
  std::unique_ptr<SequenceCounter> sequence_;
  Engine& engine_;
  ChannelCounters& counters_;
  std::shared_ptr<spdlog::logger> log_;

  std::mutex publish_mu_;
  std::unique_ptr<amqp::Connection> publisher_;

  wire::ReplayWindow replay_window_;
  std::optional<crypto::VerifyingKey> sm_key_;  // consumer thread only
  std::string sm_key_pem_;                      // what sm_key_ came from
  std::atomic<uint64_t> alert_counter_{0};

  std::mutex stop_mu_;
  std::condition_variable stop_cv_;
  bool stop_ = false;
  std::thread consumer_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_SM_CHANNEL_LINK_H_
