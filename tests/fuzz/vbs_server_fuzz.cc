// Fuzzes the VBS state machine with arbitrary M1 and M3 bodies, as the
// endpoint hands them over. The first byte chooses the message; a VNF and
// two platforms are registered so that well-formed inputs go deep.
#include <cstdint>
#include <memory>
#include <string_view>

#include "../core/audit/memory_audit_store.h"
#include "nfvsm/audit.h"
#include "nfvsm/vbs.h"

namespace {

struct World {
  World() {
    audit = std::move(
        nfvsm::AuditLog::Create(
            store, std::move(nfvsm::AuditKeys::Generate(false)).value(), clock)
            .value());
    auto ca = nfvsm::vbs::CertificateAuthority::CreateSelfSigned(
        "fuzz", clock.Now(), std::chrono::hours(1));
    nfvsm::vbs::ServerOptions o;
    o.address = "https://vbs:8443";
    o.max_half_open_sessions = 64;
    server = std::move(
        nfvsm::vbs::Server::Create(
            o, std::move(nfvsm::crypto::SigningKey::Generate()).value(),
            std::move(ca).value(), *audit, &quarantine, clock)
            .value());
    for (const char* p : {"compute-1", "compute-2"}) {
      (void)server->RegisterPlatform(
          {p, nfvsm::vbs::QuoteFormat::kSoftwareEd25519,
           nfvsm::crypto::SigningKey::Generate()->PublicKeyRaw()});
    }
    nfvsm::vbs::VnfRegistration v;
    v.vnf_id = "vnf-1";
    v.domain = "d";
    v.image_id = "i";
    v.image_digest = std::string(32, 'i');
    v.vnfd_id = "v";
    v.vnfd_digest = std::string(32, 'v');
    (void)server->RegisterVnf(v);
  }
  nfvsm::ManualClock clock;
  nfvsm::testing::MemoryAuditStore store;
  std::unique_ptr<nfvsm::AuditLog> audit;
  nfvsm::QuarantineRegistry quarantine;
  std::unique_ptr<nfvsm::vbs::Server> server;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static World* world = new World();
  if (size == 0) return 0;
  std::string_view body(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] & 1) {
    (void)world->server->HandleRegister(body, {"fuzz"});
  } else {
    (void)world->server->HandleStart(body, {"fuzz"});
  }
  world->clock.Advance(std::chrono::seconds(1));
  return 0;
}
