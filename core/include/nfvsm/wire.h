// The wire codec: nfvsm's core structs <-> the nfvsm.v1 protobuf messages
// SMs implement against (core/proto/nfvsm/v1, docs/wire.md), and the signed
// envelope every message on an SM channel travels in (R2.1.60, R2.1.70,
// SEC024 6.2.1).
//
// Thread safety: every free function is pure and safe to call
// concurrently. ReplayWindow is internally synchronized: one window may be
// shared by all threads opening envelopes of a channel.
//
// Ownership: nothing is retained; decoders return values that own their
// data. OpenEnvelope records accepted sequence numbers in the given window.
//
// Failures are values, never exceptions; no input crashes a decoder:
//   kResourceExhausted  input larger than the caller's limit (checked
//                       before parsing), or a ReplayWindow holding its
//                       maximum number of streams
//   kInvalidArgument    not a parsable message, or a field is missing, out
//                       of range or oversized; the message names the field
//                       by its protobuf path ("terminate.vnf_ids[2]")
//   kUnauthenticated    an envelope signature does not verify, its key_id
//                       is not the channel's key, or its timestamp is
//                       outside the allowed clock skew (stale or from the
//                       future: freshness cannot be established)
//   kPermissionDenied   an authenticated envelope names another sender or
//                       recipient than the channel's
//   kDeadlineExceeded   an envelope's own deadline has passed
//   kAlreadyExists      an envelope's sequence number was seen before, or
//                       is older than the replay window (a replay, or too
//                       late to tell it from one)
// Error messages name fields, never secret values or signatures.
//
// Identity: no payload names the sending SM. Decoders of SM messages
// (DecodeInstruction, DecodeGateAnswer) take the sender from the opened,
// authenticated envelope.
#ifndef NFVSM_WIRE_H_
#define NFVSM_WIRE_H_

#include <bitset>
#include <cstddef>
#include <cstdint>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/gate.h"
#include "nfvsm/instruction.h"
#include "nfvsm/policy.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm {
namespace crypto {
class SigningKey;
class VerifyingKey;
}  // namespace crypto
namespace v1 {
class AuditRecordProto;
class GateRequest;
class LifecycleEventNotification;
class Policy;
class VnfRecord;
}  // namespace v1

