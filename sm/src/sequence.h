// Envelope sequence numbers for the SM's (sender, key_id) stream.
//
// Each number is max(previous + 1, wall clock in microseconds), and, with a
// state file, also above the last number any process of this SM wrote
// there (under flock). MANO's replay window (1024 per (sender, key_id))
// accepts anything above the highest number it saw, so clock-seeded
// numbers keep working across restarts and across the separate `serve`
// and `send` processes that share one key; the state file covers a wall
// clock stepped backwards. docs/sm.md explains the choice.
//
// Thread safety: not synchronized; one per thread. Different processes
// may share a state file (flock).
// Failures: Next() falls back to the clock-based number if the state file
// cannot be used, and reports it once through `warning()`.
#ifndef NFVSM_SM_SRC_SEQUENCE_H_
#define NFVSM_SM_SRC_SEQUENCE_H_

#include <cstdint>
#include <functional>
#include <string>

namespace nfvsm::refsm {

int64_t WallClockMicros();

class SequenceSource {
 public:
  // `state_file` empty: clock only. `clock_us` is injectable for tests.
  explicit SequenceSource(std::string state_file = "",
                          std::function<int64_t()> clock_us = WallClockMicros)
      : state_file_(std::move(state_file)), clock_us_(std::move(clock_us)) {}

  uint64_t Next();
  const std::string& warning() const { return warning_; }

 private:
  std::string state_file_;
  std::function<int64_t()> clock_us_;
  uint64_t last_ = 0;
  std::string warning_;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_SEQUENCE_H_
