// Fully populated sample values for the wire codec tests: every field set
// to something other than its default, so a field the codec drops shows up
// as a roundtrip difference.
#ifndef NFVSM_TESTS_CORE_WIRE_SAMPLES_H_
#define NFVSM_TESTS_CORE_WIRE_SAMPLES_H_

#include <google/protobuf/message.h>
#include <google/protobuf/unknown_field_set.h>

#include <string>

#include "nfvsm/gate.h"
#include "nfvsm/instruction.h"
#include "nfvsm/policy.h"
#include "nfvsm/types.h"

namespace nfvsm::wire::samples {

// Unknown fields as a newer schema (or an attacker) would add them.
inline google::protobuf::UnknownFieldSet* UnknownFieldsOf(
    google::protobuf::Message* m) {
  return m->GetReflection()->MutableUnknownFields(m);
}

inline Policy SamplePolicy() {
  Policy p;
  p.id = "sm-a/web";
  p.placement.allowed_zones = {"az-1", "az-2"};
  p.placement.denied_hosts = {"compute-9"};
  p.placement.hmee_required = true;
  p.placement.anti_affinity_group = "web";
  p.network.security_group_rules = {{"ingress", "tcp", 443, 443, "10.0.0.0/8"},
                                    {"egress", "udp", 53, 53, "2001:db8::/32"},
                                    {"ingress", "icmp", 0, 0, "0.0.0.0/0"},
                                    {"egress", "any", 0, 65535, "::/0"}};
  p.network.insert_functions = {{"vnfd-fw", "vnf-lb", "vnf-web"}};
  p.boot.vbs_required = true;
  p.boot.vnf_whitelist = {"vnf-web"};
  p.boot.vnfd_whitelist = {"vnfd-web"};
  p.boot.image_whitelist = {"img-1"};
  p.boot.vnfm_whitelist = {"tacker"};
  p.boot.em_whitelist = {"em-1"};
  p.on_update = EnforcementBehaviour::kBlockAllTraffic;
  return p;
}

inline LifecycleEvent SampleEvent() {
  LifecycleEvent e;
  e.id = "ev-1";
  e.kind = EventKind::kModify;
  e.phase = Phase::kStart;
  e.source = EventSource::kAutoHealing;
  e.reason = "host failure";
  e.occurred_at = FromMicros(1'700'000'000'123'456);
  e.vnf_id = "vnf-web";
  e.domain = "tenant-a";
  e.origin = "instance.rebuild.start";
  e.package_id = "pkg-1";
  e.vnfd_id = "vnfd-web";
  e.vnfd = "tosca_definitions_version: tosca_simple_yaml_1_3\n";
  e.package_checksum = "sha256:abcd";
  e.package_integrity_ok = false;
  e.requestor_id = "oss-42";
  e.ns_id = "ns-7";
  e.connectivity = {"net-a", "port-1", "pnf-gw"};
  e.intended_hosts = {"compute-1"};
  e.locations = {"az-1", "site-east"};
  e.image_id = "img-1";
  e.aspect = ModifyAspect::kLocation;
  e.details = {{"from_host", "compute-1"}, {"to_host", "compute-2"}};
  return e;
}

inline VnfRecord SampleVnf() {
  VnfRecord v;
  v.id = "vnf-web";
  v.requestor_id = "oss-42";
  v.ns_id = "ns-7";
  v.domain = "tenant-a";
  v.package_id = "pkg-1";
  v.vnfd_id = "vnfd-web";
  v.image_id = "img-1";
  v.host = "compute-1";
  v.zone = "az-1";
  v.state = VnfState::kStopped;
  v.needs_security_policy = true;
  v.created_at = FromMicros(1'600'000'000'000'000);
  v.updated_at = FromMicros(1'600'000'000'000'001);
  return v;
}

inline GateRequest SampleGateRequest() {
  GateRequest r;
  r.id = "gate-1";
  r.operation = OperationKind::kMigrate;
  r.vnf_id = "vnf-web";
  r.domain = "tenant-a";
  r.image_id = "img-1";
  r.vnfd_id = "vnfd-web";
  r.package_id = "pkg-1";
  r.target_host = "compute-2";
  r.target_zone = "az-2";
  r.replaces_vnf_id = "vnf-old";
  r.is_recovery = true;
  r.needs_security_policy = true;
  r.source = EventSource::kVnfm;
  r.reason = "rebalance";
  r.mano_attributes = SamplePolicy();
  r.mano_attributes.id = "vnfd-attrs";
  r.event = SampleEvent();
  return r;
}

}  // namespace nfvsm::wire::samples

#endif  // NFVSM_TESTS_CORE_WIRE_SAMPLES_H_
