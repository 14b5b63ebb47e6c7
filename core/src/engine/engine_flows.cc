// Engine: lifecycle events, gates and instructions.
#include <algorithm>
#include <set>
#include <utility>

#include "engine/engine_internal.h"
#include "nfvsm/engine.h"

namespace nfvsm {

using nlohmann::json;

namespace {

// The inventory state an event leaves a VNF in, if it changes it.
std::optional<VnfState> StateAfter(const LifecycleEvent& e) {
  if (e.phase != Phase::kEnd && e.kind != EventKind::kCrash) {
    return std::nullopt;
  }
  switch (e.kind) {
    case EventKind::kCreate:
      return VnfState::kActive;
    case EventKind::kTerminate:
      return VnfState::kTerminated;
    case EventKind::kCrash:
      return VnfState::kFailed;
    case EventKind::kModify:
      if (e.aspect == ModifyAspect::kPowerState) {
        auto it = e.details.find("power_state");
        if (it != e.details.end()) {
          return it->second == "running" ? VnfState::kActive
                                         : VnfState::kStopped;
        }
      }
      return std::nullopt;
  }
  return std::nullopt;
}

// The VNF record an event implies (a create event introduces the VNF).
VnfRecord RecordFromEvent(const LifecycleEvent& e,
                          const std::optional<VnfRecord>& prior,
                          TimePoint now) {
  VnfRecord v = prior.value_or(VnfRecord{});
  v.id = e.vnf_id;
  v.domain = e.domain;
  auto keep = [](std::string& field, const std::string& update) {
    if (!update.empty()) field = update;
  };
  keep(v.requestor_id, e.requestor_id);
  keep(v.ns_id, e.ns_id);
  keep(v.package_id, e.package_id);
  keep(v.vnfd_id, e.vnfd_id);
  keep(v.image_id, e.image_id);
  if (!e.intended_hosts.empty()) v.host = e.intended_hosts.front();
  if (!e.locations.empty()) v.zone = e.locations.front();
  if (auto it = e.details.find("host"); it != e.details.end()) {
    v.host = it->second;
  }
  if (auto state = StateAfter(e)) v.state = *state;
  if (!prior) v.created_at = e.occurred_at;
  v.updated_at = now;
  return v;
}

}  // namespace

Status Engine::Impl::CheckObserved(const LifecycleEvent& e,
                                   EventReceipt& receipt) {
  if (!GatedOperationOf(e)) return OkStatus();  // the common case: no query
  bool gated = false;
  std::vector<SmId> recipients;
  for (const Binding& b : bindings.BindingsOn(e.domain)) {
    gated = gated || b.mode != Mode::kPassive;
    recipients.push_back(b.sm);
  }
  for (const Delivery& d : receipt.deliveries) {
    if (std::find(recipients.begin(), recipients.end(), d.sm) ==
        recipients.end()) {
      recipients.push_back(d.sm);  // a master of a bound SM
    }
  }
  const ObservedActionOptions& o = options.observed_actions;
  NFVSM_ASSIGN_OR_RETURN(
      std::vector<GateRecord> gates,
      store->QueryGates(e.vnf_id, e.occurred_at - o.window,
                        e.occurred_at + o.skew + std::chrono::microseconds(1)));
  const ActionCheck check = CheckObservedAction(
      e, gates, gated,
      quarantine.Find(QuarantineTarget::kVnfInstance, e.vnf_id), o);
  if (check.finding != ActionFinding::kUnauthorized &&
      check.finding != ActionFinding::kQuarantined) {
    return OkStatus();
  }
  wire::SecurityAlert alert;
  alert.id = "observed:" + e.id;  // the same on redelivery: SMs dedupe
  alert.kind = check.finding == ActionFinding::kQuarantined
                   ? wire::SecurityAlertKind::kQuarantineViolationAttempt
                   : wire::SecurityAlertKind::kUnauthorizedLifecycleAction;
  alert.occurred_at = e.occurred_at;
  alert.vnf_id = e.vnf_id;
  alert.domain = e.domain;
  alert.source = e.source;
  alert.operation = check.operation;
  alert.description = check.description;
  alert.related_id = e.id;
  receipt.alert = std::move(alert);
  receipt.alert_recipients = std::move(recipients);
  return OkStatus();
}

StatusOr<EventReceipt> Engine::RecordEvent(const LifecycleEvent& in,
                                           EventValidation validation) {
  LifecycleEvent e = in;
  auto prior = impl_->inventory.Get(e.vnf_id);
  if (e.domain.empty() && prior) e.domain = prior->domain;
  NFVSM_RETURN_IF_ERROR(ValidateEvent(e, validation));
  if (e.domain.empty()) {
    return NotFoundError("event '" + e.id + "' is for VNF '" + e.vnf_id +
                         "', which is in no known trust domain");
  }
  if (!impl_->bindings.GetDomain(e.domain)) {
    return NotFoundError("event '" + e.id + "' names unknown domain '" +
                         e.domain + "'");
  }
  EventReceipt receipt;
  receipt.deliveries = impl_->bindings.Route(e.domain, e.kind);
  NFVSM_RETURN_IF_ERROR(impl_->CheckObserved(e, receipt));
  VnfRecord record = RecordFromEvent(e, prior, impl_->clock.Now());
  const json body = ToJson(e);
  Status s = impl_->Transaction([&]() -> Status {
    NFVSM_ASSIGN_OR_RETURN(bool inserted, impl_->store->AppendEvent(e));
    if (!inserted) {
      receipt.duplicate = true;  // redelivery: nothing new to record
      return OkStatus();
    }
    NFVSM_RETURN_IF_ERROR(impl_->store->PutVnf(record));
    NFVSM_RETURN_IF_ERROR(impl_->Audit(std::string(kManoPartition),
                                       "event.recorded", ToString(e.source),
                                       e.vnf_id, body));
    for (const auto& d : receipt.deliveries) {
      NFVSM_RETURN_IF_ERROR(impl_->Audit(PartitionFor(d.sm, e.domain),
                                         "event.delivered", "mano", e.vnf_id,
                                         json{{"event_id", e.id},
                                              {"kind", ToString(e.kind)},
                                              {"phase", ToString(e.phase)},
                                              {"via_master", d.via_master}}));
    }
    if (receipt.alert) {
      const json alert = {{"alert_id", receipt.alert->id},
                          {"event_id", e.id},
                          {"description", receipt.alert->description}};
      NFVSM_RETURN_IF_ERROR(impl_->Audit(std::string(kManoPartition),
                                         "security_alert.raised", "mano",
                                         e.vnf_id, alert));
      for (const SmId& sm : receipt.alert_recipients) {
        NFVSM_RETURN_IF_ERROR(impl_->Audit(PartitionFor(sm, e.domain),
                                           "security_alert.raised", "mano",
                                           e.vnf_id, alert));
      }
    }
    return OkStatus();
  });
  NFVSM_RETURN_IF_ERROR(s);
  if (!receipt.duplicate)
    NFVSM_RETURN_IF_ERROR(impl_->inventory.Upsert(record));
  receipt.event = std::move(e);
  return receipt;
}

Status Engine::StartGate(GateRequest req, GateEvaluator::DoneCallback done) {
  Impl* impl = impl_.get();
  GateRequest copy = req;
  return impl_->gates->Start(std::move(req), [impl, copy = std::move(copy),
                                              done = std::move(done)](
                                                 const GateDecision& decision) {
    Status s = impl->PersistDecision(decision, copy);
    if (s.ok()) {
      done(decision);
      return;
    }
    // An unrecorded allow would be an unaudited lifecycle action: fail
    // closed (R1.3.30).
    GateDecision denied = decision;
    denied.allowed = false;
    denied.reasons.push_back("decision could not be recorded: " + s.ToString());
    done(denied);
  });
}

Status Engine::Impl::PersistDecision(const GateDecision& d,
                                     const GateRequest& req) {
  RememberGate(d.gate_id, d.domain);
  GateRecord record;
  record.id = d.gate_id;
  record.vnf_id = d.vnf_id;
  record.domain = d.domain;
  record.operation = d.operation;
  record.allowed = d.allowed;
  record.requested_at = d.requested_at;
  record.decided_at = d.decided_at;
  json detail = ToJson(d);
  detail["source"] = ToString(req.source);
  detail["reason"] = req.reason;
  record.detail_json = detail.dump();
  return Transaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(store->AppendGate(record));
    NFVSM_RETURN_IF_ERROR(Audit(std::string(kManoPartition),
                                d.allowed ? "gate.allowed" : "gate.denied",
                                "mano", d.vnf_id, detail));
    for (const auto& sm : d.sms) {
      json b = {{"gate_id", d.gate_id},
                {"operation", ToString(d.operation)},
                {"participation", ToString(sm.participation)},
                {"overruled_by_master", sm.overruled_by_master},
                {"reason", sm.reason}};
      if (sm.verdict) {
        b["verdict"] = *sm.verdict == Verdict::kAllow ? "allow" : "deny";
      }
      NFVSM_RETURN_IF_ERROR(Audit(PartitionFor(sm.sm, d.domain),
                                  "gate.participation", sm.sm, d.vnf_id, b));
    }
    return OkStatus();
  });
}

