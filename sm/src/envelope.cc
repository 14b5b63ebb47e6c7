#include "sm/src/envelope.h"

#include <google/protobuf/unknown_field_set.h>

namespace nfvsm::refsm {
namespace {

void AppendU64(std::string& out, uint64_t n) {
  for (int shift = 56; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
}

void AppendI64(std::string& out, int64_t n) {
  AppendU64(out, static_cast<uint64_t>(n));  // two's complement
}

void AppendLp(std::string& out, std::string_view bytes) {
  const auto n = static_cast<uint32_t>(bytes.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(bytes);
}

}  // namespace

std::string EnvelopeSigningInput(const v1::Envelope& e) {
  std::string out;
  out.reserve(96 + e.key_id().size() + e.sender().size() +
              e.recipient().size() + e.message_type().size() +
              e.correlation_id().size() + e.payload().size());
  AppendLp(out, kEnvelopeLabel);
  AppendLp(out, e.key_id());
  AppendU64(out, e.sequence());
  AppendI64(out, e.timestamp_us());
  AppendLp(out, e.sender());
  AppendLp(out, e.recipient());
  AppendLp(out, e.message_type());
  AppendLp(out, e.correlation_id());
  AppendI64(out, e.deadline_us());
  AppendLp(out, e.payload());
  return out;
}

Result<std::string> SignEnvelope(const PrivateKey& key, v1::Envelope envelope) {
  if (envelope.sequence() == 0 || envelope.sender().empty() ||
      envelope.recipient().empty() || envelope.message_type().empty()) {
    return MakeError(Code::kInvalidArgument,
                     "envelope needs sequence >= 1, sender, recipient and "
                     "message_type");
  }
  envelope.set_key_id(key.public_key().key_id());
  envelope.clear_signature();
  Result<std::string> signature = key.Sign(EnvelopeSigningInput(envelope));
  if (!signature.ok()) return signature.error();
  envelope.set_signature(std::move(signature).value());
  std::string bytes;
  if (!envelope.SerializeToString(&bytes)) {
    return MakeError(Code::kInternal, "cannot serialize the envelope");
  }
  return bytes;
}

Outcome ReplayWindow::Check(const std::string& sender,
                            const std::string& key_id,
                            uint64_t sequence) const {
  if (sequence == 0) {
    return MakeError(Code::kInvalidArgument, "sequence 0");
  }
  auto it = streams_.find({sender, key_id});
  if (it == streams_.end()) {
    if (streams_.size() >= max_streams_) {
      return MakeError(Code::kResourceExhausted, "too many replay streams");
    }
    return Ok{};
  }
  const Stream& s = it->second;
  if (sequence > s.highest) return Ok{};
  const uint64_t age = s.highest - sequence;
  if (age >= kWindow) {
    return MakeError(Code::kAlreadyExists,
                     "sequence older than the replay window");
  }
  if (s.seen.test(age)) {
    return MakeError(Code::kAlreadyExists, "sequence already seen (replay)");
  }
  return Ok{};
}

Outcome ReplayWindow::Accept(const std::string& sender,
                             const std::string& key_id, uint64_t sequence) {
  Outcome checked = Check(sender, key_id, sequence);
  if (!checked.ok()) return checked;
  Stream& s = streams_[{sender, key_id}];
  if (sequence > s.highest) {
    const uint64_t shift = sequence - s.highest;
    if (shift >= kWindow) {
      s.seen.reset();
    } else {
      s.seen <<= static_cast<size_t>(shift);
    }
    s.highest = sequence;
    s.seen.set(0);
  } else {
    s.seen.set(static_cast<size_t>(s.highest - sequence));
  }
  return Ok{};
}

Result<v1::Envelope> EnvelopeVerifier::Open(std::string_view bytes,
                                            int64_t now_us) {
  if (bytes.size() > options_.max_bytes) {
    return MakeError(Code::kResourceExhausted,
                     "envelope of " + std::to_string(bytes.size()) +
                         " bytes exceeds the limit");
  }
  v1::Envelope e;
  if (!e.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return MakeError(Code::kInvalidArgument, "not a parsable Envelope");
  }
  if (!e.GetReflection()->GetUnknownFields(e).empty()) {
    return MakeError(Code::kInvalidArgument,
                     "envelope carries unknown (unsigned) fields");
  }
  if (e.sequence() == 0 || e.key_id().empty() || e.sender().empty() ||
      e.recipient().empty() || e.message_type().empty()) {
    return MakeError(Code::kInvalidArgument,
                     "envelope header field missing (sequence, key_id, "
                     "sender, recipient or message_type)");
  }
  if (e.key_id() != key_.key_id() ||
      !key_.Verify(EnvelopeSigningInput(e), e.signature())) {
    return MakeError(Code::kUnauthenticated, "unknown key_id or bad signature");
  }
  if ((!options_.expected_sender.empty() &&
       e.sender() != options_.expected_sender) ||
      (!options_.expected_recipient.empty() &&
       e.recipient() != options_.expected_recipient)) {
    return MakeError(Code::kPermissionDenied,
                     "sender/recipient are not this channel's ends");
  }
  // |now - timestamp| in uint64, where it cannot overflow.
  const auto ts = static_cast<uint64_t>(e.timestamp_us());
  const auto now = static_cast<uint64_t>(now_us);
  const uint64_t skew = e.timestamp_us() < now_us ? now - ts : ts - now;
  if (skew > static_cast<uint64_t>(options_.max_skew_us)) {
    return MakeError(Code::kUnauthenticated,
                     "timestamp outside the allowed clock skew");
  }
  if (e.deadline_us() != 0 && e.deadline_us() < now_us) {
    return MakeError(Code::kDeadlineExceeded, "envelope deadline passed");
  }
  Outcome fresh = window_.Accept(e.sender(), e.key_id(), e.sequence());
  if (!fresh.ok()) return fresh.error();
  return e;
}

}  // namespace nfvsm::refsm
