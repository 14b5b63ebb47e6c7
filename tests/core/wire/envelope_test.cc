// Signed envelopes and the replay window.
#include <gtest/gtest.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "core/wire/samples.h"
#include "nfvsm/crypto.h"
#include "nfvsm/v1/envelope.pb.h"
#include "nfvsm/wire.h"

namespace nfvsm::wire {
namespace {

using crypto::SigningKey;

class EnvelopeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto sm = SigningKey::Generate();
    auto other = SigningKey::Generate();
    ASSERT_TRUE(sm.ok() && other.ok());
    sm_key_.emplace(std::move(sm).value());
    other_key_.emplace(std::move(other).value());
  }

  Envelope Sample(uint64_t sequence = 1) const {
    Envelope e;
    e.sequence = sequence;
    e.timestamp = clock_.Now();
    e.sender = "sm-a";
    e.recipient = "mano";
    e.message_type = std::string(kInstructionType);
    e.correlation_id = "corr-1";
    e.deadline = clock_.Now() + std::chrono::seconds(30);
    e.payload = std::string("\x0a\x05ins-1\x00\xff", 9);
    return e;
  }

  std::string Signed(const Envelope& e) const {
    auto bytes = SignEnvelope(*sm_key_, e);
    EXPECT_TRUE(bytes.ok()) << bytes.status().ToString();
    return bytes.ok() ? *bytes : std::string();
  }

  StatusOr<Envelope> Open(std::string_view bytes,
                          const OpenOptions& options = {}) {
    return OpenEnvelope(bytes, sm_key_->verifying_key(), window_, clock_,
                        options);
  }

  // Re-signs a modified proto with `key`, as an attacker holding that key
  // (or a buggy peer) would.
  std::string Resign(v1::Envelope proto, const SigningKey& key) {
    Envelope e;
    e.key_id = proto.key_id();
    e.sequence = proto.sequence();
    e.timestamp = FromMicros(proto.timestamp_us());
    e.sender = proto.sender();
    e.recipient = proto.recipient();
    e.message_type = proto.message_type();
    e.correlation_id = proto.correlation_id();
    if (proto.deadline_us() != 0) e.deadline = FromMicros(proto.deadline_us());
    e.payload = proto.payload();
    proto.set_signature(*key.Sign(EnvelopeSigningInput(e)));
    return proto.SerializeAsString();
  }

  ManualClock clock_;
  ReplayWindow window_;
  std::optional<SigningKey> sm_key_;
  std::optional<SigningKey> other_key_;
};

// covers: R2.1.60, R2.1.70, SEC024 6.2.1
TEST_F(EnvelopeTest, SignedEnvelopeOpensWithEveryField) {
  Envelope e = Sample();
  auto opened = Open(Signed(e));
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  e.key_id = sm_key_->KeyId();
  EXPECT_EQ(*opened, e);
  EXPECT_EQ(window_.Highest("sm-a", sm_key_->KeyId()), 1u);
}

// covers: R2.1.70
TEST_F(EnvelopeTest, WrongKeyIsUnauthenticated) {
  std::string bytes = Signed(Sample());
  auto opened =
      OpenEnvelope(bytes, other_key_->verifying_key(), window_, clock_);
  ASSERT_FALSE(opened.ok());
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(window_.streams(), 0u);  // nothing recorded

  // Another SM's key with our key id claimed: the signature gives it away.
  v1::Envelope proto;
  ASSERT_TRUE(proto.ParseFromString(bytes));
  opened = Open(Resign(proto, *other_key_));
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(window_.streams(), 0u);
}

