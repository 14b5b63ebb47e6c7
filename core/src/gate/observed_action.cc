#include "nfvsm/observed_action.h"

#include <array>
#include <utility>

#include "nfvsm/gate.h"

namespace nfvsm {
namespace {

struct GatedAction {
  std::string_view stem;  // origin without its phase suffix
  OperationKind operation;
};

// What starts, places, rebuilds or re-creates an instance or a stack: the
// actions IFA026 clause 4 forbids on quarantined VNFs and that gated
// domains must authorize (issue #5: create, rebuild, power_on, unshelve,
// live migration, evacuation, Heat stack actions). The migration is judged
// on its source side's completion, so it counts once.
constexpr std::array kGatedActions = {
    GatedAction{"instance.create", OperationKind::kInstantiate},
    GatedAction{"instance.power_on", OperationKind::kRestart},
    GatedAction{"instance.reboot", OperationKind::kRestart},
    GatedAction{"instance.unpause", OperationKind::kRestart},
    GatedAction{"instance.resume", OperationKind::kRestart},
    GatedAction{"instance.restore", OperationKind::kRestart},
    GatedAction{"instance.unshelve", OperationKind::kRestart},
    GatedAction{"instance.unrescue", OperationKind::kRestart},
    GatedAction{"instance.rebuild", OperationKind::kHeal},
    GatedAction{"instance.evacuate", OperationKind::kHeal},
    GatedAction{"instance.live_migration_post", OperationKind::kMigrate},
    GatedAction{"instance.resize_finish", OperationKind::kMigrate},
    GatedAction{"compute.instance.create", OperationKind::kInstantiate},
    GatedAction{"compute.instance.power_on", OperationKind::kRestart},
    GatedAction{"compute.instance.rebuild", OperationKind::kHeal},
    GatedAction{"compute.instance.unshelve", OperationKind::kRestart},
    GatedAction{"compute.instance.live_migration._post",
                OperationKind::kMigrate},
    GatedAction{"orchestration.stack.create", OperationKind::kInstantiate},
    GatedAction{"orchestration.stack.update", OperationKind::kModify},
    GatedAction{"orchestration.stack.resume", OperationKind::kRestart},
};

std::string_view Stem(std::string_view origin) {
  for (std::string_view suffix : {".end", ".start", ".error"}) {
    if (origin.ends_with(suffix)) {
      return origin.substr(0, origin.size() - suffix.size());
    }
  }
  return origin;
}

}  // namespace

std::optional<OperationKind> GatedOperationOf(const LifecycleEvent& event) {
  if (event.phase != Phase::kEnd) return std::nullopt;
  const std::string_view stem = Stem(event.origin);
  for (const GatedAction& a : kGatedActions) {
    if (a.stem == stem) return a.operation;
  }
  return std::nullopt;
}

std::string_view ToString(ActionFinding f) {
  switch (f) {
    case ActionFinding::kNotAnAction:
      return "not_an_action";
    case ActionFinding::kNotGated:
      return "not_gated";
    case ActionFinding::kAuthorized:
      return "authorized";
    case ActionFinding::kUnauthorized:
      return "unauthorized";
    case ActionFinding::kQuarantined:
      return "quarantined";
  }
  return "unknown";
}

ActionCheck CheckObservedAction(
    const LifecycleEvent& event, const std::vector<GateRecord>& gates,
    bool domain_gated, const std::optional<QuarantineEntry>& quarantine,
    const ObservedActionOptions& options) {
  ActionCheck check;
  check.operation = GatedOperationOf(event);
  if (!check.operation) return check;
  const std::string what = std::string(Stem(event.origin)) + " of VNF '" +
                           event.vnf_id + "' (event " + event.id + ")";
  if (quarantine) {
    check.finding = ActionFinding::kQuarantined;
    check.description = what + " although SM '" + quarantine->by_sm +
                        "' quarantined it: " + quarantine->reason;
    return check;
  }
  if (!domain_gated) {
    check.finding = ActionFinding::kNotGated;
    return check;
  }
  const EventKind kind = EventKindFor(*check.operation);
  for (const GateRecord& g : gates) {
    if (!g.allowed || g.vnf_id != event.vnf_id) continue;
    if (EventKindFor(g.operation) != kind) continue;
    if (g.decided_at > event.occurred_at + options.skew) continue;
    if (g.decided_at + options.window < event.occurred_at) continue;
    check.finding = ActionFinding::kAuthorized;
    check.authorizing_gate_id = g.id;
    return check;
  }
  check.finding = ActionFinding::kUnauthorized;
  check.description =
      what + " with no allowed gate on record in domain '" + event.domain + "'";
  return check;
}

}  // namespace nfvsm
