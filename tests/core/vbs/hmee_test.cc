// The software HMEE: its quote is exactly Sign(H(h2, h3)) with h2 from its
// provisioning, never from the caller.
#include "nfvsm/hmee.h"

#include <gtest/gtest.h>

#include "core/vbs/vbs_test_support.h"

namespace nfvsm::vbs {
namespace {

using testing::Digest;
using testing::Must;

struct HmeeFixture {
  crypto::SigningKey vbs = Must(crypto::SigningKey::Generate());
  HmeeProvisioning provisioning{
      vbs.PublicKeyRaw(), "https://vbs:8443", "compute-1", {}};
  std::unique_ptr<SoftwareHmee> hmee = Must(
      SoftwareHmee::Create(Must(crypto::SigningKey::Generate()), provisioning));
};

// covers: VBS-M3
TEST(SoftwareHmeeTest, QuoteSignsTheDigestOfH2AndH3) {
  HmeeFixture f;
  const std::string vnf_key =
      Must(crypto::SigningKey::Generate()).PublicKeyRaw();
  const std::string h1 =
      Must(ComputeH1(Digest("img"), Digest("vnfd"), "vnf-1", "compute-1"));
  Quote quote = Must(f.hmee->MakeQuote({"vnf-1", h1, vnf_key}));
  EXPECT_EQ(quote.format, QuoteFormat::kSoftwareEd25519);

  const std::string h3 = Must(ComputeH3(h1, vnf_key));
  const std::string h2 = Must(ComputeH2(
      f.vbs.PublicKeyRaw(), "https://vbs:8443", "vnf-1", "compute-1"));
  EXPECT_TRUE(f.hmee->public_key()
                  .Verify(Must(ComputeQuoteDigest(h2, h3)), quote.bytes)
                  .ok());
  // A quote for another VBS address (h2) does not verify.
  const std::string other_h2 = Must(ComputeH2(
      f.vbs.PublicKeyRaw(), "https://evil:8443", "vnf-1", "compute-1"));
  EXPECT_FALSE(f.hmee->public_key()
                   .Verify(Must(ComputeQuoteDigest(other_h2, h3)), quote.bytes)
                   .ok());
}

// covers: VBS-M3
TEST(SoftwareHmeeTest, PerVnfProvisioningRefusesOtherVnfs) {
  HmeeFixture f;
  f.provisioning.vnf_id = "vnf-1";
  auto hmee = Must(SoftwareHmee::Create(Must(crypto::SigningKey::Generate()),
                                        f.provisioning));
  const std::string key(32, 'k');
  const std::string h1(32, 'h');
  EXPECT_TRUE(hmee->MakeQuote({"vnf-1", h1, key}).ok());
  EXPECT_EQ(hmee->MakeQuote({"vnf-2", h1, key}).status().code(),
            StatusCode::kPermissionDenied);
}

// covers: VBS-M3
TEST(SoftwareHmeeTest, MalformedRequestsAndProvisioningAreRefused) {
  HmeeFixture f;
  const std::string key(32, 'k');
  const std::string h1(32, 'h');
  EXPECT_EQ(f.hmee->MakeQuote({"", h1, key}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(f.hmee->MakeQuote({"vnf-1", "short", key}).status().code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(f.hmee->MakeQuote({"vnf-1", h1, "short"}).status().code(),
            StatusCode::kInvalidArgument);

  auto bad = [&](auto edit) {
    HmeeProvisioning p = f.provisioning;
    edit(p);
    return SoftwareHmee::Create(Must(crypto::SigningKey::Generate()), p)
        .status()
        .code();
  };
  EXPECT_EQ(bad([](auto& p) { p.vbs_public_key = "x"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& p) { p.vbs_address.clear(); }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& p) { p.platform_id = "a b"; }),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(bad([](auto& p) { p.vnf_id = ".."; }),
            StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace nfvsm::vbs
