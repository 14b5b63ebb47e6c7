// Fuzzes the refusal-body decoder (VbsError) and DER certificate inspection.
#include <cstdint>
#include <string_view>

#include "nfvsm/vbs_credential.h"
#include "nfvsm/vbs_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  (void)nfvsm::vbs::DecodeError(in);
  (void)nfvsm::vbs::InspectCertificate(in);
  return 0;
}
