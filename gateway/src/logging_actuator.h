// LoggingActuator: the Actuator of nfvsm-gateway until the OpenStack
// actuator exists (issue #5). Every call is logged at WARNING and audited
// in the MANO partition (kind "actuator.recorded", what would have been
// done), and succeeds: instructions are recorded, not carried out.
//
// Thread safety: safe to call from many threads.
//
// Ownership: the audit log and the store are borrowed (Attach) and must
// outlive the actuator. Before Attach, calls are only logged.
//
// Failures: the audit append's error (the instruction then fails: an
// unaudited action is never reported as done).
#ifndef NFVSM_GATEWAY_LOGGING_ACTUATOR_H_
#define NFVSM_GATEWAY_LOGGING_ACTUATOR_H_

#include <spdlog/spdlog.h>

#include <atomic>
#include <memory>
#include <string>

#include "nfvsm/audit.h"
#include "nfvsm/instruction.h"
#include "nfvsm/store.h"

namespace nfvsm::gateway {

inline constexpr char kNoActuatorWarning[] =
    "instructions are recorded, not carried out: no OpenStack actuator "
    "configured";

class LoggingActuator final : public Actuator {
 public:
  explicit LoggingActuator(std::shared_ptr<spdlog::logger> logger);
  // Called once the Engine exists (it needs the actuator to open).
  void Attach(AuditLog* audit, Store* store);

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
  Status Record(const std::string& action, const std::string& subject);

  std::shared_ptr<spdlog::logger> log_;
  std::atomic<AuditLog*> audit_{nullptr};
  std::atomic<Store*> store_{nullptr};
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_LOGGING_ACTUATOR_H_
