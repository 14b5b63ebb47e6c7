// The VBS capture protocol's messages and encodings (SEC024 6.1.2,
// requirements.md §7: VBS-M1 .. VBS-M4, the HMEE quote).
//
// Thread safety: value types and pure functions; no shared state.
//
// The byte-exact encodings (length-prefixed fields hashed with SHA-256,
// signing inputs) are specified in core/proto/nfvsm/v1/vbs.proto and
// docs/vbs.md; two implementations that follow them agree byte for byte.
//
// Failures: decoders never trust their input. Each returns
// kResourceExhausted for a body over its size limit and kInvalidArgument
// for anything malformed (unparsable protobuf, a nonce, key, digest or
// signature of the wrong size, an id outside the id syntax, an unknown
// quote format), naming the field. Hash functions return kInternal only if
// OpenSSL fails.
#ifndef NFVSM_VBS_PROTOCOL_H_
#define NFVSM_VBS_PROTOCOL_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"

namespace nfvsm::vbs {

inline constexpr size_t kNonceBytes = 32;
inline constexpr size_t kDigestBytes = 32;
inline constexpr size_t kPublicKeyBytes = 32;
inline constexpr size_t kSignatureBytes = 64;
inline constexpr size_t kMaxIdBytes = 128;
inline constexpr size_t kMaxAddressBytes = 512;
inline constexpr size_t kMaxQuoteBytes = 4096;
inline constexpr size_t kMaxCertificateBytes = 16 * 1024;
inline constexpr size_t kMaxCaCertificates = 4;

// Body size limits per message, checked before parsing.
inline constexpr size_t kMaxStartBytes = 1024;
inline constexpr size_t kMaxStartResponseBytes = 1024;
inline constexpr size_t kMaxRegisterBytes = 8 * 1024;
inline constexpr size_t kMaxRegisterResponseBytes = 96 * 1024;
inline constexpr size_t kMaxErrorBytes = 4096;

// How an HMEE quote was made (vbs.proto VbsQuoteFormat).
enum class QuoteFormat : uint32_t {
  kSoftwareEd25519 = 1,
  kTpm2 = 2,  // reserved for the TPM 2.0 HMEE; not verified yet
};

// VNF-IDs, Platform-IDs and trust-domain ids become URI path segments in
// the credential, so they are restricted to 1..128 of [A-Za-z0-9._-] and
// may not be "." or "..". UUIDs and host names fit.
bool IsValidId(std::string_view id);

// ---------------------------------------------------------------- encoding

// LP(f1) || LP(f2) || ... with LP(x) = uint32 big-endian length || x.
std::string LengthPrefixed(std::initializer_list<std::string_view> fields);
// The 4 big-endian bytes of n.
std::string U32(uint32_t n);
// SHA-256( LP(label) || LP(f1) || ... ): 32 raw bytes.
StatusOr<std::string> LabeledHash(
    std::string_view label, std::initializer_list<std::string_view> fields);

// The quote's hashes (vbs.proto): h1 binds image, VNFD, VNF and platform;
// h2 the VBS the HMEE was provisioned for; h3 binds h1 to the VNF's key.
StatusOr<std::string> ComputeH1(std::string_view image_digest,
                                std::string_view vnfd_digest,
                                std::string_view vnf_id,
                                std::string_view platform_id);
StatusOr<std::string> ComputeH2(std::string_view vbs_public_key,
                                std::string_view vbs_address,
                                std::string_view vnf_id,
                                std::string_view platform_id);
StatusOr<std::string> ComputeH3(std::string_view h1,
                                std::string_view vnf_public_key);
// q = H(h2, h3): what the HMEE signs.
StatusOr<std::string> ComputeQuoteDigest(std::string_view h2,
                                         std::string_view h3);

// ---------------------------------------------------------------- messages

// VBS-M1.
struct StartMessage {
  std::string n1;
  std::string vnf_id;
  std::string platform_id;
};

// VBS-M2.
struct StartResponseMessage {
  std::string n1;
  std::string n2;
  std::string signature;
};

// VBS-M3.
struct RegisterMessage {
  std::string n1;
  std::string n2;
  std::string vnf_id;
  std::string platform_id;
  std::string vnf_public_key;
  std::string image_digest;
  std::string vnfd_digest;
  QuoteFormat quote_format = QuoteFormat::kSoftwareEd25519;
  std::string quote;
  bool reissue = false;
  std::string signature;
};

// VBS-M4.
struct RegisterResponseMessage {
  std::string n1;
  std::string n2;
  std::string vnf_id;
  std::string certificate_der;
  std::vector<std::string> ca_certificates_der;
  std::string vnfm_address;
  std::string em_address;
  std::string signature;
};

// Signing inputs (vbs.proto). M2's binds the VNF and platform named in M1.
std::string M2SigningInput(const StartResponseMessage& m2,
                           std::string_view vnf_id,
                           std::string_view platform_id);
std::string M3SigningInput(const RegisterMessage& m3);
std::string M4SigningInput(const RegisterResponseMessage& m4);

// Protobuf encodings (nfvsm.v1.VbsStart ... VbsError).
std::string Encode(const StartMessage& m);
std::string Encode(const StartResponseMessage& m);
std::string Encode(const RegisterMessage& m);
std::string Encode(const RegisterResponseMessage& m);
// A refusal body: the code's name and the message.
std::string EncodeError(const Status& status);

StatusOr<StartMessage> DecodeStart(std::string_view bytes);
StatusOr<StartResponseMessage> DecodeStartResponse(std::string_view bytes);
StatusOr<RegisterMessage> DecodeRegister(std::string_view bytes);
StatusOr<RegisterResponseMessage> DecodeRegisterResponse(
    std::string_view bytes);
// The refusal a VbsError body carries (never OK). A body that is not a
// VbsError, or names no known code, gives kUnavailable: the agent cannot
// tell what happened, so it may retry.
Status DecodeError(std::string_view bytes);

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_PROTOCOL_H_
