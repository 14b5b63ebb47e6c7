// BindingTable entities: domains, SMs, bindings, their validation and the
// referential rules. Routing and authority are in routing_test.cc.
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

// Expects `s` to have `code` and a message mentioning `needle`.
void ExpectError(const Status& s, StatusCode code, const std::string& needle) {
  EXPECT_EQ(s.code(), code) << s.ToString();
  EXPECT_NE(s.message().find(needle), std::string::npos)
      << "'" << s.message() << "' does not mention '" << needle << "'";
}

class BindingTableTest : public ::testing::Test {
 protected:
  void SetUp() override {
    NFVSM_ASSERT_OK(table_.PutDomain(Domain("core")));
    NFVSM_ASSERT_OK(table_.PutDomain(Domain("tenant")));
    NFVSM_ASSERT_OK(table_.PutDomain(Domain("sec", DomainKind::kSecurity)));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("alpha")));
    NFVSM_ASSERT_OK(table_.PutSm(Sm("beta")));
  }
  BindingTable table_;
};

// covers: R1.1.10, R1.1.20/30, R1.1.120/130
TEST_F(BindingTableTest, DomainsPutGetListReplaceRemove) {
  TrustDomain mano = Domain("mano", DomainKind::kMano);
  mano.sensitive = true;
  mano.description = "NFVO and VNFM";
  NFVSM_ASSERT_OK(table_.PutDomain(mano));
  EXPECT_EQ(table_.GetDomain("mano"), mano);

  mano.description = "replaced";
  NFVSM_ASSERT_OK(table_.PutDomain(mano));
  EXPECT_EQ(table_.GetDomain("mano")->description, "replaced");

  std::vector<DomainId> ids;
  for (const auto& d : table_.ListDomains()) ids.push_back(d.id);
  EXPECT_EQ(ids, (std::vector<DomainId>{"core", "mano", "sec", "tenant"}));

  NFVSM_ASSERT_OK(table_.RemoveDomain("mano"));
  EXPECT_FALSE(table_.GetDomain("mano").has_value());
  EXPECT_EQ(table_.RemoveDomain("mano").code(), StatusCode::kNotFound);
}

// covers: R1.1.10
TEST_F(BindingTableTest, DomainValidationNamesTheField) {
  ExpectError(table_.PutDomain(Domain("")), StatusCode::kInvalidArgument, "id");
  TrustDomain empty_trust = Domain("x");
  empty_trust.trusts = {""};
  ExpectError(table_.PutDomain(empty_trust), StatusCode::kInvalidArgument,
              "trusts");
  TrustDomain bad_kind = Domain("y");
  bad_kind.kind = static_cast<DomainKind>(42);
  ExpectError(table_.PutDomain(bad_kind), StatusCode::kInvalidArgument, "kind");
  EXPECT_FALSE(table_.GetDomain("x").has_value());
  EXPECT_FALSE(table_.GetDomain("y").has_value());
}

// covers: R2.1.50, R1.1.120/130
TEST_F(BindingTableTest, SmsPutGetListReplaceRemove) {
  SecurityManager gamma = Sm("gamma", "alpha");
  gamma.public_key_pem = "-----BEGIN PUBLIC KEY-----";
  gamma.home_domain = "sec";
  NFVSM_ASSERT_OK(table_.PutSm(gamma));
  EXPECT_EQ(table_.GetSm("gamma"), gamma);

  std::vector<SmId> ids;
  for (const auto& sm : table_.ListSms()) ids.push_back(sm.id);
  EXPECT_EQ(ids, (std::vector<SmId>{"alpha", "beta", "gamma"}));

  // Moving gamma under beta releases alpha from mastering it.
  NFVSM_ASSERT_OK(table_.PutSm(Sm("gamma", "beta")));
  EXPECT_EQ(table_.MastersOf("gamma"), std::vector<SmId>{"beta"});
  NFVSM_ASSERT_OK(table_.RemoveSm("alpha"));
  ExpectError(table_.RemoveSm("beta"), StatusCode::kFailedPrecondition,
              "gamma");
  NFVSM_ASSERT_OK(table_.RemoveSm("gamma"));
  NFVSM_ASSERT_OK(table_.RemoveSm("beta"));
  EXPECT_TRUE(table_.ListSms().empty());
  EXPECT_EQ(table_.RemoveSm("beta").code(), StatusCode::kNotFound);
}

// covers: R2.1.50, R1.1.120/130
TEST_F(BindingTableTest, SmValidationNamesTheField) {
  ExpectError(table_.PutSm(Sm("")), StatusCode::kInvalidArgument, "id");
  ExpectError(table_.PutSm(Sm("x", "")), StatusCode::kInvalidArgument,
              "master");
  ExpectError(table_.PutSm(Sm("x", "nobody")), StatusCode::kInvalidArgument,
              "master 'nobody'");
  SecurityManager homeless = Sm("x");
  homeless.home_domain = "nowhere";
  ExpectError(table_.PutSm(homeless), StatusCode::kInvalidArgument,
              "home_domain 'nowhere'");
  SecurityManager in_vnf_domain = Sm("x");
  in_vnf_domain.home_domain = "core";
  ExpectError(table_.PutSm(in_vnf_domain), StatusCode::kInvalidArgument,
              "not a security domain");
  EXPECT_FALSE(table_.GetSm("x").has_value());
}

