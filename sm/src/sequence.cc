#include "sm/src/sequence.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <string>

namespace nfvsm::refsm {

int64_t WallClockMicros() {
  return std::chrono::duration_cast<std::chrono::microseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

uint64_t SequenceSource::Next() {
  const int64_t now = clock_us_();
  uint64_t next = std::max<uint64_t>(last_ + 1, now > 0 ? now : 1);
  if (!state_file_.empty()) {
    const int fd =
        open(state_file_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0 || flock(fd, LOCK_EX) != 0) {
      if (warning_.empty()) warning_ = "cannot lock " + state_file_;
    } else {
      char buf[32] = {};
      const ssize_t n = pread(fd, buf, sizeof(buf) - 1, 0);
      const uint64_t stored =
          n > 0 ? std::strtoull(buf, nullptr, 10) : uint64_t{0};
      next = std::max(next, stored + 1);
      const std::string text = std::to_string(next) + "\n";
      if (ftruncate(fd, 0) != 0 || pwrite(fd, text.data(), text.size(), 0) !=
                                       static_cast<ssize_t>(text.size())) {
        if (warning_.empty()) warning_ = "cannot write " + state_file_;
      }
      flock(fd, LOCK_UN);
    }
    if (fd >= 0) close(fd);
  }
  last_ = next;
  return next;
}

}  // namespace nfvsm::refsm
