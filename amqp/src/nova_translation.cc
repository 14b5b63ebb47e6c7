// Nova versioned notifications -> LifecycleEvents. The mapping table is
// documented in docs/bus.md; keep the two in step.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "json_util.h"
#include "translation_internal.h"
#include "url_codec.h"

namespace nfvsm::amqp::internal {
namespace {

using nlohmann::json;

struct NovaAction {
  std::string_view action;  // between "instance." and the phase
  EventKind kind;
  ModifyAspect aspect;
  std::string_view what;  // reason stem
};

// clang-format off
constexpr std::array kNovaActions = {
    NovaAction{"create", EventKind::kCreate, ModifyAspect::kOther, "instance creation"},
    NovaAction{"delete", EventKind::kTerminate, ModifyAspect::kOther, "instance deletion"},
    NovaAction{"soft_delete", EventKind::kModify, ModifyAspect::kPowerState, "soft deletion (restorable)"},
    NovaAction{"restore", EventKind::kModify, ModifyAspect::kPowerState, "restore from soft deletion"},
    NovaAction{"shutdown", EventKind::kModify, ModifyAspect::kPowerState, "guest shutdown"},
    NovaAction{"power_off", EventKind::kModify, ModifyAspect::kPowerState, "power off"},
    NovaAction{"power_on", EventKind::kModify, ModifyAspect::kPowerState, "power on"},
    NovaAction{"reboot", EventKind::kModify, ModifyAspect::kPowerState, "reboot"},
    NovaAction{"pause", EventKind::kModify, ModifyAspect::kPowerState, "pause"},
    NovaAction{"unpause", EventKind::kModify, ModifyAspect::kPowerState, "unpause"},
    NovaAction{"suspend", EventKind::kModify, ModifyAspect::kPowerState, "suspend"},
    NovaAction{"resume", EventKind::kModify, ModifyAspect::kPowerState, "resume"},
    NovaAction{"shelve", EventKind::kModify, ModifyAspect::kPowerState, "shelve"},
    NovaAction{"shelve_offload", EventKind::kModify, ModifyAspect::kLocation, "shelve offload (removed from its host)"},
    NovaAction{"unshelve", EventKind::kModify, ModifyAspect::kLocation, "unshelve (placed on a host)"},
    NovaAction{"rebuild", EventKind::kModify, ModifyAspect::kImageVersion, "rebuild"},
    NovaAction{"rebuild_scheduled", EventKind::kModify, ModifyAspect::kImageVersion, "rebuild scheduled"},
    NovaAction{"rescue", EventKind::kModify, ModifyAspect::kImageVersion, "rescue (boot from a rescue image)"},
    NovaAction{"unrescue", EventKind::kModify, ModifyAspect::kImageVersion, "unrescue"},
    NovaAction{"resize", EventKind::kModify, ModifyAspect::kHostResources, "resize (migration)"},
    NovaAction{"resize_prep", EventKind::kModify, ModifyAspect::kHostResources, "resize preparation"},
    NovaAction{"resize_finish", EventKind::kModify, ModifyAspect::kHostResources, "resize finish"},
    NovaAction{"resize_confirm", EventKind::kModify, ModifyAspect::kHostResources, "resize confirmation"},
    NovaAction{"resize_revert", EventKind::kModify, ModifyAspect::kHostResources, "resize revert"},
    NovaAction{"live_migration_pre", EventKind::kModify, ModifyAspect::kLocation, "live migration preparation on the destination"},
    NovaAction{"live_migration_post", EventKind::kModify, ModifyAspect::kLocation, "live migration completion on the source"},
    NovaAction{"live_migration_post_dest", EventKind::kModify, ModifyAspect::kLocation, "live migration completion on the destination"},
    NovaAction{"live_migration_rollback", EventKind::kModify, ModifyAspect::kLocation, "live migration rollback"},
    NovaAction{"live_migration_rollback_dest", EventKind::kModify, ModifyAspect::kLocation, "live migration rollback on the destination"},
    NovaAction{"live_migration_abort", EventKind::kModify, ModifyAspect::kLocation, "live migration abort"},
    NovaAction{"live_migration_force_complete", EventKind::kModify, ModifyAspect::kLocation, "live migration forced completion"},
    NovaAction{"evacuate", EventKind::kModify, ModifyAspect::kLocation, "evacuation to another host"},
    NovaAction{"lock", EventKind::kModify, ModifyAspect::kConfiguration, "instance locked"},
    NovaAction{"unlock", EventKind::kModify, ModifyAspect::kConfiguration, "instance unlocked"},
    NovaAction{"interface_attach", EventKind::kModify, ModifyAspect::kPeering, "network interface attachment"},
    NovaAction{"interface_detach", EventKind::kModify, ModifyAspect::kPeering, "network interface detachment"},
    NovaAction{"volume_attach", EventKind::kModify, ModifyAspect::kConfiguration, "volume attachment"},
    NovaAction{"volume_detach", EventKind::kModify, ModifyAspect::kConfiguration, "volume detachment"},
    NovaAction{"volume_swap", EventKind::kModify, ModifyAspect::kConfiguration, "volume swap"},
    NovaAction{"share_attach", EventKind::kModify, ModifyAspect::kConfiguration, "share attachment"},
    NovaAction{"share_detach", EventKind::kModify, ModifyAspect::kConfiguration, "share detachment"},
    NovaAction{"snapshot", EventKind::kModify, ModifyAspect::kOther, "snapshot (disk copied to an image)"},
    NovaAction{"trigger_crash_dump", EventKind::kCrash, ModifyAspect::kOther, "crash dump triggered in the guest"},
};
// clang-format on

// compute_task.<op>.error: the conductor failed an operation before a
// compute host took it (no valid host, ...).
struct ComputeTask {
  std::string_view op;
  EventKind kind;
  ModifyAspect aspect;
  std::string_view what;
};
constexpr std::array kComputeTasks = {
    ComputeTask{"build_instances", EventKind::kCreate, ModifyAspect::kOther,
                "instance build scheduling"},
    ComputeTask{"migrate_server", EventKind::kModify, ModifyAspect::kLocation,
                "migration scheduling"},
    ComputeTask{"rebuild_server", EventKind::kModify,
                ModifyAspect::kImageVersion, "rebuild scheduling"},
};

// The versioned object's fields: payload["nova_object.data"].
StatusOr<const json*> ObjectData(const json& object, std::string_view path) {
  if (!object.is_object()) {
    return InvalidArgumentError(std::string(path) + " is not a nova object");
  }
  NFVSM_ASSIGN_OR_RETURN(const json* data,
                         OptionalObject(object, "nova_object.data", path));
  if (data == nullptr) {
    return InvalidArgumentError(std::string(path) + " has no nova_object.data");
  }
  return data;
}

// Copies string-ish fields of a versioned object into details.
Status CopyFields(
    LifecycleEvent& e, const json& data, std::string_view path,
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        fields) {
  for (const auto& [field, key] : fields) {
    NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> v,
                           OptionalString(data, field, path, true));
    PutDetail(e, key, v);
  }
  return OkStatus();
}

// "<Exception>: <message>" of an ExceptionPayload, or "" when absent.
StatusOr<std::string> Fault(const json& data, std::string_view key,
                            std::string_view path) {
  NFVSM_ASSIGN_OR_RETURN(const json* fault, OptionalObject(data, key, path));
  if (fault == nullptr) return std::string();
  NFVSM_ASSIGN_OR_RETURN(const json* f, ObjectData(*fault, "payload.fault"));
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> exception,
                         OptionalString(*f, "exception", "payload.fault"));
  NFVSM_ASSIGN_OR_RETURN(
      std::optional<std::string> message,
      OptionalString(*f, "exception_message", "payload.fault"));
  std::string out = exception.value_or("unknown fault");
  if (message && !message->empty()) out += ": " + *message;
  return Cut(out);
}

