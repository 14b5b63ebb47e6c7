// Fuzzes DecodeGateAnswer, the decoder of SM verdicts on lifecycle
// operations (R2.1.30, R2.1.40, R1.3.30). Invariants: it never crashes, an
// accepted answer carries a verdict and a valid policy, and it re-encodes to
// an equal answer.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nfvsm/wire.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto decoded = nfvsm::wire::DecodeGateAnswer(input, "sm-fuzz");
  if (!decoded.ok()) return 0;
  const nfvsm::SmAnswer& answer = decoded->answer;
  if (answer.sm != "sm-fuzz") std::abort();
  if (answer.verdict != nfvsm::Verdict::kAllow &&
      answer.verdict != nfvsm::Verdict::kDeny) {
    std::abort();
  }
  if (answer.policy && !nfvsm::ValidatePolicy(*answer.policy).ok()) {
    std::abort();
  }

  auto encoded = nfvsm::wire::EncodeGateAnswer(decoded->gate_id, answer);
  if (!encoded.ok()) std::abort();
  auto again = nfvsm::wire::DecodeGateAnswer(*encoded, "sm-fuzz");
  if (!again.ok() || again->gate_id != decoded->gate_id ||
      again->answer.verdict != answer.verdict ||
      again->answer.reason != answer.reason ||
      again->answer.policy != answer.policy) {
    std::abort();
  }
  return 0;
}
