// Fuzzes the VBS-M3 decoder and its signing input.
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nfvsm/vbs_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = nfvsm::vbs::DecodeRegister(in);
  if (!m.ok()) return 0;
  auto again = nfvsm::vbs::DecodeRegister(nfvsm::vbs::Encode(*m));
  if (!again.ok() ||
      nfvsm::vbs::M3SigningInput(*again) != nfvsm::vbs::M3SigningInput(*m) ||
      again->signature != m->signature) {
    std::abort();
  }
  return 0;
}
