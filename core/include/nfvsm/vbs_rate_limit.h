// A per-source token-bucket rate limiter for the VBS endpoint: each source
// (an IP address) may send `burst` requests at once and `rate_per_second`
// on average. The number of sources tracked is bounded, so a spray of
// spoofed or many sources costs bounded memory: at the bound the source
// idle the longest is forgotten (it comes back with a full bucket, which is
// no more than a new source gets).
//
// Thread safety: Allow may be called concurrently (one internal lock).
// Ownership: borrows the clock, which must outlive the limiter.
// Failures: none; Allow answers yes or no. Create returns kInvalidArgument
// for a non-positive rate, burst or bound.
#ifndef NFVSM_VBS_RATE_LIMIT_H_
#define NFVSM_VBS_RATE_LIMIT_H_

#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::vbs {

struct RateLimitOptions {
  double rate_per_second = 10;
  double burst = 20;
  size_t max_sources = 65'536;
};

class SourceRateLimiter {
 public:
  static StatusOr<std::unique_ptr<SourceRateLimiter>> Create(
      RateLimitOptions options, const Clock& clock);

  // Takes one token from `source`'s bucket; false if it is empty.
  bool Allow(std::string_view source);
  size_t tracked_sources() const;

 private:
  struct Bucket {
    double tokens = 0;
    TimePoint refilled_at{};
    std::list<std::string>::iterator lru;
  };
  SourceRateLimiter(RateLimitOptions options, const Clock& clock)
      : options_(options), clock_(clock) {}

  const RateLimitOptions options_;
  const Clock& clock_;
  mutable std::mutex mu_;
  std::unordered_map<std::string, Bucket> buckets_;
  std::list<std::string> lru_;  // most recently used first
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_RATE_LIMIT_H_
