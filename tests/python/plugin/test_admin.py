"""AdminClient round trips through the real nfvsm-gateway, and the
exceptions of the gateway's refusals."""

import time

import pytest

import nfvsm
import nfvsm_testlib


# covers: R1.1.10, R1.1.40, R2.1.100, R1.3.260
def test_domain_round_trip(nfvsm_gateway):
    admin = nfvsm_gateway.admin()
    admin.put_domain('sec-ops', kind='security', description='SOC')
    admin.put_domain('tenant-a', sensitive=True, trusts=('sec-ops',),
                     description='tenant A')
    domains = {d['id']: d for d in admin.list_domains()}
    assert domains['tenant-a'] == {
        'id': 'tenant-a', 'kind': 'vnf', 'sensitive': True,
        'trusts': ['sec-ops'], 'description': 'tenant A'}
    assert domains['sec-ops']['kind'] == 'security'
    admin.remove_domain('tenant-a')
    assert 'tenant-a' not in {d['id'] for d in admin.list_domains()}


# covers: R2.1.50, R2.1.110, R2.1.120, R2.1.200, R1.3.30
def test_sm_and_binding_round_trip(tmp_path, nfvsm_gateway):
    admin = nfvsm_gateway.admin()
    admin.put_domain('sec-ops', kind='security')
    admin.put_domain('tenant-a')
    with nfvsm_testlib.ReferenceSm(tmp_path, nfvsm_gateway, 'sm-admin', None,
                                   home_domain='sec-ops') as sm:
        assert sm.channel_file.startswith(nfvsm_gateway.state_dir)
        sms = {s['id']: s for s in admin.list_sms()}
        assert sms[sm.id]['home_domain'] == 'sec-ops'
        assert sms[sm.id]['master'] is None
        assert 'BEGIN PUBLIC KEY' in sms[sm.id]['public_key_pem']

        admin.put_binding(sm.id, 'tenant-a', mode='semi_active',
                          allowed_instructions=['status_query',
                                                'history_query'],
                          hidden_events=['modify'], gate_deadline=5.5,
                          semi_active_window=0.25, fail_mode='open')
        bindings = [b for b in admin.list_bindings() if b['sm'] == sm.id]
        assert bindings == [{
            'sm': sm.id, 'domain': 'tenant-a', 'mode': 'semi_active',
            'allowed_instructions': ['status_query', 'history_query'],
            'hidden_events': ['modify'], 'gate_deadline': 5.5,
            'semi_active_window': 0.25, 'fail_mode': 'open'}]
        # Default: every instruction kind.
        admin.put_binding(sm.id, 'tenant-a', mode='fully_active')
        (binding,) = [b for b in admin.list_bindings() if b['sm'] == sm.id]
        assert len(binding['allowed_instructions']) == 8
        assert binding['gate_deadline'] == 30.0

        # Refusals as precise exceptions, with the gateway's reason.
        with pytest.raises(nfvsm.FailedPrecondition) as bound:
            admin.remove_domain('tenant-a')
        assert 'tenant-a' in bound.value.reason
        assert bound.value.code == 'failed_precondition'
        admin.remove_binding(sm.id, 'tenant-a')
        with pytest.raises(nfvsm.NotFound):
            admin.remove_binding(sm.id, 'tenant-a')
        admin.remove_sm(sm.id)
        assert sm.id not in {s['id'] for s in admin.list_sms()}
        with pytest.raises(nfvsm.NotFound):
            admin.remove_sm(sm.id)


# covers: R1.3.260
def test_gateway_refusals_map_to_exceptions(nfvsm_gateway):
    admin = nfvsm_gateway.admin()
    with pytest.raises(nfvsm.NotFound) as missing:
        admin.remove_domain('no-such-domain')
    assert 'no-such-domain' in str(missing.value)
    with pytest.raises(nfvsm.NotFound):
        admin.vnf_status('no-such-vnf')
    # Reached the gateway, which refused the input (not a client check).
    with pytest.raises(nfvsm.InvalidRequest):
        admin.put_sm('sm-x', public_key_pem='not a key',
                     home_domain='no-such-domain')
    with pytest.raises(nfvsm.NfvsmError):
        admin.put_vnf('vnf-1', domain='no-such-domain')


