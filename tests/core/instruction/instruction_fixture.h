// A small cloud for instruction tests: trust domains, a hierarchy of SMs in
// every mode, VNFs on shared hosts, a recording actuator and a fake
// lifecycle history.
//
//   csp-master            Fully-Active on d-mgmt
//     sm-a (sub)          Fully-Active d-core, Semi-Active d-edge,
//                         Passive d-ran (hides nothing) ; hides crash
//                         events in d-core
//       sm-sub (sub)      Fully-Active d-sub
//   sm-b                  Fully-Active d-other
//   sm-p                  Passive d-core
//   sm-limited            Fully-Active d-lim, may not send terminate
//
//   host h1: v-core-1 (d-core), v-other-1 (d-other), v-ran-1 (d-ran),
//            v-sub-1 (d-sub)
//   host h2: v-core-2 (d-core), v-core-dead (d-core, terminated)
//   host h3: v-edge-1 (d-edge)
//   host h4: v-mgmt-1 (d-mgmt);  host h5: v-lim-1 (d-lim)
#ifndef NFVSM_TESTS_CORE_INSTRUCTION_INSTRUCTION_FIXTURE_H_
#define NFVSM_TESTS_CORE_INSTRUCTION_INSTRUCTION_FIXTURE_H_

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "nfvsm/instruction.h"

namespace nfvsm::instruction_test {

inline const TimePoint kT0 = FromMicros(1'700'000'000'000'000);

class InstructionTest : public ::testing::Test {
 protected:
  InstructionTest()
      : clock_(kT0),
        processor_(
            bindings_, inventory_, quarantine_, actuator_,
            [this](
                const EventQuery& q) -> StatusOr<std::vector<LifecycleEvent>> {
              queries_.push_back(q);
              if (!history_error_.ok()) return history_error_;
              return history_;
            },
            clock_) {}

  void SetUp() override {
    for (const char* d :
         {"d-mgmt", "d-core", "d-edge", "d-ran", "d-sub", "d-other", "d-lim"}) {
      TrustDomain domain;
      domain.id = d;
      ASSERT_TRUE(bindings_.PutDomain(domain).ok());
    }
    Sm("csp-master", std::nullopt);
    Sm("sm-a", "csp-master");
    Sm("sm-sub", "sm-a");
    Sm("sm-b", std::nullopt);
    Sm("sm-p", std::nullopt);
    Sm("sm-limited", std::nullopt);
    Bind("csp-master", "d-mgmt", Mode::kFullyActive);
    Bind("sm-a", "d-core", Mode::kFullyActive, EventKindSet{EventKind::kCrash});
    Bind("sm-a", "d-edge", Mode::kSemiActive);
    Bind("sm-a", "d-ran", Mode::kPassive);
    Bind("sm-sub", "d-sub", Mode::kFullyActive);
    Bind("sm-b", "d-other", Mode::kFullyActive);
    Bind("sm-p", "d-core", Mode::kPassive);
    InstructionKindSet limited = AllInstructionKinds();
    limited.Remove(InstructionKind::kTerminate);
    Bind("sm-limited", "d-lim", Mode::kFullyActive, {}, limited);

    Vnf("v-core-1", "d-core", "h1", "ns-1", "oss-core-1");
    Vnf("v-core-2", "d-core", "h2", "ns-1", "oss-core-2");
    Vnf("v-core-dead", "d-core", "h2", "ns-1", "oss-dead",
        VnfState::kTerminated);
    Vnf("v-edge-1", "d-edge", "h3", "ns-2", "oss-edge-1");
    Vnf("v-ran-1", "d-ran", "h1", "ns-4", "oss-ran-1");
    Vnf("v-other-1", "d-other", "h1", "ns-3", "oss-other-1");
    Vnf("v-sub-1", "d-sub", "h1", "ns-3", "oss-sub-1");
    Vnf("v-mgmt-1", "d-mgmt", "h4", "ns-5", "oss-mgmt-1");
    Vnf("v-lim-1", "d-lim", "h5", "ns-6", "oss-lim-1");
  }

  void Sm(const SmId& id, std::optional<SmId> master) {
    SecurityManager sm;
    sm.id = id;
    sm.master = std::move(master);
    ASSERT_TRUE(bindings_.PutSm(sm).ok()) << id;
  }

  void Bind(const SmId& sm, const DomainId& d, Mode mode,
            EventKindSet hidden = {},
            InstructionKindSet allowed = AllInstructionKinds()) {
    Binding b;
    b.sm = sm;
    b.domain = d;
    b.mode = mode;
    b.hidden_events = hidden;
    b.allowed_instructions = allowed;
    ASSERT_TRUE(bindings_.PutBinding(b).ok()) << sm << " " << d;
  }

  // Image, VNFD and package ids derive from the VNF id ("img-v-core-1").
  void Vnf(const VnfId& id, const DomainId& d, const std::string& host,
           const std::string& ns, const std::string& requestor,
           VnfState state = VnfState::kActive) {
    VnfRecord v;
    v.id = id;
    v.domain = d;
    v.host = host;
    v.ns_id = ns;
    v.requestor_id = requestor;
    v.image_id = "img-" + id;
    v.vnfd_id = "vnfd-" + id;
    v.package_id = "pkg-" + id;
    v.state = state;
    ASSERT_TRUE(inventory_.Upsert(v).ok()) << id;
  }

  static Instruction Make(const SmId& sm, InstructionKind kind,
                          std::vector<VnfId> vnfs = {}) {
    Instruction in;
    in.id = "ins-1";
    in.sm = sm;
    in.kind = kind;
    in.reason = "compromised";
    in.vnf_ids = std::move(vnfs);
    return in;
  }

  static Instruction Terminate(const SmId& sm, std::vector<VnfId> vnfs,
                               TerminateFlags flags = {}) {
    Instruction in = Make(sm, InstructionKind::kTerminate, std::move(vnfs));
    in.terminate = flags;
    return in;
  }

  // Plans and executes; fails the test if planning is refused.
  InstructionOutcome Run(const Instruction& in) {
    auto plan = processor_.Plan(in);
    EXPECT_TRUE(plan.ok()) << plan.status().ToString();
    if (!plan.ok()) return {};
    return processor_.Execute(*plan);
  }

  // "Method target" for every recorded actuator call.
  std::vector<std::string> CallNames() const {
    std::vector<std::string> out;
    for (const auto& c : actuator_.calls()) {
      out.push_back(c.method + " " + c.target);
    }
    return out;
  }

  std::vector<std::string> QuarantineKeys() const {
    std::vector<std::string> out;
    for (const auto& e : quarantine_.List()) {
      out.push_back(std::string(ToString(e.target)) + " " + e.target_id);
    }
    return out;
  }

  VnfState StateOf(const VnfId& id) const {
    auto v = inventory_.Get(id);
    return v ? v->state : VnfState::kFailed;
  }

  ManualClock clock_;
  BindingTable bindings_;
  VnfInventory inventory_;
  QuarantineRegistry quarantine_;
  RecordingActuator actuator_;
  std::vector<LifecycleEvent> history_;
  Status history_error_;
  std::vector<EventQuery> queries_;
  InstructionProcessor processor_;
};

}  // namespace nfvsm::instruction_test

#endif  // NFVSM_TESTS_CORE_INSTRUCTION_INSTRUCTION_FIXTURE_H_
