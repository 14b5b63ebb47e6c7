// The signed envelope of every message on an SM channel, implemented from
// core/proto/nfvsm/v1/envelope.proto alone (signing input, checks and
// their order are the ones that file specifies).
//
// Thread safety: SignEnvelope and EnvelopeSigningInput are pure.
// ReplayWindow and EnvelopeVerifier are NOT synchronized: one per thread
// (the reference SM handles its inbox on one thread).
// Ownership: nothing retained beyond the keys each object holds.
// Failures (Result codes, in the order envelope.proto checks them):
//   kResourceExhausted  larger than the limit, or too many replay streams
//   kInvalidArgument    unparsable, unknown fields, a header field missing
//   kUnauthenticated    wrong key_id, bad signature, or a timestamp outside
//                       the allowed skew (freshness cannot be established)
//   kPermissionDenied   sender / recipient are not the channel's two ends
//   kDeadlineExceeded   the envelope's deadline_us has passed
//   kAlreadyExists      (sender, key_id, sequence) seen, or too old to tell
// A refused envelope changes no state.
#ifndef NFVSM_SM_SRC_ENVELOPE_H_
#define NFVSM_SM_SRC_ENVELOPE_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <utility>

#include "nfvsm/v1/envelope.pb.h"
#include "sm/src/keys.h"
#include "sm/src/result.h"

namespace nfvsm::refsm {

inline constexpr std::string_view kEnvelopeLabel = "nfvsm-envelope-v1";

// LP("nfvsm-envelope-v1") || LP(key_id) || U64(sequence) ||
// I64(timestamp_us) || LP(sender) || LP(recipient) || LP(message_type) ||
// LP(correlation_id) || I64(deadline_us) || LP(payload); LP = uint32
// big-endian length then bytes, U64/I64 = 8 bytes big-endian.
std::string EnvelopeSigningInput(const v1::Envelope& envelope);

// Sets key_id from `key`, signs, and serializes. `envelope.signature` is
// overwritten. kInvalidArgument for sequence 0 or an empty sender,
// recipient or message_type.
Result<std::string> SignEnvelope(const PrivateKey& key, v1::Envelope envelope);

// Per (sender, key_id): the highest sequence accepted and a 1024-bit map
// of the numbers below it.
class ReplayWindow {
 public:
  static constexpr uint64_t kWindow = 1024;
  explicit ReplayWindow(size_t max_streams = 4096)
      : max_streams_(max_streams) {}
  // Checks without recording.
  Outcome Check(const std::string& sender, const std::string& key_id,
                uint64_t sequence) const;
  // Check, then record.
  Outcome Accept(const std::string& sender, const std::string& key_id,
                 uint64_t sequence);

 private:
  struct Stream {
    uint64_t highest = 0;
    std::bitset<kWindow> seen;  // bit i: highest - i was accepted
  };
  size_t max_streams_;
  std::map<std::pair<std::string, std::string>, Stream> streams_;
};

struct VerifyOptions {
  // MANO's results can be long (16 MiB status lists, docs/wire.md).
  size_t max_bytes = 16 * 1024 * 1024 + 4 * 1024;
  int64_t max_skew_us = 60'000'000;
  std::string expected_sender;     // the gateway id; never empty in use
  std::string expected_recipient;  // our SM id
};

class EnvelopeVerifier {
 public:
  EnvelopeVerifier(PublicKey sender_key, VerifyOptions options)
      : key_(std::move(sender_key)), options_(std::move(options)) {}

  // Runs every check of envelope.proto against `now_us` and returns the
  // authenticated envelope (payload not yet decoded).
  Result<v1::Envelope> Open(std::string_view bytes, int64_t now_us);

 private:
  PublicKey key_;
  VerifyOptions options_;
  ReplayWindow window_;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_ENVELOPE_H_
