"""nfvsm's Heat lifecycle plugin, driven by Heat's own code.

Heat (Debian python3-heat) loads the plugin through its entry point and
its ``lifecycle_plugin_utils.do_pre_ops`` / ``do_post_ops`` are called on
real ``heat.engine.stack.Stack`` objects, exactly as Stack.stack_task,
update_task and delete call them. The gate decisions come from a real
nfvsm-gateway and a real Fully-Active reference SM (nfvsm-sm) on the test
RabbitMQ node. Nothing is stubbed: no OpenStack service is called by these
code paths (the stacks have no resources).
"""

import json
import logging
import subprocess
import sys
import uuid

import pytest

import nfvsm_testlib

DOMAIN = 'blue'
# Heat's own modules raise thousands of DeprecationWarnings on import.
pytestmark = pytest.mark.filterwarnings('ignore::DeprecationWarning')

SM_DEADLINE = 3.0  # the binding's gate deadline: silence -> deny after it
HOOK_TIMEOUT = 20.0  # [nfvsm] gate_timeout, longer than the deadline

RULES = {
    'rules': [
        {'match': {'vnf_id': 'vnf-denied-*'}, 'verdict': 'deny',
         'reason': 'image not on the approved list'},
        {'match': {'vnf_id': 'vnf-silent-*'}, 'silent': True},
        {'match': {'domain': DOMAIN}, 'verdict': 'allow',
         'reason': 'approved by the blue SM'},
    ],
    'default': 'deny',
}


def _vnf(stem):
    return '%s-%s' % (stem, uuid.uuid4().hex[:8])


@pytest.fixture(scope='module')
def env(tmp_path_factory, nfvsm_broker, heat_conf):
    """One gateway + one Fully-Active SM for the module; the hook points
    at the gateway through [nfvsm] like heat.conf would."""
    tmp = tmp_path_factory.mktemp('heat')
    with nfvsm_testlib.Gateway(tmp, nfvsm_broker) as gw:
        admin = gw.admin(actor='heat-test')
        admin.put_domain(DOMAIN, kind='vnf')
        with nfvsm_testlib.ReferenceSm(
                tmp, gw, 'sm-blue', RULES,
                bindings=[{'domain': DOMAIN, 'mode': 'fully_active',
                           'gate_deadline': SM_DEADLINE}]) as sm:
            heat_conf.set_override('transport_url', gw.transport_url,
                                   group='nfvsm')
            heat_conf.set_override('gate_timeout', HOOK_TIMEOUT,
                                   group='nfvsm')
            yield gw, sm, admin
            heat_conf.clear_override('transport_url', group='nfvsm')
            heat_conf.clear_override('gate_timeout', group='nfvsm')


@pytest.fixture
def ctx(heat_conf):
    from heat.common import context
    return context.RequestContext.from_dict({
        'tenant_id': 'project-a', 'username': 'alice', 'user_id': 'user-a',
        'auth_token': 'token', 'roles': [], 'is_admin': False})


def make_stack(ctx, name, tags=None, params=None, stack_id=None):
    """A real Heat Stack (no resources, so Heat calls no other service)."""
    from heat.engine import environment
    from heat.engine import stack as heat_stack
    from heat.engine import template
    tmpl = {'heat_template_version': '2021-04-16', 'resources': {},
            'parameters': {k: {'type': 'string'} for k in (params or {})}}
    t = template.Template(tmpl, env=environment.Environment(params or {}))
    # tags=None would make Heat read them from its database.
    return heat_stack.Stack(ctx, name, t, tags=list(tags or []),
                            stack_id=stack_id or str(uuid.uuid4()))


def vnf_tags(vnf_id, domain=DOMAIN):
    return ['nfvsm-vnf=' + vnf_id, 'nfvsm-domain=' + domain, 'other=tag']


