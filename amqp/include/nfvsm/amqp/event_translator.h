// EventTranslator: OpenStack notifications -> core LifecycleEvents
// (R2.1.150 - R2.1.240).
//
// Thread safety: Translate and stats may be called concurrently; the
// resolver must then be thread-safe too.
//
// Ownership: the translator owns a copy of the resolver; events are
// returned by value.
//
// Failures: kInvalidArgument for a notification of a type nfvsm
// translates whose payload is malformed (no instance uuid, a field of the
// wrong type) or whose event fails ValidateEvent(kObserved); the message
// names the event type and the field, never payload values. The ingest
// dead-letters such messages. A notification nfvsm does not translate is
// not an error: it comes back with no events and a reason, and is counted.
//
// What is translated (the full table is in docs/bus.md):
//  - Nova versioned notifications `instance.<action>[.start|.end|.error]`
//    (create, delete, rebuild, resize*, live_migration*, evacuate, power
//    and guest-state operations, lock/unlock, interfaces, volumes,
//    shares, rescue, snapshot, crash dumps, instance.update into error or
//    crashed) and `compute_task.*.error`. Source: VIM. vnf_id: the
//    instance uuid, through the resolver. Phase: start / end / failed
//    (".error"; no suffix = end).
//  - Heat legacy notifications `orchestration.stack.<action>.<phase>`:
//    the stack id (from stack_identity) goes through the resolver, which
//    says which VNF instances the stack realizes; without a match the
//    notification is not relevant.
//  - Neutron legacy notifications `port.<action>.<phase>` for ports of
//    Nova instances (device_owner "compute:*"): peering changes of the
//    instance named by device_id, through the resolver.
// Event ids are the notification's message_id (suffixed with "/<vnf id>"
// when one notification yields several events), so a redelivered
// notification yields the same ids and is deduplicated downstream.
#ifndef NFVSM_AMQP_EVENT_TRANSLATOR_H_
#define NFVSM_AMQP_EVENT_TRANSLATOR_H_

#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/amqp/notification.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::amqp {

// The kind of OpenStack resource a notification names.
enum class ResourceKind { kNovaInstance, kHeatStack };

// Maps an OpenStack resource id to the VNF instance ids it concerns (empty:
// none). The default maps a Nova instance to itself (vnf_id = instance
// uuid) and a Heat stack to nothing.
using VnfResolver =
    std::function<std::vector<VnfId>(ResourceKind kind, std::string_view id)>;

struct Translation {
  std::vector<LifecycleEvent> events;  // empty: not relevant
  std::string ignored_reason;          // set when events is empty
};

struct TranslatorStats {
  uint64_t translated = 0;    // notifications that produced events
  uint64_t events = 0;        // events produced
  uint64_t not_relevant = 0;  // notifications ignored
  uint64_t malformed = 0;     // notifications refused
  // Ignored notifications by event type (types nfvsm does not translate,
  // and translated types that did not concern a VNF).
  std::map<std::string, uint64_t> ignored_by_type;
};

class EventTranslator {
 public:
  explicit EventTranslator(VnfResolver resolver = {});

  StatusOr<Translation> Translate(const Notification& n);

  TranslatorStats stats() const;

 private:
  StatusOr<Translation> Dispatch(const Notification& n) const;

  VnfResolver resolver_;
  mutable std::mutex mu_;
  TranslatorStats stats_;
};

}  // namespace nfvsm::amqp

#endif  // NFVSM_AMQP_EVENT_TRANSLATOR_H_
