#include "vbs/session_cache.h"

namespace nfvsm::vbs::internal {

void SessionCache::Remember(const std::string& n1, SpentAs how) {
  if (limits_.remembered_nonces == 0) return;
  auto [it, inserted] = spent_.insert_or_assign(n1, how);
  if (!inserted) return;  // already queued; outcome updated in place
  spent_order_.push_back(n1);
  while (spent_order_.size() > limits_.remembered_nonces) {
    spent_.erase(spent_order_.front());
    spent_order_.pop_front();
  }
}

void SessionCache::Remove(uint64_t order, SpentAs how, bool remember) {
  auto it = by_order_.find(order);
  if (it == by_order_.end()) return;
  Session& s = it->second;
  auto platform = by_platform_.find(s.platform_id);
  if (platform != by_platform_.end()) {
    platform->second.erase(order);
    if (platform->second.empty()) by_platform_.erase(platform);
  }
  by_n1_.erase(s.n1);
  if (remember) Remember(s.n1, how);
  by_order_.erase(it);
}

void SessionCache::PurgeExpired(TimePoint now) {
  while (!by_order_.empty() && by_order_.begin()->second.expires_at <= now) {
    Remove(by_order_.begin()->first, SpentAs::kExpired, true);
    ++expired_;
  }
}

SessionCache::InsertResult SessionCache::Insert(Session session,
                                                TimePoint now) {
  PurgeExpired(now);
  if (by_n1_.contains(session.n1)) return InsertResult::kAlreadyOpen;
  if (spent_.contains(session.n1)) return InsertResult::kAlreadySpent;

  auto platform = by_platform_.find(session.platform_id);
  if (platform != by_platform_.end() &&
      platform->second.size() >= limits_.max_per_platform) {
    Remove(*platform->second.begin(), SpentAs::kEvicted, true);
    ++evicted_;
  }
  while (by_order_.size() >= limits_.max_total && !by_order_.empty()) {
    Remove(by_order_.begin()->first, SpentAs::kEvicted, true);
    ++evicted_;
  }
  const uint64_t order = next_order_++;
  by_n1_.emplace(session.n1, order);
  by_platform_[session.platform_id].insert(order);
  by_order_.emplace(order, std::move(session));
  return InsertResult::kInserted;
}

SessionCache::Taken SessionCache::Take(const std::string& n1, TimePoint now) {
  Taken out;
  auto it = by_n1_.find(n1);
  if (it == by_n1_.end()) {
    auto spent = spent_.find(n1);
    if (spent != spent_.end()) {
      out.kind = Taken::Kind::kSpent;
      out.spent_as = spent->second;
    }
    return out;
  }
  const uint64_t order = it->second;
  auto session = by_order_.find(order);
  if (session->second.expires_at <= now) {
    Remove(order, SpentAs::kExpired, true);
    ++expired_;
    out.kind = Taken::Kind::kSpent;
    out.spent_as = SpentAs::kExpired;
    return out;
  }
  out.kind = Taken::Kind::kFound;
  out.session = session->second;
  // Remembered at once, so a concurrent copy of this M3 is a replay;
  // MarkSpent records the final outcome.
  Remove(order, SpentAs::kCompleted, true);
  return out;
}

void SessionCache::MarkSpent(const std::string& n1, SpentAs how) {
  Remember(n1, how);
}

void SessionCache::Erase(const std::string& n1) {
  auto it = by_n1_.find(n1);
  if (it != by_n1_.end()) Remove(it->second, SpentAs::kRefused, false);
}

}  // namespace nfvsm::vbs::internal
