#include "nfvsm/amqp/notification.h"

#include <charconv>
#include <chrono>
#include <cstdint>
#include <exception>
#include <new>
#include <string>
#include <string_view>
#include <utility>

#include "json_util.h"

namespace nfvsm::amqp {
namespace {

constexpr std::string_view kVersionKey = "oslo.version";
constexpr std::string_view kMessageKey = "oslo.message";
constexpr std::string_view kContextPrefix = "_context_";
constexpr size_t kMaxIdBytes = 255;

// Reads exactly `s.size()` decimal digits.
bool Digits(std::string_view s, int& out) {
  if (s.empty()) return false;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
  }
  const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc() && end == s.data() + s.size();
}

// oslo's version_is_compatible("2.0", v): same major, no newer minor or
// revision.
bool IsCompatibleEnvelopeVersion(std::string_view v) {
  return v == "2.0" || v == "2.0.0";
}

// oslo.messaging's notification priorities (NotificationDispatcher).
bool IsKnownPriority(const std::string& upper) {
  return upper == "AUDIT" || upper == "DEBUG" || upper == "INFO" ||
         upper == "WARN" || upper == "ERROR" || upper == "CRITICAL" ||
         upper == "SAMPLE";
}

StatusOr<std::string> RequiredString(const nlohmann::json& message,
                                     std::string_view key, bool allow_empty) {
  const auto it = message.find(key);
  if (it == message.end()) {
    return InvalidArgumentError("notification has no " + std::string(key));
  }
  if (!it->is_string()) {
    return InvalidArgumentError("notification " + std::string(key) +
                                " is not a string");
  }
  std::string value = it->get<std::string>();
  if (value.empty() && !allow_empty) {
    return InvalidArgumentError("notification " + std::string(key) +
                                " is empty");
  }
  if (value.size() > kMaxIdBytes) {
    return InvalidArgumentError("notification " + std::string(key) +
                                " is longer than " +
                                std::to_string(kMaxIdBytes) + " bytes");
  }
  return value;
}

}  // namespace

StatusOr<TimePoint> ParseOsloTimestamp(std::string_view text) {
  const Status bad = InvalidArgumentError(
      "timestamp is not 'YYYY-MM-DD HH:MM:SS[.ffffff]' (naive UTC)");
  // Optional UTC designators of other producers.
  if (text.ends_with("Z")) {
    text.remove_suffix(1);
  } else if (text.ends_with("+00:00")) {
    text.remove_suffix(6);
  }
  if (text.size() < 19 || text[4] != '-' || text[7] != '-' ||
      (text[10] != ' ' && text[10] != 'T') || text[13] != ':' ||
      text[16] != ':') {
    return bad;
  }
  int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
  if (!Digits(text.substr(0, 4), y) || !Digits(text.substr(5, 2), mo) ||
      !Digits(text.substr(8, 2), d) || !Digits(text.substr(11, 2), h) ||
      !Digits(text.substr(14, 2), mi) || !Digits(text.substr(17, 2), s)) {
    return bad;
  }
  int64_t micros = 0;
  std::string_view rest = text.substr(19);
  if (!rest.empty()) {
    if (rest.front() != '.' || rest.size() < 2 || rest.size() > 7) return bad;
    int fraction = 0;
    if (!Digits(rest.substr(1), fraction)) return bad;
    micros = fraction;
    for (size_t i = rest.size() - 1; i < 6; ++i) micros *= 10;
  }
  const std::chrono::year_month_day date{
      std::chrono::year(y), std::chrono::month(static_cast<unsigned>(mo)),
      std::chrono::day(static_cast<unsigned>(d))};
  if (!date.ok() || h > 23 || mi > 59 || s > 59) return bad;
  const auto t = std::chrono::sys_days(date) + std::chrono::hours(h) +
                 std::chrono::minutes(mi) + std::chrono::seconds(s) +
                 std::chrono::microseconds(micros);
  return std::chrono::time_point_cast<Duration>(t);
}

StatusOr<Notification> DecodeNotification(std::string_view body) {
  Notification n;
  nlohmann::json message;
  try {
    NFVSM_ASSIGN_OR_RETURN(nlohmann::json root,
                           internal::ParseBoundedJson(body, "message body"));
    if (!root.is_object()) {
      return InvalidArgumentError("message body is not a JSON object");
    }
    if (root.contains(kVersionKey) && root.contains(kMessageKey)) {
      const nlohmann::json& version = root[kVersionKey];
      if (!version.is_string() ||
          !IsCompatibleEnvelopeVersion(version.get_ref<const std::string&>())) {
        return InvalidArgumentError(
            "unsupported oslo.messaging envelope version (want 2.0)");
      }
      const nlohmann::json& inner = root[kMessageKey];
      if (!inner.is_string()) {
        return InvalidArgumentError("oslo.message is not a JSON string");
      }
      NFVSM_ASSIGN_OR_RETURN(
          message, internal::ParseBoundedJson(
                       inner.get_ref<const std::string&>(), "oslo.message"));
      if (!message.is_object()) {
        return InvalidArgumentError("oslo.message is not a JSON object");
      }
      n.format = NotificationFormat::kMessagingV2;
    } else {
      message = std::move(root);
      n.format = NotificationFormat::kLegacy;
    }
    NFVSM_ASSIGN_OR_RETURN(n.event_type,
                           RequiredString(message, "event_type", false));
    NFVSM_ASSIGN_OR_RETURN(n.publisher_id,
                           RequiredString(message, "publisher_id", true));
    NFVSM_ASSIGN_OR_RETURN(n.message_id,
                           RequiredString(message, "message_id", false));
    NFVSM_ASSIGN_OR_RETURN(std::string priority,
                           RequiredString(message, "priority", false));
    for (char& c : priority) {
      if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    }
    if (!IsKnownPriority(priority)) {
      return InvalidArgumentError(
          "notification priority is not one of "
          "oslo.messaging's priorities");
    }
    n.priority = std::move(priority);
    NFVSM_ASSIGN_OR_RETURN(std::string timestamp,
                           RequiredString(message, "timestamp", false));
    NFVSM_ASSIGN_OR_RETURN(n.timestamp, ParseOsloTimestamp(timestamp));
    const auto payload = message.find("payload");
    if (payload == message.end()) {
      return InvalidArgumentError("notification has no payload");
    }
    n.payload = std::move(*payload);
    for (auto& [key, value] : message.items()) {
      if (key.starts_with(kContextPrefix)) {
        n.context[key.substr(kContextPrefix.size())] = std::move(value);
      }
    }
  } catch (const std::bad_alloc&) {
    return ResourceExhaustedError("notification: out of memory");
  } catch (const std::exception& e) {
    // nlohmann-json reports misuse by exception; none is expected here.
    return InternalError(std::string("notification: unexpected ") + e.what());
  }
  return n;
}

}  // namespace nfvsm::amqp
