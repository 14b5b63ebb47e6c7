// The reference SM's gate rules: an ordered list, first match wins, and a
// default (deny when absent). docs/sm.md documents the file format.
//
//   {"rules": [{"match": {"domain": "d1", "operation": "instantiate"},
//               "verdict": "allow", "reason": "...",
//               "policy": {... nfvsm.v1.Policy in protobuf JSON ...},
//               "delay_ms": 0, "silent": false}],
//    "default": "deny"}    // or {"verdict": ..., "reason": ..., "policy": ...}
//
// Match keys: domain, vnf_id, vnfd_id, image_id, package_id, target_host,
// target_zone (shell globs, fnmatch), operation ("instantiate", or the enum
// name "OPERATION_KIND_INSTANTIATE"), is_recovery, needs_security_policy
// (booleans). A rule with an empty match matches everything.
//
// Thread safety: immutable after Parse; Decide is const.
// Failures: kInvalidArgument naming the rule index and key for anything
// unknown or malformed (a typo must not silently become "match all").
#ifndef NFVSM_SM_SRC_RULES_H_
#define NFVSM_SM_SRC_RULES_H_

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/v1/policy.pb.h"
#include "sm/src/result.h"

namespace nfvsm::refsm {

struct GateDecision {
  v1::Verdict verdict = v1::VERDICT_DENY;
  std::string reason;
  std::optional<v1::Policy> policy;
  int delay_ms = 0;     // wait this long before answering
  bool silent = false;  // never answer
  int rule_index = -1;  // -1: the default
};

class Rules {
 public:
  static Result<Rules> Parse(std::string_view json_text);
  static Result<Rules> LoadFile(const std::string& path);

  GateDecision Decide(const v1::GateRequest& request) const;
  size_t size() const { return rules_.size(); }

 private:
  struct Match {
    std::vector<std::pair<std::string, std::string>> globs;  // field, glob
    std::optional<v1::OperationKind> operation;
    std::optional<bool> is_recovery;
    std::optional<bool> needs_security_policy;
  };
  struct Rule {
    Match match;
    GateDecision decision;
  };
  static bool Matches(const Match& match, const v1::GateRequest& request);

  std::vector<Rule> rules_;
  GateDecision default_;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_RULES_H_
