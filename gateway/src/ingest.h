// Ingest: OpenStack notifications from the MANO bus -> Engine lifecycle
// events -> every SM that must receive them (R2.1.80, R2.1.200).
//
// Topology (declared again after every reconnection): OpenStack's
// exchanges passively (created with oslo's own flags only when absent),
// nfvsm's own durable queue bound with versioned_notifications.* and
// notifications.*, and a durable dead-letter queue.
//
// Per delivery: DecodeNotification -> EventTranslator -> Engine::RecordEvent
// -> the deliverer for each SM of the receipt -> ack. Engine::RecordEvent
// returns the deliveries for a redelivered (duplicate) event as well, so a
// message redelivered after a crash between recording and delivering still
// reaches every SM (at-least-once; SMs dedupe on the event id).
// Notifications that are not relevant are counted and acked. Undecodable,
// malformed or oversized ones are published to the dead-letter queue with
// header x-nfvsm-reason (publisher confirm), audited in the MANO partition
// (kind "ingest.rejected", never the body), then acked.
//
// Thread safety: one consumer thread owns the connection. stats() and
// Stop() may be called from any thread.
//
// Ownership: the Engine is borrowed and must outlive the Ingest.
//
// Failures: Start fails only on bad options (kInvalidArgument); a broker
// that cannot be reached is retried with backoff until Stop. A store or
// delivery failure leaves the message unacked: it is requeued after a
// pause and handled again.
#ifndef NFVSM_GATEWAY_INGEST_H_
#define NFVSM_GATEWAY_INGEST_H_

#include <spdlog/spdlog.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/event_translator.h"
#include "nfvsm/engine.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::gateway {

inline constexpr char kDeadLetterReasonHeader[] = "x-nfvsm-reason";

struct IngestOptions {
  amqp::ConnectionOptions connection;  // on_connected is set by the Ingest
  std::vector<std::string> exchanges = {"nova", "heat", "neutron", "openstack",
                                        "tacker"};
  std::string queue = "nfvsm.notifications";
  std::string dead_letter_queue = "nfvsm.notifications.dead";
  // Pause before a message whose effect failed is handed back to the
  // broker (store or bus trouble), so a failing dependency is not spun on.
  Duration retry_pause = std::chrono::seconds(1);
};

// Where ingest sends what SMs must receive; each returns once the broker
// holds it.
struct SmDeliverers {
  std::function<Status(const SmId& sm, const LifecycleEvent& event)> event;
  // Alerts about observed actions no gate authorized (R1.3.180). Empty:
  // they are audited only.
  std::function<Status(const SmId& sm, const wire::SecurityAlert& alert)> alert;
};

struct IngestStats {
  uint64_t received = 0;         // deliveries taken from the queue
  uint64_t events_recorded = 0;  // new events stored
  uint64_t duplicates = 0;       // events stored before (redeliveries)
  uint64_t sm_deliveries = 0;    // events handed to SM channels
  uint64_t alerts_sent = 0;      // security alerts handed to SM channels
  uint64_t not_relevant = 0;     // notifications ignored (by type below)
  uint64_t dead_lettered = 0;
  uint64_t retried = 0;  // messages handed back after a failure
  std::map<std::string, uint64_t> ignored_by_type;
};

class Ingest {
 public:
  // Starts the consumer thread, which connects (retrying until Stop),
  // declares the topology and consumes.
  static StatusOr<std::unique_ptr<Ingest>> Start(
      IngestOptions options, Engine& engine, SmDeliverers deliver,
      std::shared_ptr<spdlog::logger> logger);
  ~Ingest();
  Ingest(const Ingest&) = delete;
  Ingest& operator=(const Ingest&) = delete;

  // Stops taking deliveries; the one being handled is finished and acked;
  // prefetched ones are returned to the broker when the connection closes.
  void Stop();

  // True once the topology is declared and the consumer runs.
  bool consuming() const { return consuming_.load(); }
  IngestStats stats() const;

 private:
  Ingest(IngestOptions options, Engine& engine, SmDeliverers deliver,
         std::shared_ptr<spdlog::logger> logger);
  void Run();
  bool Connect();
  // Handles one delivery; false when it must be retried (left unacked).
  bool Handle(const amqp::Delivery& d);
  Status DeadLetter(const amqp::Delivery& d, const std::string& reason);
  // False when a retryable failure means the message must be retried.
  bool SendAlert(const EventReceipt& receipt);
  Status AuditRejection(const amqp::Delivery& d, const std::string& reason);
  Status DeclareTopology(amqp::Connection& c);
  void Pause(Duration d);

  IngestOptions options_;
  Engine& engine_;
  SmDeliverers deliver_;
  std::shared_ptr<spdlog::logger> log_;
  amqp::EventTranslator translator_;
  std::unique_ptr<amqp::Connection> conn_;  // consumer thread only

  std::atomic<bool> stopping_{false};
  std::atomic<bool> consuming_{false};
  mutable std::mutex mu_;  // guards stats_ and publication of conn_
  std::condition_variable wake_;
  IngestStats stats_;
  std::thread thread_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_INGEST_H_
