// Domains, SMs, bindings, VNFs, quarantine and policies: round trips, put
// replaces, delete, and bad input.
#include <gtest/gtest.h>

#include <ostream>

#include "core/store/store_test_util.h"
#include "nfvsm/store.h"

namespace nfvsm {
namespace {

using ::nfvsm::testing::AwkwardBytes;
using ::nfvsm::testing::MustOpen;
using ::nfvsm::testing::SampleBinding;
using ::nfvsm::testing::SampleDomain;
using ::nfvsm::testing::SampleQuarantine;
using ::nfvsm::testing::SampleSm;
using ::nfvsm::testing::SampleVnf;

class StoreModelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    store_ = MustOpen(":memory:");
    ASSERT_NE(store_, nullptr);
  }
  std::unique_ptr<Store> store_;
};

// covers: R1.1.10, R1.1.40, R2.1.100
TEST_F(StoreModelTest, DomainRoundTripsFieldForField) {
  TrustDomain a = SampleDomain("dom-a");
  TrustDomain b = SampleDomain("dom-b");
  b.kind = DomainKind::kMano;
  b.sensitive = false;
  b.trusts.clear();
  b.description = AwkwardBytes();
  ASSERT_TRUE(store_->PutDomain(b).ok());
  ASSERT_TRUE(store_->PutDomain(a).ok());

  auto loaded = store_->LoadDomains();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0], a);
  EXPECT_EQ((*loaded)[1], b);
}

// covers: R1.1.40
TEST_F(StoreModelTest, PutDomainReplacesFieldsAndTrusts) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-a")).ok());
  TrustDomain changed = SampleDomain("dom-a");
  changed.kind = DomainKind::kVnf;
  changed.trusts = {"dom-z"};
  changed.description = "changed";
  ASSERT_TRUE(store_->PutDomain(changed).ok());

  auto loaded = store_->LoadDomains();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), changed);
}

// covers: R1.1.10
TEST_F(StoreModelTest, DeleteDomainRemovesItAndItsTrusts) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-a")).ok());
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-b")).ok());
  ASSERT_TRUE(store_->DeleteDomain("dom-a").ok());
  // Deleting what is not there is not an error: the registry above decides
  // existence; the store only has to end up without it.
  ASSERT_TRUE(store_->DeleteDomain("dom-a").ok());

  auto loaded = store_->LoadDomains();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front().id, "dom-b");
  // Re-creating it must not resurrect the old trusts.
  TrustDomain bare;
  bare.id = "dom-a";
  ASSERT_TRUE(store_->PutDomain(bare).ok());
  loaded = store_->LoadDomains();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->front(), bare);
}

// covers: R2.1.50, R2.1.120
TEST_F(StoreModelTest, SmRoundTripsWithAndWithoutMaster) {
  SecurityManager master = SampleSm("sm-master");
  SecurityManager sub = SampleSm("sm-sub");
  sub.master = "sm-master";
  SecurityManager empty_master = SampleSm("sm-x");
  ASSERT_TRUE(store_->PutSm(master).ok());
  ASSERT_TRUE(store_->PutSm(sub).ok());
  ASSERT_TRUE(store_->PutSm(empty_master).ok());

  auto loaded = store_->LoadSms();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 3u);
  EXPECT_EQ((*loaded)[0], master);
  EXPECT_EQ((*loaded)[1], sub);
  EXPECT_EQ((*loaded)[2], empty_master);
  EXPECT_FALSE((*loaded)[2].master.has_value());
}

// covers: R2.1.50
TEST_F(StoreModelTest, PutSmReplacesAndDeleteRemoves) {
  ASSERT_TRUE(store_->PutSm(SampleSm("sm-1")).ok());
  SecurityManager changed = SampleSm("sm-1");
  changed.public_key_pem = "rotated";
  changed.description = AwkwardBytes();
  ASSERT_TRUE(store_->PutSm(changed).ok());
  auto loaded = store_->LoadSms();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), changed);

  ASSERT_TRUE(store_->DeleteSm("sm-1").ok());
  loaded = store_->LoadSms();
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->empty());
}

// covers: R2.1.50
TEST_F(StoreModelTest, SmWithUnknownMasterOrStillMasteringIsRefused) {
  SecurityManager orphan = SampleSm("sm-sub");
  orphan.master = "nobody";
  EXPECT_EQ(store_->PutSm(orphan).code(), StatusCode::kFailedPrecondition);

  ASSERT_TRUE(store_->PutSm(SampleSm("sm-master")).ok());
  orphan.master = "sm-master";
  ASSERT_TRUE(store_->PutSm(orphan).ok());
  EXPECT_EQ(store_->DeleteSm("sm-master").code(),
            StatusCode::kFailedPrecondition);
}

