// The VBS's half-open sessions (M1 seen, M3 not yet) and the N1s it has
// used, both bounded.
//
// Not thread-safe: the Server guards it with its session lock.
#ifndef NFVSM_VBS_SESSION_CACHE_H_
#define NFVSM_VBS_SESSION_CACHE_H_

#include <cstdint>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <unordered_map>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm::vbs::internal {

struct Session {
  std::string n1;
  std::string n2;
  std::string vnf_id;
  std::string platform_id;
  TimePoint expires_at{};
};

// What became of an N1 that no longer has an open session.
enum class SpentAs : uint8_t {
  kCompleted,  // an M3 was accepted
  kRefused,    // an M3 was refused
  kExpired,
  kEvicted,
};

struct SessionLimits {
  size_t max_total = 10'000;
  size_t max_per_platform = 64;
  size_t remembered_nonces = 20'000;
};

class SessionCache {
 public:
  explicit SessionCache(SessionLimits limits) : limits_(limits) {}

  enum class InsertResult : uint8_t { kInserted, kAlreadyOpen, kAlreadySpent };
  // Purges expired sessions, then inserts, evicting the oldest session of
  // the platform (or overall) at a bound.
  InsertResult Insert(Session session, TimePoint now);

  struct Taken {
    enum class Kind : uint8_t { kFound, kUnknown, kSpent };
    Kind kind = Kind::kUnknown;
    SpentAs spent_as = SpentAs::kCompleted;  // for kSpent
    Session session;                         // for kFound
  };
  // Removes and returns the session of n1 (remembering n1 as used). An
  // expired one is returned as kSpent/kExpired. The caller then records
  // the outcome with MarkSpent.
  Taken Take(const std::string& n1, TimePoint now);
  void MarkSpent(const std::string& n1, SpentAs how);

  // Removes a session without remembering its N1 (undo of an Insert whose
  // M2 could not be made).
  void Erase(const std::string& n1);

  size_t open_sessions() const { return by_n1_.size(); }
  size_t remembered_nonces() const { return spent_.size(); }
  uint64_t evicted() const { return evicted_; }
  uint64_t expired() const { return expired_; }

 private:
  void PurgeExpired(TimePoint now);
  void Remove(uint64_t order, SpentAs how, bool remember);
  void Remember(const std::string& n1, SpentAs how);

  SessionLimits limits_;
  uint64_t next_order_ = 0;
  // Insertion order is expiry order (one TTL for all sessions).
  std::map<uint64_t, Session> by_order_;
  std::unordered_map<std::string, uint64_t> by_n1_;
  std::unordered_map<std::string, std::set<uint64_t>> by_platform_;
  std::unordered_map<std::string, SpentAs> spent_;
  std::deque<std::string> spent_order_;
  uint64_t evicted_ = 0;
  uint64_t expired_ = 0;
};

}  // namespace nfvsm::vbs::internal

#endif  // NFVSM_VBS_SESSION_CACHE_H_
