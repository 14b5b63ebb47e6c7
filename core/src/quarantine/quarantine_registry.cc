#include <algorithm>
#include <array>
#include <atomic>
#include <cstdio>
#include <ctime>
#include <functional>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include "nfvsm/quarantine.h"

namespace nfvsm {
namespace {

constexpr size_t kTargetKinds = 5;  // enumerators of QuarantineTarget

// Transparent hash so Check() can look entries up by the string_views of
// the caller's ids without building a key string (no allocation on the hot
// path).
struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const noexcept {
    return std::hash<std::string_view>{}(s);
  }
};

// One map per target kind: the key is the target id alone, so lookups need
// nothing but the id's view.
using EntryMap = std::unordered_map<std::string, QuarantineEntry, StringHash,
                                    std::equal_to<>>;

bool IsValidTarget(QuarantineTarget t) {
  return static_cast<size_t>(t) < kTargetKinds;
}

// The word the veto message uses for a target kind.
std::string_view Noun(QuarantineTarget t) {
  switch (t) {
    case QuarantineTarget::kVnfInstance:
      return "vnf";
    case QuarantineTarget::kImage:
      return "image";
    case QuarantineTarget::kVnfd:
      return "vnfd";
    case QuarantineTarget::kPackage:
      return "package";
    case QuarantineTarget::kHost:
      return "host";
  }
  return "target";
}

// RFC 3339 UTC ("2023-11-14T22:13:20Z", microseconds only when present).
std::string FormatTime(TimePoint t) {
  const auto secs = std::chrono::floor<std::chrono::seconds>(t);
  const auto micros = (t - secs).count();
  const std::time_t tt = secs.time_since_epoch().count();
  std::tm tm{};
  char buf[64];
  if (gmtime_r(&tt, &tm) == nullptr ||
      std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm) == 0) {
    return "@" + std::to_string(ToMicros(t)) + "us";
  }
  std::string out(buf);
  if (micros != 0) {
    std::snprintf(buf, sizeof buf, ".%06lld", static_cast<long long>(micros));
    out += buf;
  }
  return out + "Z";
}

Status Veto(const QuarantineEntry& e, std::string_view why) {
  std::string m;
  m.reserve(96 + e.target_id.size() + e.by_sm.size() + e.reason.size());
  m.append(Noun(e.target)).append(" '").append(e.target_id);
  m.append("' is quarantined by SM '").append(e.by_sm).append("' since ");
  m.append(FormatTime(e.at)).append(": ");
  m.append(e.reason.empty() ? std::string_view("no reason given")
                            : std::string_view(e.reason));
  m.append(why).append(" (IFA026 clause 4)");
  return FailedPreconditionError(std::move(m));
}

// Merges `in` into `kept` (same target): the earlier quarantine keeps its
// owner, and every flag takes its more restrictive value.
void Merge(QuarantineEntry& kept, const QuarantineEntry& in) {
  if (in.at < kept.at) {
    kept.at = in.at;
    kept.by_sm = in.by_sm;
    kept.domain = in.domain;
    kept.reason = in.reason;
  }
  kept.terminated = kept.terminated || in.terminated;
  kept.copy_kept = kept.copy_kept || in.copy_kept;
  kept.erase_requested = kept.erase_requested || in.erase_requested;
  kept.replacement_allowed = kept.replacement_allowed && in.replacement_allowed;
  kept.recovery_allowed = kept.recovery_allowed && in.recovery_allowed;
}

// Operations that only remove instances: they never instantiate from an
// image, VNFD or package and never place anything on a host.
bool OnlyRemoves(OperationKind op) {
  return op == OperationKind::kTerminate || op == OperationKind::kScaleIn;
}

}  // namespace

struct QuarantineRegistry::Impl {
  mutable std::shared_mutex mu;
  std::array<EntryMap, kTargetKinds> entries;
  // Total entry count, written under `mu`; lets Check() skip the lock when
  // nothing is quarantined (the common case on a healthy cloud).
  std::atomic<size_t> count{0};

  // Requires `mu` held (shared or exclusive).
  const QuarantineEntry* FindLocked(QuarantineTarget t,
                                    std::string_view id) const {
    if (id.empty() || !IsValidTarget(t)) return nullptr;
    const EntryMap& m = entries[static_cast<size_t>(t)];
    auto it = m.find(id);
    return it == m.end() ? nullptr : &it->second;
  }
};

QuarantineRegistry::QuarantineRegistry() : impl_(std::make_unique<Impl>()) {}
QuarantineRegistry::~QuarantineRegistry() = default;

