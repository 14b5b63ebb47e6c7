#include "domain/string_pool.h"

#include <limits>

namespace nfvsm::internal {

StringPool::StringPool() {
  strings_.emplace_back();
  ids_.emplace(strings_.back(), kEmpty);
}

StatusOr<uint32_t> StringPool::Intern(std::string_view s) {
  if (auto it = ids_.find(s); it != ids_.end()) return it->second;
  if (strings_.size() >= std::numeric_limits<uint32_t>::max()) {
    return ResourceExhaustedError("string pool is full");
  }
  const auto id = static_cast<uint32_t>(strings_.size());
  strings_.emplace_back(s);
  ids_.emplace(strings_.back(), id);
  return id;
}

std::optional<uint32_t> StringPool::Find(std::string_view s) const {
  auto it = ids_.find(s);
  if (it == ids_.end()) return std::nullopt;
  return it->second;
}

}  // namespace nfvsm::internal
