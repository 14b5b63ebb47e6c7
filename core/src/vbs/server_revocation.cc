// The VBS Server: revocation (SEC003 trust invalidation) and the CRL.
#include <algorithm>
#include <nlohmann/json.hpp>

#include "nfvsm/vbs.h"
#include "vbs/server_state.h"

namespace nfvsm::vbs {

std::vector<std::string> Server::State::RevokeLocked(
    const std::string& vnf_id, RevocationReason reason,
    std::string_view keep_serial, TimePoint now) {
  std::vector<std::string> serials;
  auto live_it = live.find(vnf_id);
  if (live_it == live.end()) return serials;
  // Expired entries leave the CRL: an expired certificate fails
  // verification on its own (RFC 5280 5.1.2.6 allows removing them).
  std::erase_if(revoked, [now](const internal::RevokedEntry& e) {
    return e.not_after < now;
  });
  auto& creds = live_it->second;
  for (auto it = creds.begin(); it != creds.end();) {
    if (it->serial_hex == keep_serial) {
      ++it;
      continue;
    }
    if (it->not_after >= now) {
      revoked.push_back(internal::RevokedEntry{
          RevokedCertificate{it->serial_hex, now, reason}, it->not_after});
      serials.push_back(it->serial_hex);
    }
    it = creds.erase(it);
  }
  if (creds.empty()) live.erase(live_it);
  if (!serials.empty()) ++revocation_version;
  ++state_version;
  return serials;
}

void Server::State::AuditRevocation(const std::string& vnf_id,
                                    const std::string& domain,
                                    const std::vector<std::string>& serials,
                                    RevocationReason reason,
                                    std::string_view why) {
  nlohmann::json body = {
      {"reason", ToString(reason)},
      {"why", why},
      {"serials", serials},
  };
  // Revocation already took effect; a missing record cannot undo it.
  (void)audit.Append(
      domain.empty() ? std::string(kVbsUnattributedPartition)
                     : VbsPartition(domain),
      "vbs.credential.revoked", "vbs", vnf_id,
      body.dump(-1, ' ', true, nlohmann::json::error_handler_t::replace));
}

Status Server::RemoveVnf(const std::string& vnf_id) {
  State& s = *state_;
  std::vector<std::string> serials;
  std::string domain;
  {
    std::lock_guard lock(s.mu);
    auto vnf = s.vnfs.find(vnf_id);
    if (vnf == s.vnfs.end()) {
      return NotFoundError("VNF '" + vnf_id + "' is not registered");
    }
    domain = vnf->second.domain;
    s.vnfs.erase(vnf);
    serials = s.RevokeLocked(vnf_id, RevocationReason::kCessationOfOperation,
                             {}, s.clock.Now());
  }
  s.AuditRevocation(vnf_id, domain, serials,
                    RevocationReason::kCessationOfOperation,
                    "MANO removed the VNF instance");
  return OkStatus();
}

StatusOr<size_t> Server::RevokeVnf(const std::string& vnf_id,
                                   const std::string& reason) {
  if (!IsValidId(vnf_id)) return InvalidArgumentError("invalid VNF id");
  State& s = *state_;
  std::vector<std::string> serials;
  std::string domain;
  {
    std::lock_guard lock(s.mu);
    auto vnf = s.vnfs.find(vnf_id);
    if (vnf != s.vnfs.end()) domain = vnf->second.domain;
    s.invalidated.insert(vnf_id);
    ++s.state_version;
    serials = s.RevokeLocked(vnf_id, RevocationReason::kPrivilegeWithdrawn, {},
                             s.clock.Now());
  }
  s.AuditRevocation(vnf_id, domain, serials,
                    RevocationReason::kPrivilegeWithdrawn,
                    reason.substr(0, 256));
  return serials.size();
}

Status Server::ReinstateVnf(const std::string& vnf_id) {
  std::lock_guard lock(state_->mu);
  if (state_->invalidated.erase(vnf_id) == 0) {
    return NotFoundError("VNF '" + vnf_id + "' is not invalidated");
  }
  ++state_->state_version;
  return OkStatus();
}

StatusOr<size_t> Server::SyncWithQuarantine() {
  State& s = *state_;
  if (s.quarantine == nullptr) return size_t{0};
  struct Revocation {
    std::string vnf_id;
    std::string domain;
    std::vector<std::string> serials;
    std::string why;
  };
  std::vector<Revocation> done;
  const TimePoint now = s.clock.Now();
  {
    std::lock_guard lock(s.mu);
    for (const auto& [vnf_id, vnf] : s.vnfs) {
      OperationTarget target;
      target.operation = OperationKind::kInstantiate;
      target.vnf_id = vnf_id;
      target.image_id = vnf.image_id;
      target.vnfd_id = vnf.vnfd_id;
      Status veto = s.quarantine->Check(target);
      // A quarantined host taints the credentials issued on it.
      std::vector<std::string> tainted_platforms;
      if (auto live = s.live.find(vnf_id); live != s.live.end()) {
        for (const auto& c : live->second) {
          if (s.quarantine->IsQuarantined(QuarantineTarget::kHost,
                                          c.platform_id)) {
            tainted_platforms.push_back(c.platform_id);
          }
        }
      }
      if (veto.ok() && tainted_platforms.empty()) continue;
      if (s.quarantine->IsQuarantined(QuarantineTarget::kVnfInstance, vnf_id)) {
        s.invalidated.insert(vnf_id);
        ++s.state_version;
      }
      auto serials = s.RevokeLocked(
          vnf_id, RevocationReason::kPrivilegeWithdrawn, {}, now);
      if (!serials.empty()) {
        done.push_back(
            {vnf_id, vnf.domain, std::move(serials),
             veto.ok() ? "its platform is quarantined" : veto.message()});
      }
    }
  }
  size_t total = 0;
  for (const Revocation& r : done) {
    s.AuditRevocation(r.vnf_id, r.domain, r.serials,
                      RevocationReason::kPrivilegeWithdrawn, r.why);
    total += r.serials.size();
  }
  return total;
}

StatusOr<std::string> Server::RevocationList() {
  State& s = *state_;
  const TimePoint now = s.clock.Now();
  std::lock_guard crl_lock(s.crl_mu);
  std::vector<RevokedCertificate> revoked;
  uint64_t version = 0;
  {
    std::lock_guard lock(s.mu);
    version = s.revocation_version;
    if (version == s.crl_built_from_version && !s.crl_der.empty() &&
        now - s.crl_built_at < s.options.crl_validity / 2) {
      return s.crl_der;
    }
    std::erase_if(s.revoked, [now](const internal::RevokedEntry& e) {
      return e.not_after < now;
    });
    for (const auto& e : s.revoked) revoked.push_back(e.certificate);
  }
  NFVSM_ASSIGN_OR_RETURN(
      std::string der,
      s.ca->SignCrl(revoked, now, s.options.crl_validity, s.crl_number + 1));
  ++s.crl_number;
  s.crl_der = der;
  s.crl_built_at = now;
  s.crl_built_from_version = version;
  return der;
}

}  // namespace nfvsm::vbs
