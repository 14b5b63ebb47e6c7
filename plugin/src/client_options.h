// Connection options shared by the Python clients: a transport URL as
// oslo.messaging reads it, and a timeout in seconds.
//
// Thread safety: needs the GIL (raises Python exceptions).
// Failures: InvalidRequest for a bad URL or timeout; the message never
// quotes the URL (it may hold a password).
#ifndef NFVSM_PLUGIN_CLIENT_OPTIONS_H_
#define NFVSM_PLUGIN_CLIENT_OPTIONS_H_

#include <string>

#include "nfvsm/amqp/connection.h"
#include "nfvsm/clock.h"

namespace nfvsm::python {

// `timeout` (seconds, > 0) bounds connecting and each AMQP method too, so
// that an unreachable broker is reported within about one timeout.
amqp::ConnectionOptions MakeConnectionOptions(const std::string& transport_url,
                                              double timeout,
                                              const std::string& name);

// A positive timeout in seconds as a Duration; InvalidRequest otherwise.
Duration PositiveTimeout(double seconds, const char* what);

}  // namespace nfvsm::python

#endif  // NFVSM_PLUGIN_CLIENT_OPTIONS_H_