def gate_requests_seen(sm, vnf_id):
    """Gate requests about ``vnf_id`` the SM received (its events log)."""
    seen = []
    for e in sm.events():
        if e.get('event') != 'received' or 'Gate' not in e.get('type', ''):
            continue
        payload = e.get('payload') or {}
        if vnf_id in (payload.get('vnfId'), payload.get('vnf_id')):
            seen.append(payload)
    return seen


def pre_ops(ctx, stack, action, current_stack=None):
    from heat.common import lifecycle_plugin_utils
    lifecycle_plugin_utils.do_pre_ops(ctx, stack, current_stack, action)


def refused(ctx, stack, action, current_stack=None):
    """The message Heat would store as the stack's status reason."""
    with pytest.raises(Exception) as info:
        pre_ops(ctx, stack, action, current_stack)
    # heat.engine.stack: state_set(action, FAILED, e.args[0]).
    return info.value.args[0]


# covers: R2.1.40, R1.3.30
def test_plugin_is_registered_through_the_entry_point(heat_plugins):
    from nfvsm.heat import lifecycle
    names = [type(p).__name__ for p in heat_plugins]
    assert 'NfvsmLifecyclePlugin' in names
    plugin = [p for p in heat_plugins
              if isinstance(p, lifecycle.NfvsmLifecyclePlugin)][0]
    assert plugin.get_ordinal() < 100  # before plugins of default order


# covers: R2.1.40, R2.1.180, R2.1.190, R2.1.210
def test_instantiation_allowed_by_fully_active_sm_passes(env, ctx):
    gw, sm, _ = env
    vnf_id = _vnf('vnf-ok')
    stack = make_stack(ctx, 'vnf-ok-stack', vnf_tags(vnf_id))
    pre_ops(ctx, stack, 'CREATE')
    requests = nfvsm_testlib.wait_for(lambda: gate_requests_seen(sm, vnf_id),
                                      timeout=10)
    assert requests, sm.output()
    text = json.dumps(requests[0])
    assert 'INSTANTIATE' in text
    assert DOMAIN in text
    assert 'vnf-ok-stack' in text  # the reason names the stack
    assert 'user-a' in text


# covers: R2.1.40, R2.1.190
def test_instantiation_denied_by_sm_raises_with_its_reason(env, ctx):
    vnf_id = _vnf('vnf-denied')
    stack = make_stack(ctx, 'denied-stack', vnf_tags(vnf_id))
    message = refused(ctx, stack, 'CREATE')
    assert 'image not on the approved list' in message
    assert vnf_id in message
    assert 'denied-stack' in message


# covers: R2.1.40, R1.3.30
def test_instantiation_no_sm_answers_is_denied_at_deadline(env, ctx):
    _, sm, _ = env
    vnf_id = _vnf('vnf-silent')
    stack = make_stack(ctx, 'silent-stack', vnf_tags(vnf_id))
    message = refused(ctx, stack, 'CREATE')
    assert vnf_id in message
    assert 'nfvsm denied CREATE' in message
    # The SM got the request and stayed silent: the deadline decided.
    assert any(e.get('event') == 'gate_silent' for e in sm.events())


# covers: R1.3.30
def test_unreachable_gateway_fails_closed_and_open_when_configured(
        env, ctx, heat_conf):
    vnf_id = _vnf('vnf-ok')
    stack = make_stack(ctx, 'unreachable-stack', vnf_tags(vnf_id))
    heat_conf.set_override('transport_url',
                           'rabbit://guest:guest@127.0.0.1:1/',
                           group='nfvsm')
    heat_conf.set_override('gate_timeout', 3.0, group='nfvsm')
    try:
        message = refused(ctx, stack, 'CREATE')
        assert vnf_id in message
        assert 'unreachable' in message.lower()
        heat_conf.set_override('fail_mode', 'open', group='nfvsm')
        pre_ops(ctx, stack, 'CREATE')  # allowed without a decision
    finally:
        heat_conf.set_override('transport_url', env[0].transport_url,
                               group='nfvsm')
        heat_conf.set_override('gate_timeout', HOOK_TIMEOUT, group='nfvsm')
        heat_conf.clear_override('fail_mode', group='nfvsm')


