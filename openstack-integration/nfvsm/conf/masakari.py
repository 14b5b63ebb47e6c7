"""The ``[nfvsm_masakari]`` group: the recovery veto tasks in Masakari's
instance-failure and host-failure flows.

Masakari knows Nova servers, nfvsm knows VNFs: these options say how a
server is recognised as a VNF. By default only servers carrying nfvsm
metadata are checked, because the gateway cannot decide about an instance
it has never heard of: a fail-closed check would then veto the recovery of
every ordinary instance.
"""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    'nfvsm_masakari',
    title='nfvsm recovery veto for Masakari',
    help='How the nfvsm tasks of Masakari\'s recovery flows find the VNF '
         'behind an instance. Enable the tasks in '
         '[taskflow_driver_recovery_flows].')

OPTS = [
    cfg.StrOpt(
        'vnf_id_metadata_key',
        default='nfvsm_vnf_id',
        help='Instance metadata key holding the VNF id. An instance with '
             'the domain key but without this one is checked under its own '
             'UUID (a bare-instance VNF).'),
    cfg.StrOpt(
        'domain_metadata_key',
        default='nfvsm_domain',
        help='Instance metadata key holding the trust domain, for VNFs '
             'nfvsm does not know yet.'),
    cfg.BoolOpt(
        'check_unmarked_instances',
        default=False,
        help='Also check instances without either metadata key, under their '
             'own UUID. Only for clouds where every instance is registered '
             'with nfvsm: the gateway refuses to decide about an unknown '
             'instance, and that refusal vetoes its recovery.'),
    cfg.BoolOpt(
        'veto_quarantined_hosts',
        default=True,
        help='Host failure with reserved hosts: never evacuate onto a '
             'reserved host nfvsm refuses for an instance (a quarantined '
             'host); Masakari then tries its next reserved host.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    return [(GROUP, OPTS)]
