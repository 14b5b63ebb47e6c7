// ValidateEvent: mandatory fields per kind and strength, enum ranges and
// size limits.
#include "nfvsm/lifecycle_event.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace nfvsm {
namespace {

LifecycleEvent Base(EventKind kind) {
  LifecycleEvent e;
  e.id = "ev-1";
  e.kind = kind;
  e.phase = Phase::kEnd;
  e.source = EventSource::kNfvo;
  e.reason = "requested by OSS/BSS order 42";
  e.occurred_at = FromMicros(1'700'000'000'000'000);
  e.vnf_id = "vnf-1";
  return e;
}

LifecycleEvent FullCreate() {
  LifecycleEvent e = Base(EventKind::kCreate);
  e.package_id = "pkg-1";
  e.vnfd_id = "vnfd-1";
  e.package_checksum = "sha256:00ff";
  e.package_integrity_ok = true;
  e.requestor_id = "oss-vnf-1";
  e.ns_id = "ns-1";
  e.intended_hosts = {"cmp-1"};
  e.locations = {"zone-a"};
  e.connectivity = {"net-mgmt", "pnf-router-1"};
  return e;
}

LifecycleEvent FullModify() {
  LifecycleEvent e = Base(EventKind::kModify);
  e.aspect = ModifyAspect::kConfiguration;
  e.details = {{"flavor", "m1.large"}};
  return e;
}

// A VIM notification translated to an event: no MANO-level fields.
LifecycleEvent MinimalVimEvent(EventKind kind) {
  LifecycleEvent e = Base(kind);
  e.source = EventSource::kVim;
  e.reason = "compute.instance.delete.end";
  return e;
}

using Mutation = std::function<void(LifecycleEvent&)>;

struct MissingFieldCase {
  std::string name;
  std::function<LifecycleEvent()> make;
  Mutation remove;
  std::string message;  // the exact error expected
};

// covers: R2.1.210, R2.1.220, R2.1.230, R2.1.180, R2.1.190, R2.1.150,
// R2.1.160, R2.1.170
TEST(ValidateEventTest, FullValidationNamesEachMissingMandatoryField) {
  const auto terminate = [] { return Base(EventKind::kTerminate); };
  const auto crash = [] { return Base(EventKind::kCrash); };
  const std::vector<MissingFieldCase> cases = {
      {"create id", FullCreate, [](auto& e) { e.id.clear(); },
       "create event (no id) is missing id (R2.1.210)"},
      {"create vnf_id", FullCreate, [](auto& e) { e.vnf_id.clear(); },
       "create event 'ev-1' is missing vnf_id (R2.1.210)"},
      {"create source", FullCreate,
       [](auto& e) { e.source = EventSource::kUnknown; },
       "create event 'ev-1' is missing source (R2.1.180)"},
      {"create reason", FullCreate, [](auto& e) { e.reason.clear(); },
       "create event 'ev-1' is missing reason (R2.1.190)"},
      {"create occurred_at", FullCreate,
       [](auto& e) { e.occurred_at = TimePoint{}; },
       "create event 'ev-1' is missing occurred_at (R2.1.210)"},
      {"create package_id", FullCreate, [](auto& e) { e.package_id.clear(); },
       "create event 'ev-1' is missing package_id (R2.1.210)"},
      {"create vnfd_id", FullCreate, [](auto& e) { e.vnfd_id.clear(); },
       "create event 'ev-1' is missing vnfd_id (R2.1.210)"},
      {"create package_checksum", FullCreate,
       [](auto& e) { e.package_checksum.clear(); },
       "create event 'ev-1' is missing package_checksum (R2.1.210)"},
      {"create package_integrity_ok", FullCreate,
       [](auto& e) { e.package_integrity_ok.reset(); },
       "create event 'ev-1' is missing package_integrity_ok (R2.1.210)"},
      {"create requestor_id", FullCreate,
       [](auto& e) { e.requestor_id.clear(); },
       "create event 'ev-1' is missing requestor_id (R2.1.210)"},
      {"create ns_id", FullCreate, [](auto& e) { e.ns_id.clear(); },
       "create event 'ev-1' is missing ns_id (R2.1.210)"},
      {"create hosts and locations", FullCreate,
       [](auto& e) {
         e.intended_hosts.clear();
         e.locations.clear();
       },
       "create event 'ev-1' is missing intended_hosts or locations "
       "(R2.1.210)"},
      {"modify source", FullModify,
       [](auto& e) { e.source = EventSource::kUnknown; },
       "modify event 'ev-1' is missing source (R2.1.180)"},
      {"modify reason", FullModify, [](auto& e) { e.reason.clear(); },
       "modify event 'ev-1' is missing reason (R2.1.190)"},
      {"modify vnf_id", FullModify, [](auto& e) { e.vnf_id.clear(); },
       "modify event 'ev-1' is missing vnf_id (R2.1.220)"},
      {"modify details", FullModify,
       [](auto& e) {
         e.details.clear();
         e.aspect = ModifyAspect::kOther;
       },
       "modify event 'ev-1' is missing details (R2.1.220)"},
      {"terminate source", terminate,
       [](auto& e) { e.source = EventSource::kUnknown; },
       "terminate event 'ev-1' is missing source (R2.1.180)"},
      {"terminate vnf_id", terminate, [](auto& e) { e.vnf_id.clear(); },
       "terminate event 'ev-1' is missing vnf_id (R2.1.230)"},
      {"terminate reason", terminate, [](auto& e) { e.reason.clear(); },
       "terminate event 'ev-1' is missing reason (R2.1.190)"},
      {"crash source", crash, [](auto& e) { e.source = EventSource::kUnknown; },
       "crash event 'ev-1' is missing source (R2.1.180)"},
      {"crash vnf_id", crash, [](auto& e) { e.vnf_id.clear(); },
       "crash event 'ev-1' is missing vnf_id (R2.1.230)"},
      {"crash reason", crash, [](auto& e) { e.reason.clear(); },
       "crash event 'ev-1' is missing reason (R2.1.190)"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    LifecycleEvent e = c.make();
    ASSERT_TRUE(ValidateEvent(e, EventValidation::kFull).ok())
        << "the complete event must pass before a field is removed";
    c.remove(e);
    const Status s = ValidateEvent(e, EventValidation::kFull);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_EQ(s.message(), c.message);
  }
}

// covers: R2.1.210, R2.1.220
TEST(ValidateEventTest, FullValidationAcceptsTheDocumentedAlternatives) {
  std::vector<LifecycleEvent> ok;
  LifecycleEvent only_hosts = FullCreate();
  only_hosts.locations.clear();
  ok.push_back(only_hosts);
  LifecycleEvent only_locations = FullCreate();
  only_locations.intended_hosts.clear();
  ok.push_back(only_locations);
  LifecycleEvent no_connectivity = FullCreate();  // attachments come later
  no_connectivity.connectivity.clear();
  ok.push_back(no_connectivity);
  LifecycleEvent failed_integrity = FullCreate();  // a result, not missing
  failed_integrity.package_integrity_ok = false;
  ok.push_back(failed_integrity);
  LifecycleEvent aspect_only = FullModify();
  aspect_only.details.clear();
  ok.push_back(aspect_only);
  LifecycleEvent details_only = FullModify();
  details_only.aspect = ModifyAspect::kOther;
  ok.push_back(details_only);
  for (size_t i = 0; i < ok.size(); ++i) {
    const Status s = ValidateEvent(ok[i], EventValidation::kFull);
    EXPECT_TRUE(s.ok()) << i << ": " << s.ToString();
  }
}

// covers: R2.1.150, R2.1.160, R2.1.170, R2.1.180, R2.1.190
TEST(ValidateEventTest, ObservedValidationAcceptsAMinimalVimEvent) {
  for (EventKind kind : {EventKind::kCreate, EventKind::kModify,
                         EventKind::kTerminate, EventKind::kCrash}) {
    SCOPED_TRACE(std::string(ToString(kind)));
    const LifecycleEvent e = MinimalVimEvent(kind);
    const Status s = ValidateEvent(e, EventValidation::kObserved);
    EXPECT_TRUE(s.ok()) << s.ToString();
  }
  // The same event is not enough when MANO emits it itself.
  EXPECT_EQ(
      ValidateEvent(MinimalVimEvent(EventKind::kCreate), EventValidation::kFull)
          .message(),
      "create event 'ev-1' is missing package_id (R2.1.210)");
}

// covers: R2.1.150, R2.1.170, R2.1.180, R2.1.190
TEST(ValidateEventTest, ObservedValidationStillNeedsItsFiveFields) {
  const std::vector<std::pair<Mutation, std::string>> cases = {
      {[](auto& e) { e.id.clear(); }, "missing id (R2.1.170)"},
      {[](auto& e) { e.vnf_id.clear(); }, "missing vnf_id (R2.1.170)"},
      {[](auto& e) { e.source = EventSource::kUnknown; },
       "missing source (R2.1.180)"},
      {[](auto& e) { e.reason.clear(); }, "missing reason (R2.1.190)"},
      {[](auto& e) { e.occurred_at = TimePoint{}; },
       "missing occurred_at (R2.1.170)"},
  };
  for (const auto& [remove, needle] : cases) {
    SCOPED_TRACE(needle);
    LifecycleEvent e = MinimalVimEvent(EventKind::kTerminate);
    remove(e);
    const Status s = ValidateEvent(e, EventValidation::kObserved);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  }
}

struct OversizedCase {
  std::string name;
  Mutation grow;
  std::string field;  // what the message must name
};

// covers: R2.1.240, R2.1.210
TEST(ValidateEventTest, OversizedFieldsAreRejectedNamingTheField) {
  const std::string too_long(kMaxEventStringBytes + 1, 's');
  const std::vector<OversizedCase> cases = {
      {"id",  // the id is quoted (cut short) in every message: not 's'
       [&](auto& e) { e.id = std::string(kMaxEventStringBytes + 1, 'i'); },
       "has id longer"},
      {"reason", [&](auto& e) { e.reason = too_long; }, "has reason longer"},
      {"vnf_id", [&](auto& e) { e.vnf_id = too_long; }, "has vnf_id longer"},
      {"domain", [&](auto& e) { e.domain = too_long; }, "has domain longer"},
      {"origin", [&](auto& e) { e.origin = too_long; }, "has origin longer"},
      {"package_checksum", [&](auto& e) { e.package_checksum = too_long; },
       "has package_checksum longer"},
      {"image_id", [&](auto& e) { e.image_id = too_long; },
       "has image_id longer"},
      {"vnfd",
       [&](auto& e) { e.vnfd = std::string(kMaxEventVnfdBytes + 1, 'y'); },
       "has vnfd longer"},
      {"hosts count",
       [&](auto& e) {
         e.intended_hosts.assign(kMaxEventListEntries + 1, "cmp");
       },
       "entries in intended_hosts"},
      {"connectivity entry",
       [&](auto& e) {
         e.connectivity = {"net", too_long};
       },
       "has connectivity[1] longer"},
      {"empty location",
       [&](auto& e) {
         e.locations = {"zone-a", ""};
       },
       "empty locations[1]"},
      {"details count",
       [&](auto& e) {
         for (size_t i = 0; i <= kMaxEventDetails; ++i) {
           e.details["k" + std::to_string(i)] = "v";
         }
       },
       "entries in details"},
      {"details value", [&](auto& e) { e.details["flavor"] = too_long; },
       "has details['flavor'] longer"},
      {"details key", [&](auto& e) { e.details[too_long] = "v"; },
       "has a details key longer"},
      {"empty details key", [&](auto& e) { e.details[""] = "v"; },
       "empty key in details"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    for (auto mode : {EventValidation::kFull, EventValidation::kObserved}) {
      LifecycleEvent e = FullCreate();
      c.grow(e);
      const Status s = ValidateEvent(e, mode);
      EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
      EXPECT_NE(s.message().find(c.field), std::string::npos) << s.message();
      // Values are never echoed back.
      EXPECT_EQ(s.message().find("ssss"), std::string::npos);
    }
  }
}

// covers: R2.1.240, R2.1.210
TEST(ValidateEventTest, FieldsExactlyAtTheLimitsPass) {
  LifecycleEvent e = FullCreate();
  e.reason = std::string(kMaxEventStringBytes, 'r');
  e.vnfd = std::string(kMaxEventVnfdBytes, 'y');  // a real VNFD exceeds 4 KiB
  e.intended_hosts.assign(kMaxEventListEntries, "cmp");
  for (size_t i = 0; i < kMaxEventDetails; ++i) {
    e.details["k" + std::to_string(i)] = std::string(kMaxEventStringBytes, 'v');
  }
  const Status s = ValidateEvent(e, EventValidation::kFull);
  EXPECT_TRUE(s.ok()) << s.ToString();
}

// covers: R2.1.180, R2.1.150
TEST(ValidateEventTest, OutOfRangeEnumsAndModesAreErrors) {
  const std::vector<std::pair<Mutation, std::string>> cases = {
      {[](auto& e) { e.kind = static_cast<EventKind>(9); }, "invalid kind"},
      {[](auto& e) { e.phase = static_cast<Phase>(9); }, "invalid phase"},
      {[](auto& e) { e.source = static_cast<EventSource>(99); },
       "invalid source"},
      {[](auto& e) { e.aspect = static_cast<ModifyAspect>(99); },
       "invalid aspect"},
  };
  for (const auto& [mutate, needle] : cases) {
    SCOPED_TRACE(needle);
    LifecycleEvent e = FullCreate();
    mutate(e);
    const Status s = ValidateEvent(e, EventValidation::kObserved);
    EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
    EXPECT_NE(s.message().find(needle), std::string::npos) << s.message();
  }
  EXPECT_EQ(ValidateEvent(FullCreate(), static_cast<EventValidation>(7)).code(),
            StatusCode::kInvalidArgument);
}

// covers: R2.1.240
TEST(ValidateEventTest, EventIdsInMessagesAreBoundedAndPrintable) {
  LifecycleEvent e = FullCreate();
  e.id = "ev\n\x1b[31m" + std::string(200, 'i');
  e.reason.clear();
  const Status s = ValidateEvent(e, EventValidation::kFull);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().find('\n'), std::string::npos);
  EXPECT_EQ(s.message().find('\x1b'), std::string::npos);
  EXPECT_NE(s.message().find("'ev??[31m"), std::string::npos) << s.message();
  EXPECT_LT(s.message().size(), 160u);
}

}  // namespace
}  // namespace nfvsm
