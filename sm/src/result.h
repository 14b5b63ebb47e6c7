// Result<T>: a value or an Error, the reference SM's own error type.
//
// nfvsm-sm deliberately does not use nfvsm's core library (it proves that
// an SM can be written from the .proto files alone), so it carries this
// small stand-in for nfvsm::StatusOr. Codes mirror the status names MANO
// uses on the wire (InstructionResult.status_code).
//
// Thread safety: values; no shared state. Nothing here throws.
#ifndef NFVSM_SM_SRC_RESULT_H_
#define NFVSM_SM_SRC_RESULT_H_

#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nfvsm::refsm {

enum class Code {
  kInvalidArgument,
  kNotFound,
  kAlreadyExists,
  kPermissionDenied,
  kUnauthenticated,
  kFailedPrecondition,
  kDeadlineExceeded,
  kResourceExhausted,
  kUnavailable,
  kInternal,
};

std::string_view CodeName(Code code);

struct Error {
  Code code = Code::kInternal;
  std::string message;  // never holds secrets or raw message bytes
  std::string ToString() const {
    return std::string(CodeName(code)) + ": " + message;
  }
};

inline Error MakeError(Code code, std::string message) {
  return Error{code, std::move(message)};
}

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}      // NOLINT: implicit by design
  Result(Error error) : v_(std::move(error)) {}  // NOLINT
  bool ok() const { return std::holds_alternative<T>(v_); }
  const Error& error() const { return std::get<Error>(v_); }
  T& value() & { return std::get<T>(v_); }
  const T& value() const& { return std::get<T>(v_); }
  T&& value() && { return std::get<T>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }

 private:
  std::variant<T, Error> v_;
};

// An operation with no value.
struct Ok {};
using Outcome = Result<Ok>;

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_RESULT_H_
