#include "sm/src/keys.h"

#include <fcntl.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/pem.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace nfvsm::refsm {
namespace {

struct BioFree {
  void operator()(BIO* bio) const { BIO_free(bio); }
};
using BioPtr = std::unique_ptr<BIO, BioFree>;
struct MdCtxFree {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, MdCtxFree>;
struct PkeyCtxFree {
  void operator()(EVP_PKEY_CTX* ctx) const { EVP_PKEY_CTX_free(ctx); }
};
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, PkeyCtxFree>;

constexpr size_t kRawKeyBytes = 32;
constexpr size_t kSignatureBytes = 64;

// Refuses encrypted PEMs instead of prompting for a password.
int NoPassword(char*, int, int, void*) { return 0; }

BioPtr ReadBio(std::string_view data) {
  return BioPtr(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
}

std::string DrainBio(BIO* bio) {
  char* data = nullptr;
  const long n = BIO_get_mem_data(bio, &data);  // NOLINT(runtime/int)
  return n > 0 ? std::string(data, static_cast<size_t>(n)) : std::string();
}

}  // namespace

Result<std::string> KeyIdOf(std::string_view raw_public_key) {
  std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
  unsigned int len = 0;
  if (EVP_Digest(raw_public_key.data(), raw_public_key.size(), digest.data(),
                 &len, EVP_sha256(), nullptr) != 1 ||
      len < 8) {
    return MakeError(Code::kInternal, "SHA-256 failed");
  }
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (size_t i = 0; i < 8; ++i) {
    id += kHex[digest[i] >> 4];
    id += kHex[digest[i] & 0xf];
  }
  return id;
}

Result<PublicKey> PublicKey::FromPkey(std::shared_ptr<EVP_PKEY> pkey) {
  if (pkey == nullptr || EVP_PKEY_get_id(pkey.get()) != EVP_PKEY_ED25519) {
    return MakeError(Code::kInvalidArgument, "not an Ed25519 key");
  }
  PublicKey key;
  key.raw_.resize(kRawKeyBytes);
  size_t raw_len = kRawKeyBytes;
  if (EVP_PKEY_get_raw_public_key(
          pkey.get(), reinterpret_cast<unsigned char*>(key.raw_.data()),
          &raw_len) != 1 ||
      raw_len != kRawKeyBytes) {
    return MakeError(Code::kInternal, "cannot read the raw public key");
  }
  BioPtr out(BIO_new(BIO_s_mem()));
  if (out == nullptr || PEM_write_bio_PUBKEY(out.get(), pkey.get()) != 1) {
    return MakeError(Code::kInternal, "cannot encode the public key");
  }
  key.pem_ = DrainBio(out.get());
  Result<std::string> id = KeyIdOf(key.raw_);
  if (!id.ok()) return id.error();
  key.key_id_ = std::move(id).value();
  key.pkey_ = std::move(pkey);
  return key;
}

Result<PublicKey> PublicKey::FromPem(std::string_view pem) {
  BioPtr in = ReadBio(pem);
  if (in == nullptr) return MakeError(Code::kInternal, "BIO allocation");
  EVP_PKEY* raw = PEM_read_bio_PUBKEY(in.get(), nullptr, NoPassword, nullptr);
  if (raw == nullptr) {
    return MakeError(Code::kInvalidArgument, "not a PEM public key");
  }
  return FromPkey(std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free));
}

bool PublicKey::Verify(std::string_view data,
                       std::string_view signature) const {
  if (pkey_ == nullptr || signature.size() != kSignatureBytes) return false;
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (ctx == nullptr || EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr,
                                             nullptr, pkey_.get()) != 1) {
    return false;
  }
  return EVP_DigestVerify(
             ctx.get(),
             reinterpret_cast<const unsigned char*>(signature.data()),
             signature.size(),
             reinterpret_cast<const unsigned char*>(data.data()),
             data.size()) == 1;
}

