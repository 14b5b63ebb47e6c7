// Fuzzes OpenEnvelope, the first code that touches bytes from an SM channel
// (R2.1.60, R2.1.70, SEC024 6.2.1).
//
// Raw input rarely carries a valid signature, which would leave everything
// after the signature check unfuzzed. So the first byte picks a mode:
//  - even: open the remaining bytes as they are; nothing may be accepted
//    unless it is really signed by the test key;
//  - odd: parse the rest as an Envelope, sign it with the test key, and
//    open it, which exercises the checks behind the signature: a signed
//    envelope must open to exactly the fields that were signed, or be
//    refused with a freshness, deadline, routing or replay code.
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/v1/envelope.pb.h"
#include "nfvsm/wire.h"

namespace {

// A key for this fuzz target only; it protects nothing.
constexpr std::string_view kTestKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MC4CAQAwBQYDK2VwBCIEIEA6jot40R0S7iyec41qjxzP9Tcpp5noXkhPg4p7mRr8\n"
    "-----END PRIVATE KEY-----\n";
// The seed corpus is signed at this time (make_seed_corpora.py).
constexpr int64_t kNowUs = 1'700'000'000'000'000;

const nfvsm::crypto::SigningKey& TestKey() {
  static const auto* key = [] {
    auto k = nfvsm::crypto::SigningKey::FromPem(kTestKeyPem);
    if (!k.ok()) std::abort();
    return new nfvsm::crypto::SigningKey(std::move(k).value());
  }();
  return *key;
}

void OpenRaw(std::string_view bytes) {
  nfvsm::ManualClock clock(nfvsm::FromMicros(kNowUs));
  nfvsm::wire::ReplayWindow window;
  auto opened = nfvsm::wire::OpenEnvelope(bytes, TestKey().verifying_key(),
                                          window, clock);
  if (!opened.ok()) {
    if (window.streams() != 0) std::abort();  // refusals record nothing
    return;
  }
  // Accepted: it must verify on its own and now be a replay.
  auto signature_ok = TestKey().verifying_key().Verify(
      nfvsm::wire::EnvelopeSigningInput(*opened), [&] {
        nfvsm::v1::Envelope proto;
        proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()));
        return proto.signature();
      }());
  if (!signature_ok.ok()) std::abort();
  auto replay = nfvsm::wire::OpenEnvelope(bytes, TestKey().verifying_key(),
                                          window, clock);
  if (replay.status().code() != nfvsm::StatusCode::kAlreadyExists) {
    std::abort();
  }
}

void SignAndOpen(std::string_view bytes) {
  nfvsm::v1::Envelope proto;
  if (!proto.ParseFromArray(bytes.data(), static_cast<int>(bytes.size()))) {
    return;
  }
  nfvsm::wire::Envelope e;
  e.sequence = proto.sequence();
  e.timestamp = nfvsm::FromMicros(proto.timestamp_us());
  e.sender = proto.sender();
  e.recipient = proto.recipient();
  e.message_type = proto.message_type();
  e.correlation_id = proto.correlation_id();
  if (proto.deadline_us() != 0) {
    e.deadline = nfvsm::FromMicros(proto.deadline_us());
  }
  e.payload = proto.payload();
  auto sealed = nfvsm::wire::SignEnvelope(TestKey(), e);
  if (!sealed.ok()) return;

  nfvsm::ManualClock clock(nfvsm::FromMicros(kNowUs));
  nfvsm::wire::ReplayWindow window;
  auto opened = nfvsm::wire::OpenEnvelope(*sealed, TestKey().verifying_key(),
                                          window, clock);
  e.key_id = TestKey().KeyId();
  if (opened.ok()) {
    if (!(*opened == e)) std::abort();
    return;
  }
  switch (opened.status().code()) {
    case nfvsm::StatusCode::kUnauthenticated:  // stale or future timestamp
    case nfvsm::StatusCode::kDeadlineExceeded:
    case nfvsm::StatusCode::kResourceExhausted:  // larger than the limit
      return;
    default:
      std::abort();  // a correctly signed envelope refused for no reason
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size == 0) return 0;
  std::string_view rest(reinterpret_cast<const char*>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    OpenRaw(rest);
  } else {
    SignAndOpen(rest);
  }
  return 0;
}
