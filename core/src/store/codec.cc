#include "store/codec.h"

// nlohmann-json is header-only; the store module links only base and
// SQLiteCpp, and the header lives in /usr/include.
#include <nlohmann/json.hpp>

namespace nfvsm::internal {
namespace {

using json = nlohmann::json;

StatusOr<std::string> Dump(const json& value, std::string_view field) {
  try {
    return value.dump();
  } catch (const json::exception&) {
    // The only dump failure is invalid UTF-8 in a string.
    return InvalidArgumentError(std::string(field) +
                                " contains a string that is not valid UTF-8");
  }
}

StatusOr<json> Parse(std::string_view text, ColumnRef where) {
  json parsed = json::parse(text, /*cb=*/nullptr, /*allow_exceptions=*/false);
  if (parsed.is_discarded()) return CorruptColumn(where, "malformed JSON");
  return parsed;
}

}  // namespace

Status CorruptColumn(ColumnRef where, std::string_view problem) {
  return DataLossError("table '" + std::string(where.table) + "' column '" +
                       std::string(where.column) +
                       "': " + std::string(problem));
}

StatusOr<uint32_t> DecodeBits(int64_t stored, uint32_t valid_bits,
                              ColumnRef where) {
  if (stored < 0 || stored > static_cast<int64_t>(UINT32_MAX) ||
      (static_cast<uint32_t>(stored) & ~valid_bits) != 0) {
    return CorruptColumn(where, "bit set " + std::to_string(stored) +
                                    " names undefined enumerators");
  }
  return static_cast<uint32_t>(stored);
}

uint32_t ValidInstructionBits() { return AllInstructionKinds().bits(); }

uint32_t ValidEventKindBits() {
  return EventKindSet{EventKind::kCreate, EventKind::kModify,
                      EventKind::kTerminate, EventKind::kCrash}
      .bits();
}

StatusOr<uint64_t> DecodeUnsigned(int64_t stored, ColumnRef where) {
  if (stored < 0) {
    return CorruptColumn(where, "negative value " + std::to_string(stored));
  }
  return static_cast<uint64_t>(stored);
}

StatusOr<std::string> EncodeStringList(const std::vector<std::string>& list,
                                       std::string_view field) {
  if (list.empty()) return std::string("[]");
  return Dump(json(list), field);
}

StatusOr<std::string> EncodeStringMap(
    const std::map<std::string, std::string>& map, std::string_view field) {
  if (map.empty()) return std::string("{}");
  return Dump(json(map), field);
}

StatusOr<std::vector<std::string>> DecodeStringList(std::string_view text,
                                                    ColumnRef where) {
  std::vector<std::string> out;
  if (text == "[]") return out;
  NFVSM_ASSIGN_OR_RETURN(json parsed, Parse(text, where));
  if (!parsed.is_array()) return CorruptColumn(where, "not a JSON array");
  out.reserve(parsed.size());
  for (auto& item : parsed) {
    if (!item.is_string()) {
      return CorruptColumn(where, "array element is not a string");
    }
    out.push_back(std::move(item.get_ref<std::string&>()));
  }
  return out;
}

StatusOr<std::map<std::string, std::string>> DecodeStringMap(
    std::string_view text, ColumnRef where) {
  std::map<std::string, std::string> out;
  if (text == "{}") return out;
  NFVSM_ASSIGN_OR_RETURN(json parsed, Parse(text, where));
  if (!parsed.is_object()) return CorruptColumn(where, "not a JSON object");
  for (auto& [key, value] : parsed.items()) {
    if (!value.is_string()) {
      return CorruptColumn(where, "object value is not a string");
    }
    out.emplace(key, std::move(value.get_ref<std::string&>()));
  }
  return out;
}

}  // namespace nfvsm::internal
