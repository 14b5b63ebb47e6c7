#!/usr/bin/env bash
# shellcheck shell=bash
# The few DevStack helpers lib/nfvsm uses, for running it without
# DevStack (CI: tests/devstack/run_devstack_functions.sh; scripts). Each
# keeps DevStack's calling convention; none is defined when DevStack's
# own already is. Sourced, not executed.
#
# Environment:
#   NFVSM_SHIM_RUN_DIR   pid files and process logs of run_process
#                        (default: a temporary directory)
#   NFVSM_SHIM_DISABLED  services is_service_enabled says are off
#                        (space separated; default: none)
#   NFVSM_TRANSPORT_URL  what get_transport_url answers

NFVSM_SHIM_RUN_DIR=${NFVSM_SHIM_RUN_DIR:-$(mktemp -d -t nfvsm-shim.XXXXXX)}
NFVSM_SHIM_DISABLED=${NFVSM_SHIM_DISABLED:-}
STACK_USER=${STACK_USER:-$(id -un)}
DEST=${DEST:-$NFVSM_SHIM_RUN_DIR/opt}

function _nfvsm_shim_defined {
    declare -F "$1" >/dev/null
}

# What devstack/settings calls: nothing to register without DevStack.
_nfvsm_shim_defined define_plugin || function define_plugin {
    :
}

_nfvsm_shim_defined enable_service || function enable_service {
    :
}

_nfvsm_shim_defined echo_summary || function echo_summary {
    echo "==> $*"
}

_nfvsm_shim_defined die || function die {
    local line=$1
    shift
    echo "error (line $line): $*" >&2
    exit 1
}

# Runs as the caller: the shim only ever writes where the caller may
# (temporary directories), and CI machines need not have sudo.
_nfvsm_shim_defined sudo || function sudo {
    "$@"
}

# iniset [-sudo] FILE SECTION OPTION VALUE, through Debian's crudini
# (creates the file and section when missing, keeps comments).
_nfvsm_shim_defined iniset || function iniset {
    [[ "$1" == -sudo ]] && shift
    local file=$1 section=$2 option=$3 value=$4
    [[ -z "$section" || -z "$option" ]] && return 0
    crudini --set "$file" "$section" "$option" "$value"
}

_nfvsm_shim_defined iniget || function iniget {
    crudini --get "$1" "$2" "$3" 2>/dev/null
}

# True unless listed in NFVSM_SHIM_DISABLED; several names: any enabled.
_nfvsm_shim_defined is_service_enabled || function is_service_enabled {
    local service
    for service in "$@"; do
        [[ " $NFVSM_SHIM_DISABLED " == *" $service "* ]] || return 0
    done
    return 1
}

_nfvsm_shim_defined install_package || function install_package {
    DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends "$@"
}

_nfvsm_shim_defined pip_install || function pip_install {
    "${NFVSM_PYTHON:-/usr/bin/python3}" -m pip install "$@"
}

_nfvsm_shim_defined get_transport_url || function get_transport_url {
    [[ -n "${NFVSM_TRANSPORT_URL:-}" ]] ||
        die $LINENO "NFVSM_TRANSPORT_URL is not set"
    echo "$NFVSM_TRANSPORT_URL"
}

# run_process NAME COMMAND: COMMAND (a string, split on spaces as
# DevStack does) in the background, in its own session, output to
# $NFVSM_SHIM_RUN_DIR/NAME.log, pid in NAME.pid.
_nfvsm_shim_defined run_process || function run_process {
    local name=$1 command=$2
    local -a argv
    read -r -a argv <<<"$command"
    setsid "${argv[@]}" >"$NFVSM_SHIM_RUN_DIR/$name.log" 2>&1 </dev/null &
    echo $! >"$NFVSM_SHIM_RUN_DIR/$name.pid"
}

# stop_process NAME: SIGTERM, then SIGKILL after 30 s.
_nfvsm_shim_defined stop_process || function stop_process {
    local name=$1 pid_file pid i
    pid_file="$NFVSM_SHIM_RUN_DIR/$name.pid"
    [[ -f "$pid_file" ]] || return 0
    pid=$(cat "$pid_file")
    rm -f "$pid_file"
    kill -TERM "$pid" 2>/dev/null || return 0
    for ((i = 0; i < 300; i++)); do
        kill -0 "$pid" 2>/dev/null || return 0
        sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
    return 0
}
