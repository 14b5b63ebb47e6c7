// VnfInventory: compact VNF records plus the id, domain and host indexes.
//
// Layout, per VNF (the 1 KiB budget of inventory.h; see
// tests/bench/inventory_bench.cc for the measured figure): one StoredVnf in a
// deque (never moved, so the id index can key on views of its id), one node
// in the id index, one node in the domain index and, once placed, one in
// the host index. Shared strings are 4-byte pool ids. Records are never
// erased (the interface has no removal; terminated VNFs stay for history and
// are filtered out of listings).
#include <algorithm>
#include <deque>
#include <limits>
#include <mutex>
#include <shared_mutex>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "domain/string_pool.h"
#include "nfvsm/inventory.h"

namespace nfvsm {
namespace {

using internal::StringPool;

constexpr auto kMaxVnfState = static_cast<int>(VnfState::kFailed);

// Everything but the id, so that replacing a record never touches the id
// the index points at.
struct VnfFields {
  std::string requestor_id;  // unique per VNF, not worth interning
  int64_t created_us = 0;
  int64_t updated_us = 0;
  uint32_t ns = StringPool::kEmpty;
  uint32_t domain = StringPool::kEmpty;
  uint32_t package = StringPool::kEmpty;
  uint32_t vnfd = StringPool::kEmpty;
  uint32_t image = StringPool::kEmpty;
  uint32_t host = StringPool::kEmpty;
  uint32_t zone = StringPool::kEmpty;
  uint8_t state = 0;
  bool needs_security_policy = false;
};

struct StoredVnf {
  std::string id;  // never reassigned: the id index holds views of it
  VnfFields f;
};

// Slots into the record deque, by interned domain or host.
using SlotIndex = std::unordered_map<uint32_t, std::unordered_set<uint32_t>>;

void IndexAdd(SlotIndex& index, uint32_t key, uint32_t slot) {
  if (key != StringPool::kEmpty) index[key].insert(slot);
}

void IndexRemove(SlotIndex& index, uint32_t key, uint32_t slot) {
  auto it = index.find(key);
  if (it == index.end()) return;
  it->second.erase(slot);
  if (it->second.empty()) index.erase(it);
}

}  // namespace

struct VnfInventory::Impl {
  mutable std::shared_mutex mu;
  StringPool pool;
  std::deque<StoredVnf> records;
  std::unordered_map<std::string_view, uint32_t> by_id;
  SlotIndex by_domain;
  SlotIndex by_host;

  VnfRecord ToRecord(const StoredVnf& s) const {
    const VnfFields& f = s.f;
    VnfRecord v;
    v.id = s.id;
    v.requestor_id = f.requestor_id;
    v.ns_id = pool.Get(f.ns);
    v.domain = pool.Get(f.domain);
    v.package_id = pool.Get(f.package);
    v.vnfd_id = pool.Get(f.vnfd);
    v.image_id = pool.Get(f.image);
    v.host = pool.Get(f.host);
    v.zone = pool.Get(f.zone);
    v.state = static_cast<VnfState>(f.state);
    v.needs_security_policy = f.needs_security_policy;
    v.created_at = FromMicros(f.created_us);
    v.updated_at = FromMicros(f.updated_us);
    return v;
  }

  StoredVnf* Find(const VnfId& id) {
    auto it = by_id.find(id);
    return it == by_id.end() ? nullptr : &records[it->second];
  }

