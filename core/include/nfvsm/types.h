// The nfvsm domain model: the value types every module shares.
//
// Thread safety: plain value types; no internal synchronization.
//
// Ids are strings chosen by their owners (MANO instance ids, SM names, ...).
// Enumerations have a stable lower-case wire name (ToString / Parse*): the
// store, the audit log, the JSON policy format and the admin tools all use
// those names, so renaming one is a schema change.
#ifndef NFVSM_TYPES_H_
#define NFVSM_TYPES_H_

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "nfvsm/clock.h"
#include "nfvsm/status.h"

namespace nfvsm {

using DomainId = std::string;
using SmId = std::string;
using VnfId = std::string;

// A small set of enumerators (each enum below has < 32 values).
template <typename E>
class EnumSet {
 public:
  constexpr EnumSet() = default;
  constexpr EnumSet(std::initializer_list<E> values) {
    for (E v : values) Add(v);
  }
  static constexpr EnumSet FromBits(uint32_t bits) {
    EnumSet s;
    s.bits_ = bits;
    return s;
  }
  constexpr void Add(E v) { bits_ |= Bit(v); }
  constexpr void Remove(E v) { bits_ &= ~Bit(v); }
  constexpr bool Contains(E v) const { return (bits_ & Bit(v)) != 0; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr uint32_t bits() const { return bits_; }
  friend constexpr bool operator==(EnumSet a, EnumSet b) {
    return a.bits_ == b.bits_;
  }

 private:
  static constexpr uint32_t Bit(E v) {
    return uint32_t{1} << static_cast<uint32_t>(v);
  }
  uint32_t bits_ = 0;
};

// ---------------------------------------------------------------- enums

// SM modes (R2.1.10).
enum class Mode : uint8_t { kPassive, kSemiActive, kFullyActive };

// Trust-domain kinds (R1.1.10, R1.1.20/30, R1.1.120/130).
enum class DomainKind : uint8_t { kVnf, kMano, kSecurity };

// What to decide when a gated SM does not answer in time (R1.3.30).
enum class FailMode : uint8_t { kClosed, kOpen };

// Lifecycle operations MANO asks the gate about before performing them.
enum class OperationKind : uint8_t {
  kInstantiate,
  kScaleOut,
  kScaleIn,
  kHeal,
  kRestart,
  kMigrate,
  kModify,
  kTerminate,
  kChangeConnectivity,
  kChangePackage,
};

// Lifecycle event kinds (R2.1.150, R2.1.160, R2.1.170).
enum class EventKind : uint8_t { kCreate, kModify, kTerminate, kCrash };

// Where in an operation an event was observed.
enum class Phase : uint8_t { kStart, kEnd, kFailed };

// Who caused an event (R2.1.180).
enum class EventSource : uint8_t {
  kUnknown,
  kOssBss,
  kVnf,
  kEm,
  kNfvo,
  kVnfm,
  kVim,
  kAutoHealing,
  kOperator,
  kSecurityManager,
};

// Aspects of a modification (R2.1.160).
enum class ModifyAspect : uint8_t {
  kOther,
  kConfiguration,
  kImageVersion,
  kLocation,
  kHostResources,
  kPeering,
  kIdentification,
  kVnfcChange,
  kLoadBalancing,
  kPowerState,
};

// Instructions an SM may send (R2.1.260 - R2.1.360).
enum class InstructionKind : uint8_t {
  kTerminate,
  kStopUsingHost,
  kApplyPolicy,
  kInsertSecurityFunction,
  kRemoveSecurityFunction,
  kStatusQuery,
  kHistoryQuery,
  kReleaseQuarantine,
};

enum class VnfState : uint8_t {
  kPending,  // known to MANO, not yet instantiated
  kActive,
  kStopped,
  kTerminated,
  kFailed,
};

// What a quarantine entry covers (IFA026 clause 4, R2.1.270, R2.1.320/330).
enum class QuarantineTarget : uint8_t {
  kVnfInstance,
  kImage,
  kVnfd,
  kPackage,
  kHost,
};

// Every value, in declaration order: for iterating over an EnumSet and
// for wire numbering that follows the declaration.
inline constexpr InstructionKind kAllInstructionKinds[] = {
    InstructionKind::kTerminate,
    InstructionKind::kStopUsingHost,
    InstructionKind::kApplyPolicy,
    InstructionKind::kInsertSecurityFunction,
    InstructionKind::kRemoveSecurityFunction,
    InstructionKind::kStatusQuery,
    InstructionKind::kHistoryQuery,
    InstructionKind::kReleaseQuarantine,
};
inline constexpr EventKind kAllEventKinds[] = {
    EventKind::kCreate, EventKind::kModify, EventKind::kTerminate,
    EventKind::kCrash};

using InstructionKindSet = EnumSet<InstructionKind>;
using EventKindSet = EnumSet<EventKind>;

std::string_view ToString(Mode v);
std::string_view ToString(DomainKind v);
std::string_view ToString(FailMode v);
std::string_view ToString(OperationKind v);
std::string_view ToString(EventKind v);
std::string_view ToString(Phase v);
std::string_view ToString(EventSource v);
std::string_view ToString(ModifyAspect v);
std::string_view ToString(InstructionKind v);
std::string_view ToString(VnfState v);
std::string_view ToString(QuarantineTarget v);

// Each returns kInvalidArgument naming the unknown value.
StatusOr<Mode> ParseMode(std::string_view s);
StatusOr<DomainKind> ParseDomainKind(std::string_view s);
StatusOr<FailMode> ParseFailMode(std::string_view s);
StatusOr<OperationKind> ParseOperationKind(std::string_view s);
StatusOr<EventKind> ParseEventKind(std::string_view s);
StatusOr<Phase> ParsePhase(std::string_view s);
StatusOr<EventSource> ParseEventSource(std::string_view s);
StatusOr<ModifyAspect> ParseModifyAspect(std::string_view s);
StatusOr<InstructionKind> ParseInstructionKind(std::string_view s);
StatusOr<VnfState> ParseVnfState(std::string_view s);
StatusOr<QuarantineTarget> ParseQuarantineTarget(std::string_view s);

// Every instruction kind; the default for Semi- and Fully-Active bindings.
InstructionKindSet AllInstructionKinds();

// ------------------------------------------------------------- entities

// R1.1.10 - R1.1.130, R2.1.100.
struct TrustDomain {
  DomainId id;
  DomainKind kind = DomainKind::kVnf;
  bool sensitive = false;     // holds sensitive components (R2.1.100)
  std::set<DomainId> trusts;  // trust relationships (R1.1.40)
  std::string description;
  friend bool operator==(const TrustDomain&, const TrustDomain&) = default;
};

// R2.1.50, R2.1.120.
struct SecurityManager {
  SmId id;
  std::string public_key_pem;  // Ed25519 verifying key of the SM
  std::optional<SmId> master;  // hierarchy (R2.1.50)
  DomainId home_domain;        // its security trust domain (R1.1.130)
  std::string description;
  friend bool operator==(const SecurityManager&,
                         const SecurityManager&) = default;
};

// (SM, trust domain, mode) and what the SM may do there (R2.1.110 - 140).
struct Binding {
  SmId sm;
  DomainId domain;
  Mode mode = Mode::kPassive;
  // Instructions MANO accepts from this SM here. Passive bindings are
  // refused every lifecycle-changing instruction regardless (R2.1.20);
  // leaving a kind out is how MANO refuses a Semi-Active request (SEC024).
  InstructionKindSet allowed_instructions = AllInstructionKinds();
  EventKindSet hidden_events;                         // R2.1.200
  Duration gate_deadline = std::chrono::seconds(30);  // Fully-Active wait
  Duration semi_active_window = Duration(0);          // Semi-Active wait
  FailMode fail_mode = FailMode::kClosed;             // silence => deny
  friend bool operator==(const Binding&, const Binding&) = default;
};

// A VNF instance MANO manages (R2.1.210, R2.1.300).
struct VnfRecord {
  VnfId id;                  // MANO instance id
  std::string requestor_id;  // OSS/BSS id of the VNF (R2.1.300)
  std::string ns_id;         // group / network service
  DomainId domain;
  std::string package_id;
  std::string vnfd_id;
  std::string image_id;
  std::string host;
  std::string zone;
  VnfState state = VnfState::kPending;
  bool needs_security_policy = false;  // R2.1.30, R1.3.160
  TimePoint created_at{};
  TimePoint updated_at{};
  friend bool operator==(const VnfRecord&, const VnfRecord&) = default;
};

// A lifecycle event (R2.1.150 - R2.1.240). Validated by ValidateEvent
// (lifecycle_event.h).
struct LifecycleEvent {
  std::string id;  // unique; the dedupe key for at-least-once delivery
  EventKind kind = EventKind::kCreate;
  Phase phase = Phase::kEnd;
  EventSource source = EventSource::kUnknown;  // R2.1.180
  std::string reason;                          // R2.1.190
  TimePoint occurred_at{};
  VnfId vnf_id;        // MANO instance id
  DomainId domain;     // filled from the inventory when empty
  std::string origin;  // raw notification type, for context (R2.1.240)

