// nfvsm-admin: manage nfvsm through the gateway's admin RPC (docs/rpc.md).
//
//   nfvsm-admin --config-file /etc/nova/nova.conf domain list
//   nfvsm-admin --transport-url rabbit://u:p@host:5672/ -f json sm list
#include <INIReader.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <string>

#include "commands.h"
#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/amqp/transport_url.h"

namespace {

using nfvsm::StatusOr;
using namespace nfvsm::admin_tool;

// [DEFAULT] transport_url of an OpenStack-style configuration file.
StatusOr<std::string> TransportUrlFromConfig(const std::string& path) {
  INIReader reader(path);
  if (reader.ParseError() != 0) {
    return nfvsm::InvalidArgumentError(
        "cannot parse " + path +
        (reader.ParseError() > 0
             ? " (line " + std::to_string(reader.ParseError()) + ")"
             : ""));
  }
  std::string url = reader.Get("DEFAULT", "transport_url", "");
  if (url.empty()) {
    return nfvsm::InvalidArgumentError(path +
                                       " has no [DEFAULT] transport_url");
  }
  return url;
}

std::string DefaultActor() {
  const char* user = std::getenv("USER");
  char host[256] = {};
  if (gethostname(host, sizeof(host) - 1) != 0) host[0] = '\0';
  return std::string(user ? user : "unknown") + "@" + host;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nfvsm-admin: trust domains, Security Managers, bindings, "
      "quarantine, VNF records and the audit log of nfvsm"};
  app.require_subcommand(1);
  std::string transport_url;
  std::string config_file;
  std::string format = "table";
  std::string actor = DefaultActor();
  int64_t timeout_ms = 30000;
  std::string queue = nfvsm::amqp::kAdminQueue;
  auto* url_opt = app.add_option("--transport-url", transport_url,
                                 "rabbit://user:password@host:port/vhost");
  app.add_option("--config-file", config_file,
                 "file with [DEFAULT] transport_url (e.g. nova.conf)")
      ->excludes(url_opt);
  app.add_option("-f,--format", format, "table | json")
      ->check(CLI::IsMember({"table", "json"}))
      ->capture_default_str();
  app.add_option("--actor", actor, "who acts (audited)")->capture_default_str();
  app.add_option("--timeout-ms", timeout_ms, "per request")
      ->check(CLI::Range(int64_t{1}, int64_t{3'600'000}))
      ->capture_default_str();
  app.add_option("--queue", queue, "the gateway's admin queue")
      ->capture_default_str();
  Action action;
  auto storage = AddCommands(app, action);
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    const int code = app.exit(e);  // prints help or the error
    return code == 0 ? kExitOk : kExitUsage;
  }

  if (transport_url.empty() && config_file.empty()) {
    if (const char* env = std::getenv("NFVSM_TRANSPORT_URL")) {
      transport_url = env;
    }
  }
  if (!config_file.empty()) {
    auto url = TransportUrlFromConfig(config_file);
    if (!url.ok()) {
      std::cerr << "nfvsm-admin: " << url.status().message() << "\n";
      return kExitUsage;
    }
    transport_url = *url;
  }
  if (transport_url.empty()) {
    std::cerr << "nfvsm-admin: give --transport-url or --config-file\n";
    return kExitUsage;
  }
  auto url = nfvsm::amqp::TransportUrl::Parse(transport_url);
  if (!url.ok()) {
    // The URL's own message never repeats a password.
    std::cerr << "nfvsm-admin: " << url.status().message() << "\n";
    return kExitUsage;
  }
  nfvsm::amqp::ConnectionOptions connection;
  connection.url = *url;
  connection.connection_name = "nfvsm-admin";
  connection.connect_timeout = std::chrono::milliseconds(timeout_ms);
  nfvsm::amqp::AdminClientOptions options;
  options.actor = actor;
  options.queue = queue;
  options.deadline = std::chrono::milliseconds(timeout_ms);
  auto client = nfvsm::amqp::AdminClient::Open(connection, options);
  if (!client.ok()) {
    std::cerr << "nfvsm-admin: " << client.status().message() << "\n";
    return kExitUsage;
  }
  Context ctx{**client, format == "json", std::cout, std::cerr};
  return action ? action(ctx) : kExitUsage;
}
