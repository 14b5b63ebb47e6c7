#include "tests/amqp/sample_expectations.h"

#include <vector>

namespace nfvsm::amqp::testing {
namespace {

SampleExpectation Event(const char* file, EventKind kind, Phase phase,
                        ModifyAspect aspect, const char* reason) {
  return {file, false, reason, kind, phase, aspect};
}

SampleExpectation Ignored(const char* file, const char* reason) {
  return {file,        true,
          reason,      EventKind::kModify,
          Phase::kEnd, ModifyAspect::kOther};
}

}  // namespace

const std::vector<SampleExpectation>& SampleExpectations() {
  using enum EventKind;
  using enum Phase;
  using enum ModifyAspect;
  // clang-format off
  static const auto* const kTable = new std::vector<SampleExpectation>{
      Event("compute_task-build_instances-error.json", kCreate, kFailed, kOther, "instance build scheduling failed: NoValidHost"),
      Event("compute_task-migrate_server-error.json", kModify, kFailed, kLocation, "migration scheduling failed: NoValidHost"),
      Event("compute_task-rebuild_server-error.json", kModify, kFailed, kImageVersion, "rebuild scheduling failed: NoValidHost"),
      Event("instance-create-end.json", kCreate, kEnd, kOther, "instance creation completed"),
      Event("instance-create-start.json", kCreate, kStart, kOther, "instance creation started"),
      Event("instance-delete-end.json", kTerminate, kEnd, kOther, "instance deletion completed"),
      Event("instance-delete-end_not_scheduled.json", kTerminate, kEnd, kOther, "instance deletion completed"),
      Event("instance-delete-start.json", kTerminate, kStart, kOther, "instance deletion started"),
      Event("instance-delete-start_compute_down.json", kTerminate, kStart, kOther, "instance deletion started"),
      Ignored("instance-exists.json", "periodic usage audit"),
      Event("instance-interface_attach-end.json", kModify, kEnd, kPeering, "network interface attachment completed"),
      Event("instance-interface_attach-error.json", kModify, kFailed, kPeering, "network interface attachment failed: InterfaceAttachFailed: dummy"),
      Event("instance-interface_attach-start.json", kModify, kStart, kPeering, "network interface attachment started"),
      Event("instance-interface_detach-end.json", kModify, kEnd, kPeering, "network interface detachment completed"),
      Event("instance-interface_detach-start.json", kModify, kStart, kPeering, "network interface detachment started"),
      Event("instance-live_migration_abort-end.json", kModify, kEnd, kLocation, "live migration abort completed"),
      Event("instance-live_migration_force_complete-end.json", kModify, kEnd, kLocation, "live migration forced completion completed"),
      Event("instance-live_migration_force_complete-start.json", kModify, kStart, kLocation, "live migration forced completion started"),
      Event("instance-live_migration_post-end.json", kModify, kEnd, kLocation, "live migration completion on the source completed"),
      Event("instance-live_migration_post-start.json", kModify, kStart, kLocation, "live migration completion on the source started"),
      Event("instance-live_migration_post_dest-end.json", kModify, kEnd, kLocation, "live migration completion on the destination completed"),
      Event("instance-live_migration_post_dest-start.json", kModify, kStart, kLocation, "live migration completion on the destination started"),
      Event("instance-live_migration_pre-end.json", kModify, kEnd, kLocation, "live migration preparation on the destination completed"),
      Event("instance-live_migration_pre-start.json", kModify, kStart, kLocation, "live migration preparation on the destination started"),
      Event("instance-live_migration_rollback-end.json", kModify, kEnd, kLocation, "live migration rollback completed"),
      Event("instance-live_migration_rollback-start.json", kModify, kStart, kLocation, "live migration rollback started"),
      Event("instance-live_migration_rollback_dest-start.json", kModify, kStart, kLocation, "live migration rollback on the destination started"),
      Event("instance-lock-with-reason.json", kModify, kEnd, kConfiguration, "instance locked: global warming"),
      Event("instance-lock.json", kModify, kEnd, kConfiguration, "instance locked"),
      Event("instance-pause-end.json", kModify, kEnd, kPowerState, "pause completed"),
      Event("instance-pause-start.json", kModify, kStart, kPowerState, "pause started"),
      Event("instance-power_off-end.json", kModify, kEnd, kPowerState, "power off completed"),
      Event("instance-power_off-start.json", kModify, kStart, kPowerState, "power off started"),
      Event("instance-power_on-end.json", kModify, kEnd, kPowerState, "power on completed"),
      Event("instance-power_on-start.json", kModify, kStart, kPowerState, "power on started"),
      Event("instance-power_on_share-end.json", kModify, kEnd, kPowerState, "power on completed"),
      Event("instance-power_on_share-start.json", kModify, kStart, kPowerState, "power on started"),
      Event("instance-reboot-end.json", kModify, kEnd, kPowerState, "reboot completed"),
      Event("instance-reboot-error.json", kModify, kFailed, kPowerState, "reboot failed: UnsupportedVirtType"),
      Event("instance-reboot-start.json", kModify, kStart, kPowerState, "reboot started"),
      Event("instance-rebuild-end.json", kModify, kEnd, kImageVersion, "rebuild completed"),
      Event("instance-rebuild-start.json", kModify, kStart, kImageVersion, "rebuild started"),
      Event("instance-rebuild_scheduled.json", kModify, kStart, kImageVersion, "rebuild scheduled"),
      Event("instance-rescue-end.json", kModify, kEnd, kImageVersion, "rescue (boot from a rescue image) completed"),
      Event("instance-rescue-start.json", kModify, kStart, kImageVersion, "rescue (boot from a rescue image) started"),
      Event("instance-resize-end.json", kModify, kEnd, kHostResources, "resize (migration) completed"),
      Event("instance-resize-error.json", kModify, kFailed, kHostResources, "resize (migration) failed: FlavorDiskTooSmall"),
      Event("instance-resize-start.json", kModify, kStart, kHostResources, "resize (migration) started"),
      Event("instance-resize_confirm-end.json", kModify, kEnd, kHostResources, "resize confirmation completed"),
      Event("instance-resize_confirm-start.json", kModify, kStart, kHostResources, "resize confirmation started"),
      Event("instance-resize_finish-end.json", kModify, kEnd, kHostResources, "resize finish completed"),
      Event("instance-resize_finish-start.json", kModify, kStart, kHostResources, "resize finish started"),
      Event("instance-resize_prep-end.json", kModify, kEnd, kHostResources, "resize preparation completed"),
      Event("instance-resize_prep-start.json", kModify, kStart, kHostResources, "resize preparation started"),
      Event("instance-resize_revert-start.json", kModify, kStart, kHostResources, "resize revert started"),
      Event("instance-restore-end.json", kModify, kEnd, kPowerState, "restore from soft deletion completed"),
      Event("instance-restore-start.json", kModify, kStart, kPowerState, "restore from soft deletion started"),
      Event("instance-resume-end.json", kModify, kEnd, kPowerState, "resume completed"),
      Event("instance-resume-start.json", kModify, kStart, kPowerState, "resume started"),
      Event("instance-share_attach-end.json", kModify, kEnd, kConfiguration, "share attachment completed"),
      Event("instance-share_attach-error.json", kModify, kFailed, kConfiguration, "share attachment failed: ShareAccessGrantError"),
      Event("instance-share_attach-start.json", kModify, kStart, kConfiguration, "share attachment started"),
      Event("instance-share_detach-end.json", kModify, kEnd, kConfiguration, "share detachment completed"),
      Event("instance-share_detach-error.json", kModify, kFailed, kConfiguration, "share detachment failed: ShareAccessRemovalError"),
      Event("instance-share_detach-start.json", kModify, kStart, kConfiguration, "share detachment started"),
      Event("instance-shelve-end.json", kModify, kEnd, kPowerState, "shelve completed"),
      Event("instance-shelve-start.json", kModify, kStart, kPowerState, "shelve started"),
      Event("instance-shelve_offload-start.json", kModify, kStart, kLocation, "shelve offload (removed from its host) started"),
      Event("instance-shutdown-end.json", kModify, kEnd, kPowerState, "guest shutdown completed"),
      Event("instance-shutdown-start.json", kModify, kStart, kPowerState, "guest shutdown started"),
      Event("instance-snapshot-end.json", kModify, kEnd, kOther, "snapshot (disk copied to an image) completed"),
      Event("instance-snapshot-start.json", kModify, kStart, kOther, "snapshot (disk copied to an image) started"),
      Event("instance-soft_delete-end.json", kModify, kEnd, kPowerState, "soft deletion (restorable) completed"),
      Event("instance-soft_delete-start.json", kModify, kStart, kPowerState, "soft deletion (restorable) started"),
      Event("instance-suspend-end.json", kModify, kEnd, kPowerState, "suspend completed"),
      Event("instance-suspend-start.json", kModify, kStart, kPowerState, "suspend started"),
      Event("instance-trigger_crash_dump-end.json", kCrash, kEnd, kOther, "crash dump triggered in the guest completed"),
      Event("instance-trigger_crash_dump-start.json", kCrash, kStart, kOther, "crash dump triggered in the guest started"),
      Event("instance-unlock.json", kModify, kEnd, kConfiguration, "instance unlocked"),
      Event("instance-unpause-end.json", kModify, kEnd, kPowerState, "unpause completed"),
      Event("instance-unpause-start.json", kModify, kStart, kPowerState, "unpause started"),
      Event("instance-unrescue-end.json", kModify, kEnd, kImageVersion, "unrescue completed"),
      Event("instance-unrescue-start.json", kModify, kStart, kImageVersion, "unrescue started"),
      Event("instance-unshelve-end.json", kModify, kEnd, kLocation, "unshelve (placed on a host) completed"),
      Event("instance-unshelve-start.json", kModify, kStart, kLocation, "unshelve (placed on a host) started"),
      Ignored("instance-update-tags-action.json", "without a failure or rename"),
      Ignored("instance-update.json", "without a failure or rename"),
      Event("instance-volume_attach-end.json", kModify, kEnd, kConfiguration, "volume attachment completed"),
      Event("instance-volume_attach-error.json", kModify, kFailed, kConfiguration, "volume attachment failed: CinderConnectionFailed"),
      Event("instance-volume_attach-start.json", kModify, kStart, kConfiguration, "volume attachment started"),
      Event("instance-volume_detach-end.json", kModify, kEnd, kConfiguration, "volume detachment completed"),
      Event("instance-volume_detach-start.json", kModify, kStart, kConfiguration, "volume detachment started"),
      Event("instance-volume_swap-end.json", kModify, kEnd, kConfiguration, "volume swap completed"),
      Event("instance-volume_swap-start.json", kModify, kStart, kConfiguration, "volume swap started"),
  };
  // clang-format on
  return *kTable;
}

}  // namespace nfvsm::amqp::testing
