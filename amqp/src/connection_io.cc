// Connection I/O: the frame pump (deliveries, publisher confirms, returns,
// closes), channel upkeep, publishing, consuming and acknowledging.
#include <amqp.h>
#include <amqp_framing.h>

#include <algorithm>
#include <chrono>
#include <optional>
#include <span>
#include <string>
#include <utility>
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

void SendChannelCloseOk(amqp_connection_state_t state, amqp_channel_t ch) {
  amqp_channel_close_ok_t ok{};
  amqp_send_method(state, ch, AMQP_CHANNEL_CLOSE_OK_METHOD, &ok);
}

void SendConnectionCloseOk(amqp_connection_state_t state) {
  amqp_connection_close_ok_t ok{};
  amqp_send_method(state, 0, AMQP_CONNECTION_CLOSE_OK_METHOD, &ok);
}

}  // namespace

Status Connection::Impl::CheckReply(amqp_channel_t channel,
                                    std::string_view what) {
  NFVSM_RETURN_IF_ERROR(RequireConnected());
  return CheckReply(amqp_get_rpc_reply(state_.get()), channel, what);
}

Status Connection::Impl::CheckReply(const amqp_rpc_reply_t& reply,
                                    amqp_channel_t channel,
                                    std::string_view what) {
  const std::string context = std::string(what) + " on " + broker_;
  switch (reply.reply_type) {
    case AMQP_RESPONSE_NORMAL:
      return OkStatus();
    case AMQP_RESPONSE_SERVER_EXCEPTION: {
      const internal::CloseReason reason = internal::ReadCloseReason(reply);
      Status s = internal::BrokerError(reason.code, reason.text, context);
      if (reason.connection) {
        SendConnectionCloseOk(state_.get());
        Drop(s);
      } else {
        SendChannelCloseOk(state_.get(), channel);
        OnChannelClosed(channel, s);
      }
      return s;
    }
    case AMQP_RESPONSE_LIBRARY_EXCEPTION: {
      Status s = internal::LibraryError(reply.library_error, context);
      Drop(s);
      return s;
    }
    default: {
      Status s = InternalError(context + ": no reply");
      Drop(s);
      return s;
    }
  }
}

void Connection::Impl::OnChannelClosed(amqp_channel_t channel,
                                       const Status& why) {
  channel_open_[channel] = false;
  if (channel == kPublishChannel) {
    FailPendingConfirms(why);
    returned_.clear();
  } else if (channel == kConsumeChannel) {
    ++generation_;
    buffered_.clear();
    consumers_need_restart_ = true;
  }
}

Status Connection::Impl::EnsureChannel(amqp_channel_t channel) {
  NFVSM_RETURN_IF_ERROR(RequireConnected());
  if (channel_open_[channel]) return OkStatus();
  NFVSM_RETURN_IF_ERROR(OpenChannel(channel));
  if (channel == kConsumeChannel && consumers_need_restart_) {
    return RestartConsumers();
  }
  return OkStatus();
}

Status Connection::Impl::RestartConsumers() {
  consumers_need_restart_ = false;
  for (const Consumer& c : consumers_) {
    amqp_basic_consume(state_.get(), kConsumeChannel, Bytes(c.queue),
                       Bytes(c.tag), 0, 0, c.options.exclusive ? 1 : 0,
                       amqp_empty_table);
    Status s = CheckReply(
        kConsumeChannel, "basic.consume of queue '" + Printable(c.queue) + "'");
    if (!s.ok()) {
      consumers_need_restart_ = true;
      return s;
    }
  }
  return OkStatus();
}

Status Connection::Impl::ReadContent(amqp_channel_t channel,
                                     MessageProperties& properties,
                                     std::string& body, uint64_t& body_size,
                                     bool& oversized) {
  auto* raw = new amqp_message_t{};
  const amqp_rpc_reply_t reply =
      amqp_read_message(state_.get(), channel, raw, 0);
  if (reply.reply_type != AMQP_RESPONSE_NORMAL) {
    // amqp_read_message already released what it allocated.
    delete raw;
    return CheckReply(reply, channel, "reading a message");
  }
  internal::MessagePtr message(raw);
  properties = internal::FromBasicProperties(message->properties);
  body_size = message->body.len;
  oversized = body_size > options_.max_message_bytes;
  if (oversized) {
    body.clear();
  } else {
    body = ToString(message->body);
  }
  return OkStatus();
}

