#include "gate_service.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "logging.h"
#include "nfvsm/v1/hook.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::gateway {
namespace {

using nlohmann::json;

std::string Dump(const json& j) {
  return j.dump(-1, ' ', false, json::error_handler_t::replace);
}

v1::HookGateReply ReplyFor(const GateDecision& d) {
  v1::HookGateReply reply;
  reply.set_verdict(d.allowed ? v1::VERDICT_ALLOW : v1::VERDICT_DENY);
  reply.set_gate_id(d.gate_id);
  for (const auto& r : d.reasons) reply.add_reasons(r);
  for (const auto& sm : d.sms) {
    // hook.proto: a Fully-Active SM never answered. A Semi-Active SM
    // whose window closed in silence is the normal case, not a timeout.
    if (sm.mode == Mode::kFullyActive &&
        sm.participation == Participation::kSilent) {
      reply.set_timed_out(true);
    }
  }
  if (d.allowed) {
    Status s = wire::ToProto(d.effective_policy, reply.mutable_policy());
    if (!s.ok()) {
      // An allow whose policy cannot be sent would be applied without it.
      reply.set_verdict(v1::VERDICT_DENY);
      reply.clear_policy();
      reply.set_error("effective policy cannot be encoded: " + s.ToString());
    }
  }
  return reply;
}

std::string ErrorReply(const std::string& gate_id, const std::string& error) {
  v1::HookGateReply reply;
  reply.set_verdict(v1::VERDICT_DENY);
  reply.set_gate_id(gate_id);
  reply.set_error(error);
  return reply.SerializeAsString();
}

}  // namespace

GateService::GateService(GateServiceOptions options, Engine& engine,
                         std::shared_ptr<spdlog::logger> logger)
    : options_(std::move(options)), engine_(engine), log_(std::move(logger)) {}

StatusOr<std::unique_ptr<GateService>> GateService::Start(
    GateServiceOptions options, Engine& engine,
    std::shared_ptr<spdlog::logger> logger) {
  if (!logger) return InvalidArgumentError("gate service: needs a logger");
  std::unique_ptr<GateService> service(
      new GateService(std::move(options), engine, std::move(logger)));
  GateService* raw = service.get();
  service->expiry_thread_ = std::thread([raw] { raw->ExpiryLoop(); });
  amqp::RpcServerOptions rpc;
  rpc.connection = raw->options_.connection;
  rpc.connection.connection_name = "nfvsm-gateway gate";
  rpc.queue.name = raw->options_.queue;
  rpc.queue.durable = false;
  rpc.start_wait = raw->options_.start_wait;
  auto server = amqp::RpcServer::Create(
      std::move(rpc), [raw](const amqp::Delivery& d, amqp::Responder r) {
        raw->Handle(d, std::move(r));
      });
  if (!server.ok()) return server.status();  // destructor joins the thread
  NFVSM_RETURN_IF_ERROR((*server)->Start());
  service->server_ = std::move(server).value();
  return service;
}

GateService::~GateService() { Stop(); }

void GateService::StopTaking() {
  if (server_) server_->Stop();
}

bool GateService::Drain(Duration max_wait) {
  std::unique_lock lock(mu_);
  return idle_cv_.wait_for(lock, max_wait,
                           [this] { return in_flight_.load() == 0; });
}

void GateService::Stop() {
  StopTaking();
  if (!Drain(options_.default_deadline)) {
    log_->error("gate service: {} gate(s) still undecided at shutdown",
                in_flight_.load());
  }
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  deadlines_cv_.notify_all();
  if (expiry_thread_.joinable()) expiry_thread_.join();
}

GateServiceStats GateService::stats() const {
  return {.requests = requests_.load(),
          .replied = replied_.load(),
          .refused = refused_.load(),
          .expired = expired_.load(),
          .in_flight = in_flight_.load()};
}

void GateService::DeadlinesChanged() {
  {
    std::lock_guard lock(mu_);
    ++deadline_epoch_;
  }
  deadlines_cv_.notify_all();
}

void GateService::ExpiryLoop() {
  std::unique_lock lock(mu_);
  while (!stopping_) {
    const uint64_t epoch = deadline_epoch_;
    std::optional<TimePoint> next = engine_.NextGateDeadline();
    auto woken = [&] { return stopping_ || deadline_epoch_ != epoch; };
    if (!next) {
      deadlines_cv_.wait(lock, woken);
      continue;
    }
    // The engine's clock is the system clock (EngineOptions::clock unset).
    if (deadlines_cv_.wait_until(lock, *next, woken)) continue;
    lock.unlock();
    const size_t expired = engine_.ExpireGates();
    if (expired > 0)
      log_->info("{} gate(s) decided at their deadline", expired);
    lock.lock();
  }
}

