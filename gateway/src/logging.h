// Logging of nfvsm-gateway with spdlog, in oslo.log's default line format
// so that operators can read and parse it like every OpenStack log:
//
//   2026-11-23 12:00:00.123 12345 INFO nfvsm.gateway [-] message
//   (local time with milliseconds, pid, level, logger name, request
//   context, message)
//
// The request context is "[-]" unless a ScopedRequestContext is active on
// the logging thread, then "[<request id> <actor>]".
//
// Thread safety: loggers are spdlog's thread-safe (_mt) loggers;
// ScopedRequestContext is per thread.
//
// Secrets: never pass a password or a key to a log call; transport URLs
// are logged only as TransportUrl::Redacted().
//
// Failures: MakeLogger returns kUnavailable when the log file cannot be
// opened.
#ifndef NFVSM_GATEWAY_LOGGING_H_
#define NFVSM_GATEWAY_LOGGING_H_

#include <spdlog/spdlog.h>

#include <memory>
#include <string>

#include "nfvsm/status.h"

namespace nfvsm::gateway {

inline constexpr char kLoggerName[] = "nfvsm.gateway";

struct LogOptions {
  bool debug = false;
  std::string log_file;  // empty: standard error
};

// Installs the oslo.log line format on a logger (all its sinks).
void UseOsloFormat(spdlog::logger& logger);

// The daemon's logger "nfvsm.gateway", writing to log_file or stderr.
StatusOr<std::shared_ptr<spdlog::logger>> MakeLogger(const LogOptions& options);

// A logger for a component ("nfvsm.gateway.ingest") sharing `parent`'s
// sinks, level and format.
std::shared_ptr<spdlog::logger> ChildLogger(
    const std::shared_ptr<spdlog::logger>& parent, const std::string& name);

// Sets the request context shown in log lines of this thread while alive.
class ScopedRequestContext {
 public:
  ScopedRequestContext(const std::string& request_id, const std::string& actor);
  ~ScopedRequestContext();
  ScopedRequestContext(const ScopedRequestContext&) = delete;
  ScopedRequestContext& operator=(const ScopedRequestContext&) = delete;

 private:
  std::string previous_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_LOGGING_H_
