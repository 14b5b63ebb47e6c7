#!/usr/bin/env bash
# DevStack plugin of nfvsm: dispatches DevStack's phases to the functions
# of lib/nfvsm (the same functions scripts and CI call through
# lib/devstack-shim.sh). DevStack sources this file with $1 = stack |
# unstack | clean and, for stack, $2 = the phase.

NFVSM_PLUGIN_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=devstack/lib/nfvsm
source "$NFVSM_PLUGIN_DIR/lib/nfvsm"

if [[ "$1" == "stack" ]]; then
    case "$2" in
    pre-install)
        install_nfvsm_deps
        ;;
    install)
        echo_summary "Building and installing nfvsm"
        build_nfvsm
        install_nfvsm
        ;;
    post-config)
        echo_summary "Configuring nfvsm and the services it hooks into"
        configure_nfvsm
        configure_nfvsm_services
        ;;
    extra)
        echo_summary "Starting nfvsm"
        start_nfvsm
        ;;
    test-config)
        :
        ;;
    esac
fi

if [[ "$1" == "unstack" ]]; then
    stop_nfvsm
fi

if [[ "$1" == "clean" ]]; then
    cleanup_nfvsm
fi