Status CopyFlavor(LifecycleEvent& e, const json& data, std::string_view key,
                  std::string_view prefix) {
  NFVSM_ASSIGN_OR_RETURN(const json* flavor,
                         OptionalObject(data, key, "payload"));
  if (flavor == nullptr) return OkStatus();
  NFVSM_ASSIGN_OR_RETURN(const json* f, ObjectData(*flavor, "payload.flavor"));
  const std::string p(prefix);
  return CopyFields(e, *f, "payload.flavor",
                    {{"flavorid", p + "flavor_id"},
                     {"name", p + "flavor_name"},
                     {"vcpus", p + "vcpus"},
                     {"memory_mb", p + "memory_mb"},
                     {"root_gb", p + "root_gb"},
                     {"ephemeral_gb", p + "ephemeral_gb"}});
}

// Ports and addresses of the instance (ip_addresses: IpPayload list).
Status CopyAddresses(LifecycleEvent& e, const json& data, bool connectivity) {
  const auto it = data.find("ip_addresses");
  if (it == data.end() || it->is_null()) return OkStatus();
  if (!it->is_array()) {
    return InvalidArgumentError("payload.ip_addresses is not a list");
  }
  std::string ports;
  std::string addresses;
  for (const json& ip : *it) {
    NFVSM_ASSIGN_OR_RETURN(const json* d,
                           ObjectData(ip, "payload.ip_addresses[]"));
    NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> port,
                           OptionalString(*d, "port_uuid", "ip_addresses[]"));
    NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> address,
                           OptionalString(*d, "address", "ip_addresses[]"));
    if (port && !port->empty()) {
      if (connectivity) e.connectivity.push_back(*port);
      ports += (ports.empty() ? "" : ",") + *port;
    }
    if (address && !address->empty()) {
      addresses += (addresses.empty() ? "" : ",") + *address;
    }
  }
  PutDetail(e, "ports", ports);
  PutDetail(e, "ip_addresses", addresses);
  return OkStatus();
}

