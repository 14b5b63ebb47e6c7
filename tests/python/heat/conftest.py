"""Heat's own lifecycle-plugin machinery with nfvsm's plugin registered the
way heat-engine finds it: through the ``heat.stack_lifecycle_plugins``
entry point.

The package is not installed here, so its entry points are made visible
by writing its egg-info (``setup.py egg_info`` from setup.cfg) into a
temporary directory put on sys.path: importlib.metadata, hence stevedore,
then lists them exactly as for an installed package, while the code is
imported from the source tree. Nothing is copied or installed.
"""

import os
import subprocess
import sys

import pytest

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..',
                                    '..'))
PACKAGE_DIR = os.path.join(REPO, 'openstack-integration')


@pytest.fixture(scope='session')
def nfvsm_entry_points(tmp_path_factory):
    egg_base = str(tmp_path_factory.mktemp('egg-info'))
    subprocess.run(
        [sys.executable, '-c', 'from setuptools import setup; setup()',
         '-q', 'egg_info', '--egg-base', egg_base],
        cwd=PACKAGE_DIR, check=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=300)
    sys.path.insert(0, egg_base)
    return egg_base


@pytest.fixture(scope='session')
def heat_conf(nfvsm_entry_points):
    """Heat's global configuration, parsed as heat-engine parses it (no
    file: the defaults, i.e. the legacy engine is what the tests drive)."""
    from oslo_config import cfg
    from heat.common import config  # noqa: F401 (registers its options)
    cfg.CONF([], project='heat', default_config_files=[])
    from nfvsm.conf import heat as heat_opts
    heat_opts.register_opts(cfg.CONF)
    yield cfg.CONF
    cfg.CONF.reset()


@pytest.fixture(scope='session')
def heat_plugins(heat_conf):
    """The lifecycle plugins Heat itself loaded (entry points)."""
    from heat.common import lifecycle_plugin_utils
    return lifecycle_plugin_utils.get_plug_point_class_instances()
