// The platform's hardware-mediated execution enclave (HMEE) as the VBS
// capture protocol uses it (SEC024 6.1.2, requirements.md §7): it holds a
// key whose public half the VBS registered for the platform, was
// provisioned out of band with the VBS public key and address, and signs
// quotes binding a VNF's measurements and key to that VBS.
//
// Thread safety: Hmee implementations document their own; SoftwareHmee is
// immutable after creation and MakeQuote may be called concurrently.
//
// Ownership: SoftwareHmee owns its signing key (wiped on destruction).
//
// Failures: MakeQuote returns kInvalidArgument for a malformed request (h1
// or key of the wrong size, an invalid VNF-ID), kPermissionDenied when the
// HMEE was provisioned for one VNF and is asked to quote for another, and
// kInternal if signing fails.
//
// Quote (vbs.proto): h3 = H(h1, PubKey-VNF); h2 = H(PubKey-VBS,
// Address-VBS, VNF-ID, Platform-ID) from the provisioning, never from the
// caller; quote = Sign_HMEE(H(h2, h3)).
//
// TPM 2.0 mapping (a later implementation of this interface): the HMEE key
// is an attestation key (AK) whose public part is registered with the VBS;
// MakeQuote runs TPM2_Quote over the platform's PCR selection with
// qualifyingData = H(h2, h3) and returns TPM2B_ATTEST || TPMT_SIGNATURE
// as QuoteFormat::kTpm2. h2's inputs then come from the vTPM's NV index
// provisioned by the NFVI. The VBS checks the signature with the AK,
// extraData == H(h2, h3), and the PCR digest against the registered
// measurements.
#ifndef NFVSM_HMEE_H_
#define NFVSM_HMEE_H_

#include <memory>
#include <string>

#include "nfvsm/crypto.h"
#include "nfvsm/status.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {

// What the NFVI provisions into the HMEE out of band.
struct HmeeProvisioning {
  std::string vbs_public_key;  // raw Ed25519, 32 bytes
  std::string vbs_address;     // byte-exact, as the VBS is configured
  std::string platform_id;
  // If set, the HMEE quotes only for this VNF (a per-VM vTPM); if empty,
  // for any VNF on the platform.
  std::string vnf_id;
};

struct QuoteRequest {
  std::string vnf_id;
  std::string h1;              // 32 bytes
  std::string vnf_public_key;  // raw Ed25519, 32 bytes
};

struct Quote {
  QuoteFormat format = QuoteFormat::kSoftwareEd25519;
  std::string bytes;
};

class Hmee {
 public:
  virtual ~Hmee() = default;
  virtual const std::string& platform_id() const = 0;
  virtual StatusOr<Quote> MakeQuote(const QuoteRequest& request) const = 0;
};

// An HMEE in software: an Ed25519 key pair (on disk, 0600, in development
// and test deployments) and its provisioning. It attests nothing about the
// platform's state; for tests and development only.
class SoftwareHmee final : public Hmee {
 public:
  // kInvalidArgument if the provisioning is malformed (key size, ids).
  static StatusOr<std::unique_ptr<SoftwareHmee>> Create(
      crypto::SigningKey key, HmeeProvisioning provisioning);

  const std::string& platform_id() const override {
    return provisioning_.platform_id;
  }
  StatusOr<Quote> MakeQuote(const QuoteRequest& request) const override;

  // What the VBS registers for this platform.
  const crypto::VerifyingKey& public_key() const {
    return key_.verifying_key();
  }
  const HmeeProvisioning& provisioning() const { return provisioning_; }

 private:
  SoftwareHmee(crypto::SigningKey key, HmeeProvisioning provisioning)
      : key_(std::move(key)), provisioning_(std::move(provisioning)) {}
  crypto::SigningKey key_;
  HmeeProvisioning provisioning_;
};

}  // namespace nfvsm::vbs

#endif  // NFVSM_HMEE_H_
