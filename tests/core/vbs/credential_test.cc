// The VBS certificate authority: what it issues, that it verifies (in code
// with X509_verify_cert and with the `openssl` command), and revocation.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/vbs/vbs_test_support.h"
#include "nfvsm/vbs_credential.h"

namespace nfvsm::vbs {
namespace {

using testing::Must;

constexpr Duration kDay = std::chrono::hours(24);

CredentialSubject Subject(const std::string& public_key) {
  return {"vnf-1", "compute-1", "tenant-a", public_key};
}

// Runs a command, returns its exit status and combined output.
std::pair<int, std::string> RunCommand(const std::string& command) {
  std::string output;
  FILE* pipe = popen((command + " 2>&1").c_str(), "r");
  if (pipe == nullptr) return {-1, "popen failed"};
  std::array<char, 512> buf;
  while (fgets(buf.data(), buf.size(), pipe) != nullptr) output += buf.data();
  int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

class TempDir {
 public:
  TempDir() {
    std::string pattern =
        (std::filesystem::temp_directory_path() / "vbs-test-XXXXXX").string();
    path_ = mkdtemp(pattern.data());
  }
  ~TempDir() { std::filesystem::remove_all(path_); }
  std::string File(const std::string& name, std::string_view contents) const {
    const std::string p = (std::filesystem::path(path_) / name).string();
    std::ofstream(p, std::ios::binary) << contents;
    return p;
  }
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

class CredentialTest : public ::testing::Test {
 protected:
  TimePoint now_ =
      std::chrono::floor<std::chrono::seconds>(SystemClock().Now());
  std::unique_ptr<CertificateAuthority> ca_ =
      Must(CertificateAuthority::CreateSelfSigned("test CA", now_, 365 * kDay));
  crypto::SigningKey vnf_key_ = Must(crypto::SigningKey::Generate());
};

// covers: VBS-M4
TEST_F(CredentialTest, IssuedCertificateNamesTheVnfAndCarriesItsKey) {
  IssuedCertificate cert = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  CertificateInfo info = Must(InspectCertificate(cert.der));
  EXPECT_EQ(info.public_key, vnf_key_.PublicKeyRaw());
  EXPECT_EQ(info.subject_common_name, "vnf-1");
  EXPECT_EQ(info.issuer_common_name, "test CA");
  EXPECT_FALSE(info.is_ca);
  EXPECT_EQ(info.uris,
            (std::vector<std::string>{
                "urn:nfvsm:vnf:vnf-1",
                "spiffe://nfvsm.test/nfvsm/domain/tenant-a/vnf/vnf-1/"
                "platform/compute-1"}));
  EXPECT_EQ(info.serial_hex, cert.serial_hex);
  EXPECT_EQ(cert.serial_hex.size(), 32u);  // 128-bit serial
  EXPECT_EQ(info.not_before, now_ - std::chrono::seconds(60));
  EXPECT_EQ(info.not_after, now_ + kDay);
  EXPECT_EQ(info.not_after, cert.not_after);
}

// covers: VBS-M4
TEST_F(CredentialTest, EachIssueHasItsOwnSerial) {
  auto a = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  auto b = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  EXPECT_NE(a.serial_hex, b.serial_hex);
  EXPECT_NE(a.der, b.der);
}

// covers: VBS-M4
TEST_F(CredentialTest, VerifiesInCodeAgainstItsCaOnlyWhileValid) {
  auto cert = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  EXPECT_TRUE(VerifyCertificate(cert.der, ca_->chain_der(), now_).ok());
  Status expired =
      VerifyCertificate(cert.der, ca_->chain_der(), now_ + 2 * kDay);
  EXPECT_EQ(expired.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(expired.message().find("expired"), std::string::npos)
      << expired.ToString();
  auto other = Must(
      CertificateAuthority::CreateSelfSigned("other CA", now_, 365 * kDay));
  EXPECT_EQ(VerifyCertificate(cert.der, other->chain_der(), now_).code(),
            StatusCode::kUnauthenticated);
}

// The same checks with the openssl command line, as an operator would run
// them: chain, SANs, and the CRL's signature and effect.
// covers: VBS-M4, SEC003
TEST_F(CredentialTest, VerifiesWithTheOpensslCommandAndCarriesTheSans) {
  TempDir dir;
  auto cert = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  const std::string ca_pem = dir.File("ca.pem", Must(ca_->ChainPem()));
  const std::string cert_pem =
      dir.File("vnf.pem", Must(CertificateDerToPem(cert.der)));

  auto [rc, out] = RunCommand("openssl verify -x509_strict -CAfile " + ca_pem +
                              " " + cert_pem);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find(": OK"), std::string::npos) << out;

  auto [rc2, sans] =
      RunCommand("openssl x509 -noout -ext subjectAltName -in " + cert_pem);
  EXPECT_EQ(rc2, 0) << sans;
  EXPECT_NE(sans.find("URI:urn:nfvsm:vnf:vnf-1"), std::string::npos) << sans;
  EXPECT_NE(sans.find("URI:spiffe://nfvsm.test/nfvsm/domain/tenant-a/vnf/"
                      "vnf-1/platform/compute-1"),
            std::string::npos)
      << sans;

  const std::string crl_der = Must(ca_->SignCrl(
      {{cert.serial_hex, now_, RevocationReason::kPrivilegeWithdrawn}}, now_,
      std::chrono::hours(1), 7));
  const std::string crl = dir.File("crl.der", crl_der);
  auto [rc3, crl_out] = RunCommand(
      "openssl crl -inform DER -noout -text -CAfile " + ca_pem + " -in " + crl);
  EXPECT_EQ(rc3, 0) << crl_out;
  EXPECT_NE(crl_out.find("verify OK"), std::string::npos) << crl_out;
  EXPECT_NE(crl_out.find(cert.serial_hex), std::string::npos) << crl_out;
  EXPECT_NE(crl_out.find("Privilege Withdrawn"), std::string::npos) << crl_out;

  auto [rc4, pem_crl] = RunCommand("openssl crl -inform DER -outform PEM -in " +
                                   crl + " -out " + dir.path() + "/crl.pem");
  ASSERT_EQ(rc4, 0) << pem_crl;
  auto [rc5, revoked] =
      RunCommand("openssl verify -crl_check -CAfile " + ca_pem + " -CRLfile " +
                 dir.path() + "/crl.pem " + cert_pem);
  EXPECT_NE(rc5, 0) << revoked;
  EXPECT_NE(revoked.find("revoked"), std::string::npos) << revoked;
}

// covers: SEC003
TEST_F(CredentialTest, RevokedCertificateFailsVerificationWithTheCrl) {
  auto revoked = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  auto kept = Must(
      ca_->Issue(Subject(vnf_key_.PublicKeyRaw()), "nfvsm.test", now_, kDay));
  const std::string crl = Must(
      ca_->SignCrl({{revoked.serial_hex, now_, RevocationReason::kSuperseded}},
                   now_, std::chrono::hours(1), 1));
  Status s = VerifyCertificate(revoked.der, ca_->chain_der(), now_, crl);
  EXPECT_EQ(s.code(), StatusCode::kUnauthenticated);
  EXPECT_NE(s.message().find("revoked"), std::string::npos) << s.ToString();
  EXPECT_TRUE(VerifyCertificate(kept.der, ca_->chain_der(), now_, crl).ok());
  EXPECT_EQ(VerifyCertificate(kept.der, ca_->chain_der(), now_, "junk").code(),
            StatusCode::kInvalidArgument);
}

// covers: VBS-M4
TEST_F(CredentialTest, CaRoundTripsThroughPemAndRefusesMismatchedKeys) {
  crypto::SecretBytes key_pem = Must(ca_->PrivateKeyPem());
  const std::string chain_pem = Must(ca_->ChainPem());
  auto reloaded =
      Must(CertificateAuthority::FromPem(chain_pem, key_pem.view()));
  auto cert = Must(reloaded->Issue(Subject(vnf_key_.PublicKeyRaw()),
                                   "nfvsm.test", now_, kDay));
  EXPECT_TRUE(VerifyCertificate(cert.der, ca_->chain_der(), now_).ok());

  auto other =
      Must(CertificateAuthority::CreateSelfSigned("other", now_, 365 * kDay));
  crypto::SecretBytes other_key = Must(other->PrivateKeyPem());
  EXPECT_EQ(CertificateAuthority::FromPem(chain_pem, other_key.view())
                .status()
                .code(),
            StatusCode::kInvalidArgument);
  // A leaf certificate cannot act as the CA.
  const std::string leaf_pem = Must(CertificateDerToPem(cert.der));
  EXPECT_EQ(
      CertificateAuthority::FromPem(leaf_pem, key_pem.view()).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(
      CertificateAuthority::FromPem("junk", key_pem.view()).status().code(),
      StatusCode::kInvalidArgument);
  EXPECT_EQ(CertificateAuthority::FromPem(chain_pem, "junk").status().code(),
            StatusCode::kInvalidArgument);
}

// covers: VBS-M4
TEST_F(CredentialTest, KeyFilesReadableByOthersAreRefused) {
  TempDir dir;
  crypto::SecretBytes key_pem = Must(ca_->PrivateKeyPem());
  const std::string chain = dir.File("ca.pem", Must(ca_->ChainPem()));
  const std::string key = dir.File("ca.key", key_pem.view());
  chmod(key.c_str(), 0644);
  EXPECT_EQ(CertificateAuthority::LoadPemFiles(chain, key).status().code(),
            StatusCode::kFailedPrecondition);
  chmod(key.c_str(), 0600);
  EXPECT_TRUE(CertificateAuthority::LoadPemFiles(chain, key).ok());
  EXPECT_EQ(CertificateAuthority::LoadPemFiles(dir.path() + "/none", key)
                .status()
                .code(),
            StatusCode::kUnavailable);
}

// covers: VBS-M4
TEST_F(CredentialTest, MalformedSubjectsAreRefused) {
  const std::string key = vnf_key_.PublicKeyRaw();
  auto code = [&](CredentialSubject s, std::string_view td = "nfvsm.test",
                  Duration validity = kDay) {
    return ca_->Issue(s, td, now_, validity).status().code();
  };
  EXPECT_EQ(code({"vnf/1", "p", "d", key}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({"vnf", "p,URI:x", "d", key}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({"vnf", "p", "", key}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({"vnf", "p", "d", "short"}), StatusCode::kInvalidArgument);
  EXPECT_EQ(code({"vnf", "p", "d", key}, "Upper.Case"),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(code({"vnf", "p", "d", key}, "td", Duration::zero()),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(InspectCertificate("junk").status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(CertificateDerToPem("").status().code(),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::vbs
