#include "admin_service.h"

#include <nlohmann/json.hpp>
#include <utility>

#include "logging.h"
#include "nfvsm/amqp/admin_client.h"
#include "nfvsm/v1/admin.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::gateway {
namespace {

using nlohmann::json;
namespace admin = amqp::admin;

constexpr size_t kMaxAdminRequestBytes = 1024 * 1024;

v1::AdminReply Ok() {
  v1::AdminReply reply;
  admin::SetStatus(OkStatus(), &reply);
  return reply;
}

v1::AdminReply Error(const Status& s) {
  v1::AdminReply reply;
  admin::SetStatus(s, &reply);
  return reply;
}

std::string_view OperationName(const v1::AdminRequest& r) {
  switch (r.operation_case()) {
    case v1::AdminRequest::kPutDomain:
      return "put_domain";
    case v1::AdminRequest::kRemoveDomain:
      return "remove_domain";
    case v1::AdminRequest::kPutSm:
      return "put_sm";
    case v1::AdminRequest::kRemoveSm:
      return "remove_sm";
    case v1::AdminRequest::kPutBinding:
      return "put_binding";
    case v1::AdminRequest::kRemoveBinding:
      return "remove_binding";
    case v1::AdminRequest::kList:
      return "list";
    case v1::AdminRequest::kListQuarantine:
      return "list_quarantine";
    case v1::AdminRequest::kReleaseQuarantine:
      return "release_quarantine";
    case v1::AdminRequest::kVnfStatus:
      return "vnf_status";
    case v1::AdminRequest::kVnfHistory:
      return "vnf_history";
    case v1::AdminRequest::kAuditVerify:
      return "audit_verify";
    case v1::AdminRequest::kAuditExport:
      return "audit_export";
    case v1::AdminRequest::kPutVnf:
      return "put_vnf";
    default:
      return "none";
  }
}

}  // namespace

AdminService::AdminService(Engine& engine, ChannelHooks channels,
                           std::shared_ptr<spdlog::logger> logger)
    : engine_(engine),
      channels_(std::move(channels)),
      log_(std::move(logger)) {}

StatusOr<std::unique_ptr<AdminService>> AdminService::Start(
    AdminServiceOptions options, Engine& engine, ChannelHooks channels,
    std::shared_ptr<spdlog::logger> logger) {
  if (!logger) return InvalidArgumentError("admin service: needs a logger");
  std::unique_ptr<AdminService> service(
      new AdminService(engine, std::move(channels), std::move(logger)));
  AdminService* raw = service.get();
  amqp::RpcServerOptions rpc;
  rpc.connection = std::move(options.connection);
  rpc.connection.connection_name = "nfvsm-gateway admin";
  rpc.connection.prefetch_count = 1;  // one request at a time anyway
  rpc.queue.name = options.queue;
  rpc.queue.durable = false;
  rpc.start_wait = options.start_wait;
  auto server = amqp::RpcServer::Create(
      std::move(rpc), [raw](const amqp::Delivery& d, amqp::Responder r) {
        v1::AdminRequest request;
        v1::AdminReply reply;
        if (d.oversized || d.body.size() > kMaxAdminRequestBytes ||
            !request.ParseFromString(d.body)) {
          reply = Error(InvalidArgumentError("not an AdminRequest"));
          (void)raw->AuditQuery("-", "admin.request_refused",
                                d.properties.correlation_id);
        } else {
          ScopedRequestContext ctx(request.request_id().empty()
                                       ? d.properties.correlation_id
                                       : request.request_id(),
                                   request.actor());
          reply = raw->Handle(request);
        }
        reply.set_request_id(request.request_id());
        Status s = r.Reply(reply.SerializeAsString(), amqp::kAdminReplyType);
        if (!s.ok()) raw->log_->warn("admin reply failed: {}", s.ToString());
      });
  if (!server.ok()) return server.status();
  NFVSM_RETURN_IF_ERROR((*server)->Start());
  service->server_ = std::move(server).value();
  return service;
}

std::unique_ptr<AdminService> AdminService::Unserved(
    Engine& engine, ChannelHooks channels,
    std::shared_ptr<spdlog::logger> logger) {
  return std::unique_ptr<AdminService>(
      new AdminService(engine, std::move(channels), std::move(logger)));
}

