// The byte-exact encodings of the capture protocol (vbs.proto header).
#include "nfvsm/crypto.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {
namespace {

constexpr std::string_view kH1Label = "nfvsm-vbs-h1-v1";
constexpr std::string_view kH2Label = "nfvsm-vbs-h2-v1";
constexpr std::string_view kH3Label = "nfvsm-vbs-h3-v1";
constexpr std::string_view kQuoteLabel = "nfvsm-vbs-quote-v1";
constexpr std::string_view kM2Label = "nfvsm-vbs-m2-v1";
constexpr std::string_view kM3Label = "nfvsm-vbs-m3-v1";
constexpr std::string_view kM4Label = "nfvsm-vbs-m4-v1";

void AppendLengthPrefixed(std::string& out, std::string_view field) {
  out += U32(static_cast<uint32_t>(field.size()));
  out.append(field);
}

bool IsIdChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
         (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

}  // namespace

bool IsValidId(std::string_view id) {
  if (id.empty() || id.size() > kMaxIdBytes) return false;
  if (id == "." || id == "..") return false;
  for (char c : id) {
    if (!IsIdChar(c)) return false;
  }
  return true;
}

std::string U32(uint32_t n) {
  std::string out(4, '\0');
  out[0] = static_cast<char>((n >> 24) & 0xff);
  out[1] = static_cast<char>((n >> 16) & 0xff);
  out[2] = static_cast<char>((n >> 8) & 0xff);
  out[3] = static_cast<char>(n & 0xff);
  return out;
}

std::string LengthPrefixed(std::initializer_list<std::string_view> fields) {
  size_t total = 0;
  for (std::string_view f : fields) total += 4 + f.size();
  std::string out;
  out.reserve(total);
  for (std::string_view f : fields) AppendLengthPrefixed(out, f);
  return out;
}

StatusOr<std::string> LabeledHash(
    std::string_view label, std::initializer_list<std::string_view> fields) {
  std::string input = LengthPrefixed({label});
  input += LengthPrefixed(fields);
  return crypto::Sha256(input);
}

StatusOr<std::string> ComputeH1(std::string_view image_digest,
                                std::string_view vnfd_digest,
                                std::string_view vnf_id,
                                std::string_view platform_id) {
  return LabeledHash(kH1Label,
                     {image_digest, vnfd_digest, vnf_id, platform_id});
}

StatusOr<std::string> ComputeH2(std::string_view vbs_public_key,
                                std::string_view vbs_address,
                                std::string_view vnf_id,
                                std::string_view platform_id) {
  return LabeledHash(kH2Label,
                     {vbs_public_key, vbs_address, vnf_id, platform_id});
}

StatusOr<std::string> ComputeH3(std::string_view h1,
                                std::string_view vnf_public_key) {
  return LabeledHash(kH3Label, {h1, vnf_public_key});
}

StatusOr<std::string> ComputeQuoteDigest(std::string_view h2,
                                         std::string_view h3) {
  return LabeledHash(kQuoteLabel, {h2, h3});
}

std::string M2SigningInput(const StartResponseMessage& m2,
                           std::string_view vnf_id,
                           std::string_view platform_id) {
  return LengthPrefixed({kM2Label, m2.n1, m2.n2, vnf_id, platform_id});
}

std::string M3SigningInput(const RegisterMessage& m3) {
  const std::string format = U32(static_cast<uint32_t>(m3.quote_format));
  const std::string flags = U32(m3.reissue ? 1 : 0);
  return LengthPrefixed({kM3Label, m3.n1, m3.n2, m3.vnf_id, m3.platform_id,
                         m3.vnf_public_key, m3.image_digest, m3.vnfd_digest,
                         format, m3.quote, flags});
}

std::string M4SigningInput(const RegisterResponseMessage& m4) {
  std::string out = LengthPrefixed(
      {kM4Label, m4.n1, m4.n2, m4.vnf_id, m4.certificate_der,
       U32(static_cast<uint32_t>(m4.ca_certificates_der.size()))});
  for (const std::string& ca : m4.ca_certificates_der) {
    AppendLengthPrefixed(out, ca);
  }
  AppendLengthPrefixed(out, m4.vnfm_address);
  AppendLengthPrefixed(out, m4.em_address);
  return out;
}

}  // namespace nfvsm::vbs