// Fields every instance notification carries (InstancePayload).
Status CopyInstance(LifecycleEvent& e, const json& data) {
  NFVSM_RETURN_IF_ERROR(
      CopyFields(e, data, "payload",
                 {{"state", "state"},
                  {"task_state", "task_state"},
                  {"power_state", "power_state"},
                  {"host", "host"},
                  {"node", "node"},
                  {"availability_zone", "availability_zone"},
                  {"tenant_id", "project_id"},
                  {"user_id", "user_id"},
                  {"display_name", "display_name"},
                  {"request_id", "request_id"},
                  {"action_initiator_user", "initiator_user"},
                  {"action_initiator_project", "initiator_project"},
                  {"locked", "locked"},
                  {"locked_reason", "locked_reason"},
                  {"volume_id", "volume_id"},
                  {"old_volume_id", "old_volume_id"},
                  {"new_volume_id", "new_volume_id"},
                  {"share_id", "share_id"},
                  {"snapshot_image_id", "snapshot_image_id"},
                  {"rescue_image_ref", "rescue_image_ref"},
                  {"old_display_name", "old_display_name"}}));
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> image,
                         OptionalString(data, "image_uuid", "payload"));
  if (image) e.image_id = *image;
  NFVSM_RETURN_IF_ERROR(CopyFlavor(e, data, "flavor", ""));
  NFVSM_RETURN_IF_ERROR(CopyFlavor(e, data, "new_flavor", "new_"));
  const bool connectivity =
      e.kind == EventKind::kCreate || e.aspect == ModifyAspect::kPeering;
  return CopyAddresses(e, data, connectivity);
}

LifecycleEvent Template(const Notification& n, EventKind kind,
                        ModifyAspect aspect, Phase phase) {
  LifecycleEvent e;
  e.kind = kind;
  e.aspect = kind == EventKind::kModify ? aspect : ModifyAspect::kOther;
  e.phase = phase;
  e.source = EventSource::kVim;
  PutDetail(e, "publisher_id", n.publisher_id);
  PutDetail(e, "priority", n.priority);
  return e;
}

StatusOr<std::string> InstanceUuid(const json& data, std::string_view field) {
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> uuid,
                         OptionalString(data, field, "payload"));
  if (!uuid || uuid->empty()) {
    return InvalidArgumentError("payload has no instance " +
                                std::string(field));
  }
  return *uuid;
}

