#include "ingest_load.h"

#include <openssl/rand.h>

#include <cstdio>
#include <ctime>
#include <filesystem>
#include <nlohmann/json.hpp>
#include <thread>
#include <vector>

#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/audit.h"
#include "nfvsm/engine.h"

namespace nfvsm::bus_load {
namespace {

// The seeding engine never asks an SM nor acts: it only writes registries.
class NoTransport final : public SmTransport {
 public:
  void Notify(const SmId&, const GateRequest&) override {}
  Status Ask(const SmId&, const GateRequest&, TimePoint) override {
    return UnavailableError("seeding only");
  }
};

class NoActuator final : public Actuator {
 public:
  Status NotifyOssBss(const OssBssNotice&) override { return Refuse(); }
  Status TerminateVnf(const VnfRecord&, const TerminateFlags&) override {
    return Refuse();
  }
  Status QuarantineInstanceCopy(const VnfRecord&) override { return Refuse(); }
  Status QuarantineImage(const std::string&) override { return Refuse(); }
  Status QuarantineVnfd(const std::string&) override { return Refuse(); }
  Status QuarantineHost(const std::string&, const std::string&) override {
    return Refuse();
  }
  Status EraseInstanceStorage(const VnfRecord&) override { return Refuse(); }
  Status MigrateVnf(const VnfRecord&, const std::string&) override {
    return Refuse();
  }
  Status ApplyPolicy(const VnfRecord&, const Policy&) override {
    return Refuse();
  }
  Status InsertSecurityFunction(const std::string&,
                                const SecurityFunctionSpec&) override {
    return Refuse();
  }
  Status RemoveSecurityFunction(const std::string&,
                                const SecurityFunctionSpec&) override {
    return Refuse();
  }
  Status ReleaseQuarantine(QuarantineTarget, const std::string&) override {
    return Refuse();
  }

 private:
  static Status Refuse() { return FailedPreconditionError("seeding only"); }
};

std::string Uuid4() {
  unsigned char b[16];
  if (RAND_bytes(b, sizeof b) != 1) return {};
  b[6] = static_cast<unsigned char>((b[6] & 0x0f) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3f) | 0x80);
  char out[37];
  std::snprintf(out, sizeof out,
                "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%"
                "02x%02x",
                b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                b[10], b[11], b[12], b[13], b[14], b[15]);
  return out;
}

std::string OsloTimestampNow() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t t = std::chrono::system_clock::to_time_t(now);
  const auto micros = std::chrono::duration_cast<std::chrono::microseconds>(
                          now.time_since_epoch())
                          .count() %
                      1000000;
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d.%06lld",
                tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour,
                tm.tm_min, tm.tm_sec, static_cast<long long>(micros));
  return buf;
}

// One notification as oslo.messaging's messagingv2 driver sends it.
std::string NovaPowerOffEnd(const std::string& instance, uint64_t i) {
  nlohmann::json payload = {{"nova_object.name", "InstanceActionPayload"},
                            {"nova_object.namespace", "nova"},
                            {"nova_object.version", "1.8"},
                            {"nova_object.data",
                             {{"uuid", instance},
                              {"host", "compute-1"},
                              {"state", "stopped"},
                              {"power_state", "shutdown"}}}};
  nlohmann::json message = {
      {"message_id", Uuid4()},
      {"publisher_id", "nova-compute:compute-1"},
      {"event_type", "instance.power_off.end"},
      {"priority", "INFO"},
      {"payload", std::move(payload)},
      {"timestamp", OsloTimestampNow()},
      {"_context_request_id", "req-bench-" + std::to_string(i)}};
  nlohmann::json envelope = {{"oslo.version", "2.0"},
                             {"oslo.message", message.dump()}};
  return envelope.dump();
}

}  // namespace

Status Seed(const SeedOptions& options) {
  if (!std::filesystem::exists(options.hmac_key_file)) {
    NFVSM_ASSIGN_OR_RETURN(AuditKeys generated, AuditKeys::Generate(false));
    NFVSM_RETURN_IF_ERROR(
        AuditKeys::WriteKeyFile(options.hmac_key_file, generated.hmac_key));
  }
  NFVSM_ASSIGN_OR_RETURN(AuditKeys keys,
                         AuditKeys::Load(options.hmac_key_file, ""));
  EngineOptions engine_options;
  engine_options.store_path = options.store_path;
  engine_options.audit_keys = std::move(keys);
  NoTransport transport;
  NoActuator actuator;
  NFVSM_ASSIGN_OR_RETURN(auto engine, Engine::Open(std::move(engine_options),
                                                   transport, actuator));
  const std::pair<const char*, const char*> domains[] = {
      {kGateDomain, kGateVnfPrefix}, {kIngestDomain, kIngestVnfPrefix}};
  for (const auto& [domain, prefix] : domains) {
    TrustDomain d;
    d.id = domain;
    NFVSM_RETURN_IF_ERROR(engine->PutDomain(d, "nfvsm-bus-load"));
    const int count = std::string(domain) == kGateDomain ? options.gate_vnfs
                                                         : options.ingest_vnfs;
    for (int i = 0; i < count; ++i) {
      VnfRecord v;
      v.id = prefix + std::to_string(i);
      v.domain = domain;
      NFVSM_RETURN_IF_ERROR(engine->PutVnf(v, "nfvsm-bus-load"));
    }
  }
  return OkStatus();
}