namespace wire {

// Messages SMs send (instructions, gate answers) are small.
inline constexpr size_t kDefaultMaxMessageBytes = 256 * 1024;
// Messages MANO sends can carry a VNFD (up to 1 MiB, lifecycle_event.h).
inline constexpr size_t kDefaultMaxNotificationBytes = 2 * 1024 * 1024;
// Status lists and histories can be long.
inline constexpr size_t kDefaultMaxResultBytes = 16 * 1024 * 1024;
// Envelope fields around the payload (ids, times, signature).
inline constexpr size_t kEnvelopeOverheadBytes = 4 * 1024;
// Identifiers (VNF, domain, host, SM ... ids) and free text on the wire.
inline constexpr size_t kMaxWireIdBytes = 255;
inline constexpr size_t kMaxWireTextBytes = 4096;
inline constexpr size_t kMaxWireListEntries = 1024;

// Envelope.message_type of each payload: its full protobuf name.
inline constexpr std::string_view kLifecycleEventType =
    "nfvsm.v1.LifecycleEventNotification";
inline constexpr std::string_view kSecurityEventType = "nfvsm.v1.SecurityEvent";
inline constexpr std::string_view kGateRequestType = "nfvsm.v1.GateRequest";
inline constexpr std::string_view kGateAnswerType = "nfvsm.v1.GateAnswer";
inline constexpr std::string_view kInstructionType = "nfvsm.v1.Instruction";
inline constexpr std::string_view kInstructionResultType =
    "nfvsm.v1.InstructionResult";
inline constexpr std::string_view kStatusResultType = "nfvsm.v1.StatusResult";
inline constexpr std::string_view kHistoryResultType = "nfvsm.v1.HistoryResult";

// ---------------------------------------------------------- building blocks
// Used by the message codecs below, and by programs that embed these
// messages in their own. FromProto validates (ValidatePolicy for policies).

Status ToProto(const Policy& in, v1::Policy* out);
StatusOr<Policy> FromProto(const v1::Policy& in);
Status ToProto(const LifecycleEvent& in, v1::LifecycleEventNotification* out);
StatusOr<LifecycleEvent> FromProto(const v1::LifecycleEventNotification& in);
Status ToProto(const VnfRecord& in, v1::VnfRecord* out);
StatusOr<VnfRecord> FromProto(const v1::VnfRecord& in);
Status ToProto(const AuditRecord& in, v1::AuditRecordProto* out);
StatusOr<AuditRecord> FromProto(const v1::AuditRecordProto& in);

// ------------------------------------------------------------- MANO -> SM

// R2.1.150 - R2.1.240.
StatusOr<std::string> EncodeEvent(const LifecycleEvent& event);
StatusOr<LifecycleEvent> DecodeEvent(
    std::string_view bytes, size_t max_bytes = kDefaultMaxNotificationBytes);

// A gate request as an SM receives it (gate.proto).
struct GateRequestMessage {
  GateRequest request;
  std::optional<TimePoint> deadline;  // when MANO stops waiting
  bool answer_expected = false;       // false for Passive SMs (R2.1.20)
};
StatusOr<std::string> EncodeGateRequest(const GateRequest& request,
                                        std::optional<TimePoint> deadline,
                                        bool answer_expected);
StatusOr<GateRequestMessage> DecodeGateRequest(
    std::string_view bytes, size_t max_bytes = kDefaultMaxNotificationBytes);
// The same message as a protobuf, for messages that embed it (hook.proto's
// HookGateRequest). ToProto accepts an empty request.id: a hook leaves the
// gate id to the gateway, which sets one before FromProto (which, like
// DecodeGateRequest, requires it).
Status ToProto(const GateRequestMessage& in, v1::GateRequest* out);
StatusOr<GateRequestMessage> FromProto(const v1::GateRequest& in);

// The report on an instruction (SEC024 6.2.1: failures reported back).
// Decoding leaves status_list and history empty: they travel in
// StatusResult / HistoryResult.
StatusOr<std::string> EncodeInstructionResult(
    const InstructionOutcome& outcome);
StatusOr<InstructionOutcome> DecodeInstructionResult(
    std::string_view bytes, size_t max_bytes = kDefaultMaxNotificationBytes);

// R2.1.350.
struct StatusResultMessage {
  std::string instruction_id;
  std::vector<VnfRecord> vnfs;
};
StatusOr<std::string> EncodeStatusResult(const std::string& instruction_id,
                                         const std::vector<VnfRecord>& vnfs);
StatusOr<StatusResultMessage> DecodeStatusResult(
    std::string_view bytes, size_t max_bytes = kDefaultMaxResultBytes);

// R2.1.360.
struct HistoryResultMessage {
  std::string instruction_id;
  std::vector<LifecycleEvent> events;
};
StatusOr<std::string> EncodeHistoryResult(
    const std::string& instruction_id,
    const std::vector<LifecycleEvent>& events);
StatusOr<HistoryResultMessage> DecodeHistoryResult(
    std::string_view bytes, size_t max_bytes = kDefaultMaxResultBytes);

// An alert MANO raises to SMs (events.proto SecurityEvent).
enum class SecurityAlertKind : uint8_t {
  kUnauthorizedLifecycleAction,  // R1.3.180
  kUnauthorizedOnboarding,       // R1.3.110
  kInstructionRefused,           // R2.1.20, R2.1.90
  kMessageRejected,              // R2.1.70, SEC024 6.2.1
  kQuarantineViolationAttempt,   // IFA026 clause 4
  kPackageIntegrityFailure,      // R2.1.250
};
struct SecurityAlert {
  std::string id;
  SecurityAlertKind kind = SecurityAlertKind::kUnauthorizedLifecycleAction;
  TimePoint occurred_at{};
  VnfId vnf_id;
  DomainId domain;
  EventSource source = EventSource::kUnknown;
  std::optional<OperationKind> operation;
  std::string description;
  std::string related_id;
  friend bool operator==(const SecurityAlert&, const SecurityAlert&) = default;
};
StatusOr<std::string> EncodeSecurityEvent(const SecurityAlert& alert);
StatusOr<SecurityAlert> DecodeSecurityEvent(
    std::string_view bytes, size_t max_bytes = kDefaultMaxNotificationBytes);

// Audit export (records.proto AuditRecordProto, R1.3.260).
StatusOr<std::string> EncodeAuditRecord(const AuditRecord& record);
StatusOr<AuditRecord> DecodeAuditRecord(
    std::string_view bytes, size_t max_bytes = kDefaultMaxResultBytes);

// ------------------------------------------------------------- SM -> MANO
// Decoders refuse fields this build does not know (kInvalidArgument):
// MANO must never carry out half of what an SM asked for.

struct GateAnswerMessage {
  std::string gate_id;
  SmAnswer answer;  // answer.sm is the authenticated sender
};
// answer.sm is not encoded (the envelope's sender is).
StatusOr<std::string> EncodeGateAnswer(const std::string& gate_id,
                                       const SmAnswer& answer);
StatusOr<GateAnswerMessage> DecodeGateAnswer(
    std::string_view bytes, const SmId& sender,
    size_t max_bytes = kDefaultMaxMessageBytes);

// R2.1.260 - R2.1.360. Only the fields of instruction.kind are encoded;
// instruction.sm is not (the envelope's sender is).
StatusOr<std::string> EncodeInstruction(const Instruction& instruction);
StatusOr<Instruction> DecodeInstruction(
    std::string_view bytes, const SmId& sender,
    size_t max_bytes = kDefaultMaxMessageBytes);

// ---------------------------------------------------------------- envelope

// An envelope's fields (envelope.proto). key_id is set by SignEnvelope
// from the key and checked by OpenEnvelope against the channel's key.
struct Envelope {
  std::string key_id;
  uint64_t sequence = 0;  // > 0
  TimePoint timestamp{};
  std::string sender;
  std::string recipient;
  std::string message_type;
  std::string correlation_id;
  std::optional<TimePoint> deadline;
  std::string payload;
  friend bool operator==(const Envelope&, const Envelope&) = default;
};

// The exact bytes Ed25519 signs (envelope.proto, "Signing input"). Public
// so that SM implementers can check their encoding against ours.
std::string EnvelopeSigningInput(const Envelope& envelope);

// Remembers, per (sender, key_id), the highest sequence number accepted
// and which of the kWindow numbers below it were seen, so messages may
// arrive out of order but never twice. State lives in memory: after a
// restart only the timestamp check bounds replays (to the allowed skew).
class ReplayWindow {
 public:
  static constexpr uint64_t kWindow = 1024;

