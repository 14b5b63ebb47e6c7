// `nfvsm-sm send`: publish one signed Instruction and wait for MANO's
// answer on the inbox (InstructionResult, and for queries the
// StatusResult / HistoryResult before it), matched by instruction id.
//
// Messages in the inbox that are not the answer are left unacknowledged
// and go back to the queue when `send` disconnects, for `serve` to handle.
// Because the SM has a single inbox, `send` should not run while `serve`
// consumes the same channel (serve would take the answer); docs/sm.md.
//
// Thread safety: call from one thread. Failures are in SendOutcome.
#ifndef NFVSM_SM_SRC_SEND_H_
#define NFVSM_SM_SRC_SEND_H_

#include <string>

#include "nfvsm/v1/instructions.pb.h"
#include "sm/src/amqp_link.h"
#include "sm/src/channel.h"
#include "sm/src/keys.h"
#include "sm/src/sequence.h"

namespace nfvsm::refsm {

// Process exit codes of `send`.
inline constexpr int kSendAccepted = 0;
inline constexpr int kSendRefused = 1;
inline constexpr int kSendUsageError = 2;
inline constexpr int kSendNoAnswer = 3;

struct SendOptions {
  TlsFiles tls;
  int timeout_ms = 30000;
  // After a query's StatusResult/HistoryResult, how long to wait for its
  // InstructionResult before printing what arrived.
  int result_grace_ms = 2000;
};

struct SendOutcome {
  int exit_code = kSendNoAnswer;
  std::string json;   // what to print on stdout
  std::string error;  // what to print on stderr
};

SendOutcome SendInstruction(const ChannelFile& channel, const PrivateKey& key,
                            SequenceSource& sequence,
                            const v1::Instruction& instruction,
                            const SendOptions& options);

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_SEND_H_
