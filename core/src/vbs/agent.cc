// The agent's state machine (VBS-M1 .. VBS-M4, agent side).
#include <algorithm>

#include "nfvsm/vbs_agent.h"
#include "vbs/certificate_checks.h"
#include "vbs/raw_ed25519.h"

namespace nfvsm::vbs {
namespace {

Status ValidateParams(const AgentParams& p, const Hmee& hmee) {
  if (!IsValidId(p.vnf_id) || !IsValidId(p.platform_id)) {
    return InvalidArgumentError(
        "start-up parameters: VNF-ID and Platform-ID must be 1..128 "
        "characters of [A-Za-z0-9._-]");
  }
  if (p.vbs_address.empty() || p.vbs_address.size() > kMaxAddressBytes) {
    return InvalidArgumentError("start-up parameters: invalid VBS address");
  }
  if (p.image_digest.size() != kDigestBytes ||
      p.vnfd_digest.size() != kDigestBytes) {
    return InvalidArgumentError(
        "measurements: image and VNFD digests must be 32-byte SHA-256 "
        "values");
  }
  if (hmee.platform_id() != p.platform_id) {
    return InvalidArgumentError(
        "the HMEE belongs to platform '" + hmee.platform_id() +
        "', the start-up parameters name '" + p.platform_id + "'");
  }
  return OkStatus();
}

}  // namespace

Agent::Agent(AgentParams params, crypto::SigningKey key, const Hmee& hmee,
             const Clock& clock)
    : params_(std::move(params)),
      public_key_(key.verifying_key()),
      hmee_(hmee),
      clock_(clock) {
  key_.emplace(std::move(key));
}

StatusOr<std::unique_ptr<Agent>> Agent::Create(AgentParams params,
                                               const Hmee& hmee,
                                               const Clock& clock) {
  NFVSM_RETURN_IF_ERROR(ValidateParams(params, hmee));
  if (params.vbs_public_key.size() != kPublicKeyBytes) {
    return InvalidArgumentError(
        "start-up parameters: the VBS public key is not a raw Ed25519 key");
  }
  NFVSM_ASSIGN_OR_RETURN(crypto::SigningKey key,
                         crypto::SigningKey::Generate());
  return std::unique_ptr<Agent>(
      new Agent(std::move(params), std::move(key), hmee, clock));
}

const crypto::VerifyingKey& Agent::vnf_public_key() const {
  return public_key_;
}

Status Agent::Fail(Status status) {
  state_ = State::kFailed;
  key_.reset();  // a failed handshake's key is never used again
  return status;
}

StatusOr<std::string> Agent::MakeStart() {
  if (state_ != State::kIdle) {
    return Fail(FailedPreconditionError("M1 was already sent"));
  }
  auto n1 = crypto::RandomBytes(kNonceBytes);
  if (!n1.ok()) return Fail(n1.status());
  n1_ = std::move(n1).value();
  state_ = State::kAwaitingStartResponse;
  return Encode(StartMessage{n1_, params_.vnf_id, params_.platform_id});
}

StatusOr<std::string> Agent::OnStartResponse(std::string_view m2_bytes) {
  if (state_ != State::kAwaitingStartResponse) {
    return Fail(FailedPreconditionError("no handshake is awaiting M2"));
  }
  auto m2 = DecodeStartResponse(m2_bytes);
  if (!m2.ok()) return Fail(m2.status());
  // The signature first: only the VBS of the start-up parameters may steer
  // this handshake (a MITM swapping keys fails here).
  if (!internal::VerifyEd25519Raw(
           params_.vbs_public_key,
           M2SigningInput(*m2, params_.vnf_id, params_.platform_id),
           m2->signature)
           .ok()) {
    return Fail(UnauthenticatedError(
        "M2 signature does not verify with the VBS public key of the "
        "start-up parameters"));
  }
  if (!crypto::ConstantTimeEqual(m2->n1, n1_)) {
    return Fail(UnauthenticatedError("M2 does not echo this handshake's N1"));
  }
  n2_ = m2->n2;

  auto h1 = ComputeH1(params_.image_digest, params_.vnfd_digest, params_.vnf_id,
                      params_.platform_id);
  if (!h1.ok()) return Fail(h1.status());
  auto quote =
      hmee_.MakeQuote(QuoteRequest{params_.vnf_id, *h1, public_key_.Raw()});
  if (!quote.ok()) {
    return Fail(Status(quote.status().code(),
                       "HMEE quote: " + quote.status().message()));
  }
  RegisterMessage m3;
  m3.n1 = n1_;
  m3.n2 = n2_;
  m3.vnf_id = params_.vnf_id;
  m3.platform_id = params_.platform_id;
  m3.vnf_public_key = public_key_.Raw();
  m3.image_digest = params_.image_digest;
  m3.vnfd_digest = params_.vnfd_digest;
  m3.quote_format = quote->format;
  m3.quote = std::move(quote->bytes);
  m3.reissue = params_.reissue;
  auto signature = key_->Sign(M3SigningInput(m3));
  if (!signature.ok()) return Fail(signature.status());
  m3.signature = std::move(signature).value();
  state_ = State::kAwaitingRegisterResponse;
  return Encode(m3);
}

StatusOr<AgentCredential> Agent::OnRegisterResponse(std::string_view m4_bytes) {
  if (state_ != State::kAwaitingRegisterResponse) {
    return Fail(
        FailedPreconditionError("no handshake is awaiting M4 (replayed M4?)"));
  }
  auto m4 = DecodeRegisterResponse(m4_bytes);
  if (!m4.ok()) return Fail(m4.status());
  if (!internal::VerifyEd25519Raw(params_.vbs_public_key, M4SigningInput(*m4),
                                  m4->signature)
           .ok()) {
    return Fail(UnauthenticatedError(
        "M4 signature does not verify with the VBS public key"));
  }
  if (!crypto::ConstantTimeEqual(m4->n1, n1_) ||
      !crypto::ConstantTimeEqual(m4->n2, n2_)) {
    return Fail(UnauthenticatedError(
        "M4 does not carry this handshake's N1 and N2 (replayed M4?)"));
  }
  if (m4->vnf_id != params_.vnf_id) {
    return Fail(UnauthenticatedError("M4 names another VNF"));
  }
  // The VBS signed it, but a credential that would not work is no
  // credential: check it is ours and chains to the CA M4 names.
  auto certificate = internal::ParseCertificateDer(m4->certificate_der);
  if (!certificate.ok()) return Fail(certificate.status());
  auto info = internal::InspectParsed(*certificate);
  if (!info.ok()) return Fail(info.status());
  if (!crypto::ConstantTimeEqual(info->public_key, public_key_.Raw())) {
    return Fail(UnauthenticatedError(
        "the certificate in M4 is not for this VNF's key"));
  }
  if (std::find(info->uris.begin(), info->uris.end(), VnfUri(params_.vnf_id)) ==
      info->uris.end()) {
    return Fail(
        UnauthenticatedError("the certificate in M4 does not name this VNF"));
  }
  Status chain = internal::VerifyParsed(*certificate, m4->ca_certificates_der,
                                        clock_.Now(), {});
  if (!chain.ok()) return Fail(chain);

  AgentCredential out{std::move(*key_),
                      std::move(m4->certificate_der),
                      std::move(m4->ca_certificates_der),
                      std::move(m4->vnfm_address),
                      std::move(m4->em_address),
                      std::move(info).value()};
  key_.reset();
  state_ = State::kDone;
  return out;
}

StatusOr<AgentCredential> Bootstrap(AgentParams params, const Hmee& hmee,
                                    Transport& transport, const Clock& clock) {
  NFVSM_ASSIGN_OR_RETURN(std::unique_ptr<Agent> agent,
                         Agent::Create(std::move(params), hmee, clock));
  NFVSM_ASSIGN_OR_RETURN(std::string m1, agent->MakeStart());
  NFVSM_ASSIGN_OR_RETURN(std::string m2, transport.Start(m1));
  NFVSM_ASSIGN_OR_RETURN(std::string m3, agent->OnStartResponse(m2));
  NFVSM_ASSIGN_OR_RETURN(std::string m4, transport.Register(m3));
  return agent->OnRegisterResponse(m4);
}

}  // namespace nfvsm::vbs
