#include "sm/src/messages.h"

#include <google/protobuf/util/json_util.h>
#include <openssl/rand.h>

#include <array>
#include <map>

#include "nfvsm/v1/events.pb.h"
#include "nfvsm/v1/gate.pb.h"
#include "nfvsm/v1/queries.pb.h"
#include "sm/src/envelope.h"

namespace nfvsm::refsm {

Result<OutboundMessage> Outbox::Wrap(const google::protobuf::Message& payload,
                                     const std::string& correlation_id,
                                     int64_t deadline_us) {
  v1::Envelope e;
  e.set_sequence(sequence_.Next());
  e.set_timestamp_us(WallClockMicros());
  e.set_sender(channel_.sm_id);
  e.set_recipient(channel_.gateway_id);
  e.set_message_type(payload.GetDescriptor()->full_name());
  e.set_correlation_id(correlation_id);
  e.set_deadline_us(deadline_us);
  if (!payload.SerializeToString(e.mutable_payload())) {
    return MakeError(Code::kInternal, "cannot serialize the payload");
  }
  OutboundMessage out;
  out.exchange = channel_.publish_exchange;
  out.routing_key = channel_.publish_routing_key;
  out.type = e.message_type();
  out.message_id = channel_.sm_id + ":" + std::to_string(e.sequence());
  Result<std::string> body = SignEnvelope(key_, std::move(e));
  if (!body.ok()) return body.error();
  out.body = std::move(body).value();
  return out;
}

Result<std::unique_ptr<google::protobuf::Message>> DecodePayload(
    const v1::Envelope& envelope) {
  std::unique_ptr<google::protobuf::Message> m;
  const std::string& type = envelope.message_type();
  if (type == kGateRequestType) {
    m = std::make_unique<v1::GateRequest>();
  } else if (type == "nfvsm.v1.LifecycleEventNotification") {
    m = std::make_unique<v1::LifecycleEventNotification>();
  } else if (type == "nfvsm.v1.SecurityEvent") {
    m = std::make_unique<v1::SecurityEvent>();
  } else if (type == kInstructionResultType) {
    m = std::make_unique<v1::InstructionResult>();
  } else if (type == kStatusResultType) {
    m = std::make_unique<v1::StatusResult>();
  } else if (type == kHistoryResultType) {
    m = std::make_unique<v1::HistoryResult>();
  } else {
    return MakeError(Code::kInvalidArgument,
                     "message_type is not one MANO sends to SMs");
  }
  // Messages MANO sends may gain fields; unknown ones are ignored
  // (docs/wire.md), so no unknown-field check here.
  if (!m->ParseFromString(envelope.payload())) {
    return MakeError(Code::kInvalidArgument,
                     "payload does not parse as " + envelope.message_type());
  }
  return m;
}

std::string ToJson(const google::protobuf::Message& message) {
  google::protobuf::util::JsonPrintOptions options;
  options.preserve_proto_field_names = true;
  std::string out;
  if (!google::protobuf::util::MessageToJsonString(message, &out, options)
           .ok()) {
    return "{}";
  }
  return out;
}

std::string NewInstructionId(const std::string& sm_id) {
  std::array<unsigned char, 8> random{};
  if (RAND_bytes(random.data(), static_cast<int>(random.size())) != 1) {
    // Fall back on the clock: ids need uniqueness, not secrecy.
    const uint64_t t = static_cast<uint64_t>(WallClockMicros());
    for (size_t i = 0; i < random.size(); ++i) {
      random[i] = static_cast<unsigned char>(t >> (8 * i));
    }
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id = sm_id + "-";
  for (unsigned char c : random) {
    id += kHex[c >> 4];
    id += kHex[c & 0xf];
  }
  return id;
}

std::vector<std::string> SplitList(const std::string& text) {
  std::vector<std::string> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    if (comma > start) out.push_back(text.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

Result<v1::TerminateFlags> ParseTerminateFlags(
    const std::vector<std::string>& flags) {
  using Setter = void (v1::TerminateFlags::*)(bool);
  static const std::map<std::string, Setter> kSetters = {
      {"replacement-allowed", &v1::TerminateFlags::set_replacement_allowed},
      {"quarantine-copy", &v1::TerminateFlags::set_quarantine_copy},
      {"recovery-allowed", &v1::TerminateFlags::set_recovery_allowed},
      {"quarantine-image-and-vnfd",
       &v1::TerminateFlags::set_quarantine_image_and_vnfd},
      {"quarantine-host", &v1::TerminateFlags::set_quarantine_host},
      {"terminate-colocated", &v1::TerminateFlags::set_terminate_colocated},
      {"erase-storage", &v1::TerminateFlags::set_erase_storage},
  };
  v1::TerminateFlags out;
  for (const std::string& f : flags) {
    auto it = kSetters.find(f);
    if (it == kSetters.end()) {
      return MakeError(Code::kInvalidArgument,
                       "unknown terminate flag \"" + f + "\"");
    }
    (out.*(it->second))(true);
  }
  return out;
}

Result<v1::HostAction> ParseHostAction(const std::string& text) {
  if (text == "migrate") return v1::HOST_ACTION_MIGRATE;
  if (text == "terminate") return v1::HOST_ACTION_TERMINATE;
  return MakeError(Code::kInvalidArgument,
                   "--action must be migrate or terminate");
}

Result<v1::QuarantineTarget> ParseQuarantineTarget(const std::string& text) {
  static const std::map<std::string, v1::QuarantineTarget> kTargets = {
      {"vnf-instance", v1::QUARANTINE_TARGET_VNF_INSTANCE},
      {"image", v1::QUARANTINE_TARGET_IMAGE},
      {"vnfd", v1::QUARANTINE_TARGET_VNFD},
      {"package", v1::QUARANTINE_TARGET_PACKAGE},
      {"host", v1::QUARANTINE_TARGET_HOST},
  };
  auto it = kTargets.find(text);
  if (it == kTargets.end()) {
    return MakeError(Code::kInvalidArgument,
                     "--target must be vnf-instance, image, vnfd, package "
                     "or host");
  }
  return it->second;
}

Result<v1::Policy> ParsePolicyJson(const std::string& json_text) {
  v1::Policy policy;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status =
      google::protobuf::util::JsonStringToMessage(json_text, &policy, options);
  if (!status.ok()) {
    return MakeError(Code::kInvalidArgument, "not a valid nfvsm.v1.Policy: " +
                                                 std::string(status.message()));
  }
  return policy;
}

}  // namespace nfvsm::refsm
