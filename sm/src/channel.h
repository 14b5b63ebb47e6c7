// The channel file an operator hands to an SM (written by the gateway at
// provisioning, <state_dir>/sm/<sm-id>.json; docs/sm-channel.md).
//
// Thread safety: plain values. Failures: kNotFound (no file),
// kInvalidArgument (bad JSON, a missing or malformed field, a bad SM id or
// public key). Messages never include the transport URL (it holds the
// password).
#ifndef NFVSM_SM_SRC_CHANNEL_H_
#define NFVSM_SM_SRC_CHANNEL_H_

#include <string>
#include <string_view>

#include "sm/src/keys.h"
#include "sm/src/result.h"

namespace nfvsm::refsm {

struct ChannelFile {
  std::string sm_id;
  std::string gateway_id = "mano";
  std::string transport_url;  // secret: holds the broker password
  PublicKey gateway_key;
  std::string publish_exchange = "nfvsm.from-sm";
  std::string publish_routing_key = "mano";
  std::string consume_queue = "nfvsm.sm-inbox";
};

// ^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$
bool ValidSmId(std::string_view id);

Result<ChannelFile> ParseChannelFile(std::string_view json_text);
Result<ChannelFile> LoadChannelFile(const std::string& path);

}  // namespace nfvsm::refsm

#endif  // NFVSM_SM_SRC_CHANNEL_H_
