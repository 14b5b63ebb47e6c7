// Signed envelopes: SignEnvelope, OpenEnvelope and the signing input
// defined in envelope.proto.
#include <cstdint>
#include <limits>
#include <string>

#include "nfvsm/crypto.h"
#include "nfvsm/v1/envelope.pb.h"
#include "nfvsm/wire.h"
#include "wire/codec_util.h"

namespace nfvsm::wire {
namespace {

using internal::CheckId;
using internal::Presence;

constexpr std::string_view kSigningLabel = "nfvsm-envelope-v1";
// Key ids are 16 hex characters (crypto.h); leave room for other schemes.
constexpr size_t kMaxKeyIdBytes = 64;

void AppendU32(std::string& out, uint32_t n) {
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
}

void AppendU64(std::string& out, uint64_t n) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
}

void AppendI64(std::string& out, int64_t n) {
  AppendU64(out, static_cast<uint64_t>(n));  // two's complement
}

// Callers bound every field far below 4 GiB (CheckHeader, max_bytes).
void AppendLp(std::string& out, std::string_view s) {
  AppendU32(out, static_cast<uint32_t>(s.size()));
  out.append(s);
}

Status CheckHeader(const Envelope& e) {
  NFVSM_RETURN_IF_ERROR(internal::CheckString(
      "key_id", e.key_id, kMaxKeyIdBytes, Presence::kRequired));
  if (e.sequence == 0) {
    return InvalidArgumentError("sequence: must be at least 1");
  }
  NFVSM_RETURN_IF_ERROR(CheckId("sender", e.sender, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(CheckId("recipient", e.recipient, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(
      CheckId("message_type", e.message_type, Presence::kRequired));
  NFVSM_RETURN_IF_ERROR(
      CheckId("correlation_id", e.correlation_id, Presence::kOptional));
  if (e.deadline && ToMicros(*e.deadline) <= 0) {
    return InvalidArgumentError("deadline_us: must be after the epoch");
  }
  if (e.payload.size() > std::numeric_limits<int32_t>::max()) {
    return ResourceExhaustedError("payload: too large to sign");
  }
  return OkStatus();
}

// Saturating, so that absurd timestamps or skews cannot overflow.
int64_t SaturatingAdd(int64_t a, int64_t b) {
  if (b > 0 && a > std::numeric_limits<int64_t>::max() - b) {
    return std::numeric_limits<int64_t>::max();
  }
  if (b < 0 && a < std::numeric_limits<int64_t>::min() - b) {
    return std::numeric_limits<int64_t>::min();
  }
  return a + b;
}

Status CheckFreshness(const Envelope& e, const Clock& clock,
                      const OpenOptions& options) {
  const int64_t now = ToMicros(clock.Now());
  const int64_t skew = std::max<int64_t>(0, options.max_clock_skew.count());
  const int64_t ts = ToMicros(e.timestamp);
  const std::string allowed = " than the allowed clock skew of " +
                              std::to_string(skew / 1000000) + " s";
  if (ts < SaturatingAdd(now, -skew)) {
    return UnauthenticatedError("timestamp_us: stale, older" + allowed);
  }
  if (ts > SaturatingAdd(now, skew)) {
    return UnauthenticatedError("timestamp_us: in the future by more" +
                                allowed);
  }
  if (e.deadline && now > ToMicros(*e.deadline)) {
    return DeadlineExceededError(
        "deadline_us: passed before the message "
        "was opened");
  }
  return OkStatus();
}

}  // namespace

std::string EnvelopeSigningInput(const Envelope& e) {
  std::string out;
  out.reserve(kSigningLabel.size() + e.key_id.size() + e.sender.size() +
              e.recipient.size() + e.message_type.size() +
              e.correlation_id.size() + e.payload.size() + 6 * 4 + 3 * 8);
  AppendLp(out, kSigningLabel);
  AppendLp(out, e.key_id);
  AppendU64(out, e.sequence);
  AppendI64(out, ToMicros(e.timestamp));
  AppendLp(out, e.sender);
  AppendLp(out, e.recipient);
  AppendLp(out, e.message_type);
  AppendLp(out, e.correlation_id);
  AppendI64(out, e.deadline ? ToMicros(*e.deadline) : 0);
  AppendLp(out, e.payload);
  return out;
}

StatusOr<std::string> SignEnvelope(const crypto::SigningKey& key,
                                   const Envelope& envelope) {
  Envelope e = envelope;
  e.key_id = key.KeyId();
  NFVSM_RETURN_IF_ERROR(CheckHeader(e));
  NFVSM_ASSIGN_OR_RETURN(std::string signature,
                         key.Sign(EnvelopeSigningInput(e)));
  v1::Envelope proto;
  proto.set_key_id(e.key_id);
  proto.set_sequence(e.sequence);
  proto.set_timestamp_us(ToMicros(e.timestamp));
  proto.set_sender(e.sender);
  proto.set_recipient(e.recipient);
  proto.set_message_type(e.message_type);
  proto.set_correlation_id(e.correlation_id);
  proto.set_deadline_us(e.deadline ? ToMicros(*e.deadline) : 0);
  proto.set_payload(std::move(e.payload));
  proto.set_signature(std::move(signature));
  return internal::Serialize(proto);
}

StatusOr<Envelope> OpenEnvelope(std::string_view bytes,
                                const crypto::VerifyingKey& key,
                                ReplayWindow& window, const Clock& clock,
                                const OpenOptions& options) {
  // Unknown fields would ride along unsigned: refuse them.
  v1::Envelope proto;
  NFVSM_RETURN_IF_ERROR(internal::ParseBounded(
      bytes, options.max_bytes, internal::UnknownFields::kReject, &proto));
  Envelope e;
  e.key_id = proto.key_id();
  e.sequence = proto.sequence();
  e.timestamp = FromMicros(proto.timestamp_us());
  e.sender = proto.sender();
  e.recipient = proto.recipient();
  e.message_type = proto.message_type();
  e.correlation_id = proto.correlation_id();
  if (proto.deadline_us() != 0) e.deadline = FromMicros(proto.deadline_us());
  e.payload = std::move(*proto.mutable_payload());
  NFVSM_RETURN_IF_ERROR(CheckHeader(e));

  if (e.key_id != key.KeyId()) {
    return UnauthenticatedError(
        "key_id: not the key this channel accepts (rotated or forged)");
  }
  NFVSM_RETURN_IF_ERROR(key.Verify(EnvelopeSigningInput(e), proto.signature()));

  // Authenticated from here on: the names below are the signer's own.
  if (!options.expected_sender.empty() && e.sender != options.expected_sender) {
    return PermissionDeniedError(
        "sender: the envelope's sender is not this channel's peer");
  }
  if (!options.expected_recipient.empty() &&
      e.recipient != options.expected_recipient) {
    return PermissionDeniedError(
        "recipient: the envelope is addressed to someone else");
  }
  NFVSM_RETURN_IF_ERROR(CheckFreshness(e, clock, options));
  // Last, so that a refused envelope never uses up its sequence number.
  NFVSM_RETURN_IF_ERROR(window.Accept(e.sender, e.key_id, e.sequence));
  return e;
}

}  // namespace nfvsm::wire
