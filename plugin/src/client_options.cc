#include "client_options.h"

#include <algorithm>

#include "convert.h"
#include "errors.h"
#include "nfvsm/amqp/transport_url.h"

namespace nfvsm::python {

Duration PositiveTimeout(double seconds, const char* what) {
  const Duration d = DurationFromSeconds(seconds, what);
  if (d <= Duration(0)) RaiseInvalid(std::string(what) + " must be positive");
  return d;
}

amqp::ConnectionOptions MakeConnectionOptions(const std::string& transport_url,
                                              double timeout,
                                              const std::string& name) {
  const Duration limit = PositiveTimeout(timeout, "timeout");
  auto url = amqp::TransportUrl::Parse(transport_url);
  if (!url.ok()) {
    RaiseInvalid("transport_url: " + url.status().message());
  }
  amqp::ConnectionOptions options;
  options.url = std::move(url).value();
  options.connection_name = name;
  options.connect_timeout = std::min<Duration>(options.connect_timeout, limit);
  options.rpc_timeout = std::min<Duration>(options.rpc_timeout, limit);
  options.confirm_timeout = std::min<Duration>(options.confirm_timeout, limit);
  return options;
}

}  // namespace nfvsm::python