void Engine::Impl::RememberGate(const std::string& gate_id,
                                const DomainId& domain) {
  std::lock_guard lock(recent_mu);
  if (recent_gate_domains.emplace(gate_id, domain).second) {
    recent_gate_order.push_back(gate_id);
  }
  while (recent_gate_order.size() > kRecentGates) {
    recent_gate_domains.erase(recent_gate_order.front());
    recent_gate_order.pop_front();
  }
}

std::optional<DomainId> Engine::Impl::RecentGateDomain(
    const std::string& gate_id) {
  std::lock_guard lock(recent_mu);
  auto it = recent_gate_domains.find(gate_id);
  if (it == recent_gate_domains.end()) return std::nullopt;
  return it->second;
}

void Engine::Impl::OnLateAnswer(const std::string& gate_id,
                                const SmAnswer& answer) {
  auto domain = RecentGateDomain(gate_id);
  std::string partition = domain && bindings.GetBinding(answer.sm, *domain)
                              ? PartitionFor(answer.sm, *domain)
                              : std::string(kManoPartition);
  json body = {
      {"gate_id", gate_id},
      {"verdict", answer.verdict == Verdict::kAllow ? "allow" : "deny"},
      {"reason", answer.reason},
      {"effect", "none: the gate was already decided"}};
  // Best effort: a late answer changes nothing, and the evaluator's thread
  // must not fail because the audit store is briefly unavailable.
  (void)Transaction([&] {
    return Audit(partition, "gate.late_answer", answer.sm, gate_id, body);
  });
}

