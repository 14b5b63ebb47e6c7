// StringPool: interns the strings many VNF records share (domain, NS,
// package, VNFD, image, host, zone), so each record holds 4-byte ids instead
// of strings. Internal to the domain module.
//
// Thread safety: none; the owner (VnfInventory) guards it with its lock.
//
// The pool never shrinks: an id, once handed out, stays valid for the life
// of the pool, so records never need rewriting. The vocabulary (domains,
// hosts, packages, ...) is small and slow-moving next to the VNF count, so
// the strings left behind by retired hosts or packages cost little.
#ifndef NFVSM_DOMAIN_STRING_POOL_H_
#define NFVSM_DOMAIN_STRING_POOL_H_

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>

#include "nfvsm/status.h"

namespace nfvsm::internal {

class StringPool {
 public:
  // Id of the empty string, present from the start.
  static constexpr uint32_t kEmpty = 0;

  StringPool();
  StringPool(const StringPool&) = delete;
  StringPool& operator=(const StringPool&) = delete;

  // The id of `s`, adding it if new. kResourceExhausted once 2^32 - 1
  // distinct strings are held.
  StatusOr<uint32_t> Intern(std::string_view s);
  // The id of `s` if interned; never adds.
  std::optional<uint32_t> Find(std::string_view s) const;
  // The string of an id handed out by this pool.
  const std::string& Get(uint32_t id) const { return strings_[id]; }
  size_t size() const { return strings_.size(); }

 private:
  // A deque never moves its elements, so the views used as map keys stay
  // valid as the pool grows.
  std::deque<std::string> strings_;
  std::unordered_map<std::string_view, uint32_t> ids_;
};

}  // namespace nfvsm::internal

#endif  // NFVSM_DOMAIN_STRING_POOL_H_
