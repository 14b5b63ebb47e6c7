// JSON helpers for untrusted input: a bounded parse, and typed access to
// optional fields that reports wrong types instead of throwing.
#ifndef NFVSM_AMQP_SRC_JSON_UTIL_H_
#define NFVSM_AMQP_SRC_JSON_UTIL_H_

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "nfvsm/status.h"

namespace nfvsm::amqp::internal {

// Parses without exceptions. kResourceExhausted past kMaxNotificationBytes
// or kMaxNotificationDepth; kInvalidArgument for malformed JSON. `what`
// names the text in messages ("message body").
StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text,
                                          std::string_view what);

// A string field that may be absent or null. kInvalidArgument naming
// `path` when present with another type. Numbers and booleans are
// accepted and rendered as JSON text when `scalars` is true.
StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& obj,
                                                    std::string_view key,
                                                    std::string_view path,
                                                    bool scalars = false);

// An object field that may be absent or null; kInvalidArgument otherwise.
StatusOr<const nlohmann::json*> OptionalObject(const nlohmann::json& obj,
                                               std::string_view key,
                                               std::string_view path);

}  // namespace nfvsm::amqp::internal

#endif  // NFVSM_AMQP_SRC_JSON_UTIL_H_
