// Fuzzes the VBS-M4 decoder and its signing input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nfvsm/vbs_credential.h"
#include "nfvsm/vbs_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = nfvsm::vbs::DecodeRegisterResponse(in);
  if (!m.ok()) return 0;
  auto again = nfvsm::vbs::DecodeRegisterResponse(nfvsm::vbs::Encode(*m));
  if (!again.ok() ||
      nfvsm::vbs::M4SigningInput(*again) != nfvsm::vbs::M4SigningInput(*m)) {
    std::abort();
  }
  // The agent inspects the certificate M4 carries: arbitrary DER too.
  (void)nfvsm::vbs::InspectCertificate(m->certificate_der);
  return 0;
}
