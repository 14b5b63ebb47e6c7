#include "lib/http_endpoint.h"

#include <arpa/inet.h>
#include <httplib.h>

#include <filesystem>

#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {
namespace {

bool IsLoopback(const std::string& address) {
  in_addr v4{};
  if (inet_pton(AF_INET, address.c_str(), &v4) == 1) {
    return (ntohl(v4.s_addr) >> 24) == 127;
  }
  in6_addr v6{};
  if (inet_pton(AF_INET6, address.c_str(), &v6) == 1) {
    return IN6_IS_ADDR_LOOPBACK(&v6);
  }
  return address == "localhost";
}

void Refuse(httplib::Response& res, const Status& status, bool detailed) {
  res.status = HttpStatusFor(status.code());
  const Status shown =
      detailed ? status
               : Status(status.code(), "refused (see the VBS audit log)");
  res.set_content(EncodeError(shown), kProtobufContentType);
}

}  // namespace

int HttpStatusFor(StatusCode code) {
  switch (code) {
    case StatusCode::kOk:
      return 200;
    case StatusCode::kInvalidArgument:
      return 400;
    case StatusCode::kUnauthenticated:
      return 401;
    case StatusCode::kPermissionDenied:
      return 403;
    case StatusCode::kNotFound:
      return 404;
    case StatusCode::kAlreadyExists:
    case StatusCode::kFailedPrecondition:
      return 409;
    case StatusCode::kDeadlineExceeded:
      return 410;  // the session is gone; start again
    case StatusCode::kResourceExhausted:
      return 429;
    case StatusCode::kUnavailable:
      return 503;
    case StatusCode::kInternal:
    case StatusCode::kDataLoss:
      return 500;
  }
  return 500;
}

HttpEndpoint::HttpEndpoint(Server& server, EndpointOptions options,
                           std::unique_ptr<SourceRateLimiter> limiter)
    : server_(server),
      options_(std::move(options)),
      limiter_(std::move(limiter)) {}

HttpEndpoint::~HttpEndpoint() { Stop(); }

StatusOr<std::unique_ptr<HttpEndpoint>> HttpEndpoint::Create(
    Server& server, EndpointOptions options, const Clock& clock) {
  const bool tls = !options.tls_certificate_file.empty();
  if (tls != !options.tls_key_file.empty()) {
    return InvalidArgumentError(
        "endpoint: give both a TLS certificate and a TLS key, or neither");
  }
  if (!tls && !options.allow_plain_http && !IsLoopback(options.bind_address)) {
    return InvalidArgumentError(
        "endpoint: plain HTTP on the non-loopback address '" +
        options.bind_address + "' (configure TLS, or allow_plain_http = true)");
  }
  if (options.port < 0 || options.port > 65535 || options.threads == 0 ||
      options.max_body_bytes == 0) {
    return InvalidArgumentError(
        "endpoint: invalid port, threads or body limit");
  }
  NFVSM_ASSIGN_OR_RETURN(auto limiter,
                         SourceRateLimiter::Create(options.rate_limit, clock));
  std::unique_ptr<HttpEndpoint> endpoint(
      new HttpEndpoint(server, std::move(options), std::move(limiter)));
  const EndpointOptions& o = endpoint->options_;
  if (tls) {
    auto ssl = std::make_unique<httplib::SSLServer>(
        o.tls_certificate_file.c_str(), o.tls_key_file.c_str());
    if (!ssl->is_valid()) {
      return InvalidArgumentError(
          "endpoint: cannot load the TLS certificate and key");
    }
    endpoint->http_ = std::move(ssl);
  } else {
    endpoint->http_ = std::make_unique<httplib::Server>();
  }
  endpoint->InstallRoutes();
  return endpoint;
}

