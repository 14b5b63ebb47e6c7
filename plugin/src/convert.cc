#include "convert.h"

#include <pybind11/stl.h>

#include <cmath>
#include <vector>

#include "errors.h"
#include "nfvsm/crypto.h"

namespace nfvsm::python {
namespace {

template <typename E, size_t N>
py::list EnumNames(EnumSet<E> set, const E (&all)[N]) {
  py::list out;
  for (E v : all) {
    if (set.Contains(v)) out.append(py::str(std::string(ToString(v))));
  }
  return out;
}

py::str Str(std::string_view s) { return py::str(s.data(), s.size()); }

}  // namespace

double ToSeconds(TimePoint t) { return static_cast<double>(ToMicros(t)) / 1e6; }

double ToSeconds(Duration d) { return static_cast<double>(d.count()) / 1e6; }

Duration DurationFromSeconds(double seconds, std::string_view what) {
  // 1e12 s keeps the microsecond count far inside int64.
  if (!std::isfinite(seconds) || seconds < 0 || seconds > 1e12) {
    RaiseInvalid(std::string(what) +
                 " must be a non-negative number of seconds");
  }
  return Duration(static_cast<int64_t>(std::llround(seconds * 1e6)));
}

TimePoint TimeFromSeconds(double seconds, std::string_view what) {
  if (!std::isfinite(seconds) || std::fabs(seconds) > 1e12) {
    RaiseInvalid(std::string(what) + " must be seconds since the epoch");
  }
  return FromMicros(static_cast<int64_t>(std::llround(seconds * 1e6)));
}

py::dict PolicyToDict(const Policy& policy) {
  return py::module_::import("json").attr("loads")(PolicyToJson(policy));
}

py::dict ToDict(const TrustDomain& d) {
  py::dict out;
  out["id"] = d.id;
  out["kind"] = Str(ToString(d.kind));
  out["sensitive"] = d.sensitive;
  out["trusts"] = std::vector<std::string>(d.trusts.begin(), d.trusts.end());
  out["description"] = d.description;
  return out;
}

py::dict ToDict(const SecurityManager& sm) {
  py::dict out;
  out["id"] = sm.id;
  out["public_key_pem"] = sm.public_key_pem;
  out["master"] = sm.master ? py::object(py::str(*sm.master)) : py::none();
  out["home_domain"] = sm.home_domain;
  out["description"] = sm.description;
  return out;
}

py::dict ToDict(const Binding& b) {
  py::dict out;
  out["sm"] = b.sm;
  out["domain"] = b.domain;
  out["mode"] = Str(ToString(b.mode));
  out["allowed_instructions"] =
      EnumNames(b.allowed_instructions, kAllInstructionKinds);
  out["hidden_events"] = EnumNames(b.hidden_events, kAllEventKinds);
  out["gate_deadline"] = ToSeconds(b.gate_deadline);
  out["semi_active_window"] = ToSeconds(b.semi_active_window);
  out["fail_mode"] = Str(ToString(b.fail_mode));
  return out;
}

py::dict ToDict(const VnfRecord& v) {
  py::dict out;
  out["id"] = v.id;
  out["requestor_id"] = v.requestor_id;
  out["ns_id"] = v.ns_id;
  out["domain"] = v.domain;
  out["package_id"] = v.package_id;
  out["vnfd_id"] = v.vnfd_id;
  out["image_id"] = v.image_id;
  out["host"] = v.host;
  out["zone"] = v.zone;
  out["state"] = Str(ToString(v.state));
  out["needs_security_policy"] = v.needs_security_policy;
  out["created_at"] = ToSeconds(v.created_at);
  out["updated_at"] = ToSeconds(v.updated_at);
  return out;
}

py::dict ToDict(const LifecycleEvent& e) {
  py::dict out;
  out["id"] = e.id;
  out["kind"] = Str(ToString(e.kind));
  out["phase"] = Str(ToString(e.phase));
  out["source"] = Str(ToString(e.source));
  out["reason"] = e.reason;
  out["occurred_at"] = ToSeconds(e.occurred_at);
  out["vnf_id"] = e.vnf_id;
  out["domain"] = e.domain;
  out["origin"] = e.origin;
  out["package_id"] = e.package_id;
  out["vnfd_id"] = e.vnfd_id;
  out["vnfd"] = e.vnfd;
  out["package_checksum"] = e.package_checksum;
  out["package_integrity_ok"] =
      e.package_integrity_ok ? py::object(py::bool_(*e.package_integrity_ok))
                             : py::none();
  out["requestor_id"] = e.requestor_id;
  out["ns_id"] = e.ns_id;
  out["connectivity"] = e.connectivity;
  out["intended_hosts"] = e.intended_hosts;
  out["locations"] = e.locations;
  out["image_id"] = e.image_id;
  out["aspect"] = Str(ToString(e.aspect));
  out["details"] = e.details;
  return out;
}

py::dict ToDict(const QuarantineEntry& q) {
  py::dict out;
  out["target"] = Str(ToString(q.target));
  out["target_id"] = q.target_id;
  out["by_sm"] = q.by_sm;
  out["domain"] = q.domain;
  out["at"] = ToSeconds(q.at);
  out["reason"] = q.reason;
  out["terminated"] = q.terminated;
  out["replacement_allowed"] = q.replacement_allowed;
  out["copy_kept"] = q.copy_kept;
  out["recovery_allowed"] = q.recovery_allowed;
  out["erase_requested"] = q.erase_requested;
  return out;
}

py::dict ToDict(const VerifyReport& r) {
  py::dict out;
  out["ok"] = r.ok;
  out["partition"] = r.partition;
  out["records_checked"] = r.records_checked;
  out["first_bad_seq"] =
      r.first_bad_seq ? py::object(py::int_(*r.first_bad_seq)) : py::none();
  out["fault"] = Str(ToString(r.fault));
  out["problem"] = r.problem;
  return out;
}

py::dict ToDict(const AuditRecord& r) {
  py::dict out;
  out["partition"] = r.partition;
  out["seq"] = r.seq;
  out["at"] = ToSeconds(r.at);
  out["kind"] = r.kind;
  out["actor"] = r.actor;
  out["subject"] = r.subject;
  // An encrypted body is AES-GCM ciphertext, not text.
  out["body"] =
      r.encrypted ? py::object(py::bytes(r.body)) : py::object(py::str(r.body));
  out["encrypted"] = r.encrypted;
  out["prev_hash"] = crypto::HexEncode(r.prev_hash);
  out["hash"] = crypto::HexEncode(r.hash);
  out["mac"] = crypto::HexEncode(r.mac);
  return out;
}

}  // namespace nfvsm::python
