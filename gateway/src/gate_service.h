// GateService: serves the gate RPC of the orchestrator hooks (queue
// `nfvsm.gate`, hook.proto; docs/rpc.md): decodes a HookGateRequest,
// starts the gate in the Engine and replies a HookGateReply when the gate
// is decided, from whatever thread decides it (an SM answer, the expiry
// thread, or at once). An expiry thread calls Engine::ExpireGates at
// Engine::NextGateDeadline (condition variable, no polling), so a
// Fully-Active SM that never answers is denied at its binding's deadline
// (R1.3.30).
//
// Requests are audited in the MANO partition: "gate.requested" (who asked:
// requester, check, VNF) and "gate.request_refused" for malformed ones,
// which get a DENY reply with `error` set. Requests whose deadline has
// passed are dropped without reply (the hook has given up and denied).
//
// Thread safety: Start/StopTaking/Drain/Stop from one controlling thread;
// stats() from any.
//
// Ownership: borrows the Engine, which must outlive the service.
//
// Failures: Start returns the broker's error when the queue cannot be
// consumed (the daemon retries).
#ifndef NFVSM_GATEWAY_GATE_SERVICE_H_
#define NFVSM_GATEWAY_GATE_SERVICE_H_

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/engine.h"
#include "nfvsm/status.h"

namespace nfvsm::gateway {

inline constexpr char kGateQueue[] = "nfvsm.gate";
inline constexpr char kHookGateReplyType[] = "nfvsm.v1.HookGateReply";

struct GateServiceOptions {
  amqp::ConnectionOptions connection;
  std::string queue = kGateQueue;
  // Hook deadline when the request gives none.
  Duration default_deadline = std::chrono::seconds(30);
  Duration start_wait = std::chrono::seconds(30);
};

struct GateServiceStats {
  uint64_t requests = 0;  // decoded and started
  uint64_t replied = 0;
  uint64_t refused = 0;  // malformed: error reply
  uint64_t expired = 0;  // past their deadline on arrival: no reply
  uint64_t in_flight = 0;
};

class GateService {
 public:
  static StatusOr<std::unique_ptr<GateService>> Start(
      GateServiceOptions options, Engine& engine,
      std::shared_ptr<spdlog::logger> logger);
  ~GateService();
  GateService(const GateService&) = delete;
  GateService& operator=(const GateService&) = delete;

  // Stops taking requests (prefetched ones go back to the queue for
  // another gateway); gates in flight go on.
  void StopTaking();
  // Waits until every gate in flight is decided and replied, at most
  // `max_wait`. Returns whether none is left. Gates end at the latest at
  // their binding's deadline, enforced by the expiry thread.
  bool Drain(Duration max_wait);
  // StopTaking + Drain(default_deadline) + ends the expiry thread.
  void Stop();

  GateServiceStats stats() const;
  // Wakes the expiry thread: a gate was started or answered.
  void DeadlinesChanged();

 private:
  GateService(GateServiceOptions options, Engine& engine,
              std::shared_ptr<spdlog::logger> logger);
  void Handle(const amqp::Delivery& request, amqp::Responder responder);
  void Refuse(const amqp::Delivery& request, const amqp::Responder& responder,
              const std::string& requester, const std::string& reason);
  void ExpiryLoop();
  Status Audit(std::string_view kind, const std::string& actor,
               const std::string& subject, const std::string& body_json);
  void GateEnded();

  GateServiceOptions options_;
  Engine& engine_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<amqp::RpcServer> server_;

  std::atomic<uint64_t> requests_{0}, replied_{0}, refused_{0}, expired_{0};
  std::atomic<uint64_t> in_flight_{0};
  mutable std::mutex mu_;
  std::condition_variable deadlines_cv_;  // expiry thread
  std::condition_variable idle_cv_;       // Drain
  uint64_t deadline_epoch_ = 0;           // bumped by DeadlinesChanged
  bool stopping_ = false;
  std::thread expiry_thread_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_GATE_SERVICE_H_
