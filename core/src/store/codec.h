// How model values become column values and back: enums as their stable
// names, EnumSets as bits, string lists and maps as JSON text. Decoding
// failures are kDataLoss naming the table and column, so an operator can
// find the damaged row; encoding failures are kInvalidArgument (the
// caller's value cannot be stored faithfully).
#ifndef NFVSM_STORE_CODEC_H_
#define NFVSM_STORE_CODEC_H_

#include <cstdint>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::internal {

// Where a stored value came from, for kDataLoss messages.
struct ColumnRef {
  std::string_view table;
  std::string_view column;
};

Status CorruptColumn(ColumnRef where, std::string_view problem);

// The stable name of an enumerator; kInvalidArgument for a value outside
// the enum (ToString answers "invalid" for those).
template <typename E>
StatusOr<std::string> EncodeEnum(E value, std::string_view field) {
  std::string_view name = ToString(value);
  if (name == "invalid") {
    return InvalidArgumentError(std::string(field) + " holds value " +
                                std::to_string(static_cast<int>(value)) +
                                ", which is not defined");
  }
  return std::string(name);
}

template <typename E>
StatusOr<E> DecodeEnum(StatusOr<E> (*parse)(std::string_view), ColumnRef where,
                       std::string_view name) {
  StatusOr<E> parsed = parse(name);
  if (!parsed.ok()) return CorruptColumn(where, parsed.status().message());
  return parsed;
}

// An EnumSet's bits, refusing bits no enumerator owns (`valid_bits`).
StatusOr<uint32_t> DecodeBits(int64_t stored, uint32_t valid_bits,
                              ColumnRef where);
uint32_t ValidInstructionBits();
uint32_t ValidEventKindBits();

// A non-negative integer column holding a uint64 (audit sequence numbers).
StatusOr<uint64_t> DecodeUnsigned(int64_t stored, ColumnRef where);

// JSON arrays of strings / objects of string to string. JSON cannot carry
// invalid UTF-8, so such values are refused rather than altered.
StatusOr<std::string> EncodeStringList(const std::vector<std::string>& list,
                                       std::string_view field);
StatusOr<std::string> EncodeStringMap(
    const std::map<std::string, std::string>& map, std::string_view field);
StatusOr<std::vector<std::string>> DecodeStringList(std::string_view json,
                                                    ColumnRef where);
StatusOr<std::map<std::string, std::string>> DecodeStringMap(
    std::string_view json, ColumnRef where);

}  // namespace nfvsm::internal

#endif  // NFVSM_STORE_CODEC_H_
