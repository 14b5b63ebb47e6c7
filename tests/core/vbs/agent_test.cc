// The agent's side: what it refuses to believe (MITM, replayed or forged
// M4), its one-way state machine, and the files it leaves behind.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/vbs/vbs_test_support.h"

namespace nfvsm::vbs {
namespace {

using testing::IsRefusal;
using testing::kPlatformA;
using testing::Must;
using testing::VbsWorld;

class AgentTest : public ::testing::Test {
 protected:
  void SetUp() override { w_.RegisterVnf("vnf-1"); }
  std::unique_ptr<Agent> NewAgent(AgentParams p) {
    return Must(Agent::Create(std::move(p), w_.hmee(kPlatformA), w_.clock_));
  }
  StatusOr<std::string> Start(std::string_view m1) {
    return w_.server_->HandleStart(m1, {"agent-test"});
  }
  StatusOr<std::string> Register(std::string_view m3) {
    return w_.server_->HandleRegister(m3, {"agent-test"});
  }
  VbsWorld w_;
};

// A MITM answering with its own key (or the agent given a VBS key that is
// not the one answering) is refused at M2.
// covers: VBS-M2
TEST_F(AgentTest, M2SignedByAnotherKeyIsRefused) {
  AgentParams p = w_.Params("vnf-1");
  p.vbs_public_key = Must(crypto::SigningKey::Generate()).PublicKeyRaw();
  auto agent = NewAgent(p);
  std::string m2 = Must(Start(Must(agent->MakeStart())));
  Status s = agent->OnStartResponse(m2).status();
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("M2 signature"), std::string::npos);
  EXPECT_EQ(agent->state(), Agent::State::kFailed);

  // A MITM that re-signs M2 with its own key.
  auto agent2 = NewAgent(w_.Params("vnf-1"));
  std::string m1 = Must(agent2->MakeStart());
  StartResponseMessage forged = Must(DecodeStartResponse(Must(Start(m1))));
  crypto::SigningKey mitm = Must(crypto::SigningKey::Generate());
  forged.signature =
      Must(mitm.Sign(M2SigningInput(forged, "vnf-1", kPlatformA)));
  EXPECT_EQ(agent2->OnStartResponse(Encode(forged)).status().code(),
            StatusCode::kUnauthenticated);
}

// covers: VBS-M2
TEST_F(AgentTest, M2ForAnotherN1IsRefused) {
  auto agent = NewAgent(w_.Params("vnf-1"));
  ASSERT_TRUE(agent->MakeStart().ok());
  // A genuine M2 of another session (another N1).
  testing::ManualHandshake other;
  std::string m2 = Must(Start(other.M1()));
  Status s = agent->OnStartResponse(m2).status();
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
}

// An M4 recorded from an earlier handshake of the same VNF is refused, as
// is any M4 once the handshake is done.
// covers: VBS-M4
TEST_F(AgentTest, ReplayedM4IsRefused) {
  auto first = NewAgent(w_.Params("vnf-1"));
  std::string m2 = Must(Start(Must(first->MakeStart())));
  std::string old_m4 = Must(Register(Must(first->OnStartResponse(m2))));
  ASSERT_TRUE(first->OnRegisterResponse(old_m4).ok());
  EXPECT_EQ(first->OnRegisterResponse(old_m4).status().code(),
            StatusCode::kFailedPrecondition);

  auto second = NewAgent(w_.Params("vnf-1"));
  std::string m2b = Must(Start(Must(second->MakeStart())));
  ASSERT_TRUE(second->OnStartResponse(m2b).ok());
  Status s = second->OnRegisterResponse(old_m4).status();
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("N1 and N2"), std::string::npos) << s.ToString();
}

