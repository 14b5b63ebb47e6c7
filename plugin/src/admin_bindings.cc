// AdminClient (pyapi.md): the admin RPC for the OpenStack CLI plugin, the
// DevStack functions and tests. Every call releases the GIL while it
// waits; a refusal by the gateway raises the exception of its status
// code, a transport problem GatewayUnavailable.
#include <pybind11/pybind11.h>
#include <pybind11/stl.h>

#include <memory>
#include <optional>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "bindings.h"
#include "client_options.h"
#include "convert.h"
#include "errors.h"
#include "nfvsm/amqp/admin_client.h"

namespace nfvsm::python {
namespace {

template <typename T>
py::list ToList(const std::vector<T>& items) {
  py::list out;
  for (const T& item : items) out.append(ToDict(item));
  return out;
}

// Runs `call` without the GIL; raises its error (GatewayUnavailable when
// the call never reached the gateway) or returns its value.
template <typename F>
// `client` is a copy, so that close() from another thread cannot free the
// client under a waiting call.
auto CallWithoutGil(std::shared_ptr<amqp::AdminClient> client, F&& call) {
  if (client == nullptr) RaiseInvalid("the AdminClient is closed");
  using Result = decltype(call(*client));
  std::optional<Result> result;
  bool reached = true;
  {
    py::gil_scoped_release nogil;
    result.emplace(call(*client));
    reached = client->last_call_reached_gateway();
  }
  if constexpr (std::is_same_v<Result, Status>) {
    OkOrRaise(*result, !reached);
  } else {
    return ValueOrRaise(std::move(*result), !reached);
  }
}

class PyAdminClient {
 public:
  PyAdminClient(const std::string& transport_url, const std::string& actor,
                double timeout) {
    amqp::AdminClientOptions options;
    options.actor = actor;
    options.deadline = PositiveTimeout(timeout, "timeout");
    auto client = amqp::AdminClient::Open(
        MakeConnectionOptions(transport_url, timeout, "nfvsm-python-admin"),
        std::move(options));
    client_ = std::shared_ptr<amqp::AdminClient>(
        ValueOrRaise(std::move(client)).release());
  }

  void PutDomain(const std::string& id, const std::string& kind, bool sensitive,
                 const std::vector<std::string>& trusts,
                 const std::string& description) {
    TrustDomain d;
    d.id = id;
    d.kind = ValueOrRaise(ParseDomainKind(kind));
    d.sensitive = sensitive;
    d.trusts.insert(trusts.begin(), trusts.end());
    d.description = description;
    CallWithoutGil(client_,
                   [&](amqp::AdminClient& c) { return c.PutDomain(d); });
  }

  void RemoveDomain(const std::string& id) {
    CallWithoutGil(client_,
                   [&](amqp::AdminClient& c) { return c.RemoveDomain(id); });
  }

  std::string PutSm(const std::string& id, const std::string& public_key_pem,
                    const std::string& home_domain,
                    std::optional<std::string> master,
                    const std::string& description) {
    SecurityManager sm;
    sm.id = id;
    sm.public_key_pem = public_key_pem;
    sm.home_domain = home_domain;
    sm.master = std::move(master);
    sm.description = description;
    return CallWithoutGil(client_,
                          [&](amqp::AdminClient& c) { return c.PutSm(sm); });
  }

  void RemoveSm(const std::string& id) {
    CallWithoutGil(client_,
                   [&](amqp::AdminClient& c) { return c.RemoveSm(id); });
  }

  void PutBinding(const std::string& sm, const std::string& domain,
                  const std::string& mode,
                  std::optional<std::vector<std::string>> allowed_instructions,
                  const std::vector<std::string>& hidden_events,
                  double gate_deadline, double semi_active_window,
                  const std::string& fail_mode) {
    Binding b;
    b.sm = sm;
    b.domain = domain;
    b.mode = ValueOrRaise(ParseMode(mode));
    if (allowed_instructions) {
      b.allowed_instructions = {};
      for (const std::string& kind : *allowed_instructions) {
        b.allowed_instructions.Add(ValueOrRaise(ParseInstructionKind(kind)));
      }
    }
    for (const std::string& kind : hidden_events) {
      b.hidden_events.Add(ValueOrRaise(ParseEventKind(kind)));
    }
    b.gate_deadline = DurationFromSeconds(gate_deadline, "gate_deadline");
    b.semi_active_window =
        DurationFromSeconds(semi_active_window, "semi_active_window");
    b.fail_mode = ValueOrRaise(ParseFailMode(fail_mode));
    CallWithoutGil(client_,
                   [&](amqp::AdminClient& c) { return c.PutBinding(b); });
  }

  void RemoveBinding(const std::string& sm, const std::string& domain) {
    CallWithoutGil(client_, [&](amqp::AdminClient& c) {
      return c.RemoveBinding(sm, domain);
    });
  }

  void PutVnf(const std::string& id, const std::string& domain,
              const std::string& image_id, const std::string& vnfd_id,
              const std::string& package_id, const std::string& host,
              const std::string& zone, bool needs_security_policy,
              const std::string& state, const std::string& requestor_id,
              const std::string& ns_id) {
    VnfRecord v;
    v.id = id;
    v.domain = domain;
    v.image_id = image_id;
    v.vnfd_id = vnfd_id;
    v.package_id = package_id;
    v.host = host;
    v.zone = zone;
    v.needs_security_policy = needs_security_policy;
    v.state = ValueOrRaise(ParseVnfState(state));
    v.requestor_id = requestor_id;
    v.ns_id = ns_id;
    CallWithoutGil(client_, [&](amqp::AdminClient& c) { return c.PutVnf(v); });
  }

