// The reference SM's envelope code against nfvsm core's (wire.h): what one
// signs the other opens, byte for byte, and each refuses what envelope.proto
// says to refuse. nfvsm-sm itself never links core; only this test does.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <climits>
#include <cstdio>
#include <string>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/v1/envelope.pb.h"
#include "nfvsm/wire.h"
#include "sm/src/envelope.h"
#include "sm/src/keys.h"

namespace nfvsm::refsm {
namespace {

constexpr int64_t kNowUs = 1'800'000'000'000'000;

std::string Hex(std::string_view bytes) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned char c : bytes) {
    out += kHex[c >> 4];
    out += kHex[c & 0xf];
  }
  return out;
}

PrivateKey NewSmKey() {
  Result<PrivateKey> key = PrivateKey::Generate();
  EXPECT_TRUE(key.ok());
  return std::move(key).value();
}

// The SM's key as core sees it (from the registered public PEM).
crypto::VerifyingKey CoreView(const PrivateKey& key) {
  return crypto::VerifyingKey::FromPem(key.public_key().pem()).value();
}

v1::Envelope SmEnvelope(uint64_t sequence) {
  v1::Envelope e;
  e.set_sequence(sequence);
  e.set_timestamp_us(kNowUs);
  e.set_sender("sm-a");
  e.set_recipient("mano");
  e.set_message_type("nfvsm.v1.Instruction");
  e.set_correlation_id("i-1");
  e.set_deadline_us(kNowUs + 5'000'000);
  e.set_payload(std::string("\x0a\x03i-1", 5));
  return e;
}

wire::OpenOptions CoreChannel() {
  wire::OpenOptions o;
  o.expected_sender = "sm-a";
  o.expected_recipient = "mano";
  return o;
}

// covers: R2.1.70
TEST(RefSmEnvelopeSigningInputTest, MatchesTheWorkedExampleOfWireMd) {
  v1::Envelope e;
  e.set_key_id("k");
  e.set_sequence(258);
  e.set_timestamp_us(-2);
  e.set_sender("s");
  e.set_message_type("t");
  e.set_correlation_id("c");
  e.set_payload("p");
  EXPECT_EQ(Hex(EnvelopeSigningInput(e)),
            "000000116e667673"
            "6d2d656e76656c6f70652d7631"
            "000000016b"
            "0000000000000102"
            "fffffffffffffffe"
            "0000000173"
            "00000000"
            "0000000174"
            "0000000163"
            "0000000000000000"
            "0000000170");
}

// covers: R2.1.70
TEST(RefSmEnvelopeSigningInputTest, EqualsCoreSigningInputForEveryField) {
  v1::Envelope e = SmEnvelope(7);
  e.set_key_id("0123456789abcdef");
  wire::Envelope core;
  core.key_id = e.key_id();
  core.sequence = e.sequence();
  core.timestamp = FromMicros(e.timestamp_us());
  core.sender = e.sender();
  core.recipient = e.recipient();
  core.message_type = e.message_type();
  core.correlation_id = e.correlation_id();
  core.deadline = FromMicros(e.deadline_us());
  core.payload = e.payload();
  EXPECT_EQ(Hex(EnvelopeSigningInput(e)),
            Hex(wire::EnvelopeSigningInput(core)));
}

// covers: R2.1.70
TEST(RefSmKeyIdTest, AgreesWithCore) {
  PrivateKey key = NewSmKey();
  EXPECT_EQ(key.public_key().key_id(), CoreView(key).KeyId());
  EXPECT_EQ(key.public_key().key_id().size(), 16u);
}

// covers: R2.1.60, R2.1.70, R1.1.160
TEST(RefSmEnvelopeInteropTest, SignedHereOpensWithCore) {
  PrivateKey key = NewSmKey();
  Result<std::string> bytes = SignEnvelope(key, SmEnvelope(1));
  ASSERT_TRUE(bytes.ok()) << bytes.error().ToString();
  ManualClock clock(FromMicros(kNowUs + 1'000'000));
  wire::ReplayWindow window;
  auto opened =
      wire::OpenEnvelope(*bytes, CoreView(key), window, clock, CoreChannel());
  ASSERT_TRUE(opened.ok()) << opened.status().ToString();
  EXPECT_EQ(opened->sender, "sm-a");
  EXPECT_EQ(opened->recipient, "mano");
  EXPECT_EQ(opened->sequence, 1u);
  EXPECT_EQ(opened->key_id, key.public_key().key_id());
  EXPECT_EQ(opened->correlation_id, "i-1");
  EXPECT_EQ(opened->payload, SmEnvelope(1).payload());
}

