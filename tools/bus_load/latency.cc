#include "latency.h"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace nfvsm::bus_load {

double LatencyRecorder::PercentileUs(double q) {
  if (samples_us_.empty()) return 0;
  std::sort(samples_us_.begin(), samples_us_.end());
  const auto rank = static_cast<size_t>(
      std::ceil(q * static_cast<double>(samples_us_.size())));
  return samples_us_[std::clamp<size_t>(rank, 1, samples_us_.size()) - 1];
}

namespace {
std::string Field(double v, const char* format) {
  if (v < 0) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, format, v);
  return buf;
}
}  // namespace

void PrintRow(const Row& row) {
  std::printf("row|%s|%llu|%llu|%s|%s|%s\n", row.label.c_str(),
              static_cast<unsigned long long>(row.count),
              static_cast<unsigned long long>(row.errors),
              Field(row.p50_us, "%.1f").c_str(),
              Field(row.p99_us, "%.1f").c_str(),
              Field(row.per_second, "%.0f").c_str());
  std::fflush(stdout);
}

Row LatencyRow(std::string label, LatencyRecorder& samples, uint64_t errors,
               Clock::duration wall) {
  Row row;
  row.label = std::move(label);
  row.count = samples.size();
  row.errors = errors;
  row.p50_us = samples.PercentileUs(0.50);
  row.p99_us = samples.PercentileUs(0.99);
  const double seconds = std::chrono::duration<double>(wall).count();
  row.per_second =
      seconds > 0 ? static_cast<double>(samples.size()) / seconds : 0;
  return row;
}

}  // namespace nfvsm::bus_load
