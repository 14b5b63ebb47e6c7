// A VBS world for the tests: a manual clock, an in-memory audit log, a
// quarantine registry, a self-signed CA, a Server with two registered
// platforms (each with its software HMEE) and registered VNFs, and agents
// that bootstrap in process.
#ifndef NFVSM_TESTS_CORE_VBS_VBS_TEST_SUPPORT_H_
#define NFVSM_TESTS_CORE_VBS_VBS_TEST_SUPPORT_H_

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/audit/memory_audit_store.h"
#include "nfvsm/audit.h"
#include "nfvsm/hmee.h"
#include "nfvsm/quarantine.h"
#include "nfvsm/vbs.h"
#include "nfvsm/vbs_agent.h"
#include "nfvsm/vbs_credential.h"

namespace nfvsm::vbs::testing {

inline constexpr char kVbsAddress[] = "https://vbs.test:8443";
inline constexpr char kDomain[] = "tenant-a";
inline constexpr char kPlatformA[] = "compute-1";
inline constexpr char kPlatformB[] = "compute-2";

template <typename T>
T Must(StatusOr<T> v) {
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  if (!v.ok()) std::abort();
  return std::move(v).value();
}

inline std::string Digest(std::string_view what) {
  return Must(crypto::Sha256(what));
}

class VbsWorld {
 public:
  explicit VbsWorld(ServerOptions options = DefaultOptions()) {
    audit_ = Must(
        AuditLog::Create(store_, Must(AuditKeys::Generate(false)), clock_));
    ca_ = Must(CertificateAuthority::CreateSelfSigned(
        "nfvsm VBS test CA", clock_.Now(), std::chrono::hours(24 * 365)));
    ca_chain_ = ca_->chain_der();
    crypto::SigningKey key = Must(crypto::SigningKey::Generate());
    vbs_public_key_ = key.PublicKeyRaw();
    server_ =
        Must(Server::Create(std::move(options), std::move(key), std::move(ca_),
                            *audit_, &quarantine_, clock_));
    AddPlatform(kPlatformA);
    AddPlatform(kPlatformB);
  }

  static ServerOptions DefaultOptions() {
    ServerOptions o;
    o.address = kVbsAddress;
    o.trust_domain = "nfvsm.test";
    return o;
  }

  // A platform with a correctly provisioned software HMEE.
  const SoftwareHmee& AddPlatform(const std::string& platform_id) {
    HmeeProvisioning p{vbs_public_key_, kVbsAddress, platform_id, {}};
    auto hmee =
        Must(SoftwareHmee::Create(Must(crypto::SigningKey::Generate()), p));
    EXPECT_TRUE(
        server_
            ->RegisterPlatform({platform_id, QuoteFormat::kSoftwareEd25519,
                                hmee->public_key().Raw()})
            .ok());
    auto& slot = hmees_[platform_id];
    slot = std::move(hmee);
    return *slot;
  }

  const SoftwareHmee& hmee(const std::string& platform_id) {
    return *hmees_.at(platform_id);
  }

  VnfRegistration Registration(const std::string& vnf_id,
                               const std::string& image = "image-v1",
                               const std::string& vnfd = "vnfd-v1") {
    VnfRegistration r;
    r.vnf_id = vnf_id;
    r.domain = kDomain;
    r.image_id = image;
    r.image_digest = Digest(image);
    r.vnfd_id = vnfd;
    r.vnfd_digest = Digest(vnfd);
    r.vnfm_address = "https://vnfm.test:9890";
    r.em_address = "https://em.test:8080";
    return r;
  }

  void RegisterVnf(const std::string& vnf_id) {
    ASSERT_TRUE(server_->RegisterVnf(Registration(vnf_id)).ok());
  }

  AgentParams Params(const std::string& vnf_id,
                     const std::string& platform_id = kPlatformA) {
    AgentParams p;
    p.vbs_public_key = vbs_public_key_;
    p.vbs_address = kVbsAddress;
    p.vnf_id = vnf_id;
    p.platform_id = platform_id;
    p.image_digest = Digest("image-v1");
    p.vnfd_digest = Digest("vnfd-v1");
    return p;
  }

