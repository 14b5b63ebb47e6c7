// SmProvisioner: creates and removes the broker side of an SM channel (its
// RabbitMQ virtual host, user and permissions) with `rabbitmqctl`, run by
// posix_spawn with an argv (never a shell).
//
// Thread safety: thread-compatible; SmChannels serializes its calls.
//
// Ownership: holds only the argv prefix; each call spawns and reaps one
// rabbitmqctl process.
//
// Passwords never appear on a command line, a log line or in a Status:
// add_user and change_password get them on stdin (rabbitmqctl 3.10 reads
// the password from stdin when the argument is omitted), and rabbitmqctl's
// output quoted in errors has any password scrubbed.
//
// Failures: kUnavailable when rabbitmqctl cannot be started or exits
// non-zero ("rabbitmqctl add_vhost nfvsm.sm.x: exit 69: <stderr>"),
// kInvalidArgument for an empty argv prefix or a bad name.
#ifndef NFVSM_GATEWAY_SM_PROVISIONER_H_
#define NFVSM_GATEWAY_SM_PROVISIONER_H_

#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"

namespace nfvsm::gateway {

// Broker permissions as rabbitmqctl set_permissions takes them (regexes).
struct BrokerPermissions {
  std::string configure;
  std::string write;
  std::string read;
};

class SmProvisioner {
 public:
  // `rabbitmqctl` is the argv prefix, e.g. {"rabbitmqctl", "-n",
  // "rabbit@host"}; its first element is looked up in PATH.
  static StatusOr<SmProvisioner> Create(std::vector<std::string> rabbitmqctl);

  // Idempotent: an existing vhost is left alone.
  Status EnsureVhost(const std::string& vhost);
  // Creates the user, or sets its password when it exists already.
  Status EnsureUser(const std::string& user, std::string_view password);
  Status SetPermissions(const std::string& vhost, const std::string& user,
                        const BrokerPermissions& permissions);
  // Idempotent: a missing vhost or user is not an error.
  Status DeleteVhost(const std::string& vhost);
  Status DeleteUser(const std::string& user);

 private:
  struct Result {
    int exit_code = -1;
    std::string output;  // stdout and stderr, password scrubbed
  };
  explicit SmProvisioner(std::vector<std::string> prefix)
      : prefix_(std::move(prefix)) {}
  // Runs prefix + args, feeding `stdin_data` (then EOF). `secret` is
  // scrubbed from the output. kUnavailable only if it could not be run.
  StatusOr<Result> Run(const std::vector<std::string>& args,
                       std::string_view stdin_data,
                       std::string_view secret) const;
  Status RunChecked(const std::vector<std::string>& args,
                    std::string_view stdin_data = {},
                    std::string_view secret = {}) const;

  std::vector<std::string> prefix_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_SM_PROVISIONER_H_