// covers: R2.1.70, SEC024 6.2.1
TEST_F(EnvelopeTest, EveryFieldIsCoveredByTheSignature) {
  v1::Envelope good;
  ASSERT_TRUE(good.ParseFromString(Signed(Sample())));
  std::vector<std::function<void(v1::Envelope&)>> tamper = {
      [](v1::Envelope& p) { p.set_sequence(p.sequence() + 1); },
      [](v1::Envelope& p) { p.set_timestamp_us(p.timestamp_us() + 1); },
      [](v1::Envelope& p) { p.set_sender("sm-b"); },
      [](v1::Envelope& p) { p.set_recipient("mano-2"); },
      [](v1::Envelope& p) { p.set_message_type("nfvsm.v1.GateAnswer"); },
      [](v1::Envelope& p) { p.set_correlation_id("corr-2"); },
      [](v1::Envelope& p) { p.set_deadline_us(p.deadline_us() + 1); },
      [](v1::Envelope& p) { p.mutable_payload()->back() ^= 1; },
      [](v1::Envelope& p) { p.mutable_signature()->front() ^= 1; },
      [](v1::Envelope& p) { p.mutable_signature()->pop_back(); },
      [](v1::Envelope& p) { p.clear_signature(); },
      // Moving bytes between adjacent fields must not keep the signature
      // valid: the length prefixes see to that.
      [](v1::Envelope& p) {
        p.set_sender(p.sender() + p.recipient().substr(0, 1));
        p.set_recipient(p.recipient().substr(1));
      },
  };
  for (size_t i = 0; i < tamper.size(); ++i) {
    v1::Envelope bad = good;
    tamper[i](bad);
    auto opened = Open(bad.SerializeAsString());
    ASSERT_FALSE(opened.ok()) << "tampering " << i << " went unnoticed";
    EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated) << i;
  }
  EXPECT_EQ(window_.streams(), 0u);
  EXPECT_TRUE(Open(good.SerializeAsString()).ok());
}

// covers: R2.1.70
TEST_F(EnvelopeTest, KeyIdMustNameTheChannelKey) {
  v1::Envelope proto;
  ASSERT_TRUE(proto.ParseFromString(Signed(Sample())));
  proto.set_key_id(other_key_->KeyId());
  auto opened = Open(Resign(proto, *sm_key_));
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(opened.status().message(),
            "key_id: not the key this channel accepts (rotated or forged)");
}

// covers: R2.1.60, SEC024 6.2.1
TEST_F(EnvelopeTest, DuplicateAndTooOldAreAlreadyExists) {
  std::string first = Signed(Sample(5));
  ASSERT_TRUE(Open(first).ok());
  auto replay = Open(first);
  EXPECT_EQ(replay.status().code(), StatusCode::kAlreadyExists);

  // Out of order within the window is fine, once.
  ASSERT_TRUE(Open(Signed(Sample(2000))).ok());
  std::string late = Signed(Sample(1500));
  EXPECT_TRUE(Open(late).ok());
  EXPECT_EQ(Open(late).status().code(), StatusCode::kAlreadyExists);
  // 2000 - 976 = 1024 below the highest: outside the window.
  auto too_old = Open(Signed(Sample(976)));
  EXPECT_EQ(too_old.status().code(), StatusCode::kAlreadyExists);
  EXPECT_TRUE(Open(Signed(Sample(977))).ok());
}

