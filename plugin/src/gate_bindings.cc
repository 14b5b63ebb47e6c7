// GateDecision and GateClient (pyapi.md): the hooks' gate checks. Every
// check releases the GIL while it waits on the bus and fails closed: a
// transport problem is a DENY decision with .error set, never an
// exception (only bad input raises InvalidRequest).
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bindings.h"
#include "client_options.h"
#include "convert.h"
#include "errors.h"
#include "nfvsm/amqp/gate_client.h"

namespace nfvsm::python {
namespace {

// Immutable: every accessor returns a fresh copy.
struct GateDecision {
  bool allowed = false;
  std::string gate_id;
  std::vector<std::string> reasons;
  std::optional<Policy> policy;
  bool timed_out = false;
  std::string error;
  bool failed_open = false;

  std::string ReasonText() const {
    if (!error.empty()) return error;
    std::string text;
    for (const std::string& r : reasons) {
      if (!text.empty()) text += "; ";
      text += r;
    }
    if (text.empty() && !allowed) text = "denied by nfvsm";
    return text;
  }
};

GateDecision FromReply(amqp::GateReply reply) {
  GateDecision d;
  d.allowed = reply.verdict == Verdict::kAllow;
  d.gate_id = std::move(reply.gate_id);
  d.reasons = std::move(reply.reasons);
  // Policy is meaningful only with an allow (pyapi.md).
  if (d.allowed) d.policy = std::move(reply.policy);
  d.timed_out = reply.timed_out;
  d.error = std::move(reply.error);
  d.failed_open = reply.failed_open;
  return d;
}

class PyGateClient {
 public:
  PyGateClient(const std::string& transport_url, double timeout, bool fail_open,
               const std::string& requester, const std::string& queue) {
    amqp::GateClientOptions options;
    options.default_deadline = PositiveTimeout(timeout, "timeout");
    options.fail_open = fail_open;
    options.requester = requester;
    options.queue = queue;
    auto client = amqp::GateClient::Open(
        MakeConnectionOptions(transport_url, timeout, "nfvsm-python-gate"),
        std::move(options));
    client_ = std::shared_ptr<amqp::GateClient>(
        ValueOrRaise(std::move(client)).release());
  }

  GateDecision CheckOperation(
      const std::string& operation, const std::string& vnf_id,
      const std::string& domain, const std::string& image_id,
      const std::string& vnfd_id, const std::string& package_id,
      const std::string& target_host, const std::string& target_zone,
      const std::string& source, const std::string& reason,
      bool needs_security_policy, std::optional<double> timeout) {
    amqp::HookGateRequestInput input;
    input.kind = amqp::GateCheckKind::kOperation;
    GateRequest& r = input.request;
    r.operation = ValueOrRaise(ParseOperationKind(operation));
    r.source = ValueOrRaise(ParseEventSource(source));
    r.vnf_id = RequireVnf(vnf_id);
    r.domain = domain;
    r.image_id = image_id;
    r.vnfd_id = vnfd_id;
    r.package_id = package_id;
    r.target_host = target_host;
    r.target_zone = target_zone;
    r.reason = reason;
    r.needs_security_policy = needs_security_policy;
    SetDeadline(timeout, input);
    return Check(input);
  }

  // Without a domain or timeout this is exactly the C++ convenience; with
  // them, the same request (a heal from auto-healing) with those set.
  GateDecision CheckRecovery(const std::string& vnf_id,
                             std::optional<std::string> host,
                             const std::string& domain,
                             std::optional<double> timeout) {
    RequireVnf(vnf_id);
    if (domain.empty() && !timeout) {
      return Wait(
          [&](amqp::GateClient& c) { return c.CheckRecovery(vnf_id, host); });
    }
    amqp::HookGateRequestInput input;
    input.kind = amqp::GateCheckKind::kRecovery;
    input.request.operation = OperationKind::kHeal;
    input.request.source = EventSource::kAutoHealing;
    input.request.vnf_id = vnf_id;
    input.request.domain = domain;
    if (host) input.request.target_host = *host;
    SetDeadline(timeout, input);
    return Check(input);
  }

  GateDecision CheckPlacement(const std::string& vnf_id,
                              const std::string& host,
                              const std::string& domain,
                              std::optional<double> timeout) {
    RequireVnf(vnf_id);
    if (host.empty()) RaiseInvalid("a placement check needs a host");
    if (domain.empty() && !timeout) {
      return Wait(
          [&](amqp::GateClient& c) { return c.CheckPlacement(vnf_id, host); });
    }
    amqp::HookGateRequestInput input;
    input.kind = amqp::GateCheckKind::kPlacement;
    input.request.operation = OperationKind::kInstantiate;
    input.request.vnf_id = vnf_id;
    input.request.domain = domain;
    input.request.target_host = host;
    SetDeadline(timeout, input);
    return Check(input);
  }

