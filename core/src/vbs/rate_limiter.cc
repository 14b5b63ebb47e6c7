#include <algorithm>

#include "nfvsm/vbs_rate_limit.h"

namespace nfvsm::vbs {

StatusOr<std::unique_ptr<SourceRateLimiter>> SourceRateLimiter::Create(
    RateLimitOptions options, const Clock& clock) {
  if (!(options.rate_per_second > 0) || !(options.burst >= 1) ||
      options.max_sources == 0) {
    return InvalidArgumentError(
        "rate limit: rate must be > 0, burst >= 1, max_sources > 0");
  }
  return std::unique_ptr<SourceRateLimiter>(
      new SourceRateLimiter(options, clock));
}

bool SourceRateLimiter::Allow(std::string_view source) {
  const TimePoint now = clock_.Now();
  std::lock_guard lock(mu_);
  auto it = buckets_.find(std::string(source));
  if (it == buckets_.end()) {
    if (buckets_.size() >= options_.max_sources) {
      buckets_.erase(lru_.back());
      lru_.pop_back();
    }
    lru_.emplace_front(source);
    it = buckets_
             .emplace(std::string(source),
                      Bucket{options_.burst, now, lru_.begin()})
             .first;
  } else {
    lru_.splice(lru_.begin(), lru_, it->second.lru);
    const double elapsed =
        std::chrono::duration<double>(now - it->second.refilled_at).count();
    if (elapsed > 0) {
      it->second.tokens =
          std::min(options_.burst,
                   it->second.tokens + elapsed * options_.rate_per_second);
      it->second.refilled_at = now;
    }
  }
  if (it->second.tokens < 1) return false;
  it->second.tokens -= 1;
  return true;
}

size_t SourceRateLimiter::tracked_sources() const {
  std::lock_guard lock(mu_);
  return buckets_.size();
}

}  // namespace nfvsm::vbs
