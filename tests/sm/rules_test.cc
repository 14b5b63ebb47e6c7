// Rules file, channel file, transport URL and sequence numbers of the
// reference SM (no broker).
#include "sm/src/rules.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "nfvsm/v1/gate.pb.h"
#include "sm/src/amqp_link.h"
#include "sm/src/channel.h"
#include "sm/src/messages.h"
#include "sm/src/sequence.h"

namespace nfvsm::refsm {
namespace {

constexpr char kRules[] = R"({
  "rules": [
    {"match": {"domain": "blue", "operation": "instantiate",
               "is_recovery": true},
     "verdict": "deny", "reason": "no recovery in blue"},
    {"match": {"domain": "blue", "image_id": "img-*"},
     "verdict": "allow", "reason": "blue images",
     "policy": {"version": 1, "boot": {"vbs_required": true},
                "placement": {"denied_hosts": ["h13"]}}},
    {"match": {"target_host": "quarantine-*"}, "verdict": "deny",
     "reason": "host in quarantine zone"},
    {"match": {"vnfd_id": "late"}, "verdict": "deny", "delay_ms": 1500},
    {"match": {"vnfd_id": "mute"}, "silent": true},
    {"match": {"operation": "OPERATION_KIND_TERMINATE"}, "verdict": "allow"}
  ],
  "default": "deny"
})";

v1::GateRequest Request(std::string domain, v1::OperationKind op,
                        std::string image = "", std::string host = "",
                        std::string vnfd = "", bool recovery = false) {
  v1::GateRequest r;
  r.set_gate_id("g");
  r.set_domain(std::move(domain));
  r.set_operation(op);
  r.set_image_id(std::move(image));
  r.set_target_host(std::move(host));
  r.set_vnfd_id(std::move(vnfd));
  r.set_is_recovery(recovery);
  r.set_answer_expected(true);
  return r;
}

struct RuleCase {
  const char* name;
  v1::GateRequest request;
  v1::Verdict verdict;
  int rule;
};

// covers: R2.1.30, R2.1.40, R1.3.30
TEST(RefSmRulesTest, FirstMatchWinsDefaultDenies) {
  Result<Rules> rules = Rules::Parse(kRules);
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  ASSERT_EQ(rules->size(), 6u);
  const v1::OperationKind inst = v1::OPERATION_KIND_INSTANTIATE;
  const std::vector<RuleCase> cases = {
      {"recovery in blue denied before the image rule",
       Request("blue", inst, "img-1", "", "", true), v1::VERDICT_DENY, 0},
      {"blue image allowed", Request("blue", inst, "img-1"), v1::VERDICT_ALLOW,
       1},
      {"blue, other image: host rule does not match either -> default",
       Request("blue", inst, "other"), v1::VERDICT_DENY, -1},
      {"quarantined host glob", Request("red", inst, "", "quarantine-7"),
       v1::VERDICT_DENY, 2},
      {"late rule", Request("red", inst, "", "", "late"), v1::VERDICT_DENY, 3},
      {"mute rule", Request("red", inst, "", "", "mute"), v1::VERDICT_DENY, 4},
      {"terminate anywhere allowed",
       Request("red", v1::OPERATION_KIND_TERMINATE), v1::VERDICT_ALLOW, 5},
      {"nothing matches", Request("red", v1::OPERATION_KIND_HEAL),
       v1::VERDICT_DENY, -1},
  };
  for (const RuleCase& c : cases) {
    SCOPED_TRACE(c.name);
    const GateDecision d = rules->Decide(c.request);
    EXPECT_EQ(d.rule_index, c.rule);
    if (!d.silent) {
      EXPECT_EQ(d.verdict, c.verdict);
    }
  }
  EXPECT_EQ(rules->Decide(Request("red", inst, "", "", "late")).delay_ms, 1500);
  EXPECT_TRUE(rules->Decide(Request("red", inst, "", "", "mute")).silent);
  EXPECT_FALSE(rules->Decide(Request("blue", inst, "img-1")).silent);
}

// covers: R2.1.30, R2.1.40, R2.1.310
TEST(RefSmRulesTest, PolicyJsonBecomesTheProtobufPolicy) {
  Result<Rules> rules = Rules::Parse(kRules);
  ASSERT_TRUE(rules.ok());
  const GateDecision d =
      rules->Decide(Request("blue", v1::OPERATION_KIND_INSTANTIATE, "img-2"));
  ASSERT_TRUE(d.policy.has_value());
  EXPECT_TRUE(d.policy->boot().vbs_required());
  ASSERT_EQ(d.policy->placement().denied_hosts_size(), 1);
  EXPECT_EQ(d.policy->placement().denied_hosts(0), "h13");
  EXPECT_EQ(d.reason, "blue images");
  // Rules without a policy answer without one.
  EXPECT_FALSE(rules->Decide(Request("x", v1::OPERATION_KIND_TERMINATE))
                   .policy.has_value());
}