Status Publish(const PublishOptions& options) {
  auto connection = options.connection;
  connection.connection_name = "nfvsm-bus-load-publish";
  NFVSM_ASSIGN_OR_RETURN(auto c, amqp::Connection::Open(connection));
  // As nfvsm-gateway and OpenStack declare the exchange: a 406 must never
  // be provoked on an existing one.
  if (!c->DeclareExchange({.name = options.exchange, .passive = true}).ok()) {
    NFVSM_RETURN_IF_ERROR(c->DeclareExchange(
        {.name = options.exchange, .type = "topic", .durable = false}));
  }
  if (!options.queue.empty()) {
    NFVSM_RETURN_IF_ERROR(
        c->DeclareQueue({.name = options.queue, .durable = true}).status());
    NFVSM_RETURN_IF_ERROR(c->BindQueue(options.queue, options.exchange,
                                       "versioned_notifications.*"));
    NFVSM_RETURN_IF_ERROR(
        c->BindQueue(options.queue, options.exchange, "notifications.*"));
  }
  std::vector<amqp::OutgoingMessage> batch;
  batch.reserve(options.batch);
  for (uint64_t i = 0; i < options.count; ++i) {
    amqp::OutgoingMessage m;
    m.exchange = options.exchange;
    m.routing_key = "versioned_notifications.info";
    m.body = NovaPowerOffEnd(
        kIngestVnfPrefix + std::to_string(i % static_cast<uint64_t>(
                                                  std::max(1, options.vnfs))),
        i);
    m.properties.content_type = "application/json";
    m.properties.content_encoding = "utf-8";
    m.properties.persistent = true;
    batch.push_back(std::move(m));
    if (batch.size() == options.batch || i + 1 == options.count) {
      for (const Status& s : c->PublishBatch(batch)) NFVSM_RETURN_IF_ERROR(s);
      batch.clear();
    }
  }
  return OkStatus();
}

StatusOr<Row> Drain(const DrainOptions& options) {
  auto connection = options.connection;
  connection.connection_name = "nfvsm-bus-load-drain";
  NFVSM_ASSIGN_OR_RETURN(auto c, amqp::Connection::Open(connection));
  const amqp::QueueSpec passive{.name = options.queue, .passive = true};
  const auto give_up = Clock::now() + options.timeout;
  std::optional<Clock::time_point> first;
  Row row;
  row.label = options.label;
  row.count = options.expected;
  while (Clock::now() < give_up) {
    NFVSM_ASSIGN_OR_RETURN(amqp::QueueInfo info, c->DeclareQueue(passive));
    const auto now = Clock::now();
    if (!first && info.message_count < options.expected) first = now;
    if (first && info.message_count == 0) {
      const double seconds =
          std::chrono::duration<double>(now - *first).count();
      row.per_second =
          seconds > 0 ? static_cast<double>(options.expected) / seconds : 0;
      return row;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  row.errors = 1;
  std::fprintf(stderr, "%s: queue %s not drained within %llds\n",
               options.label.c_str(), options.queue.c_str(),
               static_cast<long long>(options.timeout.count()));
  return row;
}

StatusOr<uint64_t> CountHistory(const HistoryOptions& options) {
  amqp::AdminClientOptions admin_options;
  admin_options.actor = "nfvsm-bus-load";
  admin_options.deadline = std::chrono::seconds(60);
  NFVSM_ASSIGN_OR_RETURN(
      auto admin, amqp::AdminClient::Open(options.connection, admin_options));
  uint64_t total = 0;
  for (int i = 0; i < options.vnfs; ++i) {
    NFVSM_ASSIGN_OR_RETURN(
        auto history,
        admin->VnfHistory(kIngestVnfPrefix + std::to_string(i), FromMicros(0),
                          FromMicros(0)));  // 0: unbounded, as nfvsm-admin
    total += history.size();
  }
  return total;
}

}  // namespace nfvsm::bus_load