  py::list ListDomains() {
    return ToList(CallWithoutGil(
        client_, [](amqp::AdminClient& c) { return c.ListDomains(); }));
  }
  py::list ListSms() {
    return ToList(CallWithoutGil(
        client_, [](amqp::AdminClient& c) { return c.ListSms(); }));
  }
  py::list ListBindings() {
    return ToList(CallWithoutGil(
        client_, [](amqp::AdminClient& c) { return c.ListBindings(); }));
  }
  py::list ListQuarantine() {
    return ToList(CallWithoutGil(
        client_, [](amqp::AdminClient& c) { return c.ListQuarantine(); }));
  }

  void ReleaseQuarantine(const std::string& target,
                         const std::string& target_id,
                         const std::string& reason) {
    const QuarantineTarget t = ValueOrRaise(ParseQuarantineTarget(target));
    CallWithoutGil(client_, [&](amqp::AdminClient& c) {
      return c.ReleaseQuarantine(t, target_id, reason);
    });
  }

  py::dict VnfStatus(const std::string& vnf_id) {
    return ToDict(CallWithoutGil(
        client_, [&](amqp::AdminClient& c) { return c.VnfStatus(vnf_id); }));
  }

  py::list VnfHistory(const std::string& vnf_id, std::optional<double> since,
                      std::optional<double> until) {
    // FromMicros(0) is "open" on the wire.
    const TimePoint from =
        since ? TimeFromSeconds(*since, "since") : FromMicros(0);
    const TimePoint to =
        until ? TimeFromSeconds(*until, "until") : FromMicros(0);
    return ToList(CallWithoutGil(client_, [&](amqp::AdminClient& c) {
      return c.VnfHistory(vnf_id, from, to);
    }));
  }

  py::list AuditVerify(const std::string& partition) {
    return ToList(CallWithoutGil(client_, [&](amqp::AdminClient& c) {
      return c.AuditVerify(partition);
    }));
  }

  py::list AuditExport(const std::vector<std::string>& partitions) {
    return ToList(CallWithoutGil(client_, [&](amqp::AdminClient& c) {
      return c.AuditExport(partitions);
    }));
  }

  void Close() {
    std::shared_ptr<amqp::AdminClient> client = std::move(client_);
    py::gil_scoped_release nogil;
    client.reset();
  }

 private:
  std::shared_ptr<amqp::AdminClient> client_;
};

}  // namespace

void RegisterAdmin(py::module_& m) {
  using C = PyAdminClient;
  py::class_<C>(m, "AdminClient", "The nfvsm gateway's admin RPC.")
      .def(py::init<const std::string&, const std::string&, double>(),
           py::arg("transport_url"), py::kw_only(), py::arg("actor"),
           py::arg("timeout") = 30.0)
      .def("put_domain", &C::PutDomain, py::arg("id"), py::kw_only(),
           py::arg("kind") = "vnf", py::arg("sensitive") = false,
           py::arg("trusts") = std::vector<std::string>{},
           py::arg("description") = "")
      .def("remove_domain", &C::RemoveDomain, py::arg("id"))
      .def("put_sm", &C::PutSm, py::arg("id"), py::kw_only(),
           py::arg("public_key_pem"), py::arg("home_domain") = "",
           py::arg("master") = py::none(), py::arg("description") = "")
      .def("remove_sm", &C::RemoveSm, py::arg("id"))
      .def("put_binding", &C::PutBinding, py::arg("sm"), py::arg("domain"),
           py::kw_only(), py::arg("mode"),
           py::arg("allowed_instructions") = py::none(),
           py::arg("hidden_events") = std::vector<std::string>{},
           py::arg("gate_deadline") = 30.0, py::arg("semi_active_window") = 0.0,
           py::arg("fail_mode") = "closed")
      .def("remove_binding", &C::RemoveBinding, py::arg("sm"),
           py::arg("domain"))
      .def("put_vnf", &C::PutVnf, py::arg("id"), py::kw_only(),
           py::arg("domain"), py::arg("image_id") = "", py::arg("vnfd_id") = "",
           py::arg("package_id") = "", py::arg("host") = "",
           py::arg("zone") = "", py::arg("needs_security_policy") = false,
           py::arg("state") = "pending", py::arg("requestor_id") = "",
           py::arg("ns_id") = "")
      .def("list_domains", &C::ListDomains)
      .def("list_sms", &C::ListSms)
      .def("list_bindings", &C::ListBindings)
      .def("list_quarantine", &C::ListQuarantine)
      .def("release_quarantine", &C::ReleaseQuarantine, py::arg("target"),
           py::arg("target_id"), py::kw_only(), py::arg("reason"))
      .def("vnf_status", &C::VnfStatus, py::arg("vnf_id"))
      .def("vnf_history", &C::VnfHistory, py::arg("vnf_id"), py::kw_only(),
           py::arg("since") = py::none(), py::arg("until") = py::none())
      .def("audit_verify", &C::AuditVerify, py::arg("partition") = "")
      .def("audit_export", &C::AuditExport,
           py::arg("partitions") = std::vector<std::string>{})
      .def("close", &C::Close)
      .def("__enter__", [](py::object self) { return self; })
      .def("__exit__", [](C& c, py::args) { c.Close(); });
}

}  // namespace nfvsm::python
