// Shared fixtures for the store tests: a private temporary directory and
// sample entities whose every field differs from its default, so a field
// the store forgets fails the round-trip comparisons.
#ifndef NFVSM_TESTS_CORE_STORE_STORE_TEST_UTIL_H_
#define NFVSM_TESTS_CORE_STORE_STORE_TEST_UTIL_H_

#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <string>

#include "nfvsm/store.h"
#include "nfvsm/types.h"

namespace nfvsm::testing {

// A fresh directory under the system temp dir, removed with its contents.
class TempDir {
 public:
  TempDir();
  ~TempDir();
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  const std::filesystem::path& path() const { return path_; }
  std::string File(const std::string& name) const {
    return (path_ / name).string();
  }

 private:
  std::filesystem::path path_;
};

// Opens a store or fails the current test (fatal).
std::unique_ptr<Store> MustOpen(const std::string& path,
                                const SqliteOptions& opts = {});

inline TimePoint At(int64_t seconds) {
  return FromMicros(1'700'000'000'000'000 + seconds * 1'000'000);
}

TrustDomain SampleDomain(const std::string& id);
SecurityManager SampleSm(const std::string& id);
Binding SampleBinding(const std::string& sm, const std::string& domain);
VnfRecord SampleVnf(const std::string& id, const std::string& domain);
LifecycleEvent SampleEvent(const std::string& id, const std::string& domain,
                           const std::string& vnf, TimePoint at);
QuarantineEntry SampleQuarantine(QuarantineTarget target,
                                 const std::string& target_id);
GateRecord SampleGate(const std::string& id, const std::string& vnf,
                      TimePoint at);
AuditRecord SampleAudit(const std::string& partition, uint64_t seq);

// A string with bytes a careless text path would mangle: NUL, 0xff, quotes.
std::string AwkwardBytes();

// Runs SQL on the file behind the store's back (the store must be closed).
void RawExec(const std::string& path, const std::string& sql);
int RawUserVersion(const std::string& path);

}  // namespace nfvsm::testing

#endif  // NFVSM_TESTS_CORE_STORE_STORE_TEST_UTIL_H_