// covers: R2.1.30
TEST(RefSmRulesTest, DefaultCanAllowWithPolicy) {
  Result<Rules> rules = Rules::Parse(
      R"({"default": {"verdict": "allow", "reason": "open",
                      "policy": {"boot": {"vbs_required": true}}}})");
  ASSERT_TRUE(rules.ok()) << rules.error().ToString();
  const GateDecision d = rules->Decide(Request("any", v1::OPERATION_KIND_HEAL));
  EXPECT_EQ(d.verdict, v1::VERDICT_ALLOW);
  EXPECT_EQ(d.reason, "open");
  ASSERT_TRUE(d.policy.has_value());
  EXPECT_TRUE(d.policy->boot().vbs_required());
  // An empty file denies everything.
  Result<Rules> empty = Rules::Parse("{}");
  ASSERT_TRUE(empty.ok());
  EXPECT_EQ(empty->Decide(Request("any", v1::OPERATION_KIND_HEAL)).verdict,
            v1::VERDICT_DENY);
}

// covers: R1.3.30
TEST(RefSmRulesTest, MalformedRulesAreRefusedNotGuessed) {
  const std::vector<std::pair<const char*, const char*>> bad = {
      {"not json", "{"},
      {"array root", "[]"},
      {"unknown top key", R"({"rulez": []})"},
      {"rules not array", R"({"rules": {}})"},
      {"typo in match key", R"({"rules": [{"match": {"domian": "a"},
                                            "verdict": "allow"}]})"},
      {"unknown operation", R"({"rules": [{"match": {"operation": "fly"},
                                            "verdict": "allow"}]})"},
      {"verdict missing", R"({"rules": [{"match": {}}]})"},
      {"verdict misspelt", R"({"rules": [{"verdict": "alow"}]})"},
      {"policy not a Policy", R"({"rules": [{"verdict": "allow",
                                 "policy": {"no_such_field": 1}}]})"},
      {"negative delay", R"({"rules": [{"verdict": "deny", "delay_ms": -1}]})"},
      {"bool as string", R"({"rules": [{"verdict": "deny",
                              "match": {"is_recovery": "yes"}}]})"},
      {"bad default", R"({"default": "maybe"})"},
  };
  for (const auto& [name, text] : bad) {
    SCOPED_TRACE(name);
    Result<Rules> r = Rules::Parse(text);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error().code, Code::kInvalidArgument);
  }
}

constexpr char kGatewayPem[] =
    "-----BEGIN PUBLIC KEY-----\n"
    "MCowBQYDK2VwAyEACmzOYB+lG2E5Ve8m+eWfu8NjQJ7jUVoI8F0cDTNODKY=\n"
    "-----END PUBLIC KEY-----\n";

// covers: R2.1.60, R1.1.160
TEST(RefSmChannelFileTest, ParsesTheContractFormat) {
  nlohmann::json j = {
      {"sm_id", "sm-a"},
      {"gateway_id", "mano"},
      {"transport_url",
       "rabbit://nfvsm.sm.sm-a:pw@127.0.0.1:5672/nfvsm.sm.sm-a"},
      {"gateway_public_key_pem", kGatewayPem},
      {"publish_exchange", "nfvsm.from-sm"},
      {"publish_routing_key", "mano"},
      {"consume_queue", "nfvsm.sm-inbox"}};
  Result<ChannelFile> c = ParseChannelFile(j.dump());
  ASSERT_TRUE(c.ok()) << c.error().ToString();
  EXPECT_EQ(c->sm_id, "sm-a");
  EXPECT_EQ(c->gateway_id, "mano");
  EXPECT_EQ(c->consume_queue, "nfvsm.sm-inbox");
  EXPECT_EQ(c->gateway_key.key_id(), "66b8b653e977fda1");

  for (const char* field :
       {"sm_id", "transport_url", "gateway_public_key_pem"}) {
    SCOPED_TRACE(field);
    nlohmann::json missing = j;
    missing.erase(field);
    EXPECT_EQ(ParseChannelFile(missing.dump()).error().code,
              Code::kInvalidArgument);
  }
  nlohmann::json bad_id = j;
  bad_id["sm_id"] = "-starts-with-dash";
  EXPECT_FALSE(ParseChannelFile(bad_id.dump()).ok());
  nlohmann::json bad_key = j;
  bad_key["gateway_public_key_pem"] = "garbage";
  EXPECT_FALSE(ParseChannelFile(bad_key.dump()).ok());
  EXPECT_FALSE(ParseChannelFile("not json").ok());
  // The error never echoes the URL (it carries the password).
  nlohmann::json bad_type = j;
  bad_type["transport_url"] = 5;
  const Result<ChannelFile> r = ParseChannelFile(bad_type.dump());
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message.find("pw"), std::string::npos);
}

