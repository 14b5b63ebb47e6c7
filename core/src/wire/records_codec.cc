// VNF records, audit records, and the status and history answers built
// from them (R2.1.350, R2.1.360, R1.3.260).
#include <string>

#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/queries.pb.h"
#include "nfvsm/v1/records.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::CheckId;
using internal::EnumFromProto;
using internal::EnumToProto;
using internal::Indexed;
using internal::Presence;
using internal::Within;

Status CheckVnf(const VnfRecord& v) {
  NFVSM_RETURN_IF_ERROR(CheckId("vnf_id", v.id, Presence::kRequired));
  const std::pair<const char*, const std::string*> ids[] = {
      {"requestor_id", &v.requestor_id},
      {"ns_id", &v.ns_id},
      {"domain", &v.domain},
      {"package_id", &v.package_id},
      {"vnfd_id", &v.vnfd_id},
      {"image_id", &v.image_id},
      {"host", &v.host},
      {"zone", &v.zone},
  };
  for (const auto& [path, value] : ids) {
    NFVSM_RETURN_IF_ERROR(CheckId(path, *value, Presence::kOptional));
  }
  return OkStatus();
}

Status CheckAudit(const AuditRecord& r) {
  NFVSM_RETURN_IF_ERROR(CheckId("partition", r.partition, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(internal::CheckText("kind", r.kind));
  NFVSM_RETURN_IF_ERROR(internal::CheckText("actor", r.actor));
  return internal::CheckText("subject", r.subject);
}

}  // namespace

Status ToProto(const VnfRecord& in, v1::VnfRecord* out) {
  NFVSM_RETURN_IF_ERROR(CheckVnf(in));
  NFVSM_ASSIGN_OR_RETURN(int state,
                         EnumToProto(in.state, v1::VnfState_MAX, "state"));
  out->Clear();
  out->set_vnf_id(in.id);
  out->set_requestor_id(in.requestor_id);
  out->set_ns_id(in.ns_id);
  out->set_domain(in.domain);
  out->set_package_id(in.package_id);
  out->set_vnfd_id(in.vnfd_id);
  out->set_image_id(in.image_id);
  out->set_host(in.host);
  out->set_zone(in.zone);
  out->set_state(static_cast<v1::VnfState>(state));
  out->set_needs_security_policy(in.needs_security_policy);
  out->set_created_at_us(ToMicros(in.created_at));
  out->set_updated_at_us(ToMicros(in.updated_at));
  return OkStatus();
}

StatusOr<VnfRecord> FromProto(const v1::VnfRecord& in) {
  VnfRecord v;
  v.id = in.vnf_id();
  v.requestor_id = in.requestor_id();
  v.ns_id = in.ns_id();
  v.domain = in.domain();
  v.package_id = in.package_id();
  v.vnfd_id = in.vnfd_id();
  v.image_id = in.image_id();
  v.host = in.host();
  v.zone = in.zone();
  NFVSM_ASSIGN_OR_RETURN(
      v.state, EnumFromProto<VnfState>(in.state(), v1::VnfState_MAX, "state"));
  v.needs_security_policy = in.needs_security_policy();
  v.created_at = FromMicros(in.created_at_us());
  v.updated_at = FromMicros(in.updated_at_us());
  NFVSM_RETURN_IF_ERROR(CheckVnf(v));
  return v;
}

Status ToProto(const AuditRecord& in, v1::AuditRecordProto* out) {
  NFVSM_RETURN_IF_ERROR(CheckAudit(in));
  out->Clear();
  out->set_partition(in.partition);
  out->set_seq(in.seq);
  out->set_at_us(ToMicros(in.at));
  out->set_kind(in.kind);
  out->set_actor(in.actor);
  out->set_subject(in.subject);
  out->set_body(in.body);
  out->set_encrypted(in.encrypted);
  out->set_prev_hash(in.prev_hash);
  out->set_hash(in.hash);
  out->set_mac(in.mac);
  return OkStatus();
}

StatusOr<AuditRecord> FromProto(const v1::AuditRecordProto& in) {
  AuditRecord r;
  r.partition = in.partition();
  r.seq = in.seq();
  r.at = FromMicros(in.at_us());
  r.kind = in.kind();
  r.actor = in.actor();
  r.subject = in.subject();
  r.body = in.body();
  r.encrypted = in.encrypted();
  r.prev_hash = in.prev_hash();
  r.hash = in.hash();
  r.mac = in.mac();
  NFVSM_RETURN_IF_ERROR(CheckAudit(r));
  return r;
}

StatusOr<std::string> EncodeAuditRecord(const AuditRecord& record) {
  v1::AuditRecordProto proto;
  NFVSM_RETURN_IF_ERROR(ToProto(record, &proto));
  return internal::Serialize(proto);
}

StatusOr<AuditRecord> DecodeAuditRecord(std::string_view bytes,
                                        size_t max_bytes) {
  v1::AuditRecordProto proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  return FromProto(proto);
}

StatusOr<std::string> EncodeStatusResult(const std::string& instruction_id,
                                         const std::vector<VnfRecord>& vnfs) {
  NFVSM_RETURN_IF_ERROR(
      CheckId("instruction_id", instruction_id, Presence::kRequired));
  v1::StatusResult proto;
  proto.set_instruction_id(instruction_id);
  for (size_t i = 0; i < vnfs.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(
        Within(Indexed("vnfs", i), ToProto(vnfs[i], proto.add_vnfs())));
  }
  return internal::Serialize(proto);
}

StatusOr<StatusResultMessage> DecodeStatusResult(std::string_view bytes,
                                                 size_t max_bytes) {
  v1::StatusResult proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  StatusResultMessage out;
  out.instruction_id = proto.instruction_id();
  NFVSM_RETURN_IF_ERROR(
      CheckId("instruction_id", out.instruction_id, Presence::kRequired));
  out.vnfs.reserve(proto.vnfs_size());
  for (int i = 0; i < proto.vnfs_size(); ++i) {
    auto vnf = FromProto(proto.vnfs(i));
    if (!vnf.ok()) return Within(Indexed("vnfs", i), vnf.status());
    out.vnfs.push_back(std::move(vnf).value());
  }
  return out;
}

StatusOr<std::string> EncodeHistoryResult(
    const std::string& instruction_id,
    const std::vector<LifecycleEvent>& events) {
  NFVSM_RETURN_IF_ERROR(
      CheckId("instruction_id", instruction_id, Presence::kRequired));
  v1::HistoryResult proto;
  proto.set_instruction_id(instruction_id);
  for (size_t i = 0; i < events.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(
        Within(Indexed("events", i), ToProto(events[i], proto.add_events())));
  }
  return internal::Serialize(proto);
}

StatusOr<HistoryResultMessage> DecodeHistoryResult(std::string_view bytes,
                                                   size_t max_bytes) {
  v1::HistoryResult proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, max_bytes, internal::UnknownFields::kIgnore, &proto));
  HistoryResultMessage out;
  out.instruction_id = proto.instruction_id();
  NFVSM_RETURN_IF_ERROR(
      CheckId("instruction_id", out.instruction_id, Presence::kRequired));
  out.events.reserve(proto.events_size());
  for (int i = 0; i < proto.events_size(); ++i) {
    auto event = FromProto(proto.events(i));
    if (!event.ok()) return Within(Indexed("events", i), event.status());
    out.events.push_back(std::move(event).value());
  }
  return out;
}

}  // namespace nfvsm::wire