// covers: SEC024 6.2.1
TEST_F(EnvelopeTest, StaleOrFutureTimestampIsUnauthenticated) {
  Envelope stale = Sample(1);
  stale.timestamp = clock_.Now() - std::chrono::seconds(61);
  stale.deadline.reset();
  auto opened = Open(Signed(stale));
  EXPECT_EQ(opened.status().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(opened.status().message(),
            "timestamp_us: stale, older than the allowed clock skew of 60 s");

  Envelope future = Sample(2);
  future.timestamp = clock_.Now() + std::chrono::seconds(61);
  EXPECT_EQ(Open(Signed(future)).status().code(), StatusCode::kUnauthenticated);

  Envelope edge = Sample(3);
  edge.timestamp = clock_.Now() - std::chrono::seconds(60);
  EXPECT_TRUE(Open(Signed(edge)).ok());

  OpenOptions strict;
  strict.max_clock_skew = std::chrono::seconds(5);
  Envelope slightly_old = Sample(4);
  slightly_old.timestamp = clock_.Now() - std::chrono::seconds(6);
  EXPECT_EQ(Open(Signed(slightly_old), strict).status().code(),
            StatusCode::kUnauthenticated);
  // Refused messages do not use up their sequence number.
  EXPECT_EQ(window_.Highest("sm-a", sm_key_->KeyId()), 3u);

  Envelope absurd = Sample(5);
  absurd.timestamp = FromMicros(std::numeric_limits<int64_t>::min());
  EXPECT_EQ(Open(Signed(absurd)).status().code(), StatusCode::kUnauthenticated);
  absurd.timestamp = FromMicros(std::numeric_limits<int64_t>::max());
  OpenOptions lax;
  lax.max_clock_skew = Duration::max();
  EXPECT_TRUE(Open(Signed(absurd), lax).ok());
}

// covers: R1.3.30, SEC024 6.2.1
TEST_F(EnvelopeTest, PassedDeadlineIsDeadlineExceeded) {
  Envelope e = Sample(1);
  e.deadline = clock_.Now() + std::chrono::seconds(1);
  std::string bytes = Signed(e);
  clock_.Advance(std::chrono::seconds(2));
  auto opened = Open(bytes);
  EXPECT_EQ(opened.status().code(), StatusCode::kDeadlineExceeded);
}

// covers: R2.1.60, R2.1.70
TEST_F(EnvelopeTest, SenderAndRecipientMustMatchTheChannel) {
  OpenOptions options;
  options.expected_sender = "sm-b";
  EXPECT_EQ(Open(Signed(Sample(1)), options).status().code(),
            StatusCode::kPermissionDenied);
  options.expected_sender = "sm-a";
  options.expected_recipient = "mano-east";
  EXPECT_EQ(Open(Signed(Sample(1)), options).status().code(),
            StatusCode::kPermissionDenied);
  options.expected_recipient = "mano";
  EXPECT_TRUE(Open(Signed(Sample(1)), options).ok());
}

// covers: SEC024 6.2.1
TEST_F(EnvelopeTest, OversizedTruncatedAndGarbageInput) {
  Envelope big = Sample(1);
  big.payload.assign(kDefaultMaxMessageBytes + kEnvelopeOverheadBytes, 'p');
  auto opened = Open(Signed(big));
  EXPECT_EQ(opened.status().code(), StatusCode::kResourceExhausted);

  std::string bytes = Signed(Sample(2));
  for (size_t cut :
       {size_t{0}, size_t{1}, bytes.size() / 2, bytes.size() - 1}) {
    auto truncated = Open(bytes.substr(0, cut));
    EXPECT_FALSE(truncated.ok()) << cut;
    EXPECT_NE(truncated.status().code(), StatusCode::kOk);
  }
  EXPECT_EQ(Open("\xff\xff\xff").status().code(), StatusCode::kInvalidArgument);

  v1::Envelope proto;
  ASSERT_TRUE(proto.ParseFromString(bytes));
  samples::UnknownFieldsOf(&proto)->AddLengthDelimited(11, "unsigned");
  EXPECT_EQ(Open(proto.SerializeAsString()).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(Open(bytes).ok());
}

// covers: SEC024 6.2.1
TEST_F(EnvelopeTest, SignRefusesWhatOpenWouldRefuse) {
  Envelope e = Sample(0);
  EXPECT_EQ(SignEnvelope(*sm_key_, e).status().message(),
            "sequence: must be at least 1");
  e = Sample(1);
  e.sender.clear();
  EXPECT_EQ(SignEnvelope(*sm_key_, e).status().message(), "sender: required");
  e = Sample(1);
  e.message_type.clear();
  EXPECT_EQ(SignEnvelope(*sm_key_, e).status().message(),
            "message_type: required");
  e = Sample(1);
  e.deadline = FromMicros(0);
  EXPECT_EQ(SignEnvelope(*sm_key_, e).status().code(),
            StatusCode::kInvalidArgument);
}

// covers: R2.1.70
TEST(EnvelopeSigningInputTest, MatchesTheDocumentedLayout) {
  Envelope e;
  e.key_id = "k";
  e.sequence = 0x0102;
  e.timestamp = FromMicros(-2);
  e.sender = "s";
  e.recipient = "";
  e.message_type = "t";
  e.correlation_id = "c";
  e.payload = "p";
  using namespace std::string_literals;
  std::string want = "\0\0\0\x11nfvsm-envelope-v1"s + "\0\0\0\x01k"s +
                     "\0\0\0\0\0\0\x01\x02"s +
                     "\xff\xff\xff\xff\xff\xff\xff\xfe"s + "\0\0\0\x01s"s +
                     "\0\0\0\0"s + "\0\0\0\x01t"s + "\0\0\0\x01"s + "c"s +
                     "\0\0\0\0\0\0\0\0"s + "\0\0\0\x01p"s;
  EXPECT_EQ(EnvelopeSigningInput(e), want);
  e.deadline = FromMicros(0x7f);
  EXPECT_NE(EnvelopeSigningInput(e), want);
}

// covers: SEC024 6.2.1
TEST(ReplayWindowTest, TracksStreamsIndependently) {
  ReplayWindow window(/*max_streams=*/2);
  EXPECT_TRUE(window.Accept("sm-a", "k1", 7).ok());
  EXPECT_TRUE(window.Accept("sm-b", "k1", 7).ok());  // other sender
  EXPECT_EQ(window.Accept("sm-a", "k1", 7).code(), StatusCode::kAlreadyExists);
  EXPECT_EQ(window.Accept("sm-a", "k2", 1).code(),
            StatusCode::kResourceExhausted);
  EXPECT_EQ(window.Accept("sm-a", "k1", 0).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(window.streams(), 2u);

  // A jump of more than the window forgets everything below it.
  EXPECT_TRUE(window.Accept("sm-a", "k1", 7 + 5000).ok());
  EXPECT_EQ(window.Accept("sm-a", "k1", 7 + 5000 - 1023).code(),
            StatusCode::kOk);
  EXPECT_EQ(window.Accept("sm-a", "k1", 7 + 5000 - 1024).code(),
            StatusCode::kAlreadyExists);
  EXPECT_EQ(window.Accept("sm-a", "k1", UINT64_MAX).code(), StatusCode::kOk);
  EXPECT_EQ(window.Highest("sm-a", "k1"), UINT64_MAX);
  EXPECT_FALSE(window.Highest("sm-c", "k1").has_value());
}

// covers: SEC024 6.2.1
TEST(ReplayWindowTest, ConcurrentAcceptsEachSequenceExactlyOnce) {
  ReplayWindow window;
  constexpr int kThreads = 4;
  constexpr uint64_t kPerThread = 2000;
  std::atomic<int> accepted{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&] {
      // Every thread offers every sequence number: exactly one wins each.
      for (uint64_t s = 1; s <= kPerThread; ++s) {
        if (window.Accept("sm-a", "k", s).ok()) accepted.fetch_add(1);
      }
    });
  }
  for (auto& th : threads) th.join();
  // A number can only leave the window after a thread passed it, so the
  // first offer of each wins and no later one does.
  EXPECT_EQ(accepted.load(), static_cast<int>(kPerThread));
  EXPECT_EQ(window.Highest("sm-a", "k"), kPerThread);
}

// An envelope built by an independent implementation of envelope.proto's
// signing input (tests/fuzz/make_seed_corpora.py: Python and the openssl
// command line) opens here: the documented layout is the implemented one.
// covers: R2.1.70, SEC024 6.2.1
TEST(EnvelopeInteropTest, OpensAnEnvelopeSignedOutsideThisCodebase) {
  constexpr std::string_view kTestKeyPem =
      "-----BEGIN PRIVATE KEY-----\n"
      "MC4CAQAwBQYDK2VwBCIEIEA6jot40R0S7iyec41qjxzP9Tcpp5noXkhPg4p7mRr8\n"
      "-----END PRIVATE KEY-----\n";
  auto key = SigningKey::FromPem(kTestKeyPem);
  ASSERT_TRUE(key.ok()) << key.status().ToString();
  auto corpus = std::filesystem::path(__FILE__).parent_path() /
                "../../fuzz/corpus/envelope_open_fuzz";
  std::ifstream in(corpus / "signed_instruction.bin", std::ios::binary);
  ASSERT_TRUE(in) << "missing seed corpus";
  std::stringstream content;
  content << in.rdbuf();
  std::string bytes = content.str().substr(1);  // first byte: fuzz mode

  ManualClock clock(FromMicros(1'700'000'000'000'000));
  ReplayWindow window;
  auto opened = OpenEnvelope(bytes, key->verifying_key(), window, clock);
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->sender, "sm-a");
  EXPECT_EQ(opened->message_type, kInstructionType);
  auto instruction = DecodeInstruction(opened->payload, opened->sender);
  ASSERT_TRUE(instruction.ok()) << instruction.status().ToString();
  EXPECT_EQ(instruction->kind, InstructionKind::kTerminate);
  EXPECT_EQ(instruction->vnf_ids, (std::vector<std::string>{"vnf-1", "vnf-2"}));
}

}  // namespace
}  // namespace nfvsm::wire
