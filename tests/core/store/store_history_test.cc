// Lifecycle events and gate records: round trips, dedupe, and the filters
// and ordering of history queries.
#include <gtest/gtest.h>

#include <ostream>
#include <string>
#include <vector>

#include "core/store/store_test_util.h"
#include "nfvsm/store.h"

namespace nfvsm {
namespace {

using ::nfvsm::testing::At;
using ::nfvsm::testing::AwkwardBytes;
using ::nfvsm::testing::MustOpen;
using ::nfvsm::testing::SampleEvent;
using ::nfvsm::testing::SampleGate;

std::vector<std::string> Ids(const std::vector<LifecycleEvent>& events) {
  std::vector<std::string> ids;
  for (const auto& e : events) ids.push_back(e.id);
  return ids;
}

// covers: R2.1.150, R2.1.160, R2.1.180, R2.1.190, R2.1.210, R2.1.220,
// R2.1.240, R2.1.360
TEST(StoreEventTest, EventRoundTripsFieldForField) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  LifecycleEvent full = SampleEvent("e-full", "dom-1", "vnf-1", At(1));
  full.reason = AwkwardBytes();
  LifecycleEvent passed = SampleEvent("e-passed", "dom-1", "vnf-1", At(2));
  passed.package_integrity_ok = true;
  LifecycleEvent bare;  // defaults: no integrity verdict, empty lists/map
  bare.id = "e-bare";
  bare.occurred_at = At(3);

  for (const auto& e : {full, passed, bare}) {
    auto inserted = store->AppendEvent(e);
    ASSERT_TRUE(inserted.ok()) << inserted.status().ToString();
    EXPECT_TRUE(*inserted);
  }
  auto events = store->QueryEvents({});
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  ASSERT_EQ(events->size(), 3u);
  EXPECT_EQ((*events)[0], full);
  EXPECT_EQ((*events)[1], passed);
  EXPECT_EQ((*events)[2], bare);
  EXPECT_FALSE((*events)[2].package_integrity_ok.has_value());
}

// covers: R2.1.150, R2.1.360
TEST(StoreEventTest, DuplicateIdIsReportedAndKeepsTheFirst) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  LifecycleEvent first = SampleEvent("e-1", "dom-1", "vnf-1", At(1));
  LifecycleEvent redelivered = first;
  redelivered.reason = "a different body under the same id";
  auto a = store->AppendEvent(first);
  auto b = store->AppendEvent(redelivered);
  ASSERT_TRUE(a.ok());
  ASSERT_TRUE(b.ok()) << b.status().ToString();
  EXPECT_TRUE(*a);
  EXPECT_FALSE(*b);
  auto events = store->QueryEvents({});
  ASSERT_TRUE(events.ok());
  ASSERT_EQ(events->size(), 1u);
  EXPECT_EQ(events->front(), first);
}

// covers: R2.1.210
TEST(StoreEventTest, BadEventsAreRefusedAndNothingIsStored) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  LifecycleEvent no_id = SampleEvent("", "d", "v", At(1));
  LifecycleEvent bad_utf8 = SampleEvent("e-utf8", "d", "v", At(1));
  bad_utf8.connectivity.push_back(std::string("\xc3\x28", 2));
  LifecycleEvent bad_map = SampleEvent("e-map", "d", "v", At(1));
  bad_map.details["\xff"] = "x";
  LifecycleEvent bad_enum = SampleEvent("e-enum", "d", "v", At(1));
  bad_enum.aspect = static_cast<ModifyAspect>(99);
  for (const auto& e : {no_id, bad_utf8, bad_map, bad_enum}) {
    auto r = store->AppendEvent(e);
    EXPECT_EQ(r.status().code(), StatusCode::kInvalidArgument) << e.id;
  }
  auto events = store->QueryEvents({});
  ASSERT_TRUE(events.ok());
  EXPECT_TRUE(events->empty());
}

// A history to query: inserted out of time order, with ties on time.
class StoreEventQueryTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(":memory:");
    ASSERT_NE(store_, nullptr);
    struct Row {
      const char* id;
      const char* domain;
      const char* vnf;
      int64_t at;
    };
    // Insertion order e4, e1, e2, e3, e6, e5.
    for (Row r :
         {Row{"e4", "dom-c", "vnf-1", 20}, Row{"e1", "dom-a", "vnf-1", 10},
          Row{"e2", "dom-b", "vnf-2", 5}, Row{"e3", "dom-a", "vnf-2", 10},
          Row{"e6", "dom-b", "vnf-1", 10}, Row{"e5", "dom-a", "vnf-1", 30}}) {
      auto ok =
          store_->AppendEvent(SampleEvent(r.id, r.domain, r.vnf, At(r.at)));
      ASSERT_TRUE(ok.ok() && *ok) << r.id;
    }
  }
  std::unique_ptr<Store> store_;
};

struct QueryCase {
  const char* name;
  EventQuery query;
  std::vector<std::string> expected;
};

void PrintTo(const QueryCase& c, std::ostream* os) { *os << c.name; }

