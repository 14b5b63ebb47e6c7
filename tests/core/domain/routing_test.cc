// BindingTable routing (Route), hierarchy and authority (AuthorityOver).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/domain/domain_test_util.h"
#include "nfvsm/domain_registry.h"

namespace nfvsm {
namespace {

using testing::Bind;
using testing::Domain;
using testing::Sm;

constexpr EventKind kAllKinds[] = {EventKind::kCreate, EventKind::kModify,
                                   EventKind::kTerminate, EventKind::kCrash};

Delivery Direct(const SmId& sm, Mode mode) { return Delivery{sm, mode, false}; }
Delivery ViaMaster(const SmId& sm) {
  return Delivery{sm, Mode::kPassive, true};
}

// Hierarchy used throughout: grand -> master -> {sub, sub2}; loner has no
// master. Domains: core, tenant, other.
class RoutingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* d : {"core", "tenant", "other"}) {
      NFVSM_ASSERT_OK(table_.PutDomain(Domain(d)));
    }
    NFVSM_ASSERT_OK(table_.PutSm(Sm("grand")));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("master", "grand")));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("sub", "master")));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("sub2", "master")));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("loner")));
  }
  BindingTable table_;
};

// covers: R2.1.80
TEST_F(RoutingTest, EventsGoOnlyToSmsBoundToTheDomain) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("loner", "core", Mode::kSemiActive)));
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("grand", "other")));
  for (EventKind kind : kAllKinds) {
    SCOPED_TRACE(std::string(ToString(kind)));
    EXPECT_EQ(table_.Route("core", kind),
              std::vector<Delivery>{Direct("loner", Mode::kSemiActive)});
    EXPECT_EQ(table_.Route("other", kind),
              std::vector<Delivery>{Direct("grand", Mode::kPassive)});
    EXPECT_TRUE(table_.Route("tenant", kind).empty());
    EXPECT_TRUE(table_.Route("no-such-domain", kind).empty());
  }
}

// covers: R2.1.200, R2.1.100
TEST_F(RoutingTest, HiddenKindsAreNotDelivered) {
  for (EventKind hidden : kAllKinds) {
    SCOPED_TRACE(std::string(ToString(hidden)));
    Binding b = Bind("loner", "core", Mode::kFullyActive);
    b.hidden_events = {hidden};
    NFVSM_ASSERT_OK(table_.PutBinding(b));
    NFVSM_ASSERT_OK(table_.PutBinding(Bind("grand", "core")));
    for (EventKind kind : kAllKinds) {
      std::vector<Delivery> want = {Direct("grand", Mode::kPassive)};
      if (kind != hidden) want.push_back(Direct("loner", Mode::kFullyActive));
      EXPECT_EQ(table_.Route("core", kind), want) << ToString(kind);
    }
  }
}

// covers: R2.1.50, R2.1.80
TEST_F(RoutingTest, MastersReceiveTheirSubSmsDomainEventsTransitively) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kSemiActive)));
  const std::vector<Delivery> want = {ViaMaster("grand"), ViaMaster("master"),
                                      Direct("sub", Mode::kSemiActive)};
  EXPECT_EQ(table_.Route("tenant", EventKind::kCreate), want);
  // Nothing leaks to domains the sub-SM is not bound in.
  EXPECT_TRUE(table_.Route("core", EventKind::kCreate).empty());
}

// covers: R2.1.50, R2.1.80
TEST_F(RoutingTest, EachSmIsDeliveredOnceAndDirectBindingWins) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kSemiActive)));
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub2", "tenant")));
  // Two sub-SMs under one master: the master appears once.
  EXPECT_EQ(table_.Route("tenant", EventKind::kModify),
            (std::vector<Delivery>{ViaMaster("grand"), ViaMaster("master"),
                                   Direct("sub", Mode::kSemiActive),
                                   Direct("sub2", Mode::kPassive)}));
  // The master is also bound: reported once, with its own mode, direct.
  NFVSM_ASSERT_OK(
      table_.PutBinding(Bind("master", "tenant", Mode::kFullyActive)));
  EXPECT_EQ(
      table_.Route("tenant", EventKind::kModify),
      (std::vector<Delivery>{
          ViaMaster("grand"), Direct("master", Mode::kFullyActive),
          Direct("sub", Mode::kSemiActive), Direct("sub2", Mode::kPassive)}));
}

