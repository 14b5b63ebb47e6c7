// Conversions between rabbitmq-c's C structures and nfvsm's types, and the
// mapping of rabbitmq-c and broker errors to Status.
#ifndef NFVSM_AMQP_SRC_AMQP_UTIL_H_
#define NFVSM_AMQP_SRC_AMQP_UTIL_H_

#include <amqp.h>
#include <amqp_framing.h>

#include <chrono>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp::internal {

// Views a string as amqp_bytes_t; the string must outlive the use.
amqp_bytes_t Bytes(std::string_view s);
std::string ToString(amqp_bytes_t b);

timeval ToTimeval(Duration d);

// Owns the memory of an amqp_table_t built from a FieldTable.
class TableBuilder {
 public:
  explicit TableBuilder(const FieldTable& fields);
  TableBuilder(const TableBuilder&) = delete;
  TableBuilder& operator=(const TableBuilder&) = delete;
  const amqp_table_t& table() const { return table_; }

 private:
  std::vector<amqp_table_entry_t> entries_;
  amqp_table_t table_{};
};

// Copies the string, integer and boolean entries; skips the others.
FieldTable FromTable(const amqp_table_t& table);

// Fills `out` to point into `in` and `headers`; both must outlive `out`.
void ToBasicProperties(const MessageProperties& in, const TableBuilder& headers,
                       amqp_basic_properties_t& out);
MessageProperties FromBasicProperties(const amqp_basic_properties_t& in);

// A status for a rabbitmq-c library error code (amqp_status_enum).
Status LibraryError(int amqp_status, std::string_view context);

// A status for a broker's connection.close / channel.close reply code and
// text: "<context>: 406 PRECONDITION_FAILED - inequivalent arg ...".
Status BrokerError(uint16_t reply_code, std::string_view reply_text,
                   std::string_view context);

// The broker's close reason carried by a SERVER_EXCEPTION reply.
struct CloseReason {
  bool connection = false;  // connection.close (else channel.close)
  uint16_t code = 0;
  std::string text;
};
CloseReason ReadCloseReason(const amqp_rpc_reply_t& reply);

// Owns an amqp_message_t filled by amqp_read_message.
struct MessageDeleter {
  void operator()(amqp_message_t* m) const;
};
using MessagePtr = std::unique_ptr<amqp_message_t, MessageDeleter>;

}  // namespace nfvsm::amqp::internal

#endif  // NFVSM_AMQP_SRC_AMQP_UTIL_H_
