#!/usr/bin/env bash
# Runs the DevStack plugin's own functions (devstack/lib/nfvsm) outside
# DevStack, through devstack/lib/devstack-shim.sh, the way CI and scripts
# use them, so that what an operator's `stack.sh` runs is what is tested.
#
#   run_devstack_functions.sh lint
#       bash -n and shellcheck over devstack/plugin.sh, settings, lib/*.
#   run_devstack_functions.sh configure
#       configure_nfvsm + configure_nfvsm_services into a temporary
#       /etc (nfvsm.conf, grant-api.conf, copies of nova/heat/tacker/
#       masakari conf files), then checks every option docs/grant.md and
#       docs/openstack-hooks.md say is set, with Python's configparser.
#   run_devstack_functions.sh start
#       configure against the test RabbitMQ node (NFVSM_TEST_BROKER_ENV),
#       start_nfvsm (run_process: the real nfvsm-gateway and the Grant
#       API), check that the gateway answers nfvsm-admin with the written
#       nfvsm.conf and that the Grant API issues a token to the client
#       configured for Tacker, then stop_nfvsm. Needs NFVSM_GATEWAY_BIN,
#       NFVSM_ADMIN_BIN and PYTHONPATH with nfvsm (ctest sets them).
#
# Exits non-zero, naming what failed.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
MODE=${1:-}
WORK=$(mktemp -d -t nfvsm-devstack-test.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

lint() {
    local files=("$ROOT/devstack/plugin.sh" "$ROOT/devstack/settings"
        "$ROOT"/devstack/lib/*)
    local f
    for f in "${files[@]}"; do
        bash -n "$f" || fail "bash -n $f"
    done
    command -v shellcheck >/dev/null || fail "shellcheck is not installed"
    (cd "$ROOT" && shellcheck -x -s bash -P devstack \
        "${files[@]#"$ROOT"/}") || fail "shellcheck"
    echo "lint: ok (${#files[@]} files)"
}

# Pre-existing service configuration, as DevStack leaves it: an option
# and a comment that must survive.
seed_service_configs() {
    local etc=$WORK/etc service
    for service in nova heat tacker masakari; do
        mkdir -p "$etc/$service"
        printf '# written by DevStack\n[DEFAULT]\ndebug = True\n' \
            >"$etc/$service/$service.conf"
    done
    cp "$etc/nova/nova.conf" "$etc/nova/nova-cpu.conf"
}

# Loads settings + shim + lib/nfvsm with every path under $WORK.
load_plugin() {
    export NFVSM_SHIM_RUN_DIR=$WORK/run
    mkdir -p "$NFVSM_SHIM_RUN_DIR"
    NFVSM_CONF_DIR=$WORK/etc/nfvsm
    NFVSM_CONF_FILE=$NFVSM_CONF_DIR/nfvsm.conf
    NFVSM_GRANT_CONF_FILE=$NFVSM_CONF_DIR/grant-api.conf
    NFVSM_STATE_DIR=$WORK/state
    NFVSM_BUILD_DIR=$WORK/build
    NFVSM_NOVA_CONF_FILES="$WORK/etc/nova/nova.conf $WORK/etc/nova/nova-cpu.conf"
    NFVSM_HEAT_CONF=$WORK/etc/heat/heat.conf
    NFVSM_TACKER_CONF=$WORK/etc/tacker/tacker.conf
    NFVSM_MASAKARI_CONF=$WORK/etc/masakari/masakari.conf
    NFVSM_GRANT_CLIENT_SECRET=${NFVSM_GRANT_CLIENT_SECRET:-tacker-secret-$RANDOM}
    NFVSM_DIR=$ROOT
    export NFVSM_GRANT_CLIENT_SECRET
    # shellcheck source=devstack/lib/devstack-shim.sh
    source "$ROOT/devstack/lib/devstack-shim.sh"
    # shellcheck source=devstack/settings
    source "$ROOT/devstack/settings"
    # shellcheck source=devstack/lib/nfvsm
    source "$ROOT/devstack/lib/nfvsm"
}

# Every option the docs tell operators to set, read back by configparser
# (no interpolation: values are checked verbatim).
check_configs() {
    /usr/bin/python3 - "$WORK" <<'PY'
import configparser
import os
import stat
import sys

work = sys.argv[1]
env = os.environ
url = env['NFVSM_TRANSPORT_URL']
endpoint = env['NFVSM_GRANT_ENDPOINT']
client = env['NFVSM_GRANT_CLIENT_ID']
secret = env['NFVSM_GRANT_CLIENT_SECRET']
flows = {
    'instance_failure_recovery_tasks':
        "pre:['nfvsm_instance_recovery_veto_task', 'stop_instance_task'],"
        "main:['start_instance_task'],post:['confirm_instance_active_task']",
    'host_auto_failure_recovery_tasks':
        "pre:['disable_compute_service_task'],"
        "main:['prepare_HA_enabled_instances_task', "
        "'nfvsm_evacuation_veto_task'],post:['evacuate_instances_task']",
    'host_rh_failure_recovery_tasks':
        "pre:['disable_compute_service_task'],"
        "main:['prepare_HA_enabled_instances_task', "
        "'nfvsm_evacuation_veto_task', 'evacuate_instances_task'],post:[]",
}
hooks = {('nfvsm', 'transport_url'): url,
         ('nfvsm', 'gate_timeout'): env['NFVSM_GATE_TIMEOUT'],
         ('nfvsm', 'fail_mode'): env['NFVSM_FAIL_MODE']}
nova = {('notifications', 'notification_format'): 'both',
        ('oslo_messaging_notifications', 'driver'): 'messagingv2',
        ('oslo_messaging_notifications', 'transport_url'): url,
        ('DEFAULT', 'debug'): 'True'}
expected = {
    'etc/nfvsm/nfvsm.conf': {
        ('DEFAULT', 'transport_url'): url,
        ('nfvsm', 'state_dir'): os.path.join(work, 'state'),
        ('nfvsm', 'notification_exchanges'):
            'nova,heat,neutron,openstack,tacker',
        ('sm_channels', 'rabbitmqctl'): env['NFVSM_RABBITMQCTL'],
        ('sm_channels', 'rabbitmqctl_args'): env['NFVSM_RABBITMQCTL_ARGS'],
    },
    'etc/nfvsm/grant-api.conf': {
        ('DEFAULT', 'transport_url'): url,
        ('nfvsm', 'gate_timeout'): env['NFVSM_GATE_TIMEOUT'],
        ('nfvsm', 'fail_mode'): env['NFVSM_FAIL_MODE'],
        ('nfvsm_grant', 'bind_port'): env['NFVSM_GRANT_PORT'],
        ('nfvsm_grant', 'public_endpoint'): endpoint,
        ('nfvsm_grant', 'clients'): '%s:%s' % (client, secret),
        ('nfvsm_grant', 'auth_methods'): 'oauth2_client_credentials,basic',
        ('nfvsm_grant', 'api_paste_config'):
            os.path.join(work, 'etc/nfvsm/grant-api-paste.ini'),
    },
    'etc/nova/nova.conf': nova,
    'etc/nova/nova-cpu.conf': nova,
    'etc/heat/heat.conf': hooks | {
        ('DEFAULT', 'convergence_engine'): 'False',
        ('DEFAULT', 'debug'): 'True',
        ('oslo_messaging_notifications', 'driver'): 'messagingv2'},
    'etc/masakari/masakari.conf': hooks | {
        ('taskflow_driver_recovery_flows', k): v for k, v in flows.items()
    } | {('nfvsm_masakari', 'vnf_id_metadata_key'): 'nfvsm_vnf_id',
         ('nfvsm_masakari', 'domain_metadata_key'): 'nfvsm_domain'},
    'etc/tacker/tacker.conf': {
        ('v2_nfvo', 'use_external_nfvo'): 'True',
        ('v2_nfvo', 'endpoint'): endpoint,
        ('v2_nfvo', 'token_endpoint'): endpoint + '/token',
        ('v2_nfvo', 'client_id'): client,
        ('v2_nfvo', 'client_password'): secret,
        ('v2_nfvo', 'use_client_secret_basic'): 'True',
        ('connect_grant', 'base_url'): endpoint + '/grant/v1/grants',
        ('authentication', 'auth_type'): 'BASIC',
        ('authentication', 'user_name'): client,
        ('authentication', 'password'): secret,
    },
}
problems = []
for name, options in expected.items():
    path = os.path.join(work, name)
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    if not parser.read(path):
        problems.append('%s: missing' % name)
        continue
    for (section, option), value in options.items():
        got = (parser.defaults().get(option) if section == 'DEFAULT'
               else parser.get(section, option, fallback=None))
        if got != value:
            problems.append('%s [%s] %s = %r, expected %r'
                            % (name, section, option, got, value))
    with open(path) as f:
        if not name.startswith('etc/nfvsm/') and \
                '# written by DevStack' not in f.read():
            problems.append('%s: DevStack\'s comment was lost' % name)
for secret_file in ('etc/nfvsm/nfvsm.conf', 'etc/nfvsm/grant-api.conf'):
    mode = stat.S_IMODE(os.stat(os.path.join(work, secret_file)).st_mode)
    if mode & 0o077:
        problems.append('%s: mode %o, readable by others' % (secret_file,
                                                            mode))
grant = configparser.ConfigParser(interpolation=None)
grant.read(os.path.join(work, 'etc/nfvsm/grant-api.conf'))
if len(grant.get('nfvsm_grant', 'token_signing_key', fallback='')) != 64:
    problems.append('grant-api.conf: no generated token_signing_key')
for p in problems:
    print('FAIL: ' + p)
sys.exit(1 if problems else 0)
PY
}

configure() {
    command -v crudini >/dev/null || fail "crudini is not installed"
    seed_service_configs
    load_plugin
    export NFVSM_TRANSPORT_URL=${NFVSM_TRANSPORT_URL:-rabbit://stackrabbit:p%40ss@mq.example:5672/}
    export NFVSM_GRANT_ENDPOINT NFVSM_GRANT_CLIENT_ID NFVSM_GATE_TIMEOUT \
        NFVSM_FAIL_MODE NFVSM_RABBITMQCTL NFVSM_RABBITMQCTL_ARGS \
        NFVSM_GRANT_PORT
    configure_nfvsm
    configure_nfvsm_services
    # A second run (DevStack re-stacks) changes nothing.
    local before after
    before=$(cat "$WORK"/etc/*/*.conf | sha256sum)
    configure_nfvsm
    configure_nfvsm_services
    after=$(cat "$WORK"/etc/*/*.conf | sha256sum)
    [[ "$before" == "$after" ]] || fail "configure is not idempotent"
    check_configs || fail "configuration check"
    echo "configure: ok"
}

start() {
    local broker_env=${NFVSM_TEST_BROKER_ENV:-}
    [[ -n "$broker_env" && -f "$broker_env" ]] ||
        fail "no test broker (NFVSM_TEST_BROKER_ENV)"
    [[ -x "${NFVSM_GATEWAY_BIN:-}" && -x "${NFVSM_ADMIN_BIN:-}" ]] ||
        fail "NFVSM_GATEWAY_BIN / NFVSM_ADMIN_BIN not set"
    local url dir
    url=$(sed -n 's/^NFVSM_TEST_TRANSPORT_URL=//p' "$broker_env")
    dir=$(sed -n 's/^NFVSM_TEST_BROKER_DIR=//p' "$broker_env")
    export NFVSM_TRANSPORT_URL=$url
    # The test node's rabbitmqctl, as nfvsm_testlib configures it.
    NFVSM_RABBITMQCTL=bash
    NFVSM_RABBITMQCTL_ARGS="$ROOT/scripts/lib/rabbitmq.sh ctl $dir"
    NFVSM_GRANT_HOST=127.0.0.1
    NFVSM_GRANT_PORT=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
    NFVSM_GRANT_ENDPOINT=http://127.0.0.1:$NFVSM_GRANT_PORT
    NFVSM_GRANT_API_BIN="/usr/bin/python3 -m nfvsm.grant.wsgi"
    NFVSM_BIN_DIR=$(dirname "$NFVSM_GATEWAY_BIN")
    seed_service_configs
    load_plugin
    NFVSM_BIN_DIR=$(dirname "$NFVSM_GATEWAY_BIN")
    configure_nfvsm
    configure_nfvsm_services
    # The gateway's queues are fixed: one gateway per broker at a time.
    trap 'stop_nfvsm; rm -rf "$WORK"' EXIT
    start_nfvsm

    local i answered=""
    for ((i = 0; i < 90; i++)); do
        if "$NFVSM_ADMIN_BIN" --config-file "$NFVSM_CONF_FILE" \
            --actor devstack-test --timeout-ms 5000 domain list \
            >"$WORK/admin.out" 2>&1; then
            answered=1
            break
        fi
        kill -0 "$(cat "$NFVSM_SHIM_RUN_DIR/nfvsm-gateway.pid")" 2>/dev/null ||
            break
        sleep 1
    done
    if [[ -z "$answered" ]]; then
        cat "$NFVSM_SHIM_RUN_DIR/nfvsm-gateway.log" "$WORK/admin.out" >&2
        fail "nfvsm-gateway started by start_nfvsm did not answer"
    fi
    "$NFVSM_ADMIN_BIN" --config-file "$NFVSM_CONF_FILE" --actor devstack-test \
        domain create devstack-check >/dev/null ||
        fail "nfvsm-admin domain create"
    "$NFVSM_ADMIN_BIN" --config-file "$NFVSM_CONF_FILE" --actor devstack-test \
        domain list | grep -q devstack-check ||
        fail "the domain is not listed"

    # Tacker v2's token request to the Grant API (client credentials,
    # HTTP Basic client authentication) with what tacker.conf now holds.
    /usr/bin/python3 - "$NFVSM_TACKER_CONF" <<'PY' ||
import base64
import configparser
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

tacker = configparser.ConfigParser(interpolation=None)
tacker.read(sys.argv[1])
nfvo = tacker['v2_nfvo']
credentials = base64.b64encode(('%s:%s' % (
    nfvo['client_id'], nfvo['client_password'])).encode()).decode()
request = urllib.request.Request(
    nfvo['token_endpoint'],
    data=urllib.parse.urlencode({'grant_type': 'client_credentials'}).encode(),
    headers={'Authorization': 'Basic ' + credentials,
             'Content-Type': 'application/x-www-form-urlencoded'})
deadline = time.time() + 90
while True:
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            body = json.load(response)
        break
    except urllib.error.HTTPError as e:
        sys.exit('token request refused: %d %s' % (e.code, e.read()))
    except OSError:
        if time.time() > deadline:
            sys.exit('the Grant API never listened')
        time.sleep(1)
if not body.get('access_token') or body.get('token_type', '').lower() != 'bearer':
    sys.exit('no bearer token: %r' % body)
PY
        {
            cat "$NFVSM_SHIM_RUN_DIR/nfvsm-grant-api.log" >&2
            fail "the Grant API did not issue Tacker's token"
        }

    stop_nfvsm
    [[ ! -f "$NFVSM_SHIM_RUN_DIR/nfvsm-gateway.pid" ]] || fail "stop_nfvsm"
    echo "start: ok"
}

case "$MODE" in
lint) lint ;;
configure) configure ;;
start) start ;;
*)
    echo "usage: $0 lint|configure|start" >&2
    exit 2
    ;;
esac
