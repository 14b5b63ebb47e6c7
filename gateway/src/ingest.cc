#include "ingest.h"

#include <nlohmann/json.hpp>
#include <random>
#include <utility>

#include "nfvsm/amqp/notification.h"
#include "nfvsm/inventory.h"
#include "nfvsm/lifecycle_event.h"

namespace nfvsm::gateway {
namespace {

using nlohmann::json;

constexpr auto kPollInterval = std::chrono::milliseconds(500);

// OpenStack declares its exchanges non-durable; redeclaring one with other
// flags is a 406 that closes the channel. Check passively and create with
// oslo's own flags only when the service has not started yet.
Status DeclareOpenStackExchange(amqp::Connection& c, const std::string& name) {
  if (c.DeclareExchange({.name = name, .passive = true}).ok()) {
    return OkStatus();
  }
  return c.DeclareExchange({.name = name, .type = "topic", .durable = false});
}

// The resolver of the translator: a Nova instance is a VNF when MANO has
// registered it (VnfInventory); Heat stacks are not mapped yet (Tacker's
// VNF <-> stack mapping is not in VnfRecord), so they are not relevant.
amqp::VnfResolver InventoryResolver(const Engine& engine) {
  return [&engine](amqp::ResourceKind kind,
                   std::string_view id) -> std::vector<VnfId> {
    if (kind != amqp::ResourceKind::kNovaInstance) return {};
    VnfId vnf(id);
    if (!engine.inventory().Get(vnf)) return {};
    return {vnf};
  };
}

bool Retryable(const Status& s) {
  switch (s.code()) {
    case StatusCode::kUnavailable:
    case StatusCode::kDeadlineExceeded:
    case StatusCode::kResourceExhausted:
    case StatusCode::kInternal:
    case StatusCode::kDataLoss:
      return true;
    default:
      return false;
  }
}

}  // namespace

Ingest::Ingest(IngestOptions options, Engine& engine, SmDeliverers deliver,
               std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)),
      engine_(engine),
      deliver_(std::move(deliver)),
      log_(std::move(logger)),
      translator_(InventoryResolver(engine)) {}

StatusOr<std::unique_ptr<Ingest>> Ingest::Start(
    IngestOptions options, Engine& engine, SmDeliverers deliver,
    std::shared_ptr<spdlog::logger> logger) {
  if (options.exchanges.empty() || options.queue.empty() ||
      options.dead_letter_queue.empty() ||
      options.queue == options.dead_letter_queue) {
    return InvalidArgumentError(
        "ingest: needs exchanges, a queue and a different dead-letter queue");
  }
  if (!deliver.event || !logger) {
    return InvalidArgumentError(
        "ingest: needs an event deliverer and a logger");
  }
  std::unique_ptr<Ingest> ingest(new Ingest(
      std::move(options), engine, std::move(deliver), std::move(logger)));
  ingest->thread_ = std::thread([raw = ingest.get()] { raw->Run(); });
  return ingest;
}

Ingest::~Ingest() { Stop(); }

