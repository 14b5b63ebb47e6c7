// The VBS's HTTP(S) endpoint: VNFs in tenant networks reach the VBS by
// address, not through the MANO bus (docs/vbs.md). cpp-httplib serves
//   POST /vbs/v1/start     VbsStart -> VbsStartResponse       (VBS-M1/M2)
//   POST /vbs/v1/register  VbsRegister -> VbsRegisterResponse (VBS-M3/M4)
//   GET  /vbs/v1/crl       DER X.509 CRL (application/pkix-crl)
// with protobuf bodies (application/x-protobuf). Refusals carry a VbsError
// body and an HTTP status derived from the Status code.
//
// Protections: a per-source-IP token bucket before routing (429), a request
// body limit (413), read/write/keep-alive timeouts, a fixed worker pool.
// TLS when a certificate and key are configured; plain HTTP is refused on
// anything but a loopback address unless explicitly allowed.
//
// Thread safety: Start and Stop from one thread; requests are served on
// the pool's threads (the Server is thread-safe).
// Ownership: borrows the Server and the clock; both must outlive it.
// Failures: Create gives kInvalidArgument for bad options (plain HTTP on a
// non-loopback address, unreadable TLS files); Start gives kUnavailable
// when the address cannot be bound.
#ifndef NFVSM_VBS_LIB_HTTP_ENDPOINT_H_
#define NFVSM_VBS_LIB_HTTP_ENDPOINT_H_

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"
#include "nfvsm/vbs.h"
#include "nfvsm/vbs_rate_limit.h"

namespace httplib {
class Server;
}

namespace nfvsm::vbs {

inline constexpr char kStartPath[] = "/vbs/v1/start";
inline constexpr char kRegisterPath[] = "/vbs/v1/register";
inline constexpr char kCrlPath[] = "/vbs/v1/crl";
inline constexpr char kProtobufContentType[] = "application/x-protobuf";

struct EndpointOptions {
  std::string bind_address = "127.0.0.1";
  int port = 0;                      // 0: an ephemeral port (tests)
  std::string tls_certificate_file;  // PEM; empty: plain HTTP
  std::string tls_key_file;
  bool allow_plain_http = false;  // on a non-loopback address
  size_t max_body_bytes = 16 * 1024;
  std::chrono::seconds read_timeout{5};
  std::chrono::seconds write_timeout{5};
  std::chrono::seconds keep_alive_timeout{5};
  size_t threads = 8;
  RateLimitOptions rate_limit;
  // Refusals name their reason to the client; off, the client only learns
  // the status code name (the audit record keeps the detail).
  bool detailed_refusals = true;
};

// HTTP status for a refusal's Status code.
int HttpStatusFor(StatusCode code);

class HttpEndpoint {
 public:
  static StatusOr<std::unique_ptr<HttpEndpoint>> Create(Server& server,
                                                        EndpointOptions options,
                                                        const Clock& clock);
  ~HttpEndpoint();  // stops
  HttpEndpoint(const HttpEndpoint&) = delete;
  HttpEndpoint& operator=(const HttpEndpoint&) = delete;

  // Binds and starts serving on a background thread.
  Status Start();
  // Stops accepting and waits for the serving thread.
  void Stop();
  int port() const { return port_; }
  bool tls() const { return !options_.tls_certificate_file.empty(); }

 private:
  HttpEndpoint(Server& server, EndpointOptions options,
               std::unique_ptr<SourceRateLimiter> limiter);
  void InstallRoutes();

  Server& server_;
  const EndpointOptions options_;
  std::unique_ptr<SourceRateLimiter> limiter_;
  std::unique_ptr<httplib::Server> http_;
  std::thread thread_;
  int port_ = 0;
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_LIB_HTTP_ENDPOINT_H_
