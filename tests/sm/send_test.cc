// `nfvsm-sm send` as a real process: the Instruction it publishes is
// signed so that core opens it and DecodeInstruction accepts it; it waits
// for the result with the same instruction id and maps it to its exit code.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>

#include "nfvsm/v1/instructions.pb.h"
#include "nfvsm/v1/queries.pb.h"
#include "tests/sm/sm_bus_fixture.h"

namespace nfvsm::refsm::testing {
namespace {

using std::chrono::seconds;

class RefSmSendTest : public SmChannelTest {
 protected:
  std::unique_ptr<ChildProcess> Send(std::vector<std::string> instruction,
                                     const std::string& timeout_s = "30") {
    std::vector<std::string> args = SmArgs("send");
    args.push_back("--timeout");
    args.push_back(timeout_s);
    args.push_back("--state-dir");
    args.push_back(dir_);
    for (std::string& a : instruction) args.push_back(std::move(a));
    return ChildProcess::Start(args, dir_);
  }

  // The instruction the SM published, decoded by core.
  std::optional<Instruction> ReceiveInstruction(std::string* correlation) {
    std::optional<wire::Envelope> e = NextFromSm(seconds(30));
    if (!e) return std::nullopt;
    EXPECT_EQ(e->message_type, "nfvsm.v1.Instruction");
    auto decoded = wire::DecodeInstruction(e->payload, kSmId);
    EXPECT_TRUE(decoded.ok()) << decoded.status().ToString();
    if (!decoded.ok()) return std::nullopt;
    EXPECT_EQ(e->correlation_id, decoded->id);
    EXPECT_EQ(decoded->sm, kSmId);
    *correlation = e->correlation_id;
    return *decoded;
  }

