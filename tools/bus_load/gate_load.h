// Gate round trips through the real path: GateClient -> nfvsm.gate ->
// nfvsm-gateway -> the Fully-Active SM's channel -> nfvsm-sm -> back.
// Concurrency N = N GateClients on N threads (a GateClient has one request
// in flight), each asking about its own VNF of the gated domain.
//
// A reply counts as a success only if the SM really decided: ALLOW, no
// error, not timed out, not failed open, and the SM's policy present
// (boot.vbs_required, set by the bench rules). Everything else is an
// error; the first distinct messages are printed to stderr.
#ifndef NFVSM_TOOLS_BUS_LOAD_GATE_LOAD_H_
#define NFVSM_TOOLS_BUS_LOAD_GATE_LOAD_H_

#include <cstdint>
#include <string>

#include "latency.h"
#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::bus_load {

struct GateLoadOptions {
  amqp::ConnectionOptions connection;
  int concurrency = 1;
  uint64_t requests = 1000;  // in total, spread over the clients
  uint64_t warmup_per_client = 5;
  std::string vnf_prefix;  // VNF i of the client = prefix + i % vnfs
  int vnfs = 1;
  std::string queue = "nfvsm.gate";
};

StatusOr<Row> RunGateLoad(const GateLoadOptions& options);

}  // namespace nfvsm::bus_load

#endif  // NFVSM_TOOLS_BUS_LOAD_GATE_LOAD_H_
