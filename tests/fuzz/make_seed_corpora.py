#!/usr/bin/env python3
"""Regenerates the seed corpora in tests/fuzz/corpus/<target>/.

Seeds are a few valid (and a few nearly valid) inputs per target, so the
fuzzer starts from inputs that reach deep into each decoder. Protobuf seeds
are encoded from text format with `protoc --encode`; envelope seeds are
signed with the fuzz target's test key through `openssl pkeyutl`, at the
fuzz target's fixed clock time, following the signing input documented in
core/proto/nfvsm/v1/envelope.proto. Needs only python3, protoc, openssl.

Usage: tests/fuzz/make_seed_corpora.py   (from anywhere)
"""
import os
import pathlib
import struct
import subprocess
import tempfile

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PROTO_ROOT = ROOT / "core" / "proto"
CORPUS = HERE / "corpus"

# The fuzz target's test key (envelope_open_fuzz.cc); protects nothing.
TEST_KEY_PEM = b"""-----BEGIN PRIVATE KEY-----
MC4CAQAwBQYDK2VwBCIEIEA6jot40R0S7iyec41qjxzP9Tcpp5noXkhPg4p7mRr8
-----END PRIVATE KEY-----
"""
NOW_US = 1_700_000_000_000_000  # kNowUs in envelope_open_fuzz.cc

POLICIES = {
    "minimal.json": '{"version":1}',
    "full.json": """{"version":1,"id":"sm-a/web",
 "placement":{"allowed_zones":["az-1","az-2"],"denied_hosts":["compute-7"],
  "hmee_required":true,"anti_affinity_group":"web"},
 "network":{"security_group_rules":[
   {"direction":"ingress","protocol":"tcp","port_min":443,"port_max":443,
    "remote_cidr":"10.0.0.0/8"},
   {"direction":"egress","protocol":"udp","port_min":53,"port_max":53,
    "remote_cidr":"2001:db8::/32"}],
  "insert_functions":[{"vsf_vnfd_id":"vnfd-fw","after":"lb","before":"web"}]},
 "boot":{"vbs_required":true,"vnf_whitelist":["vnf-1"],
  "vnfd_whitelist":["vnfd-1"],"image_whitelist":["img-1"],
  "vnfm_whitelist":["tacker"],"em_whitelist":["em-1"]},
 "on_update":"block_all_traffic"}""",
    "rule_defaults.json": '{"version":1,"network":{"security_group_rules":'
                          '[{"direction":"egress","protocol":"any"}]}}',
    "bad_port.json": '{"version":1,"network":{"security_group_rules":[{'
                     '"direction":"ingress","protocol":"tcp","port_max":70000}]}}',
    "duplicate_key.json": '{"version":1,"version":1}',
}

INSTRUCTIONS = {
    "terminate.txtpb": 'instruction_id: "ins-1" reason: "compromised" '
                       'terminate { vnf_ids: "vnf-1" vnf_ids: "vnf-2" '
                       'flags { replacement_allowed: true quarantine_copy: true '
                       'quarantine_image_and_vnfd: true erase_storage: true } }',
    "stop_using_host.txtpb": 'instruction_id: "ins-2" stop_using_host { '
                             'host: "compute-3" action: HOST_ACTION_TERMINATE '
                             'quarantine_host: true }',
    "apply_policy.txtpb": 'instruction_id: "ins-3" apply_policy { domain: "d" '
                          'policy { version: 1 placement { allowed_zones: "az-1" '
                          'hmee_required: true } network { security_group_rules '
                          '{ direction: TRAFFIC_DIRECTION_INGRESS protocol: '
                          'IP_PROTOCOL_TCP port_min: 22 port_max: 22 '
                          'remote_cidr: "10.0.0.0/8" } } on_update: '
                          'ENFORCEMENT_BEHAVIOUR_EXIT_GRACEFULLY } }',
    "insert_vsf.txtpb": 'instruction_id: "ins-4" insert_security_function { '
                        'ns_id: "ns-1" function { vsf_vnfd_id: "fw" after: "a" '
                        'before: "b" } }',
    "history_query.txtpb": 'instruction_id: "ins-5" history_query { '
                           'vnf_ids: "vnf-1" from_us: 1 to_us: 2 }',
    "release.txtpb": 'instruction_id: "ins-6" release_quarantine { '
                     'target: QUARANTINE_TARGET_IMAGE target_id: "img-1" }',
}

GATE_ANSWERS = {
    "allow_with_policy.txtpb": 'gate_id: "gate-1" verdict: VERDICT_ALLOW '
                               'reason: "ok" policy { version: 1 boot { '
                               'vbs_required: true image_whitelist: "img-1" } }',
    "deny.txtpb": 'gate_id: "gate-2" verdict: VERDICT_DENY reason: "no"',
    "unspecified.txtpb": 'gate_id: "gate-3"',
}


