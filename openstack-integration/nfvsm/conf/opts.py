"""Lists every nfvsm option for oslo-config-generator (oslo.config.opts).

Each group lives in its own module of nfvsm.conf with ``list_opts()`` and
``register_opts(conf)``; importing the module here is all it takes to list
it (and to register it with ``nfvsm.conf.register_opts``).
"""

import types

# Each engineer adds the import of their group's module here, one line each.
from nfvsm.conf import actuator  # noqa: F401
from nfvsm.conf import grant  # noqa: F401
from nfvsm.conf import heat  # noqa: F401
from nfvsm.conf import masakari  # noqa: F401
from nfvsm.conf import nfvsm  # noqa: F401


def _group_modules():
    # [nfvsm] first, then by name: the sample's order never depends on
    # the order of the imports.
    found = [m for m in globals().values()
             if isinstance(m, types.ModuleType)
             and m.__name__.startswith('nfvsm.conf.')
             and hasattr(m, 'list_opts')]
    return sorted(found, key=lambda m: (m.__name__ != 'nfvsm.conf.nfvsm',
                                        m.__name__))


def list_opts():
    """Return [(group, [opts])] for oslo-config-generator."""
    result = []
    for module in _group_modules():
        result.extend(module.list_opts())
    return result


def register_opts(conf):
    """Registers every group on ``conf`` (idempotent, as oslo.config's
    registration is for identical options)."""
    for module in _group_modules():
        module.register_opts(conf)
