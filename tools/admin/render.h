// Output of nfvsm-admin: core records as JSON objects, and JSON arrays as
// aligned text tables. Pure functions; no state.
#ifndef NFVSM_TOOLS_ADMIN_RENDER_H_
#define NFVSM_TOOLS_ADMIN_RENDER_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "nfvsm/audit.h"
#include "nfvsm/types.h"

namespace nfvsm::admin_tool {

nlohmann::json ToJson(const TrustDomain& d);
nlohmann::json ToJson(const SecurityManager& sm);
nlohmann::json ToJson(const Binding& b);
nlohmann::json ToJson(const QuarantineEntry& q);
nlohmann::json ToJson(const VnfRecord& v);
nlohmann::json ToJson(const LifecycleEvent& e);
nlohmann::json ToJson(const VerifyReport& r);
// Hashes, MACs and encrypted bodies as hex.
nlohmann::json ToJson(const AuditRecord& r);

template <typename T>
nlohmann::json ToJsonArray(const std::vector<T>& items) {
  nlohmann::json out = nlohmann::json::array();
  for (const auto& item : items) out.push_back(ToJson(item));
  return out;
}

// `rows`: an array of objects (or one object). `columns`: the keys shown,
// in order; arrays are joined with ",", other non-strings dumped.
void PrintTable(std::ostream& out, const nlohmann::json& rows,
                const std::vector<std::string>& columns);

}  // namespace nfvsm::admin_tool

#endif  // NFVSM_TOOLS_ADMIN_RENDER_H_
