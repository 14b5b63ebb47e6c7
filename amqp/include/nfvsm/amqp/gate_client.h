// GateClient: what a C++ OpenStack hook calls before a lifecycle operation
// to ask the nfvsm gateway for a decision (hook.proto, docs/rpc.md;
// R2.1.20 - R2.1.40, R1.3.30, IFA026 clause 4).
//
// Thread safety: every method is safe to call from many threads; Checks
// are serialized internally (one request in flight per client: a pool of
// clients is the way to more concurrency).
//
// Ownership: Open returns the sole owner; the client owns its connection.
//
// Failures: fail closed (R1.3.30). A gateway that cannot be reached, that
// does not reply before the deadline, a lost connection or a reply that
// cannot be used (unparsable, verdict UNSPECIFIED, invalid policy, `error`
// set) all give a DENY GateReply with `error` set, never an error Status:
// a caller cannot mistake a transport problem for an allow. With
// `fail_open` configured, unreachable and deadline cases give an ALLOW with
// `error` set and `failed_open` = true (log it as a warning); an unusable
// reply still denies. Check returns an error Status only for its own bad
// input (kInvalidArgument); Open only for bad options (kInvalidArgument):
// it does not connect, the first Check does.
#ifndef NFVSM_AMQP_GATE_CLIENT_H_
#define NFVSM_AMQP_GATE_CLIENT_H_

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/clock.h"
#include "nfvsm/gate.h"
#include "nfvsm/policy.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

inline constexpr char kGateQueue[] = "nfvsm.gate";
inline constexpr char kHookGateRequestType[] = "nfvsm.v1.HookGateRequest";
inline constexpr char kHookGateReplyType[] = "nfvsm.v1.HookGateReply";

struct GateClientOptions {
  // How long a Check waits when its input names no deadline.
  Duration default_deadline = std::chrono::seconds(30);
  // Unreachable gateway / no reply in time => ALLOW (with error) instead
  // of DENY. Off by default (R1.3.30).
  bool fail_open = false;
  std::string queue = kGateQueue;
  std::string requester;         // default HookGateRequest.requester
  const Clock* clock = nullptr;  // nullptr: SystemClock()
};

enum class GateCheckKind : uint8_t {
  kOperation,  // Engine::StartGate
  kRecovery,   // is_recovery: the quarantine veto applies
  kPlacement,  // target_host set: quarantined hosts are vetoed
};

struct HookGateRequestInput {
  GateCheckKind kind = GateCheckKind::kOperation;
  GateRequest request;  // gate.h; id may be empty (the gateway assigns one)
  std::optional<Duration> deadline;  // from now; default_deadline if unset
  std::string requester;             // overrides the option when set
};

struct GateReply {
  Verdict verdict = Verdict::kDeny;
  std::string gate_id;
  std::vector<std::string> reasons;
  std::optional<Policy> policy;  // to apply when allowed
  bool timed_out = false;        // a Fully-Active SM never answered
  // Non-empty: no usable decision came from the gateway (see above).
  std::string error;
  bool failed_open = false;  // ALLOW only because fail_open is configured
};

class GateClient {
 public:
  static StatusOr<std::unique_ptr<GateClient>> Open(
      ConnectionOptions connection, GateClientOptions options = {});
  ~GateClient();
  GateClient(const GateClient&) = delete;
  GateClient& operator=(const GateClient&) = delete;

  StatusOr<GateReply> Check(const HookGateRequestInput& input);
  // Conveniences: a heal/recovery of `vnf_id` (optionally on `host`), and
  // placing `vnf_id` on `host` (an instantiate).
  StatusOr<GateReply> CheckRecovery(const std::string& vnf_id,
                                    const std::optional<std::string>& host);
  StatusOr<GateReply> CheckPlacement(const std::string& vnf_id,
                                     const std::string& host);

 private:
  GateClient(std::unique_ptr<RpcClient> rpc, GateClientOptions options);
  GateReply Unreachable(const std::string& why) const;

  std::unique_ptr<RpcClient> rpc_;
  GateClientOptions options_;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_GATE_CLIENT_H_
