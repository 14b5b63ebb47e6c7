// Publishing with publisher confirms: sequence numbers, basic.ack /
// basic.nack resolution, and mandatory messages the broker returns.
#include <amqp.h>
#include <amqp_framing.h>

#include <algorithm>
#include <chrono>
#include <span>
#include <string>
#include <variant>
#include <vector>

#include "amqp_util.h"
#include "connection_impl.h"
#include "url_codec.h"

namespace nfvsm::amqp {
namespace {

using internal::Bytes;
using internal::kWaitSlice;
using internal::Printable;
using internal::Remaining;
using internal::ToString;
using SteadyClock = std::chrono::steady_clock;

}  // namespace

Status Connection::Impl::HandleReturn(const amqp_basic_return_t& method) {
  const std::string context =
      "message to exchange '" + Printable(ToString(method.exchange)) +
      "' with routing key '" + Printable(ToString(method.routing_key)) +
      "' was returned by " + broker_;
  const uint16_t code = method.reply_code;
  const std::string text = ToString(method.reply_text);
  MessageProperties properties;
  std::string body;
  uint64_t size = 0;
  bool oversized = false;
  NFVSM_RETURN_IF_ERROR(
      ReadContent(kPublishChannel, properties, body, size, oversized));
  const auto seq = properties.headers.find(kPublishSeqHeader);
  if (seq != properties.headers.end() &&
      std::holds_alternative<int64_t>(seq->second)) {
    returned_[static_cast<uint64_t>(std::get<int64_t>(seq->second))] =
        NotFoundError(context + " (" + std::to_string(code) + " " +
                      Printable(text) + ")");
  }
  return OkStatus();
}

void Connection::Impl::ResolveConfirms(uint64_t tag, bool multiple,
                                       const Status& status) {
  auto settle = [&](std::map<uint64_t, Status*>::iterator it) {
    const auto returned = returned_.find(it->first);
    if (status.ok() && returned != returned_.end()) {
      *it->second = returned->second;
    } else {
      *it->second = status;
    }
    if (returned != returned_.end()) returned_.erase(returned);
    return pending_confirms_.erase(it);
  };
  if (multiple) {
    for (auto it = pending_confirms_.begin();
         it != pending_confirms_.end() && it->first <= tag;) {
      it = settle(it);
    }
  } else if (auto it = pending_confirms_.find(tag);
             it != pending_confirms_.end()) {
    settle(it);
  }
}

void Connection::Impl::FailPendingConfirms(const Status& why) {
  for (auto& [seq, result] : pending_confirms_) {
    *result = Status(why.code(), "publish not confirmed: " + why.message());
  }
  pending_confirms_.clear();
}

std::vector<Status> Connection::Impl::PublishBatch(
    std::span<const OutgoingMessage> messages) {
  std::vector<Status> results(messages.size(),
                              UnavailableError("publish: not attempted"));
  if (messages.empty()) return results;
  const Status ready = EnsureChannel(kPublishChannel);
  if (!ready.ok()) {
    std::fill(results.begin(), results.end(), ready);
    return results;
  }
  pending_confirms_.clear();
  returned_.clear();
  for (size_t i = 0; i < messages.size(); ++i) {
    const OutgoingMessage& m = messages[i];
    const uint64_t seq = next_publish_seq_;
    FieldTable headers = m.properties.headers;
    if (m.mandatory) headers[kPublishSeqHeader] = static_cast<int64_t>(seq);
    const internal::TableBuilder table(headers);
    amqp_basic_properties_t props;
    internal::ToBasicProperties(m.properties, table, props);
    const int rc = amqp_basic_publish(
        state_.get(), kPublishChannel, Bytes(m.exchange), Bytes(m.routing_key),
        m.mandatory ? 1 : 0, 0, &props, Bytes(m.body));
    if (rc != AMQP_STATUS_OK) {
      Status s = internal::LibraryError(rc, "publish to " + broker_);
      Drop(s);  // fails what is pending
      std::fill(results.begin() + static_cast<std::ptrdiff_t>(i), results.end(),
                s);
      break;
    }
    ++next_publish_seq_;
    results[i] = DeadlineExceededError("publish: no confirm from " + broker_ +
                                       " within confirm_timeout");
    pending_confirms_[seq] = &results[i];
  }
  const auto deadline = SteadyClock::now() + options_.confirm_timeout;
  while (!pending_confirms_.empty() && state_ != nullptr &&
         channel_open_[kPublishChannel]) {
    const Duration left = Remaining(deadline);
    if (left == Duration::zero()) break;
    bool idle = false;
    if (!PumpOnce(std::min(left, kWaitSlice), &idle).ok()) break;
  }
  // Unconfirmed in time: their results keep kDeadlineExceeded; late
  // confirms for them are ignored.
  pending_confirms_.clear();
  returned_.clear();
  return results;
}

}  // namespace nfvsm::amqp