// covers: R2.1.50
TEST_F(BindingTableTest, MasterCyclesAreRefused) {
  ExpectError(table_.PutSm(Sm("alpha", "alpha")), StatusCode::kInvalidArgument,
              "own master");
  NFVSM_ASSERT_OK(table_.PutSm(Sm("beta", "alpha")));
  NFVSM_ASSERT_OK(table_.PutSm(Sm("gamma", "beta")));
  // alpha -> gamma -> beta -> alpha.
  ExpectError(table_.PutSm(Sm("alpha", "gamma")), StatusCode::kInvalidArgument,
              "cycle");
  ExpectError(table_.PutSm(Sm("alpha", "beta")), StatusCode::kInvalidArgument,
              "cycle");
  // The refused change left the hierarchy as it was.
  EXPECT_FALSE(table_.GetSm("alpha")->master.has_value());
  EXPECT_EQ(table_.MastersOf("gamma"), (std::vector<SmId>{"beta", "alpha"}));
  // Re-parenting that does not close a cycle is fine.
  NFVSM_ASSERT_OK(table_.PutSm(Sm("gamma", "alpha")));
  EXPECT_EQ(table_.MastersOf("gamma"), std::vector<SmId>{"alpha"});
}

// covers: R2.1.110, R2.1.130/140
TEST_F(BindingTableTest, BindingsPutGetReplaceRemove) {
  Binding b = Bind("alpha", "core", Mode::kSemiActive);
  b.semi_active_window = std::chrono::milliseconds(200);
  b.hidden_events.Add(EventKind::kModify);
  NFVSM_ASSERT_OK(table_.PutBinding(b));
  EXPECT_EQ(table_.GetBinding("alpha", "core"), b);

  b.mode = Mode::kFullyActive;  // one binding per (SM, domain): replaced
  NFVSM_ASSERT_OK(table_.PutBinding(b));
  EXPECT_EQ(table_.BindingsOf("alpha"), std::vector<Binding>{b});
  EXPECT_EQ(table_.BindingsOn("core"), std::vector<Binding>{b});

  NFVSM_ASSERT_OK(table_.RemoveBinding("alpha", "core"));
  EXPECT_FALSE(table_.GetBinding("alpha", "core").has_value());
  EXPECT_TRUE(table_.BindingsOf("alpha").empty());
  EXPECT_TRUE(table_.BindingsOn("core").empty());
  EXPECT_EQ(table_.RemoveBinding("alpha", "core").code(),
            StatusCode::kNotFound);
}

struct BadBindingCase {
  std::string name;
  Binding binding;
  std::string needle;
};

// covers: R2.1.110
TEST_F(BindingTableTest, BindingValidationNamesTheField) {
  auto with = [](auto mutate) {
    Binding b = Bind("alpha", "core", Mode::kFullyActive);
    mutate(b);
    return b;
  };
  const std::vector<BadBindingCase> cases = {
      {"empty sm", with([](Binding& b) { b.sm.clear(); }), "sm"},
      {"empty domain", with([](Binding& b) { b.domain.clear(); }), "domain"},
      {"unknown sm", with([](Binding& b) { b.sm = "ghost"; }), "SM 'ghost'"},
      {"unknown domain", with([](Binding& b) { b.domain = "void"; }),
       "domain 'void'"},
      {"bad mode", with([](Binding& b) { b.mode = static_cast<Mode>(9); }),
       "mode"},
      {"bad fail mode",
       with([](Binding& b) { b.fail_mode = static_cast<FailMode>(9); }),
       "fail_mode"},
      {"zero deadline", with([](Binding& b) { b.gate_deadline = Duration(0); }),
       "gate_deadline"},
      {"negative window",
       with([](Binding& b) { b.semi_active_window = Duration(-1); }),
       "semi_active_window"},
      {"unknown instruction bits", with([](Binding& b) {
         b.allowed_instructions = InstructionKindSet::FromBits(1u << 30);
       }),
       "allowed_instructions"},
      {"unknown event bits", with([](Binding& b) {
         b.hidden_events = EventKindSet::FromBits(1u << 30);
       }),
       "hidden_events"},
  };
  for (const auto& c : cases) {
    SCOPED_TRACE(c.name);
    ExpectError(table_.PutBinding(c.binding), StatusCode::kInvalidArgument,
                c.needle);
  }
  EXPECT_TRUE(table_.BindingsOn("core").empty());
}