// covers: R2.1.110, R2.1.130, R2.1.140, R2.1.200, R1.3.30
TEST_F(StoreModelTest, BindingRoundTripsFieldForField) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-1")).ok());
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-2")).ok());
  ASSERT_TRUE(store_->PutSm(SampleSm("sm-1")).ok());
  Binding full = SampleBinding("sm-1", "dom-1");
  Binding defaults;
  defaults.sm = "sm-1";
  defaults.domain = "dom-2";
  ASSERT_TRUE(store_->PutBinding(full).ok());
  ASSERT_TRUE(store_->PutBinding(defaults).ok());

  auto loaded = store_->LoadBindings();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0], full);
  EXPECT_EQ((*loaded)[1], defaults);
}

// covers: R2.1.130, R2.1.140
TEST_F(StoreModelTest, PutBindingReplacesModeAndDeleteRemoves) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-1")).ok());
  ASSERT_TRUE(store_->PutSm(SampleSm("sm-1")).ok());
  ASSERT_TRUE(store_->PutBinding(SampleBinding("sm-1", "dom-1")).ok());
  Binding changed = SampleBinding("sm-1", "dom-1");
  changed.mode = Mode::kSemiActive;
  changed.allowed_instructions = {};
  changed.hidden_events = {EventKind::kCreate};
  changed.semi_active_window = std::chrono::seconds(3);
  changed.fail_mode = FailMode::kClosed;
  ASSERT_TRUE(store_->PutBinding(changed).ok());
  auto loaded = store_->LoadBindings();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), changed);

  ASSERT_TRUE(store_->DeleteBinding("sm-1", "dom-1").ok());
  loaded = store_->LoadBindings();
  ASSERT_TRUE(loaded.ok());
  EXPECT_TRUE(loaded->empty());
}

// covers: R2.1.110
TEST_F(StoreModelTest, BindingMustNameStoredSmAndDomain) {
  ASSERT_TRUE(store_->PutDomain(SampleDomain("dom-1")).ok());
  ASSERT_TRUE(store_->PutSm(SampleSm("sm-1")).ok());
  EXPECT_EQ(store_->PutBinding(SampleBinding("sm-1", "nowhere")).code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->PutBinding(SampleBinding("ghost", "dom-1")).code(),
            StatusCode::kFailedPrecondition);

  // A bound domain or SM cannot be deleted out from under its binding.
  ASSERT_TRUE(store_->PutBinding(SampleBinding("sm-1", "dom-1")).ok());
  EXPECT_EQ(store_->DeleteDomain("dom-1").code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(store_->DeleteSm("sm-1").code(), StatusCode::kFailedPrecondition);
  auto bindings = store_->LoadBindings();
  ASSERT_TRUE(bindings.ok());
  EXPECT_EQ(bindings->size(), 1u);
}

// covers: R2.1.210, R2.1.300
TEST_F(StoreModelTest, VnfRoundTripsKeepingRequestorMapping) {
  VnfRecord a = SampleVnf("vnf-a", "dom-1");
  VnfRecord b;  // defaults: pending, empty strings, epoch times
  b.id = "vnf-b";
  ASSERT_TRUE(store_->PutVnf(a).ok());
  ASSERT_TRUE(store_->PutVnf(b).ok());

  auto loaded = store_->LoadVnfs();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);
  EXPECT_EQ((*loaded)[0], a);
  EXPECT_EQ((*loaded)[0].requestor_id, "oss-vnf-a");
  EXPECT_EQ((*loaded)[1], b);
}

// covers: R2.1.300
TEST_F(StoreModelTest, PutVnfReplaces) {
  ASSERT_TRUE(store_->PutVnf(SampleVnf("vnf-a", "dom-1")).ok());
  VnfRecord moved = SampleVnf("vnf-a", "dom-1");
  moved.host = "compute-9";
  moved.state = VnfState::kTerminated;
  moved.needs_security_policy = false;
  moved.requestor_id = "oss-renamed";
  moved.updated_at = testing::At(99);
  ASSERT_TRUE(store_->PutVnf(moved).ok());
  auto loaded = store_->LoadVnfs();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), moved);
}

// covers: IFA026 4, R2.1.270, R2.1.320/330
TEST_F(StoreModelTest, QuarantineRoundTripsReplacesAndDeletes) {
  QuarantineEntry vnf = SampleQuarantine(QuarantineTarget::kVnfInstance, "x");
  QuarantineEntry host = SampleQuarantine(QuarantineTarget::kHost, "x");
  host.terminated = false;
  host.copy_kept = false;
  ASSERT_TRUE(store_->PutQuarantine(vnf).ok());
  ASSERT_TRUE(store_->PutQuarantine(host).ok());
  auto loaded = store_->LoadQuarantine();
  ASSERT_TRUE(loaded.ok()) << loaded.status().ToString();
  ASSERT_EQ(loaded->size(), 2u);  // same id, different targets: two entries
  EXPECT_EQ((*loaded)[0], host);  // ordered by target name
  EXPECT_EQ((*loaded)[1], vnf);

  vnf.reason = "re-quarantined";
  vnf.erase_requested = false;
  ASSERT_TRUE(store_->PutQuarantine(vnf).ok());
  ASSERT_TRUE(store_->DeleteQuarantine(QuarantineTarget::kHost, "x").ok());
  loaded = store_->LoadQuarantine();
  ASSERT_TRUE(loaded.ok());
  ASSERT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->front(), vnf);
}

