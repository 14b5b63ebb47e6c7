// Helpers shared by the gateway's broker tests: OpenStack-style
// notification bodies, polling, and queue inspection.
#ifndef NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
#define NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_

#include <chrono>
#include <functional>
#include <string>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/status.h"

namespace nfvsm::gateway::testing {

// An oslo.messaging 2.0 envelope of a Nova versioned notification about
// one instance, as the messagingv2 driver writes it.
std::string NovaNotification(const std::string& message_id,
                             const std::string& event_type,
                             const std::string& instance_uuid);

// Publishes `body` on an OpenStack exchange as oslo does (topic exchange,
// routing key versioned_notifications.info), with a publisher confirm.
Status PublishNotification(amqp::Connection& c, const std::string& exchange,
                           const std::string& body);

// Polls `done` every 50 ms until it is true or `timeout` passes.
bool WaitFor(const std::function<bool()>& done,
             std::chrono::milliseconds timeout);

// Messages ready + unacknowledged in a queue, from rabbitmqctl.
struct QueueCounts {
  int64_t ready = -1;
  int64_t unacked = -1;
};
StatusOr<QueueCounts> CountMessages(const std::string& queue);

}  // namespace nfvsm::gateway::testing

#endif  // NFVSM_TESTS_GATEWAY_GATEWAY_TEST_UTIL_H_
