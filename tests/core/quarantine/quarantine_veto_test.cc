// The veto QuarantineRegistry::Check casts (IFA026 clause 4, R2.1.270,
// R2.1.320/330).
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <ostream>
#include <string>

#include "core/quarantine/quarantine_test_util.h"
#include "nfvsm/quarantine.h"

namespace nfvsm::quarantine_test {
namespace {

using ::testing::HasSubstr;

// Every lifecycle operation MANO may attempt on an instance.
const OperationKind kAllOperations[] = {OperationKind::kInstantiate,
                                        OperationKind::kScaleOut,
                                        OperationKind::kScaleIn,
                                        OperationKind::kHeal,
                                        OperationKind::kRestart,
                                        OperationKind::kMigrate,
                                        OperationKind::kModify,
                                        OperationKind::kTerminate,
                                        OperationKind::kChangeConnectivity,
                                        OperationKind::kChangePackage};

class QuarantinedVnfVetoTest : public ::testing::TestWithParam<OperationKind> {
};

// covers: IFA026 4, R2.1.270
TEST_P(QuarantinedVnfVetoTest, EveryOperationOnAQuarantinedVnfIsRefused) {
  QuarantineRegistry reg;
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kVnfInstance, "v1")).ok());

  Status s = reg.Check(Op(GetParam(), "v1"));
  EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(s.message(),
            "vnf 'v1' is quarantined by SM 'csp-master' since "
            "2023-11-14T22:13:20Z: rootkit found (IFA026 clause 4)");
  // The same operation on another VNF proceeds.
  EXPECT_TRUE(reg.Check(Op(GetParam(), "v2")).ok()) << ToString(GetParam());
}

INSTANTIATE_TEST_SUITE_P(AllOperations, QuarantinedVnfVetoTest,
                         ::testing::ValuesIn(kAllOperations),
                         [](const auto& info) {
                           return std::string(ToString(info.param));
                         });

// covers: IFA026 4, R2.1.270
TEST(QuarantineRegistryTest,
     NeverRestartsAVnfAnSmTerminatedEvenIfRecoveryIsAllowed) {
  QuarantineRegistry reg;
  QuarantineEntry e = Entry(QuarantineTarget::kVnfInstance, "v1");
  e.terminated = true;
  e.replacement_allowed = true;
  e.recovery_allowed = true;
  ASSERT_TRUE(reg.Add(e).ok());

  for (OperationKind kind : {OperationKind::kRestart, OperationKind::kHeal,
                             OperationKind::kMigrate}) {
    OperationTarget op = Op(kind, "v1");
    op.is_recovery = true;  // Masakari / auto-heal bringing it back
    EXPECT_EQ(reg.Check(op).code(), StatusCode::kFailedPrecondition)
        << ToString(kind);
  }
  // A new instance replacing it is what the flags allow.
  OperationTarget replacement = Op(OperationKind::kInstantiate, "v1-new");
  replacement.replaces_vnf_id = "v1";
  replacement.is_recovery = true;
  EXPECT_TRUE(reg.Check(replacement).ok());
}

struct ArtifactCase {
  QuarantineTarget target;
  OperationKind operation;
  bool allowed;
  friend void PrintTo(const ArtifactCase& c, std::ostream* os) {
    *os << ToString(c.target) << "/" << ToString(c.operation);
  }
};

class QuarantinedArtifactTest : public ::testing::TestWithParam<ArtifactCase> {
};

// covers: R2.1.270, IFA026 4
TEST_P(QuarantinedArtifactTest,
       InstantiatingFromAQuarantinedArtifactIsRefused) {
  const ArtifactCase& c = GetParam();
  QuarantineRegistry reg;
  ASSERT_TRUE(reg.Add(Entry(c.target, "art-1")).ok());

  OperationTarget op = Op(c.operation, "v9");
  op.image_id = "img-other";
  op.vnfd_id = "vnfd-other";
  op.package_id = "pkg-other";
  switch (c.target) {
    case QuarantineTarget::kImage:
      op.image_id = "art-1";
      break;
    case QuarantineTarget::kVnfd:
      op.vnfd_id = "art-1";
      break;
    case QuarantineTarget::kPackage:
      op.package_id = "art-1";
      break;
    default:
      FAIL() << "not an artifact";
  }
  Status s = reg.Check(op);
  if (c.allowed) {
    EXPECT_TRUE(s.ok()) << s.ToString();
  } else {
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(
        s.message(),
        HasSubstr(std::string(c.target == QuarantineTarget::kImage ? "image"
                              : c.target == QuarantineTarget::kVnfd
                                  ? "vnfd"
                                  : "package") +
                  " 'art-1' is quarantined by SM 'csp-master'"));
  }
}

