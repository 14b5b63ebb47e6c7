// The floor: request/reply over bare rabbitmq-c, no nfvsm code in the
// path. One server thread consumes a queue (manual acks) and replies to
// reply_to with the correlation id; the client publishes a request, waits
// for its reply on its own exclusive queue (no-ack), and repeats,
// sequentially. Transient messages, no publisher confirms: the cheapest
// round trip the broker offers over rabbitmq-c.
//
// Failures: returned as Status (connection, login, protocol errors); the
// row counts replies that did not come back within the timeout as errors.
#ifndef NFVSM_TOOLS_BUS_LOAD_PINGPONG_H_
#define NFVSM_TOOLS_BUS_LOAD_PINGPONG_H_

#include <cstdint>

#include "latency.h"
#include "nfvsm/amqp/transport_url.h"
#include "nfvsm/status.h"

namespace nfvsm::bus_load {

struct PingPongOptions {
  amqp::TransportUrl url;
  uint64_t requests = 10000;
  uint64_t warmup = 200;
  size_t body_bytes = 200;  // about a HookGateRequest
};

StatusOr<Row> RunPingPong(const PingPongOptions& options);

}  // namespace nfvsm::bus_load

#endif  // NFVSM_TOOLS_BUS_LOAD_PINGPONG_H_
