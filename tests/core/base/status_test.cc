#include "nfvsm/status.h"

#include <gtest/gtest.h>

#include "nfvsm/types.h"

namespace nfvsm {
namespace {

TEST(StatusTest, OkAndErrorsCarryCodeAndMessage) {
  EXPECT_TRUE(OkStatus().ok());
  Status s = PermissionDeniedError("SM 'x' is not bound to domain 'y'");
  EXPECT_FALSE(s.ok());
  EXPECT_EQ(s.code(), StatusCode::kPermissionDenied);
  EXPECT_EQ(s.ToString(),
            "permission_denied: SM 'x' is not bound to domain 'y'");
}

StatusOr<int> Half(int x) {
  if (x % 2 != 0) return InvalidArgumentError("odd");
  return x / 2;
}

Status UseHalf(int x, int* out) {
  NFVSM_ASSIGN_OR_RETURN(*out, Half(x));
  return OkStatus();
}

TEST(StatusTest, AssignOrReturnPropagates) {
  int v = 0;
  EXPECT_TRUE(UseHalf(8, &v).ok());
  EXPECT_EQ(v, 4);
  Status s = UseHalf(3, &v);
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(v, 4);
}

TEST(TypesTest, EnumNamesRoundTrip) {
  for (auto m : {Mode::kPassive, Mode::kSemiActive, Mode::kFullyActive}) {
    auto parsed = ParseMode(ToString(m));
    ASSERT_TRUE(parsed.ok());
    EXPECT_EQ(*parsed, m);
  }
  for (int i = 0; i <= static_cast<int>(OperationKind::kChangePackage); ++i) {
    auto op = static_cast<OperationKind>(i);
    auto parsed = ParseOperationKind(ToString(op));
    ASSERT_TRUE(parsed.ok()) << ToString(op);
    EXPECT_EQ(*parsed, op);
  }
  auto bad = ParseMode("active");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("'active'"), std::string::npos);
}

TEST(TypesTest, AllInstructionKindsContainsEachKind) {
  auto all = AllInstructionKinds();
  for (int i = 0; i <= static_cast<int>(InstructionKind::kReleaseQuarantine);
       ++i) {
    EXPECT_TRUE(all.Contains(static_cast<InstructionKind>(i)));
  }
}

TEST(TypesTest, PartitionsAreDistinctPerSmAndDomain) {
  EXPECT_NE(PartitionFor("a", "b"), PartitionFor("b", "a"));
  EXPECT_NE(PartitionFor("a", "b"), std::string(kManoPartition));
}

}  // namespace
}  // namespace nfvsm