  explicit ReplayWindow(size_t max_streams = 4096)
      : max_streams_(max_streams) {}

  // Records `sequence` and returns OK if it is new. kAlreadyExists if it
  // was seen or is kWindow or more below the highest; kInvalidArgument for
  // 0; kResourceExhausted if the stream is new and max_streams are held.
  Status Accept(const std::string& sender, const std::string& key_id,
                uint64_t sequence);
  std::optional<uint64_t> Highest(const std::string& sender,
                                  const std::string& key_id) const;
  size_t streams() const;

 private:
  struct Stream {
    uint64_t highest = 0;
    std::bitset<kWindow> seen;  // bit i: highest - i was accepted
  };
  mutable std::mutex mu_;
  size_t max_streams_;
  std::map<std::pair<std::string, std::string>, Stream> streams_;
};

// What OpenEnvelope accepts. A channel should name both of its ends: an
// empty expected_sender / expected_recipient accepts any.
struct OpenOptions {
  size_t max_bytes = kDefaultMaxMessageBytes + kEnvelopeOverheadBytes;
  Duration max_clock_skew = std::chrono::seconds(60);
  std::string expected_sender;     // "" = any
  std::string expected_recipient;  // "" = any
};

// Serializes and signs. envelope.key_id is ignored (the key's id is used).
// kInvalidArgument for an envelope OpenEnvelope would refuse on its face
// (sequence 0, empty sender or message_type, oversized fields).
StatusOr<std::string> SignEnvelope(const crypto::SigningKey& key,
                                   const Envelope& envelope);

// Size, parse (no unknown fields), key id and signature, sender and
// recipient, freshness, deadline, then replay; see the file comment for
// the codes. A refusal leaves `window` untouched. Returns the
// authenticated envelope.
StatusOr<Envelope> OpenEnvelope(std::string_view bytes,
                                const crypto::VerifyingKey& key,
                                ReplayWindow& window, const Clock& clock,
                                const OpenOptions& options = {});

}  // namespace wire
}  // namespace nfvsm

#endif  // NFVSM_WIRE_H_
