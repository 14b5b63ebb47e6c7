// nfvsm-vbs and nfvsm-vbs-agent end to end, as an operator and a VNF image
// run them: --init, the INI and inventory files, the daemon on loopback,
// the agent's exit codes and messages, the files it writes.
#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>

#include "nfvsm/crypto.h"
#include "vbs/test_files.h"

extern char** environ;

namespace nfvsm::vbs {
namespace {

using testing::ReadFile;
using testing::RunCommand;
using testing::TempDir;

const std::string kDaemon = NFVSM_VBS_DAEMON;
const std::string kAgent = NFVSM_VBS_AGENT;

int FreePort() {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr));
  socklen_t len = sizeof(addr);
  getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  close(fd);
  return ntohs(addr.sin_port);
}

bool Accepts(int port) {
  int fd = socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  addr.sin_port = htons(static_cast<uint16_t>(port));
  const bool ok =
      connect(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)) == 0;
  close(fd);
  return ok;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string Sha256Hex(const std::string& s) {
  return crypto::HexEncode(*crypto::Sha256(s));
}

class ProgramsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    port_ = FreePort();
    address_ = "http://127.0.0.1:" + std::to_string(port_);
    auto [rc, key] = RunCommand(kDaemon + " --init " + dir_.Path("keys"));
    ASSERT_EQ(rc, 0) << key;
    vbs_key_ = Trim(key);
    ASSERT_EQ(vbs_key_.size(), 64u) << key;
    auto [rc2, hmee] = RunCommand(kAgent + " --init-hmee " + dir_.Path("hmee") +
                                  " --platform-id compute-1 --vbs-public-key " +
                                  vbs_key_ + " --vbs-address " + address_);
    ASSERT_EQ(rc2, 0) << hmee;
    dir_.Write("inventory.json", R"({
      "platforms": [{"platform_id": "compute-1",
                     "hmee_public_key": ")" +
                                     Trim(hmee) + R"("}],
      "vnfs": [{"vnf_id": "vnf-1", "domain": "tenant-a",
                "image_id": "image-v1", "image_sha256": ")" +
                                     Sha256Hex("image-v1") + R"(",
                "vnfd_id": "vnfd-v1", "vnfd_sha256": ")" +
                                     Sha256Hex("vnfd-v1") + R"(",
                "vnfm_address": "https://vnfm:9890"}]})");
    dir_.Write("vbs.conf", "[vbs]\naddress = " + address_ +
                               "\nsigning_key_file = keys/vbs.key\n"
                               "ca_certificate_file = keys/ca.crt\n"
                               "ca_key_file = keys/ca.key\n"
                               "inventory_file = inventory.json\n"
                               "store_path = vbs.sqlite\n"
                               "audit_hmac_key_file = keys/audit-hmac.key\n"
                               "state_file = vbs.state\n"
                               "log_level = warn\n"
                               "[endpoint]\nbind = 127.0.0.1\nport = " +
                               std::to_string(port_) + "\n");
  }

  void StartDaemon() {
    const std::string config = dir_.Path("vbs.conf");
    std::vector<char*> argv = {const_cast<char*>(kDaemon.c_str()),
                               const_cast<char*>("--config-file"),
                               const_cast<char*>(config.c_str()), nullptr};
    ASSERT_EQ(posix_spawn(&daemon_, kDaemon.c_str(), nullptr, nullptr,
                          argv.data(), environ),
              0);
    for (int i = 0; i < 200 && !Accepts(port_); ++i) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ASSERT_TRUE(Accepts(port_)) << "nfvsm-vbs did not start listening";
  }

  void StopDaemon() {
    if (daemon_ <= 0) return;
    kill(daemon_, SIGTERM);
    int status = 0;
    waitpid(daemon_, &status, 0);
    daemon_ = -1;
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0)
        << "nfvsm-vbs did not stop cleanly";
  }
  void TearDown() override { StopDaemon(); }

  std::string Params(const std::string& vnf_id, const std::string& image) {
    return dir_.Write(
        "params-" + vnf_id + "-" + image + ".json",
        R"({"vbs_public_key": ")" + vbs_key_ + R"(", "vbs_address": ")" +
            address_ + R"(", "vnf_id": ")" + vnf_id +
            R"(", "platform_id": "compute-1", "image_sha256": ")" +
            Sha256Hex(image) + R"(", "vnfd_sha256": ")" + Sha256Hex("vnfd-v1") +
            "\"}");
  }

  std::pair<int, std::string> Agent(const std::string& params,
                                    const std::string& extra = "") {
    return RunCommand(kAgent + " --params " + params + " --hmee-key " +
                      dir_.Path("hmee/hmee.key") + " --hmee-provisioning " +
                      dir_.Path("hmee/provisioning.json") + " --out-dir " +
                      dir_.Path("vnf") + " " + extra);
  }

  TempDir dir_;
  int port_ = 0;
  std::string address_;
  std::string vbs_key_;
  pid_t daemon_ = -1;
};

// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4, R1.3.160
TEST_F(ProgramsTest, AgentBootstrapsAgainstTheRunningDaemon) {
  StartDaemon();
  auto [rc, out] = Agent(Params("vnf-1", "image-v1"));
  ASSERT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("VNF 'vnf-1' bootstrapped"), std::string::npos) << out;
  for (const char* name : {"vnf.key", "vnf.crt", "ca.crt"}) {
    struct stat st {};
    ASSERT_EQ(stat(dir_.Path(std::string("vnf/") + name).c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u) << name;
  }
  auto [vrc, verify] =
      RunCommand("openssl verify -CAfile " + dir_.Path("keys/ca.crt") + " " +
                 dir_.Path("vnf/vnf.crt"));
  EXPECT_EQ(vrc, 0) << verify;
  auto [src, sans] = RunCommand("openssl x509 -noout -ext subjectAltName -in " +
                                dir_.Path("vnf/vnf.crt"));
  EXPECT_NE(sans.find("URI:urn:nfvsm:vnf:vnf-1"), std::string::npos) << sans;

  // Stopping saves the issued credential in the state file (0600).
  StopDaemon();
  struct stat st {};
  ASSERT_EQ(stat(dir_.Path("vbs.state").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  EXPECT_GT(st.st_size, 0);
}

// covers: VBS-M4
TEST_F(ProgramsTest, RefusalsExitOneWithTheReason) {
  StartDaemon();
  auto [rc, out] = Agent(Params("vnf-1", "image-tampered"));
  EXPECT_EQ(rc, 1) << out;
  EXPECT_NE(out.find("image_mismatch"), std::string::npos) << out;
  auto [rc2, out2] = Agent(Params("vnf-404", "image-v1"));
  EXPECT_EQ(rc2, 1) << out2;
  EXPECT_NE(out2.find("vnf_unknown"), std::string::npos) << out2;
  EXPECT_FALSE(std::filesystem::exists(dir_.Path("vnf/vnf.crt")));
}

// covers: VBS-M1
TEST_F(ProgramsTest, UnreachableVbsAndBadUsageHaveTheirOwnExitCodes) {
  // No daemon running.
  auto [rc, out] = Agent(Params("vnf-1", "image-v1"), "--attempts 1");
  EXPECT_EQ(rc, 3) << out;
  EXPECT_NE(out.find("unavailable"), std::string::npos) << out;
  auto [rc2, out2] = RunCommand(kAgent + " --params " + dir_.Path("none.json") +
                                " --hmee-key x --hmee-provisioning y");
  EXPECT_EQ(rc2, 2) << out2;
  auto [rc3, out3] = RunCommand(kAgent);
  EXPECT_EQ(rc3, 2) << out3;
  auto [rc4, out4] = RunCommand(kAgent + " --version");
  EXPECT_EQ(rc4, 0);
  EXPECT_NE(out4.find("nfvsm-vbs-agent"), std::string::npos);
  auto [rc5, out5] = RunCommand(kDaemon + " --help");
  EXPECT_EQ(rc5, 0);
  EXPECT_NE(out5.find("--config-file"), std::string::npos);
  auto [rc6, out6] =
      RunCommand(kDaemon + " --config-file " +
                 dir_.Write("broken.conf", "[vbs]\nbogus = 1\n"));
  EXPECT_NE(rc6, 0) << out6;
  EXPECT_NE(out6.find("bogus"), std::string::npos) << out6;
}

}  // namespace
}  // namespace nfvsm::vbs
