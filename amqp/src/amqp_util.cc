#include "amqp_util.h"

#include <amqp.h>
#include <amqp_framing.h>

#include <chrono>
#include <cstdint>
#include <limits>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>

#include "url_codec.h"

namespace nfvsm::amqp::internal {

amqp_bytes_t Bytes(std::string_view s) {
  amqp_bytes_t b;
  b.len = s.size();
  // rabbitmq-c takes non-const pointers but only reads through them here.
  b.bytes = const_cast<char*>(s.data());
  return b;
}

std::string ToString(amqp_bytes_t b) {
  if (b.len == 0 || b.bytes == nullptr) return {};
  return std::string(static_cast<const char*>(b.bytes), b.len);
}

timeval ToTimeval(Duration d) {
  if (d < Duration::zero()) d = Duration::zero();
  const auto secs = std::chrono::duration_cast<std::chrono::seconds>(d);
  timeval tv{};
  tv.tv_sec = static_cast<decltype(tv.tv_sec)>(secs.count());
  tv.tv_usec = static_cast<decltype(tv.tv_usec)>((d - secs).count());
  return tv;
}

TableBuilder::TableBuilder(const FieldTable& fields) {
  entries_.reserve(fields.size());
  for (const auto& [key, value] : fields) {
    amqp_table_entry_t entry{};
    entry.key = Bytes(key);
    std::visit(
        [&entry](const auto& v) {
          using T = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<T, std::string>) {
            entry.value.kind = AMQP_FIELD_KIND_UTF8;
            entry.value.value.bytes = Bytes(v);
          } else if constexpr (std::is_same_v<T, bool>) {
            entry.value.kind = AMQP_FIELD_KIND_BOOLEAN;
            entry.value.value.boolean = v ? 1 : 0;
          } else {
            entry.value.kind = AMQP_FIELD_KIND_I64;
            entry.value.value.i64 = v;
          }
        },
        value);
    entries_.push_back(entry);
  }
  table_.num_entries = static_cast<int>(entries_.size());
  table_.entries = entries_.empty() ? nullptr : entries_.data();
}

FieldTable FromTable(const amqp_table_t& table) {
  FieldTable out;
  for (int i = 0; i < table.num_entries; ++i) {
    const amqp_table_entry_t& e = table.entries[i];
    const std::string key = ToString(e.key);
    const amqp_field_value_t& v = e.value;
    switch (v.kind) {
      case AMQP_FIELD_KIND_UTF8:
      case AMQP_FIELD_KIND_BYTES:
        out[key] = ToString(v.value.bytes);
        break;
      case AMQP_FIELD_KIND_BOOLEAN:
        out[key] = v.value.boolean != 0;
        break;
      case AMQP_FIELD_KIND_I8:
        out[key] = int64_t{v.value.i8};
        break;
      case AMQP_FIELD_KIND_U8:
        out[key] = int64_t{v.value.u8};
        break;
      case AMQP_FIELD_KIND_I16:
        out[key] = int64_t{v.value.i16};
        break;
      case AMQP_FIELD_KIND_U16:
        out[key] = int64_t{v.value.u16};
        break;
      case AMQP_FIELD_KIND_I32:
        out[key] = int64_t{v.value.i32};
        break;
      case AMQP_FIELD_KIND_U32:
        out[key] = int64_t{v.value.u32};
        break;
      case AMQP_FIELD_KIND_I64:
        out[key] = v.value.i64;
        break;
      case AMQP_FIELD_KIND_U64:
      case AMQP_FIELD_KIND_TIMESTAMP:
        if (v.value.u64 <=
            static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
          out[key] = static_cast<int64_t>(v.value.u64);
        }
        break;
      default:
        break;  // floats, decimals, nested tables and arrays: not used here
    }
  }
  return out;
}

void ToBasicProperties(const MessageProperties& in, const TableBuilder& headers,
                       amqp_basic_properties_t& out) {
  out = amqp_basic_properties_t{};
  auto set = [&out](const std::string& value, amqp_bytes_t& field,
                    amqp_flags_t flag) {
    if (value.empty()) return;
    field = Bytes(value);
    out._flags |= flag;
  };
  set(in.content_type, out.content_type, AMQP_BASIC_CONTENT_TYPE_FLAG);
  set(in.content_encoding, out.content_encoding,
      AMQP_BASIC_CONTENT_ENCODING_FLAG);
  set(in.message_id, out.message_id, AMQP_BASIC_MESSAGE_ID_FLAG);
  set(in.correlation_id, out.correlation_id, AMQP_BASIC_CORRELATION_ID_FLAG);
  set(in.reply_to, out.reply_to, AMQP_BASIC_REPLY_TO_FLAG);
  set(in.expiration, out.expiration, AMQP_BASIC_EXPIRATION_FLAG);
  set(in.type, out.type, AMQP_BASIC_TYPE_FLAG);
  set(in.app_id, out.app_id, AMQP_BASIC_APP_ID_FLAG);
  out.delivery_mode = in.persistent ? 2 : 1;
  out._flags |= AMQP_BASIC_DELIVERY_MODE_FLAG;
  if (in.timestamp && *in.timestamp >= 0) {
    out.timestamp = static_cast<uint64_t>(*in.timestamp);
    out._flags |= AMQP_BASIC_TIMESTAMP_FLAG;
  }
  if (in.priority) {
    out.priority = *in.priority;
    out._flags |= AMQP_BASIC_PRIORITY_FLAG;
  }
  if (headers.table().num_entries > 0) {
    out.headers = headers.table();
    out._flags |= AMQP_BASIC_HEADERS_FLAG;
  }
}

