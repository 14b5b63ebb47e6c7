// GateEvaluator: pending gates, per-SM waits and deadlines.
//
// One mutex guards the pending gates and the deadline index. No transport
// call and no callback runs under it: Start registers a gate before sending
// anything, so an answer that arrives before Ask returns (an in-process
// transport) finds it; a gate completes only once Start has finished
// sending (`sending`), and whichever thread then sees it complete removes
// it from the map under the lock, which is what makes the done callback
// exactly-once.
//
// Answers to a pending gate:
//   kInvalidArgument    empty gate id or SM id, or an invalid policy (the
//                       answer is ignored; the SM may answer again)
//   kPermissionDenied   the SM is not Semi- or Fully-Active in this gate
//   kAlreadyExists      the SM answered before; the first answer counts
//   kDeadlineExceeded   the SM's own wait has ended while others are still
//                       awaited (also a Semi-Active SM that was only
//                       notified): reported as late, like kNotFound
//
// On destruction, gates still pending are dropped without a callback: the
// owner stops the transport and its timer first.
#include "nfvsm/gate.h"

#include <algorithm>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include "gate/gate_internal.h"

namespace nfvsm {
namespace {

using gate_internal::SmSlot;

struct GateState;
// Deadline -> (gate, slot index), one entry per open wait.
using DeadlineIndex = std::multimap<TimePoint, std::pair<GateState*, size_t>>;

struct GateState {
  // Immutable once registered (read by Start without the lock while it
  // sends).
  GateRequest req;
  GateEvaluator::DoneCallback done;
  bool policy_required = false;
  TimePoint requested_at{};
  // The vector never changes size after registration; its elements' mutable
  // fields are guarded by Impl::mu.
  std::vector<SmSlot> slots;
  std::vector<DeadlineIndex::iterator> deadline_entries;  // per slot
  size_t open_waits = 0;
  bool sending = true;  // Start has not finished sending
};

OperationTarget TargetOf(const GateRequest& req,
                         const std::optional<VnfRecord>& record) {
  OperationTarget t;
  t.operation = req.operation;
  t.vnf_id = req.vnf_id;
  t.image_id = req.image_id;
  t.vnfd_id = req.vnfd_id;
  t.package_id = req.package_id;
  t.target_host = req.target_host;
  t.replaces_vnf_id = req.replaces_vnf_id;
  t.is_recovery = req.is_recovery;
  if (record) {
    // A request about a known VNF often names only the VNF; what it runs
    // from is in the inventory, and a quarantined image must still veto.
    if (t.image_id.empty()) t.image_id = record->image_id;
    if (t.vnfd_id.empty()) t.vnfd_id = record->vnfd_id;
    if (t.package_id.empty()) t.package_id = record->package_id;
    // A restart happens where the VNF is.
    if (t.target_host.empty() && req.operation == OperationKind::kRestart) {
      t.target_host = record->host;
    }
  }
  return t;
}

Duration NonNegative(Duration d) { return std::max(d, Duration(0)); }

Status AlreadyPending(const std::string& id) {
  return InvalidArgumentError("gate request '" + id + "' is already pending");
}

}  // namespace

struct GateEvaluator::Impl {
  const BindingTable& bindings;
  const VnfInventory& inventory;
  const QuarantineRegistry& quarantine;
  SmTransport& transport;
  const Clock& clock;

  mutable std::mutex mu;
  std::unordered_map<std::string, std::unique_ptr<GateState>> gates;
  DeadlineIndex deadlines;
  LateAnswerHandler late_handler;

  Impl(const BindingTable& b, const VnfInventory& i,
       const QuarantineRegistry& q, SmTransport& t, const Clock& c)
      : bindings(b), inventory(i), quarantine(q), transport(t), clock(c) {}

  std::vector<SmSlot> SlotsFor(const GateRequest& req, bool policy_required,
                               TimePoint requested_at) const;

  // The following run with `mu` held.
  void CloseWait(GateState& g, size_t i) {
    g.slots[i].waiting = false;
    deadlines.erase(g.deadline_entries[i]);
    --g.open_waits;
  }
  std::unique_ptr<GateState> TakeIfComplete(GateState& g) {
    if (g.sending || g.open_waits != 0) return nullptr;
    auto it = gates.find(g.req.id);
    std::unique_ptr<GateState> taken = std::move(it->second);
    gates.erase(it);
    return taken;
  }
  Duration SinceRequest(const GateState& g) const {
    return NonNegative(clock.Now() - g.requested_at);
  }

  // Runs without `mu`, on a gate no other thread can reach any more.
  void Finish(std::unique_ptr<GateState> g) const {
    gate_internal::DecisionInput in;
    in.request = &g->req;
    in.policy_required = g->policy_required;
    in.requested_at = g->requested_at;
    in.decided_at = clock.Now();
    GateDecision decision = gate_internal::BuildDecision(in, g->slots);
    g->done(decision);
  }

