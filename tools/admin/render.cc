#include "render.h"

#include <algorithm>
#include <chrono>
#include <iomanip>

namespace nfvsm::admin_tool {
namespace {

using nlohmann::json;

std::string Hex(const std::string& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0x0f]);
  }
  return out;
}

int64_t Ms(Duration d) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(d).count();
}

std::string Cell(const json& v) {
  if (v.is_null()) return "";
  if (v.is_string()) return v.get<std::string>();
  if (v.is_array()) {
    std::string out;
    for (const auto& e : v) {
      if (!out.empty()) out += ",";
      out += Cell(e);
    }
    return out;
  }
  return v.dump();
}

}  // namespace

json ToJson(const TrustDomain& d) {
  return {{"id", d.id},
          {"kind", std::string(ToString(d.kind))},
          {"sensitive", d.sensitive},
          {"trusts", d.trusts},
          {"description", d.description}};
}

json ToJson(const SecurityManager& sm) {
  return {{"id", sm.id},
          {"home_domain", sm.home_domain},
          {"master", sm.master ? json(*sm.master) : json(nullptr)},
          {"description", sm.description},
          {"public_key_pem", sm.public_key_pem}};
}

json ToJson(const Binding& b) {
  json allowed = json::array();
  for (int k = 0; k <= static_cast<int>(InstructionKind::kReleaseQuarantine);
       ++k) {
    const auto kind = static_cast<InstructionKind>(k);
    if (b.allowed_instructions.Contains(kind)) {
      allowed.push_back(std::string(ToString(kind)));
    }
  }
  json hidden = json::array();
  for (int k = 0; k <= static_cast<int>(EventKind::kCrash); ++k) {
    const auto kind = static_cast<EventKind>(k);
    if (b.hidden_events.Contains(kind)) {
      hidden.push_back(std::string(ToString(kind)));
    }
  }
  return {{"sm", b.sm},
          {"domain", b.domain},
          {"mode", std::string(ToString(b.mode))},
          {"fail_mode", std::string(ToString(b.fail_mode))},
          {"gate_deadline_ms", Ms(b.gate_deadline)},
          {"semi_active_window_ms", Ms(b.semi_active_window)},
          {"allowed_instructions", allowed},
          {"hidden_events", hidden}};
}

json ToJson(const QuarantineEntry& q) {
  return {{"target", std::string(ToString(q.target))},
          {"target_id", q.target_id},
          {"by_sm", q.by_sm},
          {"domain", q.domain},
          {"at_us", ToMicros(q.at)},
          {"reason", q.reason},
          {"terminated", q.terminated},
          {"replacement_allowed", q.replacement_allowed},
          {"copy_kept", q.copy_kept},
          {"recovery_allowed", q.recovery_allowed},
          {"erase_requested", q.erase_requested}};
}

json ToJson(const VnfRecord& v) {
  return {{"id", v.id},
          {"state", std::string(ToString(v.state))},
          {"domain", v.domain},
          {"host", v.host},
          {"zone", v.zone},
          {"image_id", v.image_id},
          {"vnfd_id", v.vnfd_id},
          {"package_id", v.package_id},
          {"ns_id", v.ns_id},
          {"requestor_id", v.requestor_id},
          {"needs_security_policy", v.needs_security_policy},
          {"created_at_us", ToMicros(v.created_at)},
          {"updated_at_us", ToMicros(v.updated_at)}};
}

json ToJson(const LifecycleEvent& e) {
  return {{"id", e.id},
          {"occurred_at_us", ToMicros(e.occurred_at)},
          {"kind", std::string(ToString(e.kind))},
          {"phase", std::string(ToString(e.phase))},
          {"source", std::string(ToString(e.source))},
          {"vnf_id", e.vnf_id},
          {"domain", e.domain},
          {"reason", e.reason},
          {"origin", e.origin}};
}

json ToJson(const VerifyReport& r) {
  return {{"partition", r.partition},
          {"ok", r.ok},
          {"records_checked", r.records_checked},
          {"first_bad_seq",
           r.first_bad_seq ? json(*r.first_bad_seq) : json(nullptr)},
          {"fault", std::string(ToString(r.fault))},
          {"problem", r.problem}};
}

json ToJson(const AuditRecord& r) {
  return {{"partition", r.partition},
          {"seq", r.seq},
          {"at_us", ToMicros(r.at)},
          {"kind", r.kind},
          {"actor", r.actor},
          {"subject", r.subject},
          {"encrypted", r.encrypted},
          {"body", r.encrypted ? Hex(r.body) : r.body},
          {"prev_hash", Hex(r.prev_hash)},
          {"hash", Hex(r.hash)},
          {"mac", Hex(r.mac)}};
}

void PrintTable(std::ostream& out, const json& rows,
                const std::vector<std::string>& columns) {
  const json list = rows.is_array() ? rows : json::array({rows});
  std::vector<size_t> width;
  for (const auto& c : columns) width.push_back(c.size());
  std::vector<std::vector<std::string>> cells;
  for (const auto& row : list) {
    std::vector<std::string> line;
    for (size_t i = 0; i < columns.size(); ++i) {
      line.push_back(row.contains(columns[i]) ? Cell(row[columns[i]]) : "");
      width[i] = std::max(width[i], line.back().size());
    }
    cells.push_back(std::move(line));
  }
  auto print = [&](const std::vector<std::string>& line) {
    for (size_t i = 0; i < line.size(); ++i) {
      out << std::left << std::setw(static_cast<int>(width[i])) << line[i];
      out << (i + 1 < line.size() ? "  " : "\n");
    }
  };
  std::vector<std::string> header;
  for (const auto& c : columns) {
    std::string upper = c;
    std::transform(upper.begin(), upper.end(), upper.begin(), ::toupper);
    header.push_back(upper);
  }
  print(header);
  for (const auto& line : cells) print(line);
}

}  // namespace nfvsm::admin_tool
