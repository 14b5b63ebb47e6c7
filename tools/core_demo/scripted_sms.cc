#include "core_demo/scripted_sms.h"

namespace nfvsm::demo {

void ScriptedSms::Notify(const SmId& sm, const GateRequest&) {
  std::lock_guard lock(mu_);
  ++notified_[sm];
}

Status ScriptedSms::Ask(const SmId& sm, const GateRequest& req, TimePoint) {
  {
    std::lock_guard lock(mu_);
    ++asked_[sm];
  }
  auto rule = rules_.find(sm);
  if (rule == rules_.end()) return OkStatus();  // silent SM
  std::optional<SmAnswer> answer = rule->second(req);
  if (!answer) return OkStatus();
  answer->sm = sm;
  // Answering inside Ask is what an instant transport does; the evaluator
  // accepts it (gate.h).
  Status s = engine_->OnGateAnswer(req.id, *answer);
  return s.code() == StatusCode::kNotFound ? OkStatus() : s;
}

int ScriptedSms::notifications(const SmId& sm) const {
  std::lock_guard lock(mu_);
  auto it = notified_.find(sm);
  return it == notified_.end() ? 0 : it->second;
}

int ScriptedSms::asks(const SmId& sm) const {
  std::lock_guard lock(mu_);
  auto it = asked_.find(sm);
  return it == asked_.end() ? 0 : it->second;
}

}  // namespace nfvsm::demo
