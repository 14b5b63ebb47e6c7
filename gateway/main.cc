// nfvsm-gateway: wires core + amqp + configuration (docs/gateway.md).
//
// Signals are taken by a signalfd on the main thread (blocked in every
// thread before any is started), so no work runs in a signal handler:
// SIGTERM / SIGINT drain and exit 0, SIGHUP reopens SM channels.
#include <poll.h>
#include <signal.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdio>
#include <string>
#include <thread>

#include "config.h"
#include "gateway.h"
#include "logging.h"

namespace {

using nfvsm::gateway::Gateway;

int Serve(const std::string& config_file, const std::string& log_file) {
  auto config = nfvsm::gateway::LoadConfig(config_file);
  if (!config.ok()) {
    std::fprintf(stderr, "nfvsm-gateway: %s\n",
                 config.status().ToString().c_str());
    return 2;
  }
  auto logger = nfvsm::gateway::MakeLogger(
      {.debug = config->debug, .log_file = log_file});
  if (!logger.ok()) {
    std::fprintf(stderr, "nfvsm-gateway: %s\n",
                 logger.status().ToString().c_str());
    return 2;
  }
  auto log = *logger;

  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGHUP);
  // Before any thread exists, so every thread inherits the mask.
  if (pthread_sigmask(SIG_BLOCK, &signals, nullptr) != 0) {
    log->critical("cannot block signals");
    return 1;
  }
  const int sigfd = signalfd(-1, &signals, SFD_CLOEXEC);
  if (sigfd < 0) {
    log->critical("cannot create a signalfd");
    return 1;
  }

  auto gateway = Gateway::Open(*config, log);
  if (!gateway.ok()) {
    log->critical("cannot open: {}", gateway.status().ToString());
    close(sigfd);
    return 1;
  }
  std::atomic<bool> done{false};
  nfvsm::Status result;
  std::thread runner([&] {
    result = (*gateway)->Run();
    done.store(true);
  });
  while (!done.load()) {
    pollfd p{.fd = sigfd, .events = POLLIN, .revents = 0};
    if (poll(&p, 1, 200) <= 0) continue;
    signalfd_siginfo info{};
    if (read(sigfd, &info, sizeof info) != sizeof info) continue;
    if (info.ssi_signo == SIGHUP) {
      log->info("SIGHUP: reloading");
      (*gateway)->Reload();
    } else {
      log->info("signal {}: stopping", info.ssi_signo);
      (*gateway)->Stop();
    }
  }
  runner.join();
  gateway->reset();
  close(sigfd);
  return result.ok() ? 0 : 1;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{
      "nfvsm-gateway: the NFV-MANO side of the ETSI NFV Security "
      "Manager interfaces on the MANO message bus"};
  std::string config_file(nfvsm::gateway::kDefaultConfigFile);
  std::string log_file;
  app.add_option("--config-file", config_file,
                 "configuration file (OpenStack INI style)")
      ->capture_default_str();
  app.add_option("--log-file", log_file,
                 "log to this file instead of standard error");
  app.set_version_flag("--version",
                       std::string("nfvsm-gateway ") + NFVSM_VERSION);
  CLI11_PARSE(app, argc, argv);
  return Serve(config_file, log_file);
}
