#include "sm_provisioner.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cstring>
#include <utility>

extern char** environ;

namespace nfvsm::gateway {
namespace {

constexpr size_t kMaxOutputBytes = 16 * 1024;

// Closes a descriptor once, on scope exit or explicitly.
class Fd {
 public:
  Fd() = default;
  explicit Fd(int fd) : fd_(fd) {}
  ~Fd() { Close(); }
  Fd(const Fd&) = delete;
  Fd& operator=(const Fd&) = delete;
  int get() const { return fd_; }
  void Close() {
    if (fd_ >= 0) ::close(fd_);
    fd_ = -1;
  }

 private:
  int fd_ = -1;
};

// Writes `data` to `fd` with SIGPIPE blocked in this thread, so that a
// rabbitmqctl that exits before reading its stdin gives EPIPE instead of
// killing the process.
void WriteIgnoringPipe(int fd, std::string_view data) {
  sigset_t pipe_set;
  sigset_t old_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, &old_set);
  bool got_epipe = false;
  while (!data.empty()) {
    ssize_t n = ::write(fd, data.data(), data.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) {
      got_epipe = errno == EPIPE;
      break;
    }
    data.remove_prefix(static_cast<size_t>(n));
  }
  if (got_epipe) {
    const timespec zero{0, 0};
    sigtimedwait(&pipe_set, nullptr, &zero);  // consume the pending SIGPIPE
  }
  pthread_sigmask(SIG_SETMASK, &old_set, nullptr);
}

void Scrub(std::string& text, std::string_view secret) {
  if (secret.empty()) return;
  size_t pos = 0;
  while ((pos = text.find(secret, pos)) != std::string::npos) {
    text.replace(pos, secret.size(), "***");
    pos += 3;
  }
}

bool IsMissing(const std::string& output) {
  return output.find("does not exist") != std::string::npos;
}

}  // namespace

StatusOr<SmProvisioner> SmProvisioner::Create(
    std::vector<std::string> rabbitmqctl) {
  if (rabbitmqctl.empty() || rabbitmqctl.front().empty()) {
    return InvalidArgumentError("rabbitmqctl: empty command");
  }
  return SmProvisioner(std::move(rabbitmqctl));
}

StatusOr<SmProvisioner::Result> SmProvisioner::Run(
    const std::vector<std::string>& args, std::string_view stdin_data,
    std::string_view secret) const {
  std::array<int, 2> in_pipe{-1, -1};
  std::array<int, 2> out_pipe{-1, -1};
  if (::pipe2(in_pipe.data(), O_CLOEXEC) != 0) {
    return UnavailableError("rabbitmqctl: pipe failed");
  }
  Fd in_read(in_pipe[0]);
  Fd in_write(in_pipe[1]);
  if (::pipe2(out_pipe.data(), O_CLOEXEC) != 0) {
    return UnavailableError("rabbitmqctl: pipe failed");
  }
  Fd out_read(out_pipe[0]);
  Fd out_write(out_pipe[1]);

  std::vector<std::string> argv_strings = prefix_;
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (auto& s : argv_strings) argv.push_back(s.data());
  argv.push_back(nullptr);

  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_adddup2(&actions, in_read.get(), STDIN_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDOUT_FILENO);
  posix_spawn_file_actions_adddup2(&actions, out_write.get(), STDERR_FILENO);
  pid_t pid = -1;
  const int rc =
      posix_spawnp(&pid, argv[0], &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    return UnavailableError("rabbitmqctl: cannot run '" + prefix_.front() +
                            "': " + std::strerror(rc));
  }
  in_read.Close();
  out_write.Close();
  WriteIgnoringPipe(in_write.get(), stdin_data);
  in_write.Close();

  Result result;
  std::array<char, 4096> buf;
  for (;;) {
    ssize_t n = ::read(out_read.get(), buf.data(), buf.size());
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    if (result.output.size() < kMaxOutputBytes) {
      result.output.append(buf.data(), static_cast<size_t>(n));
    }
  }
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128;
  Scrub(result.output, secret);
  while (!result.output.empty() &&
         (result.output.back() == '\n' || result.output.back() == ' ')) {
    result.output.pop_back();
  }
  return result;
}

Status SmProvisioner::RunChecked(const std::vector<std::string>& args,
                                 std::string_view stdin_data,
                                 std::string_view secret) const {
  NFVSM_ASSIGN_OR_RETURN(Result r, Run(args, stdin_data, secret));
  if (r.exit_code == 0) return OkStatus();
  std::string what = "rabbitmqctl";
  for (const auto& a : args) what += " " + a;
  return UnavailableError(what + ": exit " + std::to_string(r.exit_code) +
                          ": " + r.output);
}

Status SmProvisioner::EnsureVhost(const std::string& vhost) {
  // add_vhost of an existing vhost succeeds (rabbitmqctl 3.10).
  return RunChecked({"add_vhost", vhost});
}

Status SmProvisioner::EnsureUser(const std::string& user,
                                 std::string_view password) {
  const std::string line = std::string(password) + "\n";
  NFVSM_ASSIGN_OR_RETURN(Result added, Run({"add_user", user}, line, password));
  if (added.exit_code == 0) return OkStatus();
  if (added.output.find("already exists") == std::string::npos) {
    return UnavailableError("rabbitmqctl add_user " + user + ": exit " +
                            std::to_string(added.exit_code) + ": " +
                            added.output);
  }
  return RunChecked({"change_password", user}, line, password);
}

Status SmProvisioner::SetPermissions(const std::string& vhost,
                                     const std::string& user,
                                     const BrokerPermissions& permissions) {
  return RunChecked({"set_permissions", "-p", vhost, user,
                     permissions.configure, permissions.write,
                     permissions.read});
}

Status SmProvisioner::DeleteVhost(const std::string& vhost) {
  NFVSM_ASSIGN_OR_RETURN(Result r, Run({"delete_vhost", vhost}, {}, {}));
  if (r.exit_code == 0 || IsMissing(r.output)) return OkStatus();
  return UnavailableError("rabbitmqctl delete_vhost " + vhost + ": exit " +
                          std::to_string(r.exit_code) + ": " + r.output);
}

Status SmProvisioner::DeleteUser(const std::string& user) {
  NFVSM_ASSIGN_OR_RETURN(Result r, Run({"delete_user", user}, {}, {}));
  if (r.exit_code == 0 || IsMissing(r.output)) return OkStatus();
  return UnavailableError("rabbitmqctl delete_user " + user + ": exit " +
                          std::to_string(r.exit_code) + ": " + r.output);
}

}  // namespace nfvsm::gateway
