// Engine: opening, state loading and administration.
#include "nfvsm/engine.h"

#include <algorithm>
#include <utility>

#include "engine/engine_internal.h"

namespace nfvsm {

using nlohmann::json;

StatusOr<std::unique_ptr<Engine>> Engine::Open(EngineOptions options,
                                               SmTransport& transport,
                                               Actuator& actuator) {
  const Clock& clock = options.clock ? *options.clock : SystemClock();
  NFVSM_ASSIGN_OR_RETURN(auto store,
                         OpenSqliteStore(options.store_path, options.sqlite));
  auto impl = std::make_unique<Impl>(std::move(options), std::move(store),
                                     transport, actuator, clock);
  NFVSM_ASSIGN_OR_RETURN(
      impl->audit,
      AuditLog::Create(*impl->store, std::move(impl->options.audit_keys),
                       clock));
  NFVSM_RETURN_IF_ERROR(impl->LoadState());
  Impl* raw = impl.get();
  impl->gates = std::make_unique<GateEvaluator>(
      impl->bindings, impl->inventory, impl->quarantine, transport, clock);
  impl->gates->SetLateAnswerHandler(
      [raw](const std::string& gate_id, const SmAnswer& answer) {
        raw->OnLateAnswer(gate_id, answer);
      });
  Store* store_ptr = impl->store.get();
  impl->instructions = std::make_unique<InstructionProcessor>(
      impl->bindings, impl->inventory, impl->quarantine, actuator,
      [store_ptr](const EventQuery& q) { return store_ptr->QueryEvents(q); },
      clock);
  return std::unique_ptr<Engine>(new Engine(std::move(impl)));
}

Engine::Engine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Engine::~Engine() = default;

// Masters must be registered before their sub-SMs, whatever order the store
// returns them in.
static std::vector<SecurityManager> MastersFirst(
    std::vector<SecurityManager> sms) {
  std::vector<SecurityManager> ordered;
  std::set<SmId> placed;
  while (!sms.empty()) {
    auto ready = std::stable_partition(
        sms.begin(), sms.end(), [&](const SecurityManager& sm) {
          return sm.master.has_value() && !placed.contains(*sm.master);
        });
    if (ready == sms.end()) {
      // Left over: masters that are not stored. Registering them fails
      // below with a clear error rather than looping here.
      ordered.insert(ordered.end(), sms.begin(), sms.end());
      break;
    }
    for (auto it = ready; it != sms.end(); ++it) {
      placed.insert(it->id);
      ordered.push_back(*it);
    }
    sms.erase(ready, sms.end());
  }
  return ordered;
}

Status Engine::Impl::LoadState() {
  NFVSM_ASSIGN_OR_RETURN(auto domains, store->LoadDomains());
  for (const auto& d : domains) NFVSM_RETURN_IF_ERROR(bindings.PutDomain(d));
  NFVSM_ASSIGN_OR_RETURN(auto sms, store->LoadSms());
  for (const auto& sm : MastersFirst(std::move(sms))) {
    NFVSM_RETURN_IF_ERROR(bindings.PutSm(sm));
  }
  NFVSM_ASSIGN_OR_RETURN(auto bs, store->LoadBindings());
  for (const auto& b : bs) NFVSM_RETURN_IF_ERROR(bindings.PutBinding(b));
  NFVSM_ASSIGN_OR_RETURN(auto vnfs, store->LoadVnfs());
  for (const auto& v : vnfs) NFVSM_RETURN_IF_ERROR(inventory.Upsert(v));
  NFVSM_ASSIGN_OR_RETURN(auto entries, store->LoadQuarantine());
  for (const auto& q : entries) NFVSM_RETURN_IF_ERROR(quarantine.Add(q));
  return OkStatus();
}

Status Engine::Impl::Transaction(const std::function<Status()>& fn) {
  Status s = store->InTransaction(fn);
  if (!s.ok()) audit->ForgetCachedHeads();
  return s;
}

Status Engine::Impl::Audit(const std::string& partition, std::string_view kind,
                           std::string_view actor, std::string_view subject,
                           const json& body) {
  auto rec = audit->Append(partition, kind, actor, subject, body.dump());
  return rec.ok() ? OkStatus() : rec.status();
}

Status Engine::Impl::AdminChange(std::string_view kind,
                                 const std::string& actor,
                                 const std::string& subject, const json& body,
                                 const std::function<Status()>& mutate,
                                 const std::function<Status()>& persist,
                                 const std::function<void()>& undo) {
  NFVSM_RETURN_IF_ERROR(mutate());
  Status s = Transaction([&]() -> Status {
    NFVSM_RETURN_IF_ERROR(persist());
    return Audit(std::string(kManoPartition), kind, actor, subject, body);
  });
  if (!s.ok()) undo();
  return s;
}

Status Engine::PutDomain(const TrustDomain& d, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetDomain(d.id);
  json body = {{"kind", ToString(d.kind)},
               {"sensitive", d.sensitive},
               {"trusts", d.trusts}};
  return impl_->AdminChange(
      "domain.put", actor, d.id, body,
      [&] { return impl_->bindings.PutDomain(d); },
      [&] { return impl_->store->PutDomain(d); },
      [&] {
        (void)(prior ? impl_->bindings.PutDomain(*prior)
                     : impl_->bindings.RemoveDomain(d.id));
      });
}

Status Engine::RemoveDomain(const DomainId& id, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetDomain(id);
  if (!prior) return NotFoundError("trust domain '" + id + "' does not exist");
  if (!impl_->inventory.InDomain(id).empty()) {
    return FailedPreconditionError("trust domain '" + id +
                                   "' still has active VNFs");
  }
  return impl_->AdminChange(
      "domain.remove", actor, id, json::object(),
      [&] { return impl_->bindings.RemoveDomain(id); },
      [&] { return impl_->store->DeleteDomain(id); },
      [&] { (void)impl_->bindings.PutDomain(*prior); });
}

Status Engine::PutSm(const SecurityManager& sm, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetSm(sm.id);
  // The key itself is public, but a digest is enough to audit it.
  json body = {{"master", sm.master.value_or("")},
               {"home_domain", sm.home_domain},
               {"public_key_pem_bytes", sm.public_key_pem.size()}};
  return impl_->AdminChange(
      "sm.put", actor, sm.id, body, [&] { return impl_->bindings.PutSm(sm); },
      [&] { return impl_->store->PutSm(sm); },
      [&] {
        (void)(prior ? impl_->bindings.PutSm(*prior)
                     : impl_->bindings.RemoveSm(sm.id));
      });
}

Status Engine::RemoveSm(const SmId& id, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetSm(id);
  if (!prior)
    return NotFoundError("security manager '" + id + "' does not exist");
  return impl_->AdminChange(
      "sm.remove", actor, id, json::object(),
      [&] { return impl_->bindings.RemoveSm(id); },
      [&] { return impl_->store->DeleteSm(id); },
      [&] { (void)impl_->bindings.PutSm(*prior); });
}

Status Engine::PutBinding(const Binding& b, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetBinding(b.sm, b.domain);
  json body = {{"domain", b.domain},
               {"mode", ToString(b.mode)},
               {"fail_mode", ToString(b.fail_mode)},
               {"gate_deadline_us", b.gate_deadline.count()},
               {"semi_active_window_us", b.semi_active_window.count()},
               {"allowed_instructions", b.allowed_instructions.bits()},
               {"hidden_events", b.hidden_events.bits()}};
  return impl_->AdminChange(
      "binding.put", actor, b.sm, body,
      [&] { return impl_->bindings.PutBinding(b); },
      [&] { return impl_->store->PutBinding(b); },
      [&] {
        (void)(prior ? impl_->bindings.PutBinding(*prior)
                     : impl_->bindings.RemoveBinding(b.sm, b.domain));
      });
}

Status Engine::RemoveBinding(const SmId& sm, const DomainId& domain,
                             const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  auto prior = impl_->bindings.GetBinding(sm, domain);
  if (!prior) {
    return NotFoundError("SM '" + sm + "' has no binding on domain '" + domain +
                         "'");
  }
  return impl_->AdminChange(
      "binding.remove", actor, sm, json{{"domain", domain}},
      [&] { return impl_->bindings.RemoveBinding(sm, domain); },
      [&] { return impl_->store->DeleteBinding(sm, domain); },
      [&] { (void)impl_->bindings.PutBinding(*prior); });
}

Status Engine::PutVnf(const VnfRecord& v, const std::string& actor) {
  std::lock_guard lock(impl_->admin_mu);
  if (!impl_->bindings.GetDomain(v.domain)) {
    return InvalidArgumentError("VNF '" + v.id + "' names unknown domain '" +
                                v.domain + "'");
  }
  auto prior = impl_->inventory.Get(v.id);
  json body = {{"domain", v.domain},        {"requestor_id", v.requestor_id},
               {"ns_id", v.ns_id},          {"vnfd_id", v.vnfd_id},
               {"image_id", v.image_id},    {"host", v.host},
               {"state", ToString(v.state)}};
  return impl_->AdminChange(
      "vnf.put", actor, v.id, body, [&] { return impl_->inventory.Upsert(v); },
      [&] { return impl_->store->PutVnf(v); },
      [&] {
        // An inventory has no delete: a VNF that did not exist before is
        // marked terminated so it cannot be acted on.
        if (prior) {
          (void)impl_->inventory.Upsert(*prior);
        } else {
          (void)impl_->inventory.SetState(v.id, VnfState::kTerminated,
                                          impl_->clock.Now());
        }
      });
}

Status Engine::ReleaseOrphanedQuarantine(QuarantineTarget target,
                                         const std::string& target_id,
                                         const std::string& reason,
                                         const std::string& actor) {
  if (reason.empty()) {
    return InvalidArgumentError("releasing a quarantine needs a reason");
  }
  std::lock_guard lock(impl_->admin_mu);
  std::optional<QuarantineEntry> entry =
      impl_->quarantine.Find(target, target_id);
  if (!entry) {
    return NotFoundError(std::string(ToString(target)) + " '" + target_id +
                         "' is not quarantined");
  }
  // Who could still release it: the SM and its masters, if bound to the
  // entry's domain.
  // The binding table refuses master cycles; the bound keeps a corrupt
  // store from looping here.
  int hops = 0;
  for (std::optional<SmId> sm = entry->by_sm; sm && hops < 64; ++hops) {
    if (impl_->bindings.GetBinding(*sm, entry->domain)) {
      return PermissionDeniedError(std::string(ToString(target)) + " '" +
                                   target_id + "' was quarantined by SM '" +
                                   entry->by_sm + "'; SM '" + *sm +
                                   "' is bound to domain '" + entry->domain +
                                   "' and is the one to release it");
    }
    auto record = impl_->bindings.GetSm(*sm);
    sm = record ? record->master : std::nullopt;
  }
  NFVSM_RETURN_IF_ERROR(impl_->actuator.ReleaseQuarantine(target, target_id));
  json body = {{"target", ToString(target)},
               {"quarantined_by", entry->by_sm},
               {"domain", entry->domain},
               {"reason", reason}};
  return impl_->AdminChange(
      "quarantine.released_by_operator", actor, target_id, body,
      [&] {
        return impl_->quarantine.Release(target, target_id, entry->by_sm,
                                         impl_->bindings);
      },
      [&] { return impl_->store->DeleteQuarantine(target, target_id); },
      [&] { (void)impl_->quarantine.Add(*entry); });
}

const BindingTable& Engine::bindings() const { return impl_->bindings; }
const VnfInventory& Engine::inventory() const { return impl_->inventory; }
const QuarantineRegistry& Engine::quarantine() const {
  return impl_->quarantine;
}
AuditLog& Engine::audit() { return *impl_->audit; }
Store& Engine::store() { return *impl_->store; }
const Clock& Engine::clock() const { return impl_->clock; }

}  // namespace nfvsm