Status Engine::OnGateAnswer(const std::string& gate_id,
                            const SmAnswer& answer) {
  return impl_->gates->OnAnswer(gate_id, answer);
}

size_t Engine::ExpireGates() { return impl_->gates->ExpireDue(); }

std::optional<TimePoint> Engine::NextGateDeadline() const {
  return impl_->gates->NextDeadline();
}

StatusOr<InstructionOutcome> Engine::HandleInstruction(const Instruction& in) {
  std::lock_guard lock(impl_->admin_mu);
  auto plan = impl_->instructions->Plan(in);
  if (!plan.ok()) {
    // Audit the refusal where the SM can later find it: its own partition
    // for the target's domain if it is bound there, else the MANO
    // partition (R2.1.90: it has no partition in a foreign domain).
    std::string partition(kManoPartition);
    for (const auto& vnf : in.vnf_ids) {
      auto domain = impl_->inventory.DomainOf(vnf);
      if (domain && impl_->bindings.GetBinding(in.sm, *domain)) {
        partition = PartitionFor(in.sm, *domain);
        break;
      }
    }
    json body = ToJson(in);
    body["refused"] = plan.status().ToString();
    NFVSM_RETURN_IF_ERROR(impl_->Transaction([&] {
      return impl_->Audit(partition, "instruction.refused", in.sm, in.id, body);
    }));
    return plan.status();
  }
  // Make the plan durable before anything happens: the quarantine entries
  // must survive a crash in the middle of actuation.
  NFVSM_RETURN_IF_ERROR(impl_->Transaction([&]() -> Status {
    for (const auto& q : plan->quarantine) {
      NFVSM_RETURN_IF_ERROR(impl_->store->PutQuarantine(q));
    }
    if (in.kind == InstructionKind::kApplyPolicy) {
      for (const auto& v : plan->targets) {
        NFVSM_RETURN_IF_ERROR(
            impl_->store->PutPolicy("vnf:" + v.id, PolicyToJson(in.policy)));
      }
    }
    json body = ToJson(in);
    body["steps"] = json::array();
    for (const auto& step : plan->steps) {
      body["steps"].push_back(std::string(ToString(step.kind)) + " " +
                              step.target);
    }
    body["skipped"] = plan->skipped;
    for (const auto& domain : plan->domains) {
      NFVSM_RETURN_IF_ERROR(impl_->Audit(PartitionFor(in.sm, domain),
                                         "instruction.accepted", in.sm, in.id,
                                         body));
    }
    return OkStatus();
  }));
  InstructionOutcome outcome = impl_->instructions->Execute(*plan);
  NFVSM_RETURN_IF_ERROR(impl_->Transaction([&]() -> Status {
    for (const auto& target : plan->targets) {
      if (auto v = impl_->inventory.Get(target.id)) {
        NFVSM_RETURN_IF_ERROR(impl_->store->PutVnf(*v));
      }
    }
    if (in.kind == InstructionKind::kReleaseQuarantine && outcome.status.ok()) {
      NFVSM_RETURN_IF_ERROR(
          impl_->store->DeleteQuarantine(in.release_target, in.release_id));
    }
    json body = {{"status", outcome.status.ToString()},
                 {"done", outcome.done},
                 {"failed", outcome.failed},
                 {"status_list_size", outcome.status_list.size()},
                 {"history_size", outcome.history.size()}};
    for (const auto& domain : plan->domains) {
      NFVSM_RETURN_IF_ERROR(impl_->Audit(PartitionFor(in.sm, domain),
                                         "instruction.executed", in.sm, in.id,
                                         body));
    }
    return OkStatus();
  }));
  return outcome;
}

}  // namespace nfvsm
