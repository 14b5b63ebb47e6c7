// SecretBytes, hex, randomness, constant-time comparison and secret files.
#include <fcntl.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <ostream>

#include "crypto/openssl_util.h"
#include "nfvsm/crypto.h"

namespace nfvsm::crypto {

using internal::kMaxOpenSslLength;
using internal::OpenSslError;

SecretBytes::SecretBytes(std::string_view bytes) {
  if (bytes.empty()) return;
  data_ = new unsigned char[bytes.size()];
  size_ = bytes.size();
  std::memcpy(data_, bytes.data(), size_);
}

SecretBytes SecretBytes::Zeroed(size_t size) {
  SecretBytes s;
  if (size == 0) return s;
  s.data_ = new unsigned char[size]();
  s.size_ = size;
  return s;
}

SecretBytes::~SecretBytes() { Wipe(); }

SecretBytes::SecretBytes(SecretBytes&& other) noexcept
    : data_(other.data_), size_(other.size_) {
  other.data_ = nullptr;
  other.size_ = 0;
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    Wipe();
    data_ = other.data_;
    size_ = other.size_;
    other.data_ = nullptr;
    other.size_ = 0;
  }
  return *this;
}

SecretBytes SecretBytes::Clone() const { return SecretBytes(view()); }

void SecretBytes::Wipe() noexcept {
  if (data_ != nullptr) {
    OPENSSL_cleanse(data_, size_);
    delete[] data_;
  }
  data_ = nullptr;
  size_ = 0;
}

std::ostream& operator<<(std::ostream& os, const SecretBytes& s) {
  return os << "[secret: " << s.size() << " bytes]";
}

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '\0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    auto b = static_cast<unsigned char>(bytes[i]);
    out[2 * i] = kDigits[b >> 4];
    out[2 * i + 1] = kDigits[b & 0x0f];
  }
  return out;
}

namespace {

// Decodes with OpenSSL's parser into `out`, which must hold hex.size() / 2
// bytes.
Status DecodeHexInto(std::string_view hex, unsigned char* out) {
  if (hex.size() % 2 != 0) {
    return InvalidArgumentError("hex string has an odd length");
  }
  if (hex.empty()) return OkStatus();
  // OPENSSL_hexstr2buf_ex wants a NUL-terminated string; the copy is wiped
  // because the hex may spell a key.
  SecretBytes terminated = SecretBytes::Zeroed(hex.size() + 1);
  std::memcpy(terminated.mutable_data(), hex.data(), hex.size());
  size_t written = 0;
  if (OPENSSL_hexstr2buf_ex(out, hex.size() / 2, &written,
                            reinterpret_cast<const char*>(terminated.data()),
                            '\0') != 1 ||
      written != hex.size() / 2) {
    internal::ClearOpenSslErrors();
    return InvalidArgumentError("hex string has a non-hex character");
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> HexDecode(std::string_view hex) {
  std::string out(hex.size() / 2, '\0');
  NFVSM_RETURN_IF_ERROR(
      DecodeHexInto(hex, reinterpret_cast<unsigned char*>(out.data())));
  return out;
}

StatusOr<SecretBytes> HexDecodeSecret(std::string_view hex) {
  SecretBytes out = SecretBytes::Zeroed(hex.size() / 2);
  NFVSM_RETURN_IF_ERROR(DecodeHexInto(hex, out.mutable_data()));
  return out;
}

namespace {

Status FillRandom(unsigned char* out, size_t n) {
  if (n > kMaxOpenSslLength) {
    return ResourceExhaustedError("too many random bytes requested");
  }
  if (n == 0) return OkStatus();
  if (RAND_bytes(out, static_cast<int>(n)) != 1) {
    return OpenSslError(StatusCode::kInternal, "RAND_bytes failed");
  }
  return OkStatus();
}

}  // namespace

StatusOr<std::string> RandomBytes(size_t n) {
  if (n > kMaxOpenSslLength) {
    return ResourceExhaustedError("too many random bytes requested");
  }
  std::string out(n, '\0');
  NFVSM_RETURN_IF_ERROR(
      FillRandom(reinterpret_cast<unsigned char*>(out.data()), n));
  return out;
}

StatusOr<SecretBytes> RandomSecret(size_t n) {
  if (n > kMaxOpenSslLength) {
    return ResourceExhaustedError("too many random bytes requested");
  }
  SecretBytes out = SecretBytes::Zeroed(n);
  NFVSM_RETURN_IF_ERROR(FillRandom(out.mutable_data(), n));
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

namespace {

// Closes a file descriptor on scope exit.
class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int Release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

Status ErrnoStatus(int err, const std::string& what, const std::string& path) {
  std::string message = what + " '" + path + "': " + std::strerror(err);
  if (err == ENOENT) return NotFoundError(std::move(message));
  return UnavailableError(std::move(message));
}

}  // namespace

StatusOr<SecretBytes> ReadSecretFile(const std::string& path,
                                     size_t max_bytes) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return ErrnoStatus(errno, "cannot open secret file", path);
  FdCloser closer(fd);
  // fstat on the open descriptor: the checks apply to the very file read.
  struct stat st {};
  if (::fstat(fd, &st) != 0) {
    return ErrnoStatus(errno, "cannot stat secret file", path);
  }
  if (!S_ISREG(st.st_mode)) {
    return InvalidArgumentError("secret file '" + path +
                                "' is not a regular file");
  }
  if ((st.st_mode & 077) != 0) {
    return FailedPreconditionError(
        "secret file '" + path +
        "' is accessible by group or others; chmod 600 it");
  }
  if (static_cast<uint64_t>(st.st_size) > max_bytes) {
    return ResourceExhaustedError("secret file '" + path + "' is larger than " +
                                  std::to_string(max_bytes) + " bytes");
  }
  // One byte more than fstat reported, to notice a file that grew since.
  SecretBytes buffer = SecretBytes::Zeroed(static_cast<size_t>(st.st_size) + 1);
  size_t total = 0;
  while (total < buffer.size()) {
    ssize_t n =
        ::read(fd, buffer.mutable_data() + total, buffer.size() - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      return ErrnoStatus(errno, "cannot read secret file", path);
    }
    if (n == 0) break;
    total += static_cast<size_t>(n);
  }
  if (total > static_cast<size_t>(st.st_size)) {
    return UnavailableError("secret file '" + path +
                            "' changed while being read");
  }
  return SecretBytes(buffer.view().substr(0, total));
}

Status WriteSecretFile(const std::string& path, std::string_view contents) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0) {
    if (errno == EEXIST) {
      return AlreadyExistsError("secret file '" + path + "' already exists");
    }
    return ErrnoStatus(errno, "cannot create secret file", path);
  }
  FdCloser closer(fd);
  size_t total = 0;
  while (total < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + total, contents.size() - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::unlink(path.c_str());
      return ErrnoStatus(err, "cannot write secret file", path);
    }
    total += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0 || ::close(closer.Release()) != 0) {
    int err = errno;
    ::unlink(path.c_str());
    return ErrnoStatus(err, "cannot write secret file", path);
  }
  return OkStatus();
}

}  // namespace nfvsm::crypto