Status QuarantineRegistry::Add(const QuarantineEntry& e) {
  if (!IsValidTarget(e.target)) {
    return InvalidArgumentError("quarantine entry: target is not a known kind");
  }
  if (e.target_id.empty()) {
    return InvalidArgumentError("quarantine entry: target_id is empty");
  }
  if (e.by_sm.empty()) {
    return InvalidArgumentError("quarantine entry: by_sm is empty");
  }
  std::unique_lock lock(impl_->mu);
  EntryMap& m = impl_->entries[static_cast<size_t>(e.target)];
  auto [it, inserted] = m.try_emplace(e.target_id, e);
  if (inserted) {
    impl_->count.fetch_add(1, std::memory_order_release);
  } else {
    Merge(it->second, e);
  }
  return OkStatus();
}

Status QuarantineRegistry::Release(QuarantineTarget target,
                                   const std::string& target_id,
                                   const SmId& releaser,
                                   const BindingTable& hierarchy) {
  auto not_found = [&] {
    return NotFoundError(std::string(Noun(target)) + " '" + target_id +
                         "' is not quarantined");
  };
  // The hierarchy is consulted without our lock held (the binding table
  // has its own); the owner is re-read under the exclusive lock, and a
  // merge that changed it in between means checking again.
  for (;;) {
    SmId owner;
    {
      std::shared_lock lock(impl_->mu);
      const QuarantineEntry* e = impl_->FindLocked(target, target_id);
      if (e == nullptr) return not_found();
      owner = e->by_sm;
    }
    if (releaser != owner && !hierarchy.IsMasterOf(releaser, owner)) {
      return PermissionDeniedError(
          "SM '" + releaser + "' may not release " + std::string(Noun(target)) +
          " '" + target_id +
          "': only the quarantining SM or one of its masters may");
    }
    std::unique_lock lock(impl_->mu);
    EntryMap& m = impl_->entries[static_cast<size_t>(target)];
    auto it = m.find(std::string_view(target_id));
    if (it == m.end()) return not_found();
    if (it->second.by_sm != owner) continue;
    m.erase(it);
    impl_->count.fetch_sub(1, std::memory_order_release);
    return OkStatus();
  }
}

std::optional<QuarantineEntry> QuarantineRegistry::Find(
    QuarantineTarget target, const std::string& target_id) const {
  std::shared_lock lock(impl_->mu);
  const QuarantineEntry* e = impl_->FindLocked(target, target_id);
  if (e == nullptr) return std::nullopt;
  return *e;
}

bool QuarantineRegistry::IsQuarantined(QuarantineTarget target,
                                       const std::string& target_id) const {
  std::shared_lock lock(impl_->mu);
  return impl_->FindLocked(target, target_id) != nullptr;
}

std::vector<QuarantineEntry> QuarantineRegistry::List() const {
  std::vector<QuarantineEntry> out;
  {
    std::shared_lock lock(impl_->mu);
    for (const EntryMap& m : impl_->entries) {
      for (const auto& [id, e] : m) out.push_back(e);
    }
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) {
    return std::tie(a.target, a.target_id) < std::tie(b.target, b.target_id);
  });
  return out;
}

Status QuarantineRegistry::Check(const OperationTarget& op) const {
  if (impl_->count.load(std::memory_order_acquire) == 0) return OkStatus();
  std::shared_lock lock(impl_->mu);
  using T = QuarantineTarget;
  if (const auto* e = impl_->FindLocked(T::kVnfInstance, op.vnf_id)) {
    return Veto(*e, "");
  }
  if (const auto* e = impl_->FindLocked(T::kVnfInstance, op.replaces_vnf_id)) {
    // Automatic recovery is governed by its own flag: an SM that allows a
    // deliberate replacement has not thereby allowed auto-heal or Masakari
    // to bring the service back on their own.
    if (op.is_recovery && !e->recovery_allowed) {
      return Veto(*e, "; other recovery was not allowed");
    }
    if (!op.is_recovery && !e->replacement_allowed) {
      return Veto(*e, "; replacement was not allowed");
    }
  }
  if (OnlyRemoves(op.operation)) return OkStatus();
  for (auto [kind, id] :
       {std::pair<T, std::string_view>{T::kImage, op.image_id},
        {T::kVnfd, op.vnfd_id},
        {T::kPackage, op.package_id},
        {T::kHost, op.target_host}}) {
    if (const auto* e = impl_->FindLocked(kind, id)) return Veto(*e, "");
  }
  return OkStatus();
}

}  // namespace nfvsm
