#include "sm_channels.h"

#include <spdlog/spdlog.h>

#include <filesystem>
#include <set>
#include <system_error>
#include <utility>

#include "nfvsm/crypto.h"
#include "nfvsm/wire.h"
#include "sm_channel_files.h"
#include "sm_channel_link.h"
#include "sm_provisioner.h"

namespace nfvsm::gateway {
namespace {

constexpr size_t kPasswordBytes = 32;

// The SM may publish to one exchange and consume one queue; it declares
// nothing (bus contract).
BrokerPermissions SmPermissions() {
  return {"^$", "^nfvsm\\.from-sm$", "^nfvsm\\.sm-inbox$"};
}
BrokerPermissions GatewayPermissions() { return {".*", ".*", ".*"}; }

// The password of an SM from its existing channel file, if any.
std::optional<std::string> ExistingPassword(const std::string& path) {
  auto file = ReadChannelFile(path);
  if (!file.ok()) return std::nullopt;
  auto url = amqp::TransportUrl::Parse(file->transport_url);
  if (!url.ok() || url->brokers.empty()) return std::nullopt;
  return url->brokers.front().password;
}

}  // namespace

SmChannels::SmChannels(SmChannelsOptions options)
    : options_(std::move(options)),
      log_(options_.logger ? options_.logger : spdlog::default_logger()),
      counters_(std::make_unique<ChannelCounters>()) {}

SmChannels::~SmChannels() { Stop(); }

StatusOr<std::unique_ptr<SmChannels>> SmChannels::Create(
    SmChannelsOptions options) {
  if (options.state_dir.empty()) {
    return InvalidArgumentError("sm_channels: state_dir is required");
  }
  if (options.gateway_id.empty()) {
    return InvalidArgumentError("sm_channels: gateway_id is required");
  }
  if (options.broker.url.brokers.empty()) {
    return InvalidArgumentError("sm_channels: no broker in the transport URL");
  }
  if (options.rabbitmqctl.empty()) {
    return InvalidArgumentError("sm_channels: rabbitmqctl is required");
  }
  if (options.prefetch_count == 0) {
    return InvalidArgumentError("sm_channels: prefetch_count must be > 0");
  }
  return std::unique_ptr<SmChannels>(new SmChannels(std::move(options)));
}

void SmChannels::Attach(Engine* engine) { engine_.store(engine); }

amqp::ConnectionOptions SmChannels::OptionsForVhost(const SmId& sm) const {
  amqp::ConnectionOptions o = options_.broker;
  o.url.virtual_host = ChannelVhost(sm);
  return o;
}

std::string SmChannels::ChannelFileOf(const SmId& sm) const {
  return ChannelFilePath(options_.state_dir, sm);
}

Status SmChannels::OpenChannel(const SmId& sm) {
  Engine* engine = engine_.load();
  if (engine == nullptr) {
    return FailedPreconditionError("sm_channels: no engine attached");
  }
  {
    std::lock_guard lock(mu_);
    if (stopped_) return FailedPreconditionError("sm_channels: stopped");
    if (channels_.count(sm) != 0) return OkStatus();
  }
  NFVSM_ASSIGN_OR_RETURN(crypto::SigningKey key,
                         LoadOrCreateChannelKey(options_.state_dir, sm));
  NFVSM_ASSIGN_OR_RETURN(
      std::unique_ptr<SequenceCounter> sequence,
      SequenceCounter::Open(SequenceFilePath(options_.state_dir, sm),
                            engine->clock()));
  SmChannelConfig config;
  config.sm = sm;
  config.gateway_id = options_.gateway_id;
  config.connection = OptionsForVhost(sm);
  config.max_sm_message_bytes = options_.max_sm_message_bytes;
  config.max_clock_skew = options_.max_clock_skew;
  config.prefetch_count = options_.prefetch_count;
  NFVSM_ASSIGN_OR_RETURN(
      std::unique_ptr<SmChannel> channel,
      SmChannel::Open(std::move(config), std::move(key), std::move(sequence),
                      *engine, *counters_, log_));
  {
    std::lock_guard lock(mu_);
    if (!stopped_) {
      channels_.emplace(sm, std::move(channel));
    }
  }
  // A channel not published (Stop raced) is stopped here, outside mu_.
  channel.reset();
  log_->info("SM channel {} open (vhost {})", sm, ChannelVhost(sm));
  return OkStatus();
}

Status SmChannels::Start() {
  Engine* engine = engine_.load();
  if (engine == nullptr) {
    return FailedPreconditionError("sm_channels: Start before Attach");
  }
  std::lock_guard admin(admin_mu_);
  {
    std::lock_guard lock(mu_);
    if (stopped_) return FailedPreconditionError("sm_channels: stopped");
    started_ = true;
  }
  Status first;
  for (const SecurityManager& sm : engine->bindings().ListSms()) {
    if (engine->bindings().BindingsOf(sm.id).empty()) continue;
    if (!ValidateChannelSmId(sm.id).ok()) continue;
    std::error_code ec;
    if (!std::filesystem::exists(ChannelFileOf(sm.id), ec)) continue;
    Status s = OpenChannel(sm.id);
    if (!s.ok()) {
      log_->error("SM channel {} could not be opened: {}", sm.id, s.ToString());
      if (first.ok()) first = s;
    }
  }
  return first;
}

Status SmChannels::Provision(const SecurityManager& sm) {
  NFVSM_RETURN_IF_ERROR(ValidateChannelSmId(sm.id));
  if (!crypto::VerifyingKey::FromPem(sm.public_key_pem).ok()) {
    return InvalidArgumentError("SM " + sm.id +
                                ": public_key_pem is not an Ed25519 key");
  }
  std::lock_guard admin(admin_mu_);
  NFVSM_ASSIGN_OR_RETURN(SmProvisioner ctl,
                         SmProvisioner::Create(options_.rabbitmqctl));
  const std::string vhost = ChannelVhost(sm.id);
  const std::string file_path = ChannelFileOf(sm.id);

  std::optional<std::string> password;
  if (!options_.rotate_password_on_provision) {
    password = ExistingPassword(file_path);
  }
  if (!password) {
    NFVSM_ASSIGN_OR_RETURN(std::string raw,
                           crypto::RandomBytes(kPasswordBytes));
    password = crypto::HexEncode(raw);
  }
  NFVSM_RETURN_IF_ERROR(ctl.EnsureVhost(vhost));
  NFVSM_RETURN_IF_ERROR(ctl.EnsureUser(vhost, *password));
  NFVSM_RETURN_IF_ERROR(ctl.SetPermissions(vhost, vhost, SmPermissions()));
  // Every user the gateway may connect as (each broker of the URL).
  std::set<std::string> gateway_users;
  for (const auto& b : options_.broker.url.brokers) {
    gateway_users.insert(b.username);
  }
  for (const std::string& user : gateway_users) {
    NFVSM_RETURN_IF_ERROR(
        ctl.SetPermissions(vhost, user, GatewayPermissions()));
  }

  NFVSM_ASSIGN_OR_RETURN(crypto::SigningKey key,
                         LoadOrCreateChannelKey(options_.state_dir, sm.id));
  // The topology exists before the SM gets its file.
  {
    NFVSM_ASSIGN_OR_RETURN(std::unique_ptr<amqp::Connection> connection,
                           amqp::Connection::Open(OptionsForVhost(sm.id)));
    NFVSM_RETURN_IF_ERROR(DeclareChannelTopology(*connection));
  }

  const amqp::TransportUrl& url = options_.broker.url;
  std::string host_port = options_.sm_broker_url_host.empty()
                              ? url.brokers.front().HostPort()
                              : options_.sm_broker_url_host;
  ChannelFile file;
  file.sm_id = sm.id;
  file.gateway_id = options_.gateway_id;
  // Ids, vhost and a hex password need no percent-encoding.
  file.transport_url = std::string(url.tls.enabled ? "amqps" : "rabbit") +
                       "://" + vhost + ":" + *password + "@" + host_port + "/" +
                       vhost;
  file.gateway_public_key_pem = key.PublicKeyPem();
  NFVSM_RETURN_IF_ERROR(WriteChannelFile(file_path, file));
  log_->info("SM channel {} provisioned (vhost {}, file {})", sm.id, vhost,
             file_path);
  bool started;
  {
    std::lock_guard lock(mu_);
    started = started_ && !stopped_;
  }
  return started ? OpenChannel(sm.id) : OkStatus();
}

Status SmChannels::Remove(const SmId& sm) {
  NFVSM_RETURN_IF_ERROR(ValidateChannelSmId(sm));
  std::lock_guard admin(admin_mu_);
  std::unique_ptr<SmChannel> channel;
  {
    std::lock_guard lock(mu_);
    auto it = channels_.find(sm);
    if (it != channels_.end()) {
      channel = std::move(it->second);
      channels_.erase(it);
    }
  }
  // Outside mu_: the consumer may be inside the engine, which may call
  // Notify/Ask (which take mu_) before it returns.
  channel.reset();
  NFVSM_ASSIGN_OR_RETURN(SmProvisioner ctl,
                         SmProvisioner::Create(options_.rabbitmqctl));
  const std::string vhost = ChannelVhost(sm);
  NFVSM_RETURN_IF_ERROR(ctl.DeleteVhost(vhost));
  NFVSM_RETURN_IF_ERROR(ctl.DeleteUser(vhost));
  std::error_code ec;
  for (const std::string& path :
       {ChannelFileOf(sm), KeyPath(options_.state_dir, sm),
        SequenceFilePath(options_.state_dir, sm)}) {
    std::filesystem::remove(path, ec);
    if (ec) return UnavailableError("cannot remove " + path);
  }
  log_->info("SM channel {} removed", sm);
  return OkStatus();
}

StatusOr<SmChannel*> SmChannels::ChannelFor(const SmId& sm) {
  std::lock_guard lock(mu_);
  auto it = channels_.find(sm);
  if (it == channels_.end()) {
    return NotFoundError("SM " + sm + " has no open channel");
  }
  return it->second.get();
}

Status SmChannels::DeliverEvent(const SmId& sm, const LifecycleEvent& event) {
  NFVSM_ASSIGN_OR_RETURN(std::string payload, wire::EncodeEvent(event));
  NFVSM_ASSIGN_OR_RETURN(SmChannel * channel, ChannelFor(sm));
  return channel->Publish(wire::kLifecycleEventType, payload, "", std::nullopt);
}

Status SmChannels::DeliverAlert(const SmId& sm,
                                const wire::SecurityAlert& alert) {
  NFVSM_ASSIGN_OR_RETURN(std::string payload, wire::EncodeSecurityEvent(alert));
  NFVSM_ASSIGN_OR_RETURN(SmChannel * channel, ChannelFor(sm));
  return channel->Publish(wire::kSecurityEventType, payload, "", std::nullopt);
}

Status SmChannels::SendGateRequest(const SmId& sm, const GateRequest& req,
                                   std::optional<TimePoint> deadline,
                                   bool answer_expected) {
  NFVSM_ASSIGN_OR_RETURN(
      std::string payload,
      wire::EncodeGateRequest(req, deadline, answer_expected));
  NFVSM_ASSIGN_OR_RETURN(SmChannel * channel, ChannelFor(sm));
  return channel->Publish(wire::kGateRequestType, payload, req.id, deadline);
}

void SmChannels::Notify(const SmId& sm, const GateRequest& req) {
  Status s = SendGateRequest(sm, req, std::nullopt, /*answer_expected=*/false);
  if (!s.ok()) {
    log_->warn("gate {}: notifying SM {} failed: {}", req.id, sm, s.ToString());
  }
}

Status SmChannels::Ask(const SmId& sm, const GateRequest& req,
                       TimePoint deadline) {
  return SendGateRequest(sm, req, deadline, /*answer_expected=*/true);
}

void SmChannels::Stop() {
  std::map<SmId, std::unique_ptr<SmChannel>> channels;
  {
    std::lock_guard lock(mu_);
    stopped_ = true;
    channels.swap(channels_);
  }
  // Consumers finish their in-flight message (handled and acked) first.
  for (auto& [id, channel] : channels) channel->Stop();
}

SmChannelsStats SmChannels::stats() const {
  SmChannelsStats s;
  s.published = counters_->published.load();
  s.publish_failures = counters_->publish_failures.load();
  s.gate_answers = counters_->gate_answers.load();
  s.instructions = counters_->instructions.load();
  s.refused = counters_->refused.load();
  return s;
}

bool SmChannels::HasOpenChannel(const SmId& sm) const {
  std::lock_guard lock(mu_);
  return channels_.count(sm) != 0;
}

}  // namespace nfvsm::gateway
