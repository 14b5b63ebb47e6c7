// Fuzzes the VBS-M2 decoder (what an agent receives from the network).
#include <cstdint>
#include <cstdlib>
#include <string_view>

#include "nfvsm/vbs_protocol.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view in(reinterpret_cast<const char*>(data), size);
  auto m = nfvsm::vbs::DecodeStartResponse(in);
  if (!m.ok()) return 0;
  auto again = nfvsm::vbs::DecodeStartResponse(nfvsm::vbs::Encode(*m));
  if (!again.ok() || again->n1 != m->n1 || again->n2 != m->n2 ||
      again->signature != m->signature) {
    std::abort();
  }
  return 0;
}
