"""Heat's own lifecycle-plugin machinery with nfvsm's plugin registered the
way heat-engine finds it: through the ``heat.stack_lifecycle_plugins``
entry point.

The package is not installed here: the ``nfvsm_entry_points`` fixture of
tests/python/conftest.py makes its entry points visible.
"""

import pytest


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
