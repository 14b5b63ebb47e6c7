// Lifecycle events (R2.1.150 - R2.1.240) and security alerts.
#include <string>

#include "nfvsm/lifecycle_event.h"
#include "nfvsm/v1/events.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::CheckId;
using internal::CheckString;
using internal::CheckText;
using internal::EnumFromProto;
using internal::EnumToProto;
using internal::Indexed;
using internal::Presence;

Status CheckList(const std::string& path, const std::vector<std::string>& v) {
  if (v.size() > kMaxEventListEntries) {
    return InvalidArgumentError(path + ": " + std::to_string(v.size()) +
                                " entries, at most " +
                                std::to_string(kMaxEventListEntries));
  }
  for (size_t i = 0; i < v.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(CheckString(
        Indexed(path, i), v[i], kMaxEventStringBytes, Presence::kOptional));
  }
  return OkStatus();
}

// The bounds of lifecycle_event.h, applied on both sides of the wire so
// that MANO never sends what an SM built on this codec would refuse.
Status CheckEventLimits(const LifecycleEvent& e) {
  NFVSM_RETURN_IF_ERROR(CheckId("event_id", e.id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckId("vnf_id", e.vnf_id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckId("domain", e.domain, Presence::kOptional));
  const std::pair<const char*, const std::string*> texts[] = {
      {"reason", &e.reason},
      {"origin", &e.origin},
      {"package_id", &e.package_id},
      {"vnfd_id", &e.vnfd_id},
      {"package_checksum", &e.package_checksum},
      {"requestor_id", &e.requestor_id},
      {"ns_id", &e.ns_id},
      {"image_id", &e.image_id},
  };
  for (const auto& [path, value] : texts) {
    NFVSM_RETURN_IF_ERROR(
        CheckString(path, *value, kMaxEventStringBytes, Presence::kOptional));
  }
  NFVSM_RETURN_IF_ERROR(
      CheckString("vnfd", e.vnfd, kMaxEventVnfdBytes, Presence::kOptional));
  NFVSM_RETURN_IF_ERROR(CheckList("connectivity", e.connectivity));
  NFVSM_RETURN_IF_ERROR(CheckList("intended_hosts", e.intended_hosts));
  NFVSM_RETURN_IF_ERROR(CheckList("locations", e.locations));
  if (e.details.size() > kMaxEventDetails) {
    return InvalidArgumentError("details: " + std::to_string(e.details.size()) +
                                " entries, at most " +
                                std::to_string(kMaxEventDetails));
  }
  for (const auto& [key, value] : e.details) {
    NFVSM_RETURN_IF_ERROR(
        CheckString("details", key, kMaxEventStringBytes, Presence::kRequired));
    NFVSM_RETURN_IF_ERROR(CheckString("details", value, kMaxEventStringBytes,
                                      Presence::kOptional));
  }
  return OkStatus();
}

void CopyList(const google::protobuf::RepeatedPtrField<std::string>& in,
              std::vector<std::string>* out) {
  out->assign(in.begin(), in.end());
}

Status CheckAlert(const SecurityAlert& a) {
  NFVSM_RETURN_IF_ERROR(CheckId("alert_id", a.id, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckId("vnf_id", a.vnf_id, Presence::kOptional));
  NFVSM_RETURN_IF_ERROR(CheckId("domain", a.domain, Presence::kOptional));
  NFVSM_RETURN_IF_ERROR(CheckText("description", a.description));
  return CheckId("related_id", a.related_id, Presence::kOptional);
}

}  // namespace

Status ToProto(const LifecycleEvent& in, v1::LifecycleEventNotification* out) {
  NFVSM_RETURN_IF_ERROR(CheckEventLimits(in));
  NFVSM_ASSIGN_OR_RETURN(int kind,
                         EnumToProto(in.kind, v1::EventKind_MAX, "kind"));
  NFVSM_ASSIGN_OR_RETURN(int phase,
                         EnumToProto(in.phase, v1::EventPhase_MAX, "phase"));
  NFVSM_ASSIGN_OR_RETURN(int source,
                         EnumToProto(in.source, v1::EventSource_MAX, "source"));
  NFVSM_ASSIGN_OR_RETURN(
      int aspect, EnumToProto(in.aspect, v1::ModifyAspect_MAX, "aspect"));
  out->Clear();
  out->set_event_id(in.id);
  out->set_kind(static_cast<v1::EventKind>(kind));
  out->set_phase(static_cast<v1::EventPhase>(phase));
  out->set_source(static_cast<v1::EventSource>(source));
  out->set_reason(in.reason);
  out->set_occurred_at_us(ToMicros(in.occurred_at));
  out->set_vnf_id(in.vnf_id);
  out->set_domain(in.domain);
  out->set_origin(in.origin);
  out->set_package_id(in.package_id);
  out->set_vnfd_id(in.vnfd_id);
  out->set_vnfd(in.vnfd);
  out->set_package_checksum(in.package_checksum);
  if (in.package_integrity_ok) {
    out->set_package_integrity_ok(*in.package_integrity_ok);
  }
  out->set_requestor_id(in.requestor_id);
  out->set_ns_id(in.ns_id);
  for (const auto& s : in.connectivity) *out->add_connectivity() = s;
  for (const auto& s : in.intended_hosts) *out->add_intended_hosts() = s;
  for (const auto& s : in.locations) *out->add_locations() = s;
  out->set_image_id(in.image_id);
  out->set_aspect(static_cast<v1::ModifyAspect>(aspect));
  for (const auto& [key, value] : in.details) {
    (*out->mutable_details())[key] = value;
  }
  return OkStatus();
}

StatusOr<LifecycleEvent> FromProto(const v1::LifecycleEventNotification& in) {
  LifecycleEvent e;
  e.id = in.event_id();
  NFVSM_ASSIGN_OR_RETURN(
      e.kind, EnumFromProto<EventKind>(in.kind(), v1::EventKind_MAX, "kind"));
  NFVSM_ASSIGN_OR_RETURN(
      e.phase, EnumFromProto<Phase>(in.phase(), v1::EventPhase_MAX, "phase"));
  NFVSM_ASSIGN_OR_RETURN(
      e.source,
      EnumFromProto<EventSource>(in.source(), v1::EventSource_MAX, "source"));
  if (in.aspect() != v1::MODIFY_ASPECT_UNSPECIFIED ||
      e.kind == EventKind::kModify) {
    NFVSM_ASSIGN_OR_RETURN(
        e.aspect, EnumFromProto<ModifyAspect>(in.aspect(), v1::ModifyAspect_MAX,
                                              "aspect"));
  }
  e.reason = in.reason();
  e.occurred_at = FromMicros(in.occurred_at_us());
  e.vnf_id = in.vnf_id();
  e.domain = in.domain();
  e.origin = in.origin();
  e.package_id = in.package_id();
  e.vnfd_id = in.vnfd_id();
  e.vnfd = in.vnfd();
  e.package_checksum = in.package_checksum();
  if (in.has_package_integrity_ok()) {
    e.package_integrity_ok = in.package_integrity_ok();
  }
  e.requestor_id = in.requestor_id();
  e.ns_id = in.ns_id();
  CopyList(in.connectivity(), &e.connectivity);
  CopyList(in.intended_hosts(), &e.intended_hosts);
  CopyList(in.locations(), &e.locations);
  e.image_id = in.image_id();
  e.details.insert(in.details().begin(), in.details().end());
  NFVSM_RETURN_IF_ERROR(CheckEventLimits(e));
  return e;
}

StatusOr<std::string> EncodeEvent(const LifecycleEvent& event) {
  v1::LifecycleEventNotification proto;
  NFVSM_RETURN_IF_ERROR(ToProto(event, &proto));
  return internal::Serialize(proto);
}

StatusOr<LifecycleEvent> DecodeEvent(std::string_view bytes, size_t max_bytes) {
  v1::LifecycleEventNotification proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  return FromProto(proto);
}

StatusOr<std::string> EncodeSecurityEvent(const SecurityAlert& alert) {
  NFVSM_RETURN_IF_ERROR(CheckAlert(alert));
  NFVSM_ASSIGN_OR_RETURN(
      int kind, EnumToProto(alert.kind, v1::SecurityEventKind_MAX, "kind"));
  NFVSM_ASSIGN_OR_RETURN(
      int source, EnumToProto(alert.source, v1::EventSource_MAX, "source"));
  v1::SecurityEvent proto;
  proto.set_alert_id(alert.id);
  proto.set_kind(static_cast<v1::SecurityEventKind>(kind));
  proto.set_occurred_at_us(ToMicros(alert.occurred_at));
  proto.set_vnf_id(alert.vnf_id);
  proto.set_domain(alert.domain);
  proto.set_source(static_cast<v1::EventSource>(source));
  if (alert.operation) {
    NFVSM_ASSIGN_OR_RETURN(
        int operation,
        EnumToProto(*alert.operation, v1::OperationKind_MAX, "operation"));
    proto.set_operation(static_cast<v1::OperationKind>(operation));
  }
  proto.set_description(alert.description);
  proto.set_related_id(alert.related_id);
  return internal::Serialize(proto);
}

StatusOr<SecurityAlert> DecodeSecurityEvent(std::string_view bytes,
                                            size_t max_bytes) {
  v1::SecurityEvent proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  SecurityAlert alert;
  alert.id = proto.alert_id();
  NFVSM_ASSIGN_OR_RETURN(alert.kind,
                         EnumFromProto<SecurityAlertKind>(
                             proto.kind(), v1::SecurityEventKind_MAX, "kind"));
  alert.occurred_at = FromMicros(proto.occurred_at_us());
  alert.vnf_id = proto.vnf_id();
  alert.domain = proto.domain();
  // Source and operation are "if known" (events.proto): unset is allowed.
  if (proto.source() != v1::EVENT_SOURCE_UNSPECIFIED) {
    NFVSM_ASSIGN_OR_RETURN(alert.source,
                           EnumFromProto<EventSource>(
                               proto.source(), v1::EventSource_MAX, "source"));
  }
  if (proto.operation() != v1::OPERATION_KIND_UNSPECIFIED) {
    NFVSM_ASSIGN_OR_RETURN(
        alert.operation,
        EnumFromProto<OperationKind>(proto.operation(), v1::OperationKind_MAX,
                                     "operation"));
  }
  alert.description = proto.description();
  alert.related_id = proto.related_id();
  NFVSM_RETURN_IF_ERROR(CheckAlert(alert));
  return alert;
}

}  // namespace nfvsm::wire
