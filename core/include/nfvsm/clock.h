// Clock: the one source of time for the core.
//
// Thread safety: all methods are safe to call concurrently.
//
// The core never reads the system clock directly: gate deadlines, session
// expiry and timestamps all come from a Clock, so tests drive time with a
// ManualClock and every mode is tested deterministically.
#ifndef NFVSM_CLOCK_H_
#define NFVSM_CLOCK_H_

#include <atomic>
#include <chrono>
#include <cstdint>

namespace nfvsm {

// Microseconds since the Unix epoch, UTC. Stored and sent as int64.
using TimePoint = std::chrono::sys_time<std::chrono::microseconds>;
using Duration = std::chrono::microseconds;

inline int64_t ToMicros(TimePoint t) { return t.time_since_epoch().count(); }
inline TimePoint FromMicros(int64_t us) { return TimePoint(Duration(us)); }

class Clock {
 public:
  virtual ~Clock() = default;
  virtual TimePoint Now() const = 0;
};

// Wall clock (std::chrono::system_clock). Process-wide singleton; never
// destroyed.
Clock& SystemClock();

// A clock that moves only when told to. For tests and simulations.
class ManualClock final : public Clock {
 public:
  explicit ManualClock(TimePoint start = FromMicros(1'700'000'000'000'000))
      : now_us_(ToMicros(start)) {}
  TimePoint Now() const override { return FromMicros(now_us_.load()); }
  void Advance(Duration d) { now_us_.fetch_add(d.count()); }
  void Set(TimePoint t) { now_us_.store(ToMicros(t)); }

 private:
  std::atomic<int64_t> now_us_;
};

}  // namespace nfvsm

#endif  // NFVSM_CLOCK_H_
