"""python-openstackclient plugin module of nfvsm.

``openstack`` finds this module through the ``openstack.cli.extension``
entry point ``nfvsm``, adds the options of :func:`build_option_parser` to
its own, and loads the commands of the ``openstack.nfvsm.v1`` entry point
group. The commands talk to the nfvsm gateway over the admin RPC of the
MANO message bus (docs/rpc.md), not to a Keystone-registered REST API, so
they need no Keystone credentials (``auth_required = False``) and the
"client" is an :class:`nfvsm.AdminClient`, built on first use by
:func:`make_client`.

Where the transport URL comes from, first match wins (as nfvsm-admin):
``--os-nfvsm-transport-url`` / ``OS_NFVSM_TRANSPORT_URL``, then
``[DEFAULT] transport_url`` of ``--os-nfvsm-config-file`` /
``OS_NFVSM_CONFIG_FILE`` (nova.conf, tacker.conf or nfvsm.conf all carry
it).
"""

import getpass
import logging
import socket

from osc_lib import exceptions
from osc_lib import utils

LOG = logging.getLogger(__name__)

DEFAULT_API_VERSION = '1'
API_VERSION_OPTION = 'os_nfvsm_api_version'
API_NAME = 'nfvsm'
API_VERSIONS = {
    '1': 'nfvsm.AdminClient',
}

DEFAULT_TIMEOUT = 30.0


def _option(instance, name):
    """An option of build_option_parser as the ClientManager holds it.

    openstack.config strips the leading ``os_`` of argparse names when it
    folds them into the cloud config.
    """
    config = getattr(instance, '_cli_options', None)
    config = getattr(config, 'config', None) or {}
    return config.get(name)


def _transport_url_from_file(path):
    """[DEFAULT] transport_url of an oslo.config file (nova.conf, ...)."""
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    conf.register_opt(cfg.StrOpt('transport_url', secret=True))
    try:
        conf([], project='nfvsm', default_config_files=[path],
             use_env=False)
    except (cfg.Error, OSError) as e:
        raise exceptions.CommandError(
            'cannot read the nfvsm transport URL from %s: %s' % (path, e))
    return conf.transport_url


def resolve_transport_url(url, config_file):
    """The transport URL the admin client uses, or CommandError."""
    if url:
        return url
    if config_file:
        from_file = _transport_url_from_file(config_file)
        if from_file:
            return from_file
        raise exceptions.CommandError(
            '%s has no [DEFAULT] transport_url' % config_file)
    raise exceptions.CommandError(
        'no nfvsm transport URL: give --os-nfvsm-transport-url, '
        'OS_NFVSM_TRANSPORT_URL, or --os-nfvsm-config-file with a '
        '[DEFAULT] transport_url')


def default_actor():
    """Who the gateway audits as having made a change (R1.3.260)."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):
        user = 'unknown'
    return '%s@%s' % (user, socket.gethostname())


def make_client(instance):
    """The nfvsm.AdminClient of this ``openstack`` invocation."""
    import nfvsm

    url = resolve_transport_url(_option(instance, 'nfvsm_transport_url'),
                                _option(instance, 'nfvsm_config_file'))
    actor = _option(instance, 'nfvsm_actor') or default_actor()
    timeout = _option(instance, 'nfvsm_timeout') or DEFAULT_TIMEOUT
    try:
        timeout = float(timeout)
        return nfvsm.AdminClient(url, actor=actor, timeout=timeout)
    except (ValueError, nfvsm.NfvsmError) as e:
        # The URL may hold a broker password: name the problem only.
        raise exceptions.CommandError('cannot use the nfvsm transport '
                                      'URL or options: %s' % e)


def build_option_parser(parser):
    """The global options of the nfvsm commands."""
    parser.add_argument(
        '--os-nfvsm-api-version',
        metavar='<nfvsm-api-version>',
        default=utils.env('OS_NFVSM_API_VERSION',
                          default=DEFAULT_API_VERSION),
        help='nfvsm command version, default=%s '
             '(Env: OS_NFVSM_API_VERSION)' % DEFAULT_API_VERSION)
    parser.add_argument(
        '--os-nfvsm-transport-url',
        metavar='<transport-url>',
        default=utils.env('OS_NFVSM_TRANSPORT_URL'),
        help='Message bus URL of the nfvsm gateway, as oslo.messaging '
             'writes it (rabbit://user:pass@host:5672/vhost) '
             '(Env: OS_NFVSM_TRANSPORT_URL)')
    parser.add_argument(
        '--os-nfvsm-config-file',
        metavar='<file>',
        default=utils.env('OS_NFVSM_CONFIG_FILE'),
        help='Read the transport URL from [DEFAULT] transport_url of this '
             'file (e.g. /etc/nova/nova.conf) (Env: OS_NFVSM_CONFIG_FILE)')
    parser.add_argument(
        '--os-nfvsm-actor',
        metavar='<actor>',
        default=utils.env('OS_NFVSM_ACTOR'),
        help='Name audited with every change, default <user>@<host> '
             '(Env: OS_NFVSM_ACTOR)')
    parser.add_argument(
        '--os-nfvsm-timeout',
        metavar='<seconds>',
        type=float,
        default=utils.env('OS_NFVSM_TIMEOUT', default=DEFAULT_TIMEOUT),
        help='How long to wait for the gateway, default %d s '
             '(Env: OS_NFVSM_TIMEOUT)' % DEFAULT_TIMEOUT)
    return parser
