#include "logging.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <spdlog/sinks/ostream_sink.h>
#include <unistd.h>

#include <regex>
#include <sstream>

#include "nfvsm/amqp/transport_url.h"

namespace nfvsm::gateway {
namespace {

std::shared_ptr<spdlog::logger> StreamLogger(std::ostringstream& out) {
  auto sink = std::make_shared<spdlog::sinks::ostream_sink_mt>(out);
  auto logger = std::make_shared<spdlog::logger>(kLoggerName, sink);
  UseOsloFormat(*logger);
  logger->set_level(spdlog::level::debug);
  return logger;
}

// covers: R1.3.260
TEST(GatewayLoggingTest, LinesFollowOsloLogFormat) {
  std::ostringstream out;
  auto logger = StreamLogger(out);
  logger->info("hello {}", 42);
  logger->warn("careful");
  logger->error("broken");
  logger->debug("details");
  logger->critical("down");
  const std::string pid = std::to_string(getpid());
  const std::regex line_re(
      R"(^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} )" + pid +
      R"( (INFO|WARNING|ERROR|DEBUG|CRITICAL) nfvsm\.gateway \[-\] (.*)$)");
  std::istringstream lines(out.str());
  std::string line;
  std::vector<std::string> levels, messages;
  std::smatch m;
  while (std::getline(lines, line)) {
    ASSERT_TRUE(std::regex_match(line, m, line_re)) << line;
    levels.push_back(m[1]);
    messages.push_back(m[2]);
  }
  EXPECT_EQ(levels, (std::vector<std::string>{"INFO", "WARNING", "ERROR",
                                              "DEBUG", "CRITICAL"}));
  EXPECT_EQ(messages, (std::vector<std::string>{"hello 42", "careful", "broken",
                                                "details", "down"}));
}

// covers: R1.3.260
TEST(GatewayLoggingTest, RequestContextAndChildLoggerName) {
  std::ostringstream out;
  auto logger = StreamLogger(out);
  auto child = ChildLogger(logger, "nfvsm.gateway.ingest");
  {
    ScopedRequestContext ctx("req-1", "heat-engine@host1");
    child->info("inside");
  }
  child->info("outside");
  const std::string text = out.str();
  EXPECT_THAT(text, ::testing::HasSubstr(
                        " INFO nfvsm.gateway.ingest [req-1 heat-engine@host1] "
                        "inside\n"));
  EXPECT_THAT(text,
              ::testing::HasSubstr(" INFO nfvsm.gateway.ingest [-] outside\n"));
}

// covers: R1.3.260
TEST(GatewayLoggingTest, TransportUrlIsLoggedWithoutPassword) {
  std::ostringstream out;
  auto logger = StreamLogger(out);
  auto url = amqp::TransportUrl::Parse("rabbit://nova:Sup3rS%40cret@h:5672/");
  ASSERT_TRUE(url.ok());
  logger->info("bus {}", url->Redacted());
  EXPECT_THAT(out.str(), ::testing::Not(::testing::HasSubstr("Sup3rS")));
  EXPECT_THAT(out.str(), ::testing::HasSubstr("nova"));
}

// covers: R1.3.260
TEST(GatewayLoggingTest, UnwritableLogFileIsAnError) {
  auto logger = MakeLogger({.log_file = "/proc/nfvsm-no-such-dir/gw.log"});
  ASSERT_FALSE(logger.ok());
  EXPECT_EQ(logger.status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace nfvsm::gateway
