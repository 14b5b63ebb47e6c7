// Heat and Neutron notifications (the legacy, unversioned payloads) ->
// LifecycleEvents. The mapping is documented in docs/bus.md.
#include <array>
#include <optional>
#include <string>
#include <string_view>

#include "json_util.h"
#include "translation_internal.h"
#include "url_codec.h"

namespace nfvsm::amqp::internal {
namespace {

using nlohmann::json;

struct StackAction {
  std::string_view action;
  EventKind kind;
  ModifyAspect aspect;
  std::string_view what;
};

// clang-format off
constexpr std::array kStackActions = {
    StackAction{"create", EventKind::kCreate, ModifyAspect::kOther, "stack creation"},
    StackAction{"delete", EventKind::kTerminate, ModifyAspect::kOther, "stack deletion"},
    StackAction{"update", EventKind::kModify, ModifyAspect::kConfiguration, "stack update"},
    StackAction{"rollback", EventKind::kModify, ModifyAspect::kConfiguration, "stack rollback"},
    StackAction{"restore", EventKind::kModify, ModifyAspect::kConfiguration, "stack restore from snapshot"},
    StackAction{"adopt", EventKind::kModify, ModifyAspect::kConfiguration, "stack adoption"},
    StackAction{"suspend", EventKind::kModify, ModifyAspect::kPowerState, "stack suspension"},
    StackAction{"resume", EventKind::kModify, ModifyAspect::kPowerState, "stack resumption"},
    StackAction{"snapshot", EventKind::kModify, ModifyAspect::kOther, "stack snapshot"},
};
// clang-format on

// "arn:openstack:heat::<tenant>:stacks/<name>/<id>" -> "<id>".
std::optional<std::string> StackIdFromArn(std::string_view arn) {
  const size_t stacks = arn.find(":stacks/");
  if (stacks == std::string_view::npos) return std::nullopt;
  std::string_view path = arn.substr(stacks + 8);
  const size_t slash = path.rfind('/');
  if (slash == std::string_view::npos || slash + 1 == path.size()) {
    return std::nullopt;
  }
  return std::string(path.substr(slash + 1));
}

LifecycleEvent Template(const Notification& n, EventKind kind,
                        ModifyAspect aspect, Phase phase) {
  LifecycleEvent e;
  e.kind = kind;
  e.aspect = kind == EventKind::kModify ? aspect : ModifyAspect::kOther;
  e.phase = phase;
  // Heat and Neutron are the VIM's orchestration and networking here.
  e.source = EventSource::kVim;
  PutDetail(e, "publisher_id", n.publisher_id);
  PutDetail(e, "priority", n.priority);
  return e;
}

Status CopyStrings(
    LifecycleEvent& e, const json& obj, std::string_view path,
    std::initializer_list<std::pair<std::string_view, std::string_view>>
        fields) {
  for (const auto& [field, key] : fields) {
    NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> v,
                           OptionalString(obj, field, path, true));
    PutDetail(e, key, v);
  }
  return OkStatus();
}

// Joins the string fields `key` of a list of objects (fixed_ips) or the
// strings of a list (security_groups).
StatusOr<std::string> JoinList(const json& obj, std::string_view list,
                               std::string_view key) {
  const auto it = obj.find(list);
  if (it == obj.end() || it->is_null()) return std::string();
  if (!it->is_array()) {
    return InvalidArgumentError("payload.port." + std::string(list) +
                                " is not a list");
  }
  std::string out;
  for (const json& item : *it) {
    std::optional<std::string> v;
    if (key.empty()) {
      if (item.is_string()) v = item.get<std::string>();
    } else {
      NFVSM_ASSIGN_OR_RETURN(v, OptionalString(item, key, list));
    }
    if (v && !v->empty()) out += (out.empty() ? "" : ",") + *v;
  }
  return out;
}

}  // namespace

