#include "lib/http_transport.h"

#include <httplib.h>

#include "lib/http_endpoint.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {
namespace {

constexpr size_t kMaxAnswerBytes = kMaxRegisterResponseBytes;

Status AnswerStatus(const httplib::Result& result) {
  if (!result) {
    return UnavailableError("cannot reach the VBS: " +
                            httplib::to_string(result.error()));
  }
  if (result->body.size() > kMaxAnswerBytes) {
    return UnavailableError("the VBS answer is over the size limit");
  }
  if (result->status == 200) return OkStatus();
  return DecodeError(result->body);
}

}  // namespace

HttpTransport::HttpTransport(std::unique_ptr<httplib::Client> client)
    : client_(std::move(client)) {}

HttpTransport::~HttpTransport() = default;

StatusOr<std::unique_ptr<HttpTransport>> HttpTransport::Create(
    const std::string& base_url, HttpTransportOptions options) {
  const bool https = base_url.rfind("https://", 0) == 0;
  const bool http = base_url.rfind("http://", 0) == 0;
  if (!https && !http) {
    return InvalidArgumentError("VBS address '" + base_url +
                                "' must start with http:// or https://");
  }
  // httplib::Client parses scheme, host and port; everything after them
  // (a path) is not part of a VBS address.
  const size_t host_start = base_url.find("://") + 3;
  if (base_url.find('/', host_start) != std::string::npos ||
      base_url.size() == host_start) {
    return InvalidArgumentError("VBS address '" + base_url +
                                "' must be scheme://host[:port]");
  }
  auto client = std::make_unique<httplib::Client>(base_url);
  if (!client->is_valid()) {
    return InvalidArgumentError("VBS address '" + base_url +
                                "' is not a valid URL");
  }
  client->set_connection_timeout(options.connect_timeout);
  client->set_read_timeout(options.read_timeout);
  client->set_write_timeout(options.read_timeout);
  client->set_follow_location(false);
  if (https) {
    client->enable_server_certificate_verification(true);
    if (!options.ca_file.empty()) client->set_ca_cert_path(options.ca_file);
  }
  return std::unique_ptr<HttpTransport>(new HttpTransport(std::move(client)));
}

StatusOr<std::string> HttpTransport::Post(const char* path,
                                          std::string_view body) {
  auto result =
      client_->Post(path, body.data(), body.size(), kProtobufContentType);
  NFVSM_RETURN_IF_ERROR(AnswerStatus(result));
  return std::move(result->body);
}

StatusOr<std::string> HttpTransport::Start(std::string_view m1) {
  return Post(kStartPath, m1);
}

StatusOr<std::string> HttpTransport::Register(std::string_view m3) {
  return Post(kRegisterPath, m3);
}

StatusOr<std::string> HttpTransport::RevocationList() {
  auto result = client_->Get(kCrlPath);
  NFVSM_RETURN_IF_ERROR(AnswerStatus(result));
  return std::move(result->body);
}

}  // namespace nfvsm::vbs
