// Storing the agent's credential on the VNF's disk.
#include <filesystem>

#include "nfvsm/vbs_agent.h"

namespace nfvsm::vbs {
namespace {

// WriteSecretFile never overwrites; a re-issue must, so write a sibling
// temporary file (0600) and rename it over the target: readers see the old
// file or the new one, never half of one.
Status ReplaceSecretFile(const std::filesystem::path& path,
                         std::string_view contents) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  std::error_code ec;
  std::filesystem::remove(tmp, ec);  // a leftover of an interrupted run
  NFVSM_RETURN_IF_ERROR(crypto::WriteSecretFile(tmp.string(), contents));
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    return UnavailableError("cannot write '" + path.string() + "'");
  }
  return OkStatus();
}

}  // namespace

Status WriteCredentialFiles(const AgentCredential& credential,
                            const std::string& dir) {
  std::error_code ec;
  if (!std::filesystem::is_directory(dir, ec)) {
    return UnavailableError("credential directory '" + dir +
                            "' does not exist");
  }
  const std::filesystem::path base(dir);
  NFVSM_ASSIGN_OR_RETURN(crypto::SecretBytes key_pem, credential.key.ToPem());
  NFVSM_ASSIGN_OR_RETURN(std::string cert_pem,
                         CertificateDerToPem(credential.certificate_der));
  std::string ca_pem;
  for (const std::string& der : credential.ca_certificates_der) {
    NFVSM_ASSIGN_OR_RETURN(std::string pem, CertificateDerToPem(der));
    ca_pem += pem;
  }
  NFVSM_RETURN_IF_ERROR(ReplaceSecretFile(base / "vnf.key", key_pem.view()));
  NFVSM_RETURN_IF_ERROR(ReplaceSecretFile(base / "vnf.crt", cert_pem));
  return ReplaceSecretFile(base / "ca.crt", ca_pem);
}

}  // namespace nfvsm::vbs