// covers: R2.1.310, SEC024 6.2.1
TEST_F(StoreModelTest, PoliciesRoundTripReplaceAndDelete) {
  ASSERT_TRUE(store_->PutPolicy("vnf:a", R"({"v":1})").ok());
  ASSERT_TRUE(store_->PutPolicy("domain:d", R"({"v":2})").ok());
  ASSERT_TRUE(store_->PutPolicy("vnf:a", R"({"v":3})").ok());
  auto loaded = store_->LoadPolicies();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(*loaded, (std::map<std::string, std::string>{
                         {"domain:d", R"({"v":2})"}, {"vnf:a", R"({"v":3})"}}));
  ASSERT_TRUE(store_->DeletePolicy("vnf:a").ok());
  loaded = store_->LoadPolicies();
  ASSERT_TRUE(loaded.ok());
  EXPECT_EQ(loaded->size(), 1u);
  EXPECT_EQ(loaded->count("domain:d"), 1u);
}

// Bad input is refused with kInvalidArgument and writes nothing.
struct BadInputCase {
  const char* name;
  std::function<Status(Store&)> call;
};

void PrintTo(const BadInputCase& c, std::ostream* os) { *os << c.name; }

class StoreBadInputTest : public ::testing::TestWithParam<BadInputCase> {};

// covers: R2.1.110, R2.1.210, IFA026 4
TEST_P(StoreBadInputTest, IsInvalidArgumentAndWritesNothing) {
  auto store = MustOpen(":memory:");
  ASSERT_NE(store, nullptr);
  Status s = GetParam().call(*store);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument) << s.ToString();
  EXPECT_TRUE(store->LoadDomains()->empty());
  EXPECT_TRUE(store->LoadSms()->empty());
  EXPECT_TRUE(store->LoadVnfs()->empty());
  EXPECT_TRUE(store->LoadQuarantine()->empty());
  EXPECT_TRUE(store->LoadPolicies()->empty());
}

INSTANTIATE_TEST_SUITE_P(
    Cases, StoreBadInputTest,
    ::testing::Values(
        BadInputCase{"EmptyDomainId",
                     [](Store& s) { return s.PutDomain(TrustDomain{}); }},
        BadInputCase{"UndefinedDomainKind",
                     [](Store& s) {
                       TrustDomain d = SampleDomain("d");
                       d.kind = static_cast<DomainKind>(42);
                       return s.PutDomain(d);
                     }},
        BadInputCase{"EmptySmId",
                     [](Store& s) { return s.PutSm(SecurityManager{}); }},
        BadInputCase{
            "EmptyBindingSm",
            [](Store& s) { return s.PutBinding(SampleBinding("", "d")); }},
        BadInputCase{"UndefinedMode",
                     [](Store& s) {
                       Binding b = SampleBinding("sm", "d");
                       b.mode = static_cast<Mode>(9);
                       return s.PutBinding(b);
                     }},
        BadInputCase{"UndefinedInstructionBits",
                     [](Store& s) {
                       Binding b = SampleBinding("sm", "d");
                       b.allowed_instructions =
                           InstructionKindSet::FromBits(1u << 30);
                       return s.PutBinding(b);
                     }},
        BadInputCase{"EmptyVnfId",
                     [](Store& s) { return s.PutVnf(VnfRecord{}); }},
        BadInputCase{"UndefinedVnfState",
                     [](Store& s) {
                       VnfRecord v = SampleVnf("v", "d");
                       v.state = static_cast<VnfState>(200);
                       return s.PutVnf(v);
                     }},
        BadInputCase{"EmptyQuarantineTargetId",
                     [](Store& s) {
                       return s.PutQuarantine(
                           SampleQuarantine(QuarantineTarget::kHost, ""));
                     }},
        BadInputCase{"UndefinedQuarantineTarget",
                     [](Store& s) {
                       return s.PutQuarantine(SampleQuarantine(
                           static_cast<QuarantineTarget>(17), "x"));
                     }},
        BadInputCase{"EmptyPolicyScope",
                     [](Store& s) { return s.PutPolicy("", "{}"); }}),
    [](const ::testing::TestParamInfo<BadInputCase>& info) {
      return std::string(info.param.name);
    });

}  // namespace
}  // namespace nfvsm
