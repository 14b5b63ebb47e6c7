// Conversions between the core types and Python values: records become
// dicts keyed by the snake_case field names of types.h, enums their wire
// names (ToString), times float seconds since the epoch, durations float
// seconds, raw hashes lower-case hex.
//
// Thread safety: need the GIL (they build Python objects).
// Ownership: return new Python objects owned by the caller.
// Failures: To*() from Python input raise InvalidRequest naming the
// argument (errors.h); the dict builders do not fail.
#ifndef NFVSM_PLUGIN_CONVERT_H_
#define NFVSM_PLUGIN_CONVERT_H_

#include <pybind11/pybind11.h>

#include <optional>
#include <string>
#include <string_view>

#include "nfvsm/audit.h"
#include "nfvsm/clock.h"
#include "nfvsm/policy.h"
#include "nfvsm/types.h"

namespace nfvsm::python {

namespace py = pybind11;

double ToSeconds(TimePoint t);
double ToSeconds(Duration d);
// `seconds` >= 0 and finite, else InvalidRequest naming `what`.
Duration DurationFromSeconds(double seconds, std::string_view what);
// `seconds` finite, else InvalidRequest naming `what`.
TimePoint TimeFromSeconds(double seconds, std::string_view what);

// The core policy JSON (docs/policy.md) as a dict.
py::dict PolicyToDict(const Policy& policy);

py::dict ToDict(const TrustDomain& d);
py::dict ToDict(const SecurityManager& sm);
py::dict ToDict(const Binding& b);
py::dict ToDict(const VnfRecord& v);
py::dict ToDict(const LifecycleEvent& e);
py::dict ToDict(const QuarantineEntry& q);
py::dict ToDict(const VerifyReport& r);
py::dict ToDict(const AuditRecord& r);

}  // namespace nfvsm::python

#endif  // NFVSM_PLUGIN_CONVERT_H_
