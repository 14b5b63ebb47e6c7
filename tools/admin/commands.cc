#include "commands.h"

#include <fstream>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include "render.h"

namespace nfvsm::admin_tool {
namespace {

using nlohmann::json;

// "semi-active" and "semi_active" both name a mode.
std::string WireName(std::string s) {
  for (char& c : s) {
    if (c == '-') c = '_';
  }
  return s;
}

int Usage(Context& ctx, const Status& status) {
  ctx.err << "nfvsm-admin: " << status.message() << "\n";
  return kExitUsage;
}

int Print(Context& ctx, const json& value,
          const std::vector<std::string>& columns) {
  if (ctx.json) {
    ctx.out << value.dump(2) << "\n";
  } else {
    PrintTable(ctx.out, value, columns);
  }
  return kExitOk;
}

int Done(Context& ctx, const Status& status, const std::string& what) {
  if (!status.ok()) return Fail(ctx, status);
  if (ctx.json) {
    ctx.out << json{{"ok", true}, {"done", what}}.dump(2) << "\n";
  } else {
    ctx.out << what << "\n";
  }
  return kExitOk;
}

StatusOr<std::string> ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return InvalidArgumentError("cannot read " + path);
  std::ostringstream buf;
  buf << in.rdbuf();
  return buf.str();
}

// Option storage for every subcommand, owned by the App (see AddCommands).
struct Args {
  std::string id;
  std::string kind = "vnf";
  bool sensitive = false;
  std::vector<std::string> trusts;
  std::string description;
  std::string public_key_file;
  std::string home_domain;
  std::string master;
  std::string sm;
  std::string domain;
  std::string mode;
  std::string fail_mode = "closed";
  int64_t window_ms = 0;
  int64_t deadline_ms = 0;
  std::vector<std::string> allow;
  bool allow_given = false;
  std::vector<std::string> hide_events;
  std::string target = "vnf_instance";
  std::string image_id;
  std::string vnfd_id;
  std::string package_id;
  std::string host;
  std::string zone;
  std::string state = "pending";
  bool needs_policy = false;
  std::string reason;
  int64_t from_us = 0;
  int64_t to_us = 0;
  std::vector<std::string> partitions;
};

void AddDomain(CLI::App& app, Args& a, Action& action) {
  auto* domain = app.add_subcommand("domain", "trust domains (R1.1.10)");
  domain->require_subcommand(1);
  auto* create = domain->add_subcommand("create", "create or update");
  create->add_option("id", a.id)->required();
  create->add_option("--kind", a.kind, "vnf | mano | security")
      ->capture_default_str();
  create->add_flag("--sensitive", a.sensitive, "holds sensitive components");
  create->add_option("--trusts", a.trusts, "trusted domains");
  create->add_option("--description", a.description);
  create->callback([&] {
    action = [&](Context& ctx) {
      auto kind = ParseDomainKind(WireName(a.kind));
      if (!kind.ok()) return Usage(ctx, kind.status());
      TrustDomain d;
      d.id = a.id;
      d.kind = *kind;
      d.sensitive = a.sensitive;
      d.trusts.insert(a.trusts.begin(), a.trusts.end());
      d.description = a.description;
      return Done(ctx, ctx.client.PutDomain(d), "domain " + a.id + " saved");
    };
  });
  domain->add_subcommand("list", "list")->callback([&] {
    action = [](Context& ctx) {
      auto list = ctx.client.ListDomains();
      if (!list.ok()) return Fail(ctx, list.status());
      return Print(ctx, ToJsonArray(*list),
                   {"id", "kind", "sensitive", "trusts", "description"});
    };
  });
  auto* del = domain->add_subcommand("delete", "delete");
  del->add_option("id", a.id)->required();
  del->callback([&] {
    action = [&](Context& ctx) {
      return Done(ctx, ctx.client.RemoveDomain(a.id),
                  "domain " + a.id + " deleted");
    };
  });
}

void AddSm(CLI::App& app, Args& a, Action& action) {
  auto* sm = app.add_subcommand("sm", "Security Managers (R2.1.50)");
  sm->require_subcommand(1);
  auto* create = sm->add_subcommand("create", "register (or update) an SM");
  create->add_option("id", a.id)->required();
  create
      ->add_option("--public-key-file", a.public_key_file,
                   "the SM's Ed25519 public key (PEM)")
      ->required();
  create->add_option("--home-domain", a.home_domain,
                     "its security trust domain");
  create->add_option("--master", a.master, "master SM (hierarchy)");
  create->add_option("--description", a.description);
  create->callback([&] {
    action = [&](Context& ctx) {
      auto pem = ReadFile(a.public_key_file);
      if (!pem.ok()) return Usage(ctx, pem.status());
      SecurityManager s;
      s.id = a.id;
      s.public_key_pem = *pem;
      s.home_domain = a.home_domain;
      if (!a.master.empty()) s.master = a.master;
      s.description = a.description;
      auto channel_file = ctx.client.PutSm(s);
      if (!channel_file.ok()) return Fail(ctx, channel_file.status());
      if (ctx.json) {
        ctx.out << json{{"ok", true},
                        {"sm", a.id},
                        {"channel_file", *channel_file}}
                       .dump(2)
                << "\n";
      } else {
        ctx.out << "sm " << a.id << " saved\n";
        if (!channel_file->empty()) {
          ctx.out << "channel file: " << *channel_file << "\n";
        }
      }
      return kExitOk;
    };
  });
  sm->add_subcommand("list", "list")->callback([&] {
    action = [](Context& ctx) {
      auto list = ctx.client.ListSms();
      if (!list.ok()) return Fail(ctx, list.status());
      return Print(ctx, ToJsonArray(*list),
                   {"id", "home_domain", "master", "description"});
    };
  });
  auto* del = sm->add_subcommand("delete", "delete");
  del->add_option("id", a.id)->required();
  del->callback([&] {
    action = [&](Context& ctx) {
      return Done(ctx, ctx.client.RemoveSm(a.id), "sm " + a.id + " deleted");
    };
  });
}

void AddBinding(CLI::App& app, Args& a, Action& action) {
  auto* binding = app.add_subcommand("binding", "SM bindings (R2.1.110)");
  binding->require_subcommand(1);
  auto* create = binding->add_subcommand("create", "create or update");
  create->add_option("--sm", a.sm)->required();
  create->add_option("--domain", a.domain)->required();
  create->add_option("--mode", a.mode, "passive | semi-active | fully-active")
      ->required();
  create->add_option("--fail-mode", a.fail_mode, "closed | open")
      ->capture_default_str();
  create->add_option("--window-ms", a.window_ms, "Semi-Active window");
  create->add_option("--deadline-ms", a.deadline_ms,
                     "Fully-Active gate deadline (default 30000)");
  create->add_option("--allow", a.allow,
                     "instruction kinds accepted (default: all)");
  create->add_option("--hide-event", a.hide_events,
                     "event kinds not sent to the SM");
  create->callback([&, create] {
    a.allow_given = create->count("--allow") > 0;
    action = [&](Context& ctx) {
      Binding b;
      b.sm = a.sm;
      b.domain = a.domain;
      auto mode = ParseMode(WireName(a.mode));
      if (!mode.ok()) return Usage(ctx, mode.status());
      b.mode = *mode;
      auto fail_mode = ParseFailMode(WireName(a.fail_mode));
      if (!fail_mode.ok()) return Usage(ctx, fail_mode.status());
      b.fail_mode = *fail_mode;
      if (a.window_ms < 0 || a.deadline_ms < 0) {
        return Usage(ctx, InvalidArgumentError("negative duration"));
      }
      b.semi_active_window = std::chrono::milliseconds(a.window_ms);
      if (a.deadline_ms > 0) {
        b.gate_deadline = std::chrono::milliseconds(a.deadline_ms);
      }
      if (a.allow_given) {
        b.allowed_instructions = InstructionKindSet();
        for (const auto& k : a.allow) {
          auto kind = ParseInstructionKind(WireName(k));
          if (!kind.ok()) return Usage(ctx, kind.status());
          b.allowed_instructions.Add(*kind);
        }
      }
      for (const auto& k : a.hide_events) {
        auto kind = ParseEventKind(WireName(k));
        if (!kind.ok()) return Usage(ctx, kind.status());
        b.hidden_events.Add(*kind);
      }
      return Done(ctx, ctx.client.PutBinding(b),
                  "binding " + a.sm + " -> " + a.domain + " saved");
    };
  });
  binding->add_subcommand("list", "list")->callback([&] {
    action = [](Context& ctx) {
      auto list = ctx.client.ListBindings();
      if (!list.ok()) return Fail(ctx, list.status());
      return Print(
          ctx, ToJsonArray(*list),
          {"sm", "domain", "mode", "fail_mode", "gate_deadline_ms",
           "semi_active_window_ms", "allowed_instructions", "hidden_events"});
    };
  });
  auto* del = binding->add_subcommand("delete", "delete");
  del->add_option("--sm", a.sm)->required();
  del->add_option("--domain", a.domain)->required();
  del->callback([&] {
    action = [&](Context& ctx) {
      return Done(ctx, ctx.client.RemoveBinding(a.sm, a.domain),
                  "binding " + a.sm + " -> " + a.domain + " deleted");
    };
  });
}

void AddQuarantine(CLI::App& app, Args& a, Action& action) {
  auto* q = app.add_subcommand("quarantine", "quarantine (R2.1.320)");
  q->require_subcommand(1);
  q->add_subcommand("list", "list")->callback([&] {
    action = [](Context& ctx) {
      auto list = ctx.client.ListQuarantine();
      if (!list.ok()) return Fail(ctx, list.status());
      return Print(ctx, ToJsonArray(*list),
                   {"target", "target_id", "by_sm", "domain", "reason"});
    };
  });
  auto* release = q->add_subcommand("release", "lift a quarantine");
  release->add_option("id", a.id)->required();
  release
      ->add_option("--target", a.target,
                   "vnf_instance | image | vnfd | package | host")
      ->capture_default_str();
  release->add_option("--reason", a.reason)->required();
  release->callback([&] {
    action = [&](Context& ctx) {
      auto target = ParseQuarantineTarget(WireName(a.target));
      if (!target.ok()) return Usage(ctx, target.status());
      return Done(ctx, ctx.client.ReleaseQuarantine(*target, a.id, a.reason),
                  "quarantine of " + a.id + " released");
    };
  });
}

void AddVnf(CLI::App& app, Args& a, Action& action) {
  auto* vnf = app.add_subcommand("vnf", "VNF records (R2.1.350/360)");
  vnf->require_subcommand(1);
  auto* show = vnf->add_subcommand("show", "status of one VNF");
  show->add_option("id", a.id)->required();
  show->callback([&] {
    action = [&](Context& ctx) {
      auto v = ctx.client.VnfStatus(a.id);
      if (!v.ok()) return Fail(ctx, v.status());
      return Print(ctx, ToJson(*v),
                   {"id", "state", "domain", "host", "zone", "image_id"});
    };
  });
  auto* put = vnf->add_subcommand("put", "register or update a VNF");
  put->add_option("id", a.id)->required();
  put->add_option("--domain", a.domain, "its trust domain")->required();
  put->add_option("--image", a.image_id);
  put->add_option("--vnfd", a.vnfd_id);
  put->add_option("--package", a.package_id);
  put->add_option("--host", a.host);
  put->add_option("--zone", a.zone);
  put->add_option("--state", a.state,
                  "pending | active | stopped | terminated | failed")
      ->capture_default_str();
  put->add_flag("--needs-policy", a.needs_policy,
                "instantiation waits for a security policy (R2.1.30)");
  put->callback([&] {
    action = [&](Context& ctx) {
      auto state = ParseVnfState(WireName(a.state));
      if (!state.ok()) return Usage(ctx, state.status());
      VnfRecord v;
      v.id = a.id;
      v.domain = a.domain;
      v.image_id = a.image_id;
      v.vnfd_id = a.vnfd_id;
      v.package_id = a.package_id;
      v.host = a.host;
      v.zone = a.zone;
      v.state = *state;
      v.needs_security_policy = a.needs_policy;
      return Done(ctx, ctx.client.PutVnf(v), "VNF " + a.id + " registered");
    };
  });
  auto* history = vnf->add_subcommand("history", "lifecycle events");
  history->add_option("id", a.id)->required();
  history->add_option("--from-us", a.from_us, "inclusive, epoch us");
  history->add_option("--to-us", a.to_us, "exclusive, epoch us");
  history->callback([&] {
    action = [&](Context& ctx) {
      auto events = ctx.client.VnfHistory(a.id, FromMicros(a.from_us),
                                          FromMicros(a.to_us));
      if (!events.ok()) return Fail(ctx, events.status());
      return Print(ctx, ToJsonArray(*events),
                   {"occurred_at_us", "kind", "phase", "source", "reason"});
    };
  });
}

void AddAudit(CLI::App& app, Args& a, Action& action) {
  auto* audit = app.add_subcommand("audit", "audit log (R1.3.260-280)");
  audit->require_subcommand(1);
  auto* verify = audit->add_subcommand("verify", "verify the hash chains");
  verify->add_option("--partition", a.partitions, "default: every partition")
      ->expected(0, 1);
  verify->callback([&] {
    action = [&](Context& ctx) {
      auto reports = ctx.client.AuditVerify(
          a.partitions.empty() ? std::string() : a.partitions.front());
      if (!reports.ok()) return Fail(ctx, reports.status());
      Print(ctx, ToJsonArray(*reports),
            {"partition", "ok", "records_checked", "fault", "problem"});
      for (const auto& r : *reports) {
        if (!r.ok) return kExitGatewayError;  // a broken chain fails
      }
      return kExitOk;
    };
  });
  auto* exp = audit->add_subcommand("export", "export records verbatim");
  exp->add_option("--partition", a.partitions, "default: every partition");
  exp->callback([&] {
    action = [&](Context& ctx) {
      auto records = ctx.client.AuditExport(a.partitions);
      if (!records.ok()) return Fail(ctx, records.status());
      return Print(ctx, ToJsonArray(*records),
                   {"partition", "seq", "at_us", "kind", "actor", "subject"});
    };
  });
}

}  // namespace

int Fail(Context& ctx, const Status& status) {
  ctx.err << "nfvsm-admin: " << status.ToString() << "\n";
  return ctx.client.last_call_reached_gateway() ? kExitGatewayError
                                                : kExitUnreachable;
}

std::shared_ptr<void> AddCommands(CLI::App& app, Action& action) {
  auto args = std::make_shared<Args>();
  AddDomain(app, *args, action);
  AddSm(app, *args, action);
  AddBinding(app, *args, action);
  AddQuarantine(app, *args, action);
  AddVnf(app, *args, action);
  AddAudit(app, *args, action);
  return args;
}

}  // namespace nfvsm::admin_tool
