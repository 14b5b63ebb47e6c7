// Helpers shared by the audit tests.
#ifndef NFVSM_TESTS_CORE_AUDIT_AUDIT_TEST_UTIL_H_
#define NFVSM_TESTS_CORE_AUDIT_AUDIT_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/audit/memory_audit_store.h"
#include "nfvsm/audit.h"
#include "nfvsm/clock.h"

namespace nfvsm::testing {

// Fixed keys, so that two logs can share them.
inline AuditKeys Keys(char hmac_fill = 'h',
                      std::optional<char> encryption_fill = std::nullopt) {
  AuditKeys keys;
  keys.hmac_key = crypto::SecretBytes(std::string(32, hmac_fill));
  if (encryption_fill) {
    keys.encryption_key =
        crypto::SecretBytes(std::string(32, *encryption_fill));
  }
  return keys;
}

inline std::unique_ptr<AuditLog> NewLog(AuditStore& store, AuditKeys keys,
                                        const Clock& clock,
                                        AuditLogOptions options = {}) {
  auto log = AuditLog::Create(store, std::move(keys), clock, options);
  EXPECT_TRUE(log.ok()) << log.status().ToString();
  return log.ok() ? std::move(log).value() : nullptr;
}

// Appends `n` records to `partition`, advancing the clock between them.
inline void AppendN(AuditLog& log, ManualClock& clock,
                    const std::string& partition, int n) {
  for (int i = 0; i < n; ++i) {
    clock.Advance(std::chrono::milliseconds(1));
    auto r = log.Append(partition, "test.event", "actor-" + std::to_string(i),
                        "vnf-" + std::to_string(i),
                        R"({"i":)" + std::to_string(i) + "}");
    ASSERT_TRUE(r.ok()) << r.status().ToString();
  }
}

}  // namespace nfvsm::testing

#endif  // NFVSM_TESTS_CORE_AUDIT_AUDIT_TEST_UTIL_H_
