// Instructions (SM -> MANO) and instruction results (MANO -> SM).
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "core/wire/samples.h"
#include "nfvsm/v1/instructions.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

using samples::SamplePolicy;

Instruction Base(InstructionKind kind) {
  Instruction in;
  in.id = "ins-1";
  in.sm = "not-on-the-wire";
  in.kind = kind;
  in.reason = "compromise detected";
  return in;
}

StatusOr<Instruction> RoundTrip(const Instruction& in) {
  auto bytes = EncodeInstruction(in);
  if (!bytes.ok()) return bytes.status();
  return DecodeInstruction(*bytes, "sm-a");
}

void ExpectCommon(const Instruction& got, const Instruction& want) {
  EXPECT_EQ(got.id, want.id);
  EXPECT_EQ(got.sm, "sm-a");
  EXPECT_EQ(got.kind, want.kind);
  EXPECT_EQ(got.reason, want.reason);
}

// covers: R2.1.260, R2.1.270, R2.1.280/290
TEST(InstructionCodecTest, TerminateWithEveryFlag) {
  Instruction in = Base(InstructionKind::kTerminate);
  in.vnf_ids = {"vnf-1", "vnf-2", "vnf-3"};
  in.terminate = {true, true, true, true, true, true, true};
  auto back = RoundTrip(in);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectCommon(*back, in);
  EXPECT_EQ(back->vnf_ids, in.vnf_ids);
  EXPECT_EQ(back->terminate, in.terminate);

  // Each flag travels on its own.
  for (int bit = 0; bit < 7; ++bit) {
    TerminateFlags f;
    bool* flags[] = {&f.replacement_allowed, &f.quarantine_copy,
                     &f.recovery_allowed,    &f.quarantine_image_and_vnfd,
                     &f.quarantine_host,     &f.terminate_colocated,
                     &f.erase_storage};
    *flags[bit] = true;
    in.terminate = f;
    auto one = RoundTrip(in);
    ASSERT_TRUE(one.ok());
    EXPECT_EQ(one->terminate, f) << "flag " << bit;
  }
}

// covers: R2.1.320, R2.1.330
TEST(InstructionCodecTest, StopUsingHost) {
  for (HostAction action : {HostAction::kMigrate, HostAction::kTerminate}) {
    for (bool quarantine : {false, true}) {
      Instruction in = Base(InstructionKind::kStopUsingHost);
      in.host = "compute-3";
      in.host_action = action;
      in.quarantine_host = quarantine;
      auto back = RoundTrip(in);
      ASSERT_TRUE(back.ok()) << back.status().ToString();
      ExpectCommon(*back, in);
      EXPECT_EQ(back->host, "compute-3");
      EXPECT_EQ(back->host_action, action);
      EXPECT_EQ(back->quarantine_host, quarantine);
    }
  }
}

// covers: R2.1.310, SEC024 6.2.2
TEST(InstructionCodecTest, ApplyPolicyToVnfsOrDomain) {
  Instruction in = Base(InstructionKind::kApplyPolicy);
  in.vnf_ids = {"vnf-1"};
  in.policy = SamplePolicy();
  auto back = RoundTrip(in);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectCommon(*back, in);
  EXPECT_EQ(back->vnf_ids, in.vnf_ids);
  EXPECT_EQ(back->policy, SamplePolicy());

  in.vnf_ids.clear();
  in.domain = "tenant-a";
  back = RoundTrip(in);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->domain, "tenant-a");
  EXPECT_TRUE(back->vnf_ids.empty());
}

// covers: R2.1.340
TEST(InstructionCodecTest, InsertAndRemoveSecurityFunction) {
  for (InstructionKind kind : {InstructionKind::kInsertSecurityFunction,
                               InstructionKind::kRemoveSecurityFunction}) {
    Instruction in = Base(kind);
    in.ns_id = "ns-7";
    in.function = {"vnfd-ids", "vnf-lb", "vnf-web"};
    auto back = RoundTrip(in);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    ExpectCommon(*back, in);
    EXPECT_EQ(back->ns_id, "ns-7");
    EXPECT_EQ(back->function, in.function);
  }
}