// covers: R2.1.70
TEST(RefSmEnvelopeInteropTest, EveryFlippedByteSignedHereIsRefusedByCore) {
  PrivateKey key = NewSmKey();
  const std::string bytes = SignEnvelope(key, SmEnvelope(1)).value();
  ManualClock clock(FromMicros(kNowUs));
  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string tampered = bytes;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x01);
    wire::ReplayWindow window;
    auto opened = wire::OpenEnvelope(tampered, CoreView(key), window, clock,
                                     CoreChannel());
    EXPECT_FALSE(opened.ok()) << "byte " << i << " flipped was accepted";
  }
}

// covers: R2.1.60, R2.1.70, R1.1.160
TEST(RefSmEnvelopeInteropTest, SignedByCoreOpensHere) {
  auto mano = crypto::SigningKey::Generate().value();
  wire::Envelope e;
  e.sequence = 42;
  e.timestamp = FromMicros(kNowUs);
  e.sender = "mano";
  e.recipient = "sm-a";
  e.message_type = "nfvsm.v1.GateRequest";
  e.correlation_id = "g-1";
  e.deadline = FromMicros(kNowUs + 10'000'000);
  e.payload = "payload";
  const std::string bytes = wire::SignEnvelope(mano, e).value();
  EnvelopeVerifier verifier(
      PublicKey::FromPem(mano.PublicKeyPem()).value(),
      VerifyOptions{.expected_sender = "mano", .expected_recipient = "sm-a"});
  Result<v1::Envelope> opened = verifier.Open(bytes, kNowUs + 2'000'000);
  ASSERT_TRUE(opened.ok()) << opened.error().ToString();
  EXPECT_EQ(opened->sequence(), 42u);
  EXPECT_EQ(opened->correlation_id(), "g-1");
  EXPECT_EQ(opened->payload(), "payload");
  EXPECT_EQ(opened->key_id(), mano.KeyId());

  for (size_t i = 0; i < bytes.size(); ++i) {
    std::string tampered = bytes;
    tampered[i] = static_cast<char>(tampered[i] ^ 0x80);
    EnvelopeVerifier fresh(
        PublicKey::FromPem(mano.PublicKeyPem()).value(),
        VerifyOptions{.expected_sender = "mano", .expected_recipient = "sm-a"});
    EXPECT_FALSE(fresh.Open(tampered, kNowUs).ok())
        << "byte " << i << " flipped was accepted";
  }
}

class RefSmVerifierTest : public ::testing::Test {
 protected:
  RefSmVerifierTest()
      : mano_(PrivateKey::Generate().value()),
        verifier_(mano_.public_key(),
                  VerifyOptions{.max_bytes = 4096,
                                .expected_sender = "mano",
                                .expected_recipient = "sm-a"}) {}

  v1::Envelope FromMano(uint64_t sequence) {
    v1::Envelope e;
    e.set_sequence(sequence);
    e.set_timestamp_us(kNowUs);
    e.set_sender("mano");
    e.set_recipient("sm-a");
    e.set_message_type("nfvsm.v1.LifecycleEventNotification");
    e.set_payload("x");
    return e;
  }
  std::string Sign(const v1::Envelope& e) {
    return SignEnvelope(mano_, e).value();
  }
  Code Refusal(const std::string& bytes, int64_t now = kNowUs) {
    Result<v1::Envelope> r = verifier_.Open(bytes, now);
    EXPECT_FALSE(r.ok());
    return r.ok() ? Code::kInternal : r.error().code;
  }

  PrivateKey mano_;
  EnvelopeVerifier verifier_;
};

// covers: R2.1.70
TEST_F(RefSmVerifierTest, ReplayIsRefused) {
  const std::string bytes = Sign(FromMano(5));
  ASSERT_TRUE(verifier_.Open(bytes, kNowUs).ok());
  EXPECT_EQ(Refusal(bytes), Code::kAlreadyExists);
}

// covers: R2.1.70
TEST_F(RefSmVerifierTest, OutOfOrderWithinTheWindowIsAcceptedOnce) {
  ASSERT_TRUE(verifier_.Open(Sign(FromMano(2000)), kNowUs).ok());
  ASSERT_TRUE(verifier_.Open(Sign(FromMano(1000)), kNowUs).ok());
  EXPECT_EQ(Refusal(Sign(FromMano(1000))), Code::kAlreadyExists);
  // 1024 or more below the highest: too old to tell from a replay.
  EXPECT_EQ(Refusal(Sign(FromMano(976))), Code::kAlreadyExists);
  EXPECT_TRUE(verifier_.Open(Sign(FromMano(977)), kNowUs).ok());
}

// covers: R2.1.70
TEST_F(RefSmVerifierTest, StaleAndFutureTimestampsAreRefused) {
  v1::Envelope old = FromMano(1);
  old.set_timestamp_us(kNowUs - 61'000'000);
  EXPECT_EQ(Refusal(Sign(old)), Code::kUnauthenticated);
  v1::Envelope future = FromMano(2);
  future.set_timestamp_us(kNowUs + 61'000'000);
  EXPECT_EQ(Refusal(Sign(future)), Code::kUnauthenticated);
  v1::Envelope extreme = FromMano(3);
  extreme.set_timestamp_us(INT64_MIN);
  EXPECT_EQ(Refusal(Sign(extreme)), Code::kUnauthenticated);
  // Within the skew it is fine.
  v1::Envelope ok = FromMano(4);
  ok.set_timestamp_us(kNowUs - 59'000'000);
  EXPECT_TRUE(verifier_.Open(Sign(ok), kNowUs).ok());
}

