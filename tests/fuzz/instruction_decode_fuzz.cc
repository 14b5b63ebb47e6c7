// Fuzzes DecodeInstruction, the decoder of what SMs ask MANO to do
// (R2.1.260 - R2.1.360). Invariants: it never crashes, and an accepted
// instruction re-encodes, decodes again and re-encodes to the same bytes.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nfvsm/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decoded = nfvsm::wire::DecodeInstruction(input, "sm-fuzz");
  if (!decoded.ok()) return 0;
  if (decoded->sm != "sm-fuzz") std::abort();

  auto encoded = nfvsm::wire::EncodeInstruction(*decoded);
  if (!encoded.ok()) std::abort();
  auto again = nfvsm::wire::DecodeInstruction(*encoded, "sm-fuzz");
  if (!again.ok()) std::abort();
  auto reencoded = nfvsm::wire::EncodeInstruction(*again);
  if (!reencoded.ok() || *reencoded != *encoded) std::abort();
  return 0;
}
