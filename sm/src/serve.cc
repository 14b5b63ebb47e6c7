#include "sm/src/serve.h"

#include <spdlog/spdlog.h>

#include <chrono>
#include <nlohmann/json.hpp>
#include <random>
#include <thread>

#include "nfvsm/v1/gate.pb.h"

namespace nfvsm::refsm {
namespace {

using nlohmann::json;

json PayloadJson(const google::protobuf::Message& m) {
  json j = json::parse(ToJson(m), nullptr, false);
  return j.is_discarded() ? json::object() : j;
}

void SleepInterruptibly(int ms, const std::atomic<bool>& stop) {
  const auto until =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
  while (!stop.load() && std::chrono::steady_clock::now() < until) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

}  // namespace

EventLog::EventLog(const std::string& path) : path_(path) {
  if (!path_.empty()) file_ = std::fopen(path_.c_str(), "a");
}

EventLog::~EventLog() {
  if (file_ != nullptr) std::fclose(file_);
}

void EventLog::Write(const std::string& json_line) {
  if (file_ == nullptr) return;
  std::fputs(json_line.c_str(), file_);
  std::fputc('\n', file_);
  std::fflush(file_);
}

InboxHandler::InboxHandler(const ChannelFile& channel, const PrivateKey& key,
                           SequenceSource& sequence, const Rules& rules,
                           EventLog& log)
    : channel_(channel),
      rules_(rules),
      log_(log),
      verifier_(channel.gateway_key,
                VerifyOptions{.expected_sender = channel.gateway_id,
                              .expected_recipient = channel.sm_id}),
      outbox_(channel, key, sequence) {}

void InboxHandler::Reject(const InboundMessage& message, const Error& error) {
  ++counters_.rejected;
  spdlog::warn("dropped message {} ({} bytes): {}", message.message_id,
               message.body.size(), error.ToString());
  log_.Write(json{{"event", "rejected"},
                  {"message_id", message.message_id},
                  {"code", std::string(CodeName(error.code))},
                  {"reason", error.message}}
                 .dump());
}

HandlingPlan InboxHandler::Handle(const InboundMessage& message,
                                  int64_t now_us) {
  ++counters_.received;
  HandlingPlan plan;
  Result<v1::Envelope> opened = verifier_.Open(message.body, now_us);
  if (!opened.ok()) {
    Reject(message, opened.error());
    return plan;
  }
  const v1::Envelope& envelope = opened.value();
  Result<std::unique_ptr<google::protobuf::Message>> payload =
      DecodePayload(envelope);
  if (!payload.ok()) {
    Reject(message, payload.error());
    return plan;
  }
  const google::protobuf::Message& body = *payload.value();
  json line{{"event", "received"},
            {"type", envelope.message_type()},
            {"sender", envelope.sender()},
            {"sequence", envelope.sequence()},
            {"correlation_id", envelope.correlation_id()},
            {"payload", PayloadJson(body)}};
  log_.Write(line.dump());
  spdlog::info("received {} from {} (correlation {})", envelope.message_type(),
               envelope.sender(), envelope.correlation_id());
  if (envelope.message_type() != kGateRequestType) return plan;

  const auto& request = static_cast<const v1::GateRequest&>(body);
  if (!request.answer_expected()) return plan;  // Passive: never answer
  const GateDecision decision = rules_.Decide(request);
  if (decision.silent) {
    ++counters_.silent;
    spdlog::info("gate {}: rule {} is silent, not answering", request.gate_id(),
                 decision.rule_index);
    log_.Write(json{{"event", "gate_silent"},
                    {"gate_id", request.gate_id()},
                    {"rule", decision.rule_index}}
                   .dump());
    return plan;
  }
  v1::GateAnswer answer;
  answer.set_gate_id(request.gate_id());
  answer.set_verdict(decision.verdict);
  answer.set_reason(decision.reason);
  if (decision.policy) *answer.mutable_policy() = *decision.policy;
  // No deadline on the answer: a Semi-Active SM's late deny must still
  // reach MANO to be recorded (R2.1.30); MANO judges lateness itself.
  Result<OutboundMessage> wrapped = outbox_.Wrap(
      answer, envelope.correlation_id().empty() ? request.gate_id()
                                                : envelope.correlation_id());
  if (!wrapped.ok()) {
    spdlog::error("gate {}: cannot sign the answer: {}", request.gate_id(),
                  wrapped.error().ToString());
    return plan;
  }
  ++counters_.gate_answers;
  log_.Write(json{{"event", "gate_answer"},
                  {"gate_id", request.gate_id()},
                  {"verdict", v1::Verdict_Name(decision.verdict)},
                  {"reason", decision.reason},
                  {"rule", decision.rule_index},
                  {"delay_ms", decision.delay_ms}}
                 .dump());
  plan.reply = std::move(wrapped).value();
  plan.delay_ms = decision.delay_ms;
  return plan;
}

Server::Server(ChannelFile channel, PrivateKey key, Rules rules,
               std::string sequence_file, std::string events_out,
               ServeOptions options)
    : channel_(std::move(channel)),
      key_(std::move(key)),
      rules_(std::move(rules)),
      sequence_(std::move(sequence_file)),
      log_(events_out),
      options_(options),
      handler_(channel_, key_, sequence_, rules_, log_) {}

Outcome Server::Session(const std::atomic<bool>& stop) {
  Result<std::vector<BrokerAddress>> brokers =
      ParseTransportUrl(channel_.transport_url);
  if (!brokers.ok()) return brokers.error();
  LinkOptions link_options;
  link_options.brokers = brokers.value();
  link_options.tls = options_.tls;
  link_options.connection_name = "nfvsm-sm " + channel_.sm_id + " consumer";
  Result<std::unique_ptr<AmqpLink>> consumer = AmqpLink::Open(link_options);
  if (!consumer.ok()) return consumer.error();
  link_options.connection_name = "nfvsm-sm " + channel_.sm_id + " publisher";
  // The publisher can sit idle for long: no heartbeats, a dead connection
  // shows up on the next publish, which then reconnects.
  link_options.heartbeat_s = 0;
  Result<std::unique_ptr<AmqpLink>> publisher = AmqpLink::Open(link_options);
  if (!publisher.ok()) return publisher.error();
  Outcome consuming = (*consumer)->Consume(channel_.consume_queue);
  if (!consuming.ok()) return consuming;
  session_connected_ = true;
  spdlog::info("connected to {} as {}, consuming {}", (*consumer)->broker(),
               channel_.sm_id, channel_.consume_queue);

  while (!stop.load()) {
    Result<std::optional<InboundMessage>> next = (*consumer)->Next(200);
    if (!next.ok()) return next.error();
    if (!next.value()) continue;
    const InboundMessage& message = *next.value();
    HandlingPlan plan = handler_.Handle(message, WallClockMicros());
    if (plan.reply) {
      if (plan.delay_ms > 0) {
        SleepInterruptibly(plan.delay_ms, stop);
      }
      Outcome sent =
          (*publisher)->Publish(*plan.reply, options_.confirm_timeout_ms);
      if (!sent.ok()) {
        // Not acked: the broker redelivers the request after reconnection.
        spdlog::warn("publishing the answer failed: {}",
                     sent.error().ToString());
        return sent;
      }
    }
    Outcome acked = (*consumer)->Ack(message.delivery_tag);
    if (!acked.ok()) return acked;
  }
  return Ok{};
}

int Server::Run(const std::atomic<bool>& stop) {
  std::mt19937 jitter(std::random_device{}());
  int backoff_ms = 200;
  while (!stop.load()) {
    session_connected_ = false;
    Outcome session = Session(stop);
    if (stop.load()) break;
    if (session.ok()) continue;
    // A session that got going starts the backoff afresh; refused logins
    // and queues keep doubling it (the operator may fix the channel).
    if (session_connected_) backoff_ms = 200;
    const Error& e = session.error();
    if (e.code == Code::kInvalidArgument) {
      spdlog::error("cannot serve: {}", e.ToString());
      return 2;
    }
    const int wait =
        backoff_ms / 2 + static_cast<int>(jitter() % (backoff_ms / 2 + 1));
    spdlog::warn("bus session ended ({}); reconnecting in {} ms", e.ToString(),
                 wait);
    SleepInterruptibly(wait, stop);
    backoff_ms = std::min(backoff_ms * 2, options_.max_backoff_ms);
  }
  const ServerCounters& c = handler_.counters();
  spdlog::info("stopped: {} received, {} rejected, {} gate answers, {} silent",
               c.received, c.rejected, c.gate_answers, c.silent);
  return 0;
}

}  // namespace nfvsm::refsm