// covers: R2.1.60, R1.1.160
TEST_F(RefSmVerifierTest, WrongRecipientOrSenderIsRefused) {
  v1::Envelope other_sm = FromMano(1);
  other_sm.set_recipient("sm-b");
  EXPECT_EQ(Refusal(Sign(other_sm)), Code::kPermissionDenied);
  v1::Envelope other_sender = FromMano(2);
  other_sender.set_sender("mallory");
  EXPECT_EQ(Refusal(Sign(other_sender)), Code::kPermissionDenied);
}

// covers: R2.1.70
TEST_F(RefSmVerifierTest, UnknownKeyIsRefused) {
  PrivateKey other = PrivateKey::Generate().value();
  EXPECT_EQ(Refusal(SignEnvelope(other, FromMano(1)).value()),
            Code::kUnauthenticated);
  // Right key id, signature by another key.
  v1::Envelope e = FromMano(2);
  e.set_key_id(mano_.public_key().key_id());
  e.set_signature(other.Sign(EnvelopeSigningInput(e)).value());
  EXPECT_EQ(Refusal(e.SerializeAsString()), Code::kUnauthenticated);
}

// covers: R2.1.70, R1.3.30
TEST_F(RefSmVerifierTest, PassedDeadlineIsRefused) {
  v1::Envelope e = FromMano(1);
  e.set_deadline_us(kNowUs - 1);
  EXPECT_EQ(Refusal(Sign(e)), Code::kDeadlineExceeded);
}

// covers: R2.1.70
TEST_F(RefSmVerifierTest, BadInputGivesErrorsNotCrashes) {
  EXPECT_EQ(Refusal(std::string(5000, 'a')), Code::kResourceExhausted);
  EXPECT_EQ(Refusal("\xff\xff\xff"), Code::kInvalidArgument);
  EXPECT_EQ(Refusal(""), Code::kInvalidArgument);
  // An unknown (unsigned) field appended to a valid envelope.
  std::string with_unknown = Sign(FromMano(1));
  with_unknown += std::string("\xf8\x01\x01", 3);  // field 31, varint 1
  EXPECT_EQ(Refusal(with_unknown), Code::kInvalidArgument);
  v1::Envelope zero = FromMano(1);
  zero.set_key_id(mano_.public_key().key_id());
  zero.set_sequence(0);
  EXPECT_EQ(Refusal(zero.SerializeAsString()), Code::kInvalidArgument);
  // A refused envelope left no trace: sequence 1 is still new.
  EXPECT_TRUE(verifier_.Open(Sign(FromMano(1)), kNowUs).ok());
}

// covers: R2.1.70
TEST(RefSmSignEnvelopeTest, RefusesIncompleteHeaders) {
  PrivateKey key = NewSmKey();
  v1::Envelope e = SmEnvelope(0);
  EXPECT_EQ(SignEnvelope(key, e).error().code, Code::kInvalidArgument);
  e = SmEnvelope(1);
  e.clear_sender();
  EXPECT_EQ(SignEnvelope(key, e).error().code, Code::kInvalidArgument);
}

// covers: R2.1.70
TEST(RefSmKeysTest, BadPemIsAnErrorAndKeyFilesMustBePrivate) {
  EXPECT_EQ(PublicKey::FromPem("nope").error().code, Code::kInvalidArgument);
  EXPECT_EQ(
      PrivateKey::FromPem("-----BEGIN PRIVATE KEY-----\nAAAA\n").error().code,
      Code::kInvalidArgument);
  const std::string dir = ::testing::TempDir();
  const std::string path = dir + "/refsm-key-" + std::to_string(getpid());
  std::remove(path.c_str());
  PrivateKey key = NewSmKey();
  ASSERT_TRUE(key.WriteNewFile(path).ok());
  EXPECT_EQ(key.WriteNewFile(path).error().code, Code::kAlreadyExists);
  Result<PrivateKey> loaded = PrivateKey::LoadFile(path);
  ASSERT_TRUE(loaded.ok()) << loaded.error().ToString();
  EXPECT_EQ(loaded->public_key().key_id(), key.public_key().key_id());
  // Core reads the same file.
  EXPECT_EQ(crypto::SigningKey::LoadPemFile(path).value().KeyId(),
            key.public_key().key_id());
  chmod(path.c_str(), 0644);
  EXPECT_EQ(PrivateKey::LoadFile(path).error().code, Code::kFailedPrecondition);
  std::remove(path.c_str());
}

}  // namespace
}  // namespace nfvsm::refsm
