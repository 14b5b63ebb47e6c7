// Helpers every codec file shares: bounded parsing, field checks that name
// their protobuf path, and the enum mapping convention.
#ifndef NFVSM_SRC_WIRE_CODEC_UTIL_H_
#define NFVSM_SRC_WIRE_CODEC_UTIL_H_

#include <google/protobuf/message.h>
#include <google/protobuf/repeated_ptr_field.h>

#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire::internal {

std::string Member(std::string_view path, std::string_view field);
std::string Indexed(std::string_view path, size_t index);

// Prefixes the path of a nested message's error: ("vnfs[3]",
// "vnf_id: required") -> "vnfs[3].vnf_id: required".
Status Within(const std::string& path, const Status& status);

// Whether `message`, or any message inside it, holds fields this build's
// schema does not define.
bool HasUnknownFields(const google::protobuf::Message& message);

enum class UnknownFields { kIgnore, kReject };

// Size check first (kResourceExhausted), then parse (kInvalidArgument).
Status ParseBounded(std::string_view bytes, size_t max_bytes,
                    UnknownFields unknown, google::protobuf::Message* out);
StatusOr<std::string> Serialize(const google::protobuf::Message& message);

enum class Presence { kOptional, kRequired };

// A string of at most max_bytes; non-empty when required.
Status CheckString(const std::string& path, std::string_view value,
                   size_t max_bytes, Presence presence);
inline Status CheckId(const std::string& path, std::string_view value,
                      Presence presence) {
  return CheckString(path, value, kMaxWireIdBytes, presence);
}
inline Status CheckText(const std::string& path, std::string_view value) {
  return CheckString(path, value, kMaxWireTextBytes, Presence::kOptional);
}

// At most max_entries ids, each non-empty and within kMaxWireIdBytes.
Status CheckIds(const std::string& path, const std::vector<std::string>& ids,
                size_t max_entries);
// CheckIds, reading from a repeated field.
Status ReadIds(const std::string& path,
               const google::protobuf::RepeatedPtrField<std::string>& in,
               size_t max_entries, std::vector<std::string>* out);

// Core enums list their enumerators in the order of the protobuf enum,
// which puts UNSPECIFIED = 0 in front: proto number = core value + 1.
// `proto_max` is the protobuf enum's largest number (Foo_MAX).
template <typename Core>
StatusOr<int> EnumToProto(Core value, int proto_max, const std::string& path) {
  int number = static_cast<int>(value) + 1;
  if (number > proto_max) {
    return InvalidArgumentError(path + ": not a known value");
  }
  return number;
}

template <typename Core>
StatusOr<Core> EnumFromProto(int number, int proto_max,
                             const std::string& path) {
  if (number == 0) return InvalidArgumentError(path + ": unspecified");
  if (number < 0 || number > proto_max) {
    return InvalidArgumentError(path + ": unknown value " +
                                std::to_string(number));
  }
  return static_cast<Core>(number - 1);
}

}  // namespace nfvsm::wire::internal

#endif  // NFVSM_SRC_WIRE_CODEC_UTIL_H_
