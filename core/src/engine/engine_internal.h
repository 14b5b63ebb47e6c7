// Engine internals shared by engine.cc (open, admin) and engine_flows.cc
// (events, gates, instructions).
#ifndef NFVSM_ENGINE_ENGINE_INTERNAL_H_
#define NFVSM_ENGINE_ENGINE_INTERNAL_H_

#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <nlohmann/json.hpp>
#include <string>
#include <unordered_map>

#include "nfvsm/engine.h"

namespace nfvsm {

struct Engine::Impl {
  Impl(EngineOptions opts, std::unique_ptr<Store> s, SmTransport& t,
       Actuator& a, const Clock& c)
      : options(std::move(opts)),
        clock(c),
        store(std::move(s)),
        transport(t),
        actuator(a) {}

  EngineOptions options;
  const Clock& clock;
  std::unique_ptr<Store> store;
  std::unique_ptr<AuditLog> audit;
  BindingTable bindings;
  VnfInventory inventory;
  QuarantineRegistry quarantine;
  SmTransport& transport;
  Actuator& actuator;
  std::unique_ptr<GateEvaluator> gates;
  std::unique_ptr<InstructionProcessor> instructions;

  // Serializes admin changes and instruction commits so that the store and
  // the in-memory registries change in the same order.
  std::mutex admin_mu;

  // Domains of recently decided gates, so a late answer can be audited in
  // the answering SM's partition. Bounded: the oldest entries go first.
  std::mutex recent_mu;
  std::unordered_map<std::string, DomainId> recent_gate_domains;
  std::deque<std::string> recent_gate_order;
  static constexpr size_t kRecentGates = 65'536;

  Status LoadState();
  // Store::InTransaction that also drops the audit log's cached chain heads
  // when the transaction rolls back (the records it appended are gone).
  Status Transaction(const std::function<Status()>& fn);
  // Applies `mutate` to the in-memory registry (which validates), then
  // persists with `persist` and an audit record in one transaction; if that
  // fails, `undo` restores the registry. Callers hold admin_mu.
  Status AdminChange(std::string_view kind, const std::string& actor,
                     const std::string& subject, const nlohmann::json& body,
                     const std::function<Status()>& mutate,
                     const std::function<Status()>& persist,
                     const std::function<void()>& undo);
  Status Audit(const std::string& partition, std::string_view kind,
               std::string_view actor, std::string_view subject,
               const nlohmann::json& body);
  Status PersistDecision(const GateDecision& d, const GateRequest& req);
  void RememberGate(const std::string& gate_id, const DomainId& domain);
  std::optional<DomainId> RecentGateDomain(const std::string& gate_id);
  void OnLateAnswer(const std::string& gate_id, const SmAnswer& answer);
  // Compares an observed action with the gates on record and fills the
  // receipt's alert and its recipients (observed_action.h). Store errors
  // only.
  Status CheckObserved(const LifecycleEvent& e, EventReceipt& receipt);
};

// JSON renderings used in audit bodies and gate records.
nlohmann::json ToJson(const GateDecision& d);
nlohmann::json ToJson(const Instruction& in);
nlohmann::json ToJson(const LifecycleEvent& e);

}  // namespace nfvsm

#endif  // NFVSM_ENGINE_ENGINE_INTERNAL_H_