Result<PrivateKey> PrivateKey::FromPkey(EVP_PKEY* owned) {
  PrivateKey key;
  key.pkey_.reset(owned);
  if (owned == nullptr || EVP_PKEY_get_id(owned) != EVP_PKEY_ED25519) {
    return MakeError(Code::kInvalidArgument, "not an Ed25519 private key");
  }
  if (EVP_PKEY_up_ref(owned) != 1) {
    return MakeError(Code::kInternal, "EVP_PKEY_up_ref");
  }
  Result<PublicKey> pub =
      PublicKey::FromPkey(std::shared_ptr<EVP_PKEY>(owned, EVP_PKEY_free));
  if (!pub.ok()) return pub.error();
  key.public_key_ = std::move(pub).value();
  return key;
}

Result<PrivateKey> PrivateKey::Generate() {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_id(EVP_PKEY_ED25519, nullptr));
  EVP_PKEY* pkey = nullptr;
  if (ctx == nullptr || EVP_PKEY_keygen_init(ctx.get()) != 1 ||
      EVP_PKEY_keygen(ctx.get(), &pkey) != 1) {
    return MakeError(Code::kInternal, "Ed25519 key generation failed");
  }
  return FromPkey(pkey);
}

Result<PrivateKey> PrivateKey::FromPem(std::string_view pem) {
  BioPtr in = ReadBio(pem);
  if (in == nullptr) return MakeError(Code::kInternal, "BIO allocation");
  EVP_PKEY* pkey =
      PEM_read_bio_PrivateKey(in.get(), nullptr, NoPassword, nullptr);
  if (pkey == nullptr) {
    return MakeError(Code::kInvalidArgument,
                     "not an unencrypted PKCS#8 PEM private key");
  }
  return FromPkey(pkey);
}

Result<PrivateKey> PrivateKey::LoadFile(const std::string& path) {
  struct stat st {};
  if (stat(path.c_str(), &st) != 0) {
    return MakeError(Code::kNotFound, "no key file at " + path);
  }
  if ((st.st_mode & (S_IRWXG | S_IRWXO)) != 0) {
    return MakeError(
        Code::kFailedPrecondition,
        "key file " + path + " is accessible by group or others (chmod 600)");
  }
  std::ifstream in(path, std::ios::binary);
  std::ostringstream buf;
  buf << in.rdbuf();
  std::string pem = buf.str();
  Result<PrivateKey> key = FromPem(pem);
  OPENSSL_cleanse(pem.data(), pem.size());
  return key;
}

Outcome PrivateKey::WriteNewFile(const std::string& path) const {
  BioPtr out(BIO_new(BIO_s_mem()));
  if (out == nullptr ||
      PEM_write_bio_PKCS8PrivateKey(out.get(), pkey_.get(), nullptr, nullptr, 0,
                                    nullptr, nullptr) != 1) {
    return MakeError(Code::kInternal, "cannot encode the private key");
  }
  std::string pem = DrainBio(out.get());
  const int fd = open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
                      S_IRUSR | S_IWUSR);
  if (fd < 0) {
    const int err = errno;
    OPENSSL_cleanse(pem.data(), pem.size());
    return MakeError(err == EEXIST ? Code::kAlreadyExists : Code::kInternal,
                     "cannot create " + path + ": " + std::strerror(err));
  }
  size_t written = 0;
  while (written < pem.size()) {
    const ssize_t n = write(fd, pem.data() + written, pem.size() - written);
    if (n <= 0) break;
    written += static_cast<size_t>(n);
  }
  const bool synced = fsync(fd) == 0;
  close(fd);
  OPENSSL_cleanse(pem.data(), pem.size());
  if (written != pem.size() || !synced) {
    return MakeError(Code::kInternal, "cannot write " + path);
  }
  return Ok{};
}

Result<std::string> PrivateKey::Sign(std::string_view data) const {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  std::string signature(kSignatureBytes, '\0');
  size_t len = signature.size();
  if (ctx == nullptr ||
      EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey_.get()) !=
          1 ||
      EVP_DigestSign(ctx.get(),
                     reinterpret_cast<unsigned char*>(signature.data()), &len,
                     reinterpret_cast<const unsigned char*>(data.data()),
                     data.size()) != 1 ||
      len != kSignatureBytes) {
    return MakeError(Code::kInternal, "Ed25519 signing failed");
  }
  return signature;
}

}  // namespace nfvsm::refsm