INSTANTIATE_TEST_SUITE_P(
    Matrix, QuarantinedArtifactTest,
    ::testing::Values(
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kInstantiate,
                     false},
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kScaleOut, false},
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kHeal, false},
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kChangePackage,
                     false},
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kTerminate, true},
        ArtifactCase{QuarantineTarget::kImage, OperationKind::kScaleIn, true},
        ArtifactCase{QuarantineTarget::kVnfd, OperationKind::kInstantiate,
                     false},
        ArtifactCase{QuarantineTarget::kVnfd, OperationKind::kRestart, false},
        ArtifactCase{QuarantineTarget::kVnfd, OperationKind::kTerminate, true},
        ArtifactCase{QuarantineTarget::kPackage, OperationKind::kInstantiate,
                     false},
        ArtifactCase{QuarantineTarget::kPackage, OperationKind::kScaleOut,
                     false},
        ArtifactCase{QuarantineTarget::kPackage, OperationKind::kScaleIn,
                     true}));

// covers: R2.1.270, R2.1.320/330
TEST(QuarantineRegistryTest, NothingIsPlacedOnAQuarantinedHost) {
  QuarantineRegistry reg;
  ASSERT_TRUE(reg.Add(Entry(QuarantineTarget::kHost, "h1")).ok());

  for (OperationKind kind :
       {OperationKind::kInstantiate, OperationKind::kScaleOut,
        OperationKind::kMigrate, OperationKind::kHeal}) {
    OperationTarget op = Op(kind, "v1");
    op.target_host = "h1";
    Status s = reg.Check(op);
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition) << ToString(kind);
    EXPECT_THAT(s.message(), HasSubstr("host 'h1' is quarantined"));
    op.target_host = "h2";
    EXPECT_TRUE(reg.Check(op).ok()) << ToString(kind);
  }
  // Removing an instance from the host places nothing on it.
  OperationTarget leave = Op(OperationKind::kTerminate, "v1");
  leave.target_host = "h1";
  EXPECT_TRUE(reg.Check(leave).ok());
}

struct ReplacementCase {
  bool replacement_allowed;
  bool recovery_allowed;
  bool is_recovery;
  bool allowed;
  friend void PrintTo(const ReplacementCase& c, std::ostream* os) {
    *os << "replacement_allowed=" << c.replacement_allowed
        << " recovery_allowed=" << c.recovery_allowed
        << " is_recovery=" << c.is_recovery;
  }
};

class ReplacementTest : public ::testing::TestWithParam<ReplacementCase> {};

// covers: R2.1.260, R2.1.270, IFA026 4
TEST_P(ReplacementTest, ReplacementAndRecoveryFollowTheEntryFlags) {
  const ReplacementCase& c = GetParam();
  QuarantineRegistry reg;
  QuarantineEntry e = Entry(QuarantineTarget::kVnfInstance, "v1");
  e.terminated = true;
  e.replacement_allowed = c.replacement_allowed;
  e.recovery_allowed = c.recovery_allowed;
  ASSERT_TRUE(reg.Add(e).ok());

  OperationTarget op = Op(OperationKind::kInstantiate, "v1-new");
  op.replaces_vnf_id = "v1";
  op.is_recovery = c.is_recovery;
  Status s = reg.Check(op);
  if (c.allowed) {
    EXPECT_TRUE(s.ok()) << s.ToString();
  } else {
    EXPECT_EQ(s.code(), StatusCode::kFailedPrecondition);
    EXPECT_THAT(s.message(),
                HasSubstr(c.is_recovery ? "other recovery was not allowed"
                                        : "replacement was not allowed"));
  }
}

INSTANTIATE_TEST_SUITE_P(Flags, ReplacementTest,
                         ::testing::Values(
                             // replacement, recovery, is_recovery -> allowed
                             ReplacementCase{false, false, false, false},
                             ReplacementCase{true, false, false, true},
                             ReplacementCase{false, true, false, false},
                             ReplacementCase{true, true, false, true},
                             ReplacementCase{false, false, true, false},
                             ReplacementCase{true, false, true, false},
                             ReplacementCase{false, true, true, true},
                             ReplacementCase{true, true, true, true}));

// covers: IFA026 4
TEST(QuarantineRegistryTest, MessageShowsMicrosecondsAndAMissingReason) {
  QuarantineRegistry reg;
  QuarantineEntry e = Entry(QuarantineTarget::kVnfInstance, "v1", "sm-a", "");
  e.at = kT0 + std::chrono::microseconds(42);
  ASSERT_TRUE(reg.Add(e).ok());
  EXPECT_EQ(reg.Check(Op(OperationKind::kRestart, "v1")).message(),
            "vnf 'v1' is quarantined by SM 'sm-a' since "
            "2023-11-14T22:13:20.000042Z: no reason given (IFA026 clause 4)");
}

}  // namespace
}  // namespace nfvsm::quarantine_test
