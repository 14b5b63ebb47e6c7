// Fuzzes the VBS-M1 decoder (untrusted bytes from any tenant network).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nfvsm/vbs_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = nfvsm::vbs::DecodeStart(in);
  if (!m.ok()) return 0;
  // What decodes must re-encode to something that decodes to the same.
  auto again = nfvsm::vbs::DecodeStart(nfvsm::vbs::Encode(*m));
  if (!again.ok() || again->n1 != m->n1 || again->vnf_id != m->vnf_id ||
      again->platform_id != m->platform_id) {
    std::abort();
  }
  return 0;
}