// covers: R2.1.60
TEST(RefSmChannelFileTest, SmIdPattern) {
  EXPECT_TRUE(ValidSmId("a"));
  EXPECT_TRUE(ValidSmId("SM_1.test-x"));
  EXPECT_TRUE(ValidSmId(std::string(63, 'a')));
  EXPECT_FALSE(ValidSmId(std::string(64, 'a')));
  EXPECT_FALSE(ValidSmId(""));
  EXPECT_FALSE(ValidSmId(".a"));
  EXPECT_FALSE(ValidSmId("a/b"));
  EXPECT_FALSE(ValidSmId("a b"));
}

// covers: R2.1.60
TEST(RefSmTransportUrlTest, OsloFormsAndFailover) {
  Result<std::vector<BrokerAddress>> one =
      ParseTransportUrl("rabbit://nfvsm.sm.a:p%40ss@10.0.0.1:5673/nfvsm.sm.a");
  ASSERT_TRUE(one.ok()) << one.error().ToString();
  ASSERT_EQ(one->size(), 1u);
  EXPECT_EQ((*one)[0].host, "10.0.0.1");
  EXPECT_EQ((*one)[0].port, 5673);
  EXPECT_EQ((*one)[0].user, "nfvsm.sm.a");
  EXPECT_EQ((*one)[0].password, "p@ss");
  EXPECT_EQ((*one)[0].vhost, "nfvsm.sm.a");
  EXPECT_FALSE((*one)[0].tls);

  Result<std::vector<BrokerAddress>> two =
      ParseTransportUrl("rabbit://u:p@h1:5672,u:q@h2:5674/");
  ASSERT_TRUE(two.ok());
  ASSERT_EQ(two->size(), 2u);
  EXPECT_EQ((*two)[1].host, "h2");
  EXPECT_EQ((*two)[1].password, "q");
  EXPECT_EQ((*two)[0].vhost, "/");

  Result<std::vector<BrokerAddress>> tls =
      ParseTransportUrl("amqps://u:p@h:5671/v");
  ASSERT_TRUE(tls.ok());
  EXPECT_TRUE((*tls)[0].tls);
  EXPECT_TRUE(ParseTransportUrl("rabbit://u:p@h/v?ssl=1")->at(0).tls);

  EXPECT_FALSE(ParseTransportUrl("http://h/").ok());
  EXPECT_FALSE(ParseTransportUrl("no scheme").ok());
}

// covers: R2.1.70
TEST(RefSmSequenceTest, ClockSeededStrictlyIncreasingAndSharedThroughTheFile) {
  int64_t now = 1'000'000;
  SequenceSource clock_only("", [&] { return now; });
  EXPECT_EQ(clock_only.Next(), 1'000'000u);
  EXPECT_EQ(clock_only.Next(), 1'000'001u);  // same microsecond
  now = 5'000'000;
  EXPECT_EQ(clock_only.Next(), 5'000'000u);
  now = 10;  // clock stepped back: still increasing
  EXPECT_EQ(clock_only.Next(), 5'000'001u);

  const std::string file =
      ::testing::TempDir() + "/refsm-seq-" + std::to_string(getpid());
  std::remove(file.c_str());
  now = 2'000'000;
  SequenceSource a(file, [&] { return now; });
  SequenceSource b(file, [&] { return now; });
  EXPECT_EQ(a.Next(), 2'000'000u);
  EXPECT_EQ(b.Next(), 2'000'001u);  // another process, same microsecond
  now = 100;                        // a restart with the clock set back
  SequenceSource c(file, [&] { return now; });
  EXPECT_EQ(c.Next(), 2'000'002u);
  EXPECT_TRUE(c.warning().empty());
  std::remove(file.c_str());
}

// covers: R2.1.270, R2.1.280/290, R2.1.320/330
TEST(RefSmInstructionArgsTest, FlagsActionsTargetsAndLists) {
  Result<v1::TerminateFlags> f =
      ParseTerminateFlags({"quarantine-copy", "erase-storage"});
  ASSERT_TRUE(f.ok());
  EXPECT_TRUE(f->quarantine_copy());
  EXPECT_TRUE(f->erase_storage());
  EXPECT_FALSE(f->quarantine_host());
  EXPECT_FALSE(ParseTerminateFlags({"notify-oss"}).ok());
  EXPECT_EQ(ParseHostAction("migrate").value(), v1::HOST_ACTION_MIGRATE);
  EXPECT_FALSE(ParseHostAction("explode").ok());
  EXPECT_EQ(ParseQuarantineTarget("host").value(), v1::QUARANTINE_TARGET_HOST);
  EXPECT_FALSE(ParseQuarantineTarget("vnf").ok());
  EXPECT_EQ(SplitList("a,,b,"), (std::vector<std::string>{"a", "b"}));
  EXPECT_FALSE(ParsePolicyJson("{\"bogus\": 1}").ok());
  EXPECT_TRUE(ParsePolicyJson("{}").ok());
  const std::string id1 = NewInstructionId("sm-a");
  EXPECT_EQ(id1.rfind("sm-a-", 0), 0u);
  EXPECT_NE(id1, NewInstructionId("sm-a"));
}

}  // namespace
}  // namespace nfvsm::refsm