Status Connection::Impl::PumpOnce(Duration timeout, bool* idle) {
  *idle = false;
  NFVSM_RETURN_IF_ERROR(RequireConnected());
  amqp_frame_t frame;
  timeval tv = internal::ToTimeval(timeout);
  const int rc = amqp_simple_wait_frame_noblock(state_.get(), &frame, &tv);
  if (rc == AMQP_STATUS_TIMEOUT) {
    *idle = true;
    return OkStatus();
  }
  if (rc != AMQP_STATUS_OK) {
    Status s = internal::LibraryError(rc, "connection to " + broker_);
    Drop(s);
    return s;
  }
  if (frame.frame_type == AMQP_FRAME_METHOD) {
    const amqp_channel_t ch = frame.channel;
    const void* decoded = frame.payload.method.decoded;
    switch (frame.payload.method.id) {
      case AMQP_BASIC_DELIVER_METHOD: {
        const auto* m = static_cast<const amqp_basic_deliver_t*>(decoded);
        Delivery d;
        d.delivery_tag = m->delivery_tag;
        d.redelivered = m->redelivered != 0;
        d.consumer_tag = ToString(m->consumer_tag);
        d.exchange = ToString(m->exchange);
        d.routing_key = ToString(m->routing_key);
        d.generation = generation_;
        NFVSM_RETURN_IF_ERROR(
            ReadContent(ch, d.properties, d.body, d.body_size, d.oversized));
        if (ch == kConsumeChannel && channel_open_[ch]) {
          buffered_.push_back(std::move(d));
        }
        break;
      }
      case AMQP_BASIC_ACK_METHOD: {
        const auto* m = static_cast<const amqp_basic_ack_t*>(decoded);
        if (ch == kPublishChannel) {
          ResolveConfirms(m->delivery_tag, m->multiple != 0, OkStatus());
        }
        break;
      }
      case AMQP_BASIC_NACK_METHOD: {
        const auto* m = static_cast<const amqp_basic_nack_t*>(decoded);
        if (ch == kPublishChannel) {
          ResolveConfirms(m->delivery_tag, m->multiple != 0,
                          ResourceExhaustedError("publish refused by " +
                                                 broker_ + " (basic.nack)"));
        }
        break;
      }
      case AMQP_BASIC_RETURN_METHOD: {
        const amqp_basic_return_t method =
            *static_cast<const amqp_basic_return_t*>(decoded);
        NFVSM_RETURN_IF_ERROR(HandleReturn(method));
        break;
      }
      case AMQP_BASIC_CANCEL_METHOD: {
        // The broker cancels a consumer whose queue was deleted.
        const auto* m = static_cast<const amqp_basic_cancel_t*>(decoded);
        const std::string tag = ToString(m->consumer_tag);
        std::erase_if(consumers_,
                      [&tag](const Consumer& c) { return c.tag == tag; });
        break;
      }
      case AMQP_CHANNEL_CLOSE_METHOD: {
        const auto* m = static_cast<const amqp_channel_close_t*>(decoded);
        Status s = internal::BrokerError(
            m->reply_code, ToString(m->reply_text),
            "channel " + std::to_string(ch) + " closed by " + broker_);
        SendChannelCloseOk(state_.get(), ch);
        OnChannelClosed(ch, s);
        break;
      }
      case AMQP_CONNECTION_CLOSE_METHOD: {
        const auto* m = static_cast<const amqp_connection_close_t*>(decoded);
        Status s = internal::BrokerError(m->reply_code, ToString(m->reply_text),
                                         "connection closed by " + broker_);
        SendConnectionCloseOk(state_.get());
        s = UnavailableError(s.message());
        Drop(s);
        return s;
      }
      default:
        break;
    }
  }
  if (state_ != nullptr) amqp_maybe_release_buffers(state_.get());
  return OkStatus();
}

