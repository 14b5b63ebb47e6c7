// Planning of the instructions that end VNFs: terminate (R2.1.260 -
// R2.1.290) and stop-using-host (R2.1.320/330).
//
// Mode of an instruction: a termination is a Fully-Active *instruction*
// only if the SM is Fully-Active over every target; as soon as one target
// lies in a Semi-Active domain the whole instruction is a Semi-Active
// *request* (OSS/BSS informed first, Fully-Active-only flags refused).
// Treating a mixed list by its weakest authority keeps one instruction one
// coherent set of obligations.
#include <algorithm>
#include <string>

#include "instruction/planning.h"

namespace nfvsm::internal {
namespace {

using Step = ActuatorStep::Kind;

// The R2.1.270 flags only a Fully-Active authority may set.
Status CheckFullyActiveOnlyFlags(const Instruction& in, const Authority& a) {
  if (a.mode == Mode::kFullyActive) return OkStatus();
  const TerminateFlags& f = in.terminate;
  const std::pair<const char*, bool> flags[] = {
      {"quarantine_image_and_vnfd", f.quarantine_image_and_vnfd},
      {"quarantine_host", f.quarantine_host},
      {"terminate_colocated", f.terminate_colocated},
      {"erase_storage", f.erase_storage},
  };
  for (const auto& [name, set] : flags) {
    if (!set) continue;
    return InvalidArgumentError(
        "terminate." + std::string(name) +
        ": only a Fully-Active SM may set this flag; SM '" + in.sm + "' is " +
        std::string(ToString(a.mode)) + " in domain '" + a.domain +
        "' (R2.1.270)");
  }
  return OkStatus();
}

// The first step of a Semi-Active termination: OSS/BSS hears of it before
// anything happens, without being asked (R2.1.260). The target names the
// VNFs for the audit trail; Execute builds the notice from the plan.
void InformOssBssFirst(PlanBuilder& b, const std::vector<VnfRecord>& vnfs) {
  std::string ids;
  for (const auto& v : vnfs) ids += (ids.empty() ? "" : ",") + v.id;
  b.SetInformsOssBssFirst();
  b.AddStep(Step::kNotifyOssBss, ids);
}

}  // namespace

// Per target, in this order:
//   quarantine_instance_copy  the snapshot is taken first, so it is
//                             evidence of the instance as the SM found it;
//   erase_instance_storage    then HMEE, HSM and storage are erased while
//                             the instance still holds them (after
//                             termination the VIM releases volumes and
//                             keys without a secure wipe); the copy is a
//                             separate snapshot and is not touched;
//   terminate_vnf;
//   quarantine_image / _vnfd / _host   what it ran from and on.
// Co-located VNFs (terminate_colocated) come last and are only terminated.
StatusOr<InstructionPlan> PlanTerminate(const PlanContext& ctx,
                                        const Instruction& in) {
  if (in.vnf_ids.empty()) {
    return InvalidArgumentError(
        "vnf_ids: a termination names at least one VNF instance (R2.1.280)");
  }
  const TerminateFlags& f = in.terminate;
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  std::vector<VnfRecord> primary;
  Mode weakest = Mode::kFullyActive;
  for (const VnfId& id : in.vnf_ids) {
    if (b.HasTarget(id)) continue;
    std::optional<VnfRecord> v = ctx.inventory.Get(id);
    if (!v) return NotFoundError("vnf '" + id + "' is not known to MANO");
    NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(v->domain, id));
    NFVSM_RETURN_IF_ERROR(CheckFullyActiveOnlyFlags(in, a));
    weakest = std::min(weakest, a.mode);
    b.AddTarget(*v, a);
    primary.push_back(std::move(*v));
  }

  // Co-located VNFs join only where the SM is Fully-Active: the flag is
  // Fully-Active-only, and R1.1.50 outranks it everywhere else.
  std::vector<VnfRecord> colocated;
  if (f.terminate_colocated) {
    for (const VnfRecord& p : primary) {
      if (p.host.empty()) continue;
      for (VnfRecord& v : ctx.inventory.OnHost(p.host)) {
        if (b.HasTarget(v.id)) continue;
        std::optional<Authority> a = auth.Permits(v.domain);
        if (!a || a->mode != Mode::kFullyActive) {
          b.Skip(v.id);
          continue;
        }
        b.AddTarget(v, *a);
        colocated.push_back(std::move(v));
      }
    }
  }