StatusOr<Translation> TranslateHeat(const Notification& n,
                                    const VnfResolver& resolver) {
  const SplitType type = SplitEventType(n.event_type);
  const std::string_view action =
      type.base.substr(std::string_view("orchestration.stack.").size());
  const StackAction* match = nullptr;
  for (const StackAction& a : kStackActions) {
    if (a.action == action) match = &a;
  }
  if (match == nullptr) {
    return NotRelevant("stack action not translated by nfvsm");
  }
  if (!n.payload.is_object()) {
    return InvalidArgumentError(Printable(n.event_type) +
                                ": payload is not an object");
  }
  NFVSM_ASSIGN_OR_RETURN(
      std::optional<std::string> arn,
      OptionalString(n.payload, "stack_identity", "payload"));
  const std::optional<std::string> stack_id =
      arn ? StackIdFromArn(*arn) : std::nullopt;
  if (!stack_id) {
    return InvalidArgumentError(Printable(n.event_type) +
                                ": payload.stack_identity is not a stack ARN");
  }
  LifecycleEvent e = Template(n, match->kind, match->aspect, type.phase);
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> state_reason,
                         OptionalString(n.payload, "state_reason", "payload"));
  e.reason = PhaseReason(
      match->what, type,
      type.phase == Phase::kFailed ? state_reason.value_or("") : std::string());
  PutDetail(e, "stack_id", stack_id);
  NFVSM_RETURN_IF_ERROR(CopyStrings(e, n.payload, "payload",
                                    {{"stack_name", "stack_name"},
                                     {"tenant_id", "project_id"},
                                     {"user_id", "user_id"},
                                     {"state", "state"},
                                     {"state_reason", "state_reason"}}));
  return Emit(n, e, resolver, ResourceKind::kHeatStack, *stack_id,
              "stack realizes no known VNF");
}

StatusOr<Translation> TranslateNeutron(const Notification& n,
                                       const VnfResolver& resolver) {
  const SplitType type = SplitEventType(n.event_type);
  const std::string_view action =
      type.base.substr(std::string_view("port.").size());
  std::string_view what;
  if (action == "create") {
    what = "port creation";
  } else if (action == "update") {
    what = "port update";
  } else if (action == "delete") {
    what = "port deletion";
  } else {
    return NotRelevant("port action not translated by nfvsm");
  }
  if (!n.payload.is_object()) {
    return InvalidArgumentError(Printable(n.event_type) +
                                ": payload is not an object");
  }
  NFVSM_ASSIGN_OR_RETURN(const json* port,
                         OptionalObject(n.payload, "port", "payload"));
  if (port == nullptr) {
    return NotRelevant("port notification names no device (no port body)");
  }
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> owner,
                         OptionalString(*port, "device_owner", "payload.port"));
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> device,
                         OptionalString(*port, "device_id", "payload.port"));
  if (!owner || !owner->starts_with("compute:") || !device || device->empty()) {
    return NotRelevant("port is not attached to a Nova instance");
  }
  LifecycleEvent e =
      Template(n, EventKind::kModify, ModifyAspect::kPeering, type.phase);
  e.reason = PhaseReason(what, type, "");
  NFVSM_ASSIGN_OR_RETURN(std::optional<std::string> port_id,
                         OptionalString(*port, "id", "payload.port"));
  if (!port_id) {
    NFVSM_ASSIGN_OR_RETURN(port_id,
                           OptionalString(n.payload, "port_id", "payload"));
  }
  if (port_id && !port_id->empty()) e.connectivity.push_back(*port_id);
  PutDetail(e, "port_id", port_id);
  NFVSM_RETURN_IF_ERROR(
      CopyStrings(e, *port, "payload.port",
                  {{"network_id", "network_id"},
                   {"mac_address", "mac_address"},
                   {"device_owner", "device_owner"},
                   {"status", "port_status"},
                   {"binding:host_id", "host"},
                   {"port_security_enabled", "port_security_enabled"},
                   {"tenant_id", "project_id"}}));
  NFVSM_ASSIGN_OR_RETURN(std::string ips,
                         JoinList(*port, "fixed_ips", "ip_address"));
  PutDetail(e, "ip_addresses", ips);
  NFVSM_ASSIGN_OR_RETURN(std::string groups,
                         JoinList(*port, "security_groups", ""));
  PutDetail(e, "security_groups", groups);
  return Emit(n, e, resolver, ResourceKind::kNovaInstance, *device,
              "instance is not a known VNF");
}

}  // namespace nfvsm::amqp::internal
