#include "tests/gateway/gateway_test_util.h"

#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "tests/amqp/broker_fixture.h"

namespace nfvsm::gateway::testing {

using nlohmann::json;

std::string NovaNotification(const std::string& message_id,
                             const std::string& event_type,
                             const std::string& instance_uuid) {
  json inner = {{"message_id", message_id},
                {"publisher_id", "nova-compute:compute-1"},
                {"event_type", event_type},
                {"priority", "INFO"},
                {"timestamp", "2026-11-23 12:00:00.123456"},
                {"payload",
                 {{"nova_object.name", "InstanceActionPayload"},
                  {"nova_object.namespace", "nova"},
                  {"nova_object.version", "1.8"},
                  {"nova_object.data",
                   {{"uuid", instance_uuid},
                    {"host", "compute-1"},
                    {"state", "active"},
                    {"power_state", "running"}}}}},
                {"_context_request_id", "req-" + message_id}};
  return json{{"oslo.version", "2.0"}, {"oslo.message", inner.dump()}}.dump();
}

Status PublishNotification(amqp::Connection& c, const std::string& exchange,
                           const std::string& body) {
  amqp::OutgoingMessage m;
  m.exchange = exchange;
  m.routing_key = "versioned_notifications.info";
  m.body = body;
  m.properties.content_type = "application/json";
  return c.Publish(m);
}

bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds timeout) {
  const auto end = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < end) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return done();
}

StatusOr<QueueCounts> CountMessages(const std::string& queue) {
  NFVSM_ASSIGN_OR_RETURN(std::string out,
                         amqp::testing::RabbitCtl(
                             {"list_queues", "-q", "--no-table-headers", "name",
                              "messages_ready", "messages_unacknowledged"}));
  std::istringstream lines(out);
  std::string name;
  QueueCounts counts;
  while (lines >> name >> counts.ready >> counts.unacked) {
    if (name == queue) return counts;
  }
  return NotFoundError("queue " + queue + " not listed");
}

}  // namespace nfvsm::gateway::testing