  // Create (R2.1.210).
  std::string package_id;
  std::string vnfd_id;
  std::string vnfd;  // the VNFD itself, for SMs that want it
  std::string package_checksum;
  std::optional<bool> package_integrity_ok;  // MANO's own check
  std::string requestor_id;
  std::string ns_id;
  std::vector<std::string> connectivity;  // networks, ports, PNFs
  std::vector<std::string> intended_hosts;
  std::vector<std::string> locations;  // zones / sites
  std::string image_id;

  // Modify (R2.1.160, R2.1.220).
  ModifyAspect aspect = ModifyAspect::kOther;
  std::map<std::string, std::string> details;

  friend bool operator==(const LifecycleEvent&,
                         const LifecycleEvent&) = default;
};

// A quarantine (IFA026 clause 4, R2.1.270, R2.1.320/330).
struct QuarantineEntry {
  QuarantineTarget target = QuarantineTarget::kVnfInstance;
  std::string target_id;
  SmId by_sm;
  DomainId domain;  // domain through which the SM was authorized
  TimePoint at{};
  std::string reason;
  bool terminated = false;           // the SM had the instance terminated
  bool replacement_allowed = false;  // a new instance may replace it
  bool copy_kept = false;            // a quarantined copy is kept
  bool recovery_allowed = false;     // other recovery may proceed
  bool erase_requested = false;      // secure erase of its storage
  friend bool operator==(const QuarantineEntry&,
                         const QuarantineEntry&) = default;
};

// A gate decision as persisted (forensics, unauthorized-action detection).
struct GateRecord {
  std::string id;
  VnfId vnf_id;
  DomainId domain;
  OperationKind operation = OperationKind::kInstantiate;
  bool allowed = false;
  TimePoint requested_at{};
  TimePoint decided_at{};
  std::string detail_json;  // SM answers, reasons, effective policy
  friend bool operator==(const GateRecord&, const GateRecord&) = default;
};

// One audit record (R1.3.260/270, IFA026 5.3). Built by AuditLog; the
// store keeps it verbatim.
struct AuditRecord {
  std::string partition;  // "mano" or PartitionFor(sm, domain)
  uint64_t seq = 0;       // 1, 2, ... within the partition
  TimePoint at{};
  std::string kind;     // e.g. "instruction.refused"
  std::string actor;    // who acted (SM id, "mano", hook name)
  std::string subject;  // what was acted on (VNF id, host, ...)
  std::string body;     // JSON detail, or AES-GCM ciphertext
  bool encrypted = false;
  std::string prev_hash;  // 32 raw bytes; zeros for seq 1
  std::string hash;       // SHA-256 over prev_hash and the fields above
  std::string mac;        // HMAC-SHA256(audit key, hash)
  friend bool operator==(const AuditRecord&, const AuditRecord&) = default;
};

inline constexpr std::string_view kManoPartition = "mano";
// "sm:<sm>|domain:<domain>": one audit partition per (SM, trust domain).
std::string PartitionFor(const SmId& sm, const DomainId& domain);

}  // namespace nfvsm

#endif  // NFVSM_TYPES_H_
