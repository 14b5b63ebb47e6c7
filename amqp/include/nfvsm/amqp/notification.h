// Decoding of OpenStack notifications as oslo.messaging puts them on the
// bus: the 2.0 envelope of the `messagingv2` driver and the unwrapped
// (legacy) form of the `messaging` driver.
//
// Thread safety: pure functions; safe to call concurrently.
//
// Ownership: results are self-contained copies.
//
// Failures: kInvalidArgument naming what is wrong ("oslo.message is not a
// JSON string", "timestamp is not 'YYYY-MM-DD HH:MM:SS[.ffffff]'"), never
// quoting the payload; kResourceExhausted for bodies over the size or
// nesting limits. A message that fails here is poison: the ingest
// dead-letters it with this status as the reason.
//
// Pitfalls handled: the inner message of the envelope is a JSON *string*
// holding JSON (encoded twice); the priority is upper case in the body
// ("INFO") and lower case in the routing key; the timestamp is naive UTC
// `YYYY-MM-DD HH:MM:SS[.ffffff]` (Python's str(datetime)); the oslo
// request context travels as `_context_*` keys beside the notification.
#ifndef NFVSM_AMQP_NOTIFICATION_H_
#define NFVSM_AMQP_NOTIFICATION_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

// Bounds on what a notification may be: larger or deeper JSON is refused
// before it is built, so a broken or hostile producer cannot exhaust
// memory or stack.
inline constexpr size_t kMaxNotificationBytes = 4 * 1024 * 1024;
inline constexpr int kMaxNotificationDepth = 64;

enum class NotificationFormat { kMessagingV2, kLegacy };

struct Notification {
  std::string message_id;    // oslo's uuid4: the dedupe key
  std::string publisher_id;  // "nova-compute:compute-1"
  std::string event_type;    // "instance.create.end"
  std::string priority;      // upper case: INFO, ERROR, ...
  TimePoint timestamp{};     // UTC
  nlohmann::json payload;
  // The sender's request context: `_context_<key>` entries, without the
  // prefix (request_id, user, project_id, ...).
  nlohmann::json context = nlohmann::json::object();
  NotificationFormat format = NotificationFormat::kMessagingV2;
};

// Decodes one AMQP message body.
StatusOr<Notification> DecodeNotification(std::string_view body);

// "2024-01-31 23:59:59" or with ".ffffff" (1 to 6 digits). Also accepted:
// 'T' instead of the space and a trailing "Z" or "+00:00", which other
// OpenStack producers emit.
StatusOr<TimePoint> ParseOsloTimestamp(std::string_view text);

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_NOTIFICATION_H_
