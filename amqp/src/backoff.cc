#include "nfvsm/amqp/backoff.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

namespace nfvsm::amqp {

Status BackoffPolicy::Validate() const {
  if (initial <= Duration::zero()) {
    return InvalidArgumentError("backoff: initial must be positive");
  }
  if (max < initial) {
    return InvalidArgumentError("backoff: max must be at least initial");
  }
  if (!(multiplier >= 1.0) || !std::isfinite(multiplier)) {
    return InvalidArgumentError("backoff: multiplier must be at least 1");
  }
  if (!(jitter >= 0.0 && jitter < 1.0)) {
    return InvalidArgumentError("backoff: jitter must be in [0, 1)");
  }
  return OkStatus();
}

Duration BackoffPolicy::Delay(uint32_t attempt, std::mt19937_64& rng) const {
  const double cap = static_cast<double>(max.count());
  // pow() overflows to +inf for large attempts; min() then yields the cap.
  const double base =
      std::min(cap, static_cast<double>(initial.count()) *
                        std::pow(multiplier, static_cast<double>(attempt)));
  std::uniform_real_distribution<double> spread(1.0 - jitter, 1.0 + jitter);
  const double jittered = std::min(cap, base * spread(rng));
  const auto us = static_cast<Duration::rep>(jittered);
  return std::max<Duration>(Duration(us), std::chrono::milliseconds(1));
}

}  // namespace nfvsm::amqp
