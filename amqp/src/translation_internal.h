// Per-service translators behind EventTranslator, and what they share.
#ifndef NFVSM_AMQP_SRC_TRANSLATION_INTERNAL_H_
#define NFVSM_AMQP_SRC_TRANSLATION_INTERNAL_H_

#include <cstddef>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "nfvsm/amqp/event_translator.h"
#include "nfvsm/amqp/notification.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::amqp::internal {

// Longest details value or reason nfvsm copies from a notification; longer
// text (exception messages, state reasons) is cut.
inline constexpr size_t kMaxCopiedText = 512;

Translation NotRelevant(std::string reason);

// "instance.power_off.end" -> base "instance.power_off", phase kEnd;
// ".start" kStart, ".error" kFailed, anything else: the whole type, kEnd.
struct SplitType {
  std::string_view base;
  Phase phase = Phase::kEnd;
  bool has_phase = false;
};
SplitType SplitEventType(std::string_view event_type);

// "<what> started|completed|failed[: <fault>]", or `what` alone when the
// notification has no phase.
std::string PhaseReason(std::string_view what, const SplitType& type,
                        std::string_view fault);

std::string Cut(std::string s, size_t max = kMaxCopiedText);

// Sets details[key] when the value is present (and not empty).
void PutDetail(LifecycleEvent& e, std::string_view key,
               const std::optional<std::string>& value);

// Copies `tmpl` once per VNF id the resolver gives for (kind, id), with
// ids derived from the notification's message_id, and validates each
// event (kObserved). `why_none` is the ignored reason when there is none.
StatusOr<Translation> Emit(const Notification& n, const LifecycleEvent& tmpl,
                           const VnfResolver& resolver, ResourceKind kind,
                           std::string_view resource_id,
                           std::string_view why_none);

StatusOr<Translation> TranslateNova(const Notification& n,
                                    const VnfResolver& resolver);
StatusOr<Translation> TranslateHeat(const Notification& n,
                                    const VnfResolver& resolver);
StatusOr<Translation> TranslateNeutron(const Notification& n,
                                       const VnfResolver& resolver);

}  // namespace nfvsm::amqp::internal

#endif  // NFVSM_AMQP_SRC_TRANSLATION_INTERNAL_H_