  StatusOr<AgentCredential> Bootstrap(const AgentParams& params) {
    InProcessTransport transport(*server_, {"192.0.2.10:40000"});
    return vbs::Bootstrap(params, hmee(params.platform_id), transport, clock_);
  }

  // The audit records of a partition, with their bodies parsed.
  struct Audited {
    std::string kind;
    std::string subject;
    nlohmann::json body;
  };
  std::vector<Audited> AuditOf(const std::string& partition) {
    std::vector<Audited> out;
    auto records = Must(store_.ReadAudit(partition, 1, 100'000));
    for (const AuditRecord& r : records) {
      out.push_back({r.kind, r.subject, nlohmann::json::parse(r.body)});
    }
    return out;
  }
  std::vector<Audited> DomainAudit() { return AuditOf(VbsPartition(kDomain)); }
  // The last refusal audited in the domain's partition.
  std::optional<Audited> LastRefusal(
      const std::string& partition = VbsPartition(kDomain)) {
    auto all = AuditOf(partition);
    for (auto it = all.rbegin(); it != all.rend(); ++it) {
      if (it->kind == "vbs.handshake.refused") return *it;
    }
    return std::nullopt;
  }

  ManualClock clock_;
  nfvsm::testing::MemoryAuditStore store_;
  std::unique_ptr<AuditLog> audit_;
  QuarantineRegistry quarantine_;
  std::unique_ptr<CertificateAuthority> ca_;
  std::vector<std::string> ca_chain_;
  std::string vbs_public_key_;
  std::unique_ptr<Server> server_;
  std::map<std::string, std::unique_ptr<SoftwareHmee>> hmees_;
};

// True if `status` is a refusal with `code` whose message names `reason`.
inline ::testing::AssertionResult IsRefusal(const Status& status,
                                            StatusCode code,
                                            RefusalReason reason) {
  const std::string prefix = std::string(ToString(reason)) + ":";
  if (status.code() == code && status.message().rfind(prefix, 0) == 0) {
    return ::testing::AssertionSuccess();
  }
  return ::testing::AssertionFailure()
         << "expected " << StatusCodeName(code) << " '" << prefix
         << "...', got " << status.ToString();
}

// A hand-driven agent, so tests can forge exactly one thing at a time.
struct ManualHandshake {
  std::string vnf_id = "vnf-1";
  std::string platform_id = kPlatformA;
  std::string n1 = Must(crypto::RandomBytes(kNonceBytes));
  // Shared: copies of a handshake (same VNF, new N1) keep the VNF's key.
  std::shared_ptr<const crypto::SigningKey> vnf_key =
      std::make_shared<const crypto::SigningKey>(
          Must(crypto::SigningKey::Generate()));
  std::string image = "image-v1";
  std::string vnfd = "vnfd-v1";

  std::string M1() const {
    return Encode(StartMessage{n1, vnf_id, platform_id});
  }

  // M3 for the session of `m2`, quoted by `hmee` and signed by vnf_key.
  RegisterMessage M3(const std::string& m2_bytes, const Hmee& hmee) const {
    StartResponseMessage m2 = Must(DecodeStartResponse(m2_bytes));
    RegisterMessage m3;
    m3.n1 = n1;
    m3.n2 = m2.n2;
    m3.vnf_id = vnf_id;
    m3.platform_id = platform_id;
    m3.vnf_public_key = vnf_key->PublicKeyRaw();
    m3.image_digest = Digest(image);
    m3.vnfd_digest = Digest(vnfd);
    const std::string h1 =
        Must(ComputeH1(m3.image_digest, m3.vnfd_digest, vnf_id, platform_id));
    Quote q = Must(hmee.MakeQuote({vnf_id, h1, m3.vnf_public_key}));
    m3.quote_format = q.format;
    m3.quote = q.bytes;
    SignWith(m3, *vnf_key);
    return m3;
  }

  static void SignWith(RegisterMessage& m3, const crypto::SigningKey& key) {
    m3.signature = Must(key.Sign(M3SigningInput(m3)));
  }
};

}  // namespace nfvsm::vbs::testing

#endif  // NFVSM_TESTS_CORE_VBS_VBS_TEST_SUPPORT_H_
