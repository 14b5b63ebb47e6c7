// The agent's Transport over HTTP(S) (cpp-httplib client) to the endpoint
// of lib/http_endpoint.h.
//
// Thread safety: one HttpTransport per thread.
// Failures: kUnavailable when the VBS cannot be reached or answers with
// something that is not a VbsError; otherwise the refusal the VbsError
// body carries. TLS: the server certificate is verified against
// `ca_file` (or the system trust store when empty); the protocol itself
// does not rely on it (M2 and M4 are signed), TLS keeps the exchange
// private.
#ifndef NFVSM_VBS_LIB_HTTP_TRANSPORT_H_
#define NFVSM_VBS_LIB_HTTP_TRANSPORT_H_

#include <chrono>
#include <memory>
#include <string>

#include "nfvsm/status.h"
#include "nfvsm/vbs_agent.h"

namespace httplib {
class Client;
}

namespace nfvsm::vbs {

struct HttpTransportOptions {
  std::chrono::seconds connect_timeout{5};
  std::chrono::seconds read_timeout{10};
  std::string ca_file;  // PEM, for https://; empty: the system trust store
};

class HttpTransport final : public Transport {
 public:
  // `base_url`: "http://host:port" or "https://host:port".
  // kInvalidArgument for another scheme or a malformed URL.
  static StatusOr<std::unique_ptr<HttpTransport>> Create(
      const std::string& base_url, HttpTransportOptions options = {});
  ~HttpTransport() override;

  StatusOr<std::string> Start(std::string_view m1) override;
  StatusOr<std::string> Register(std::string_view m3) override;
  // GET of the revocation list (DER).
  StatusOr<std::string> RevocationList();

 private:
  explicit HttpTransport(std::unique_ptr<httplib::Client> client);
  StatusOr<std::string> Post(const char* path, std::string_view body);

  std::unique_ptr<httplib::Client> client_;
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_LIB_HTTP_TRANSPORT_H_
