// What the reference SM sends and how it reads what MANO sends: signed
// SM -> MANO messages (contract: exchange nfvsm.from-sm, routing key mano,
// AMQP type = message_type, message_id = "<sender>:<sequence>"), payload
// decoding by message_type, JSON renderings for logs and output, and the
// Instruction builders behind `nfvsm-sm send`.
//
// Thread safety: Outbox is not synchronized (one per thread); the free
// functions are pure.
// Failures: kInvalidArgument for bad arguments (naming the argument),
// kInternal for serialization/signing failures.
#ifndef NFVSM_SM_SRC_MESSAGES_H_
#define NFVSM_SM_SRC_MESSAGES_H_

#include <google/protobuf/message.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "nfvsm/v1/envelope.pb.h"
#include "nfvsm/v1/instructions.pb.h"
#include "sm/src/amqp_link.h"
#include "sm/src/channel.h"
#include "sm/src/keys.h"
#include "sm/src/result.h"
#include "sm/src/sequence.h"

namespace nfvsm::refsm {

inline constexpr char kGateRequestType[] = "nfvsm.v1.GateRequest";
inline constexpr char kGateAnswerType[] = "nfvsm.v1.GateAnswer";
inline constexpr char kInstructionType[] = "nfvsm.v1.Instruction";
inline constexpr char kInstructionResultType[] = "nfvsm.v1.InstructionResult";
inline constexpr char kStatusResultType[] = "nfvsm.v1.StatusResult";
inline constexpr char kHistoryResultType[] = "nfvsm.v1.HistoryResult";

// Signs messages of this SM towards MANO.
class Outbox {
 public:
  Outbox(const ChannelFile& channel, const PrivateKey& key,
         SequenceSource& sequence)
      : channel_(channel), key_(key), sequence_(sequence) {}

  Result<OutboundMessage> Wrap(const google::protobuf::Message& payload,
                               const std::string& correlation_id,
                               int64_t deadline_us = 0);

 private:
  const ChannelFile& channel_;
  const PrivateKey& key_;
  SequenceSource& sequence_;
};

// The payload of an opened envelope as the message its message_type names;
// kInvalidArgument for a type MANO does not send to SMs or a bad payload.
Result<std::unique_ptr<google::protobuf::Message>> DecodePayload(
    const v1::Envelope& envelope);

// Protobuf's canonical JSON (field names as in the .proto), one line.
std::string ToJson(const google::protobuf::Message& message);

// A unique instruction id: "<sm_id>-<16 hex random>".
std::string NewInstructionId(const std::string& sm_id);

// Comma-separated lists ("a,b,c") -> entries, empty entries dropped.
std::vector<std::string> SplitList(const std::string& text);

// Flag names: replacement-allowed, quarantine-copy, recovery-allowed,
// quarantine-image-and-vnfd, quarantine-host, terminate-colocated,
// erase-storage (instructions.proto TerminateFlags).
Result<v1::TerminateFlags> ParseTerminateFlags(
    const std::vector<std::string>& flags);
// "migrate" | "terminate".
Result<v1::HostAction> ParseHostAction(const std::string& text);
// "vnf-instance" | "image" | "vnfd" | "package" | "host".
Result<v1::QuarantineTarget> ParseQuarantineTarget(const std::string& text);
// nfvsm.v1.Policy in protobuf JSON; unknown fields refused.
Result<v1::Policy> ParsePolicyJson(const std::string& json_text);

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_MESSAGES_H_