// covers: R2.1.200, R2.1.50
TEST_F(RoutingTest, AMastersOwnHideWinsOverItsSubSmsDelivery) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kSemiActive)));
  Binding master_hides = Bind("master", "tenant", Mode::kFullyActive);
  master_hides.hidden_events = {EventKind::kCrash};
  NFVSM_ASSERT_OK(table_.PutBinding(master_hides));
  // The master chose (was configured) not to see crashes here: it does not
  // get them through its sub-SM either; its own master still does.
  EXPECT_EQ(table_.Route("tenant", EventKind::kCrash),
            (std::vector<Delivery>{ViaMaster("grand"),
                                   Direct("sub", Mode::kSemiActive)}));
  EXPECT_EQ(table_.Route("tenant", EventKind::kCreate),
            (std::vector<Delivery>{ViaMaster("grand"),
                                   Direct("master", Mode::kFullyActive),
                                   Direct("sub", Mode::kSemiActive)}));
}

// covers: R2.1.200, R2.1.50
TEST_F(RoutingTest, ASubSmsHideAlsoKeepsTheEventFromItsMasters) {
  Binding sub_hides = Bind("sub", "tenant", Mode::kSemiActive);
  sub_hides.hidden_events = {EventKind::kTerminate};
  NFVSM_ASSERT_OK(table_.PutBinding(sub_hides));
  EXPECT_TRUE(table_.Route("tenant", EventKind::kTerminate).empty());
  EXPECT_EQ(table_.Route("tenant", EventKind::kCreate).size(), 3u);
}

// covers: R2.1.50, R2.1.80, R2.1.90
TEST_F(RoutingTest, RoutesAndAuthorityFollowHierarchyAndBindingChanges) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kSemiActive)));
  // Re-parent sub's master two levels up: grand no longer reaches tenant,
  // loner now does (through master).
  NFVSM_ASSERT_OK(table_.PutSm(Sm("master", "loner")));
  EXPECT_EQ(table_.Route("tenant", EventKind::kCreate),
            (std::vector<Delivery>{ViaMaster("loner"), ViaMaster("master"),
                                   Direct("sub", Mode::kSemiActive)}));
  EXPECT_FALSE(table_.AuthorityOver("grand", "tenant").has_value());
  EXPECT_EQ(table_.AuthorityOver("loner", "tenant")->via_sub_sm,
            std::optional<SmId>("sub"));
  // Replacing a domain's description keeps its bindings and routes.
  TrustDomain tenant = Domain("tenant");
  tenant.description = "renamed";
  NFVSM_ASSERT_OK(table_.PutDomain(tenant));
  EXPECT_EQ(table_.Route("tenant", EventKind::kCreate).size(), 3u);
  // Dropping the only binding leaves nobody to notify or to act.
  NFVSM_ASSERT_OK(table_.RemoveBinding("sub", "tenant"));
  EXPECT_TRUE(table_.Route("tenant", EventKind::kCreate).empty());
  EXPECT_FALSE(table_.AuthorityOver("loner", "tenant").has_value());
  EXPECT_TRUE(table_.Route("tenant", static_cast<EventKind>(9)).empty());
}

// covers: R2.1.50
TEST_F(RoutingTest, HierarchyQueries) {
  EXPECT_EQ(table_.MastersOf("sub"), (std::vector<SmId>{"master", "grand"}));
  EXPECT_TRUE(table_.MastersOf("grand").empty());
  EXPECT_TRUE(table_.MastersOf("ghost").empty());
  EXPECT_TRUE(table_.IsMasterOf("master", "sub"));
  EXPECT_TRUE(table_.IsMasterOf("grand", "sub"));
  EXPECT_FALSE(table_.IsMasterOf("sub", "master"));
  EXPECT_FALSE(table_.IsMasterOf("sub", "sub"));
  EXPECT_FALSE(table_.IsMasterOf("loner", "sub"));
  EXPECT_FALSE(table_.IsMasterOf("sub2", "sub"));
}