EventQuery Q(std::set<DomainId> domains, std::optional<VnfId> vnf = {},
             TimePoint from = TimePoint{}, TimePoint to = TimePoint::max(),
             size_t limit = 10'000) {
  EventQuery q;
  q.domains = std::move(domains);
  q.vnf_id = std::move(vnf);
  q.from = from;
  q.to = to;
  q.limit = limit;
  return q;
}

class StoreEventQueryMatrixTest
    : public StoreEventQueryTest,
      public ::testing::WithParamInterface<QueryCase> {};

// covers: R2.1.360, R2.1.80
TEST_P(StoreEventQueryMatrixTest, FiltersAndOrdersByTimeThenInsertion) {
  auto events = store_->QueryEvents(GetParam().query);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(Ids(*events), GetParam().expected);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StoreEventQueryMatrixTest,
    ::testing::Values(
        QueryCase{"All", Q({}), {"e2", "e1", "e3", "e6", "e4", "e5"}},
        QueryCase{"OneDomain", Q({"dom-a"}), {"e1", "e3", "e5"}},
        QueryCase{"TwoDomains",
                  Q({"dom-a", "dom-b"}),
                  {"e2", "e1", "e3", "e6", "e5"}},
        QueryCase{"ThreeDomainsPadded",
                  Q({"dom-a", "dom-b", "dom-c"}),
                  {"e2", "e1", "e3", "e6", "e4", "e5"}},
        QueryCase{"UnknownDomain", Q({"dom-x"}), {}},
        QueryCase{"Vnf", Q({}, "vnf-1"), {"e1", "e6", "e4", "e5"}},
        QueryCase{"VnfAndDomain", Q({"dom-a"}, "vnf-1"), {"e1", "e5"}},
        QueryCase{"FromIsInclusive",
                  Q({}, {}, At(10)),
                  {"e1", "e3", "e6", "e4", "e5"}},
        QueryCase{"ToIsExclusive", Q({}, {}, TimePoint{}, At(10)), {"e2"}},
        QueryCase{"Window", Q({}, {}, At(10), At(20)), {"e1", "e3", "e6"}},
        QueryCase{"EmptyWindow", Q({}, {}, At(20), At(20)), {}},
        QueryCase{
            "Limit", Q({}, {}, TimePoint{}, TimePoint::max(), 2), {"e2", "e1"}},
        QueryCase{"LimitZero", Q({}, {}, TimePoint{}, TimePoint::max(), 0), {}},
        QueryCase{"DomainAndLimit",
                  Q({"dom-b"}, {}, TimePoint{}, TimePoint::max(), 1),
                  {"e2"}}),
    [](const ::testing::TestParamInfo<QueryCase>& info) {
      return std::string(info.param.name);
    });

// covers: R2.1.360
TEST_F(StoreEventQueryTest, LargeDomainSetsWorkUpToTheLimit) {
  EventQuery q;
  for (int i = 0; i < 1000; ++i)
    q.domains.insert("unused-" + std::to_string(i));
  q.domains.insert("dom-c");
  auto events = store_->QueryEvents(q);
  ASSERT_TRUE(events.ok()) << events.status().ToString();
  EXPECT_EQ(Ids(*events), std::vector<std::string>{"e4"});

  for (int i = 0; i < 16'384; ++i)
    q.domains.insert("more-" + std::to_string(i));
  EXPECT_EQ(store_->QueryEvents(q).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: R1.3.110, R1.3.180
TEST(StoreGateTest, GateRecordsRoundTripAndFilter) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  GateRecord g1 = SampleGate("g1", "vnf-1", At(10));
  GateRecord g2 = SampleGate("g2", "vnf-2", At(5));
  g2.allowed = false;
  g2.operation = OperationKind::kChangePackage;
  GateRecord g3 = SampleGate("g3", "vnf-1", At(10));  // tie with g1
  GateRecord g4 = SampleGate("g4", "vnf-1", At(40));
  for (const auto& g : {g1, g2, g3, g4}) ASSERT_TRUE(store->AppendGate(g).ok());

  auto all = store->QueryGates("", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(all.ok()) << all.status().ToString();
  EXPECT_EQ(*all, (std::vector<GateRecord>{g2, g1, g3, g4}));
  auto vnf1 = store->QueryGates("vnf-1", At(10), At(40));
  ASSERT_TRUE(vnf1.ok());
  EXPECT_EQ(*vnf1, (std::vector<GateRecord>{g1, g3}));
  auto none = store->QueryGates("vnf-9", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// covers: R1.3.180
TEST(StoreGateTest, DuplicateOrBadGateRecordsAreRefused) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  ASSERT_TRUE(store->AppendGate(SampleGate("g1", "vnf-1", At(1))).ok());
  EXPECT_EQ(store->AppendGate(SampleGate("g1", "vnf-2", At(2))).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(store->AppendGate(SampleGate("", "vnf-2", At(2))).code(),
            StatusCode::kInvalidArgument);
  GateRecord bad = SampleGate("g2", "vnf-1", At(1));
  bad.operation = static_cast<OperationKind>(77);
  EXPECT_EQ(store->AppendGate(bad).code(), StatusCode::kInvalidArgument);
  auto all = store->QueryGates("", TimePoint{}, TimePoint::max());
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 1u);
  EXPECT_EQ(all->front().vnf_id, "vnf-1");
}

}  // namespace
}  // namespace nfvsm
