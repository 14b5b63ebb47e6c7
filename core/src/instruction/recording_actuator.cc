#include <string>
#include <utility>

#include "nfvsm/instruction.h"

namespace nfvsm {
namespace {

std::string Join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& s : items) {
    if (!out.empty()) out += ',';
    out += s;
  }
  return out;
}

std::string Bit(std::string_view name, bool v) {
  return std::string(name) + (v ? "=1" : "=0");
}

}  // namespace

std::vector<RecordingActuator::Call> RecordingActuator::calls() const {
  std::lock_guard lock(mu_);
  return calls_;
}

void RecordingActuator::Clear() {
  std::lock_guard lock(mu_);
  calls_.clear();
}

void RecordingActuator::FailMethod(const std::string& method) {
  std::lock_guard lock(mu_);
  failing_.insert(method);
}

// The call is recorded even when it is made to fail: it was attempted, and
// tests check that the steps after a failure still run.
Status RecordingActuator::Record(std::string method, std::string target,
                                 std::string detail) {
  std::lock_guard lock(mu_);
  const bool fail = failing_.count(method) != 0;
  Status result =
      fail
          ? UnavailableError("RecordingActuator: " + method + " is set to fail")
          : OkStatus();
  calls_.push_back({std::move(method), std::move(target), std::move(detail)});
  return result;
}

Status RecordingActuator::NotifyOssBss(const OssBssNotice& notice) {
  return Record("NotifyOssBss", Join(notice.vnf_ids),
                "sm=" + notice.sm +
                    " requestors=" + Join(notice.requestor_ids) +
                    " ns=" + Join(notice.ns_ids) + " reason=" + notice.reason);
}

Status RecordingActuator::TerminateVnf(const VnfRecord& vnf,
                                       const TerminateFlags& f) {
  return Record(
      "TerminateVnf", vnf.id,
      Bit("replacement_allowed", f.replacement_allowed) + " " +
          Bit("quarantine_copy", f.quarantine_copy) + " " +
          Bit("recovery_allowed", f.recovery_allowed) + " " +
          Bit("quarantine_image_and_vnfd", f.quarantine_image_and_vnfd) + " " +
          Bit("quarantine_host", f.quarantine_host) + " " +
          Bit("terminate_colocated", f.terminate_colocated) + " " +
          Bit("erase_storage", f.erase_storage));
}

Status RecordingActuator::QuarantineInstanceCopy(const VnfRecord& vnf) {
  return Record("QuarantineInstanceCopy", vnf.id, "host=" + vnf.host);
}

Status RecordingActuator::QuarantineImage(const std::string& image_id) {
  return Record("QuarantineImage", image_id, "");
}

Status RecordingActuator::QuarantineVnfd(const std::string& vnfd_id) {
  return Record("QuarantineVnfd", vnfd_id, "");
}

Status RecordingActuator::QuarantineHost(const std::string& host,
                                         const std::string& reason) {
  return Record("QuarantineHost", host, "reason=" + reason);
}

Status RecordingActuator::EraseInstanceStorage(const VnfRecord& vnf) {
  return Record("EraseInstanceStorage", vnf.id, "host=" + vnf.host);
}

Status RecordingActuator::MigrateVnf(const VnfRecord& vnf,
                                     const std::string& away_from_host) {
  return Record("MigrateVnf", vnf.id, "away_from=" + away_from_host);
}

Status RecordingActuator::ApplyPolicy(const VnfRecord& vnf,
                                      const Policy& policy) {
  return Record("ApplyPolicy", vnf.id,
                "policy=" + policy.id +
                    " on_update=" + std::string(ToString(policy.on_update)));
}

Status RecordingActuator::InsertSecurityFunction(
    const std::string& ns_id, const SecurityFunctionSpec& f) {
  return Record(
      "InsertSecurityFunction", ns_id,
      "vsf=" + f.vsf_vnfd_id + " after=" + f.after + " before=" + f.before);
}

Status RecordingActuator::RemoveSecurityFunction(
    const std::string& ns_id, const SecurityFunctionSpec& f) {
  return Record(
      "RemoveSecurityFunction", ns_id,
      "vsf=" + f.vsf_vnfd_id + " after=" + f.after + " before=" + f.before);
}

Status RecordingActuator::ReleaseQuarantine(QuarantineTarget target,
                                            const std::string& target_id) {
  return Record("ReleaseQuarantine", target_id,
                "target=" + std::string(ToString(target)));
}

}  // namespace nfvsm
