#include "nfvsm/amqp/event_translator.h"

#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfvsm/lifecycle_event.h"
#include "translation_internal.h"
#include "url_codec.h"

namespace nfvsm::amqp {
namespace internal {

// Distinct event types counted one by one; the rest share one counter, so
// a producer inventing types cannot grow the map without bound.
constexpr size_t kMaxCountedTypes = 256;
constexpr char kOtherTypes[] = "(other)";

Translation NotRelevant(std::string reason) {
  Translation t;
  t.ignored_reason = std::move(reason);
  return t;
}

SplitType SplitEventType(std::string_view event_type) {
  SplitType t;
  t.base = event_type;
  const size_t dot = event_type.rfind('.');
  if (dot == std::string_view::npos) return t;
  const std::string_view suffix = event_type.substr(dot + 1);
  if (suffix == "start") {
    t.phase = Phase::kStart;
  } else if (suffix == "end") {
    t.phase = Phase::kEnd;
  } else if (suffix == "error") {
    t.phase = Phase::kFailed;
  } else {
    return t;
  }
  t.has_phase = true;
  t.base = event_type.substr(0, dot);
  return t;
}

std::string PhaseReason(std::string_view what, const SplitType& type,
                        std::string_view fault) {
  std::string reason(what);
  if (type.has_phase) {
    switch (type.phase) {
      case Phase::kStart:
        reason += " started";
        break;
      case Phase::kEnd:
        reason += " completed";
        break;
      case Phase::kFailed:
        reason += " failed";
        break;
    }
  }
  if (!fault.empty()) reason += ": " + std::string(fault);
  return Cut(std::move(reason));
}

std::string Cut(std::string s, size_t max) {
  if (s.size() <= max) return s;
  // Do not split a UTF-8 sequence: back up to a lead byte.
  size_t n = max - 3;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;
  s.resize(n);
  return s + "...";
}

void PutDetail(LifecycleEvent& e, std::string_view key,
               const std::optional<std::string>& value) {
  if (value && !value->empty()) e.details[std::string(key)] = Cut(*value);
}

StatusOr<Translation> Emit(const Notification& n, const LifecycleEvent& tmpl,
                           const VnfResolver& resolver, ResourceKind kind,
                           std::string_view resource_id,
                           std::string_view why_none) {
  std::vector<VnfId> vnfs;
  if (resolver) {
    vnfs = resolver(kind, resource_id);
  } else if (kind == ResourceKind::kNovaInstance) {
    vnfs.emplace_back(resource_id);
  }
  if (vnfs.empty()) return NotRelevant(std::string(why_none));
  Translation t;
  for (const VnfId& vnf : vnfs) {
    LifecycleEvent e = tmpl;
    e.vnf_id = vnf;
    e.id = vnfs.size() == 1 ? n.message_id : n.message_id + "/" + vnf;
    e.occurred_at = n.timestamp;
    e.origin = n.event_type;
    Status valid = ValidateEvent(e, EventValidation::kObserved);
    if (!valid.ok()) {
      return InvalidArgumentError(Printable(n.event_type) + ": " +
                                  valid.message());
    }
    t.events.push_back(std::move(e));
  }
  return t;
}

}  // namespace internal

EventTranslator::EventTranslator(VnfResolver resolver)
    : resolver_(std::move(resolver)) {}

StatusOr<Translation> EventTranslator::Dispatch(const Notification& n) const {
  const std::string_view type = n.event_type;
  if (type.starts_with("instance.") || type.starts_with("compute_task.")) {
    return internal::TranslateNova(n, resolver_);
  }
  if (type.starts_with("orchestration.stack.")) {
    return internal::TranslateHeat(n, resolver_);
  }
  if (type.starts_with("port.")) {
    return internal::TranslateNeutron(n, resolver_);
  }
  return internal::NotRelevant("event type not translated by nfvsm");
}

StatusOr<Translation> EventTranslator::Translate(const Notification& n) {
  StatusOr<Translation> result = Dispatch(n);
  std::lock_guard<std::mutex> lock(mu_);
  if (!result.ok()) {
    ++stats_.malformed;
  } else if (result->events.empty()) {
    ++stats_.not_relevant;
    auto it = stats_.ignored_by_type.find(n.event_type);
    if (it == stats_.ignored_by_type.end() &&
        stats_.ignored_by_type.size() >= internal::kMaxCountedTypes) {
      it = stats_.ignored_by_type.try_emplace(internal::kOtherTypes, 0).first;
    } else if (it == stats_.ignored_by_type.end()) {
      it = stats_.ignored_by_type.emplace(n.event_type, 0).first;
    }
    ++it->second;
  } else {
    ++stats_.translated;
    stats_.events += result->events.size();
  }
  return result;
}

TranslatorStats EventTranslator::stats() const {
  std::lock_guard<std::mutex> lock(mu_);
  return stats_;
}

}  // namespace nfvsm::amqp
