// Helpers shared by the QuarantineRegistry tests.
#ifndef NFVSM_TESTS_CORE_QUARANTINE_QUARANTINE_TEST_UTIL_H_
#define NFVSM_TESTS_CORE_QUARANTINE_QUARANTINE_TEST_UTIL_H_

#include <string>
#include <utility>

#include "nfvsm/quarantine.h"

namespace nfvsm::quarantine_test {

// 2023-11-14T22:13:20Z
inline const TimePoint kT0 = FromMicros(1'700'000'000'000'000);

inline QuarantineEntry Entry(QuarantineTarget target, std::string id,
                             std::string sm = "csp-master",
                             std::string reason = "rootkit found") {
  QuarantineEntry e;
  e.target = target;
  e.target_id = std::move(id);
  e.by_sm = std::move(sm);
  e.domain = "d-core";
  e.at = kT0;
  e.reason = std::move(reason);
  return e;
}

inline OperationTarget Op(OperationKind kind, std::string vnf) {
  OperationTarget op;
  op.operation = kind;
  op.vnf_id = std::move(vnf);
  return op;
}

}  // namespace nfvsm::quarantine_test

#endif  // NFVSM_TESTS_CORE_QUARANTINE_QUARANTINE_TEST_UTIL_H_
