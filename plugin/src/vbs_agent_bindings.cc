// vbs_bootstrap (issue #5 section 1): the VBS agent's whole handshake
// (nfvsm::vbs::Bootstrap over HTTP(S)) with a software HMEE, for a Python
// VNF agent or test. One attempt, no retries: retrying is the caller's
// policy (nfvsm-vbs-agent retries unavailable VBSs with backoff).
#include <pybind11/pybind11.h>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <utility>

#include "bindings.h"
#include "convert.h"
#include "errors.h"
#include "lib/config.h"
#include "lib/http_transport.h"
#include "nfvsm/crypto.h"
#include "nfvsm/hmee.h"
#include "nfvsm/vbs_agent.h"

namespace nfvsm::python {
namespace {

// Everything but the network wait needs no GIL either, but it is quick.
py::dict Bootstrap(const std::string& params_json,
                   const std::string& hmee_key_file,
                   const std::string& hmee_provisioning_file,
                   const std::string& out_dir, const std::string& ca_file,
                   double timeout, bool reissue) {
  vbs::AgentParams params = ValueOrRaise(vbs::ParseAgentParams(params_json));
  params.reissue = reissue;
  auto provisioning = ValueOrRaise(vbs::ParseHmeeProvisioning(
      ValueOrRaise(vbs::ReadTextFile(hmee_provisioning_file))));
  auto hmee = ValueOrRaise(vbs::SoftwareHmee::Create(
      ValueOrRaise(crypto::SigningKey::LoadPemFile(hmee_key_file)),
      std::move(provisioning)));
  vbs::HttpTransportOptions options;
  options.read_timeout = std::chrono::duration_cast<std::chrono::seconds>(
      DurationFromSeconds(timeout, "timeout"));
  if (options.read_timeout.count() < 1)
    options.read_timeout = std::chrono::seconds(1);
  options.ca_file = ca_file;
  auto transport =
      ValueOrRaise(vbs::HttpTransport::Create(params.vbs_address, options));

  std::optional<StatusOr<vbs::AgentCredential>> credential;
  Status written;
  {
    py::gil_scoped_release nogil;
    credential.emplace(
        vbs::Bootstrap(params, *hmee, *transport, SystemClock()));
    if (credential->ok()) {
      std::error_code ignored;
      std::filesystem::create_directories(out_dir, ignored);
      written = vbs::WriteCredentialFiles(credential->value(), out_dir);
    }
  }
  const vbs::AgentCredential& c = ValueOrRaise(std::move(*credential));
  OkOrRaise(written);
  py::dict out;
  out["vnf_id"] = params.vnf_id;
  out["serial"] = c.info.serial_hex;
  out["subject"] = c.info.subject_common_name;
  out["issuer"] = c.info.issuer_common_name;
  out["not_before"] = ToSeconds(c.info.not_before);
  out["not_after"] = ToSeconds(c.info.not_after);
  out["vnfm_address"] = c.vnfm_address;
  out["em_address"] = c.em_address;
  out["out_dir"] = out_dir;
  return out;
}

}  // namespace

void RegisterVbsAgent(py::module_& m) {
  m.def("vbs_bootstrap", &Bootstrap, py::arg("params_json"), py::kw_only(),
        py::arg("hmee_key_file"), py::arg("hmee_provisioning_file"),
        py::arg("out_dir"), py::arg("ca_file") = "", py::arg("timeout") = 10.0,
        py::arg("reissue") = false,
        "Obtains the VNF's root credential from the VBS named in the "
        "start-up parameters and writes vnf.key, vnf.crt and ca.crt (0600) "
        "into out_dir. Returns the certificate's summary.");
}

}  // namespace nfvsm::python