  // Records under `key` of `index`, in id order.
  std::vector<VnfRecord> List(const SlotIndex& index, const std::string& key,
                              bool include_terminated) const {
    std::vector<const StoredVnf*> hits;
    if (auto k = pool.Find(key); k && *k != StringPool::kEmpty) {
      if (auto it = index.find(*k); it != index.end()) {
        hits.reserve(it->second.size());
        for (uint32_t slot : it->second) {
          const StoredVnf& s = records[slot];
          if (include_terminated ||
              s.f.state != static_cast<uint8_t>(VnfState::kTerminated)) {
            hits.push_back(&s);
          }
        }
      }
    }
    std::sort(
        hits.begin(), hits.end(),
        [](const StoredVnf* a, const StoredVnf* b) { return a->id < b->id; });
    std::vector<VnfRecord> out;
    out.reserve(hits.size());
    for (const StoredVnf* s : hits) out.push_back(ToRecord(*s));
    return out;
  }
};

VnfInventory::VnfInventory() : impl_(std::make_unique<Impl>()) {}
VnfInventory::~VnfInventory() = default;

Status VnfInventory::Upsert(const VnfRecord& v) {
  if (v.id.empty()) return InvalidArgumentError("VNF id is empty");
  if (v.domain.empty()) {
    return InvalidArgumentError("VNF '" + v.id + "' has an empty domain");
  }
  if (static_cast<int>(v.state) > kMaxVnfState) {
    return InvalidArgumentError("VNF '" + v.id + "' has an invalid state");
  }
  std::unique_lock lock(impl_->mu);
  StringPool& pool = impl_->pool;
  VnfFields next;
  NFVSM_ASSIGN_OR_RETURN(next.ns, pool.Intern(v.ns_id));
  NFVSM_ASSIGN_OR_RETURN(next.domain, pool.Intern(v.domain));
  NFVSM_ASSIGN_OR_RETURN(next.package, pool.Intern(v.package_id));
  NFVSM_ASSIGN_OR_RETURN(next.vnfd, pool.Intern(v.vnfd_id));
  NFVSM_ASSIGN_OR_RETURN(next.image, pool.Intern(v.image_id));
  NFVSM_ASSIGN_OR_RETURN(next.host, pool.Intern(v.host));
  NFVSM_ASSIGN_OR_RETURN(next.zone, pool.Intern(v.zone));
  next.requestor_id = v.requestor_id;
  next.created_us = ToMicros(v.created_at);
  next.updated_us = ToMicros(v.updated_at);
  next.state = static_cast<uint8_t>(v.state);
  next.needs_security_policy = v.needs_security_policy;

  uint32_t slot = 0;
  if (auto it = impl_->by_id.find(v.id); it != impl_->by_id.end()) {
    slot = it->second;
    VnfFields& cur = impl_->records[slot].f;
    if (cur.domain != next.domain) {
      IndexRemove(impl_->by_domain, cur.domain, slot);
      IndexAdd(impl_->by_domain, next.domain, slot);
    }
    if (cur.host != next.host) {
      IndexRemove(impl_->by_host, cur.host, slot);
      IndexAdd(impl_->by_host, next.host, slot);
    }
    cur = std::move(next);
    return OkStatus();
  }
  if (impl_->records.size() >= std::numeric_limits<uint32_t>::max()) {
    return ResourceExhaustedError("VNF inventory is full");
  }
  slot = static_cast<uint32_t>(impl_->records.size());
  const uint32_t domain = next.domain;
  const uint32_t host = next.host;
  impl_->records.push_back(StoredVnf{v.id, std::move(next)});
  impl_->by_id.emplace(impl_->records.back().id, slot);
  IndexAdd(impl_->by_domain, domain, slot);
  IndexAdd(impl_->by_host, host, slot);
  return OkStatus();
}

std::optional<VnfRecord> VnfInventory::Get(const VnfId& id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) return std::nullopt;
  return impl_->ToRecord(impl_->records[it->second]);
}

std::optional<DomainId> VnfInventory::DomainOf(const VnfId& id) const {
  std::shared_lock lock(impl_->mu);
  auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) return std::nullopt;
  return impl_->pool.Get(impl_->records[it->second].f.domain);
}

Status VnfInventory::SetState(const VnfId& id, VnfState state, TimePoint at) {
  if (static_cast<int>(state) > kMaxVnfState) {
    return InvalidArgumentError("invalid state for VNF '" + id + "'");
  }
  std::unique_lock lock(impl_->mu);
  StoredVnf* s = impl_->Find(id);
  if (s == nullptr) return NotFoundError("VNF '" + id + "' not found");
  s->f.state = static_cast<uint8_t>(state);
  s->f.updated_us = ToMicros(at);
  return OkStatus();
}

Status VnfInventory::SetHost(const VnfId& id, const std::string& host,
                             TimePoint at) {
  std::unique_lock lock(impl_->mu);
  auto it = impl_->by_id.find(id);
  if (it == impl_->by_id.end()) {
    return NotFoundError("VNF '" + id + "' not found");
  }
  const uint32_t slot = it->second;
  NFVSM_ASSIGN_OR_RETURN(uint32_t next, impl_->pool.Intern(host));
  VnfFields& f = impl_->records[slot].f;
  if (f.host != next) {
    IndexRemove(impl_->by_host, f.host, slot);
    IndexAdd(impl_->by_host, next, slot);
    f.host = next;
  }
  f.updated_us = ToMicros(at);
  return OkStatus();
}

std::vector<VnfRecord> VnfInventory::InDomain(const DomainId& domain,
                                              bool include_terminated) const {
  std::shared_lock lock(impl_->mu);
  return impl_->List(impl_->by_domain, domain, include_terminated);
}

std::vector<VnfRecord> VnfInventory::OnHost(const std::string& host,
                                            bool include_terminated) const {
  std::shared_lock lock(impl_->mu);
  return impl_->List(impl_->by_host, host, include_terminated);
}

size_t VnfInventory::size() const {
  std::shared_lock lock(impl_->mu);
  return impl_->records.size();
}

}  // namespace nfvsm
