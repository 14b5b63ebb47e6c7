"""nfvsm's recovery veto inside Masakari's real recovery flows.

Masakari (Debian python3-masakari) builds its instance-failure and
host-failure taskflow engines from [taskflow_driver_recovery_flows], which
names nfvsm's tasks next to its own; its stevedore manager loads them from
the ``masakari.task_flow.tasks`` entry points and the engines run
Masakari's own tasks around them. The decisions come from a real
nfvsm-gateway and a real Fully-Active reference SM (nfvsm-sm) on the test
RabbitMQ node.

The one stub: Nova. RecordingNova (recording_nova.py) stands in for
masakari.compute.nova.API, because no Nova runs here; it records what
Masakari asked Nova to do.
"""

import uuid

import pytest

import nfvsm_testlib
from recording_nova import RecordingNova
from recording_nova import Server

DOMAIN = 'red'
HA = {'HA_Enabled': 'True'}
FAILED_HOST = 'compute-failed'

RULES = {
    'rules': [
        {'match': {'vnf_id': 'vnf-smdeny-*', 'is_recovery': True},
         'verdict': 'deny', 'reason': 'no automatic recovery for this VNF'},
        {'match': {'domain': DOMAIN}, 'verdict': 'allow',
         'reason': 'recovery approved'},
    ],
    'default': 'deny',
}


def _id(stem):
    return '%s-%s' % (stem, uuid.uuid4().hex[:8])


@pytest.fixture(scope='module')
def env(tmp_path_factory, nfvsm_broker, masakari_conf):
    tmp = tmp_path_factory.mktemp('masakari')
    with nfvsm_testlib.Gateway(tmp, nfvsm_broker) as gw:
        admin = gw.admin(actor='masakari-test')
        admin.put_domain(DOMAIN, kind='vnf')
        with nfvsm_testlib.ReferenceSm(
                tmp, gw, 'sm-red', RULES,
                bindings=[{'domain': DOMAIN, 'mode': 'fully_active',
                           'gate_deadline': 5.0}]) as sm:
            masakari_conf.set_override('transport_url', gw.transport_url,
                                       group='nfvsm')
            masakari_conf.set_override('gate_timeout', 20.0, group='nfvsm')
            yield gw, sm, admin
            masakari_conf.clear_override('transport_url', group='nfvsm')
            masakari_conf.clear_override('gate_timeout', group='nfvsm')


@pytest.fixture
def ctx(masakari_conf):
    from masakari import context
    return context.get_admin_context()


def vnf_server(admin, vnf_id, host=FAILED_HOST):
    """A Nova server carrying a registered VNF (metadata as documented)."""
    admin.put_vnf(vnf_id, domain=DOMAIN, host=host, state='active')
    return Server(_id('uuid'), host,
                  metadata=dict(HA, nfvsm_vnf_id=vnf_id,
                                nfvsm_domain=DOMAIN))


def quarantine(sm, admin, *instruction):
    """Has the SM send an instruction that quarantines; waits for it.

    ``nfvsm-sm send`` needs the SM's inbox to itself (docs/sm.md)."""
    before = len(admin.list_quarantine())
    sm.stop()
    try:
        code, out, err = sm.send('--reason', 'compromised', *instruction)
        assert code == 0, out + err
    finally:
        sm.serve()
    assert nfvsm_testlib.wait_for(
        lambda: len(admin.list_quarantine()) > before, timeout=10)


def run_instance_flow(ctx, nova, server):
    from masakari.engine.drivers.taskflow import base
    from masakari.engine.drivers.taskflow import instance_failure
    engine = instance_failure.get_instance_recovery_flow(
        ctx, nova, {'instance_uuid': server.id,
                    'notification_uuid': str(uuid.uuid4())})
    with base.DynamicLogListener(engine):
        engine.run()


def run_host_flow(ctx, nova, reserved_hosts=None):
    from masakari.engine.drivers.taskflow import base
    from masakari.engine.drivers.taskflow import host_failure
    process_what = {'host_name': FAILED_HOST,
                    'notification_uuid': str(uuid.uuid4())}
    if reserved_hosts is None:
        engine = host_failure.get_auto_flow(ctx, nova, process_what)
    else:
        process_what['reserved_host_list'] = list(reserved_hosts)
        engine = host_failure.get_rh_flow(
            ctx, nova, process_what,
            update_host_method=lambda context, host: None)
    with base.DynamicLogListener(engine):
        engine.run()


# covers: R2.1.270, R2.1.280/290, R2.1.40
def test_quarantined_instance_is_never_stopped_or_started(env, ctx):
    from masakari import exception
    _, sm, admin = env
    server = vnf_server(admin, _id('vnf-q'))
    quarantine(sm, admin, 'terminate', '--vnf',
               server.metadata['nfvsm_vnf_id'])
    server.vm_state = 'error'
    nova = RecordingNova([server])
    with pytest.raises(exception.SkipInstanceRecoveryException) as info:
        run_instance_flow(ctx, nova, server)
    assert 'quarantined' in str(info.value)
    assert nova.changes_for(server.id) == []
    assert nova.servers[server.id].vm_state == 'error'


