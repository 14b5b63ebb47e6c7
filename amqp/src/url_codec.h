// Small string helpers shared by the amqp sources: percent-encoding as
// Python's urllib does it, and safe quoting of untrusted text in messages.
#ifndef NFVSM_AMQP_SRC_URL_CODEC_H_
#define NFVSM_AMQP_SRC_URL_CODEC_H_

#include <cstddef>
#include <string>
#include <string_view>

namespace nfvsm::amqp::internal {

// urllib.parse.unquote: each valid %XX becomes its byte; anything else,
// including a malformed '%', is kept as it is.
std::string PercentDecode(std::string_view s);

// Encodes every byte outside RFC 3986's unreserved set.
std::string PercentEncode(std::string_view s);

bool IsAsciiSpace(char c);

// Untrusted text fit for an error message: at most `max` bytes, printable
// ASCII only (others become '?'), "..." when cut.
std::string Printable(std::string_view s, size_t max = 64);

}  // namespace nfvsm::amqp::internal

#endif  // NFVSM_AMQP_SRC_URL_CODEC_H_
