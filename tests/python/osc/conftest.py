"""Runs Debian's real ``openstack`` command (python-openstackclient) with
nfvsm's plugin visible, against a real nfvsm-gateway (nfvsm_testlib).

``openstack`` finds plugins through the ``openstack.cli.extension`` and
``openstack.nfvsm.v1`` entry points. The package is not installed here, so
its egg-info (fixture ``nfvsm_entry_points`` of tests/python/conftest.py)
is put on the command's PYTHONPATH; the code itself is imported from the source tree
and the extension from the build tree (ctest's PYTHONPATH).
"""

import json
import os
import subprocess

import pytest

OPENSTACK = '/usr/bin/openstack'


class OpenStackCli(object):
    """``/usr/bin/openstack`` in a clean environment: no clouds.yaml, no
    OS_* variables but those a test gives, nothing from the caller's
    shell."""

    def __init__(self, home, egg_base):
        if not os.access(OPENSTACK, os.X_OK):
            pytest.skip('python3-openstackclient is not installed')
        self.env = {k: v for k, v in os.environ.items()
                    if not k.startswith('OS_')}
        self.env['HOME'] = str(home)
        self.env['PYTHONPATH'] = os.pathsep.join(
            [egg_base] + [p for p in os.environ.get('PYTHONPATH', '').split(
                os.pathsep) if p])

    def run(self, *args, env=None, timeout=240):
        full_env = dict(self.env)
        full_env.update(env or {})
        return subprocess.run([OPENSTACK] + [str(a) for a in args],
                              env=full_env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True,
                              timeout=timeout)

    def ok(self, *args, **kwargs):
        """Runs and asserts exit 0; stdout parsed as JSON when -f json."""
        result = self.run(*args, **kwargs)
        assert result.returncode == 0, (args, result.stdout, result.stderr)
        if '-f' in args and args[args.index('-f') + 1] == 'json':
            return json.loads(result.stdout)
        return result.stdout


@pytest.fixture
def openstack(tmp_path, nfvsm_entry_points):
    home = tmp_path / 'home'
    home.mkdir()
    return OpenStackCli(home, nfvsm_entry_points)


@pytest.fixture
def nfvsm_cli(openstack, nfvsm_gateway):
    """``openstack`` pointed at the test gateway by the environment, as
    an operator's openrc would (OS_NFVSM_TRANSPORT_URL)."""
    openstack.env['OS_NFVSM_TRANSPORT_URL'] = nfvsm_gateway.transport_url
    openstack.env['OS_NFVSM_ACTOR'] = 'osc-operator'
    # sm create/delete provision the SM's vhost with several rabbitmqctl
    # runs (an Erlang VM each): slow on a loaded machine.
    openstack.env['OS_NFVSM_TIMEOUT'] = '240'
    return openstack