# covers: R2.1.40, R1.3.30
def test_unquarantined_instance_is_recovered_as_before(env, ctx):
    _, _, admin = env
    server = vnf_server(admin, _id('vnf-ok'))
    nova = RecordingNova([server])
    run_instance_flow(ctx, nova, server)
    assert nova.changes_for(server.id) == ['stop_server', 'start_server']
    assert nova.servers[server.id].vm_state == 'active'


# covers: R2.1.40, R2.1.190
def test_sm_denied_recovery_is_skipped_with_its_reason(env, ctx):
    from masakari import exception
    _, _, admin = env
    server = vnf_server(admin, _id('vnf-smdeny'))
    nova = RecordingNova([server])
    with pytest.raises(exception.SkipInstanceRecoveryException) as info:
        run_instance_flow(ctx, nova, server)
    assert 'no automatic recovery for this VNF' in str(info.value)
    assert nova.changes_for(server.id) == []


# covers: R1.3.30
def test_ordinary_instance_is_recovered_without_a_gate(env, ctx,
                                                       masakari_conf):
    server = Server(_id('uuid'), FAILED_HOST, metadata=HA)
    nova = RecordingNova([server])
    masakari_conf.set_override('transport_url',
                               'rabbit://guest:guest@127.0.0.1:1/',
                               group='nfvsm')
    try:
        run_instance_flow(ctx, nova, server)  # no gate would be reachable
    finally:
        masakari_conf.set_override('transport_url', env[0].transport_url,
                                   group='nfvsm')
    assert nova.changes_for(server.id) == ['stop_server', 'start_server']


# covers: R1.3.30
def test_unreachable_gateway_vetoes_vnf_recovery(env, ctx, masakari_conf):
    from masakari import exception
    _, _, admin = env
    server = vnf_server(admin, _id('vnf-ok'))
    nova = RecordingNova([server])
    masakari_conf.set_override('transport_url',
                               'rabbit://guest:guest@127.0.0.1:1/',
                               group='nfvsm')
    masakari_conf.set_override('gate_timeout', 3.0, group='nfvsm')
    try:
        with pytest.raises(exception.SkipInstanceRecoveryException) as info:
            run_instance_flow(ctx, nova, server)
    finally:
        masakari_conf.set_override('transport_url', env[0].transport_url,
                                   group='nfvsm')
        masakari_conf.set_override('gate_timeout', 20.0, group='nfvsm')
    assert 'unreachable' in str(info.value).lower()
    assert nova.changes_for(server.id) == []


# covers: R2.1.270, R2.1.280/290, R2.1.320/330
def test_host_failure_auto_flow_leaves_quarantined_instances(env, ctx):
    _, sm, admin = env
    bad = vnf_server(admin, _id('vnf-q'))
    good = vnf_server(admin, _id('vnf-ok'))
    plain = Server(_id('uuid'), FAILED_HOST, metadata=HA)
    quarantine(sm, admin, 'terminate', '--vnf', bad.metadata['nfvsm_vnf_id'])
    nova = RecordingNova([bad, good, plain])
    run_host_flow(ctx, nova)
    assert 'evacuate_instance' not in nova.changes_for(bad.id)
    assert nova.servers[bad.id].host == FAILED_HOST
    for server in (good, plain):
        assert 'evacuate_instance' in nova.changes_for(server.id)
        assert nova.servers[server.id].host == nova.auto_target


# covers: R2.1.320/330, R2.1.280/290
def test_host_failure_reserved_hosts_skip_a_quarantined_host(env, ctx):
    _, sm, admin = env
    quarantined_host = _id('reserved-q')
    good_host = _id('reserved-ok')
    quarantine(sm, admin, 'stop-host', '--host', quarantined_host,
               '--action', 'migrate', '--quarantine')
    bad = vnf_server(admin, _id('vnf-q'))
    good = vnf_server(admin, _id('vnf-ok'))
    quarantine(sm, admin, 'terminate', '--vnf', bad.metadata['nfvsm_vnf_id'])
    nova = RecordingNova([bad, good])
    run_host_flow(ctx, nova, reserved_hosts=[quarantined_host, good_host])
    evacuations = [c for c in nova.calls if c[0] == 'evacuate_instance']
    assert evacuations == [('evacuate_instance', good.id, good_host)]
    enabled = [c[1] for c in nova.calls
               if c[0] == 'enable_disable_service' and c[2]]
    assert quarantined_host not in enabled
    assert nova.servers[bad.id].host == FAILED_HOST


# covers: R2.1.270, R2.1.280/290
def test_host_failure_with_only_quarantined_instances_is_skipped(env, ctx):
    from masakari import exception
    _, sm, admin = env
    bad = vnf_server(admin, _id('vnf-q'))
    quarantine(sm, admin, 'terminate', '--vnf', bad.metadata['nfvsm_vnf_id'])
    nova = RecordingNova([bad])
    with pytest.raises(exception.SkipHostRecoveryException):
        run_host_flow(ctx, nova)
    assert nova.changes_for(bad.id) == []
