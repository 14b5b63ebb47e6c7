"""Paths of the nfvsm programs the tests run, from the environment ctest
sets (NFVSM_GATEWAY_BIN, NFVSM_SM_BIN, NFVSM_ADMIN_BIN), or from a build
directory named by NFVSM_BUILD_DIR when run by hand."""

import os


class ProgramMissing(Exception):
    pass


def _find(variable, relative):
    path = os.environ.get(variable)
    if not path and os.environ.get('NFVSM_BUILD_DIR'):
        path = os.path.join(os.environ['NFVSM_BUILD_DIR'], relative)
    if not path or not os.access(path, os.X_OK):
        raise ProgramMissing('%s is not set to an executable (or set '
                             'NFVSM_BUILD_DIR)' % variable)
    return path


def gateway():
    return _find('NFVSM_GATEWAY_BIN', 'gateway/nfvsm-gateway')


def sm():
    return _find('NFVSM_SM_BIN', 'sm/nfvsm-sm')


def admin():
    return _find('NFVSM_ADMIN_BIN', 'tools/admin/nfvsm-admin')


def vbs():
    return _find('NFVSM_VBS_BIN', 'vbs/nfvsm-vbs')


def vbs_agent():
    return _find('NFVSM_VBS_AGENT_BIN', 'vbs/nfvsm-vbs-agent')


def child_env():
    """The environment for the programs the harness runs: without
    LD_PRELOAD, which an ASan build of the extension needs in the test
    interpreter (tests/python/CMakeLists.txt) but which must not leak
    into uninstrumented programs (the gateway, nfvsm-sm, rabbitmqctl)."""
    env = dict(os.environ)
    env.pop('LD_PRELOAD', None)
    return env
