// Status and StatusOr: errors as values.
//
// Thread safety: Status and StatusOr are value types. Distinct objects may be
// used from different threads freely; one object needs external
// synchronization if it is mutated from several threads.
//
// Every fallible operation in nfvsm returns a Status or a StatusOr<T>. The
// codes are deliberately few and precise, so that the Python bindings can map
// each to one exception class and the bus can map each to one error reply:
//
//   kInvalidArgument    the caller's input is malformed or incomplete
//   kNotFound           a named entity does not exist
//   kAlreadyExists      creating an entity that exists
//   kPermissionDenied   authenticated, but not authorized (R2.1.20, R2.1.90)
//   kUnauthenticated    the caller could not be authenticated (bad signature)
//   kFailedPrecondition the system is not in a state that allows it
//                       (e.g. quarantine veto)
//   kDeadlineExceeded   an answer did not arrive in time
//   kUnavailable        a dependency (store, bus) is unreachable; retryable
//   kResourceExhausted  a limit was hit (size, rate, sessions)
//   kDataLoss           stored data failed an integrity check
//   kInternal           a bug or an unexpected library failure
#ifndef NFVSM_STATUS_H_
#define NFVSM_STATUS_H_

#include <cassert>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace nfvsm {

enum class StatusCode : int {
  kOk = 0,
  kInvalidArgument = 3,
  kDeadlineExceeded = 4,
  kNotFound = 5,
  kAlreadyExists = 6,
  kPermissionDenied = 7,
  kResourceExhausted = 8,
  kFailedPrecondition = 9,
  kInternal = 13,
  kUnavailable = 14,
  kDataLoss = 15,
  kUnauthenticated = 16,
};

// Stable lower-case name of a code ("invalid_argument"), used on the wire
// and in audit records.
std::string_view StatusCodeName(StatusCode code);

class [[nodiscard]] Status {
 public:
  Status() = default;  // OK
  Status(StatusCode code, std::string message)
      : code_(code), message_(std::move(message)) {}

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "permission_denied: SM 'x' is not bound to domain 'y'".
  std::string ToString() const;

  friend bool operator==(const Status& a, const Status& b) {
    return a.code_ == b.code_ && a.message_ == b.message_;
  }

 private:
  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

inline Status OkStatus() { return {}; }
inline Status InvalidArgumentError(std::string m) {
  return {StatusCode::kInvalidArgument, std::move(m)};
}
inline Status NotFoundError(std::string m) {
  return {StatusCode::kNotFound, std::move(m)};
}
inline Status AlreadyExistsError(std::string m) {
  return {StatusCode::kAlreadyExists, std::move(m)};
}
inline Status PermissionDeniedError(std::string m) {
  return {StatusCode::kPermissionDenied, std::move(m)};
}
inline Status UnauthenticatedError(std::string m) {
  return {StatusCode::kUnauthenticated, std::move(m)};
}
inline Status FailedPreconditionError(std::string m) {
  return {StatusCode::kFailedPrecondition, std::move(m)};
}
inline Status DeadlineExceededError(std::string m) {
  return {StatusCode::kDeadlineExceeded, std::move(m)};
}
inline Status UnavailableError(std::string m) {
  return {StatusCode::kUnavailable, std::move(m)};
}
inline Status ResourceExhaustedError(std::string m) {
  return {StatusCode::kResourceExhausted, std::move(m)};
}
inline Status DataLossError(std::string m) {
  return {StatusCode::kDataLoss, std::move(m)};
}
inline Status InternalError(std::string m) {
  return {StatusCode::kInternal, std::move(m)};
}

// Holds either a T or a non-OK Status. Accessing value() of an error is a
// programming error (asserts in debug builds).
template <typename T>
class [[nodiscard]] StatusOr {
 public:
  StatusOr(Status status) : status_(std::move(status)) {  // NOLINT
    assert(!status_.ok() && "StatusOr built from an OK Status");
    if (status_.ok()) status_ = InternalError("StatusOr from OK Status");
  }
  StatusOr(T value) : value_(std::move(value)) {}  // NOLINT

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  T& value() & {
    assert(ok());
    return *value_;
  }
  const T& value() const& {
    assert(ok());
    return *value_;
  }
  T&& value() && {
    assert(ok());
    return std::move(*value_);
  }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace nfvsm

// Propagates a non-OK Status from an expression returning Status.
#define NFVSM_RETURN_IF_ERROR(expr)                \
  do {                                             \
    ::nfvsm::Status nfvsm_status_ = (expr);        \
    if (!nfvsm_status_.ok()) return nfvsm_status_; \
  } while (false)

#define NFVSM_CONCAT_INNER_(a, b) a##b
#define NFVSM_CONCAT_(a, b) NFVSM_CONCAT_INNER_(a, b)

// Assigns the value of a StatusOr expression to lhs, or returns its error.
#define NFVSM_ASSIGN_OR_RETURN(lhs, expr) \
  NFVSM_ASSIGN_OR_RETURN_IMPL_(NFVSM_CONCAT_(nfvsm_sor_, __LINE__), lhs, expr)
// lhs may be a declaration ("auto x"), so it cannot be parenthesized.
// NOLINTBEGIN(bugprone-macro-parentheses)
#define NFVSM_ASSIGN_OR_RETURN_IMPL_(tmp, lhs, expr) \
  auto tmp = (expr);                                 \
  if (!tmp.ok()) return tmp.status();                \
  lhs = std::move(tmp).value()
// NOLINTEND(bugprone-macro-parentheses)

#endif  // NFVSM_STATUS_H_
