// VnfInventory: the VNF instances MANO manages, indexed for the hot paths
// (VNF -> domain for routing and gates; domain -> VNFs for status queries;
// host -> VNFs for host instructions).
//
// Thread safety: all methods are safe to call concurrently. Returned values
// are copies.
//
// Memory: strings shared by many VNFs (domain, NS, package, VNFD, image,
// host, zone) are interned, so a tracked VNF costs well under 1 KiB
// (measured in tests/bench/inventory_bench.cc).
//
// Failures: kInvalidArgument for an empty id or domain; kNotFound for an
// unknown VNF.
#ifndef NFVSM_INVENTORY_H_
#define NFVSM_INVENTORY_H_

#include <memory>
#include <optional>
#include <vector>

#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

class VnfInventory {
 public:
  VnfInventory();
  ~VnfInventory();
  VnfInventory(const VnfInventory&) = delete;
  VnfInventory& operator=(const VnfInventory&) = delete;

  // Inserts or replaces the record with the same id.
  Status Upsert(const VnfRecord& v);
  std::optional<VnfRecord> Get(const VnfId& id) const;
  std::optional<DomainId> DomainOf(const VnfId& id) const;
  Status SetState(const VnfId& id, VnfState state, TimePoint at);
  Status SetHost(const VnfId& id, const std::string& host, TimePoint at);

  // Records in a domain / on a host, in id order. Terminated VNFs are
  // included only if `include_terminated`.
  std::vector<VnfRecord> InDomain(const DomainId& domain,
                                  bool include_terminated = false) const;
  std::vector<VnfRecord> OnHost(const std::string& host,
                                bool include_terminated = false) const;
  size_t size() const;

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace nfvsm

#endif  // NFVSM_INVENTORY_H_