  // Closes the connection now (without the GIL: a polite AMQP close can
  // take up to the timeout). Checks after close() raise InvalidRequest.
  void Close() {
    std::shared_ptr<amqp::GateClient> client = std::move(client_);
    py::gil_scoped_release nogil;
    client.reset();
  }

 private:
  static const std::string& RequireVnf(const std::string& vnf_id) {
    if (vnf_id.empty()) RaiseInvalid("vnf_id must not be empty");
    return vnf_id;
  }

  static void SetDeadline(std::optional<double> timeout,
                          amqp::HookGateRequestInput& input) {
    if (timeout) input.deadline = PositiveTimeout(*timeout, "timeout");
  }

  GateDecision Check(const amqp::HookGateRequestInput& input) {
    return Wait([&](amqp::GateClient& c) { return c.Check(input); });
  }

  template <typename F>
  GateDecision Wait(F&& call) {
    // A copy, so that close() from another thread cannot free the client
    // under a waiting check.
    std::shared_ptr<amqp::GateClient> client = client_;
    if (client == nullptr) RaiseInvalid("the GateClient is closed");
    std::optional<StatusOr<amqp::GateReply>> reply;
    {
      py::gil_scoped_release nogil;
      reply.emplace(call(*client));
    }
    return FromReply(ValueOrRaise(std::move(*reply)));
  }

  std::shared_ptr<amqp::GateClient> client_;
};

}  // namespace

void RegisterGate(py::module_& m) {
  py::class_<GateDecision>(m, "GateDecision",
                           "An immutable gate decision from nfvsm.")
      .def_readonly("allowed", &GateDecision::allowed)
      .def_property_readonly(
          "verdict",
          [](const GateDecision& d) { return d.allowed ? "allow" : "deny"; })
      .def_readonly("gate_id", &GateDecision::gate_id)
      .def_readonly("reasons", &GateDecision::reasons)
      .def_property_readonly("policy",
                             [](const GateDecision& d) -> py::object {
                               if (!d.policy) return py::none();
                               return PolicyToDict(*d.policy);
                             })
      .def_readonly("timed_out", &GateDecision::timed_out)
      .def_readonly("error", &GateDecision::error)
      .def_readonly("failed_open", &GateDecision::failed_open)
      .def("reason_text", &GateDecision::ReasonText,
           "One line: the reasons joined by '; ', or the error.")
      .def(
          "raise_if_denied",
          [](py::object self) {
            const auto& d = self.cast<const GateDecision&>();
            if (!d.allowed) RaiseGateDenied(d.ReasonText(), self);
          },
          "Raises GateDenied (with .decision) unless allowed.")
      .def("__bool__", [](const GateDecision& d) { return d.allowed; })
      .def("__repr__", [](const GateDecision& d) {
        std::string out =
            std::string("<GateDecision ") + (d.allowed ? "allow" : "deny");
        if (!d.gate_id.empty()) out += " gate_id=" + d.gate_id;
        if (d.timed_out) out += " timed_out";
        if (d.failed_open) out += " failed_open";
        const std::string text = d.ReasonText();
        if (!text.empty()) out += " reason=" + text;
        return out + ">";
      });

  py::class_<PyGateClient>(m, "GateClient",
                           "Asks the nfvsm gateway for gate decisions.")
      .def(py::init<const std::string&, double, bool, const std::string&,
                    const std::string&>(),
           py::arg("transport_url"), py::kw_only(), py::arg("timeout") = 30.0,
           py::arg("fail_open") = false, py::arg("requester") = "",
           py::arg("queue") = amqp::kGateQueue)
      .def("check_operation", &PyGateClient::CheckOperation,
           py::arg("operation"), py::arg("vnf_id"), py::kw_only(),
           py::arg("domain") = "", py::arg("image_id") = "",
           py::arg("vnfd_id") = "", py::arg("package_id") = "",
           py::arg("target_host") = "", py::arg("target_zone") = "",
           py::arg("source") = "unknown", py::arg("reason") = "",
           py::arg("needs_security_policy") = false,
           py::arg("timeout") = py::none())
      .def("check_recovery", &PyGateClient::CheckRecovery, py::arg("vnf_id"),
           py::arg("host") = py::none(), py::kw_only(), py::arg("domain") = "",
           py::arg("timeout") = py::none())
      .def("check_placement", &PyGateClient::CheckPlacement, py::arg("vnf_id"),
           py::arg("host"), py::kw_only(), py::arg("domain") = "",
           py::arg("timeout") = py::none())
      .def("close", &PyGateClient::Close)
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](PyGateClient& c, py::args) { c.Close(); });
}

}  // namespace nfvsm::python
