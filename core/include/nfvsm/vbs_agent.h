// The VBS agent's side of the capture protocol (SEC024 6.1.2,
// requirements.md §7 VBS-M1 .. VBS-M4): it makes the VNF's key pair, sends
// M1, verifies M2 (VBS key from the start-up parameters, N1), has its HMEE
// quote, sends M3, verifies M4 (VBS signature, N1, N2, VNF-ID, and that
// the certificate is for its key and VNF, issued by the CA M4 carries),
// and stores the credential and key with 0600 permissions. Only then may
// the VNF activate (R1.3.160).
//
// Thread safety: an Agent is a one-shot state machine for one handshake;
// use it from one thread. Transport implementations document their own.
// Bootstrap and WriteCredentialFiles are safe to call concurrently on
// distinct arguments.
//
// Ownership: the Agent borrows the HMEE and the clock; the credential it
// returns owns the VNF's private key (wiped on destruction).
//
// Failures: any failure moves the Agent to kFailed for good (no retry on a
// half-verified session: start a new Agent). A message that does not
// verify gives kUnauthenticated naming the check ("M2 signature does not
// verify with the VBS public key"), a call out of order
// kFailedPrecondition, malformed messages kInvalidArgument, a refusal by
// the VBS its Status as the transport reports it.
#ifndef NFVSM_VBS_AGENT_H_
#define NFVSM_VBS_AGENT_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/hmee.h"
#include "nfvsm/status.h"
#include "nfvsm/vbs.h"
#include "nfvsm/vbs_credential.h"

namespace nfvsm::vbs {

// The start-up parameters the NFVI injects (config drive), plus the
// measurements the HMEE quotes over.
struct AgentParams {
  std::string vbs_public_key;  // raw Ed25519, 32 bytes
  std::string vbs_address;
  std::string vnf_id;
  std::string platform_id;
  std::string image_digest;  // SHA-256 of the VNF image, 32 raw bytes
  std::string vnfd_digest;   // SHA-256 of the VNFD, 32 raw bytes
  bool reissue = false;
};

struct AgentCredential {
  crypto::SigningKey key;
  std::string certificate_der;
  std::vector<std::string> ca_certificates_der;
  std::string vnfm_address;
  std::string em_address;
  CertificateInfo info;
};

// How the agent reaches the VBS: HTTP(S) in the nfvsm-vbs-agent program,
// in-process for tests and benchmarks. Each call sends one message and
// returns the answer's bytes, or the VBS's refusal as a Status.
class Transport {
 public:
  virtual ~Transport() = default;
  virtual StatusOr<std::string> Start(std::string_view m1) = 0;
  virtual StatusOr<std::string> Register(std::string_view m3) = 0;
};

// Calls a Server directly. Thread-safe if the Server is (it is).
class InProcessTransport final : public Transport {
 public:
  explicit InProcessTransport(Server& server,
                              RequestContext context = {"in-process"})
      : server_(server), context_(std::move(context)) {}
  StatusOr<std::string> Start(std::string_view m1) override {
    return server_.HandleStart(m1, context_);
  }
  StatusOr<std::string> Register(std::string_view m3) override {
    return server_.HandleRegister(m3, context_);
  }

 private:
  Server& server_;
  RequestContext context_;
};

class Agent {
 public:
  enum class State {
    kIdle,
    kAwaitingStartResponse,
    kAwaitingRegisterResponse,
    kDone,
    kFailed,
  };

  // Makes the VNF's key pair. kInvalidArgument for malformed parameters or
  // an HMEE of another platform than the parameters name.
  static StatusOr<std::unique_ptr<Agent>> Create(AgentParams params,
                                                 const Hmee& hmee,
                                                 const Clock& clock);

  // M1.
  StatusOr<std::string> MakeStart();
  // Verifies M2, obtains the quote, returns M3.
  StatusOr<std::string> OnStartResponse(std::string_view m2);
  // Verifies M4; returns the credential (with the key, moved out).
  StatusOr<AgentCredential> OnRegisterResponse(std::string_view m4);

  State state() const { return state_; }
  const crypto::VerifyingKey& vnf_public_key() const;

 private:
  Agent(AgentParams params, crypto::SigningKey key, const Hmee& hmee,
        const Clock& clock);
  Status Fail(Status status);

  AgentParams params_;
  std::optional<crypto::SigningKey> key_;
  const crypto::VerifyingKey public_key_;
  const Hmee& hmee_;
  const Clock& clock_;
  State state_ = State::kIdle;
  std::string n1_;
  std::string n2_;
};

// The whole handshake over `transport`.
StatusOr<AgentCredential> Bootstrap(AgentParams params, const Hmee& hmee,
                                    Transport& transport, const Clock& clock);

// Writes <dir>/vnf.crt (PEM), <dir>/vnf.key (PKCS#8 PEM) and <dir>/ca.crt
// (PEM chain), each mode 0600 and replaced atomically (written to a
// temporary file in `dir`, then renamed over the old one), so a re-issue
// never leaves a half-written file. kUnavailable if the directory is not
// writable.
Status WriteCredentialFiles(const AgentCredential& credential,
                            const std::string& dir);

}  // namespace nfvsm::vbs

#endif  // NFVSM_VBS_AGENT_H_
