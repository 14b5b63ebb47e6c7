#include "wire/codec_util.h"

#include <google/protobuf/descriptor.h>
#include <google/protobuf/unknown_field_set.h>

#include <climits>
#include <string>

namespace nfvsm::wire::internal {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;

std::string Member(std::string_view path, std::string_view field) {
  if (path.empty()) return std::string(field);
  return std::string(path) + "." + std::string(field);
}

std::string Indexed(std::string_view path, size_t index) {
  return std::string(path) + "[" + std::to_string(index) + "]";
}

Status Within(const std::string& path, const Status& status) {
  if (status.ok()) return status;
  return Status(status.code(), Member(path, status.message()));
}

bool HasUnknownFields(const Message& message) {
  const auto* reflection = message.GetReflection();
  if (!reflection->GetUnknownFields(message).empty()) return true;
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) continue;
    if (field->is_repeated()) {
      int n = reflection->FieldSize(message, field);
      for (int i = 0; i < n; ++i) {
        if (HasUnknownFields(
                reflection->GetRepeatedMessage(message, field, i))) {
          return true;
        }
      }
    } else if (HasUnknownFields(reflection->GetMessage(message, field))) {
      return true;
    }
  }
  return false;
}

Status ParseBounded(std::string_view bytes, size_t max_bytes,
                    UnknownFields unknown, Message* out) {
  const std::string& type = out->GetDescriptor()->full_name();
  if (bytes.size() > max_bytes || bytes.size() > INT_MAX) {
    return ResourceExhaustedError(type + ": " + std::to_string(bytes.size()) +
                                  " bytes exceeds the limit of " +
                                  std::to_string(max_bytes));
  }
  bool parsed = false;
  try {
    parsed = out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
  } catch (const std::exception&) {
    parsed = false;  // out of memory; treat the input as unusable
  }
  if (!parsed) {
    return InvalidArgumentError(type + ": not a valid serialized message");
  }
  if (unknown == UnknownFields::kReject && HasUnknownFields(*out)) {
    return InvalidArgumentError(
        type +
        ": has fields this build does not know; refusing to act on "
        "part of a message");
  }
  return OkStatus();
}

StatusOr<std::string> Serialize(const Message& message) {
  std::string out;
  try {
    if (message.SerializeToString(&out)) return out;
  } catch (const std::exception&) {
  }
  return InternalError(message.GetDescriptor()->full_name() +
                       ": serialization failed");
}

Status CheckString(const std::string& path, std::string_view value,
                   size_t max_bytes, Presence presence) {
  if (value.empty() && presence == Presence::kRequired) {
    return InvalidArgumentError(path + ": required");
  }
  if (value.size() > max_bytes) {
    return InvalidArgumentError(path + ": " + std::to_string(value.size()) +
                                " bytes, at most " + std::to_string(max_bytes));
  }
  return OkStatus();
}

Status CheckIds(const std::string& path, const std::vector<std::string>& ids,
                size_t max_entries) {
  if (ids.size() > max_entries) {
    return InvalidArgumentError(path + ": " + std::to_string(ids.size()) +
                                " entries, at most " +
                                std::to_string(max_entries));
  }
  for (size_t i = 0; i < ids.size(); ++i) {
    NFVSM_RETURN_IF_ERROR(
        CheckId(Indexed(path, i), ids[i], Presence::kRequired));
  }
  return OkStatus();
}

Status ReadIds(const std::string& path,
               const google::protobuf::RepeatedPtrField<std::string>& in,
               size_t max_entries, std::vector<std::string>* out) {
  // Bound before copying: the count is attacker-chosen.
  if (static_cast<size_t>(in.size()) > max_entries) {
    return InvalidArgumentError(path + ": " + std::to_string(in.size()) +
                                " entries, at most " +
                                std::to_string(max_entries));
  }
  out->assign(in.begin(), in.end());
  return CheckIds(path, *out, max_entries);
}

}  // namespace nfvsm::wire::internal
