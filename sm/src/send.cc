#include "sm/src/send.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <optional>

#include "nfvsm/v1/queries.pb.h"
#include "sm/src/envelope.h"
#include "sm/src/messages.h"

namespace nfvsm::refsm {
namespace {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

json AsJson(const google::protobuf::Message& m) {
  json j = json::parse(ToJson(m), nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

bool IsQuery(const v1::Instruction& i) {
  return i.has_status_query() || i.has_history_query();
}

}  // namespace

SendOutcome SendInstruction(const ChannelFile& channel, const PrivateKey& key,
                            SequenceSource& sequence,
                            const v1::Instruction& instruction,
                            const SendOptions& options) {
  SendOutcome out;
  Result<std::vector<BrokerAddress>> brokers =
      ParseTransportUrl(channel.transport_url);
  if (!brokers.ok()) {
    out.exit_code = kSendUsageError;
    out.error = brokers.error().ToString();
    return out;
  }
  LinkOptions link_options;
  link_options.brokers = brokers.value();
  link_options.tls = options.tls;
  // Answers may queue behind other messages, which stay unacked.
  link_options.prefetch = 1000;
  link_options.connection_name = "nfvsm-sm " + channel.sm_id + " send";
  Result<std::unique_ptr<AmqpLink>> consumer = AmqpLink::Open(link_options);
  Result<std::unique_ptr<AmqpLink>> publisher =
      consumer.ok() ? AmqpLink::Open(link_options) : consumer.error();
  if (!publisher.ok()) {
    out.exit_code = kSendNoAnswer;
    out.error = publisher.error().ToString();
    return out;
  }
  if (Outcome c = (*consumer)->Consume(channel.consume_queue); !c.ok()) {
    out.exit_code = kSendNoAnswer;
    out.error = c.error().ToString();
    return out;
  }

  const std::string& id = instruction.instruction_id();
  Outbox outbox(channel, key, sequence);
  Result<OutboundMessage> message = outbox.Wrap(instruction, id);
  if (!message.ok()) {
    out.exit_code = kSendUsageError;
    out.error = message.error().ToString();
    return out;
  }
  if (Outcome sent = (*publisher)->Publish(*message, options.timeout_ms);
      !sent.ok()) {
    out.exit_code = kSendNoAnswer;
    out.error = "instruction not published: " + sent.error().ToString();
    return out;
  }
  spdlog::info("sent instruction {} ({})", id, message->message_id);

  EnvelopeVerifier verifier(channel.gateway_key,
                            VerifyOptions{.expected_sender = channel.gateway_id,
                                          .expected_recipient = channel.sm_id});
  json printed{{"instruction_id", id}};
  std::optional<v1::InstructionResult> result;
  bool query_answered = false;
  const auto deadline =
      Clock::now() + std::chrono::milliseconds(options.timeout_ms);
  auto stop_at = deadline;
  while (Clock::now() < stop_at) {
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        stop_at - Clock::now());
    Result<std::optional<InboundMessage>> next =
        (*consumer)->Next(static_cast<int>(std::max<int64_t>(1, left.count())));
    if (!next.ok()) {
      out.error = next.error().ToString();
      break;
    }
    if (!next.value()) continue;
    const InboundMessage& m = *next.value();
    Result<v1::Envelope> opened = verifier.Open(m.body, WallClockMicros());
    if (!opened.ok()) {
      spdlog::warn("ignored inbox message {}: {}", m.message_id,
                   opened.error().ToString());
      continue;  // left for serve to count and drop
    }
    Result<std::unique_ptr<google::protobuf::Message>> payload =
        DecodePayload(*opened);
    if (!payload.ok()) continue;
    const std::string& type = opened->message_type();
    bool mine = false;
    if (type == kInstructionResultType) {
      const auto& r = static_cast<const v1::InstructionResult&>(**payload);
      if (r.instruction_id() == id) {
        result = r;
        printed["instruction_result"] = AsJson(r);
        mine = true;
      }
    } else if (type == kStatusResultType) {
      const auto& r = static_cast<const v1::StatusResult&>(**payload);
      if (r.instruction_id() == id) {
        printed["status_result"] = AsJson(r);
        query_answered = mine = true;
      }
    } else if (type == kHistoryResultType) {
      const auto& r = static_cast<const v1::HistoryResult&>(**payload);
      if (r.instruction_id() == id) {
        printed["history_result"] = AsJson(r);
        query_answered = mine = true;
      }
    }
    if (!mine) continue;  // unacked: back to the queue when we leave
    if (Outcome a = (*consumer)->Ack(m.delivery_tag); !a.ok()) {
      out.error = a.error().ToString();
    }
    if (result) break;
    if (query_answered && IsQuery(instruction)) {
      stop_at = std::min(deadline, Clock::now() + std::chrono::milliseconds(
                                                      options.result_grace_ms));
    }
  }
  out.json = printed.dump(2);
  if (result) {
    if (result->status_code() == "ok") {
      out.exit_code = kSendAccepted;
    } else {
      out.exit_code = kSendRefused;
      out.error =
          "refused: " + result->status_code() + ": " + result->status_message();
    }
  } else if (query_answered) {
    out.exit_code = kSendAccepted;
  } else {
    out.exit_code = kSendNoAnswer;
    if (out.error.empty()) out.error = "no answer before the timeout";
  }
  return out;
}

}  // namespace nfvsm::refsm
