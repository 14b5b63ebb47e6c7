// BusActuator: the Actuator of nfvsm-gateway when `[actuator] driver = bus`
// (issue #5). Each call is one request/reply RPC (actuator.proto) on the
// MANO vhost to the OpenStack actuator service `nfvsm-actuator`, which
// carries it out with openstacksdk (docs/actuator.md).
//
// Thread safety: safe to call from many threads; calls are serialized (one
// request in flight, RpcClient's contract), so a slow cloud delays the
// next step rather than overlapping it.
//
// Ownership: owns its RpcClient (and so its connection and reply queue).
//
// Failures (fail closed: a step is only reported done when the service
// said so):
//   - broker unreachable, no `nfvsm.actuator` queue, connection lost, or no
//     reply before the per-call deadline: kUnavailable, "nfvsm actuator
//     unavailable: ..." (the engine then reports the step failed);
//   - a reply that does not parse, or with no code: kInternal;
//   - a reply with an error code: that code and the service's message;
//   - a request that cannot be encoded (an invalid policy): kInvalidArgument.
// Nothing is logged or returned that holds secrets: requests carry ids and
// reasons only.
#ifndef NFVSM_GATEWAY_BUS_ACTUATOR_H_
#define NFVSM_GATEWAY_BUS_ACTUATOR_H_

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/clock.h"
#include "nfvsm/instruction.h"

namespace nfvsm::v1 {
class ActuatorRequest;
}

namespace nfvsm::gateway {

inline constexpr char kActuatorQueue[] = "nfvsm.actuator";
inline constexpr char kActuatorRequestType[] = "nfvsm.v1.ActuatorRequest";

struct BusActuatorOptions {
  amqp::ConnectionOptions connection;
  std::string queue = kActuatorQueue;
  // Deadline of each call, from when it is sent.
  Duration timeout = std::chrono::seconds(120);
  std::string gateway_id = "mano";         // ActuatorRequest.gateway_id
  const Clock* clock = nullptr;            // nullptr: SystemClock()
  std::shared_ptr<spdlog::logger> logger;  // nullptr: spdlog's default
};

class BusActuator final : public Actuator {
 public:
  // Does not connect (the first call does). kInvalidArgument: no queue, a
  // timeout <= 0.
  static StatusOr<std::unique_ptr<BusActuator>> Create(
      BusActuatorOptions options);

  Status NotifyOssBss(const OssBssNotice& notice) override;
  Status TerminateVnf(const VnfRecord& vnf,
                      const TerminateFlags& flags) override;
  Status QuarantineInstanceCopy(const VnfRecord& vnf) override;
  Status QuarantineImage(const std::string& image_id) override;
  Status QuarantineVnfd(const std::string& vnfd_id) override;
  Status QuarantineHost(const std::string& host,
                        const std::string& reason) override;
  Status EraseInstanceStorage(const VnfRecord& vnf) override;
  Status MigrateVnf(const VnfRecord& vnf,
                    const std::string& away_from_host) override;
  Status ApplyPolicy(const VnfRecord& vnf, const Policy& policy) override;
  Status InsertSecurityFunction(const std::string& ns_id,
                                const SecurityFunctionSpec& f) override;
  Status RemoveSecurityFunction(const std::string& ns_id,
                                const SecurityFunctionSpec& f) override;
  Status ReleaseQuarantine(QuarantineTarget target,
                           const std::string& target_id) override;

 private:
  BusActuator(BusActuatorOptions options,
              std::unique_ptr<amqp::RpcClient> client);
  // Sends `request` (request_id and gateway_id are filled in here) and
  // turns the reply into a Status. `what` names the step in logs.
  Status Call(v1::ActuatorRequest& request, const std::string& what);

  BusActuatorOptions options_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<amqp::RpcClient> client_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_BUS_ACTUATOR_H_