# covers: R1.3.30
def test_stack_without_vnf_marks_is_not_gated(env, ctx, heat_conf):
    stack = make_stack(ctx, 'plain-stack', ['team=web'])
    heat_conf.set_override('transport_url',
                           'rabbit://guest:guest@127.0.0.1:1/',
                           group='nfvsm')
    try:
        pre_ops(ctx, stack, 'CREATE')  # no gate: would be refused if asked
    finally:
        heat_conf.set_override('transport_url', env[0].transport_url,
                               group='nfvsm')


# covers: R1.3.30
@pytest.mark.parametrize('tags, expected', [
    (['nfvsm-vnf=', 'nfvsm-domain=blue'], 'has no value'),
    (['nfvsm-vnf=a', 'nfvsm-vnf=b', 'nfvsm-domain=blue'],
     '2 different VNF tags'),
])
def test_unusable_vnf_marks_are_refused_not_ignored(env, ctx, tags,
                                                    expected):
    stack = make_stack(ctx, 'badly-marked', tags)
    assert expected in refused(ctx, stack, 'CREATE')


# covers: R2.1.40, R2.1.210
def test_vnf_and_domain_from_stack_parameters(env, ctx, heat_conf):
    _, sm, _ = env
    vnf_id = _vnf('vnf-denied')
    heat_conf.set_override('vnf_id_parameter', 'vnf', group='nfvsm_heat')
    heat_conf.set_override('domain_parameter', 'zone', group='nfvsm_heat')
    try:
        stack = make_stack(ctx, 'param-stack',
                           params={'vnf': vnf_id, 'zone': DOMAIN})
        assert 'image not on the approved list' in refused(
            ctx, stack, 'CREATE')
    finally:
        heat_conf.clear_override('vnf_id_parameter', group='nfvsm_heat')
        heat_conf.clear_override('domain_parameter', group='nfvsm_heat')


# covers: R2.1.40, R2.1.210, R2.1.220
def test_domain_only_stack_is_gated_under_its_stack_id(env, ctx):
    from heat.engine import stack as heat_stack
    _, sm, _ = env
    stack = make_stack(ctx, 'domain-only', ['nfvsm-domain=' + DOMAIN])
    pre_ops(ctx, stack, 'CREATE')
    # Heat builds the new stack of an UPDATE without an id
    # (EngineService._prepare_stack_updates); it is still this VNF.
    new_stack = heat_stack.Stack(ctx, 'domain-only', stack.t,
                                 tags=['nfvsm-domain=' + DOMAIN])
    assert new_stack.id is None
    pre_ops(ctx, stack, 'UPDATE', new_stack)
    operations = [json.dumps(p)
                  for p in nfvsm_testlib.wait_for(
                      lambda: len(gate_requests_seen(sm, stack.id)) >= 2
                      and gate_requests_seen(sm, stack.id), timeout=10)]
    assert len(operations) == 2, operations
    assert 'INSTANTIATE' in operations[0]
    assert 'MODIFY' in operations[1]