// covers: R2.1.110
TEST_F(BindingTableTest, RemovalIsRefusedWhileReferenced) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("alpha", "core")));
  ExpectError(table_.RemoveDomain("core"), StatusCode::kFailedPrecondition,
              "binding of SM 'alpha'");
  ExpectError(table_.RemoveSm("alpha"), StatusCode::kFailedPrecondition,
              "domain 'core'");

  NFVSM_ASSERT_OK(table_.PutSm(Sm("sub", "beta")));
  ExpectError(table_.RemoveSm("beta"), StatusCode::kFailedPrecondition,
              "sub-SM 'sub'");

  SecurityManager homed = Sm("homed");
  homed.home_domain = "sec";
  NFVSM_ASSERT_OK(table_.PutSm(homed));
  ExpectError(table_.RemoveDomain("sec"), StatusCode::kFailedPrecondition,
              "SM 'homed'");
  ExpectError(table_.PutDomain(Domain("sec", DomainKind::kVnf)),
              StatusCode::kFailedPrecondition, "SM 'homed'");

  // Nothing was removed, and once unreferenced everything can go.
  EXPECT_TRUE(table_.GetDomain("core").has_value());
  EXPECT_TRUE(table_.GetSm("alpha").has_value());
  NFVSM_ASSERT_OK(table_.RemoveBinding("alpha", "core"));
  NFVSM_ASSERT_OK(table_.RemoveDomain("core"));
  NFVSM_ASSERT_OK(table_.RemoveSm("alpha"));
  NFVSM_ASSERT_OK(table_.RemoveSm("sub"));
  NFVSM_ASSERT_OK(table_.RemoveSm("beta"));
  NFVSM_ASSERT_OK(table_.RemoveSm("homed"));
  NFVSM_ASSERT_OK(table_.RemoveDomain("sec"));
}

// covers: R2.1.130/140, R2.1.110
TEST_F(BindingTableTest, OneSmHoldsDifferentModesInTwoDomains) {
  Binding in_core = Bind("alpha", "core", Mode::kFullyActive);
  Binding in_tenant = Bind("alpha", "tenant", Mode::kPassive);
  in_tenant.allowed_instructions = {InstructionKind::kStatusQuery};
  NFVSM_ASSERT_OK(table_.PutBinding(in_core));
  NFVSM_ASSERT_OK(table_.PutBinding(in_tenant));
  EXPECT_EQ(table_.GetBinding("alpha", "core")->mode, Mode::kFullyActive);
  EXPECT_EQ(table_.GetBinding("alpha", "tenant")->mode, Mode::kPassive);
  EXPECT_EQ(table_.BindingsOf("alpha"),
            (std::vector<Binding>{in_core, in_tenant}));

  // Managed independently: changing or removing one leaves the other.
  in_core.mode = Mode::kSemiActive;
  NFVSM_ASSERT_OK(table_.PutBinding(in_core));
  EXPECT_EQ(table_.GetBinding("alpha", "tenant"), in_tenant);
  NFVSM_ASSERT_OK(table_.RemoveBinding("alpha", "tenant"));
  EXPECT_EQ(table_.GetBinding("alpha", "core"), in_core);
}

// covers: R2.1.120
TEST_F(BindingTableTest, BindingsOfOneSmNeverShowAnother) {
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("alpha", "core")));
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("beta", "core")));
  NFVSM_ASSERT_OK(table_.PutBinding(Bind("beta", "tenant")));
  for (const auto& b : table_.BindingsOf("alpha")) EXPECT_EQ(b.sm, "alpha");
  EXPECT_EQ(table_.BindingsOf("alpha").size(), 1u);
  for (const auto& b : table_.BindingsOf("beta")) EXPECT_EQ(b.sm, "beta");
  EXPECT_EQ(table_.BindingsOf("beta").size(), 2u);
  EXPECT_TRUE(table_.BindingsOf("nobody").empty());
}

// covers: R1.1.40, R1.1.50
TEST_F(BindingTableTest, TrustIsDirectDirectionalAndNeedsBothDomains) {
  TrustDomain a = Domain("a");
  a.trusts = {"b", "later"};
  TrustDomain b = Domain("b");
  b.trusts = {"c"};
  NFVSM_ASSERT_OK(table_.PutDomain(a));
  NFVSM_ASSERT_OK(table_.PutDomain(b));
  NFVSM_ASSERT_OK(table_.PutDomain(Domain("c")));

  EXPECT_TRUE(table_.Trusts("a", "a"));
  EXPECT_TRUE(table_.Trusts("a", "b"));
  EXPECT_FALSE(table_.Trusts("b", "a")) << "trust is directional";
  EXPECT_FALSE(table_.Trusts("a", "c")) << "trust is not transitive";
  EXPECT_FALSE(table_.Trusts("core", "tenant"));
  // A relationship naming a domain that does not exist yet takes effect
  // when it is created; unknown domains trust nothing.
  EXPECT_FALSE(table_.Trusts("a", "later"));
  NFVSM_ASSERT_OK(table_.PutDomain(Domain("later")));
  EXPECT_TRUE(table_.Trusts("a", "later"));
  EXPECT_FALSE(table_.Trusts("ghost", "ghost"));
  EXPECT_FALSE(table_.Trusts("ghost", "a"));
}

}  // namespace
}  // namespace nfvsm