  void ReportLate(std::unique_lock<std::mutex>& lock,
                  const std::string& gate_id, const SmAnswer& answer) {
    LateAnswerHandler handler = late_handler;
    lock.unlock();
    if (handler) handler(gate_id, answer);
  }
};

std::vector<SmSlot> GateEvaluator::Impl::SlotsFor(
    const GateRequest& req, bool policy_required,
    TimePoint requested_at) const {
  std::vector<Delivery> deliveries =
      bindings.Route(req.domain, EventKindFor(req.operation));
  std::vector<SmSlot> slots;
  slots.reserve(deliveries.size());
  for (Delivery& d : deliveries) {
    SmSlot& s = slots.emplace_back();
    s.sm = std::move(d.sm);
    s.via_master = d.via_master;
    s.mode = d.via_master ? Mode::kPassive : d.mode;
    if (s.mode == Mode::kPassive) continue;  // notified, never waited for
    s.answerable = true;
    // A binding removed since Route keeps the defaults: 30 s, fail closed.
    Binding b = bindings.GetBinding(s.sm, req.domain).value_or(Binding{});
    s.fail_mode = b.fail_mode;
    if (s.mode == Mode::kFullyActive) {
      s.awaited = true;
      s.wait = NonNegative(b.gate_deadline);
    } else if (policy_required) {
      // R2.1.30: where the VNF needs policy, apply what the SM provides,
      // so wait for it as long as for a Fully-Active SM.
      s.awaited = true;
      s.wait = NonNegative(std::max(b.gate_deadline, b.semi_active_window));
    } else if (b.semi_active_window > Duration(0)) {
      s.awaited = true;
      s.wait = b.semi_active_window;
    }
    s.asked = s.awaited;
    s.waiting = s.awaited;
    s.deadline = requested_at + s.wait;
    s.masters = bindings.MastersOf(s.sm);
  }
  // SM id order: binary search in OnAnswer, deterministic decisions.
  std::sort(slots.begin(), slots.end(),
            [](const SmSlot& a, const SmSlot& b) { return a.sm < b.sm; });
  slots.erase(std::unique(slots.begin(), slots.end(),
                          [](const SmSlot& a, const SmSlot& b) {
                            return a.sm == b.sm;
                          }),
              slots.end());
  return slots;
}

GateEvaluator::GateEvaluator(const BindingTable& bindings,
                             const VnfInventory& inventory,
                             const QuarantineRegistry& quarantine,
                             SmTransport& transport, const Clock& clock)
    : impl_(std::make_unique<Impl>(bindings, inventory, quarantine, transport,
                                   clock)) {}

GateEvaluator::~GateEvaluator() = default;

Status GateEvaluator::Start(GateRequest req, DoneCallback done) {
  if (req.id.empty()) return InvalidArgumentError("gate request has no id");
  if (req.vnf_id.empty()) {
    return InvalidArgumentError("gate request '" + req.id + "' has no VNF id");
  }
  if (!done) {
    return InvalidArgumentError("gate request '" + req.id +
                                "' has no callback");
  }
  std::optional<VnfRecord> record = impl_->inventory.Get(req.vnf_id);
  if (req.domain.empty()) {
    if (!record) {
      return NotFoundError("VNF '" + req.vnf_id +
                           "' is unknown and gate request '" + req.id +
                           "' names no domain");
    }
    req.domain = record->domain;
  }
  if (req.event.domain.empty()) req.event.domain = req.domain;
  const bool policy_required = (req.needs_security_policy ||
                                (record && record->needs_security_policy)) &&
                               gate_internal::ActivatesVnf(req.operation);
  const TimePoint requested_at = impl_->clock.Now();

  // IFA026 clause 4: a quarantine veto comes before any SM.
  Status check = impl_->quarantine.Check(TargetOf(req, record));
  if (!check.ok()) {
    {
      std::lock_guard lock(impl_->mu);
      if (impl_->gates.contains(req.id)) return AlreadyPending(req.id);
    }
    done(gate_internal::VetoDecision(req, check, requested_at));
    return OkStatus();
  }

  auto gate = std::make_unique<GateState>();
  gate->slots = impl_->SlotsFor(req, policy_required, requested_at);
  gate->req = std::move(req);
  gate->done = std::move(done);
  gate->policy_required = policy_required;
  gate->requested_at = requested_at;
  gate->deadline_entries.resize(gate->slots.size());
  GateState* g = gate.get();
  {
    std::lock_guard lock(impl_->mu);
    auto [it, inserted] = impl_->gates.try_emplace(g->req.id, std::move(gate));
    if (!inserted) return AlreadyPending(g->req.id);
    for (size_t i = 0; i < g->slots.size(); ++i) {
      if (!g->slots[i].awaited) continue;
      g->deadline_entries[i] =
          impl_->deadlines.emplace(g->slots[i].deadline, std::pair{g, i});
      ++g->open_waits;
    }
  }

  // `g` stays alive while `sending` is set; only fields fixed at
  // registration are read here without the lock.
  for (size_t i = 0; i < g->slots.size(); ++i) {
    const SmSlot& slot = g->slots[i];
    if (!slot.asked) {
      impl_->transport.Notify(slot.sm, g->req);
      continue;
    }
    Status sent = impl_->transport.Ask(slot.sm, g->req, slot.deadline);
    if (sent.ok()) continue;
    std::lock_guard lock(impl_->mu);
    SmSlot& s = g->slots[i];
    if (!s.waiting) continue;  // it answered before Ask reported failure
    s.participation = Participation::kTransportError;
    s.transport_error = sent.code();
    s.latency = impl_->SinceRequest(*g);
    impl_->CloseWait(*g, i);
  }

  std::unique_ptr<GateState> finished;
  {
    std::lock_guard lock(impl_->mu);
    g->sending = false;
    finished = impl_->TakeIfComplete(*g);
  }
  if (finished) impl_->Finish(std::move(finished));
  return OkStatus();
}

Status GateEvaluator::OnAnswer(const std::string& gate_id,
                               const SmAnswer& answer) {
  if (gate_id.empty()) return InvalidArgumentError("answer names no gate");
  if (answer.sm.empty()) return InvalidArgumentError("answer names no SM");
  if (answer.policy) {
    Status valid = ValidatePolicy(*answer.policy);
    if (!valid.ok()) {
      return InvalidArgumentError(
          "SM '" + answer.sm + "' sent an invalid policy: " + valid.message());
    }
  }
  std::unique_lock lock(impl_->mu);
  auto it = impl_->gates.find(gate_id);
  if (it == impl_->gates.end()) {
    impl_->ReportLate(lock, gate_id, answer);
    return NotFoundError("gate '" + gate_id + "' is unknown or decided");
  }
  GateState& g = *it->second;
  auto slot_it = std::lower_bound(
      g.slots.begin(), g.slots.end(), answer.sm,
      [](const SmSlot& s, const SmId& sm) { return s.sm < sm; });
  if (slot_it == g.slots.end() || slot_it->sm != answer.sm ||
      !slot_it->answerable) {
    return PermissionDeniedError("SM '" + answer.sm +
                                 "' was not asked in gate '" + gate_id + "'");
  }
  SmSlot& slot = *slot_it;
  if (slot.participation == Participation::kAnswered) {
    return AlreadyExistsError("SM '" + answer.sm + "' already answered gate '" +
                              gate_id + "'");
  }
  if (!slot.waiting) {
    impl_->ReportLate(lock, gate_id, answer);
    return DeadlineExceededError("the wait for SM '" + answer.sm +
                                 "' in gate '" + gate_id + "' has ended");
  }
  slot.answer = answer;
  slot.participation = Participation::kAnswered;
  slot.latency = impl_->SinceRequest(g);
  impl_->CloseWait(g, static_cast<size_t>(slot_it - g.slots.begin()));
  std::unique_ptr<GateState> finished = impl_->TakeIfComplete(g);
  lock.unlock();
  if (finished) impl_->Finish(std::move(finished));
  return OkStatus();
}

size_t GateEvaluator::ExpireDue() {
  std::vector<std::unique_ptr<GateState>> finished;
  {
    std::lock_guard lock(impl_->mu);
    const TimePoint now = impl_->clock.Now();
    while (!impl_->deadlines.empty() &&
           impl_->deadlines.begin()->first <= now) {
      auto [g, i] = impl_->deadlines.begin()->second;
      SmSlot& slot = g->slots[i];
      slot.participation = Participation::kSilent;
      // The wait ended at the deadline, however late the owner calls us.
      slot.latency = slot.wait;
      impl_->CloseWait(*g, i);
      if (auto taken = impl_->TakeIfComplete(*g)) {
        finished.push_back(std::move(taken));
      }
    }
  }
  for (auto& g : finished) impl_->Finish(std::move(g));
  return finished.size();
}

std::optional<TimePoint> GateEvaluator::NextDeadline() const {
  std::lock_guard lock(impl_->mu);
  if (impl_->deadlines.empty()) return std::nullopt;
  return impl_->deadlines.begin()->first;
}

size_t GateEvaluator::pending() const {
  std::lock_guard lock(impl_->mu);
  return impl_->gates.size();
}

void GateEvaluator::SetLateAnswerHandler(LateAnswerHandler handler) {
  std::lock_guard lock(impl_->mu);
  impl_->late_handler = std::move(handler);
}

}  // namespace nfvsm