StatusOr<std::string> Connection::Impl::Consume(std::string_view queue,
                                                const ConsumeOptions& options) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kConsumeChannel));
  const auto* ok = amqp_basic_consume(
      state_.get(), kConsumeChannel, Bytes(queue), Bytes(options.consumer_tag),
      0, 0, options.exclusive ? 1 : 0, amqp_empty_table);
  NFVSM_RETURN_IF_ERROR(CheckReply(
      kConsumeChannel, "basic.consume of queue '" + Printable(queue) + "'"));
  Consumer consumer{std::string(queue), options, ToString(ok->consumer_tag)};
  consumer.options.consumer_tag = consumer.tag;
  consumers_.push_back(consumer);
  return consumer.tag;
}

Status Connection::Impl::Cancel(std::string_view consumer_tag) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kConsumeChannel));
  amqp_basic_cancel(state_.get(), kConsumeChannel, Bytes(consumer_tag));
  NFVSM_RETURN_IF_ERROR(CheckReply(kConsumeChannel, "basic.cancel"));
  std::erase_if(consumers_, [&consumer_tag](const Consumer& c) {
    return c.tag == consumer_tag;
  });
  return OkStatus();
}

StatusOr<std::optional<Delivery>> Connection::Impl::NextDelivery(
    Duration timeout) {
  auto take = [this]() {
    Delivery d = std::move(buffered_.front());
    buffered_.pop_front();
    return std::optional<Delivery>(std::move(d));
  };
  if (!buffered_.empty()) return take();
  const auto deadline = SteadyClock::now() + timeout;
  for (;;) {
    if (interrupted_.load()) return UnavailableError("connection: interrupted");
    NFVSM_RETURN_IF_ERROR(EnsureChannel(kConsumeChannel));
    if (!buffered_.empty()) return take();
    const Duration left = Remaining(deadline);
    bool idle = false;
    NFVSM_RETURN_IF_ERROR(PumpOnce(std::min(left, kWaitSlice), &idle));
    if (!buffered_.empty()) return take();
    if (idle && Remaining(deadline) == Duration::zero()) {
      return std::optional<Delivery>();
    }
  }
}

StatusOr<std::optional<Delivery>> Connection::Impl::Get(
    std::string_view queue) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kConsumeChannel));
  const amqp_rpc_reply_t reply =
      amqp_basic_get(state_.get(), kConsumeChannel, Bytes(queue), 0);
  NFVSM_RETURN_IF_ERROR(
      CheckReply(reply, kConsumeChannel,
                 "basic.get from queue '" + Printable(queue) + "'"));
  if (reply.reply.id != AMQP_BASIC_GET_OK_METHOD) {
    return std::optional<Delivery>();
  }
  const auto* m = static_cast<const amqp_basic_get_ok_t*>(reply.reply.decoded);
  Delivery d;
  d.delivery_tag = m->delivery_tag;
  d.redelivered = m->redelivered != 0;
  d.exchange = ToString(m->exchange);
  d.routing_key = ToString(m->routing_key);
  d.generation = generation_;
  NFVSM_RETURN_IF_ERROR(ReadContent(kConsumeChannel, d.properties, d.body,
                                    d.body_size, d.oversized));
  if (state_ != nullptr) amqp_maybe_release_buffers(state_.get());
  return std::optional<Delivery>(std::move(d));
}

Status Connection::Impl::Settle(const Delivery& d, bool ack, bool multiple,
                                bool requeue) {
  NFVSM_RETURN_IF_ERROR(RequireConnected());
  if (d.generation != generation_ || !channel_open_[kConsumeChannel]) {
    return FailedPreconditionError(
        "delivery " + std::to_string(d.delivery_tag) +
        " came on an earlier channel or connection; the broker has "
        "requeued it");
  }
  const int rc =
      ack ? amqp_basic_ack(state_.get(), kConsumeChannel, d.delivery_tag,
                           multiple ? 1 : 0)
          : amqp_basic_nack(state_.get(), kConsumeChannel, d.delivery_tag,
                            multiple ? 1 : 0, requeue ? 1 : 0);
  if (rc != AMQP_STATUS_OK) {
    Status s =
        internal::LibraryError(rc, (ack ? "ack to " : "nack to ") + broker_);
    Drop(s);
    return s;
  }
  return OkStatus();
}

}  // namespace nfvsm::amqp
