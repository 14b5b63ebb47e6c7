// Ingest measurement pieces of nfvsm-bus-load:
//   Seed     writes the bench trust domains and VNFs into the gateway's
//            store before the gateway starts (the admin RPC has no
//            operation that registers a VNF).
//   Publish  pre-publishes N persistent oslo.messaging 2.0 Nova
//            notifications (instance.power_off.end, publisher
//            nova-compute:compute-1, uuid4 message ids, the inner message
//            JSON-encoded inside the envelope, as oslo's messagingv2
//            driver sends them) with publisher confirms.
//   Drain    times a queue being emptied by its consumer: from the first
//            message leaving the queue to the queue holding no ready
//            message (passive queue.declare polled every millisecond).
//   History  counts the events the gateway recorded, through the admin
//            RPC (vnf_history of every bench VNF).
//
// Failures are Status values; nothing here throws.
#ifndef NFVSM_TOOLS_BUS_LOAD_INGEST_LOAD_H_
#define NFVSM_TOOLS_BUS_LOAD_INGEST_LOAD_H_

#include <chrono>
#include <cstdint>
#include <string>

#include "latency.h"
#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::bus_load {

// Names shared by the driver, scripts/bench-bus and the bench SM's rules.
inline constexpr char kGateDomain[] = "bench-gate";
inline constexpr char kGateVnfPrefix[] = "bench-gate-vnf-";
inline constexpr char kIngestDomain[] = "bench-ingest";
inline constexpr char kIngestVnfPrefix[] = "bench-ingest-vnf-";

struct SeedOptions {
  std::string store_path;
  std::string hmac_key_file;  // created (0600) when missing
  int gate_vnfs = 64;
  int ingest_vnfs = 100;
};
Status Seed(const SeedOptions& options);

struct PublishOptions {
  amqp::ConnectionOptions connection;
  std::string exchange;  // declared as OpenStack does when absent
  // When set: declared durable and bound with versioned_notifications.*
  // and notifications.*, exactly as nfvsm-gateway declares its ingest
  // queue, so that the events wait there before the gateway starts.
  std::string queue;
  uint64_t count = 1000;
  int vnfs = 100;  // instance i = kIngestVnfPrefix + i % vnfs
  size_t batch = 500;
};
Status Publish(const PublishOptions& options);

struct DrainOptions {
  amqp::ConnectionOptions connection;
  std::string queue;
  uint64_t expected = 0;  // messages waiting at the start
  std::chrono::seconds timeout{240};
  std::string label;
};
// Row: count = expected, per_second = expected / drain time; errors = 1
// when the queue did not empty in time.
StatusOr<Row> Drain(const DrainOptions& options);

struct HistoryOptions {
  amqp::ConnectionOptions connection;
  int vnfs = 100;
};
StatusOr<uint64_t> CountHistory(const HistoryOptions& options);

}  // namespace nfvsm::bus_load

#endif  // NFVSM_TOOLS_BUS_LOAD_INGEST_LOAD_H_
