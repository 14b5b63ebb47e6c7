// The consumer side of SmChannel: what the gateway does with each message
// an SM sends.
#include <spdlog/spdlog.h>

#include <nlohmann/json.hpp>
#include <vector>

#include "sm_channel_link.h"

namespace nfvsm::gateway {
namespace {

using json = nlohmann::json;

constexpr size_t kMaxEchoedIdBytes = 128;
constexpr size_t kMaxAlertDescriptionBytes = 1024;

// An attacker-chosen AMQP property reduced to something safe to audit and
// to send back: id characters only, bounded.
std::string SafeId(std::string_view raw) {
  std::string out;
  for (char c : raw) {
    if (out.size() >= kMaxEchoedIdBytes) break;
    const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                    (c >= '0' && c <= '9') || c == '.' || c == '_' ||
                    c == '-' || c == ':';
    if (ok) out += c;
  }
  return out;
}

}  // namespace

StatusOr<crypto::VerifyingKey> SmChannel::SmKey() {
  auto sm = engine_.bindings().GetSm(config_.sm);
  if (!sm) {
    return UnauthenticatedError("SM is not registered: no key to verify with");
  }
  if (!sm_key_ || sm->public_key_pem != sm_key_pem_) {
    auto key = crypto::VerifyingKey::FromPem(sm->public_key_pem);
    if (!key.ok()) {
      return UnauthenticatedError("the SM's registered public key is unusable");
    }
    sm_key_ = std::move(key).value();
    sm_key_pem_ = sm->public_key_pem;
  }
  return *sm_key_;
}

void SmChannel::Handle(amqp::Connection& connection,
                       const amqp::Delivery& delivery) {
  Status refusal = Dispatch(delivery);
  if (refusal.code() == StatusCode::kAlreadyExists && delivery.redelivered) {
    // Only the broker sets `redelivered`, for a delivery it handed out
    // before without an ack: this process accepted (and handled) it and
    // then lost the ack. An SM replaying bytes publishes anew, which is
    // never marked redelivered.
    log_->info("SM channel {}: redelivery of a handled message, acked",
               config_.sm);
  } else if (!refusal.ok()) {
    Refuse(delivery, refusal);
  }
  // Every path above has made its effect durable (engine transaction or
  // audit record) before this ack.
  Status acked = connection.Ack(delivery);
  if (!acked.ok()) {
    log_->warn("SM channel {}: ack failed ({}); the broker redelivers",
               config_.sm, acked.ToString());
  }
}

Status SmChannel::Dispatch(const amqp::Delivery& delivery) {
  if (delivery.oversized) {
    return ResourceExhaustedError("message of " +
                                  std::to_string(delivery.body_size) +
                                  " bytes exceeds the channel's limit of " +
                                  std::to_string(config_.max_sm_message_bytes +
                                                 wire::kEnvelopeOverheadBytes));
  }
  NFVSM_ASSIGN_OR_RETURN(crypto::VerifyingKey key, SmKey());
  wire::OpenOptions open;
  open.max_bytes = config_.max_sm_message_bytes + wire::kEnvelopeOverheadBytes;
  open.max_clock_skew = config_.max_clock_skew;
  open.expected_sender = config_.sm;
  open.expected_recipient = config_.gateway_id;
  NFVSM_ASSIGN_OR_RETURN(wire::Envelope envelope,
                         wire::OpenEnvelope(delivery.body, key, replay_window_,
                                            engine_.clock(), open));
  if (envelope.message_type == wire::kGateAnswerType) {
    return HandleGateAnswer(envelope);
  }
  if (envelope.message_type == wire::kInstructionType) {
    return HandleInstruction(envelope);
  }
  return InvalidArgumentError(
      "message_type is not one an SM may send (GateAnswer, Instruction)");
}

Status SmChannel::HandleGateAnswer(const wire::Envelope& envelope) {
  NFVSM_ASSIGN_OR_RETURN(wire::GateAnswerMessage message,
                         wire::DecodeGateAnswer(envelope.payload, config_.sm,
                                                config_.max_sm_message_bytes));
  Status s = engine_.OnGateAnswer(message.gate_id, message.answer);
  // kNotFound: the gate is over; the engine audits the late answer.
  if (s.ok() || s.code() == StatusCode::kNotFound) {
    counters_.gate_answers.fetch_add(1, std::memory_order_relaxed);
    return OkStatus();
  }
  return s;  // e.g. kPermissionDenied: this SM was not asked
}

Status SmChannel::HandleInstruction(const wire::Envelope& envelope) {
  NFVSM_ASSIGN_OR_RETURN(Instruction instruction,
                         wire::DecodeInstruction(envelope.payload, config_.sm,
                                                 config_.max_sm_message_bytes));
  counters_.instructions.fetch_add(1, std::memory_order_relaxed);
  // The engine audits refusals (instruction.refused) and accepted
  // instructions in one transaction each before returning.
  auto outcome = engine_.HandleInstruction(instruction);
  InstructionOutcome report;
  if (outcome.ok()) {
    report = std::move(outcome).value();
  } else {
    report.instruction_id = instruction.id;
    report.status = outcome.status();
  }
  const std::string& id = instruction.id;
  auto publish = [&](std::string_view type, StatusOr<std::string> payload) {
    Status s = payload.ok() ? Publish(type, *payload, id, std::nullopt)
                            : payload.status();
    if (!s.ok()) {
      log_->warn("SM channel {}: could not send {} for instruction: {}",
                 config_.sm, type, s.ToString());
    }
  };
  publish(wire::kInstructionResultType, wire::EncodeInstructionResult(report));
  if (outcome.ok() && instruction.kind == InstructionKind::kStatusQuery) {
    publish(wire::kStatusResultType,
            wire::EncodeStatusResult(id, report.status_list));
  }
  if (outcome.ok() && instruction.kind == InstructionKind::kHistoryQuery) {
    publish(wire::kHistoryResultType,
            wire::EncodeHistoryResult(id, report.history));
  }
  const StatusCode code = report.status.code();
  if (!outcome.ok() && code != StatusCode::kUnavailable &&
      code != StatusCode::kInternal) {
    Alert(wire::SecurityAlertKind::kInstructionRefused,
          "instruction refused: " + report.status.ToString(), SafeId(id));
  }
  return OkStatus();
}

void SmChannel::Refuse(const amqp::Delivery& delivery, const Status& reason) {
  counters_.refused.fetch_add(1, std::memory_order_relaxed);
  const std::string message_id = SafeId(delivery.properties.message_id);
  json body = {{"reason", reason.ToString()},
               {"code", std::string(StatusCodeName(reason.code()))},
               {"message_id", message_id},
               {"bytes", delivery.body_size},
               {"redelivered", delivery.redelivered}};
  // The SM's partitions (IFA026 5.3), as the engine does for its refused
  // instructions; the MANO partition while the SM is bound nowhere.
  std::vector<std::string> partitions;
  for (const Binding& b : engine_.bindings().BindingsOf(config_.sm)) {
    partitions.push_back(PartitionFor(config_.sm, b.domain));
  }
  if (partitions.empty()) partitions.emplace_back(kManoPartition);
  const std::string subject = message_id.empty() ? "-" : message_id;
  Status audited = engine_.store().InTransaction([&]() -> Status {
    for (const auto& partition : partitions) {
      NFVSM_RETURN_IF_ERROR(engine_.audit()
                                .Append(partition, "sm_message.refused",
                                        config_.sm, subject, body.dump())
                                .status());
    }
    return OkStatus();
  });
  if (!audited.ok()) {
    engine_.audit().ForgetCachedHeads();
    // The message is refused either way; requeueing it would only turn it
    // into a replay on redelivery.
    log_->error("SM channel {}: audit of a refused message failed: {}",
                config_.sm, audited.ToString());
  }
  log_->warn("SM channel {}: refused message {}: {}", config_.sm, subject,
             reason.ToString());
  Alert(wire::SecurityAlertKind::kMessageRejected,
        "message refused: " + reason.ToString(), message_id);
}

void SmChannel::Alert(wire::SecurityAlertKind kind,
                      const std::string& description,
                      const std::string& related_id) {
  wire::SecurityAlert alert;
  alert.occurred_at = engine_.clock().Now();
  alert.id = config_.gateway_id +
             ":alert:" + std::to_string(ToMicros(alert.occurred_at)) + ":" +
             std::to_string(alert_counter_.fetch_add(1) + 1);
  alert.kind = kind;
  alert.source = EventSource::kNfvo;
  alert.description = description.substr(0, kMaxAlertDescriptionBytes);
  alert.related_id = related_id;
  auto payload = wire::EncodeSecurityEvent(alert);
  Status s = payload.ok()
                 ? Publish(wire::kSecurityEventType, *payload, "", std::nullopt)
                 : payload.status();
  if (!s.ok()) {
    log_->warn("SM channel {}: could not send SecurityEvent: {}", config_.sm,
               s.ToString());
  }
}

}  // namespace nfvsm::gateway
