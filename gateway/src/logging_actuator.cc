#include "logging_actuator.h"

#include <nlohmann/json.hpp>
#include <utility>

namespace nfvsm::gateway {

LoggingActuator::LoggingActuator(std::shared_ptr<spdlog::logger> logger)
    : log_(std::move(logger)) {}

void LoggingActuator::Attach(AuditLog* audit, Store* store) {
  store_.store(store);
  audit_.store(audit);
}

Status LoggingActuator::Record(const std::string& action,
                               const std::string& subject) {
  log_->warn("actuator (not carried out): {} {}", action, subject);
  AuditLog* audit = audit_.load();
  Store* store = store_.load();
  if (audit == nullptr || store == nullptr) return OkStatus();
  const std::string body =
      nlohmann::json{{"action", action}, {"carried_out", false}}.dump(
          -1, ' ', false, nlohmann::json::error_handler_t::replace);
  // Same lock order as the Engine: appends inside store transactions.
  Status s = store->InTransaction([&]() -> Status {
    return audit
        ->Append(kManoPartition, "actuator.recorded", "nfvsm.gateway", subject,
                 body)
        .status();
  });
  if (!s.ok()) audit->ForgetCachedHeads();
  return s;
}

Status LoggingActuator::NotifyOssBss(const OssBssNotice& notice) {
  std::string vnfs;
  for (const auto& v : notice.vnf_ids) vnfs += (vnfs.empty() ? "" : ",") + v;
  return Record("notify_oss_bss", vnfs);
}
Status LoggingActuator::TerminateVnf(const VnfRecord& vnf,
                                     const TerminateFlags&) {
  return Record("terminate_vnf", vnf.id);
}
Status LoggingActuator::QuarantineInstanceCopy(const VnfRecord& vnf) {
  return Record("quarantine_instance_copy", vnf.id);
}
Status LoggingActuator::QuarantineImage(const std::string& image_id) {
  return Record("quarantine_image", image_id);
}
Status LoggingActuator::QuarantineVnfd(const std::string& vnfd_id) {
  return Record("quarantine_vnfd", vnfd_id);
}
Status LoggingActuator::QuarantineHost(const std::string& host,
                                       const std::string&) {
  return Record("quarantine_host", host);
}
Status LoggingActuator::EraseInstanceStorage(const VnfRecord& vnf) {
  return Record("erase_instance_storage", vnf.id);
}
Status LoggingActuator::MigrateVnf(const VnfRecord& vnf,
                                   const std::string& away_from_host) {
  return Record("migrate_vnf", vnf.id + " away from " + away_from_host);
}
Status LoggingActuator::ApplyPolicy(const VnfRecord& vnf, const Policy&) {
  return Record("apply_policy", vnf.id);
}
Status LoggingActuator::InsertSecurityFunction(const std::string& ns_id,
                                               const SecurityFunctionSpec&) {
  return Record("insert_security_function", ns_id);
}
Status LoggingActuator::RemoveSecurityFunction(const std::string& ns_id,
                                               const SecurityFunctionSpec&) {
  return Record("remove_security_function", ns_id);
}
Status LoggingActuator::ReleaseQuarantine(QuarantineTarget target,
                                          const std::string& target_id) {
  return Record("release_quarantine",
                std::string(ToString(target)) + ":" + target_id);
}

}  // namespace nfvsm::gateway
