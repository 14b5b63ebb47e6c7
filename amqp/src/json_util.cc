#include "json_util.h"

#include <optional>
#include <string>
#include <string_view>

#include "nfvsm/amqp/notification.h"

namespace nfvsm::amqp::internal {

StatusOr<nlohmann::json> ParseBoundedJson(std::string_view text,
                                          std::string_view what) {
  if (text.size() > kMaxNotificationBytes) {
    return ResourceExhaustedError(std::string(what) + " is larger than " +
                                  std::to_string(kMaxNotificationBytes) +
                                  " bytes");
  }
  bool too_deep = false;
  // The callback sees every value with its depth; dropping those past the
  // limit keeps the document we build shallow (nlohmann-json's parser is
  // iterative, but copies and comparisons of the result recurse).
  nlohmann::json::parser_callback_t limit =
      [&too_deep](int depth, nlohmann::json::parse_event_t, nlohmann::json&) {
        if (depth > kMaxNotificationDepth) {
          too_deep = true;
          return false;
        }
        return true;
      };
  nlohmann::json value = nlohmann::json::parse(text.begin(), text.end(), limit,
                                               /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return InvalidArgumentError(std::string(what) + " is not valid JSON");
  }
  if (too_deep) {
    return ResourceExhaustedError(std::string(what) + " nests deeper than " +
                                  std::to_string(kMaxNotificationDepth) +
                                  " levels");
  }
  return value;
}

StatusOr<std::optional<std::string>> OptionalString(const nlohmann::json& obj,
                                                    std::string_view key,
                                                    std::string_view path,
                                                    bool scalars) {
  if (!obj.is_object()) return std::optional<std::string>();
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) return std::optional<std::string>();
  if (it->is_string())
    return std::optional<std::string>(it->get<std::string>());
  if (scalars && (it->is_number() || it->is_boolean())) {
    return std::optional<std::string>(it->dump());
  }
  return InvalidArgumentError(std::string(path) + "." + std::string(key) +
                              " has the wrong type");
}

StatusOr<const nlohmann::json*> OptionalObject(const nlohmann::json& obj,
                                               std::string_view key,
                                               std::string_view path) {
  if (!obj.is_object()) return static_cast<const nlohmann::json*>(nullptr);
  const auto it = obj.find(key);
  if (it == obj.end() || it->is_null()) {
    return static_cast<const nlohmann::json*>(nullptr);
  }
  if (!it->is_object()) {
    return InvalidArgumentError(std::string(path) + "." + std::string(key) +
                                " is not an object");
  }
  return &*it;
}

}  // namespace nfvsm::amqp::internal
