// Builders shared by the domain module's tests.
#ifndef NFVSM_TESTS_CORE_DOMAIN_DOMAIN_TEST_UTIL_H_
#define NFVSM_TESTS_CORE_DOMAIN_DOMAIN_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <optional>
#include <string>

#include "nfvsm/domain_registry.h"
#include "nfvsm/types.h"

namespace nfvsm::testing {

inline TrustDomain Domain(const DomainId& id,
                          DomainKind kind = DomainKind::kVnf) {
  TrustDomain d;
  d.id = id;
  d.kind = kind;
  return d;
}

inline SecurityManager Sm(const SmId& id,
                          std::optional<SmId> master = std::nullopt) {
  SecurityManager sm;
  sm.id = id;
  sm.master = std::move(master);
  return sm;
}

inline Binding Bind(const SmId& sm, const DomainId& domain,
                    Mode mode = Mode::kPassive) {
  Binding b;
  b.sm = sm;
  b.domain = domain;
  b.mode = mode;
  return b;
}

// Asserts a status is OK, printing it otherwise.
#define NFVSM_ASSERT_OK(expr)              \
  do {                                     \
    const ::nfvsm::Status s_ = (expr);     \
    ASSERT_TRUE(s_.ok()) << s_.ToString(); \
  } while (false)

}  // namespace nfvsm::testing

#endif  // NFVSM_TESTS_CORE_DOMAIN_DOMAIN_TEST_UTIL_H_
