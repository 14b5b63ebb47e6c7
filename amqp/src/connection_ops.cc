// Topology operations, all on the topology channel: a broker refusal (404,
// 406) closes only that channel, which is reopened on the next call.
#include <amqp.h>
#include <amqp_framing.h>

#include <string>

#include "amqp_util.h"
#include "connection_impl.h"
#include "url_codec.h"

namespace nfvsm::amqp {
namespace {

using internal::Bytes;
using internal::Printable;

std::string Quoted(std::string_view kind, std::string_view name) {
  return std::string(kind) + " '" + Printable(name) + "'";
}

}  // namespace

Status Connection::Impl::DeclareExchange(const ExchangeSpec& spec) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  amqp_exchange_declare(state_.get(), kTopologyChannel, Bytes(spec.name),
                        Bytes(spec.type), spec.passive ? 1 : 0,
                        spec.durable ? 1 : 0, spec.auto_delete ? 1 : 0,
                        spec.internal ? 1 : 0, amqp_empty_table);
  return CheckReply(kTopologyChannel,
                    "exchange.declare of " + Quoted("exchange", spec.name));
}

StatusOr<QueueInfo> Connection::Impl::DeclareQueue(const QueueSpec& spec) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  const internal::TableBuilder arguments(spec.arguments);
  const auto* ok = amqp_queue_declare(
      state_.get(), kTopologyChannel, Bytes(spec.name), spec.passive ? 1 : 0,
      spec.durable ? 1 : 0, spec.exclusive ? 1 : 0, spec.auto_delete ? 1 : 0,
      arguments.table());
  NFVSM_RETURN_IF_ERROR(CheckReply(
      kTopologyChannel, "queue.declare of " + Quoted("queue", spec.name)));
  QueueInfo info;
  info.name = internal::ToString(ok->queue);
  info.message_count = ok->message_count;
  info.consumer_count = ok->consumer_count;
  return info;
}

Status Connection::Impl::Bind(bool bind, std::string_view queue,
                              std::string_view exchange,
                              std::string_view routing_key) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  if (bind) {
    amqp_queue_bind(state_.get(), kTopologyChannel, Bytes(queue),
                    Bytes(exchange), Bytes(routing_key), amqp_empty_table);
  } else {
    amqp_queue_unbind(state_.get(), kTopologyChannel, Bytes(queue),
                      Bytes(exchange), Bytes(routing_key), amqp_empty_table);
  }
  return CheckReply(kTopologyChannel,
                    std::string(bind ? "queue.bind of " : "queue.unbind of ") +
                        Quoted("queue", queue) + " to " +
                        Quoted("exchange", exchange) + " with " +
                        Quoted("routing key", routing_key));
}

StatusOr<uint32_t> Connection::Impl::PurgeQueue(std::string_view queue) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  const auto* ok =
      amqp_queue_purge(state_.get(), kTopologyChannel, Bytes(queue));
  NFVSM_RETURN_IF_ERROR(
      CheckReply(kTopologyChannel, "queue.purge of " + Quoted("queue", queue)));
  return ok->message_count;
}

Status Connection::Impl::DeleteQueue(std::string_view queue) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  amqp_queue_delete(state_.get(), kTopologyChannel, Bytes(queue), 0, 0);
  return CheckReply(kTopologyChannel,
                    "queue.delete of " + Quoted("queue", queue));
}

Status Connection::Impl::DeleteExchange(std::string_view exchange) {
  NFVSM_RETURN_IF_ERROR(EnsureChannel(kTopologyChannel));
  amqp_exchange_delete(state_.get(), kTopologyChannel, Bytes(exchange), 0);
  return CheckReply(kTopologyChannel,
                    "exchange.delete of " + Quoted("exchange", exchange));
}

}  // namespace nfvsm::amqp
