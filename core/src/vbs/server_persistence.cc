// The VBS Server: exporting and importing what must survive a restart.
#include "nfvsm/v1/vbs.pb.h"
#include "nfvsm/vbs.h"
#include "vbs/server_state.h"

namespace nfvsm::vbs {
namespace {

constexpr size_t kMaxStateBytes = size_t{256} << 20;

bool KnownReason(int reason) {
  switch (static_cast<RevocationReason>(reason)) {
    case RevocationReason::kUnspecified:
    case RevocationReason::kSuperseded:
    case RevocationReason::kCessationOfOperation:
    case RevocationReason::kPrivilegeWithdrawn:
      return true;
  }
  return false;
}

}  // namespace

uint64_t Server::state_version() const {
  std::lock_guard lock(state_->mu);
  return state_->state_version;
}

StatusOr<std::string> Server::ExportState() const {
  v1::VbsState out;
  {
    std::lock_guard lock(state_->crl_mu);
    out.set_crl_number(state_->crl_number);
  }
  std::lock_guard lock(state_->mu);
  for (const auto& [vnf_id, creds] : state_->live) {
    for (const internal::LiveCredential& c : creds) {
      v1::VbsIssuedCredential* p = out.add_live();
      p->set_vnf_id(vnf_id);
      p->set_serial_hex(c.serial_hex);
      p->set_platform_id(c.platform_id);
      p->set_public_key(c.public_key);
      p->set_certificate_der(c.der);
      p->set_not_before_us(ToMicros(c.not_before));
      p->set_not_after_us(ToMicros(c.not_after));
    }
  }
  for (const internal::RevokedEntry& r : state_->revoked) {
    v1::VbsRevokedCredential* p = out.add_revoked();
    p->set_serial_hex(r.certificate.serial_hex);
    p->set_revoked_at_us(ToMicros(r.certificate.revoked_at));
    p->set_reason(static_cast<int>(r.certificate.reason));
    p->set_not_after_us(ToMicros(r.not_after));
  }
  for (const std::string& vnf_id : state_->invalidated) {
    out.add_invalidated_vnfs(vnf_id);
  }
  std::string bytes;
  if (!out.SerializeToString(&bytes)) {
    return InternalError("cannot serialize the VBS state");
  }
  return bytes;
}

Status Server::ImportState(std::string_view bytes) {
  v1::VbsState in;
  if (bytes.size() > kMaxStateBytes ||
      !in.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return InvalidArgumentError("not a VBS state export");
  }
  std::unordered_map<std::string, std::vector<internal::LiveCredential>> live;
  for (const v1::VbsIssuedCredential& p : in.live()) {
    if (!IsValidId(p.vnf_id()) || p.serial_hex().empty() ||
        p.public_key().size() != kPublicKeyBytes) {
      return InvalidArgumentError("VBS state: malformed live credential");
    }
    live[p.vnf_id()].push_back(internal::LiveCredential{
        p.serial_hex(), p.platform_id(), p.public_key(), p.certificate_der(),
        FromMicros(p.not_before_us()), FromMicros(p.not_after_us())});
  }
  std::vector<internal::RevokedEntry> revoked;
  for (const v1::VbsRevokedCredential& p : in.revoked()) {
    if (p.serial_hex().empty() || !KnownReason(p.reason())) {
      return InvalidArgumentError("VBS state: malformed revoked credential");
    }
    revoked.push_back(internal::RevokedEntry{
        RevokedCertificate{p.serial_hex(), FromMicros(p.revoked_at_us()),
                           static_cast<RevocationReason>(p.reason())},
        FromMicros(p.not_after_us())});
  }
  {
    std::lock_guard lock(state_->crl_mu);
    state_->crl_number = std::max(state_->crl_number, in.crl_number());
    state_->crl_built_from_version = UINT64_MAX;  // rebuild
  }
  std::lock_guard lock(state_->mu);
  state_->live = std::move(live);
  state_->revoked = std::move(revoked);
  state_->invalidated = {in.invalidated_vnfs().begin(),
                         in.invalidated_vnfs().end()};
  ++state_->revocation_version;
  ++state_->state_version;
  return OkStatus();
}

}  // namespace nfvsm::vbs