// covers: R2.1.350, R2.1.360
TEST(InstructionCodecTest, StatusAndHistoryQueries) {
  Instruction status = Base(InstructionKind::kStatusQuery);
  status.domain = "tenant-a";
  status.vnf_ids = {"vnf-1"};
  auto back = RoundTrip(status);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectCommon(*back, status);
  EXPECT_EQ(back->domain, "tenant-a");
  EXPECT_EQ(back->vnf_ids, status.vnf_ids);

  Instruction history = Base(InstructionKind::kHistoryQuery);
  history.from = FromMicros(1'000);
  history.to = FromMicros(2'000);
  back = RoundTrip(history);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  ExpectCommon(*back, history);
  EXPECT_EQ(back->from, history.from);
  EXPECT_EQ(back->to, history.to);
}

// covers: R2.1.270, IFA026 4
TEST(InstructionCodecTest, ReleaseQuarantine) {
  for (QuarantineTarget target :
       {QuarantineTarget::kVnfInstance, QuarantineTarget::kImage,
        QuarantineTarget::kVnfd, QuarantineTarget::kPackage,
        QuarantineTarget::kHost}) {
    Instruction in = Base(InstructionKind::kReleaseQuarantine);
    in.release_target = target;
    in.release_id = "x-1";
    auto back = RoundTrip(in);
    ASSERT_TRUE(back.ok()) << back.status().ToString();
    EXPECT_EQ(back->release_target, target);
    EXPECT_EQ(back->release_id, "x-1");
  }
}

struct BadInstruction {
  std::string name;
  std::function<void(v1::Instruction&)> build;
  std::string message;
};

class InstructionDecodeRejectTest
    : public ::testing::TestWithParam<BadInstruction> {};

// covers: R2.1.280/290, R2.1.310, SEC024 6.2.1
TEST_P(InstructionDecodeRejectTest, NamesTheMissingOrBadField) {
  v1::Instruction proto;
  proto.set_instruction_id("ins-1");
  GetParam().build(proto);
  auto back = DecodeInstruction(proto.SerializeAsString(), "sm-a");
  ASSERT_FALSE(back.ok());
  EXPECT_EQ(back.status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(back.status().message(), GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Table, InstructionDecodeRejectTest,
    ::testing::Values(
        BadInstruction{"NoKind", [](v1::Instruction&) {},
                       "kind: no instruction is set (expected one of "
                       "terminate, stop_using_host, apply_policy, "
                       "insert_security_function, remove_security_function, "
                       "status_query, history_query, release_quarantine)"},
        BadInstruction{"NoId",
                       [](v1::Instruction& p) {
                         p.clear_instruction_id();
                         p.mutable_status_query();
                       },
                       "instruction_id: required"},
        BadInstruction{"LongReason",
                       [](v1::Instruction& p) {
                         p.set_reason(std::string(4097, 'r'));
                         p.mutable_status_query();
                       },
                       "reason: 4097 bytes, at most 4096"},
        BadInstruction{"TerminateNoTargets",
                       [](v1::Instruction& p) { p.mutable_terminate(); },
                       "terminate.vnf_ids: at least one VNF id is required "
                       "(R2.1.280/290)"},
        BadInstruction{"TerminateEmptyTarget",
                       [](v1::Instruction& p) {
                         p.mutable_terminate()->add_vnf_ids("vnf-1");
                         p.mutable_terminate()->add_vnf_ids("");
                       },
                       "terminate.vnf_ids[1]: required"},
        BadInstruction{"TerminateTooManyTargets",
                       [](v1::Instruction& p) {
                         for (int i = 0; i < 1025; ++i) {
                           p.mutable_terminate()->add_vnf_ids("v");
                         }
                       },
                       "terminate.vnf_ids: 1025 entries, at most 1024"},
        BadInstruction{"HostMissing",
                       [](v1::Instruction& p) {
                         p.mutable_stop_using_host()->set_action(
                             v1::HOST_ACTION_MIGRATE);
                       },
                       "stop_using_host.host: required"},
        BadInstruction{"HostActionUnspecified",
                       [](v1::Instruction& p) {
                         p.mutable_stop_using_host()->set_host("h");
                       },
                       "stop_using_host.action: unspecified"},
        BadInstruction{"ApplyPolicyWithoutPolicy",
                       [](v1::Instruction& p) {
                         p.mutable_apply_policy()->set_domain("d");
                       },
                       "apply_policy.policy: required"},
        BadInstruction{
            "ApplyPolicyWithoutScope",
            [](v1::Instruction& p) {
              p.mutable_apply_policy()->mutable_policy()->set_version(1);
            },
            "apply_policy: vnf_ids or domain is required"},
        BadInstruction{"ApplyPolicyInvalid",
                       [](v1::Instruction& p) {
                         auto* m = p.mutable_apply_policy();
                         m->set_domain("d");
                         m->mutable_policy()->set_version(1);
                         m->mutable_policy()
                             ->mutable_network()
                             ->add_security_group_rules();
                       },
                       "apply_policy.policy.network.security_group_rules[0]."
                       "direction: unspecified"},
        BadInstruction{"InsertWithoutFunction",
                       [](v1::Instruction& p) {
                         p.mutable_insert_security_function()->set_ns_id("ns");
                       },
                       "insert_security_function.function: required"},
        BadInstruction{"RemoveWithoutVsf",
                       [](v1::Instruction& p) {
                         auto* m = p.mutable_remove_security_function();
                         m->set_ns_id("ns");
                         m->mutable_function()->set_after("a");
                       },
                       "remove_security_function.function.vsf_vnfd_id: "
                       "required"},
        BadInstruction{"InsertWithoutNs",
                       [](v1::Instruction& p) {
                         p.mutable_insert_security_function()
                             ->mutable_function()
                             ->set_vsf_vnfd_id("fw");
                       },
                       "insert_security_function.ns_id: required"},
        BadInstruction{"HistoryBackwards",
                       [](v1::Instruction& p) {
                         p.mutable_history_query()->set_from_us(10);
                         p.mutable_history_query()->set_to_us(10);
                       },
                       "history_query.from_us: must be before to_us ([from, "
                       "to))"},
        BadInstruction{"StatusFilterEmptyId",
                       [](v1::Instruction& p) {
                         p.mutable_status_query()->add_vnf_ids("");
                       },
                       "status_query.vnf_ids[0]: required"},
        BadInstruction{"ReleaseWithoutTarget",
                       [](v1::Instruction& p) {
                         p.mutable_release_quarantine()->set_target_id("x");
                       },
                       "release_quarantine.target: unspecified"},
        BadInstruction{"ReleaseWithoutId",
                       [](v1::Instruction& p) {
                         p.mutable_release_quarantine()->set_target(
                             v1::QUARANTINE_TARGET_HOST);
                       },
                       "release_quarantine.target_id: required"},
        BadInstruction{
            "UnknownFlag",
            [](v1::Instruction& p) {
              auto* t = p.mutable_terminate();
              t->add_vnf_ids("vnf-1");
              // A flag from a newer schema: refuse rather than
              // terminate without honouring it.
              samples::UnknownFieldsOf(t->mutable_flags())->AddVarint(8, 1);
            },
            "nfvsm.v1.Instruction: has fields this build does not "
            "know; refusing to act on part of a message"}),
    [](const auto& info) { return info.param.name; });

// covers: R2.1.60, R2.1.70, SEC024 6.2.1
TEST(InstructionCodecTest, LimitsGarbageAndSender) {
  Instruction in = Base(InstructionKind::kTerminate);
  in.vnf_ids = {"vnf-1"};
  auto bytes = EncodeInstruction(in);
  ASSERT_TRUE(bytes.ok());
  EXPECT_EQ(DecodeInstruction(*bytes, "").status().message(),
            "sender: required");
  EXPECT_EQ(
      DecodeInstruction(*bytes, "sm-a", bytes->size() - 1).status().code(),
      StatusCode::kResourceExhausted);
  std::string big(kDefaultMaxMessageBytes + 1, '\0');
  EXPECT_EQ(DecodeInstruction(big, "sm-a").status().code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(
      DecodeInstruction("\x0a\xff\xff\xff\xff\x0f", "sm-a").status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(DecodeInstruction(bytes->substr(0, bytes->size() - 1), "sm-a")
                .status()
                .code(),
            StatusCode::kInvalidArgument);
}

// covers: R2.1.280/290
TEST(InstructionCodecTest, EncodeRefusesMalformedInstructions) {
  Instruction in = Base(InstructionKind::kTerminate);
  EXPECT_EQ(EncodeInstruction(in).status().message(),
            "terminate.vnf_ids: at least one VNF id is required "
            "(R2.1.280/290)");
  in = Base(static_cast<InstructionKind>(20));
  EXPECT_EQ(EncodeInstruction(in).status().message(),
            "kind: not a known instruction kind");
  in = Base(InstructionKind::kStopUsingHost);
  in.host = "h";
  in.host_action = static_cast<HostAction>(5);
  EXPECT_EQ(EncodeInstruction(in).status().message(),
            "stop_using_host.action: not a known value");
}

// covers: SEC024 6.2.1
TEST(InstructionResultCodecTest, RoundTripsSuccessAndFailure) {
  InstructionOutcome ok;
  ok.instruction_id = "ins-1";
  ok.done = {"terminate_vnf vnf-1", "quarantine_image img-1"};
  auto back = DecodeInstructionResult(*EncodeInstructionResult(ok));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->instruction_id, "ins-1");
  EXPECT_TRUE(back->status.ok());
  EXPECT_EQ(back->done, ok.done);
  EXPECT_TRUE(back->failed.empty());

  InstructionOutcome bad;
  bad.instruction_id = "ins-2";
  bad.status = PermissionDeniedError("SM 'sm-a' is not bound to 'x'");
  bad.failed = {"erase_instance_storage vnf-1: unavailable"};
  back = DecodeInstructionResult(*EncodeInstructionResult(bad));
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(back->status, bad.status);
  EXPECT_EQ(back->failed, bad.failed);

  v1::InstructionResult proto;
  proto.set_instruction_id("ins-3");
  proto.set_status_code("teapot");
  EXPECT_EQ(
      DecodeInstructionResult(proto.SerializeAsString()).status().message(),
      "status_code: not a known status name");
  proto.set_status_code("");
  EXPECT_EQ(DecodeInstructionResult(proto.SerializeAsString()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(EncodeInstructionResult(InstructionOutcome{}).status().message(),
            "instruction_id: required");
}

}  // namespace
}  // namespace nfvsm::wire
