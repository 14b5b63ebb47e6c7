#include "gateway.h"

#include <filesystem>
#include <utility>

#include "admin_service.h"
#include "bus_actuator.h"
#include "gate_service.h"
#include "ingest.h"
#include "logging.h"
#include "logging_actuator.h"
#include "nfvsm/audit.h"
#include "nfvsm/engine.h"
#include "sm_channels.h"

namespace nfvsm::gateway {
namespace {

Status EnsureStateDir(const std::string& path) {
  std::error_code ec;
  std::filesystem::create_directories(path, ec);
  if (ec) {
    return UnavailableError("cannot create state_dir " + path + ": " +
                            ec.message());
  }
  return OkStatus();
}

// Loads the audit keys; on first start (no HMAC key file) generates one.
StatusOr<AuditKeys> LoadOrCreateAuditKeys(const GatewayConfig& c,
                                          spdlog::logger& log) {
  std::error_code ec;
  if (!std::filesystem::exists(c.hmac_key_file, ec)) {
    NFVSM_ASSIGN_OR_RETURN(AuditKeys fresh, AuditKeys::Generate(false));
    NFVSM_RETURN_IF_ERROR(
        AuditKeys::WriteKeyFile(c.hmac_key_file, fresh.hmac_key));
    log.warn("generated a new audit HMAC key in {} (first start)",
             c.hmac_key_file);
  }
  return AuditKeys::Load(c.hmac_key_file, c.encryption_key_file);
}

}  // namespace

Gateway::Gateway(GatewayConfig config, std::shared_ptr<spdlog::logger> logger,
                 GatewayRunOptions run_options)
    : config_(std::move(config)),
      log_(std::move(logger)),
      run_options_(run_options) {}

Gateway::~Gateway() {
  // Services before the engine they borrow; channels last (they carry the
  // SM answers gates in flight wait for).
  ingest_.reset();
  admin_.reset();
  gates_.reset();
  if (channels_) channels_->Stop();
  engine_.reset();
  channels_.reset();
}

StatusOr<std::unique_ptr<Gateway>> Gateway::Open(
    const GatewayConfig& config, std::shared_ptr<spdlog::logger> logger,
    GatewayRunOptions run_options) {
  if (!logger) return InvalidArgumentError("gateway: needs a logger");
  std::unique_ptr<Gateway> gw(
      new Gateway(config, std::move(logger), run_options));
  const GatewayConfig& c = gw->config_;
  NFVSM_RETURN_IF_ERROR(EnsureStateDir(c.state_dir));
  NFVSM_ASSIGN_OR_RETURN(AuditKeys keys, LoadOrCreateAuditKeys(c, *gw->log_));

  NFVSM_RETURN_IF_ERROR(gw->OpenActuator());

  SmChannelsOptions channel_options;
  channel_options.broker.url = c.transport_url;
  channel_options.broker.connection_name = "nfvsm-gateway sm-channel";
  channel_options.gateway_id = c.gateway_id;
  channel_options.state_dir = c.state_dir;
  channel_options.sm_broker_url_host = c.sm_broker_host;
  channel_options.rabbitmqctl = c.rabbitmqctl;
  channel_options.max_sm_message_bytes = c.max_sm_message_bytes;
  channel_options.logger = ChildLogger(gw->log_, "nfvsm.gateway.sm_channels");
  NFVSM_ASSIGN_OR_RETURN(gw->channels_,
                         SmChannels::Create(std::move(channel_options)));

  EngineOptions engine_options;
  engine_options.store_path = c.store_path;
  engine_options.audit_keys = std::move(keys);
  NFVSM_ASSIGN_OR_RETURN(
      gw->engine_,
      Engine::Open(std::move(engine_options), *gw->channels_, *gw->actuator_));
  if (gw->logging_actuator_ != nullptr) {
    gw->logging_actuator_->Attach(&gw->engine_->audit(), &gw->engine_->store());
  }
  gw->channels_->Attach(gw->engine_.get());
  return gw;
}

Status Gateway::OpenActuator() {
  const GatewayConfig& c = config_;
  auto logger = ChildLogger(log_, "nfvsm.gateway.actuator");
  if (c.actuator == "bus") {
    BusActuatorOptions options;
    options.connection.url = c.transport_url;
    options.connection.connection_name = "nfvsm-gateway actuator";
    options.queue = c.actuator_queue;
    options.timeout = c.actuator_timeout;
    options.gateway_id = c.gateway_id;
    options.logger = std::move(logger);
    NFVSM_ASSIGN_OR_RETURN(actuator_, BusActuator::Create(std::move(options)));
    return OkStatus();
  }
  auto logging = std::make_unique<LoggingActuator>(std::move(logger));
  logging_actuator_ = logging.get();
  actuator_ = std::move(logging);
  return OkStatus();
}

Status Gateway::StartServices() {
  const GatewayConfig& c = config_;
  amqp::ConnectionOptions bus;
  bus.url = c.transport_url;

  if (Status s = channels_->Start(); !s.ok()) {
    // One unreachable SM vhost must not stop ingest or gates (its gates
    // fail by the binding's fail mode); SIGHUP retries.
    log_->error("some SM channels did not open: {}", s.ToString());
  }

  GateServiceOptions gate_options;
  gate_options.connection = bus;
  gate_options.default_deadline = c.gate_default_deadline;
  gate_options.start_wait = run_options_.start_wait;
  NFVSM_ASSIGN_OR_RETURN(
      gates_, GateService::Start(std::move(gate_options), *engine_,
                                 ChildLogger(log_, "nfvsm.gateway.gate")));

  AdminServiceOptions admin_options;
  admin_options.connection = bus;
  admin_options.start_wait = run_options_.start_wait;
  SmChannels* channels = channels_.get();
  ChannelHooks hooks{
      .provision =
          [channels](const SecurityManager& sm) {
            return channels->Provision(sm);
          },
      .remove = [channels](const SmId& id) { return channels->Remove(id); },
      .channel_file =
          [channels](const SmId& id) { return channels->ChannelFileOf(id); }};
  NFVSM_ASSIGN_OR_RETURN(
      admin_,
      AdminService::Start(std::move(admin_options), *engine_, std::move(hooks),
                          ChildLogger(log_, "nfvsm.gateway.admin")));

  IngestOptions ingest_options;
  ingest_options.connection = bus;
  ingest_options.connection.connection_name = "nfvsm-gateway ingest";
  ingest_options.connection.prefetch_count = c.prefetch;
  ingest_options.exchanges = c.notification_exchanges;
  ingest_options.queue = c.ingest_queue;
  ingest_options.dead_letter_queue = c.dead_letter_queue;
  NFVSM_ASSIGN_OR_RETURN(
      ingest_,
      Ingest::Start(
          std::move(ingest_options), *engine_,
          SmDeliverers{
              [channels](const SmId& sm, const LifecycleEvent& e) {
                return channels->DeliverEvent(sm, e);
              },
              [channels](const SmId& sm, const wire::SecurityAlert& alert) {
                return channels->DeliverAlert(sm, alert);
              }},
          ChildLogger(log_, "nfvsm.gateway.ingest")));
  return OkStatus();
}

Status Gateway::Run() {
  log_->info("nfvsm-gateway starting: gateway_id {}, bus {}, store {}",
             config_.gateway_id, config_.transport_url.Redacted(),
             config_.store_path);
  if (logging_actuator_ != nullptr) {
    log_->warn(kNoActuatorWarning);
  } else {
    log_->info("actuator: nfvsm-actuator on queue {} (timeout {} s)",
               config_.actuator_queue,
               std::chrono::duration_cast<std::chrono::seconds>(
                   config_.actuator_timeout)
                   .count());
  }
  Status started = StartServices();
  if (!started.ok()) {
    log_->critical("cannot start: {}", started.ToString());
    Drain();
    return started;
  }
  log_->info("nfvsm-gateway running");
  std::unique_lock lock(mu_);
  while (!stop_requested_) {
    if (reload_requested_) {
      reload_requested_ = false;
      lock.unlock();
      DoReload();
      lock.lock();
      continue;
    }
    if (!cv_.wait_for(lock, run_options_.stats_period, [this] {
          return stop_requested_ || reload_requested_;
        })) {
      lock.unlock();
      LogStats();
      lock.lock();
    }
  }
  lock.unlock();
  log_->info("stopping: draining ingest, gates and SM channels");
  Drain();
  LogStats();
  log_->info("nfvsm-gateway stopped");
  return OkStatus();
}

void Gateway::Drain() {
  if (ingest_) ingest_->Stop();
  if (admin_) admin_->Stop();
  if (gates_) {
    gates_->StopTaking();
    if (!gates_->Drain(run_options_.max_drain)) {
      log_->error("gates still undecided after {} s",
                  std::chrono::duration_cast<std::chrono::seconds>(
                      run_options_.max_drain)
                      .count());
    }
  }
  if (channels_) channels_->Stop();
  if (gates_) gates_->Stop();
}

void Gateway::Stop() {
  {
    std::lock_guard lock(mu_);
    stop_requested_ = true;
  }
  cv_.notify_all();
}

void Gateway::Reload() {
  {
    std::lock_guard lock(mu_);
    reload_requested_ = true;
  }
  cv_.notify_all();
}

void Gateway::DoReload() {
  log_->info("reloading SM channels");
  size_t opened = 0;
  for (const auto& sm : engine_->bindings().ListSms()) {
    if (engine_->bindings().BindingsOf(sm.id).empty()) continue;
    if (channels_->HasOpenChannel(sm.id)) continue;
    Status s = channels_->Provision(sm);
    if (s.ok()) {
      ++opened;
    } else {
      log_->error("channel of SM {} still not open: {}", sm.id, s.ToString());
    }
  }
  log_->info("reload done: {} channel(s) opened", opened);
}

void Gateway::LogStats() {
  if (ingest_) {
    const IngestStats s = ingest_->stats();
    std::string ignored;
    for (const auto& [type, n] : s.ignored_by_type) {
      ignored += (ignored.empty() ? "" : ", ") + type + "=" + std::to_string(n);
    }
    log_->info(
        "ingest: received {}, recorded {}, duplicates {}, sm deliveries {}, "
        "not relevant {}, dead-lettered {}, retried {}; ignored by type: {}",
        s.received, s.events_recorded, s.duplicates, s.sm_deliveries,
        s.not_relevant, s.dead_lettered, s.retried,
        ignored.empty() ? "-" : ignored);
  }
  if (gates_) {
    const GateServiceStats g = gates_->stats();
    log_->info(
        "gates: requests {}, replied {}, refused {}, expired {}, "
        "in flight {}",
        g.requests, g.replied, g.refused, g.expired, g.in_flight);
  }
}

}  // namespace nfvsm::gateway
