"""The ``[nfvsm]`` group: how every hook reaches the nfvsm gateway.

Each hook (Heat plugin, Masakari tasks, Grant endpoint, CLI) runs inside
another service's process and registers this group on that service's
configuration, so the options live in heat.conf, masakari.conf, ... beside
the service's own.
"""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    'nfvsm',
    title='nfvsm gateway',
    help='How this service asks the nfvsm gateway for gate decisions '
         '(ETSI NFV Security Manager interfaces).')

OPTS = [
    cfg.StrOpt(
        'transport_url',
        secret=True,
        help='The message bus of the nfvsm gateway, written as '
             'oslo.messaging writes it (rabbit://user:pass@host:5672/vhost). '
             'Unset: the [DEFAULT] transport_url of this service, which is '
             'where the gateway listens in a standard deployment.'),
    cfg.FloatOpt(
        'gate_timeout',
        default=30.0,
        min=0.1,
        help='Seconds a hook waits for a gate decision. Keep it longer than '
             'the gate deadlines of the Fully-Active bindings, so that the '
             'gateway\'s own fail-mode decision reaches the hook.'),
    cfg.StrOpt(
        'fail_mode',
        default='closed',
        choices=[('closed', 'deny the operation when no decision comes '
                            '(unreachable gateway, deadline passed)'),
                 ('open', 'allow it, logging a warning: only where '
                          'availability outweighs security')],
        help='What a hook does when the gateway gives no decision. A '
             'decision the gateway did make is always obeyed.'),
    cfg.StrOpt(
        'requester',
        default='',
        help='Who asks, as recorded in nfvsm\'s audit trail. Empty: '
             '<service>@<host name>.'),
    cfg.StrOpt(
        'vnf_tag_prefix',
        default='nfvsm-vnf=',
        help='Heat: a stack tag starting with this prefix names the VNF '
             'the stack carries (the rest of the tag is the VNF id). '
             'Stacks without such a tag are not gated.'),
    cfg.StrOpt(
        'domain_tag_prefix',
        default='nfvsm-domain=',
        help='Heat: a stack tag starting with this prefix names the trust '
             'domain of its VNF, for VNFs nfvsm does not know yet.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
