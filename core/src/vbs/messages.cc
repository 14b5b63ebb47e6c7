// Protobuf codec of the capture-protocol messages. Decoders validate every
// field's shape here, once, so the state machines only ever see messages
// whose nonces, keys, digests and signatures have the right sizes.
#include <array>
#include <limits>

#include "nfvsm/v1/vbs.pb.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {
namespace {

template <typename Proto>
Status ParseBounded(std::string_view bytes, size_t limit, std::string_view what,
                    Proto* out) {
  if (bytes.size() > limit) {
    return ResourceExhaustedError(std::string(what) + " is larger than " +
                                  std::to_string(limit) + " bytes");
  }
  if (!out->ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError(std::string(what) +
                                " is not a valid protobuf message");
  }
  return OkStatus();
}

Status CheckExactSize(std::string_view value, size_t size,
                      std::string_view field) {
  if (value.size() != size) {
    return InvalidArgumentError(std::string(field) + " must be " +
                                std::to_string(size) + " bytes, got " +
                                std::to_string(value.size()));
  }
  return OkStatus();
}

Status CheckId(std::string_view value, std::string_view field) {
  if (!IsValidId(value)) {
    return InvalidArgumentError(std::string(field) +
                                " must be 1..128 characters of "
                                "[A-Za-z0-9._-]");
  }
  return OkStatus();
}

// Addresses are informational strings handed to the VNF (VNFM, EM); any
// printable ASCII, bounded.
Status CheckAddress(std::string_view value, std::string_view field) {
  if (value.size() > kMaxAddressBytes) {
    return InvalidArgumentError(std::string(field) + " is too long");
  }
  for (char c : value) {
    if (c < 0x20 || c > 0x7e) {
      return InvalidArgumentError(std::string(field) +
                                  " must be printable ASCII");
    }
  }
  return OkStatus();
}

Status CheckCertificate(std::string_view der, std::string_view field) {
  if (der.empty() || der.size() > kMaxCertificateBytes) {
    return InvalidArgumentError(std::string(field) + " must be 1.." +
                                std::to_string(kMaxCertificateBytes) +
                                " bytes");
  }
  return OkStatus();
}

std::string Serialize(const google::protobuf::MessageLite& m) {
  std::string out;
  m.SerializeToString(&out);
  return out;
}

constexpr std::array kAllCodes = {
    StatusCode::kInvalidArgument,    StatusCode::kDeadlineExceeded,
    StatusCode::kNotFound,           StatusCode::kAlreadyExists,
    StatusCode::kPermissionDenied,   StatusCode::kResourceExhausted,
    StatusCode::kFailedPrecondition, StatusCode::kInternal,
    StatusCode::kUnavailable,        StatusCode::kDataLoss,
    StatusCode::kUnauthenticated,
};

}  // namespace

std::string Encode(const StartMessage& m) {
  v1::VbsStart p;
  p.set_n1(m.n1);
  p.set_vnf_id(m.vnf_id);
  p.set_platform_id(m.platform_id);
  return Serialize(p);
}

std::string Encode(const StartResponseMessage& m) {
  v1::VbsStartResponse p;
  p.set_n1(m.n1);
  p.set_n2(m.n2);
  p.set_signature(m.signature);
  return Serialize(p);
}

std::string Encode(const RegisterMessage& m) {
  v1::VbsRegister p;
  p.set_n1(m.n1);
  p.set_n2(m.n2);
  p.set_vnf_id(m.vnf_id);
  p.set_platform_id(m.platform_id);
  p.set_vnf_public_key(m.vnf_public_key);
  p.set_image_digest(m.image_digest);
  p.set_vnfd_digest(m.vnfd_digest);
  p.set_quote_format(static_cast<v1::VbsQuoteFormat>(m.quote_format));
  p.set_quote(m.quote);
  p.mutable_credential_request()->set_reissue(m.reissue);
  p.set_signature(m.signature);
  return Serialize(p);
}

std::string Encode(const RegisterResponseMessage& m) {
  v1::VbsRegisterResponse p;
  p.set_n1(m.n1);
  p.set_n2(m.n2);
  p.set_vnf_id(m.vnf_id);
  p.set_certificate_der(m.certificate_der);
  for (const std::string& ca : m.ca_certificates_der) {
    p.add_ca_certificates_der(ca);
  }
  p.set_vnfm_address(m.vnfm_address);
  p.set_em_address(m.em_address);
  p.set_signature(m.signature);
  return Serialize(p);
}

std::string EncodeError(const Status& status) {
  v1::VbsError p;
  p.set_code(std::string(StatusCodeName(status.code())));
  p.set_message(status.message());
  return Serialize(p);
}

StatusOr<StartMessage> DecodeStart(std::string_view bytes) {
  v1::VbsStart p;
  NFVSM_RETURN_IF_ERROR(ParseBounded(bytes, kMaxStartBytes, "M1", &p));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n1(), kNonceBytes, "M1 n1"));
  NFVSM_RETURN_IF_ERROR(CheckId(p.vnf_id(), "M1 vnf_id"));
  NFVSM_RETURN_IF_ERROR(CheckId(p.platform_id(), "M1 platform_id"));
  return StartMessage{p.n1(), p.vnf_id(), p.platform_id()};
}