Status GateService::Audit(std::string_view kind, const std::string& actor,
                          const std::string& subject,
                          const std::string& body_json) {
  // Same lock order as the Engine: appends inside store transactions.
  Status s = engine_.store().InTransaction([&]() -> Status {
    return engine_.audit()
        .Append(kManoPartition, kind, actor.empty() ? "-" : actor,
                subject.empty() ? "-" : subject, body_json)
        .status();
  });
  if (!s.ok()) engine_.audit().ForgetCachedHeads();
  return s;
}

void GateService::GateEnded() {
  {
    std::lock_guard lock(mu_);
    in_flight_.fetch_sub(1);
  }
  idle_cv_.notify_all();
}

void GateService::Refuse(const amqp::Delivery& request,
                         const amqp::Responder& responder,
                         const std::string& requester,
                         const std::string& reason) {
  refused_.fetch_add(1);
  log_->warn("gate request {} from {} refused: {}",
             request.properties.correlation_id,
             requester.empty() ? "-" : requester, reason);
  (void)Audit("gate.request_refused", requester,
              request.properties.correlation_id,
              Dump({{"reason", reason},
                    {"correlation_id", request.properties.correlation_id},
                    {"bytes", request.body_size}}));
  Status s = responder.Reply(ErrorReply("", reason), kHookGateReplyType);
  if (s.ok()) replied_.fetch_add(1);
}

void GateService::Handle(const amqp::Delivery& request,
                         amqp::Responder responder) {
  v1::HookGateRequest hook;
  if (request.oversized ||
      request.body_size > wire::kDefaultMaxNotificationBytes ||
      !hook.ParseFromString(request.body)) {
    Refuse(request, responder, "", "not a HookGateRequest");
    return;
  }
  ScopedRequestContext context(request.properties.correlation_id,
                               hook.requester());
  const TimePoint now = engine_.clock().Now();
  if (hook.deadline_us() != 0 && FromMicros(hook.deadline_us()) <= now) {
    expired_.fetch_add(1);
    log_->info("gate request past its deadline dropped");
    return;
  }
  v1::GateRequest* proto = hook.mutable_request();
  if (proto->gate_id().empty()) proto->set_gate_id(amqp::RandomHexId());
  auto decoded = wire::FromProto(*proto);
  if (!decoded.ok()) {
    Refuse(request, responder, hook.requester(), decoded.status().ToString());
    return;
  }
  GateRequest gate = std::move(decoded->request);
  switch (hook.check()) {
    case v1::HookGateRequest::CHECK_OPERATION:
      break;
    case v1::HookGateRequest::CHECK_RECOVERY:
      gate.is_recovery = true;
      break;
    case v1::HookGateRequest::CHECK_PLACEMENT:
      if (gate.target_host.empty()) {
        Refuse(request, responder, hook.requester(),
               "CHECK_PLACEMENT needs request.target_host");
        return;
      }
      break;
    default:
      Refuse(request, responder, hook.requester(),
             "check must be OPERATION, RECOVERY or PLACEMENT");
      return;
  }
  const std::string gate_id = gate.id;
  Status audited =
      Audit("gate.requested", hook.requester(), gate.vnf_id,
            Dump({{"gate_id", gate_id},
                  {"check", v1::HookGateRequest::Check_Name(hook.check())},
                  {"operation", ToString(gate.operation)},
                  {"correlation_id", request.properties.correlation_id}}));
  if (!audited.ok()) {
    // An unaudited gate must not be allowed (R1.3.30, R1.3.260).
    log_->error("gate {} not audited: {}", gate_id, audited.ToString());
    if (responder
            .Reply(ErrorReply(gate_id, "gate could not be audited"),
                   kHookGateReplyType)
            .ok()) {
      replied_.fetch_add(1);
    }
    return;
  }
  requests_.fetch_add(1);
  in_flight_.fetch_add(1);
  Status started = engine_.StartGate(
      std::move(gate), [this, responder](const GateDecision& decision) {
        Status s = responder.Reply(ReplyFor(decision).SerializeAsString(),
                                   kHookGateReplyType);
        if (s.ok()) {
          replied_.fetch_add(1);
        } else {
          log_->warn("gate {} decided but reply failed: {}", decision.gate_id,
                     s.ToString());
        }
        log_->info("gate {} on {}: {}", decision.gate_id, decision.vnf_id,
                   decision.allowed ? "allowed" : "denied");
        GateEnded();
      });
  if (!started.ok()) {
    GateEnded();
    requests_.fetch_sub(1);
    Refuse(request, responder, hook.requester(), started.ToString());
    return;
  }
  DeadlinesChanged();
}

}  // namespace nfvsm::gateway
