// Latency samples and the one-line result format of nfvsm-bus-load.
//
// Every measurement prints exactly one line
//   row|<label>|<count>|<errors>|<p50 us>|<p99 us>|<per second>
// that scripts/bench-bus collects into its table (fields it does not
// apply are "-"). Not thread-safe: one Recorder per thread, merged after.
#ifndef NFVSM_TOOLS_BUS_LOAD_LATENCY_H_
#define NFVSM_TOOLS_BUS_LOAD_LATENCY_H_

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace nfvsm::bus_load {

using Clock = std::chrono::steady_clock;

class LatencyRecorder {
 public:
  void Add(Clock::duration d) {
    samples_us_.push_back(std::chrono::duration<double, std::micro>(d).count());
  }
  void Merge(const LatencyRecorder& other) {
    samples_us_.insert(samples_us_.end(), other.samples_us_.begin(),
                       other.samples_us_.end());
  }
  size_t size() const { return samples_us_.size(); }
  // Nearest-rank percentile (q in [0, 1]); 0 without samples. Sorts.
  double PercentileUs(double q);

 private:
  std::vector<double> samples_us_;
};

struct Row {
  std::string label;
  uint64_t count = 0;
  uint64_t errors = 0;
  double p50_us = -1;  // < 0: not applicable
  double p99_us = -1;
  double per_second = -1;
};

// Prints the row line (stdout, flushed).
void PrintRow(const Row& row);

// Row of a request/reply measurement: `samples` latencies over `wall`.
Row LatencyRow(std::string label, LatencyRecorder& samples, uint64_t errors,
               Clock::duration wall);

}  // namespace nfvsm::bus_load

#endif  // NFVSM_TOOLS_BUS_LOAD_LATENCY_H_