StatusOr<StartResponseMessage> DecodeStartResponse(std::string_view bytes) {
  v1::VbsStartResponse p;
  NFVSM_RETURN_IF_ERROR(ParseBounded(bytes, kMaxStartResponseBytes, "M2", &p));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n1(), kNonceBytes, "M2 n1"));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n2(), kNonceBytes, "M2 n2"));
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.signature(), kSignatureBytes, "M2 signature"));
  return StartResponseMessage{p.n1(), p.n2(), p.signature()};
}

StatusOr<RegisterMessage> DecodeRegister(std::string_view bytes) {
  v1::VbsRegister p;
  NFVSM_RETURN_IF_ERROR(ParseBounded(bytes, kMaxRegisterBytes, "M3", &p));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n1(), kNonceBytes, "M3 n1"));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n2(), kNonceBytes, "M3 n2"));
  NFVSM_RETURN_IF_ERROR(CheckId(p.vnf_id(), "M3 vnf_id"));
  NFVSM_RETURN_IF_ERROR(CheckId(p.platform_id(), "M3 platform_id"));
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.vnf_public_key(), kPublicKeyBytes, "M3 vnf_public_key"));
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.image_digest(), kDigestBytes, "M3 image_digest"));
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.vnfd_digest(), kDigestBytes, "M3 vnfd_digest"));
  if (p.quote_format() != v1::VBS_QUOTE_FORMAT_SOFTWARE_ED25519 &&
      p.quote_format() != v1::VBS_QUOTE_FORMAT_TPM2) {
    return InvalidArgumentError("M3 quote_format is unknown");
  }
  if (p.quote().empty() || p.quote().size() > kMaxQuoteBytes) {
    return InvalidArgumentError("M3 quote must be 1.." +
                                std::to_string(kMaxQuoteBytes) + " bytes");
  }
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.signature(), kSignatureBytes, "M3 signature"));
  RegisterMessage m;
  m.n1 = p.n1();
  m.n2 = p.n2();
  m.vnf_id = p.vnf_id();
  m.platform_id = p.platform_id();
  m.vnf_public_key = p.vnf_public_key();
  m.image_digest = p.image_digest();
  m.vnfd_digest = p.vnfd_digest();
  m.quote_format = static_cast<QuoteFormat>(p.quote_format());
  m.quote = p.quote();
  m.reissue = p.credential_request().reissue();
  m.signature = p.signature();
  return m;
}

StatusOr<RegisterResponseMessage> DecodeRegisterResponse(
    std::string_view bytes) {
  v1::VbsRegisterResponse p;
  NFVSM_RETURN_IF_ERROR(
      ParseBounded(bytes, kMaxRegisterResponseBytes, "M4", &p));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n1(), kNonceBytes, "M4 n1"));
  NFVSM_RETURN_IF_ERROR(CheckExactSize(p.n2(), kNonceBytes, "M4 n2"));
  NFVSM_RETURN_IF_ERROR(CheckId(p.vnf_id(), "M4 vnf_id"));
  NFVSM_RETURN_IF_ERROR(
      CheckCertificate(p.certificate_der(), "M4 certificate_der"));
  if (p.ca_certificates_der_size() < 1 ||
      static_cast<size_t>(p.ca_certificates_der_size()) > kMaxCaCertificates) {
    return InvalidArgumentError("M4 must carry 1.." +
                                std::to_string(kMaxCaCertificates) +
                                " CA certificates");
  }
  for (const std::string& ca : p.ca_certificates_der()) {
    NFVSM_RETURN_IF_ERROR(CheckCertificate(ca, "M4 ca_certificates_der"));
  }
  NFVSM_RETURN_IF_ERROR(CheckAddress(p.vnfm_address(), "M4 vnfm_address"));
  NFVSM_RETURN_IF_ERROR(CheckAddress(p.em_address(), "M4 em_address"));
  NFVSM_RETURN_IF_ERROR(
      CheckExactSize(p.signature(), kSignatureBytes, "M4 signature"));
  RegisterResponseMessage m;
  m.n1 = p.n1();
  m.n2 = p.n2();
  m.vnf_id = p.vnf_id();
  m.certificate_der = p.certificate_der();
  m.ca_certificates_der.assign(p.ca_certificates_der().begin(),
                               p.ca_certificates_der().end());
  m.vnfm_address = p.vnfm_address();
  m.em_address = p.em_address();
  m.signature = p.signature();
  return m;
}

Status DecodeError(std::string_view bytes) {
  v1::VbsError p;
  if (!ParseBounded(bytes, kMaxErrorBytes, "error body", &p).ok()) {
    return UnavailableError("the VBS answered with an unreadable error body");
  }
  std::string message = p.message().substr(0, 1024);
  for (char& c : message) {
    if (c < 0x20 || c > 0x7e) c = '?';  // keep terminals and logs sane
  }
  for (StatusCode code : kAllCodes) {
    if (p.code() == StatusCodeName(code)) return Status(code, message);
  }
  return UnavailableError("the VBS answered with an unknown error code");
}

}  // namespace nfvsm::vbs
