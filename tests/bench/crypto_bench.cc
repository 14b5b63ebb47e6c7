// Costs of the crypto primitives nfvsm uses on its hot paths: envelope
// signatures (Ed25519), audit hashing (SHA-256, HMAC) and encryption at
// rest (AES-256-GCM).
#include <benchmark/benchmark.h>

#include <array>
#include <cstdlib>
#include <string>

#include "nfvsm/crypto.h"

namespace nfvsm::crypto {
namespace {

template <typename T>
T Must(StatusOr<T> v) {
  if (!v.ok()) std::abort();
  return std::move(v).value();
}

const std::string& Message() {
  static const std::string* m = new std::string(256, 'm');
  return *m;
}

void BM_Ed25519Sign(benchmark::State& state) {
  SigningKey key = Must(SigningKey::Generate());
  for (auto _ : state) {
    benchmark::DoNotOptimize(key.Sign(Message()));
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Sign);

void BM_Ed25519Verify(benchmark::State& state) {
  SigningKey key = Must(SigningKey::Generate());
  std::string sig = Must(key.Sign(Message()));
  const VerifyingKey& vk = key.verifying_key();
  for (auto _ : state) {
    Status s = vk.Verify(Message(), sig);
    if (!s.ok()) state.SkipWithError("signature did not verify");
    benchmark::DoNotOptimize(s);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_Ed25519Verify);

void BM_Sha256_256B(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(Sha256(Message()));
  }
  state.SetBytesProcessed(state.iterations() * Message().size());
}
BENCHMARK(BM_Sha256_256B);

void BM_HmacSha256_256B(benchmark::State& state) {
  SecretBytes key = Must(RandomSecret(32));
  for (auto _ : state) {
    benchmark::DoNotOptimize(HmacSha256(key, Message()));
  }
  state.SetBytesProcessed(state.iterations() * Message().size());
}
BENCHMARK(BM_HmacSha256_256B);

// The reusable hasher the audit log uses: no per-message key schedule.
void BM_HmacSha256Hasher_256B(benchmark::State& state) {
  SecretBytes key = Must(RandomSecret(32));
  HmacSha256Hasher hmac = Must(HmacSha256Hasher::Create(key));
  std::array<unsigned char, kSha256Bytes> out;
  for (auto _ : state) {
    Status s = hmac.Update(Message());
    if (s.ok()) s = hmac.FinishInto(out);
    benchmark::DoNotOptimize(out);
  }
  state.SetBytesProcessed(state.iterations() * Message().size());
}
BENCHMARK(BM_HmacSha256Hasher_256B);

void BM_Aes256GcmSeal_1KiB(benchmark::State& state) {
  SecretBytes key = Must(RandomSecret(32));
  const std::string plaintext(1024, 'p');
  for (auto _ : state) {
    benchmark::DoNotOptimize(Aes256GcmSeal(key, plaintext, "aad"));
  }
  state.SetBytesProcessed(state.iterations() * plaintext.size());
}
BENCHMARK(BM_Aes256GcmSeal_1KiB);

void BM_Aes256GcmOpen_1KiB(benchmark::State& state) {
  SecretBytes key = Must(RandomSecret(32));
  std::string sealed = Must(Aes256GcmSeal(key, std::string(1024, 'p'), "aad"));
  for (auto _ : state) {
    benchmark::DoNotOptimize(Aes256GcmOpen(key, sealed, "aad"));
  }
  state.SetBytesProcessed(state.iterations() * 1024);
}
BENCHMARK(BM_Aes256GcmOpen_1KiB);

}  // namespace
}  // namespace nfvsm::crypto

BENCHMARK_MAIN();