MessageProperties FromBasicProperties(const amqp_basic_properties_t& in) {
  MessageProperties out;
  auto get = [&in](amqp_bytes_t field, amqp_flags_t flag) {
    return (in._flags & flag) != 0 ? ToString(field) : std::string();
  };
  out.content_type = get(in.content_type, AMQP_BASIC_CONTENT_TYPE_FLAG);
  out.content_encoding =
      get(in.content_encoding, AMQP_BASIC_CONTENT_ENCODING_FLAG);
  out.message_id = get(in.message_id, AMQP_BASIC_MESSAGE_ID_FLAG);
  out.correlation_id = get(in.correlation_id, AMQP_BASIC_CORRELATION_ID_FLAG);
  out.reply_to = get(in.reply_to, AMQP_BASIC_REPLY_TO_FLAG);
  out.expiration = get(in.expiration, AMQP_BASIC_EXPIRATION_FLAG);
  out.type = get(in.type, AMQP_BASIC_TYPE_FLAG);
  out.app_id = get(in.app_id, AMQP_BASIC_APP_ID_FLAG);
  out.persistent =
      (in._flags & AMQP_BASIC_DELIVERY_MODE_FLAG) != 0 && in.delivery_mode == 2;
  if ((in._flags & AMQP_BASIC_TIMESTAMP_FLAG) != 0 &&
      in.timestamp <=
          static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
    out.timestamp = static_cast<int64_t>(in.timestamp);
  }
  if ((in._flags & AMQP_BASIC_PRIORITY_FLAG) != 0) out.priority = in.priority;
  if ((in._flags & AMQP_BASIC_HEADERS_FLAG) != 0) {
    out.headers = FromTable(in.headers);
  }
  return out;
}

Status LibraryError(int amqp_status, std::string_view context) {
  std::string message =
      std::string(context) + ": " + amqp_error_string2(amqp_status);
  switch (amqp_status) {
    case AMQP_STATUS_NO_MEMORY:
      return ResourceExhaustedError(std::move(message));
    case AMQP_STATUS_INVALID_PARAMETER:
    case AMQP_STATUS_BAD_URL:
      return InvalidArgumentError(std::move(message));
    default:
      // Socket, TLS, timeout, heartbeat and closed-connection errors: the
      // broker is not usable now; a reconnection may fix it.
      return UnavailableError(std::move(message));
  }
}

Status BrokerError(uint16_t reply_code, std::string_view reply_text,
                   std::string_view context) {
  std::string message = std::string(context) +
                        " (broker: " + std::to_string(reply_code) + " " +
                        Printable(reply_text, 512) + ")";
  switch (reply_code) {
    case AMQP_ACCESS_REFUSED:
      return PermissionDeniedError(std::move(message));
    case AMQP_NOT_FOUND:
      return NotFoundError(std::move(message));
    case AMQP_RESOURCE_LOCKED:
    case AMQP_PRECONDITION_FAILED:
      return FailedPreconditionError(std::move(message));
    case AMQP_CONTENT_TOO_LARGE:
    case AMQP_RESOURCE_ERROR:
      return ResourceExhaustedError(std::move(message));
    case AMQP_NOT_ALLOWED:
      return PermissionDeniedError(std::move(message));
    case AMQP_CONNECTION_FORCED:
      return UnavailableError(std::move(message));
    default:
      // Frame, syntax and command errors mean one side broke the protocol.
      return InternalError(std::move(message));
  }
}

CloseReason ReadCloseReason(const amqp_rpc_reply_t& reply) {
  CloseReason reason;
  if (reply.reply.id == AMQP_CONNECTION_CLOSE_METHOD &&
      reply.reply.decoded != nullptr) {
    const auto* m =
        static_cast<const amqp_connection_close_t*>(reply.reply.decoded);
    reason.connection = true;
    reason.code = m->reply_code;
    reason.text = ToString(m->reply_text);
  } else if (reply.reply.id == AMQP_CHANNEL_CLOSE_METHOD &&
             reply.reply.decoded != nullptr) {
    const auto* m =
        static_cast<const amqp_channel_close_t*>(reply.reply.decoded);
    reason.code = m->reply_code;
    reason.text = ToString(m->reply_text);
  } else {
    reason.connection = true;
    reason.text = "unexpected reply";
  }
  return reason;
}

void MessageDeleter::operator()(amqp_message_t* m) const {
  if (m == nullptr) return;
  amqp_destroy_message(m);
  delete m;
}

}  // namespace nfvsm::amqp::internal
