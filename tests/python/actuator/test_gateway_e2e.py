"""End to end: a Security Manager's terminate instruction, accepted by the
real nfvsm-gateway with ``[actuator] driver = bus``, carried out by the
real ``nfvsm-actuator`` process (python3 -m nfvsm.actuator.service) in the
cloud. The cloud is the STUB of openstack_stub.py (OpenStack cannot run
here); everything between the SM and the HTTP calls is real: the
reference SM (nfvsm-sm send), the gateway, BusActuator, the private
RabbitMQ node, kombu, protobuf, openstacksdk/keystoneauth."""

import os
import subprocess
import sys
import uuid


import nfvsm_testlib

import actuator_config


def _actuator_process(tmp_path, conf_path):
    """Starts the real service; returns it once it consumes its queue."""
    log = tmp_path / 'actuator.log'
    with open(log, 'w') as out:
        process = subprocess.Popen(
            [sys.executable, '-m', 'nfvsm.actuator.service',
             '--config-file', str(conf_path)],
            stdout=out, stderr=subprocess.STDOUT, env=dict(os.environ))
    ready = nfvsm_testlib.wait_for(
        lambda: 'nfvsm-actuator ready' in log.read_text()
        or process.poll() is not None, timeout=60)
    if not ready or process.poll() is not None:
        process.kill()
        raise AssertionError('nfvsm-actuator did not start:\n'
                             + log.read_text())
    return process


def _gateway(tmp_path, broker, queue, timeout_seconds):
    return nfvsm_testlib.Gateway(
        tmp_path, broker,
        extra_config={'actuator': {'driver': 'bus', 'queue': queue,
                                   'timeout_seconds': str(timeout_seconds)}})


def _setup_vnf(gateway, vnf_id):
    admin = gateway.admin()
    admin.put_domain('sec-ops', kind='security')
    admin.put_domain('tenant-a')
    admin.put_vnf(vnf_id, domain='tenant-a', host='compute-1',
                  image_id='img-1', state='active')


# covers: R2.1.270, R2.1.280/290, R2.1.260
def test_sm_terminate_ends_in_nova_delete(tmp_path, nfvsm_broker, stub):
    queue = 'nfvsm.actuator.e2e.%s' % uuid.uuid4().hex[:12]
    stub.servers['srv-e2e'] = 'ACTIVE'
    conf_path = actuator_config.write_config(
        tmp_path / 'nfvsm-actuator.conf', nfvsm_broker.transport_url,
        stub.auth_url, 'queue = %s\n' % queue)
    actuator = _actuator_process(tmp_path, conf_path)
    try:
        with _gateway(tmp_path, nfvsm_broker, queue, 60) as gateway:
            _setup_vnf(gateway, 'srv-e2e')
            with nfvsm_testlib.ReferenceSm(
                    tmp_path, gateway, 'sm-act', None,
                    home_domain='sec-ops',
                    bindings=[{'domain': 'tenant-a',
                               'mode': 'fully_active'}]) as sm:
                code, out, err = sm.send('--reason', 'compromised',
                                         'terminate', '--vnf', 'srv-e2e',
                                         '--flags', 'quarantine-copy')
                assert code == 0, out + err
    finally:
        actuator.terminate()
        actuator.wait(30)
    calls = [(c.method, c.path, c.body and next(iter(c.body)))
             for c in stub.api_calls('/compute/')]
    # Quarantined copy first (lock, snapshot, pause), then the delete.
    assert calls == [
        ('POST', '/compute/v2.1/servers/srv-e2e/action', 'lock'),
        ('POST', '/compute/v2.1/servers/srv-e2e/action', 'createImage'),
        ('POST', '/compute/v2.1/servers/srv-e2e/action', 'pause'),
        ('DELETE', '/compute/v2.1/servers/srv-e2e', None),
    ], calls
    assert 'srv-e2e' not in stub.servers
    assert actuator.returncode == 0


# covers: R1.3.30, R2.1.270
def test_without_the_actuator_service_the_step_fails(tmp_path, nfvsm_broker,
                                                     stub):
    queue = 'nfvsm.actuator.absent.%s' % uuid.uuid4().hex[:12]
    stub.servers['srv-e2e'] = 'ACTIVE'
    with _gateway(tmp_path, nfvsm_broker, queue, 3) as gateway:
        _setup_vnf(gateway, 'srv-e2e')
        with nfvsm_testlib.ReferenceSm(
                tmp_path, gateway, 'sm-act', None, home_domain='sec-ops',
                bindings=[{'domain': 'tenant-a',
                           'mode': 'fully_active'}]) as sm:
            code, out, err = sm.send('--reason', 'compromised', 'terminate',
                                     '--vnf', 'srv-e2e')
            # Not reported done: nothing carried it out.
            assert code != 0, out + err
            assert 'unavailable' in (out + err).lower(), out + err
    assert stub.calls == []
    assert stub.servers == {'srv-e2e': 'ACTIVE'}


