// The subcommands of nfvsm-admin (docs/rpc.md): each one parses its
// arguments with CLI11 and, once the command line is complete, runs one
// AdminClient call and prints the result.
//
// Exit codes: 0 ok, 1 the gateway refused (its message is printed),
// 2 usage (bad arguments, unreadable files), 3 gateway unreachable or
// silent.
#ifndef NFVSM_TOOLS_ADMIN_COMMANDS_H_
#define NFVSM_TOOLS_ADMIN_COMMANDS_H_

#include <CLI/CLI.hpp>
#include <functional>
#include <memory>
#include <ostream>

#include "nfvsm/amqp/admin_client.h"

namespace nfvsm::admin_tool {

inline constexpr int kExitOk = 0;
inline constexpr int kExitGatewayError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitUnreachable = 3;

struct Context {
  amqp::AdminClient& client;
  bool json = false;
  std::ostream& out;
  std::ostream& err;
};

// The command selected on the command line.
using Action = std::function<int(Context&)>;

// Registers every subcommand on `app`; parsing one sets `action`. CLI11
// writes the options into storage the returned handle owns: keep it alive
// while `app` parses and `action` runs.
[[nodiscard]] std::shared_ptr<void> AddCommands(CLI::App& app, Action& action);

// Prints a failed call and returns its exit code.
int Fail(Context& ctx, const Status& status);

}  // namespace nfvsm::admin_tool

#endif  // NFVSM_TOOLS_ADMIN_COMMANDS_H_
