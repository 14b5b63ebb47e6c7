// What the gateway keeps on disk for its SM channels, under state_dir:
//   keys/mano-<sm>.pem  the gateway's Ed25519 signing key for the channel
//                       (PKCS#8 PEM, 0600, created once, reused on restart)
//   sm/<sm>.json        the channel file handed to the SM (0600)
//   sm/<sm>.seq         the sequence-number reservation of the channel
// and the naming rules of the bus contract (ids, vhosts, users).
//
// Thread safety: free functions are safe to call concurrently for
// different SMs; SequenceCounter is internally synchronized.
//
// Failures: kInvalidArgument for a bad SM id or a malformed file;
// kNotFound for a missing file; kFailedPrecondition for a key file others
// may read; kUnavailable for I/O errors. Messages name paths, never
// passwords or keys.
#ifndef NFVSM_GATEWAY_SM_CHANNEL_FILES_H_
#define NFVSM_GATEWAY_SM_CHANNEL_FILES_H_

#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "nfvsm/clock.h"
#include "nfvsm/crypto.h"
#include "nfvsm/status.h"
#include "nfvsm/types.h"

namespace nfvsm::gateway {

inline constexpr std::string_view kFromManoExchange = "nfvsm.from-mano";
inline constexpr std::string_view kFromSmExchange = "nfvsm.from-sm";
inline constexpr std::string_view kSmInboxQueue = "nfvsm.sm-inbox";
inline constexpr std::string_view kManoInboxQueue = "nfvsm.mano-inbox";
inline constexpr std::string_view kToSmRoutingKey = "sm";
inline constexpr std::string_view kToManoRoutingKey = "mano";

// ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$, else kInvalidArgument.
Status ValidateChannelSmId(std::string_view sm);
// "nfvsm.sm.<sm>": both the vhost and the broker user of the SM.
std::string ChannelVhost(const SmId& sm);

std::string KeyPath(const std::string& state_dir, const SmId& sm);
std::string ChannelFilePath(const std::string& state_dir, const SmId& sm);
std::string SequenceFilePath(const std::string& state_dir, const SmId& sm);

// Loads keys/mano-<sm>.pem, or generates and writes it (0600) when absent.
StatusOr<crypto::SigningKey> LoadOrCreateChannelKey(
    const std::string& state_dir, const SmId& sm);

// The channel file (bus contract, "Channel file").
struct ChannelFile {
  std::string sm_id;
  std::string gateway_id;
  std::string transport_url;  // carries the SM's password
  std::string gateway_public_key_pem;
  std::string publish_exchange = std::string(kFromSmExchange);
  std::string publish_routing_key = std::string(kToManoRoutingKey);
  std::string consume_queue = std::string(kSmInboxQueue);
};
StatusOr<ChannelFile> ReadChannelFile(const std::string& path);
// Writes atomically (temporary file, 0600, fsync, rename).
Status WriteChannelFile(const std::string& path, const ChannelFile& file);

// Writes `contents` to `path` atomically with mode 0600.
Status WritePrivateFileAtomically(const std::string& path,
                                  std::string_view contents);

// Sequence numbers of one MANO -> SM stream. SMs keep replay windows per
// (sender, key id), so a restarted gateway must never reuse a number. The
// counter starts above both the current time in microseconds and the
// reservation persisted in `path`, and persists a new reservation (block of
// kReserveBlock numbers, written and fsynced before any number of it is
// used) when it runs out: a crash loses at most the unused rest of a
// block, never monotonicity, even if the clock steps back.
class SequenceCounter {
 public:
  static constexpr uint64_t kReserveBlock = 1 << 16;

  static StatusOr<std::unique_ptr<SequenceCounter>> Open(std::string path,
                                                         const Clock& clock);
  // The next number; kUnavailable if a reservation cannot be persisted.
  StatusOr<uint64_t> Next();

 private:
  SequenceCounter(std::string path, uint64_t next)
      : path_(std::move(path)), next_(next), reserved_(next) {}
  Status Reserve(uint64_t up_to);

  std::mutex mu_;
  std::string path_;
  uint64_t next_;
  uint64_t reserved_;  // numbers below this are covered by the file
};

}  // namespace nfvsm::gateway

#endif  // NFVSM_GATEWAY_SM_CHANNEL_FILES_H_
