// Gateway: the nfvsm-gateway daemon without main(): opens the store and
// the audit keys, the Engine, the SM channels, and runs the ingest, the
// gate RPC and the admin RPC until Stop (docs/gateway.md).
//
// Threads: the caller's (Run: supervision, periodic stats, reloads), the
// ingest consumer, the gate RPC consumer, the gate expiry timer, the admin
// RPC consumer, one consumer per open SM channel. Connections: ingest (1),
// gate RPC (2: consume + mutex-guarded replies), admin RPC (2), one per SM
// channel vhost, and with [actuator] driver = bus the actuator RPC client
// (1, opened by the first step).
//
// Drain (Stop): the ingest stops taking deliveries and finishes and acks
// the one in hand (prefetched ones return to the queue); the gate and
// admin RPCs stop taking requests; gates in flight are decided (SM answer
// or deadline) and replied; then the SM channels stop after acking what
// they hold. Run then returns OK.
//
// Thread safety: Open and Run from one thread; Stop and Reload from any
// (they only set flags and notify; safe to call from a signal-handling
// thread, not from a signal handler).
//
// Ownership: Gateway owns everything it opens.
//
// Failures: Open returns configuration, key and store errors (a missing
// audit HMAC key file is generated, mode 0600, and logged); Run returns
// the error of an RPC service that could not start within start_wait.
#ifndef NFVSM_GATEWAY_GATEWAY_H_
#define NFVSM_GATEWAY_GATEWAY_H_

#include <spdlog/spdlog.h>

#include <condition_variable>
#include <memory>
#include <mutex>

#include "config.h"
#include "nfvsm/status.h"

namespace nfvsm {
class Actuator;
class Engine;
}  // namespace nfvsm

namespace nfvsm::gateway {

class AdminService;
class GateService;
class Ingest;
class LoggingActuator;
class SmChannels;

struct GatewayRunOptions {
  // How long the RPC services wait for the broker at start.
  Duration start_wait = std::chrono::seconds(60);
  // Stats log line period.
  Duration stats_period = std::chrono::seconds(60);
  // Upper bound of the drain of gates in flight.
  Duration max_drain = std::chrono::seconds(60);
};

class Gateway {
 public:
  static StatusOr<std::unique_ptr<Gateway>> Open(
      const GatewayConfig& config, std::shared_ptr<spdlog::logger> logger,
      GatewayRunOptions run_options = {});
  ~Gateway();
  Gateway(const Gateway&) = delete;
  Gateway& operator=(const Gateway&) = delete;

  // Starts every service and blocks until Stop, then drains.
  Status Run();
  void Stop();
  // Opens channels of SMs that have bindings but no open channel (e.g.
  // provisioned while the broker was unreachable).
  void Reload();

 private:
  Gateway(GatewayConfig config, std::shared_ptr<spdlog::logger> logger,
          GatewayRunOptions run_options);
  Status OpenActuator();
  Status StartServices();
  void DoReload();
  void LogStats();
  void Drain();

  GatewayConfig config_;
  std::shared_ptr<spdlog::logger> log_;
  GatewayRunOptions run_options_;
  // LoggingActuator or BusActuator ([actuator] driver).
  std::unique_ptr<Actuator> actuator_;
  LoggingActuator* logging_actuator_ = nullptr;  // actuator_ when logging
  std::unique_ptr<SmChannels> channels_;
  std::unique_ptr<Engine> engine_;
  std::unique_ptr<GateService> gates_;
  std::unique_ptr<AdminService> admin_;
  std::unique_ptr<Ingest> ingest_;

  std::mutex mu_;
  std::condition_variable cv_;
  bool stop_requested_ = false;
  bool reload_requested_ = false;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_GATEWAY_H_
