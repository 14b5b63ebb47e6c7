// AdminClient: the typed client of the admin RPC (admin.proto, queue
// `nfvsm.admin`, docs/rpc.md), used by `nfvsm-admin`; and the conversions
// between the core types and admin.proto that the gateway's server side
// shares (namespace nfvsm::amqp::admin).
//
// Thread safety: AdminClient methods are safe to call from many threads;
// requests are serialized internally (one in flight). The conversion
// functions are pure.
//
// Ownership: Open returns the sole owner; the client owns its connection.
//
// Failures: each method returns the gateway's answer as a Status: the
// AdminReply code becomes the Status code and its message the message.
// Transport problems come back as kUnavailable ("nfvsm gateway
// unreachable: ...") or kDeadlineExceeded ("no reply from the nfvsm gateway
// within N ms"), and last_call_reached_gateway() is then false, so a
// caller can tell them from the same codes sent by the gateway. A reply
// that cannot be parsed, has code UNSPECIFIED or lacks the expected result
// is kInternal. Conversions return kInvalidArgument naming the field.
#ifndef NFVSM_AMQP_ADMIN_CLIENT_H_
#define NFVSM_AMQP_ADMIN_CLIENT_H_

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/audit.h"
#include "nfvsm/clock.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"
#include "nfvsm/v1/admin.pb.h"

namespace nfvsm::amqp {

inline constexpr char kAdminQueue[] = "nfvsm.admin";
inline constexpr char kAdminRequestType[] = "nfvsm.v1.AdminRequest";
inline constexpr char kAdminReplyType[] = "nfvsm.v1.AdminReply";

namespace admin {

v1::AdminStatusCode ToProto(StatusCode code);
// UNSPECIFIED and unknown numbers become kInternal.
StatusCode FromProto(v1::AdminStatusCode code);
// Sets code and message of `reply` from `status`.
void SetStatus(const Status& status, v1::AdminReply* reply);
// The reply's code and message as a Status.
Status StatusOf(const v1::AdminReply& reply);

void ToProto(const TrustDomain& in, v1::TrustDomainProto* out);
StatusOr<TrustDomain> FromProto(const v1::TrustDomainProto& in);
void ToProto(const SecurityManager& in, v1::SecurityManagerProto* out);
StatusOr<SecurityManager> FromProto(const v1::SecurityManagerProto& in);
void ToProto(const Binding& in, v1::BindingProto* out);
// Defaults as in types.h: no allowed_instructions => every kind, deadline
// 0 => 30 s, fail mode UNSPECIFIED => closed.
StatusOr<Binding> FromProto(const v1::BindingProto& in);
void ToProto(const QuarantineEntry& in, v1::QuarantineEntryProto* out);
StatusOr<QuarantineEntry> FromProto(const v1::QuarantineEntryProto& in);
void ToProto(const VerifyReport& in, v1::AuditVerifyReportProto* out);
StatusOr<VerifyReport> FromProto(const v1::AuditVerifyReportProto& in);

// Core enums <-> admin.proto / common.proto enums.
StatusOr<QuarantineTarget> FromProto(v1::QuarantineTarget in);
v1::QuarantineTarget ToProto(QuarantineTarget in);

}  // namespace admin

struct AdminClientOptions {
  Duration deadline = std::chrono::seconds(30);  // per request
  std::string queue = kAdminQueue;
  std::string actor;             // AdminRequest.actor (audited); required
  const Clock* clock = nullptr;  // nullptr: SystemClock()
};

class AdminClient {
 public:
  // kInvalidArgument: no actor, non-positive deadline. Does not connect.
  static StatusOr<std::unique_ptr<AdminClient>> Open(
      ConnectionOptions connection, AdminClientOptions options);
  ~AdminClient();
  AdminClient(const AdminClient&) = delete;
  AdminClient& operator=(const AdminClient&) = delete;

  Status PutDomain(const TrustDomain& domain);
  Status RemoveDomain(const DomainId& id);
  // Returns the path of the SM's channel file the gateway wrote (may be
  // empty when the gateway provisions no channels).
  StatusOr<std::string> PutSm(const SecurityManager& sm);
  Status RemoveSm(const SmId& id);
  Status PutBinding(const Binding& binding);
  Status RemoveBinding(const SmId& sm, const DomainId& domain);
  StatusOr<std::vector<TrustDomain>> ListDomains();
  StatusOr<std::vector<SecurityManager>> ListSms();
  StatusOr<std::vector<Binding>> ListBindings();
  StatusOr<std::vector<QuarantineEntry>> ListQuarantine();
  // Registers or updates a VNF (its domain must exist).
  Status PutVnf(const VnfRecord& vnf);
  // Lifts a quarantine whose SM can no longer lift it (Engine::
  // ReleaseOrphanedQuarantine): kPermissionDenied while that SM is bound.
  Status ReleaseQuarantine(QuarantineTarget target,
                           const std::string& target_id,
                           const std::string& reason);
  StatusOr<VnfRecord> VnfStatus(const VnfId& id);
  // [from, to); FromMicros(0) means open.
  StatusOr<std::vector<LifecycleEvent>> VnfHistory(const VnfId& id,
                                                   TimePoint from,
                                                   TimePoint to);
  // Empty partition: every partition.
  StatusOr<std::vector<VerifyReport>> AuditVerify(const std::string& partition);
  // No partitions: every partition.
  StatusOr<std::vector<AuditRecord>> AuditExport(
      const std::vector<std::string>& partitions);

  // The raw call: fills actor and request_id, returns the reply whatever
  // its code (errors only for transport and parse problems).
  StatusOr<v1::AdminReply> Call(v1::AdminRequest request);

  // False when the last call failed before the gateway answered.
  bool last_call_reached_gateway() const { return reached_.load(); }

 private:
  AdminClient(std::unique_ptr<RpcClient> rpc, AdminClientOptions options);
  // Call, then the reply's status as the error.
  StatusOr<v1::AdminReply> Do(v1::AdminRequest request,
                              v1::AdminReply::ResultCase expected);

  std::unique_ptr<RpcClient> rpc_;
  AdminClientOptions options_;
  std::atomic<bool> reached_{true};
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_ADMIN_CLIENT_H_
