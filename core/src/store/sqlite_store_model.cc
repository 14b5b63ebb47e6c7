// Domains, SMs, bindings, VNFs, quarantine and policies: the state the
// engine reloads at start.
#include <cstdint>
#include <map>
#include <string>

#include "store/codec.h"
#include "store/sqlite_store.h"

namespace nfvsm::internal {
namespace {

Status RequireId(const std::string& id, std::string_view what) {
  if (id.empty()) return InvalidArgumentError(std::string(what) + " is empty");
  return OkStatus();
}

int64_t Bool(bool b) { return b ? 1 : 0; }

}  // namespace

// ------------------------------------------------------------- domains

Status SqliteStore::PutDomain(const TrustDomain& d) {
  NFVSM_RETURN_IF_ERROR(RequireId(d.id, "trust domain id"));
  NFVSM_ASSIGN_OR_RETURN(std::string kind,
                         EncodeEnum(d.kind, "trust domain kind"));
  return RunTransaction("put trust domain", [&]() -> Status {
    {
      StatementUse put(stmts_->put_domain);
      BindText(*put, 1, d.id);
      BindText(*put, 2, kind);
      put->bind(3, Bool(d.sensitive));
      BindText(*put, 4, d.description);
      put->exec();
    }
    {
      StatementUse clear(stmts_->delete_domain_trusts);
      BindText(*clear, 1, d.id);
      clear->exec();
    }
    for (const DomainId& trusted : d.trusts) {
      StatementUse insert(stmts_->insert_domain_trust);
      BindText(*insert, 1, d.id);
      BindText(*insert, 2, trusted);
      insert->exec();
    }
    return OkStatus();
  });
}

Status SqliteStore::DeleteDomain(const DomainId& id) {
  return Locked("delete trust domain", [&]() -> Status {
    StatementUse del(stmts_->delete_domain);
    BindText(*del, 1, id);
    del->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<TrustDomain>> SqliteStore::LoadDomains() {
  using Result = StatusOr<std::vector<TrustDomain>>;
  return Locked("load trust domains", [&]() -> Result {
    std::vector<TrustDomain> domains;
    std::map<DomainId, size_t> index;
    {
      StatementUse load(stmts_->load_domains);
      while (load->executeStep()) {
        TrustDomain d;
        d.id = ReadBytes(load->getColumn(0));
        NFVSM_ASSIGN_OR_RETURN(d.kind,
                               DecodeEnum(&ParseDomainKind, {"domains", "kind"},
                                          ReadBytes(load->getColumn(1))));
        d.sensitive = load->getColumn(2).getInt64() != 0;
        d.description = ReadBytes(load->getColumn(3));
        index.emplace(d.id, domains.size());
        domains.push_back(std::move(d));
      }
    }
    StatementUse trusts(stmts_->load_domain_trusts);
    while (trusts->executeStep()) {
      // Foreign keys keep every trust attached to a stored domain.
      auto it = index.find(ReadBytes(trusts->getColumn(0)));
      if (it == index.end()) {
        return CorruptColumn({"domain_trusts", "domain"},
                             "names a domain that is not stored");
      }
      domains[it->second].trusts.insert(ReadBytes(trusts->getColumn(1)));
    }
    return domains;
  });
}

// ----------------------------------------------------------------- SMs

Status SqliteStore::PutSm(const SecurityManager& sm) {
  NFVSM_RETURN_IF_ERROR(RequireId(sm.id, "security manager id"));
  return Locked("put security manager", [&]() -> Status {
    StatementUse put(stmts_->put_sm);
    BindText(*put, 1, sm.id);
    BindText(*put, 2, sm.public_key_pem);
    if (sm.master) {
      BindText(*put, 3, *sm.master);
    } else {
      put->bind(3);  // NULL: no master
    }
    BindText(*put, 4, sm.home_domain);
    BindText(*put, 5, sm.description);
    put->exec();
    return OkStatus();
  });
}

Status SqliteStore::DeleteSm(const SmId& id) {
  return Locked("delete security manager", [&]() -> Status {
    StatementUse del(stmts_->delete_sm);
    BindText(*del, 1, id);
    del->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<SecurityManager>> SqliteStore::LoadSms() {
  using Result = StatusOr<std::vector<SecurityManager>>;
  return Locked("load security managers", [&]() -> Result {
    std::vector<SecurityManager> sms;
    StatementUse load(stmts_->load_sms);
    while (load->executeStep()) {
      SecurityManager sm;
      sm.id = ReadBytes(load->getColumn(0));
      sm.public_key_pem = ReadBytes(load->getColumn(1));
      if (!load->getColumn(2).isNull())
        sm.master = ReadBytes(load->getColumn(2));
      sm.home_domain = ReadBytes(load->getColumn(3));
      sm.description = ReadBytes(load->getColumn(4));
      sms.push_back(std::move(sm));
    }
    return sms;
  });
}

// ------------------------------------------------------------ bindings

Status SqliteStore::PutBinding(const Binding& b) {
  NFVSM_RETURN_IF_ERROR(RequireId(b.sm, "binding SM id"));
  NFVSM_RETURN_IF_ERROR(RequireId(b.domain, "binding domain id"));
  NFVSM_ASSIGN_OR_RETURN(std::string mode, EncodeEnum(b.mode, "binding mode"));
  NFVSM_ASSIGN_OR_RETURN(std::string fail_mode,
                         EncodeEnum(b.fail_mode, "binding fail mode"));
  if ((b.allowed_instructions.bits() & ~ValidInstructionBits()) != 0 ||
      (b.hidden_events.bits() & ~ValidEventKindBits()) != 0) {
    return InvalidArgumentError("binding holds undefined enumerators");
  }
  return Locked("put binding", [&]() -> Status {
    StatementUse put(stmts_->put_binding);
    BindText(*put, 1, b.sm);
    BindText(*put, 2, b.domain);
    BindText(*put, 3, mode);
    put->bind(4, static_cast<int64_t>(b.allowed_instructions.bits()));
    put->bind(5, static_cast<int64_t>(b.hidden_events.bits()));
    put->bind(6, static_cast<int64_t>(b.gate_deadline.count()));
    put->bind(7, static_cast<int64_t>(b.semi_active_window.count()));
    BindText(*put, 8, fail_mode);
    put->exec();
    return OkStatus();
  });
}

Status SqliteStore::DeleteBinding(const SmId& sm, const DomainId& domain) {
  return Locked("delete binding", [&]() -> Status {
    StatementUse del(stmts_->delete_binding);
    BindText(*del, 1, sm);
    BindText(*del, 2, domain);
    del->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<Binding>> SqliteStore::LoadBindings() {
  using Result = StatusOr<std::vector<Binding>>;
  return Locked("load bindings", [&]() -> Result {
    std::vector<Binding> bindings;
    StatementUse load(stmts_->load_bindings);
    while (load->executeStep()) {
      Binding b;
      b.sm = ReadBytes(load->getColumn(0));
      b.domain = ReadBytes(load->getColumn(1));
      NFVSM_ASSIGN_OR_RETURN(b.mode,
                             DecodeEnum(&ParseMode, {"bindings", "mode"},
                                        ReadBytes(load->getColumn(2))));
      NFVSM_ASSIGN_OR_RETURN(
          uint32_t allowed,
          DecodeBits(load->getColumn(3).getInt64(), ValidInstructionBits(),
                     {"bindings", "allowed_instructions"}));
      b.allowed_instructions = InstructionKindSet::FromBits(allowed);
      NFVSM_ASSIGN_OR_RETURN(
          uint32_t hidden,
          DecodeBits(load->getColumn(4).getInt64(), ValidEventKindBits(),
                     {"bindings", "hidden_events"}));
      b.hidden_events = EventKindSet::FromBits(hidden);
      b.gate_deadline = Duration(load->getColumn(5).getInt64());
      b.semi_active_window = Duration(load->getColumn(6).getInt64());
      NFVSM_ASSIGN_OR_RETURN(
          b.fail_mode, DecodeEnum(&ParseFailMode, {"bindings", "fail_mode"},
                                  ReadBytes(load->getColumn(7))));
      bindings.push_back(std::move(b));
    }
    return bindings;
  });
}

// ---------------------------------------------------------------- VNFs

Status SqliteStore::PutVnf(const VnfRecord& v) {
  NFVSM_RETURN_IF_ERROR(RequireId(v.id, "VNF id"));
  NFVSM_ASSIGN_OR_RETURN(std::string state, EncodeEnum(v.state, "VNF state"));
  return Locked("put VNF", [&]() -> Status {
    StatementUse put(stmts_->put_vnf);
    BindText(*put, 1, v.id);
    BindText(*put, 2, v.requestor_id);
    BindText(*put, 3, v.ns_id);
    BindText(*put, 4, v.domain);
    BindText(*put, 5, v.package_id);
    BindText(*put, 6, v.vnfd_id);
    BindText(*put, 7, v.image_id);
    BindText(*put, 8, v.host);
    BindText(*put, 9, v.zone);
    BindText(*put, 10, state);
    put->bind(11, Bool(v.needs_security_policy));
    put->bind(12, ToMicros(v.created_at));
    put->bind(13, ToMicros(v.updated_at));
    put->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<VnfRecord>> SqliteStore::LoadVnfs() {
  using Result = StatusOr<std::vector<VnfRecord>>;
  return Locked("load VNFs", [&]() -> Result {
    std::vector<VnfRecord> vnfs;
    StatementUse load(stmts_->load_vnfs);
    while (load->executeStep()) {
      VnfRecord v;
      v.id = ReadBytes(load->getColumn(0));
      v.requestor_id = ReadBytes(load->getColumn(1));
      v.ns_id = ReadBytes(load->getColumn(2));
      v.domain = ReadBytes(load->getColumn(3));
      v.package_id = ReadBytes(load->getColumn(4));
      v.vnfd_id = ReadBytes(load->getColumn(5));
      v.image_id = ReadBytes(load->getColumn(6));
      v.host = ReadBytes(load->getColumn(7));
      v.zone = ReadBytes(load->getColumn(8));
      NFVSM_ASSIGN_OR_RETURN(v.state,
                             DecodeEnum(&ParseVnfState, {"vnfs", "state"},
                                        ReadBytes(load->getColumn(9))));
      v.needs_security_policy = load->getColumn(10).getInt64() != 0;
      v.created_at = FromMicros(load->getColumn(11).getInt64());
      v.updated_at = FromMicros(load->getColumn(12).getInt64());
      vnfs.push_back(std::move(v));
    }
    return vnfs;
  });
}

// ---------------------------------------------------------- quarantine

Status SqliteStore::PutQuarantine(const QuarantineEntry& q) {
  NFVSM_RETURN_IF_ERROR(RequireId(q.target_id, "quarantine target id"));
  NFVSM_ASSIGN_OR_RETURN(std::string target,
                         EncodeEnum(q.target, "quarantine target"));
  return Locked("put quarantine entry", [&]() -> Status {
    StatementUse put(stmts_->put_quarantine);
    BindText(*put, 1, target);
    BindText(*put, 2, q.target_id);
    BindText(*put, 3, q.by_sm);
    BindText(*put, 4, q.domain);
    put->bind(5, ToMicros(q.at));
    BindText(*put, 6, q.reason);
    put->bind(7, Bool(q.terminated));
    put->bind(8, Bool(q.replacement_allowed));
    put->bind(9, Bool(q.copy_kept));
    put->bind(10, Bool(q.recovery_allowed));
    put->bind(11, Bool(q.erase_requested));
    put->exec();
    return OkStatus();
  });
}

Status SqliteStore::DeleteQuarantine(QuarantineTarget target,
                                     const std::string& target_id) {
  NFVSM_ASSIGN_OR_RETURN(std::string name,
                         EncodeEnum(target, "quarantine target"));
  return Locked("delete quarantine entry", [&]() -> Status {
    StatementUse del(stmts_->delete_quarantine);
    BindText(*del, 1, name);
    BindText(*del, 2, target_id);
    del->exec();
    return OkStatus();
  });
}

StatusOr<std::vector<QuarantineEntry>> SqliteStore::LoadQuarantine() {
  using Result = StatusOr<std::vector<QuarantineEntry>>;
  return Locked("load quarantine", [&]() -> Result {
    std::vector<QuarantineEntry> entries;
    StatementUse load(stmts_->load_quarantine);
    while (load->executeStep()) {
      QuarantineEntry q;
      NFVSM_ASSIGN_OR_RETURN(
          q.target, DecodeEnum(&ParseQuarantineTarget, {"quarantine", "target"},
                               ReadBytes(load->getColumn(0))));
      q.target_id = ReadBytes(load->getColumn(1));
      q.by_sm = ReadBytes(load->getColumn(2));
      q.domain = ReadBytes(load->getColumn(3));
      q.at = FromMicros(load->getColumn(4).getInt64());
      q.reason = ReadBytes(load->getColumn(5));
      q.terminated = load->getColumn(6).getInt64() != 0;
      q.replacement_allowed = load->getColumn(7).getInt64() != 0;
      q.copy_kept = load->getColumn(8).getInt64() != 0;
      q.recovery_allowed = load->getColumn(9).getInt64() != 0;
      q.erase_requested = load->getColumn(10).getInt64() != 0;
      entries.push_back(std::move(q));
    }
    return entries;
  });
}

// ------------------------------------------------------------ policies

Status SqliteStore::PutPolicy(const std::string& scope,
                              const std::string& json) {
  NFVSM_RETURN_IF_ERROR(RequireId(scope, "policy scope"));
  return Locked("put policy", [&]() -> Status {
    StatementUse put(stmts_->put_policy);
    BindText(*put, 1, scope);
    BindText(*put, 2, json);
    put->exec();
    return OkStatus();
  });
}

Status SqliteStore::DeletePolicy(const std::string& scope) {
  return Locked("delete policy", [&]() -> Status {
    StatementUse del(stmts_->delete_policy);
    BindText(*del, 1, scope);
    del->exec();
    return OkStatus();
  });
}

StatusOr<std::map<std::string, std::string>> SqliteStore::LoadPolicies() {
  using Result = StatusOr<std::map<std::string, std::string>>;
  return Locked("load policies", [&]() -> Result {
    std::map<std::string, std::string> policies;
    StatementUse load(stmts_->load_policies);
    while (load->executeStep()) {
      policies.emplace(ReadBytes(load->getColumn(0)),
                       ReadBytes(load->getColumn(1)));
    }
    return policies;
  });
}

}  // namespace nfvsm::internal
