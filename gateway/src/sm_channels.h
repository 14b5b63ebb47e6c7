// SmChannels: the gateway's end of the isolated, signed channel of every
// Security Manager (issue #3 section 3; R2.1.60, R2.1.70, R2.1.120,
// R1.1.160). One RabbitMQ vhost and user per SM, provisioned with
// rabbitmqctl; every message a signed nfvsm.v1.Envelope. It is the
// engine's SmTransport (gate requests) and delivers lifecycle events; it
// consumes what SMs send (gate answers, instructions) and hands it to the
// engine. docs/sm-channels-gateway.md describes the whole.
//
// Thread safety: every public method may be called from any thread once
// Create has returned. Publishing to one SM is serialized by that
// channel's mutex (publish and confirm run on the caller's thread);
// channels of different SMs are independent. Each open channel has one
// consumer thread of its own.
//
// Lifecycle: Create -> Engine::Open(..., *channels, ...) -> Attach(engine)
// -> Start -> ... -> Stop (the destructor stops too). The engine must
// outlive Stop.
//
// Ownership: owns its connections, threads and keys; borrows the engine.
//
// Failures (Status): kInvalidArgument for an SM id outside the contract's
// pattern or an SM without a usable public key; kNotFound for an SM without
// a provisioned channel; kFailedPrecondition before Attach / after Stop;
// kUnavailable when rabbitmqctl, the broker or the state directory fails
// (a publish that is not confirmed is an error, never silently dropped);
// other codes as amqp::Connection reports them. Messages never contain
// passwords, keys or message bytes.
#ifndef NFVSM_GATEWAY_SM_CHANNELS_H_
#define NFVSM_GATEWAY_SM_CHANNELS_H_

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/clock.h"
#include "nfvsm/engine.h"
#include "nfvsm/gate.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace spdlog {
class logger;
}

namespace nfvsm::gateway {

struct SmChannelsOptions {
  // The gateway's own user, host(s), TLS; the vhost is replaced per SM.
  amqp::ConnectionOptions broker;
  std::string gateway_id = "mano";
  std::string state_dir;  // keys/ and sm/ live here
  // host:port written into channel files ("" = first broker of the URL).
  std::string sm_broker_url_host;
  // argv prefix, e.g. {"rabbitmqctl", "-n", "rabbit-x@localhost"}.
  std::vector<std::string> rabbitmqctl;
  size_t max_sm_message_bytes = 256 * 1024;
  Duration max_clock_skew = std::chrono::seconds(60);
  // Consumer prefetch per SM channel (bounded).
  uint16_t prefetch_count = 16;
  // Re-provisioning an SM that has a channel file keeps its broker
  // password; true generates a new one (the SM needs the new file).
  bool rotate_password_on_provision = false;
  std::shared_ptr<spdlog::logger> logger;  // nullptr: spdlog's default
};

// Counters, for logs, metrics and tests.
struct SmChannelsStats {
  uint64_t published = 0;  // confirmed MANO -> SM messages
  uint64_t publish_failures = 0;
  uint64_t gate_answers = 0;  // accepted and handed to the engine
  uint64_t instructions = 0;  // accepted and handed to the engine
  uint64_t refused = 0;       // SM messages refused (audited)
};

class SmChannel;         // one SM's channel; sm_channel_link.h
struct ChannelCounters;  // sm_channel_link.h

class SmChannels : public SmTransport {
 public:
  static StatusOr<std::unique_ptr<SmChannels>> Create(
      SmChannelsOptions options);
  ~SmChannels() override;
  SmChannels(const SmChannels&) = delete;
  SmChannels& operator=(const SmChannels&) = delete;

  // Before Start; answers and instructions go to it.
  void Attach(Engine* engine);
  // Opens the channel of every registered SM that has a binding and a
  // channel file. Every channel is tried; the first error is returned.
  Status Start();
  // Vhost, user, permissions, topology, key, channel file; idempotent.
  // Opens the channel if Start has run.
  Status Provision(const SecurityManager& sm);
  // Stops its consumer, deletes its vhost and user, its channel file and
  // keys (a later Provision starts afresh).
  Status Remove(const SmId& sm);
  // Signed, published with confirm; error if not confirmed.
  Status DeliverEvent(const SmId& sm, const LifecycleEvent& event);
  // Sends a security alert (events.proto SecurityEvent) to `sm`.
  Status DeliverAlert(const SmId& sm, const wire::SecurityAlert& alert);

  // SmTransport.
  void Notify(const SmId& sm, const GateRequest& req) override;
  Status Ask(const SmId& sm, const GateRequest& req,
             TimePoint deadline) override;

  // Stops the consumers after their in-flight message is handled and
  // acked; unacked prefetched messages return to their queues.
  void Stop();

  SmChannelsStats stats() const;
  bool HasOpenChannel(const SmId& sm) const;
  // The channel file path of an SM (whether or not it exists).
  std::string ChannelFileOf(const SmId& sm) const;

 private:
  explicit SmChannels(SmChannelsOptions options);
  // Called with admin_mu_ held; takes mu_ only to publish the channel.
  Status OpenChannel(const SmId& sm);
  StatusOr<SmChannel*> ChannelFor(const SmId& sm);
  Status SendGateRequest(const SmId& sm, const GateRequest& req,
                         std::optional<TimePoint> deadline,
                         bool answer_expected);
  amqp::ConnectionOptions OptionsForVhost(const SmId& sm) const;

  SmChannelsOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<ChannelCounters> counters_;
  std::atomic<Engine*> engine_{nullptr};
  // Serializes Start/Provision/Remove (slow: rabbitmqctl, connects)
  // without holding up publishing, which only needs mu_.
  std::mutex admin_mu_;
  mutable std::mutex mu_;  // guards channels_, started_, stopped_
  bool started_ = false;
  bool stopped_ = false;
  std::map<SmId, std::unique_ptr<SmChannel>> channels_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_SM_CHANNELS_H_
