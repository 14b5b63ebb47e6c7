"""The ``[nfvsm_actuator]`` group: the OpenStack actuator service
``nfvsm-actuator``.

The gateway decides; this service carries out the steps of accepted SM
instructions in the cloud (terminate, quarantine, release, OSS/BSS
notice). It needs admin credentials for Nova, Glance and Tacker, which is
why it is a separate process with its own configuration instead of a part
of the gateway.
"""

from keystoneauth1 import loading as ks_loading
from oslo_config import cfg

GROUP = cfg.OptGroup(
    'nfvsm_actuator',
    title='nfvsm OpenStack actuator',
    help='How nfvsm-actuator receives steps from the nfvsm gateway '
         '([actuator] driver = bus in nfvsm.conf) and carries them out '
         'with openstacksdk. Credentials: either [nfvsm_actuator] cloud '
         '(clouds.yaml) or the keystoneauth options of this group.')

OPTS = [
    cfg.StrOpt(
        'queue',
        default='nfvsm.actuator',
        help='Queue consumed on the MANO vhost ([DEFAULT] transport_url); '
             'the same as [actuator] queue in nfvsm.conf.'),
    cfg.StrOpt(
        'cloud',
        help='A cloud of clouds.yaml to act in. Unset: the keystoneauth '
             'options of this group (auth_type, auth_url, ...).'),
    cfg.StrOpt(
        'region_name',
        help='Region of the endpoints taken from the service catalog.'),
    cfg.StrOpt(
        'interface',
        default='public',
        choices=['public', 'internal', 'admin'],
        help='Catalog interface of the endpoints.'),
    cfg.StrOpt(
        'terminate_via',
        default='auto',
        choices=[('auto', 'Tacker when it knows the VNF, else Nova'),
                 ('tacker', 'always Tacker (a VNF it does not know fails)'),
                 ('nova', 'always delete the Nova server named by the VNF '
                          'id')],
        help='How a VNF is terminated. A VNF id that is a Tacker VNF '
             'instance is terminated through Tacker, which then deletes '
             'its servers; otherwise the id is a Nova server.'),
    cfg.StrOpt(
        'tacker_termination_type',
        default='FORCEFUL',
        choices=['FORCEFUL', 'GRACEFUL'],
        help='terminationType of Tacker terminate requests. FORCEFUL by '
             'default: a compromised VNF is not trusted to shut down '
             'cleanly.'),
    cfg.StrOpt(
        'quarantine_mode',
        default='pause',
        choices=[('pause', 'keep the instance in memory, stopped (its '
                           'state can still be examined)'),
                 ('shelve', 'shelve it: frees the host, keeps a disk '
                            'image')],
        help='What a quarantined instance copy is turned into after it is '
             'locked.'),
    cfg.BoolOpt(
        'quarantine_snapshot',
        default=True,
        help='Snapshot a quarantined instance (Nova createImage) so that a '
             'copy survives its termination (R2.1.260 quarantine_copy).'),
    cfg.StrOpt(
        'migration',
        default='live',
        choices=[('live', 'os-migrateLive, the scheduler picks the host'),
                 ('cold', 'migrate (the server is restarted)')],
        help='How VNFs are moved away from a host that must no longer be '
             'used (R2.1.320/330).'),
    cfg.StrOpt(
        'oss_bss_topic',
        default='nfvsm_oss_bss',
        help='Notification topic (oslo.messaging, messagingv2) of the '
             'notices OSS/BSS receives before a Semi-Active termination '
             '(R2.1.260).'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)
    ks_loading.register_session_conf_options(conf, GROUP.name)
    ks_loading.register_auth_conf_options(conf, GROUP.name)


def list_opts():
    return [(GROUP, OPTS
             + ks_loading.get_session_conf_options()
             + ks_loading.get_auth_common_conf_options()
             + ks_loading.get_auth_plugin_conf_options('password'))]