# covers: R2.1.210, R2.1.350, R2.1.360, R1.3.260, R1.3.270
def test_vnf_status_history_and_audit(nfvsm_gateway):
    admin = nfvsm_gateway.admin(actor='operator-7')
    admin.put_domain('tenant-a')
    before = time.time()
    admin.put_vnf('vnf-1', domain='tenant-a', image_id='img-1',
                  vnfd_id='vnfd-1', package_id='pkg-1', host='compute-1',
                  zone='zone-a', needs_security_policy=True, state='active',
                  requestor_id='oss-17', ns_id='ns-1')
    status = admin.vnf_status('vnf-1')
    expected = {'id': 'vnf-1', 'domain': 'tenant-a', 'image_id': 'img-1',
                'vnfd_id': 'vnfd-1', 'package_id': 'pkg-1',
                'host': 'compute-1', 'zone': 'zone-a',
                'needs_security_policy': True, 'state': 'active',
                'requestor_id': 'oss-17', 'ns_id': 'ns-1'}
    assert {k: status[k] for k in expected} == expected
    assert isinstance(status['updated_at'], float)
    assert admin.vnf_history('vnf-1') == []
    assert admin.vnf_history('vnf-1', since=before, until=time.time()) == []

    reports = admin.audit_verify()
    assert reports and all(r['ok'] for r in reports), reports
    assert reports[0]['fault'] == 'none'
    mano = admin.audit_verify('mano')
    assert [r['partition'] for r in mano] == ['mano']
    records = admin.audit_export(['mano'])
    assert records and all(r['partition'] == 'mano' for r in records)
    assert [r['seq'] for r in records] == list(range(1, len(records) + 1))
    assert any(r['actor'] == 'operator-7' for r in records)
    assert all(len(r['hash']) == 64 and len(r['mac']) == 64 for r in records)


# covers: IFA026 4, IFA026 4-recovery, R2.1.270
def test_quarantine_veto_list_and_release(tmp_path, nfvsm_gateway):
    admin = nfvsm_gateway.admin()
    admin.put_domain('sec-ops', kind='security')
    admin.put_domain('tenant-a')
    admin.put_vnf('vnf-q', domain='tenant-a', host='compute-1',
                  state='active')
    assert admin.list_quarantine() == []
    with pytest.raises(nfvsm.NotFound):
        admin.release_quarantine('vnf_instance', 'vnf-q', reason='early')
    # No serve: `send` reads its own answer (docs/sm.md).
    with nfvsm_testlib.ReferenceSm(
            tmp_path, nfvsm_gateway, 'sm-q', None, home_domain='sec-ops',
            bindings=[{'domain': 'tenant-a', 'mode': 'fully_active'}]) as sm:
        code, out, err = sm.send('terminate', '--vnf', 'vnf-q')
        assert code == 0, out + err
        (entry,) = [q for q in admin.list_quarantine()
                    if q['target_id'] == 'vnf-q']
        assert entry['target'] == 'vnf_instance'
        assert entry['by_sm'] == sm.id and entry['domain'] == 'tenant-a'
        assert entry['terminated'] and not entry['recovery_allowed']

        # Vetoed at once, without asking the (silent) SM.
        decision = nfvsm_gateway.gate().check_recovery('vnf-q', 'compute-2')
        assert not decision.allowed and not decision.timed_out
        assert decision.error == ''

        # Only the SM may lift it while it is bound.
        with pytest.raises(nfvsm.PermissionDenied) as refused:
            admin.release_quarantine('vnf_instance', 'vnf-q',
                                     reason='operator')
        assert refused.value.code == 'permission_denied'
        admin.remove_binding(sm.id, 'tenant-a')
        admin.release_quarantine('vnf_instance', 'vnf-q',
                                 reason='SM retired; cleared by operator')
        assert [q for q in admin.list_quarantine()
                if q['target_id'] == 'vnf-q'] == []
