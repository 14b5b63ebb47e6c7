#!/usr/bin/env bash
# The VNF Bootstrapping Service part of the demo: the real nfvsm-vbs daemon
# on loopback, the real nfvsm-vbs-agent with a software HMEE, as a VNF would
# run it from cloud-init (issue #4).
#
#   vbs_demo.sh BUILD_DIR WORK_DIR
#
# Steps, each checked: keys and CA (--init), a platform's HMEE provisioned
# out of band, the inventory MANO registered, the daemon started; the agent
# of vnf-1 obtains its credential, which `openssl verify` accepts against
# the CA and which names the VNF in its SANs; an instance booted from an
# image other than the registered one is refused with the reason; the
# daemon stops cleanly. Exits non-zero if any step does not hold.
set -euo pipefail

build=$(realpath "${1:?build dir}")
work=${2:?work dir}
vbs=$build/vbs/nfvsm-vbs
agent=$build/vbs/nfvsm-vbs-agent
step() { printf '  [vbs] %s\n' "$*"; }
fail() { printf '  [vbs] FAILED: %s\n' "$*" >&2; exit 1; }

rm -rf "$work" && mkdir -p "$work" && cd "$work"
port=$(/usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
address=http://127.0.0.1:$port
sha() { printf '%s' "$1" | sha256sum | cut -d' ' -f1; }

vbs_key=$("$vbs" --init keys)
step "VBS keys and CA created; PubKey-VBS ${vbs_key:0:16}..."
hmee_key=$("$agent" --init-hmee hmee --platform-id compute-1 \
  --vbs-public-key "$vbs_key" --vbs-address "$address")
step "software HMEE of platform compute-1 provisioned with the VBS key and address"

cat >inventory.json <<EOF
{"platforms": [{"platform_id": "compute-1", "hmee_public_key": "$hmee_key"}],
 "vnfs": [{"vnf_id": "vnf-1", "domain": "tenant-a", "platform_id": "compute-1",
           "image_id": "image-v1", "image_sha256": "$(sha image-v1)",
           "vnfd_id": "vnfd-v1", "vnfd_sha256": "$(sha vnfd-v1)",
           "vnfm_address": "https://tacker:9890", "em_address": "https://em:8080"}],
 "boot_policies": {"tenant-a": {"version": 1, "boot": {"image_whitelist": ["image-v1"]}}}}
EOF
cat >vbs.conf <<EOF
[vbs]
address = $address
signing_key_file = keys/vbs.key
ca_certificate_file = keys/ca.crt
ca_key_file = keys/ca.key
inventory_file = inventory.json
store_path = vbs.sqlite
audit_hmac_key_file = keys/audit-hmac.key
state_file = vbs.state
trust_domain = nfvsm.demo
log_level = warn
[endpoint]
bind = 127.0.0.1
port = $port
EOF

"$vbs" --config-file vbs.conf >vbs.log 2>&1 &
daemon=$!
trap 'kill "$daemon" 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done
(exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || fail "nfvsm-vbs is not listening (vbs.log: $(cat vbs.log))"
step "nfvsm-vbs listening on $address"

params() { # vnf image
  printf '{"vbs_public_key": "%s", "vbs_address": "%s", "vnf_id": "%s", "platform_id": "compute-1", "image_sha256": "%s", "vnfd_sha256": "%s"}\n' \
    "$vbs_key" "$address" "$1" "$(sha "$2")" "$(sha vnfd-v1)" >"params-$1-$2.json"
  echo "params-$1-$2.json"
}
run_agent() { "$agent" --params "$(params "$1" "$2")" --hmee-key hmee/hmee.key \
  --hmee-provisioning hmee/provisioning.json --out-dir "vnf-$1-$2"; }

out=$(run_agent vnf-1 image-v1 2>&1) || fail "agent of vnf-1 refused: $out"
cert=vnf-vnf-1-image-v1/vnf.crt
[ "$(stat -c %a vnf-vnf-1-image-v1/vnf.key)" = 600 ] || fail "the VNF key is not 0600"
step "vnf-1 bootstrapped (M1..M4): credential, CA and key (0600) in vnf-vnf-1-image-v1/"
openssl verify -CAfile keys/ca.crt "$cert" >/dev/null || fail "the credential does not verify against the CA"
sans=$(openssl x509 -noout -ext subjectAltName -in "$cert")
grep -q "urn:nfvsm:vnf:vnf-1" <<<"$sans" || fail "the credential does not name vnf-1: $sans"
step "credential verifies with openssl against the VBS CA; SANs: $(tr -d '\n' <<<"$sans" | sed 's/X509v3 Subject Alternative Name: *//')"

if out=$(run_agent vnf-1 image-tampered 2>&1); then
  fail "an instance booted from another image was given a credential"
fi
step "an instance of vnf-1 booted from another image is refused: $(tail -1 <<<"$out")"

kill -TERM "$daemon"
wait "$daemon" || fail "nfvsm-vbs did not stop cleanly"
trap - EXIT
step "nfvsm-vbs stopped cleanly; every handshake is in its audit log (vbs.sqlite)"
