#include "logging.h"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>

#include <string_view>
#include <utility>

namespace nfvsm::gateway {
namespace {

thread_local std::string t_request_context;  // empty: none

// oslo.log's level names (Python logging), not spdlog's lower-case ones.
std::string_view OsloLevel(spdlog::level::level_enum level) {
  switch (level) {
    case spdlog::level::trace:
    case spdlog::level::debug:
      return "DEBUG";
    case spdlog::level::info:
      return "INFO";
    case spdlog::level::warn:
      return "WARNING";
    case spdlog::level::err:
      return "ERROR";
    case spdlog::level::critical:
      return "CRITICAL";
    default:
      return "NOTSET";
  }
}

class LevelFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg& msg, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view name = OsloLevel(msg.level);
    dest.append(name.data(), name.data() + name.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<LevelFlag>();
  }
};

// Evaluated on the logging thread (loggers here are synchronous).
class ContextFlag final : public spdlog::custom_flag_formatter {
 public:
  void format(const spdlog::details::log_msg&, const std::tm&,
              spdlog::memory_buf_t& dest) override {
    std::string_view ctx =
        t_request_context.empty() ? std::string_view("-") : t_request_context;
    dest.append(ctx.data(), ctx.data() + ctx.size());
  }
  std::unique_ptr<custom_flag_formatter> clone() const override {
    return std::make_unique<ContextFlag>();
  }
};

}  // namespace

void UseOsloFormat(spdlog::logger& logger) {
  auto formatter = std::make_unique<spdlog::pattern_formatter>();
  formatter->add_flag<LevelFlag>('L');
  formatter->add_flag<ContextFlag>('Q');
  formatter->set_pattern("%Y-%m-%d %H:%M:%S.%e %P %L %n [%Q] %v");
  logger.set_formatter(std::move(formatter));
}

StatusOr<std::shared_ptr<spdlog::logger>> MakeLogger(
    const LogOptions& options) {
  std::shared_ptr<spdlog::logger> logger;
  try {
    spdlog::sink_ptr sink;
    if (options.log_file.empty()) {
      sink = std::make_shared<spdlog::sinks::stderr_sink_mt>();
    } else {
      sink = std::make_shared<spdlog::sinks::basic_file_sink_mt>(
          options.log_file, /*truncate=*/false);
    }
    logger = std::make_shared<spdlog::logger>(kLoggerName, std::move(sink));
  } catch (const spdlog::spdlog_ex& e) {
    return UnavailableError("cannot open log file " + options.log_file);
  }
  UseOsloFormat(*logger);
  logger->set_level(options.debug ? spdlog::level::debug : spdlog::level::info);
  // Every line reaches the file at once: operators and tests tail it, and a
  // crash then loses nothing that explains it.
  logger->flush_on(spdlog::level::info);
  return logger;
}

std::shared_ptr<spdlog::logger> ChildLogger(
    const std::shared_ptr<spdlog::logger>& parent, const std::string& name) {
  auto child = parent->clone(name);
  UseOsloFormat(*child);
  return child;
}

ScopedRequestContext::ScopedRequestContext(const std::string& request_id,
                                           const std::string& actor)
    : previous_(std::move(t_request_context)) {
  t_request_context = request_id + " " + (actor.empty() ? "-" : actor);
}

ScopedRequestContext::~ScopedRequestContext() {
  t_request_context = std::move(previous_);
}

}  // namespace nfvsm::gateway