# covers: R2.1.270, R2.1.280/290, R2.1.40
def test_quarantined_vnf_stack_update_and_restart_are_refused(env, ctx):
    gw, sm, admin = env
    vnf_id = _vnf('vnf-q')
    admin.put_vnf(vnf_id, domain=DOMAIN, host='compute-1', state='active')
    stack = make_stack(ctx, 'q-stack', vnf_tags(vnf_id))
    new_stack = make_stack(ctx, 'q-stack', vnf_tags(vnf_id),
                           stack_id=stack.id)
    pre_ops(ctx, stack, 'UPDATE', new_stack)  # the SM allows it ...

    # ... until the SM terminates it with quarantine (R2.1.270): `send`
    # needs the SM's inbox to itself (docs/sm.md).
    sm.stop()
    try:
        code, out, err = sm.send('--reason', 'compromised', 'terminate',
                                 '--vnf', vnf_id)
        assert code == 0, out + err
    finally:
        sm.serve()
    assert nfvsm_testlib.wait_for(
        lambda: any(q['target_id'] == vnf_id
                    for q in admin.list_quarantine()), timeout=10)
    asked_before = len(gate_requests_seen(sm, vnf_id))
    assert asked_before >= 1  # the allowed UPDATE above

    for action in ('UPDATE', 'RESUME'):
        message = refused(ctx, stack, action, new_stack)
        assert 'quarantined' in message, message
        assert vnf_id in message
    # Refused by the quarantine veto itself, before any SM is asked.
    assert len(gate_requests_seen(sm, vnf_id)) == asked_before


# covers: R2.1.190, R2.1.220
def test_post_op_reports_outcome_from_stack_status(env, ctx, caplog):
    from heat.common import lifecycle_plugin_utils
    vnf_id = _vnf('vnf-ok')
    stack = make_stack(ctx, 'outcome-stack', vnf_tags(vnf_id))
    pre_ops(ctx, stack, 'CREATE')
    # Heat marks the stack, then calls post-ops with is_stack_failure
    # False whatever happened.
    stack.action, stack.status = stack.CREATE, stack.FAILED
    stack.status_reason = 'Resource CREATE failed: quota exceeded'
    with caplog.at_level(logging.INFO, logger='nfvsm.heat.lifecycle'):
        lifecycle_plugin_utils.do_post_ops(ctx, stack, None, 'CREATE', True)
    lines = [r.getMessage() for r in caplog.records
             if r.name == 'nfvsm.heat.lifecycle']
    assert any('failed' in m and vnf_id in m and 'quota exceeded' in m
               for m in lines), lines


# heat-engine runs under eventlet: a gate wait must not stall its other
# green threads. Run in a child process, which monkey-patches as
# heat-engine does, against the silent rule (the wait lasts SM_DEADLINE).
GREEN_SCRIPT = r"""
import eventlet
eventlet.monkey_patch()
import sys, time
from oslo_config import cfg
from nfvsm import hookgate
conf = cfg.ConfigOpts()
gate = hookgate.HookGate('heat-engine', conf)
conf([])
conf.set_override('transport_url', sys.argv[1], group='nfvsm')
conf.set_override('gate_timeout', 20.0, group='nfvsm')
ticks = []
def ticker():
    while True:
        ticks.append(time.monotonic())
        eventlet.sleep(0.05)
eventlet.spawn(ticker)
eventlet.sleep(0)
start = time.monotonic()
decision = gate.check_operation('instantiate', sys.argv[2], domain='blue')
waited = time.monotonic() - start
during = len([t for t in ticks if t > start + 0.5])
print('allowed=%s waited=%.1f ticks=%d' % (decision.allowed, waited, during))
"""


# covers: R1.3.30, R2.1.40
def test_gate_wait_does_not_stall_eventlet_green_threads(env):
    gw, _, _ = env
    result = subprocess.run(
        [sys.executable, '-c', GREEN_SCRIPT, gw.transport_url,
         _vnf('vnf-silent')],
        stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        timeout=120)
    assert result.returncode == 0, result.stdout
    line = result.stdout.strip().splitlines()[-1]
    fields = dict(f.split('=') for f in line.split())
    assert fields['allowed'] == 'False'  # silent SM: denied at deadline
    waited = float(fields['waited'])
    assert waited >= SM_DEADLINE - 0.5, line
    # The ticker ran all along (every 50 ms); a blocked hub gives ~0.
    assert int(fields['ticks']) >= (waited - 0.5) / 0.05 / 2, line