AdminService::~AdminService() { Stop(); }

void AdminService::Stop() {
  if (server_) server_->Stop();
}

Status AdminService::AuditQuery(const std::string& actor,
                                const std::string& what,
                                const std::string& subject) {
  const std::string kind =
      what == "admin.request_refused" ? what : std::string("admin.query");
  const std::string body = json{{"operation", what}}.dump(
      -1, ' ', false, json::error_handler_t::replace);
  Status s = engine_.store().InTransaction([&]() -> Status {
    return engine_.audit()
        .Append(kManoPartition, kind, actor.empty() ? "-" : actor,
                subject.empty() ? "-" : subject, body)
        .status();
  });
  if (!s.ok()) engine_.audit().ForgetCachedHeads();
  return s;
}

v1::AdminReply AdminService::Handle(const v1::AdminRequest& request) {
  const std::string& actor = request.actor();
  const std::string op(OperationName(request));
  if (actor.empty()) {
    (void)AuditQuery("-", "admin.request_refused", op);
    return Error(InvalidArgumentError("admin request without actor"));
  }
  log_->info("admin {} by {}", op, actor);
  switch (request.operation_case()) {
    case v1::AdminRequest::kPutDomain: {
      auto d = admin::FromProto(request.put_domain());
      if (!d.ok()) return Error(d.status());
      return Error(engine_.PutDomain(*d, actor));
    }
    case v1::AdminRequest::kRemoveDomain:
      return Error(engine_.RemoveDomain(request.remove_domain().id(), actor));
    case v1::AdminRequest::kPutSm: {
      auto sm = admin::FromProto(request.put_sm());
      if (!sm.ok()) return Error(sm.status());
      if (Status s = engine_.PutSm(*sm, actor); !s.ok()) return Error(s);
      v1::AdminReply reply = Ok();
      if (channels_.provision) {
        // Idempotent: a failed provisioning is fixed by putting it again.
        if (Status s = channels_.provision(*sm); !s.ok()) {
          log_->error("channel of SM {} not provisioned: {}", sm->id,
                      s.ToString());
          return Error(Status(s.code(),
                              "SM registered, but its channel was "
                              "not provisioned: " +
                                  s.message()));
        }
        reply.mutable_put_sm()->set_channel_file(
            channels_.channel_file ? channels_.channel_file(sm->id) : "");
      }
      return reply;
    }
    case v1::AdminRequest::kRemoveSm: {
      const SmId& id = request.remove_sm().id();
      if (Status s = engine_.RemoveSm(id, actor); !s.ok()) return Error(s);
      if (channels_.remove) {
        if (Status s = channels_.remove(id); !s.ok()) {
          log_->error("channel of removed SM {} not removed: {}", id,
                      s.ToString());
          return Error(Status(s.code(),
                              "SM removed, but its channel was "
                              "not: " +
                                  s.message()));
        }
      }
      return Ok();
    }
    case v1::AdminRequest::kPutBinding: {
      auto b = admin::FromProto(request.put_binding());
      if (!b.ok()) return Error(b.status());
      return Error(engine_.PutBinding(*b, actor));
    }
    case v1::AdminRequest::kRemoveBinding:
      return Error(engine_.RemoveBinding(request.remove_binding().sm(),
                                         request.remove_binding().domain(),
                                         actor));
    default:
      break;
  }

  // Queries: audited here, then answered.
  if (request.operation_case() == v1::AdminRequest::OPERATION_NOT_SET) {
    (void)AuditQuery(actor, "admin.request_refused", op);
    return Error(InvalidArgumentError("admin request names no operation"));
  }
  std::string subject;
  if (request.has_vnf_status()) subject = request.vnf_status().vnf_id();
  if (request.has_vnf_history()) subject = request.vnf_history().vnf_id();
  if (Status s = AuditQuery(actor, op, subject); !s.ok()) {
    return Error(Status(s.code(), "query not audited: " + s.message()));
  }
  v1::AdminReply reply = Ok();
  switch (request.operation_case()) {
    case v1::AdminRequest::kList:
      switch (request.list().what()) {
        case v1::ListRequest::WHAT_DOMAINS:
          for (const auto& d : engine_.bindings().ListDomains()) {
            admin::ToProto(d, reply.mutable_domains()->add_domains());
          }
          reply.mutable_domains();
          return reply;
        case v1::ListRequest::WHAT_SMS:
          for (const auto& sm : engine_.bindings().ListSms()) {
            admin::ToProto(sm, reply.mutable_sms()->add_sms());
          }
          reply.mutable_sms();
          return reply;
        case v1::ListRequest::WHAT_BINDINGS:
          for (const auto& sm : engine_.bindings().ListSms()) {
            for (const auto& b : engine_.bindings().BindingsOf(sm.id)) {
              admin::ToProto(b, reply.mutable_bindings()->add_bindings());
            }
          }
          reply.mutable_bindings();
          return reply;
        default:
          return Error(InvalidArgumentError("list.what is required"));
      }
    case v1::AdminRequest::kListQuarantine: {
      auto entries = engine_.store().LoadQuarantine();
      if (!entries.ok()) return Error(entries.status());
      for (const auto& q : *entries) {
        admin::ToProto(q, reply.mutable_quarantine()->add_entries());
      }
      reply.mutable_quarantine();
      return reply;
    }
    case v1::AdminRequest::kReleaseQuarantine: {
      const auto& r = request.release_quarantine();
      auto target = admin::FromProto(r.target());
      if (!target.ok()) return Error(target.status());
      return Error(engine_.ReleaseOrphanedQuarantine(*target, r.target_id(),
                                                     r.reason(), actor));
    }
    case v1::AdminRequest::kPutVnf: {
      auto vnf = wire::FromProto(request.put_vnf());
      if (!vnf.ok()) return Error(vnf.status());
      const TimePoint now = engine_.clock().Now();
      if (vnf->created_at == TimePoint{}) vnf->created_at = now;
      vnf->updated_at = now;
      return Error(engine_.PutVnf(*vnf, actor));
    }
    case v1::AdminRequest::kVnfStatus: {
      auto vnf = engine_.inventory().Get(request.vnf_status().vnf_id());
      if (!vnf) {
        return Error(NotFoundError("VNF '" + request.vnf_status().vnf_id() +
                                   "' is not known"));
      }
      if (Status s = wire::ToProto(*vnf, reply.mutable_vnf()); !s.ok()) {
        return Error(s);
      }
      return reply;
    }
    case v1::AdminRequest::kVnfHistory: {
      const auto& h = request.vnf_history();
      EventQuery q;
      q.vnf_id = h.vnf_id();
      if (h.from_us() != 0) q.from = FromMicros(h.from_us());
      if (h.to_us() != 0) q.to = FromMicros(h.to_us());
      q.limit = 100'000;
      auto events = engine_.store().QueryEvents(q);
      if (!events.ok()) return Error(events.status());
      auto* history = reply.mutable_history();
      for (const auto& e : *events) {
        if (Status s = wire::ToProto(e, history->add_events()); !s.ok()) {
          return Error(s);
        }
      }
      return reply;
    }
    case v1::AdminRequest::kAuditVerify: {
      std::vector<VerifyReport> reports;
      if (request.audit_verify().partition().empty()) {
        reports = engine_.audit().VerifyAll();
      } else {
        reports.push_back(
            engine_.audit().Verify(request.audit_verify().partition()));
      }
      auto* out = reply.mutable_audit_verify();
      for (const auto& r : reports) admin::ToProto(r, out->add_reports());
      return reply;
    }
    case v1::AdminRequest::kAuditExport: {
      std::vector<std::string> partitions(
          request.audit_export().partitions().begin(),
          request.audit_export().partitions().end());
      if (partitions.empty()) {
        auto all = engine_.store().AuditPartitions();
        if (!all.ok()) return Error(all.status());
        partitions = std::move(all).value();
      }
      auto records = engine_.audit().Export(partitions);
      if (!records.ok()) return Error(records.status());
      auto* out = reply.mutable_audit_records();
      for (const auto& r : *records) {
        if (Status s = wire::ToProto(r, out->add_records()); !s.ok()) {
          return Error(s);
        }
      }
      return reply;
    }
    default:
      return Error(InvalidArgumentError("unknown admin operation"));
  }
}

}  // namespace nfvsm::gateway
