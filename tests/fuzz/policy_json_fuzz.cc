// Fuzzes ParsePolicyJson, the reader of policies SMs send (SEC024 6.2.1).
// Invariants: it never crashes, and whatever it accepts survives the
// canonical form: PolicyToJson re-parses to an equal Policy and is a fixed
// point.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <limits>
#include <string>
#include <string_view>

#include "nfvsm/policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto policy = nfvsm::ParsePolicyJson(input);
  if (!policy.ok()) return 0;
  if (!nfvsm::ValidatePolicy(*policy).ok()) std::abort();

  // The canonical form spells out defaults inside rules, so it may be
  // longer than the input: re-read it without the input limit.
  std::string canonical = nfvsm::PolicyToJson(*policy);
  auto again =
      nfvsm::ParsePolicyJson(canonical, std::numeric_limits<size_t>::max());
  if (!again.ok() || !(*again == *policy)) std::abort();
  if (nfvsm::PolicyToJson(*again) != canonical) std::abort();

  // Combining a policy with itself changes nothing.
  if (!(nfvsm::MergePolicies({*policy, *policy}) == *policy)) std::abort();
  if (!(nfvsm::Restrict(*policy, *policy) == *policy)) std::abort();
  if (!(nfvsm::Supersede(*policy, *policy) == *policy)) std::abort();
  return 0;
}
