// nfvsm::Policy <-> nfvsm.v1.Policy. Both directions end in ValidatePolicy,
// so the protobuf form accepts exactly what the JSON form accepts.
#include <array>
#include <set>
#include <string>

#include "nfvsm/v1/policy.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::EnumFromProto;
using internal::EnumToProto;
using internal::Indexed;
using internal::Member;

// Index = proto number; the core keeps these as strings (policy.h).
constexpr std::array<std::string_view, 3> kDirections = {"", "ingress",
                                                         "egress"};
constexpr std::array<std::string_view, 5> kProtocols = {"", "tcp", "udp",
                                                        "icmp", "any"};

template <size_t N>
int NumberOf(const std::array<std::string_view, N>& names,
             std::string_view name) {
  for (size_t i = 1; i < N; ++i) {
    if (names[i] == name) return static_cast<int>(i);
  }
  return 0;
}

template <size_t N>
StatusOr<std::string> NameOf(const std::array<std::string_view, N>& names,
                             int number, const std::string& path) {
  if (number == 0) return InvalidArgumentError(path + ": unspecified");
  if (number < 0 || static_cast<size_t>(number) >= N) {
    return InvalidArgumentError(path + ": unknown value " +
                                std::to_string(number));
  }
  return std::string(names[number]);
}

void WriteNames(const std::set<std::string>& in,
                google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const auto& s : in) *out->Add() = s;
}

Status ReadNames(const google::protobuf::RepeatedPtrField<std::string>& in,
                 const std::string& path, std::set<std::string>* out) {
  if (static_cast<size_t>(in.size()) > kMaxWireListEntries) {
    return InvalidArgumentError(path + ": " + std::to_string(in.size()) +
                                " entries is more than the limit of " +
                                std::to_string(kMaxWireListEntries));
  }
  for (int i = 0; i < in.size(); ++i) {
    if (!out->insert(in[i]).second) {
      return InvalidArgumentError(Indexed(path, i) + ": duplicate entry");
    }
  }
  return OkStatus();
}

StatusOr<uint16_t> ReadPort(uint32_t port, const std::string& path) {
  if (port > UINT16_MAX) {
    return InvalidArgumentError(path + ": " + std::to_string(port) +
                                " is out of range 0..65535");
  }
  return static_cast<uint16_t>(port);
}

Status ReadRule(const v1::SecurityGroupRule& in, const std::string& path,
                SecurityGroupRule* out) {
  NFVSM_ASSIGN_OR_RETURN(out->direction, NameOf(kDirections, in.direction(),
                                                Member(path, "direction")));
  NFVSM_ASSIGN_OR_RETURN(out->protocol, NameOf(kProtocols, in.protocol(),
                                               Member(path, "protocol")));
  NFVSM_ASSIGN_OR_RETURN(out->port_min,
                         ReadPort(in.port_min(), Member(path, "port_min")));
  NFVSM_ASSIGN_OR_RETURN(out->port_max,
                         ReadPort(in.port_max(), Member(path, "port_max")));
  out->remote_cidr = in.remote_cidr();
  return OkStatus();
}

}  // namespace

Status ToProto(const Policy& in, v1::Policy* out) {
  NFVSM_RETURN_IF_ERROR(ValidatePolicy(in));
  out->Clear();
  out->set_version(static_cast<uint32_t>(in.version));
  out->set_id(in.id);

  auto* placement = out->mutable_placement();
  WriteNames(in.placement.allowed_zones, placement->mutable_allowed_zones());
  WriteNames(in.placement.denied_hosts, placement->mutable_denied_hosts());
  placement->set_hmee_required(in.placement.hmee_required);
  placement->set_anti_affinity_group(in.placement.anti_affinity_group);

  auto* network = out->mutable_network();
  for (const auto& r : in.network.security_group_rules) {
    auto* rule = network->add_security_group_rules();
    // ValidatePolicy has checked both names.
    rule->set_direction(
        static_cast<v1::TrafficDirection>(NumberOf(kDirections, r.direction)));
    rule->set_protocol(
        static_cast<v1::IpProtocol>(NumberOf(kProtocols, r.protocol)));
    rule->set_port_min(r.port_min);
    rule->set_port_max(r.port_max);
    rule->set_remote_cidr(r.remote_cidr);
  }
  for (const auto& f : in.network.insert_functions) {
    auto* function = network->add_insert_functions();
    function->set_vsf_vnfd_id(f.vsf_vnfd_id);
    function->set_after(f.after);
    function->set_before(f.before);
  }

  auto* boot = out->mutable_boot();
  boot->set_vbs_required(in.boot.vbs_required);
  WriteNames(in.boot.vnf_whitelist, boot->mutable_vnf_whitelist());
  WriteNames(in.boot.vnfd_whitelist, boot->mutable_vnfd_whitelist());
  WriteNames(in.boot.image_whitelist, boot->mutable_image_whitelist());
  WriteNames(in.boot.vnfm_whitelist, boot->mutable_vnfm_whitelist());
  WriteNames(in.boot.em_whitelist, boot->mutable_em_whitelist());

  NFVSM_ASSIGN_OR_RETURN(
      int on_update,
      EnumToProto(in.on_update, v1::EnforcementBehaviour_MAX, "on_update"));
  out->set_on_update(static_cast<v1::EnforcementBehaviour>(on_update));
  return OkStatus();
}