void Ingest::Stop() {
  stopping_.store(true);
  {
    std::lock_guard lock(mu_);
    if (conn_) conn_->Interrupt();
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

IngestStats Ingest::stats() const {
  IngestStats s;
  {
    std::lock_guard lock(mu_);
    s = stats_;
  }
  s.ignored_by_type = translator_.stats().ignored_by_type;
  return s;
}

void Ingest::Pause(Duration d) {
  std::unique_lock lock(mu_);
  wake_.wait_for(lock, d, [this] { return stopping_.load(); });
}

Status Ingest::DeclareTopology(amqp::Connection& c) {
  for (const auto& exchange : options_.exchanges) {
    NFVSM_RETURN_IF_ERROR(DeclareOpenStackExchange(c, exchange));
  }
  NFVSM_RETURN_IF_ERROR(
      c.DeclareQueue({.name = options_.queue, .durable = true}).status());
  NFVSM_RETURN_IF_ERROR(
      c.DeclareQueue({.name = options_.dead_letter_queue, .durable = true})
          .status());
  for (const auto& exchange : options_.exchanges) {
    NFVSM_RETURN_IF_ERROR(
        c.BindQueue(options_.queue, exchange, "versioned_notifications.*"));
    NFVSM_RETURN_IF_ERROR(
        c.BindQueue(options_.queue, exchange, "notifications.*"));
  }
  return OkStatus();
}

bool Ingest::Connect() {
  amqp::ConnectionOptions opts = options_.connection;
  opts.on_connected = [this](amqp::Connection& c) {
    return DeclareTopology(c);
  };
  opts.on_retry = [this](const Status& s, Duration wait) {
    log_->warn(
        "bus unavailable ({}); retrying in {} ms", s.ToString(),
        std::chrono::duration_cast<std::chrono::milliseconds>(wait).count());
  };
  std::mt19937_64 rng{std::random_device{}()};
  for (uint32_t attempt = 0; !stopping_.load(); ++attempt) {
    auto conn = amqp::Connection::Open(opts);
    if (conn.ok()) {
      auto tag = (*conn)->Consume(options_.queue);
      if (tag.ok()) {
        std::lock_guard lock(mu_);
        conn_ = std::move(conn).value();
        if (stopping_.load()) conn_->Interrupt();
        log_->info("ingest consuming {} on {} ({})", options_.queue,
                   conn_->broker(), options_.connection.url.Redacted());
        return true;
      }
      log_->warn("ingest: cannot consume {}: {}", options_.queue,
                 tag.status().ToString());
    } else {
      log_->warn("ingest: cannot connect: {}", conn.status().ToString());
      if (conn.status().code() == StatusCode::kInvalidArgument) {
        log_->error("ingest: configuration error; ingest stopped");
        return false;
      }
    }
    Pause(options_.connection.backoff.Delay(attempt, rng));
  }
  return false;
}

void Ingest::Run() {
  if (!Connect()) return;
  consuming_.store(true);
  while (!stopping_.load()) {
    auto next = conn_->NextDelivery(kPollInterval);
    if (!next.ok()) {
      consuming_.store(false);
      if (stopping_.load()) break;
      log_->warn("ingest: {}; reconnecting", next.status().ToString());
      // Interrupt() (from Stop) ends the wait.
      Status s = conn_->Reconnect(std::chrono::hours(24 * 365));
      if (!s.ok() && !stopping_.load()) {
        log_->error("ingest: reconnect failed: {}", s.ToString());
        Pause(options_.retry_pause);
      }
      consuming_.store(s.ok());
      continue;
    }
    if (!next->has_value()) continue;
    const amqp::Delivery& d = **next;
    {
      std::lock_guard lock(mu_);
      ++stats_.received;
    }
    if (Handle(d)) {
      Status acked = conn_->Ack(d);
      if (!acked.ok()) {
        // The broker requeued it (connection lost): handled again, and
        // deduplicated by the engine.
        log_->warn("ingest: ack of {} failed: {}", d.properties.message_id,
                   acked.ToString());
      }
      continue;
    }
    {
      std::lock_guard lock(mu_);
      ++stats_.retried;
    }
    Pause(options_.retry_pause);
    (void)conn_->Reject(d, /*requeue=*/true);
  }
  consuming_.store(false);
  std::lock_guard lock(mu_);
  conn_.reset();  // prefetched, unhandled deliveries go back to the queue
}

bool Ingest::Handle(const amqp::Delivery& d) {
  if (d.oversized) {
    return DeadLetter(d, "oversized: " + std::to_string(d.body_size) + " bytes")
        .ok();
  }
  auto notification = amqp::DecodeNotification(d.body);
  if (!notification.ok()) {
    return DeadLetter(d, notification.status().ToString()).ok();
  }
  auto translation = translator_.Translate(*notification);
  if (!translation.ok()) {
    return DeadLetter(d, translation.status().ToString()).ok();
  }
  if (translation->events.empty()) {
    std::lock_guard lock(mu_);
    ++stats_.not_relevant;
    log_->debug("ignored {} ({}): {}", notification->event_type,
                notification->message_id, translation->ignored_reason);
    return true;
  }
  for (const LifecycleEvent& event : translation->events) {
    auto receipt = engine_.RecordEvent(event, EventValidation::kObserved);
    if (!receipt.ok()) {
      if (Retryable(receipt.status())) {
        log_->error("ingest: event {} not recorded: {}", event.id,
                    receipt.status().ToString());
        return false;
      }
      // Not in a known trust domain, or invalid: no retry can fix it.
      std::lock_guard lock(mu_);
      ++stats_.not_relevant;
      log_->warn("ingest: event {} ({}) ignored: {}", event.id, event.origin,
                 receipt.status().ToString());
      continue;
    }
    {
      std::lock_guard lock(mu_);
      ++(receipt->duplicate ? stats_.duplicates : stats_.events_recorded);
    }
    for (const Delivery& to : receipt->deliveries) {
      Status sent = deliver_.event(to.sm, receipt->event);
      if (!sent.ok()) {
        if (Retryable(sent)) {
          log_->error("ingest: event {} not delivered to SM {}: {}", event.id,
                      to.sm, sent.ToString());
          return false;
        }
        log_->error("ingest: event {} cannot be delivered to SM {}: {}",
                    event.id, to.sm, sent.ToString());
        continue;
      }
      std::lock_guard lock(mu_);
      ++stats_.sm_deliveries;
    }
    if (receipt->alert && deliver_.alert) {
      if (!SendAlert(*receipt)) return false;
    }
  }
  return true;
}

bool Ingest::SendAlert(const EventReceipt& receipt) {
  const wire::SecurityAlert& alert = *receipt.alert;
  log_->warn("ingest: security alert {}: {}", alert.id, alert.description);
  for (const SmId& sm : receipt.alert_recipients) {
    Status sent = deliver_.alert(sm, alert);
    if (!sent.ok()) {
      if (Retryable(sent)) {
        log_->error("ingest: alert {} not delivered to SM {}: {}", alert.id, sm,
                    sent.ToString());
        return false;
      }
      log_->error("ingest: alert {} cannot be delivered to SM {}: {}", alert.id,
                  sm, sent.ToString());
      continue;
    }
    std::lock_guard lock(mu_);
    ++stats_.alerts_sent;
  }
  return true;
}

Status Ingest::DeadLetter(const amqp::Delivery& d, const std::string& reason) {
  amqp::OutgoingMessage m;
  m.exchange = "";
  m.routing_key = options_.dead_letter_queue;
  m.body = d.body;  // empty for an oversized delivery
  m.properties.content_type = d.properties.content_type;
  m.properties.message_id = d.properties.message_id;
  m.properties.timestamp = d.properties.timestamp;
  m.properties.headers[kDeadLetterReasonHeader] = reason;
  m.properties.headers["x-nfvsm-original-exchange"] = d.exchange;
  m.properties.headers["x-nfvsm-original-routing-key"] = d.routing_key;
  m.mandatory = true;  // the queue must exist: never drop silently
  Status s = conn_->Publish(m);
  if (!s.ok()) {
    log_->error("ingest: dead-lettering {} failed: {}", d.properties.message_id,
                s.ToString());
    return s;
  }
  s = AuditRejection(d, reason);
  if (!s.ok()) {
    log_->error("ingest: audit of rejected {} failed: {}",
                d.properties.message_id, s.ToString());
    return s;
  }
  std::lock_guard lock(mu_);
  ++stats_.dead_lettered;
  log_->warn("ingest: message {} from {} dead-lettered: {}",
             d.properties.message_id.empty() ? "-" : d.properties.message_id,
             d.exchange, reason);
  return OkStatus();
}

Status Ingest::AuditRejection(const amqp::Delivery& d,
                              const std::string& reason) {
  json body = {
      {"reason", reason},       {"message_id", d.properties.message_id},
      {"exchange", d.exchange}, {"routing_key", d.routing_key},
      {"bytes", d.body_size},   {"redelivered", d.redelivered}};
  const std::string subject =
      d.properties.message_id.empty() ? "-" : d.properties.message_id;
  // The Engine appends inside store transactions; so must every other
  // writer of the same log (see audit.h, lock order).
  Status s = engine_.store().InTransaction([&]() -> Status {
    return engine_.audit()
        .Append(kManoPartition, "ingest.rejected", "nfvsm.gateway", subject,
                body.dump(-1, ' ', false, json::error_handler_t::replace))
        .status();
  });
  if (!s.ok()) engine_.audit().ForgetCachedHeads();
  return s;
}

}  // namespace nfvsm::gateway
