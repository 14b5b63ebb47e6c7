#include "nfvsm/lifecycle_event.h"

#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace nfvsm {
namespace {

constexpr size_t kMaxQuotedBytes = 64;

// An id or key safe to put in an error message: bounded, printable ASCII.
std::string Printable(std::string_view s) {
  std::string out;
  const size_t n = std::min(s.size(), kMaxQuotedBytes);
  out.reserve(n + 3);
  for (size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    out.push_back(c >= 0x20 && c < 0x7f ? static_cast<char>(c) : '?');
  }
  if (s.size() > n) out += "...";
  return out;
}

class Checker {
 public:
  Checker(const LifecycleEvent& e, EventValidation mode) : e_(e) {
    subject_ =
        std::string(ToString(e.kind)) + " event " +
        (e.id.empty() ? std::string("(no id)") : "'" + Printable(e.id) + "'");
    switch (e.kind) {
      case EventKind::kCreate:
        requirement_ = mode == EventValidation::kFull ? "R2.1.210" : "R2.1.150";
        break;
      case EventKind::kModify:
        requirement_ = mode == EventValidation::kFull ? "R2.1.220" : "R2.1.160";
        break;
      case EventKind::kTerminate:
      case EventKind::kCrash:
        requirement_ = mode == EventValidation::kFull ? "R2.1.230" : "R2.1.170";
        break;
    }
  }

  Status Missing(std::string_view field, std::string_view req = {}) const {
    return InvalidArgumentError(
        subject_ + " is missing " + std::string(field) + " (" +
        std::string(req.empty() ? requirement_ : req) + ")");
  }

  Status String(std::string_view field, const std::string& value,
                size_t limit = kMaxEventStringBytes) const {
    if (value.size() <= limit) return OkStatus();
    return InvalidArgumentError(subject_ + " has " + std::string(field) +
                                " longer than " + std::to_string(limit) +
                                " bytes");
  }

  Status List(std::string_view field,
              const std::vector<std::string>& values) const {
    if (values.size() > kMaxEventListEntries) {
      return InvalidArgumentError(subject_ + " has more than " +
                                  std::to_string(kMaxEventListEntries) +
                                  " entries in " + std::string(field));
    }
    for (size_t i = 0; i < values.size(); ++i) {
      const std::string entry =
          std::string(field) + "[" + std::to_string(i) + "]";
      if (values[i].empty()) {
        return InvalidArgumentError(subject_ + " has an empty " + entry);
      }
      NFVSM_RETURN_IF_ERROR(String(entry, values[i]));
    }
    return OkStatus();
  }

  Status Details() const {
    if (e_.details.size() > kMaxEventDetails) {
      return InvalidArgumentError(subject_ + " has more than " +
                                  std::to_string(kMaxEventDetails) +
                                  " entries in details");
    }
    for (const auto& [key, value] : e_.details) {
      if (key.empty()) {
        return InvalidArgumentError(subject_ + " has an empty key in details");
      }
      NFVSM_RETURN_IF_ERROR(String("a details key", key));
      NFVSM_RETURN_IF_ERROR(String("details['" + Printable(key) + "']", value));
    }
    return OkStatus();
  }

  const std::string& subject() const { return subject_; }

 private:
  const LifecycleEvent& e_;
  std::string subject_;
  std::string_view requirement_;
};

template <typename E>
bool InRange(E v, E last) {
  return static_cast<int>(v) <= static_cast<int>(last);
}

Status CheckEnums(const LifecycleEvent& e) {
  const std::string id = "'" + Printable(e.id) + "'";
  if (!InRange(e.kind, EventKind::kCrash)) {
    return InvalidArgumentError("event " + id + " has an invalid kind");
  }
  if (!InRange(e.phase, Phase::kFailed)) {
    return InvalidArgumentError("event " + id + " has an invalid phase");
  }
  if (!InRange(e.source, EventSource::kSecurityManager)) {
    return InvalidArgumentError("event " + id + " has an invalid source");
  }
  if (!InRange(e.aspect, ModifyAspect::kPowerState)) {
    return InvalidArgumentError("event " + id + " has an invalid aspect");
  }
  return OkStatus();
}

Status CheckLimits(const LifecycleEvent& e, const Checker& c) {
  const std::pair<std::string_view, const std::string*> strings[] = {
      {"id", &e.id},
      {"reason", &e.reason},
      {"vnf_id", &e.vnf_id},
      {"domain", &e.domain},
      {"origin", &e.origin},
      {"package_id", &e.package_id},
      {"vnfd_id", &e.vnfd_id},
      {"package_checksum", &e.package_checksum},
      {"requestor_id", &e.requestor_id},
      {"ns_id", &e.ns_id},
      {"image_id", &e.image_id},
  };
  for (const auto& [field, value] : strings) {
    NFVSM_RETURN_IF_ERROR(c.String(field, *value));
  }
  NFVSM_RETURN_IF_ERROR(c.String("vnfd", e.vnfd, kMaxEventVnfdBytes));
  NFVSM_RETURN_IF_ERROR(c.List("connectivity", e.connectivity));
  NFVSM_RETURN_IF_ERROR(c.List("intended_hosts", e.intended_hosts));
  NFVSM_RETURN_IF_ERROR(c.List("locations", e.locations));
  return c.Details();
}

// What every event needs, whatever its kind or origin.
Status CheckCommon(const LifecycleEvent& e, const Checker& c) {
  if (e.id.empty()) return c.Missing("id");
  if (e.vnf_id.empty()) return c.Missing("vnf_id");
  if (e.source == EventSource::kUnknown) return c.Missing("source", "R2.1.180");
  if (e.reason.empty()) return c.Missing("reason", "R2.1.190");
  if (ToMicros(e.occurred_at) <= 0) return c.Missing("occurred_at");
  return OkStatus();
}

Status CheckCreate(const LifecycleEvent& e, const Checker& c) {
  if (e.package_id.empty()) return c.Missing("package_id");
  if (e.vnfd_id.empty()) return c.Missing("vnfd_id");
  if (e.package_checksum.empty()) return c.Missing("package_checksum");
  if (!e.package_integrity_ok) return c.Missing("package_integrity_ok");
  if (e.requestor_id.empty()) return c.Missing("requestor_id");
  if (e.ns_id.empty()) return c.Missing("ns_id");
  if (e.intended_hosts.empty() && e.locations.empty()) {
    return c.Missing("intended_hosts or locations");
  }
  return OkStatus();
}

}  // namespace

Status ValidateEvent(const LifecycleEvent& e, EventValidation mode) {
  if (mode != EventValidation::kFull && mode != EventValidation::kObserved) {
    return InvalidArgumentError("invalid event validation mode");
  }
  NFVSM_RETURN_IF_ERROR(CheckEnums(e));
  const Checker c(e, mode);
  NFVSM_RETURN_IF_ERROR(CheckLimits(e, c));
  NFVSM_RETURN_IF_ERROR(CheckCommon(e, c));
  if (mode == EventValidation::kObserved) return OkStatus();
  switch (e.kind) {
    case EventKind::kCreate:
      return CheckCreate(e, c);
    case EventKind::kModify:
      if (e.details.empty() && e.aspect == ModifyAspect::kOther) {
        return c.Missing("details");
      }
      return OkStatus();
    case EventKind::kTerminate:
    case EventKind::kCrash:
      return OkStatus();
  }
  return OkStatus();
}

}  // namespace nfvsm
