"""oslo.config options of the nfvsm hooks, one module per group.

A hook calls ``nfvsm.conf.register_opts(conf)`` with its host service's
configuration object (``oslo_config.cfg.CONF`` in Heat, Masakari, Tacker).
"""


def register_opts(conf):
    from nfvsm.conf import opts
    opts.register_opts(conf)
