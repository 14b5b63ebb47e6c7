// The Python exception hierarchy of nfvsm and the one place where an
// nfvsm::Status becomes a Python exception.
//
//   NfvsmError(Exception)        .code (StatusCodeName, lower case), .reason
//   ├── InvalidRequest           invalid_argument
//   ├── NotFound                 not_found
//   ├── AlreadyExists            already_exists
//   ├── PermissionDenied         permission_denied
//   ├── FailedPrecondition       failed_precondition
//   ├── GatewayUnavailable       unavailable / deadline_exceeded (transport)
//   └── GateDenied               raised by GateDecision.raise_if_denied()
//
// Thread safety: every function here needs the GIL.
// Ownership: the classes are created once by RegisterExceptions and live as
// long as the interpreter (deliberately leaked: module objects are never
// torn down before exit).
// Failures: Raise* functions set the Python error and throw
// pybind11::error_already_set, which pybind11 turns back into the Python
// exception at the binding boundary.
#ifndef NFVSM_PLUGIN_ERRORS_H_
#define NFVSM_PLUGIN_ERRORS_H_

#include <pybind11/pybind11.h>

#include <string>
#include <utility>

#include "nfvsm/status.h"

namespace nfvsm::python {

namespace py = pybind11;

// Creates the classes in `m` (their __module__ is "nfvsm", where the
// package re-exports them).
void RegisterExceptions(py::module_& m);

// Raises the exception of `status.code()` with the status message as the
// reason. `transport` marks a failure before the gateway answered, so
// kUnavailable / kDeadlineExceeded become GatewayUnavailable; the same
// codes sent by the gateway itself become NfvsmError.
[[noreturn]] void RaiseStatus(const Status& status, bool transport = false);

// InvalidRequest(reason).
[[noreturn]] void RaiseInvalid(const std::string& reason);

// GateDenied(reason) with .decision = `decision`.
[[noreturn]] void RaiseGateDenied(const std::string& reason,
                                  py::object decision);

template <typename T>
T ValueOrRaise(StatusOr<T> result, bool transport = false) {
  if (!result.ok()) RaiseStatus(result.status(), transport);
  return std::move(result).value();
}

inline void OkOrRaise(const Status& status, bool transport = false) {
  if (!status.ok()) RaiseStatus(status, transport);
}

}  // namespace nfvsm::python

#endif  // NFVSM_PLUGIN_ERRORS_H_