// covers: R2.1.90, R2.1.130/140
TEST_F(RoutingTest, AuthorityComesFromTheSmsOwnBinding) {
  Binding b = Bind("loner", "core", Mode::kSemiActive);
  b.allowed_instructions = {InstructionKind::kStatusQuery,
                            InstructionKind::kApplyPolicy};
  NFVSM_ASSERT_OK(table_.PutBinding(b));
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("loner", "other", Mode::kPassive)));

  auto core = table_.AuthorityOver("loner", "core");
  ASSERT_TRUE(core.has_value());
  EXPECT_EQ(core->sm, "loner");
  EXPECT_EQ(core->domain, "core");
  EXPECT_EQ(core->mode, Mode::kSemiActive);
  EXPECT_EQ(core->allowed, b.allowed_instructions);
  EXPECT_FALSE(core->via_sub_sm.has_value());
  EXPECT_EQ(table_.AuthorityOver("loner", "other")->mode, Mode::kPassive);

  EXPECT_FALSE(table_.AuthorityOver("loner", "tenant").has_value());
  EXPECT_FALSE(table_.AuthorityOver("ghost", "core").has_value());
  EXPECT_FALSE(table_.AuthorityOver("loner", "no-such-domain").has_value());
}

// covers: R2.1.50, R2.1.90
TEST_F(RoutingTest, MastersActFullyActiveInTheirSubSmsDomains) {
  Binding sub = Bind("sub", "tenant", Mode::kPassive);
  sub.allowed_instructions = {InstructionKind::kStatusQuery};
  NFVSM_ASSERT_OK(table_.PutBinding(sub));
  for (const char* master : {"master", "grand"}) {
    SCOPED_TRACE(master);
    auto a = table_.AuthorityOver(master, "tenant");
    ASSERT_TRUE(a.has_value());
    EXPECT_EQ(a->mode, Mode::kFullyActive);
    EXPECT_EQ(a->allowed, AllInstructionKinds());
    EXPECT_EQ(a->via_sub_sm, std::optional<SmId>("sub"));
  }
  // A sibling is no master, and neither is an unrelated SM.
  EXPECT_FALSE(table_.AuthorityOver("sub2", "tenant").has_value());
  EXPECT_FALSE(table_.AuthorityOver("loner", "tenant").has_value());
}

// covers: R2.1.50, R2.1.90
TEST_F(RoutingTest, ASubSmCannotActInItsMastersOtherDomains) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kPassive)));
  NFVSM_ASSERT_OK(
      table_.PutBinding(Bind("master", "core", Mode::kFullyActive)));
  EXPECT_FALSE(table_.AuthorityOver("sub", "core").has_value());
  // ...and the master's mastery stops at its sub-SMs' domains.
  EXPECT_FALSE(table_.AuthorityOver("master", "other").has_value());
  EXPECT_TRUE(table_.AuthorityOver("master", "core").has_value());
}

// covers: R2.1.50, R2.1.90, R2.1.110
TEST_F(RoutingTest, AnOwnBindingWinsOverMastery) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("sub", "tenant", Mode::kFullyActive)));
  Binding own = Bind("master", "tenant", Mode::kPassive);
  own.allowed_instructions = {InstructionKind::kHistoryQuery};
  NFVSM_ASSERT_OK(table_.PutBinding(own));
  auto a = table_.AuthorityOver("master", "tenant");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->mode, Mode::kPassive);
  EXPECT_EQ(a->allowed, own.allowed_instructions);
  EXPECT_FALSE(a->via_sub_sm.has_value());
  // grand has no binding there: it still acts through the hierarchy.
  EXPECT_EQ(table_.AuthorityOver("grand", "tenant")->via_sub_sm,
            std::optional<SmId>("master"));
}

}  // namespace
}  // namespace nfvsm
