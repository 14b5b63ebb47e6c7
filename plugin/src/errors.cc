#include "errors.h"

#include <pybind11/stl.h>

#include <optional>

namespace nfvsm::python {
namespace {

// Borrowed for the interpreter's lifetime (see errors.h).
struct ExceptionClasses {
  py::handle base;
  py::handle invalid_request;
  py::handle not_found;
  py::handle already_exists;
  py::handle permission_denied;
  py::handle failed_precondition;
  py::handle gateway_unavailable;
  py::handle gate_denied;
};

ExceptionClasses& Classes() {
  static ExceptionClasses classes;
  return classes;
}

py::handle NewClass(py::module_& m, const char* name, py::handle base,
                    const char* default_code, const char* doc) {
  py::dict attributes;
  attributes["default_code"] = default_code;
  const std::string qualified = std::string("nfvsm.") + name;
  PyObject* cls = PyErr_NewExceptionWithDoc(qualified.c_str(), doc, base.ptr(),
                                            attributes.ptr());
  if (cls == nullptr) throw py::error_already_set();
  m.add_object(name, py::handle(cls));  // the module holds a reference too
  return py::handle(cls);
}

// NfvsmError.__init__(self, reason="", *, code=None): str(e) is the reason
// and every instance carries .code and .reason, also one raised by Python
// code (a hook re-raising with its own text).
void SetBaseInit(py::handle cls) {
  cls.attr("__init__") = py::cpp_function(
      [](py::object self, std::string reason, std::optional<std::string> code) {
        py::handle(PyExc_Exception).attr("__init__")(self, reason);
        self.attr("reason") = reason;
        self.attr("code") =
            code ? py::str(*code)
                 : py::str(py::type::handle_of(self).attr("default_code"));
      },
      py::is_method(cls), py::arg("reason") = "", py::kw_only(),
      py::arg("code") = py::none());
}

void SetGateDeniedInit(py::handle cls, py::handle base) {
  cls.attr("__init__") = py::cpp_function(
      [base](py::object self, std::string reason, py::object decision,
             std::optional<std::string> code) {
        base.attr("__init__")(self, reason, py::arg("code") = code);
        self.attr("decision") = decision;
      },
      py::is_method(cls), py::arg("reason") = "", py::kw_only(),
      py::arg("decision") = py::none(), py::arg("code") = py::none());
}

[[noreturn]] void Raise(py::handle cls, const std::string& reason,
                        const std::string& code) {
  py::object error = cls(reason, py::arg("code") = code);
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw py::error_already_set();
}

}  // namespace

void RegisterExceptions(py::module_& m) {
  ExceptionClasses& c = Classes();
  c.base = NewClass(m, "NfvsmError", PyExc_Exception, "internal",
                    "Base of every nfvsm error: .code (an nfvsm status code "
                    "name, lower case) and .reason (str(e)).");
  SetBaseInit(c.base);
  c.invalid_request =
      NewClass(m, "InvalidRequest", c.base, "invalid_argument",
               "The caller's input is malformed or incomplete.");
  c.not_found = NewClass(m, "NotFound", c.base, "not_found",
                         "A named entity does not exist.");
  c.already_exists = NewClass(m, "AlreadyExists", c.base, "already_exists",
                              "Creating an entity that exists.");
  c.permission_denied =
      NewClass(m, "PermissionDenied", c.base, "permission_denied",
               "The gateway refused the request (not authorized).");
  c.failed_precondition =
      NewClass(m, "FailedPrecondition", c.base, "failed_precondition",
               "The system is not in a state that allows the request.");
  c.gateway_unavailable = NewClass(
      m, "GatewayUnavailable", c.base, "unavailable",
      "The nfvsm gateway could not be reached or did not answer in time.");
  c.gate_denied =
      NewClass(m, "GateDenied", c.base, "permission_denied",
               "A gate denied the operation; .decision is the GateDecision.");
  SetGateDeniedInit(c.gate_denied, c.base);
}

void RaiseStatus(const Status& status, bool transport) {
  const ExceptionClasses& c = Classes();
  py::handle cls = c.base;
  switch (status.code()) {
    case StatusCode::kInvalidArgument:
      cls = c.invalid_request;
      break;
    case StatusCode::kNotFound:
      cls = c.not_found;
      break;
    case StatusCode::kAlreadyExists:
      cls = c.already_exists;
      break;
    case StatusCode::kPermissionDenied:
      cls = c.permission_denied;
      break;
    case StatusCode::kFailedPrecondition:
      cls = c.failed_precondition;
      break;
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
      if (transport) cls = c.gateway_unavailable;
      break;
    default:
      break;
  }
  Raise(cls, status.message(), std::string(StatusCodeName(status.code())));
}

void RaiseInvalid(const std::string& reason) {
  RaiseStatus(InvalidArgumentError(reason));
}

void RaiseGateDenied(const std::string& reason, py::object decision) {
  py::handle cls = Classes().gate_denied;
  py::object error = cls(reason, py::arg("decision") = decision);
  PyErr_SetObject(cls.ptr(), error.ptr());
  throw py::error_already_set();
}

}  // namespace nfvsm::python