def encode(message: str, proto: str, text: str) -> bytes:
    return subprocess.run(
        ["protoc", f"--encode=nfvsm.v1.{message}", f"-I{PROTO_ROOT}",
         f"nfvsm/v1/{proto}"],
        input=text.encode(), check=True, capture_output=True).stdout


def lp(b: bytes) -> bytes:
    return struct.pack(">I", len(b)) + b


def signing_input(f: dict) -> bytes:
    return (lp(b"nfvsm-envelope-v1") + lp(f["key_id"]) +
            struct.pack(">Q", f["sequence"]) +
            struct.pack(">q", f["timestamp_us"]) + lp(f["sender"]) +
            lp(f["recipient"]) + lp(f["message_type"]) +
            lp(f["correlation_id"]) + struct.pack(">q", f["deadline_us"]) +
            lp(f["payload"]))


def sign(data: bytes) -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        key = pathlib.Path(tmp, "key.pem")
        key.write_bytes(TEST_KEY_PEM)
        key.chmod(0o600)
        msg = pathlib.Path(tmp, "msg")
        msg.write_bytes(data)
        return subprocess.run(
            ["openssl", "pkeyutl", "-sign", "-rawin", "-inkey", str(key),
             "-in", str(msg)], check=True, capture_output=True).stdout


def key_id() -> bytes:
    with tempfile.TemporaryDirectory() as tmp:
        key = pathlib.Path(tmp, "key.pem")
        key.write_bytes(TEST_KEY_PEM)
        der = subprocess.run(["openssl", "pkey", "-in", str(key), "-pubout",
                              "-outform", "DER"], check=True,
                             capture_output=True).stdout
    raw = der[-32:]  # SubjectPublicKeyInfo ends with the raw key
    digest = subprocess.run(["openssl", "dgst", "-sha256", "-binary"],
                            input=raw, check=True, capture_output=True).stdout
    return digest[:8].hex().encode()


def text_bytes(b: bytes) -> str:
    return '"' + "".join(f"\\{c:03o}" for c in b) + '"'


def envelope(f: dict, signature: bytes) -> bytes:
    text = " ".join([
        f"key_id: {text_bytes(f['key_id'])}",
        f"sequence: {f['sequence']}",
        f"timestamp_us: {f['timestamp_us']}",
        f"sender: {text_bytes(f['sender'])}",
        f"recipient: {text_bytes(f['recipient'])}",
        f"message_type: {text_bytes(f['message_type'])}",
        f"correlation_id: {text_bytes(f['correlation_id'])}",
        f"deadline_us: {f['deadline_us']}",
        f"payload: {text_bytes(f['payload'])}",
        f"signature: {text_bytes(signature)}",
    ])
    return encode("Envelope", "envelope.proto", text)


def write(target: str, name: str, data: bytes) -> None:
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data)


def main() -> None:
    for name, text in POLICIES.items():
        write("policy_json_fuzz", name, text.encode())
    for name, text in INSTRUCTIONS.items():
        write("instruction_decode_fuzz", name.replace(".txtpb", ".pb"),
              encode("Instruction", "instructions.proto", text))
    for name, text in GATE_ANSWERS.items():
        write("gate_answer_decode_fuzz", name.replace(".txtpb", ".pb"),
              encode("GateAnswer", "gate.proto", text))

    kid = key_id()
    payloads = {
        "instruction": (b"nfvsm.v1.Instruction",
                        encode("Instruction", "instructions.proto",
                               INSTRUCTIONS["terminate.txtpb"])),
        "gate_answer": (b"nfvsm.v1.GateAnswer",
                        encode("GateAnswer", "gate.proto",
                               GATE_ANSWERS["deny.txtpb"])),
    }
    for i, (name, (mtype, payload)) in enumerate(payloads.items(), start=1):
        f = {"key_id": kid, "sequence": i, "timestamp_us": NOW_US,
             "sender": b"sm-a", "recipient": b"mano", "message_type": mtype,
             "correlation_id": b"corr-%d" % i,
             "deadline_us": NOW_US + 30_000_000, "payload": payload}
        signed = envelope(f, sign(signing_input(f)))
        # First byte selects the fuzz mode: even = open as is, odd = sign
        # and open (see envelope_open_fuzz.cc).
        write("envelope_open_fuzz", f"signed_{name}.bin", b"\x00" + signed)
        write("envelope_open_fuzz", f"to_sign_{name}.bin", b"\x01" + signed)
    stale = dict(f, sequence=9, timestamp_us=NOW_US - 120_000_000)
    write("envelope_open_fuzz", "signed_stale.bin",
          b"\x00" + envelope(stale, sign(signing_input(stale))))


if __name__ == "__main__":
    main()
