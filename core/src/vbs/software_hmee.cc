// SoftwareHmee: the quote of vbs.proto with an Ed25519 key in memory.
#include "nfvsm/hmee.h"

namespace nfvsm::vbs {

StatusOr<std::unique_ptr<SoftwareHmee>> SoftwareHmee::Create(
    crypto::SigningKey key, HmeeProvisioning provisioning) {
  if (provisioning.vbs_public_key.size() != kPublicKeyBytes) {
    return InvalidArgumentError(
        "HMEE provisioning: the VBS public key must be 32 raw bytes");
  }
  if (provisioning.vbs_address.empty() ||
      provisioning.vbs_address.size() > kMaxAddressBytes) {
    return InvalidArgumentError(
        "HMEE provisioning: the VBS address must be 1..512 bytes");
  }
  if (!IsValidId(provisioning.platform_id)) {
    return InvalidArgumentError(
        "HMEE provisioning: the platform id is not a valid id");
  }
  if (!provisioning.vnf_id.empty() && !IsValidId(provisioning.vnf_id)) {
    return InvalidArgumentError(
        "HMEE provisioning: the VNF id is not a valid id");
  }
  return std::unique_ptr<SoftwareHmee>(
      new SoftwareHmee(std::move(key), std::move(provisioning)));
}

StatusOr<Quote> SoftwareHmee::MakeQuote(const QuoteRequest& request) const {
  if (!IsValidId(request.vnf_id)) {
    return InvalidArgumentError("quote request: invalid VNF id");
  }
  if (request.h1.size() != kDigestBytes) {
    return InvalidArgumentError("quote request: h1 must be 32 bytes");
  }
  if (request.vnf_public_key.size() != kPublicKeyBytes) {
    return InvalidArgumentError(
        "quote request: the VNF public key must be 32 bytes");
  }
  if (!provisioning_.vnf_id.empty() && request.vnf_id != provisioning_.vnf_id) {
    return PermissionDeniedError("this HMEE was provisioned for VNF '" +
                                 provisioning_.vnf_id + "', not '" +
                                 request.vnf_id + "'");
  }
  NFVSM_ASSIGN_OR_RETURN(std::string h3,
                         ComputeH3(request.h1, request.vnf_public_key));
  NFVSM_ASSIGN_OR_RETURN(
      std::string h2,
      ComputeH2(provisioning_.vbs_public_key, provisioning_.vbs_address,
                request.vnf_id, provisioning_.platform_id));
  NFVSM_ASSIGN_OR_RETURN(std::string q, ComputeQuoteDigest(h2, h3));
  NFVSM_ASSIGN_OR_RETURN(std::string signature, key_.Sign(q));
  return Quote{QuoteFormat::kSoftwareEd25519, std::move(signature)};
}

}  // namespace nfvsm::vbs
