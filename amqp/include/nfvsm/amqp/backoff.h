// BackoffPolicy: how long to wait before the next reconnection attempt.
//
// Thread safety: a value type; Delay only reads the policy and advances the
// caller's random generator (one generator per thread).
//
// Ownership: nothing is retained.
//
// Failures: Validate returns kInvalidArgument naming the bad field. Delay
// never fails: it is only defined for a valid policy (callers validate
// once, when the policy is configured).
//
// Capped exponential backoff with jitter: attempt n (0-based) waits
// min(max, initial * multiplier^n), spread uniformly by +/- jitter and cut
// at max again, and never less than 1 ms, so a reconnect loop can neither
// spin nor synchronize a fleet of clients after a broker restart.
#ifndef NFVSM_AMQP_BACKOFF_H_
#define NFVSM_AMQP_BACKOFF_H_

#include <chrono>
#include <cstdint>
#include <random>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::amqp {

struct BackoffPolicy {
  Duration initial = std::chrono::seconds(1);  // oslo: rabbit_retry_interval
  Duration max = std::chrono::seconds(30);     // oslo: rabbit_interval_max
  double multiplier = 2.0;                     // >= 1
  double jitter = 0.2;                         // in [0, 1)

  Status Validate() const;

  // The wait before attempt `attempt` (0 for the first retry).
  Duration Delay(uint32_t attempt, std::mt19937_64& rng) const;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_BACKOFF_H_