// covers: VBS-M4
TEST_F(AgentTest, TamperedM4IsRefused) {
  struct Case {
    const char* name;
    std::function<void(RegisterResponseMessage&)> tamper;
    bool resign;  // re-signed by the VBS key (a buggy or hostile VBS)
  };
  crypto::SigningKey wrong = Must(crypto::SigningKey::Generate());
  const std::vector<Case> cases = {
      {"vnfm address", [](auto& m) { m.vnfm_address = "https://evil"; }, false},
      {"certificate swapped for another key's",
       [&](auto& m) {
         auto ca = Must(CertificateAuthority::CreateSelfSigned(
             "x", w_.clock_.Now(), std::chrono::hours(1)));
         m.certificate_der =
             Must(ca->Issue({"vnf-1", kPlatformA, "d", wrong.PublicKeyRaw()},
                            "td", w_.clock_.Now(), std::chrono::hours(1)))
                 .der;
       },
       false},
      {"vnf id", [](auto& m) { m.vnf_id = "vnf-2"; }, false},
  };
  for (const Case& c : cases) {
    auto agent = NewAgent(w_.Params("vnf-1"));
    std::string m2 = Must(Start(Must(agent->MakeStart())));
    RegisterResponseMessage m4 = Must(DecodeRegisterResponse(
        Must(Register(Must(agent->OnStartResponse(m2))))));
    c.tamper(m4);
    EXPECT_EQ(agent->OnRegisterResponse(Encode(m4)).status().code(),
              StatusCode::kUnauthenticated)
        << c.name;
  }
}

// covers: VBS-M1, VBS-M2
TEST_F(AgentTest, OutOfOrderCallsFailForGood) {
  auto agent = NewAgent(w_.Params("vnf-1"));
  EXPECT_EQ(agent->OnStartResponse("x").status().code(),
            StatusCode::kFailedPrecondition);
  EXPECT_EQ(agent->state(), Agent::State::kFailed);
  EXPECT_EQ(agent->MakeStart().status().code(),
            StatusCode::kFailedPrecondition);
}

// covers: VBS-M1
TEST_F(AgentTest, MalformedParametersAreRefused) {
  auto code = [&](std::function<void(AgentParams&)> edit) {
    AgentParams p = w_.Params("vnf-1");
    edit(p);
    return Agent::Create(p, w_.hmee(kPlatformA), w_.clock_).status().code();
  };
  EXPECT_EQ(code([](auto& p) { p.vnf_id = "a b"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code([](auto& p) { p.vbs_public_key = "short"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code([](auto& p) { p.image_digest.clear(); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code([](auto& p) { p.vbs_address.clear(); }),
            StatusCode::kInvalidArgument);
  // The HMEE is compute-1's, the parameters name compute-2.
  EXPECT_EQ(code([](auto& p) { p.platform_id = testing::kPlatformB; }),
            StatusCode::kInvalidArgument);
}

// A refusal by the VBS reaches the caller of Bootstrap unchanged.
// covers: VBS-M4
TEST_F(AgentTest, BootstrapReportsTheVbsRefusal) {
  AgentParams p = w_.Params("vnf-1");
  p.image_digest = testing::Digest("another image");
  EXPECT_TRUE(IsRefusal(w_.Bootstrap(p).status(), StatusCode::kUnauthenticated,
                        RefusalReason::kImageMismatch));
}

std::string Slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// covers: VBS-M4, R1.3.160
TEST_F(AgentTest, CredentialFilesAre0600AndReplaceable) {
  std::string pattern =
      (std::filesystem::temp_directory_path() / "vbs-agent-XXXXXX").string();
  const std::string dir = mkdtemp(pattern.data());
  AgentCredential first = Must(w_.Bootstrap(w_.Params("vnf-1")));
  ASSERT_TRUE(WriteCredentialFiles(first, dir).ok());
  for (const char* name : {"vnf.key", "vnf.crt", "ca.crt"}) {
    struct stat st {};
    ASSERT_EQ(stat((dir + "/" + name).c_str(), &st), 0) << name;
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  auto key = crypto::SigningKey::LoadPemFile(dir + "/vnf.key");
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  EXPECT_EQ(key->PublicKeyRaw(), first.key.PublicKeyRaw());
  EXPECT_EQ(Slurp(dir + "/vnf.crt"),
            Must(CertificateDerToPem(first.certificate_der)));

  // Re-issue overwrites in place.
  AgentCredential second = Must(w_.Bootstrap(w_.Params("vnf-1")));
  ASSERT_TRUE(WriteCredentialFiles(second, dir).ok());
  EXPECT_EQ(
      Must(crypto::SigningKey::LoadPemFile(dir + "/vnf.key")).PublicKeyRaw(),
      second.key.PublicKeyRaw());
  EXPECT_FALSE(std::filesystem::exists(dir + "/vnf.key.tmp"));
  EXPECT_EQ(WriteCredentialFiles(second, dir + "/missing").code(),
            StatusCode::kUnavailable);
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace nfvsm::vbs