  if (weakest == Mode::kSemiActive) InformOssBssFirst(b, primary);
  for (const VnfRecord& v : primary) {
    if (f.quarantine_copy) b.AddStep(Step::kQuarantineInstanceCopy, v.id);
    if (f.erase_storage) b.AddStep(Step::kEraseInstanceStorage, v.id);
    b.AddStep(Step::kTerminateVnf, v.id);
    if (f.quarantine_image_and_vnfd) {
      b.AddStep(Step::kQuarantineImage, v.image_id);
      b.AddStep(Step::kQuarantineVnfd, v.vnfd_id);
    }
    if (f.quarantine_host) b.AddStep(Step::kQuarantineHost, v.host);
  }
  for (const VnfRecord& v : colocated) b.AddStep(Step::kTerminateVnf, v.id);

  // Every instance an SM had terminated is recorded: IFA026 clause 4
  // forbids MANO and auto-recovery to ever restart it.
  for (const VnfRecord& v : primary) {
    QuarantineEntry e = b.Entry(QuarantineTarget::kVnfInstance, v.id, v.domain);
    e.terminated = true;
    e.copy_kept = f.quarantine_copy;
    e.replacement_allowed = f.replacement_allowed;
    e.recovery_allowed = f.recovery_allowed;
    e.erase_requested = f.erase_storage;
    b.Quarantine(e);
    if (f.quarantine_image_and_vnfd) {
      b.Quarantine(b.Entry(QuarantineTarget::kImage, v.image_id, v.domain));
      b.Quarantine(b.Entry(QuarantineTarget::kVnfd, v.vnfd_id, v.domain));
    }
    if (f.quarantine_host) {
      b.Quarantine(b.Entry(QuarantineTarget::kHost, v.host, v.domain));
    }
  }
  for (const VnfRecord& v : colocated) {
    QuarantineEntry e = b.Entry(QuarantineTarget::kVnfInstance, v.id, v.domain);
    e.reason += " (co-located on host '" + v.host + "')";
    e.terminated = true;
    e.replacement_allowed = f.replacement_allowed;
    e.recovery_allowed = f.recovery_allowed;
    b.Quarantine(e);
  }
  return std::move(b).Build();
}

// The host is quarantined first so that nothing new (not even the VNFs
// being migrated away) lands on it. VNFs terminated here are recorded like
// any SM termination, but with replacement and recovery allowed: the SM
// distrusts the host, not them, and a replacement can never land on a
// quarantined host. An SM that distrusts the VNFs too sends a termination
// with its own flags.
StatusOr<InstructionPlan> PlanStopUsingHost(const PlanContext& ctx,
                                            const Instruction& in) {
  if (in.host.empty()) return InvalidArgumentError("host: must not be empty");
  if (in.host_action != HostAction::kMigrate &&
      in.host_action != HostAction::kTerminate) {
    return InvalidArgumentError("host_action: must be migrate or terminate");
  }
  const bool terminate = in.host_action == HostAction::kTerminate;
  Authorizer auth(ctx.bindings, in);
  PlanBuilder b(in, ctx.clock.Now());
  const std::vector<VnfRecord> vnfs = ctx.inventory.OnHost(in.host);
  Mode weakest = Mode::kFullyActive;
  for (const VnfRecord& v : vnfs) {
    NFVSM_ASSIGN_OR_RETURN(Authority a, auth.Require(v.domain, v.id));
    weakest = std::min(weakest, a.mode);
    b.AddTarget(v, a);
  }
  if (vnfs.empty()) {
    // Nothing runs there, so no domain is at stake; the SM still has to be
    // one that may change lifecycles somewhere (not only Passive).
    std::vector<Authority> all = auth.All();
    if (all.empty()) {
      return PermissionDeniedError(
          "SM '" + in.sm + "' holds no authority that allows " +
          std::string(ToString(in.kind)) + " instructions (R2.1.20)");
    }
    b.AddDomain(all.front());
  }

  if (terminate && weakest == Mode::kSemiActive) InformOssBssFirst(b, vnfs);
  if (in.quarantine_host) {
    b.AddStep(Step::kQuarantineHost, in.host);
    b.Quarantine(
        b.Entry(QuarantineTarget::kHost, in.host, b.plan().authority.domain));
  }
  for (const VnfRecord& v : vnfs) {
    if (!terminate) {
      b.AddStep(Step::kMigrateVnf, v.id);
      continue;
    }
    b.AddStep(Step::kTerminateVnf, v.id);
    QuarantineEntry e = b.Entry(QuarantineTarget::kVnfInstance, v.id, v.domain);
    e.reason += " (stopped using host '" + in.host + "')";
    e.terminated = true;
    e.replacement_allowed = true;
    e.recovery_allowed = true;
    b.Quarantine(e);
  }
  return std::move(b).Build();
}

}  // namespace nfvsm::internal