// instance.update: Nova's catch-all state report. Only transitions into a
// failed state and renames are events nfvsm tracks; the action
// notifications carry the rest.
StatusOr<Translation> TranslateUpdate(const Notification& n, const json& data,
                                      const VnfResolver& resolver,
                                      const std::string& uuid) {
  NFVSM_ASSIGN_OR_RETURN(const json* update,
                         OptionalObject(data, "state_update", "payload"));
  std::optional<std::string> old_state;
  std::optional<std::string> state;
  if (update != nullptr) {
    NFVSM_ASSIGN_OR_RETURN(const json* u,
                           ObjectData(*update, "payload.state_update"));
    NFVSM_ASSIGN_OR_RETURN(old_state,
                           OptionalString(*u, "old_state", "state_update"));
    NFVSM_ASSIGN_OR_RETURN(state, OptionalString(*u, "state", "state_update"));
  }
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> power,
                         OptionalString(data, "power_state", "payload"));
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> name,
                         OptionalString(data, "display_name", "payload"));
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> old_name,
                         OptionalString(data, "old_display_name", "payload"));
  LifecycleEvent e;
  if ((state == "error" && old_state != "error") || power == "crashed") {
    e = Template(n, EventKind::kCrash, ModifyAspect::kOther, Phase::kEnd);
    e.reason = power == "crashed" ? "instance crashed (power state crashed)"
                                  : "instance went into the error state";
  } else if (old_name && name && *old_name != *name) {
    e = Template(n, EventKind::kModify, ModifyAspect::kIdentification,
                 Phase::kEnd);
    e.reason = "instance renamed";
  } else {
    return NotRelevant(
        "instance.update without a failure or rename (the action "
        "notifications carry the lifecycle)");
  }
  NFVSM_RETURN_IF_ERROR(CopyInstance(e, data));
  PutDetail(e, "old_state", old_state);
  return Emit(n, e, resolver, ResourceKind::kNovaInstance, uuid,
              "instance is not a known VNF");
}

StatusOr<Translation> TranslateComputeTask(const Notification& n,
                                           const VnfResolver& resolver) {
  const SplitType type = SplitEventType(n.event_type);
  const std::string_view op = type.base.substr(type.base.find('.') + 1);
  const ComputeTask* task = nullptr;
  for (const ComputeTask& t : kComputeTasks) {
    if (t.op == op) task = &t;
  }
  if (task == nullptr || type.phase != Phase::kFailed) {
    return NotRelevant("compute task not translated by nfvsm");
  }
  NFVSM_ASSIGN_OR_RETURN(const json* data, ObjectData(n.payload, "payload"));
  NFVSM_ASSIGN_OR_RETURN(std::string uuid,
                         InstanceUuid(*data, "instance_uuid"));
  NFVSM_ASSIGN_OR_RETURN(std::string fault, Fault(*data, "reason", "payload"));
  LifecycleEvent e = Template(n, task->kind, task->aspect, Phase::kFailed);
  e.reason = PhaseReason(task->what, type, fault);
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> state,
                         OptionalString(*data, "state", "payload"));
  PutDetail(e, "state", state);
  return Emit(n, e, resolver, ResourceKind::kNovaInstance, uuid,
              "instance is not a known VNF");
}

}  // namespace

StatusOr<Translation> TranslateNova(const Notification& n,
                                    const VnfResolver& resolver) {
  if (n.event_type.starts_with("compute_task.")) {
    return TranslateComputeTask(n, resolver);
  }
  const SplitType type = SplitEventType(n.event_type);
  const std::string_view action =
      type.base.substr(std::string_view("instance.").size());
  if (action == "exists") {
    return NotRelevant("periodic usage audit, not a lifecycle change");
  }
  const NovaAction* match = nullptr;
  for (const NovaAction& a : kNovaActions) {
    if (a.action == action) match = &a;
  }
  if (match == nullptr && action != "update") {
    return NotRelevant("instance action not translated by nfvsm");
  }
  NFVSM_ASSIGN_OR_RETURN(const json* data, ObjectData(n.payload, "payload"));
  NFVSM_ASSIGN_OR_RETURN(std::string uuid, InstanceUuid(*data, "uuid"));
  if (match == nullptr) return TranslateUpdate(n, *data, resolver, uuid);

  LifecycleEvent e = Template(n, match->kind, match->aspect, type.phase);
  NFVSM_ASSIGN_OR_RETURN(std::string fault, Fault(*data, "fault", "payload"));
  e.reason = PhaseReason(match->what, type, fault);
  if (match->action == "lock") {
    NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> why,
                           OptionalString(*data, "locked_reason", "payload"));
    if (why && !why->empty()) e.reason = Cut(e.reason + ": " + *why);
  }
  if (match->action == "rebuild_scheduled") e.phase = Phase::kStart;
  NFVSM_RETURN_IF_ERROR(CopyInstance(e, *data));
  PutDetail(e, "fault", fault);
  if (e.kind == EventKind::kCreate) {
    const auto host = e.details.find("host");
    if (host != e.details.end()) e.intended_hosts.push_back(host->second);
    const auto zone = e.details.find("availability_zone");
    if (zone != e.details.end()) e.locations.push_back(zone->second);
  }
  return Emit(n, e, resolver, ResourceKind::kNovaInstance, uuid,
              "instance is not a known VNF");
}

}  // namespace nfvsm::amqp::internal