  void Reply(const std::string& id, const std::string& status_code,
             const std::string& message = "") {
    v1::InstructionResult r;
    r.set_instruction_id(id);
    r.set_status_code(status_code);
    r.set_status_message(message);
    if (status_code == "ok") r.add_done("step 1");
    PublishToSm("nfvsm.v1.InstructionResult", r.SerializeAsString(), id);
  }
};

// covers: R2.1.270, R2.1.280/290, R2.1.60, R2.1.70
TEST_F(RefSmSendTest, TerminateIsASignedInstructionCoreAccepts) {
  auto send = Send({"terminate", "--vnf", "vnf-1,vnf-2", "--flags",
                    "quarantine-copy,quarantine-host,erase-storage"});
  std::string id;
  std::optional<Instruction> got = ReceiveInstruction(&id);
  ASSERT_TRUE(got.has_value()) << send->Stderr();
  EXPECT_EQ(got->kind, InstructionKind::kTerminate);
  EXPECT_EQ(got->vnf_ids, (std::vector<VnfId>{"vnf-1", "vnf-2"}));
  EXPECT_TRUE(got->terminate.quarantine_copy);
  EXPECT_TRUE(got->terminate.quarantine_host);
  EXPECT_TRUE(got->terminate.erase_storage);
  EXPECT_FALSE(got->terminate.replacement_allowed);
  EXPECT_FALSE(got->terminate.terminate_colocated);

  Reply(id, "ok");
  ASSERT_EQ(send->Wait(seconds(30)), 0) << send->Stderr();
  const nlohmann::json out =
      nlohmann::json::parse(send->Stdout(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << send->Stdout();
  EXPECT_EQ(out["instruction_id"], id);
  EXPECT_EQ(out["instruction_result"]["status_code"], "ok");
  EXPECT_EQ(out["instruction_result"]["done"][0], "step 1");
}

// covers: R2.1.320/330, R2.1.20
TEST_F(RefSmSendTest, RefusalExitsOneWithTheReason) {
  auto send = Send({"stop-host", "--host", "compute-7", "--action", "terminate",
                    "--quarantine"});
  std::string id;
  std::optional<Instruction> got = ReceiveInstruction(&id);
  ASSERT_TRUE(got.has_value()) << send->Stderr();
  EXPECT_EQ(got->kind, InstructionKind::kStopUsingHost);
  EXPECT_EQ(got->host, "compute-7");
  EXPECT_EQ(got->host_action, HostAction::kTerminate);
  EXPECT_TRUE(got->quarantine_host);
  // A result for another instruction first: not ours, ignored.
  Reply("someone-else", "ok");
  Reply(id, "permission_denied", "Passive SMs may only query");
  ASSERT_EQ(send->Wait(seconds(30)), 1) << send->Stderr();
  EXPECT_NE(send->Stderr().find("permission_denied"), std::string::npos);
  EXPECT_NE(send->Stderr().find("Passive SMs may only query"),
            std::string::npos);
}

// covers: R2.1.350
TEST_F(RefSmSendTest, StatusPrintsTheStatusResult) {
  auto send = Send({"status", "--vnf", "vnf-1"});
  std::string id;
  std::optional<Instruction> got = ReceiveInstruction(&id);
  ASSERT_TRUE(got.has_value()) << send->Stderr();
  EXPECT_EQ(got->kind, InstructionKind::kStatusQuery);
  EXPECT_EQ(got->vnf_ids, (std::vector<VnfId>{"vnf-1"}));

  v1::StatusResult status;
  status.set_instruction_id(id);
  v1::VnfRecord* vnf = status.add_vnfs();
  vnf->set_vnf_id("vnf-1");
  vnf->set_domain("blue");
  vnf->set_state(v1::VNF_STATE_ACTIVE);
  PublishToSm("nfvsm.v1.StatusResult", status.SerializeAsString(), id);
  Reply(id, "ok");
  ASSERT_EQ(send->Wait(seconds(30)), 0) << send->Stderr();
  const nlohmann::json out =
      nlohmann::json::parse(send->Stdout(), nullptr, false);
  ASSERT_FALSE(out.is_discarded()) << send->Stdout();
  EXPECT_EQ(out["status_result"]["vnfs"][0]["vnf_id"], "vnf-1");
  EXPECT_EQ(out["status_result"]["vnfs"][0]["state"], "VNF_STATE_ACTIVE");
  EXPECT_EQ(out["instruction_result"]["status_code"], "ok");
}

// covers: R2.1.360, R2.1.310
TEST_F(RefSmSendTest, HistoryAndApplyPolicyAreWellFormedInstructions) {
  auto history = Send(
      {"history", "--vnf", "vnf-1", "--from-us", "1000", "--to-us", "2000"});
  std::string id;
  std::optional<Instruction> got = ReceiveInstruction(&id);
  ASSERT_TRUE(got.has_value()) << history->Stderr();
  EXPECT_EQ(got->kind, InstructionKind::kHistoryQuery);
  EXPECT_EQ(ToMicros(got->from), 1000);
  EXPECT_EQ(ToMicros(got->to), 2000);
  v1::HistoryResult result;
  result.set_instruction_id(id);
  PublishToSm("nfvsm.v1.HistoryResult", result.SerializeAsString(), id);
  Reply(id, "ok");
  ASSERT_EQ(history->Wait(seconds(30)), 0) << history->Stderr();

  const std::string policy_file = dir_ + "/policy.json";
  std::ofstream(policy_file)
      << R"({"version": 1, "placement": {"denied_hosts": ["h13"]}})";
  auto apply =
      Send({"apply-policy", "--domain", "blue", "--policy-file", policy_file});
  got = ReceiveInstruction(&id);
  ASSERT_TRUE(got.has_value()) << apply->Stderr();
  EXPECT_EQ(got->kind, InstructionKind::kApplyPolicy);
  EXPECT_EQ(got->domain, "blue");
  Reply(id, "ok");
  EXPECT_EQ(apply->Wait(seconds(30)), 0) << apply->Stderr();
}

// covers: R1.3.30
TEST_F(RefSmSendTest, NoAnswerExitsThreeAndBadArgumentsTwo) {
  auto send = Send({"status"}, "1");
  std::string id;
  ASSERT_TRUE(ReceiveInstruction(&id).has_value()) << send->Stderr();
  EXPECT_EQ(send->Wait(seconds(30)), 3) << send->Stderr();

  auto bad = Send({"terminate", "--vnf", "v", "--flags", "notify-oss"});
  EXPECT_EQ(bad->Wait(seconds(30)), 2);
  EXPECT_NE(bad->Stderr().find("notify-oss"), std::string::npos);
}

}  // namespace
}  // namespace nfvsm::refsm::testing
