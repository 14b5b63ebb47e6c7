// AdminService: serves the admin RPC (queue `nfvsm.admin`, admin.proto;
// docs/rpc.md): trust domains, SMs (put_sm also provisions the SM's
// channel, remove_sm removes it) and bindings; quarantine list; VNF status
// and history; audit verify and export.
//
// Auditing (R1.3.260): changes are audited by the Engine with the
// request's actor; queries are audited here ("admin.query"), and refused
// requests ("admin.request_refused"), all in the MANO partition. Who may
// call it: whoever can publish on the MANO vhost (a documented limit).
//
// Not available: release_quarantine by an operator needs an Engine
// operation that does not exist yet (kFailedPrecondition; SMs release
// through their Instruction).
//
// Thread safety: requests are handled one at a time on the RPC server's
// thread; Start/Stop from one controlling thread.
//
// Ownership: borrows the Engine; the channel hooks must stay callable
// until Stop.
#ifndef NFVSM_GATEWAY_ADMIN_SERVICE_H_
#define NFVSM_GATEWAY_ADMIN_SERVICE_H_

#include <spdlog/spdlog.h>

#include <functional>
#include <memory>
#include <string>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/amqp/rpc_server.h"
#include "nfvsm/engine.h"
#include "nfvsm/status.h"

namespace nfvsm::v1 {
class AdminRequest;
class AdminReply;
}  // namespace nfvsm::v1

namespace nfvsm::gateway {

// What the admin service needs of the SM channels (SmChannels in the
// daemon; fakes in tests). Unset hooks: SMs get no channel.
struct ChannelHooks {
  std::function<Status(const SecurityManager&)> provision;
  std::function<Status(const SmId&)> remove;
  std::function<std::string(const SmId&)> channel_file;
};

struct AdminServiceOptions {
  amqp::ConnectionOptions connection;
  std::string queue = "nfvsm.admin";
  Duration start_wait = std::chrono::seconds(30);
};

class AdminService {
 public:
  static StatusOr<std::unique_ptr<AdminService>> Start(
      AdminServiceOptions options, Engine& engine, ChannelHooks channels,
      std::shared_ptr<spdlog::logger> logger);
  // Without a broker: only Handle() is used (tests, tools).
  static std::unique_ptr<AdminService> Unserved(
      Engine& engine, ChannelHooks channels,
      std::shared_ptr<spdlog::logger> logger);
  ~AdminService();
  AdminService(const AdminService&) = delete;
  AdminService& operator=(const AdminService&) = delete;

  void Stop();

  // Handles one decoded request (the RPC handler's core; also used by
  // tests without a broker).
  v1::AdminReply Handle(const v1::AdminRequest& request);

 private:
  AdminService(Engine& engine, ChannelHooks channels,
               std::shared_ptr<spdlog::logger> logger);
  Status AuditQuery(const std::string& actor, const std::string& what,
                    const std::string& subject);

  Engine& engine_;
  ChannelHooks channels_;
  std::shared_ptr<spdlog::logger> log_;
  std::unique_ptr<amqp::RpcServer> server_;
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_ADMIN_SERVICE_H_
