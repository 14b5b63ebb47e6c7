#include <string>

#include "nfvsm/wire.h"

namespace nfvsm::wire {

Status ReplayWindow::Accept(const std::string& sender,
                            const std::string& key_id, uint64_t sequence) {
  if (sequence == 0) {
    return InvalidArgumentError("sequence: must be at least 1");
  }
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(sender, key_id);
  auto it = streams_.find(key);
  if (it == streams_.end()) {
    if (streams_.size() >= max_streams_) {
      return ResourceExhaustedError("replay window: tracking the maximum of " +
                                    std::to_string(max_streams_) +
                                    " (sender, key) streams");
    }
    Stream fresh;
    fresh.highest = sequence;
    fresh.seen.set(0);
    streams_.emplace(std::move(key), fresh);
    return OkStatus();
  }
  Stream& s = it->second;
  if (sequence > s.highest) {
    uint64_t advance = sequence - s.highest;
    if (advance >= kWindow) {
      s.seen.reset();
    } else {
      s.seen <<= advance;
    }
    s.seen.set(0);
    s.highest = sequence;
    return OkStatus();
  }
  uint64_t age = s.highest - sequence;
  if (age >= kWindow) {
    return AlreadyExistsError("sequence " + std::to_string(sequence) +
                              " is older than the replay window");
  }
  if (s.seen.test(age)) {
    return AlreadyExistsError("sequence " + std::to_string(sequence) +
                              " was already accepted (replay)");
  }
  s.seen.set(age);
  return OkStatus();
}

std::optional<uint64_t> ReplayWindow::Highest(const std::string& sender,
                                              const std::string& key_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = streams_.find({sender, key_id});
  if (it == streams_.end()) return std::nullopt;
  return it->second.highest;
}

size_t ReplayWindow::streams() const {
  std::lock_guard<std::mutex> lock(mu_);
  return streams_.size();
}

}  // namespace nfvsm::wire