StatusOr<Policy> FromProto(const v1::Policy& in) {
  Policy out;
  if (in.version() != static_cast<uint32_t>(kPolicyFormatVersion)) {
    return InvalidArgumentError(
        "version: unsupported policy version " + std::to_string(in.version()) +
        " (this build reads " + std::to_string(kPolicyFormatVersion) + ")");
  }
  out.id = in.id();

  const auto& placement = in.placement();
  NFVSM_RETURN_IF_ERROR(ReadNames(placement.allowed_zones(),
                                  "placement.allowed_zones",
                                  &out.placement.allowed_zones));
  NFVSM_RETURN_IF_ERROR(ReadNames(placement.denied_hosts(),
                                  "placement.denied_hosts",
                                  &out.placement.denied_hosts));
  out.placement.hmee_required = placement.hmee_required();
  out.placement.anti_affinity_group = placement.anti_affinity_group();

  const auto& network = in.network();
  const std::string rules_path = "network.security_group_rules";
  if (static_cast<size_t>(network.security_group_rules_size()) >
      kMaxWireListEntries) {
    return InvalidArgumentError(
        rules_path + ": " +
        std::to_string(network.security_group_rules_size()) +
        " entries is more than the limit of " +
        std::to_string(kMaxWireListEntries));
  }
  for (int i = 0; i < network.security_group_rules_size(); ++i) {
    SecurityGroupRule rule;
    NFVSM_RETURN_IF_ERROR(ReadRule(network.security_group_rules(i),
                                   Indexed(rules_path, i), &rule));
    out.network.security_group_rules.push_back(std::move(rule));
  }
  if (static_cast<size_t>(network.insert_functions_size()) >
      kMaxWireListEntries) {
    return InvalidArgumentError(
        "network.insert_functions: " +
        std::to_string(network.insert_functions_size()) +
        " entries is more than the limit of " +
        std::to_string(kMaxWireListEntries));
  }
  for (const auto& f : network.insert_functions()) {
    out.network.insert_functions.push_back(
        {f.vsf_vnfd_id(), f.after(), f.before()});
  }

  const auto& boot = in.boot();
  out.boot.vbs_required = boot.vbs_required();
  NFVSM_RETURN_IF_ERROR(ReadNames(boot.vnf_whitelist(), "boot.vnf_whitelist",
                                  &out.boot.vnf_whitelist));
  NFVSM_RETURN_IF_ERROR(ReadNames(boot.vnfd_whitelist(), "boot.vnfd_whitelist",
                                  &out.boot.vnfd_whitelist));
  NFVSM_RETURN_IF_ERROR(ReadNames(boot.image_whitelist(),
                                  "boot.image_whitelist",
                                  &out.boot.image_whitelist));
  NFVSM_RETURN_IF_ERROR(ReadNames(boot.vnfm_whitelist(), "boot.vnfm_whitelist",
                                  &out.boot.vnfm_whitelist));
  NFVSM_RETURN_IF_ERROR(ReadNames(boot.em_whitelist(), "boot.em_whitelist",
                                  &out.boot.em_whitelist));

  // An unset behaviour is the default one (policy.proto).
  if (in.on_update() != v1::ENFORCEMENT_BEHAVIOUR_UNSPECIFIED) {
    NFVSM_ASSIGN_OR_RETURN(
        out.on_update,
        EnumFromProto<EnforcementBehaviour>(
            in.on_update(), v1::EnforcementBehaviour_MAX, "on_update"));
  }
  NFVSM_RETURN_IF_ERROR(ValidatePolicy(out));
  return out;
}

}  // namespace nfvsm::wire
