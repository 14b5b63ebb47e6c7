// ScriptedSms: in-process Security Managers for the core demo. Each SM
// answers gate requests from a rule (a function of the request); SMs
// without a rule stay silent. Notifications are counted per SM.
//
// Thread safety: Ask/Notify may be called from any thread; rules must be
// set before gates start.
#ifndef NFVSM_TOOLS_CORE_DEMO_SCRIPTED_SMS_H_
#define NFVSM_TOOLS_CORE_DEMO_SCRIPTED_SMS_H_

#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>

#include "nfvsm/engine.h"
#include "nfvsm/gate.h"

namespace nfvsm::demo {

class ScriptedSms final : public SmTransport {
 public:
  using Rule = std::function<std::optional<SmAnswer>(const GateRequest&)>;

  void set_engine(Engine* engine) { engine_ = engine; }
  void SetRule(const SmId& sm, Rule rule) { rules_[sm] = std::move(rule); }

  void Notify(const SmId& sm, const GateRequest& req) override;
  Status Ask(const SmId& sm, const GateRequest& req,
             TimePoint deadline) override;

  int notifications(const SmId& sm) const;
  int asks(const SmId& sm) const;

 private:
  Engine* engine_ = nullptr;
  std::map<SmId, Rule> rules_;
  mutable std::mutex mu_;
  std::map<SmId, int> notified_;
  std::map<SmId, int> asked_;
};

}  // namespace nfvsm::demo

#endif  // NFVSM_TOOLS_CORE_DEMO_SCRIPTED_SMS_H_
