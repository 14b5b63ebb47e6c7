// The byte-exact encodings of the capture protocol and the message codec.
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "nfvsm/crypto.h"
#include "nfvsm/vbs_protocol.h"

namespace nfvsm::vbs {
namespace {

std::string Bytes(int first, int count) {
  std::string out;
  for (int i = 0; i < count; ++i) out.push_back(static_cast<char>(first + i));
  return out;
}

std::string Hex(const StatusOr<std::string>& v) {
  EXPECT_TRUE(v.ok()) << v.status().ToString();
  return v.ok() ? crypto::HexEncode(*v) : "";
}

// covers: VBS-M3
TEST(VbsEncodingTest, LengthPrefixIsFourBytesBigEndian) {
  EXPECT_EQ(U32(0x01020304), std::string("\x01\x02\x03\x04", 4));
  EXPECT_EQ(LengthPrefixed({"ab", ""}), std::string("\x00\x00\x00\x02"
                                                    "ab\x00\x00\x00\x00",
                                                    10));
  // Moving a byte between fields changes the encoding: no ambiguity.
  EXPECT_NE(LengthPrefixed({"ab", "c"}), LengthPrefixed({"a", "bc"}));
}

// Test vector, computed independently with Python's hashlib and struct
// (the script is in docs/vbs.md): two implementations agree byte for byte.
// covers: VBS-M3
TEST(VbsEncodingTest, QuoteHashesMatchTheTestVector) {
  const std::string image = *crypto::Sha256("image");
  const std::string vnfd = *crypto::Sha256("vnfd");
  const std::string vnf_key = Bytes(0, 32);
  const std::string vbs_key = Bytes(32, 32);
  auto h1 = ComputeH1(image, vnfd, "vnf-1", "compute-1");
  auto h2 =
      ComputeH2(vbs_key, "https://vbs.example:8443", "vnf-1", "compute-1");
  ASSERT_TRUE(h1.ok() && h2.ok());
  auto h3 = ComputeH3(*h1, vnf_key);
  ASSERT_TRUE(h3.ok());
  EXPECT_EQ(Hex(h1),
            "80a89bc7b64763783f7eabc065c1974b656483e6e2b3e39599dc20049b266ebe");
  EXPECT_EQ(Hex(h2),
            "1d2e7a03c1567d9fdcf31179325af1457d58135d98d8db96856c661d57e699d1");
  EXPECT_EQ(Hex(h3),
            "9602fed878bcdda993aea352b12f6a28422f5b6cbfd28e7023e849a8a1f53479");
  EXPECT_EQ(Hex(ComputeQuoteDigest(*h2, *h3)),
            "e2a140ae22ecbce4883d5d98f5c47a54ea5e2a8aea0d5379db5d23cff82923d7");
}

// covers: VBS-M2
TEST(VbsEncodingTest, M2SigningInputMatchesTheTestVector) {
  StartResponseMessage m2{std::string(32, '\x01'), std::string(32, '\x02'), {}};
  const std::string input = M2SigningInput(m2, "vnf-1", "compute-1");
  EXPECT_EQ(input.size(), 113u);
  EXPECT_EQ(Hex(crypto::Sha256(input)),
            "b339878d79239918e5cc6ecc8c6caff71fe855b1b44cb7af83c57fb83e62c78e");
}

// Every field of M3 and M4 is covered by its signature: changing any one
// changes the signing input.
// covers: VBS-M3, VBS-M4
TEST(VbsEncodingTest, SigningInputsCoverEveryField) {
  RegisterMessage m3;
  m3.n1 = Bytes(1, 32);
  m3.n2 = Bytes(2, 32);
  m3.vnf_id = "vnf-1";
  m3.platform_id = "compute-1";
  m3.vnf_public_key = Bytes(3, 32);
  m3.image_digest = Bytes(4, 32);
  m3.vnfd_digest = Bytes(5, 32);
  m3.quote = Bytes(6, 64);
  const std::string base3 = M3SigningInput(m3);
  std::vector<std::function<void(RegisterMessage&)>> m3_edits = {
      [](auto& m) { m.n1[0] ^= 1; },
      [](auto& m) { m.n2[0] ^= 1; },
      [](auto& m) { m.vnf_id += "x"; },
      [](auto& m) { m.platform_id += "x"; },
      [](auto& m) { m.vnf_public_key[0] ^= 1; },
      [](auto& m) { m.image_digest[0] ^= 1; },
      [](auto& m) { m.vnfd_digest[0] ^= 1; },
      [](auto& m) { m.quote_format = QuoteFormat::kTpm2; },
      [](auto& m) { m.quote[0] ^= 1; },
      [](auto& m) { m.reissue = true; },
  };
  for (size_t i = 0; i < m3_edits.size(); ++i) {
    RegisterMessage edited = m3;
    m3_edits[i](edited);
    EXPECT_NE(M3SigningInput(edited), base3) << "M3 edit " << i;
  }
  // The signature itself is not part of the input.
  RegisterMessage signed3 = m3;
  signed3.signature = Bytes(9, 64);
  EXPECT_EQ(M3SigningInput(signed3), base3);

  RegisterResponseMessage m4;
  m4.n1 = Bytes(1, 32);
  m4.n2 = Bytes(2, 32);
  m4.vnf_id = "vnf-1";
  m4.certificate_der = "cert";
  m4.ca_certificates_der = {"ca"};
  m4.vnfm_address = "vnfm";
  m4.em_address = "em";
  const std::string base4 = M4SigningInput(m4);
  std::vector<std::function<void(RegisterResponseMessage&)>> m4_edits = {
      [](auto& m) { m.n1[0] ^= 1; },
      [](auto& m) { m.n2[0] ^= 1; },
      [](auto& m) { m.vnf_id += "x"; },
      [](auto& m) { m.certificate_der += "x"; },
      [](auto& m) { m.ca_certificates_der.push_back("ca2"); },
      [](auto& m) { m.vnfm_address += "x"; },
      [](auto& m) { m.em_address += "x"; },
      // Moving the boundary between VNFM and EM addresses.
      [](auto& m) {
        m.vnfm_address = "vnfme";
        m.em_address = "m";
      },
  };
  for (size_t i = 0; i < m4_edits.size(); ++i) {
    RegisterResponseMessage edited = m4;
    m4_edits[i](edited);
    EXPECT_NE(M4SigningInput(edited), base4) << "M4 edit " << i;
  }
}

// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4
TEST(VbsCodecTest, MessagesRoundTrip) {
  StartMessage m1{Bytes(1, 32), "vnf-1", "compute-1"};
  auto m1b = DecodeStart(Encode(m1));
  ASSERT_TRUE(m1b.ok()) << m1b.status().ToString();
  EXPECT_EQ(m1b->n1, m1.n1);
  EXPECT_EQ(m1b->vnf_id, m1.vnf_id);
  EXPECT_EQ(m1b->platform_id, m1.platform_id);

  StartResponseMessage m2{Bytes(1, 32), Bytes(2, 32), Bytes(3, 64)};
  auto m2b = DecodeStartResponse(Encode(m2));
  ASSERT_TRUE(m2b.ok()) << m2b.status().ToString();
  EXPECT_EQ(m2b->n2, m2.n2);
  EXPECT_EQ(m2b->signature, m2.signature);

  RegisterMessage m3;
  m3.n1 = Bytes(1, 32);
  m3.n2 = Bytes(2, 32);
  m3.vnf_id = "vnf-1";
  m3.platform_id = "compute-1";
  m3.vnf_public_key = Bytes(3, 32);
  m3.image_digest = Bytes(4, 32);
  m3.vnfd_digest = Bytes(5, 32);
  m3.quote = Bytes(6, 64);
  m3.reissue = true;
  m3.signature = Bytes(7, 64);
  auto m3b = DecodeRegister(Encode(m3));
  ASSERT_TRUE(m3b.ok()) << m3b.status().ToString();
  EXPECT_EQ(M3SigningInput(*m3b), M3SigningInput(m3));
  EXPECT_EQ(m3b->signature, m3.signature);

  RegisterResponseMessage m4;
  m4.n1 = Bytes(1, 32);
  m4.n2 = Bytes(2, 32);
  m4.vnf_id = "vnf-1";
  m4.certificate_der = "cert";
  m4.ca_certificates_der = {"ca1", "ca2"};
  m4.vnfm_address = "https://vnfm:9890";
  m4.em_address = "https://em:8080";
  m4.signature = Bytes(7, 64);
  auto m4b = DecodeRegisterResponse(Encode(m4));
  ASSERT_TRUE(m4b.ok()) << m4b.status().ToString();
  EXPECT_EQ(M4SigningInput(*m4b), M4SigningInput(m4));

  Status refusal = PermissionDeniedError("vnf_not_whitelisted: no");
  EXPECT_EQ(DecodeError(EncodeError(refusal)), refusal);
}

// covers: VBS-M1, VBS-M3
TEST(VbsIdTest, IdsAreRestrictedToSafePathSegments) {
  for (const char* ok : {"vnf-1", "a", "0b7c2c1e-5c1f-4f3e-9f0e-1d2c3b4a5f6e",
                         "compute-1.example.net", "A_b"}) {
    EXPECT_TRUE(IsValidId(ok)) << ok;
  }
  for (const char* bad :
       {"", ".", "..", "a/b", "a b", "a:b", "é", "a,b", "a\nb", "URI:evil"}) {
    EXPECT_FALSE(IsValidId(bad)) << bad;
  }
  EXPECT_TRUE(IsValidId(std::string(128, 'a')));
  EXPECT_FALSE(IsValidId(std::string(129, 'a')));
}

// Bad input gives an error value naming the field, never a crash.
// covers: VBS-M1, VBS-M2, VBS-M3, VBS-M4
TEST(VbsCodecTest, MalformedMessagesAreRefused) {
  struct Case {
    const char* name;
    std::function<Status()> decode;
    StatusCode code;
    const char* mentions;
  };
  StartMessage m1{Bytes(1, 32), "vnf-1", "compute-1"};
  RegisterMessage m3;
  m3.n1 = Bytes(1, 32);
  m3.n2 = Bytes(2, 32);
  m3.vnf_id = "vnf-1";
  m3.platform_id = "compute-1";
  m3.vnf_public_key = Bytes(3, 32);
  m3.image_digest = Bytes(4, 32);
  m3.vnfd_digest = Bytes(5, 32);
  m3.quote = Bytes(6, 64);
  m3.signature = Bytes(7, 64);
  auto m3_with = [&](std::function<void(RegisterMessage&)> edit) {
    RegisterMessage m = m3;
    edit(m);
    return DecodeRegister(Encode(m)).status();
  };
  RegisterResponseMessage m4;
  m4.n1 = Bytes(1, 32);
  m4.n2 = Bytes(2, 32);
  m4.vnf_id = "vnf-1";
  m4.certificate_der = "cert";
  m4.ca_certificates_der = {"ca"};
  m4.signature = Bytes(7, 64);
  auto m4_with = [&](std::function<void(RegisterResponseMessage&)> edit) {
    RegisterResponseMessage m = m4;
    edit(m);
    return DecodeRegisterResponse(Encode(m)).status();
  };
  const std::vector<Case> cases = {
      {"garbage M1", [] { return DecodeStart("\xff\xff\xff").status(); },
       StatusCode::kInvalidArgument, "protobuf"},
      {"oversized M1",
       [] { return DecodeStart(std::string(2000, '\0')).status(); },
       StatusCode::kResourceExhausted, "larger"},
      {"short N1",
       [&] {
         StartMessage m = m1;
         m.n1.resize(31);
         return DecodeStart(Encode(m)).status();
       },
       StatusCode::kInvalidArgument, "n1"},
      {"bad VNF id in M1",
       [&] {
         StartMessage m = m1;
         m.vnf_id = "../etc";
         return DecodeStart(Encode(m)).status();
       },
       StatusCode::kInvalidArgument, "vnf_id"},
      {"empty M1", [] { return DecodeStart("").status(); },
       StatusCode::kInvalidArgument, "n1"},
      {"M2 short signature",
       [] {
         return DecodeStartResponse(
                    Encode(StartResponseMessage{Bytes(1, 32), Bytes(2, 32),
                                                Bytes(3, 63)}))
             .status();
       },
       StatusCode::kInvalidArgument, "signature"},
      {"M2 missing N2",
       [] {
         return DecodeStartResponse(Encode(StartResponseMessage{
                                        Bytes(1, 32), "", Bytes(3, 64)}))
             .status();
       },
       StatusCode::kInvalidArgument, "n2"},
      {"M3 short key",
       [&] { return m3_with([](auto& m) { m.vnf_public_key.pop_back(); }); },
       StatusCode::kInvalidArgument, "vnf_public_key"},
      {"M3 long digest",
       [&] { return m3_with([](auto& m) { m.image_digest += "x"; }); },
       StatusCode::kInvalidArgument, "image_digest"},
      {"M3 no quote", [&] { return m3_with([](auto& m) { m.quote.clear(); }); },
       StatusCode::kInvalidArgument, "quote"},
      {"M3 bad platform",
       [&] { return m3_with([](auto& m) { m.platform_id = "a/b"; }); },
       StatusCode::kInvalidArgument, "platform_id"},
      {"M3 unknown quote format",
       [&] {
         return m3_with(
             [](auto& m) { m.quote_format = static_cast<QuoteFormat>(77); });
       },
       StatusCode::kInvalidArgument, "quote_format"},
      {"M3 oversized",
       [&] {
         return m3_with([](auto& m) { m.quote = std::string(9000, 'q'); });
       },
       StatusCode::kResourceExhausted, "larger"},
      {"M4 no CA",
       [&] { return m4_with([](auto& m) { m.ca_certificates_der.clear(); }); },
       StatusCode::kInvalidArgument, "CA"},
      {"M4 too many CAs",
       [&] {
         return m4_with([](auto& m) { m.ca_certificates_der.assign(5, "ca"); });
       },
       StatusCode::kInvalidArgument, "CA"},
      {"M4 control char in address",
       [&] { return m4_with([](auto& m) { m.em_address = "a\nb"; }); },
       StatusCode::kInvalidArgument, "em_address"},
      {"M4 empty certificate",
       [&] { return m4_with([](auto& m) { m.certificate_der.clear(); }); },
       StatusCode::kInvalidArgument, "certificate_der"},
  };
  for (const Case& c : cases) {
    Status s = c.decode();
    EXPECT_EQ(s.code(), c.code) << c.name << ": " << s.ToString();
    EXPECT_NE(s.message().find(c.mentions), std::string::npos)
        << c.name << ": " << s.ToString();
  }
}

// covers: VBS-M2, VBS-M4
TEST(VbsCodecTest, UnreadableErrorBodiesAreRetryable) {
  EXPECT_EQ(DecodeError("\xff\xff").code(), StatusCode::kUnavailable);
  EXPECT_EQ(DecodeError("").code(), StatusCode::kUnavailable);  // no code
  EXPECT_EQ(DecodeError(EncodeError(OkStatus())).code(),
            StatusCode::kUnavailable);  // "ok" is not a refusal
}

}  // namespace
}  // namespace nfvsm::vbs
