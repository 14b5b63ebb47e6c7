// Lifecycle event validation (R2.1.150 - R2.1.240): what an event must carry
// before nfvsm records it and routes it to Security Managers.
//
// Thread safety: ValidateEvent is a pure function of its arguments; safe to
// call concurrently.
//
// Ownership: nothing is retained; the event is only read.
//
// Failures: kInvalidArgument naming the event kind, the event id and the
// first offending field, with the requirement it serves, e.g.
//   "create event 'ev-1' is missing package_checksum (R2.1.210)".
// Messages name fields, never their values (an event id is quoted cut to
// 64 bytes, with non-printable bytes replaced).
//
// Two strengths:
//  - kFull: events MANO emits itself (grant / gate path), which know every
//    MANO-level field. Create (R2.1.210): id, vnf_id, source, reason,
//    occurred_at, package_id, vnfd_id, package_checksum,
//    package_integrity_ok, requestor_id, ns_id, and at least one of
//    intended_hosts / locations. `connectivity` may be empty: a VNF may be
//    created with no SDN attachments yet, and those arrive later as modify
//    events (peering, R2.1.160). `vnfd` is optional (only "if the SM wants
//    it"). Modify (R2.1.220): id, vnf_id, source, reason, occurred_at, and
//    `details` or an `aspect` other than kOther. Terminate and crash
//    (R2.1.230, R2.1.170): id, vnf_id, source, reason, occurred_at.
//  - kObserved: events translated from VIM notifications, which carry no
//    MANO-level fields: id, vnf_id, source, reason, occurred_at only.
//
// Both strengths also reject out-of-range enumerators and enforce size
// limits (below), so a hostile or broken producer cannot make nfvsm store
// or forward unbounded data.
#ifndef NFVSM_LIFECYCLE_EVENT_H_
#define NFVSM_LIFECYCLE_EVENT_H_

#include <cstddef>
#include <cstdint>

#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {

enum class EventValidation : uint8_t { kFull, kObserved };

// Longest string field, list entry, details key or details value.
inline constexpr size_t kMaxEventStringBytes = 4096;
// The VNFD is a whole TOSCA document, routinely larger than any id or
// reason, so it has its own bound.
inline constexpr size_t kMaxEventVnfdBytes = 1024 * 1024;
// Most entries in connectivity, intended_hosts or locations.
inline constexpr size_t kMaxEventListEntries = 1024;
// Most entries in details.
inline constexpr size_t kMaxEventDetails = 256;

Status ValidateEvent(const LifecycleEvent& e, EventValidation mode);

}  // namespace nfvsm

#endif  // NFVSM_LIFECYCLE_EVENT_H_
