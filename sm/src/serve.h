// `nfvsm-sm serve`: consume the SM inbox, verify every envelope, answer
// gate requests from the rules, log (and record as JSON lines) what MANO
// sends, ack after handling, reconnect after connection loss.
//
// Thread safety: one Server per thread; RequestStop() (an atomic flag) may
// be set from a signal handler.
// Ownership: the Server holds its links, the channel, key and rules.
// Failures: Run() returns a process exit code: 0 after a stop request, 2
// for a configuration error the broker reports (refused login or queue).
// Invalid envelopes never stop the server: they are acked, counted and
// logged with the reason (never their bytes).
#ifndef NFVSM_SM_SRC_SERVE_H_
#define NFVSM_SM_SRC_SERVE_H_

#include <atomic>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "sm/src/amqp_link.h"
#include "sm/src/channel.h"
#include "sm/src/envelope.h"
#include "sm/src/keys.h"
#include "sm/src/messages.h"
#include "sm/src/rules.h"
#include "sm/src/sequence.h"

namespace nfvsm::refsm {

// Appends one JSON object per line to a file (tests read it); no-op when
// no path was given.
class EventLog {
 public:
  explicit EventLog(const std::string& path);
  ~EventLog();
  EventLog(const EventLog&) = delete;
  EventLog& operator=(const EventLog&) = delete;
  bool ok() const { return path_.empty() || file_ != nullptr; }
  void Write(const std::string& json_line);

 private:
  std::string path_;
  FILE* file_ = nullptr;
};

struct ServerCounters {
  uint64_t received = 0;
  uint64_t rejected = 0;  // invalid envelopes or payloads
  uint64_t gate_answers = 0;
  uint64_t silent = 0;
};

// What to do with one inbound message (pure: no I/O but the event log).
struct HandlingPlan {
  std::optional<OutboundMessage> reply;  // a signed GateAnswer
  int delay_ms = 0;
};

class InboxHandler {
 public:
  InboxHandler(const ChannelFile& channel, const PrivateKey& key,
               SequenceSource& sequence, const Rules& rules, EventLog& log);
  HandlingPlan Handle(const InboundMessage& message, int64_t now_us);
  const ServerCounters& counters() const { return counters_; }

 private:
  void Reject(const InboundMessage& message, const Error& error);

  const ChannelFile& channel_;
  const Rules& rules_;
  EventLog& log_;
  EnvelopeVerifier verifier_;
  Outbox outbox_;
  ServerCounters counters_;
};

struct ServeOptions {
  TlsFiles tls;
  int confirm_timeout_ms = 10000;
  int max_backoff_ms = 5000;
};

class Server {
 public:
  Server(ChannelFile channel, PrivateKey key, Rules rules,
         std::string sequence_file, std::string events_out,
         ServeOptions options);
  // Runs until `stop` is set; finishes the message in hand first.
  int Run(const std::atomic<bool>& stop);
  const ServerCounters& counters() const { return handler_.counters(); }

 private:
  // One connected session; returns when the links break or stop is set.
  Outcome Session(const std::atomic<bool>& stop);

  ChannelFile channel_;
  PrivateKey key_;
  Rules rules_;
  SequenceSource sequence_;
  EventLog log_;
  ServeOptions options_;
  InboxHandler handler_;
  bool session_connected_ = false;
};

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_SERVE_H_
