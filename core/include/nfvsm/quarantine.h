// QuarantineRegistry: what Security Managers quarantined (VNF instances,
// images, VNFDs, packages, hosts) and the veto it casts on every lifecycle
// operation (IFA026 clause 4, R2.1.270, R2.1.320/330, SEC003 trust
// invalidation).
//
// Thread safety: all methods are safe to call concurrently. Check() is the
// hot path (every gate, every recovery) and takes only a shared lock.
//
// Veto rules (Check):
//  - a quarantined or SM-terminated VNF instance: every operation on it is
//    refused (restart, heal, migrate, scale, modify, terminate: the copy is
//    evidence); only its quarantining SM releases it;
//  - a quarantined image, VNFD or package: any operation that would
//    instantiate from it (everything but terminate and scale-in) is refused;
//  - a quarantined host: no operation may place anything on it;
//  - an operation that replaces a quarantined instance (`replaces_vnf_id`):
//    refused unless the entry allows replacement, or, for automatic
//    recovery (`is_recovery`), unless it allows other recovery.
//
// Failures: Check returns kFailedPrecondition naming the entry and who
// quarantined it; Release returns kNotFound or kPermissionDenied.
#ifndef NFVSM_QUARANTINE_H_
#define NFVSM_QUARANTINE_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "nfvsm/domain_registry.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

// What an operation touches, as far as quarantine is concerned.
struct OperationTarget {
  OperationKind operation = OperationKind::kInstantiate;
  VnfId vnf_id;
  std::string image_id;
  std::string vnfd_id;
  std::string package_id;
  std::string target_host;   // where it would run after the operation
  VnfId replaces_vnf_id;     // a new instance replacing this one
  bool is_recovery = false;  // automatic recovery (auto-heal, Masakari)
};

class QuarantineRegistry {
 public:
  QuarantineRegistry();
  ~QuarantineRegistry();
  QuarantineRegistry(const QuarantineRegistry&) = delete;
  QuarantineRegistry& operator=(const QuarantineRegistry&) = delete;

  // Adds an entry. If the target is already quarantined, the entries merge:
  // the earliest time and SM stay, flags that restrict more win
  // (terminated, copy_kept, erase_requested OR; replacement_allowed and
  // recovery_allowed AND). kInvalidArgument for an empty target id or SM.
  Status Add(const QuarantineEntry& e);

  // Releases an entry. Only the SM that quarantined it or one of its
  // masters may (`hierarchy` answers that).
  Status Release(QuarantineTarget target, const std::string& target_id,
                 const SmId& releaser, const BindingTable& hierarchy);

  std::optional<QuarantineEntry> Find(QuarantineTarget target,
                                      const std::string& target_id) const;
  bool IsQuarantined(QuarantineTarget target,
                     const std::string& target_id) const;
  std::vector<QuarantineEntry> List() const;

  // OK if the operation may proceed; else kFailedPrecondition with reason.
  Status Check(const OperationTarget& op) const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm

#endif  // NFVSM_QUARANTINE_H_
