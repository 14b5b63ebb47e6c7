"""nfvsm._nfvsm errors: the exception hierarchy, bad input, and what an
unreachable gateway gives (a fail-closed DENY for gates, GatewayUnavailable
for admin calls). No gateway is needed here, only (for the last tests) a
port on which nothing listens."""

import socket

import pytest

import nfvsm


def _closed_port_url():
    # Bind then close: nothing listens on the port afterwards.
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    return 'rabbit://guest:guest@127.0.0.1:%d/' % port


# covers: R1.3.30
def test_hierarchy_and_attributes():
    for cls, code in [(nfvsm.InvalidRequest, 'invalid_argument'),
                      (nfvsm.NotFound, 'not_found'),
                      (nfvsm.AlreadyExists, 'already_exists'),
                      (nfvsm.PermissionDenied, 'permission_denied'),
                      (nfvsm.FailedPrecondition, 'failed_precondition'),
                      (nfvsm.GatewayUnavailable, 'unavailable'),
                      (nfvsm.GateDenied, 'permission_denied')]:
        assert issubclass(cls, nfvsm.NfvsmError)
        assert cls.__module__ == 'nfvsm'
        e = cls('why it failed')
        assert str(e) == 'why it failed'
        assert e.reason == 'why it failed'
        assert e.code == code
    assert issubclass(nfvsm.NfvsmError, Exception)
    e = nfvsm.NfvsmError('x', code='internal')
    assert (e.code, e.reason) == ('internal', 'x')
    assert nfvsm.GateDenied('no', decision=42).decision == 42


@pytest.mark.parametrize('url', [
    'http://127.0.0.1:5672/',          # not an AMQP scheme
    'rabbit://h:99999/',               # port out of range
    'rabbit://h/?heartbeat=10',        # not an oslo option
    'rabbit://u:p@h:12ab/',            # port not a number
])
# covers: R1.3.30
def test_bad_transport_url_is_invalid_request(url):
    with pytest.raises(nfvsm.InvalidRequest) as gate_error:
        nfvsm.GateClient(url)
    assert gate_error.value.code == 'invalid_argument'
    assert gate_error.value.reason.startswith('transport_url: ')
    with pytest.raises(nfvsm.InvalidRequest):
        nfvsm.AdminClient(url, actor='tester')


# covers: R1.3.30
def test_password_never_in_error_text():
    with pytest.raises(nfvsm.InvalidRequest) as e:
        nfvsm.GateClient('rabbit://user:s3cr3t-pw@host:notaport/')
    assert 's3cr3t-pw' not in str(e.value)


@pytest.mark.parametrize('kwargs', [
    {'timeout': 0},
    {'timeout': -1.0},
    {'timeout': float('nan')},
])
# covers: R1.3.30
def test_bad_client_options(kwargs):
    with pytest.raises(nfvsm.InvalidRequest):
        nfvsm.GateClient('rabbit://127.0.0.1/', **kwargs)
    with pytest.raises(nfvsm.InvalidRequest):
        nfvsm.AdminClient('rabbit://127.0.0.1/', actor='t', **kwargs)


# covers: R1.3.260
def test_admin_client_needs_an_actor():
    with pytest.raises(nfvsm.InvalidRequest):
        nfvsm.AdminClient('rabbit://127.0.0.1/', actor='')


@pytest.mark.parametrize('call', [
    lambda g: g.check_operation('reboot', 'vnf-1'),
    lambda g: g.check_operation('instantiate', 'vnf-1', source='nobody'),
    lambda g: g.check_operation('instantiate', ''),
    lambda g: g.check_operation('instantiate', 'vnf-1', timeout=0),
    lambda g: g.check_placement('vnf-1', ''),
    lambda g: g.check_recovery('', 'host-1'),
])
# covers: R1.3.30
def test_bad_gate_input_is_invalid_request_before_any_io(call):
    # The URL points nowhere: InvalidRequest must come before connecting.
    gate = nfvsm.GateClient(_closed_port_url(), timeout=5)
    with pytest.raises(nfvsm.InvalidRequest):
        call(gate)


@pytest.mark.parametrize('call', [
    lambda a: a.put_domain('d', kind='galaxy'),
    lambda a: a.put_binding('sm', 'd', mode='semi-active'),
    lambda a: a.put_binding('sm', 'd', mode='passive',
                            allowed_instructions=['reboot']),
    lambda a: a.put_binding('sm', 'd', mode='passive',
                            hidden_events=['explode']),
    lambda a: a.put_binding('sm', 'd', mode='passive', fail_mode='maybe'),
    lambda a: a.put_binding('sm', 'd', mode='passive', gate_deadline=-1),
    lambda a: a.put_vnf('v', domain='d', state='sleeping'),
    lambda a: a.release_quarantine('planet', 'x', reason='r'),
    lambda a: a.vnf_history('v', since=float('inf')),
])
# covers: R1.3.260
def test_bad_admin_input_is_invalid_request_before_any_io(call):
    admin = nfvsm.AdminClient(_closed_port_url(), actor='tester', timeout=5)
    with pytest.raises(nfvsm.InvalidRequest):
        call(admin)


# covers: R1.3.30
def test_unreachable_gateway_gate_fails_closed():
    gate = nfvsm.GateClient(_closed_port_url(), timeout=5)
    decision = gate.check_operation('instantiate', 'vnf-1', domain='d')
    assert not decision.allowed
    assert decision.verdict == 'deny'
    assert 'unreachable' in decision.error
    assert not decision.failed_open
    assert decision.policy is None
    assert decision.reason_text() == decision.error
    with pytest.raises(nfvsm.GateDenied) as denied:
        decision.raise_if_denied()
    assert denied.value.decision is decision
    assert str(denied.value) == decision.error
    for d in (gate.check_recovery('vnf-1', 'host-1'),
              gate.check_placement('vnf-1', 'host-1')):
        assert not d.allowed and d.error


# covers: R1.3.30
def test_unreachable_gateway_fail_open_allows_with_error():
    gate = nfvsm.GateClient(_closed_port_url(), timeout=5, fail_open=True)
    decision = gate.check_operation('heal', 'vnf-1', domain='d')
    assert decision.allowed and decision.failed_open
    assert 'unreachable' in decision.error
    decision.raise_if_denied()  # allowed: does not raise


# covers: R1.3.260
def test_unreachable_gateway_admin_raises_gateway_unavailable():
    admin = nfvsm.AdminClient(_closed_port_url(), actor='tester', timeout=5)
    with pytest.raises(nfvsm.GatewayUnavailable) as e:
        admin.list_domains()
    assert e.value.code == 'unavailable'


# covers: R1.3.30
def test_closed_clients_refuse_calls():
    gate = nfvsm.GateClient(_closed_port_url(), timeout=5)
    with gate:
        pass
    with pytest.raises(nfvsm.InvalidRequest):
        gate.check_operation('instantiate', 'vnf-1')
    admin = nfvsm.AdminClient(_closed_port_url(), actor='t', timeout=5)
    admin.close()
    with pytest.raises(nfvsm.InvalidRequest):
        admin.list_sms()