void HttpEndpoint::InstallRoutes() {
  httplib::Server& http = *http_;
  const size_t threads = options_.threads;
  http.new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  http.set_payload_max_length(options_.max_body_bytes);
  http.set_read_timeout(options_.read_timeout);
  http.set_write_timeout(options_.write_timeout);
  http.set_keep_alive_timeout(options_.keep_alive_timeout.count());
  http.set_keep_alive_max_count(16);

  const bool detailed = options_.detailed_refusals;
  http.set_pre_routing_handler(
      [this, detailed](const httplib::Request& req, httplib::Response& res) {
        if (limiter_->Allow(req.remote_addr)) {
          return httplib::Server::HandlerResponse::Unhandled;
        }
        Refuse(res, ResourceExhaustedError("rate limit exceeded; retry later"),
               detailed);
        res.set_header("Retry-After", "1");
        return httplib::Server::HandlerResponse::Handled;
      });

  auto protocol_step = [this, detailed](StatusOr<std::string> (Server::*step)(
                           std::string_view, const RequestContext&)) {
    return [this, detailed, step](const httplib::Request& req,
                                  httplib::Response& res) {
      if (req.get_header_value("Content-Type") != kProtobufContentType) {
        Refuse(
            res,
            InvalidArgumentError("Content-Type must be application/x-protobuf"),
            detailed);
        return;
      }
      RequestContext context{req.remote_addr + ":" +
                             std::to_string(req.remote_port)};
      auto answer = (server_.*step)(req.body, context);
      if (!answer.ok()) {
        Refuse(res, answer.status(), detailed);
        return;
      }
      res.status = 200;
      res.set_content(*answer, kProtobufContentType);
    };
  };
  http.Post(kStartPath, protocol_step(&Server::HandleStart));
  http.Post(kRegisterPath, protocol_step(&Server::HandleRegister));
  http.Get(kCrlPath,
           [this, detailed](const httplib::Request&, httplib::Response& res) {
             auto crl = server_.RevocationList();
             if (!crl.ok()) {
               Refuse(res, crl.status(), detailed);
               return;
             }
             res.status = 200;
             res.set_content(*crl, "application/pkix-crl");
           });
  // Everything else, including 413 for an oversized body, gets a VbsError.
  http.set_error_handler(httplib::Server::HandlerWithResponse(
      [](const httplib::Request&, httplib::Response& res) {
        if (res.status == 413) {
          res.set_content(EncodeError(ResourceExhaustedError(
                              "request body is over the size limit")),
                          kProtobufContentType);
        } else if (res.body.empty()) {
          res.set_content(EncodeError(NotFoundError("no such resource")),
                          kProtobufContentType);
        }
        return httplib::Server::HandlerResponse::Handled;
      }));
  http.set_exception_handler(
      [](const httplib::Request&, httplib::Response& res, std::exception_ptr) {
        res.status = 500;
        res.set_content(EncodeError(InternalError("internal error")),
                        kProtobufContentType);
      });
}

Status HttpEndpoint::Start() {
  if (thread_.joinable()) return FailedPreconditionError("already started");
  if (options_.port == 0) {
    port_ = http_->bind_to_any_port(options_.bind_address);
    if (port_ <= 0) {
      return UnavailableError("cannot bind to " + options_.bind_address);
    }
  } else {
    if (!http_->bind_to_port(options_.bind_address, options_.port)) {
      return UnavailableError("cannot bind to " + options_.bind_address + ":" +
                              std::to_string(options_.port));
    }
    port_ = options_.port;
  }
  thread_ = std::thread([this] { http_->listen_after_bind(); });
  // httplib's stop() is a no-op until the loop runs: wait for it, so a Stop
  // right after Start cannot leave the loop running (and join hanging).
  for (int i = 0; i < 5000 && !http_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  if (!http_->is_running()) {
    return UnavailableError("the endpoint did not start serving");
  }
  return OkStatus();
}

void HttpEndpoint::Stop() {
  if (!thread_.joinable()) return;
  http_->stop();
  thread_.join();
}

}  // namespace nfvsm::vbs
