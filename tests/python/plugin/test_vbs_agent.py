"""nfvsm.vbs_bootstrap: the agent's side of the VBS handshake through the
extension, against the real nfvsm-vbs daemon on loopback (set up as
scripts/lib/vbs_demo.sh does), with a software HMEE made by the real
nfvsm-vbs-agent --init-hmee."""

import hashlib
import json
import os
import socket
import subprocess
import time

import pytest

import nfvsm
from nfvsm_testlib import programs

pytestmark = pytest.mark.skipif(not nfvsm.HAVE_VBS_AGENT,
                                reason='built without the VBS programs')


def _sha(text):
    return hashlib.sha256(text.encode()).hexdigest()


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


@pytest.fixture
def vbs(tmp_path):
    """(address, vbs public key hex, work dir) of a running nfvsm-vbs."""
    try:
        daemon_bin, agent_bin = programs.vbs(), programs.vbs_agent()
    except programs.ProgramMissing as e:
        pytest.skip(str(e))
    port = _free_port()
    address = 'http://127.0.0.1:%d' % port
    run = dict(cwd=tmp_path, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
               text=True, timeout=60, check=True, env=programs.child_env())
    vbs_key = subprocess.run([daemon_bin, '--init', 'keys'],
                             **run).stdout.strip()
    hmee_key = subprocess.run(
        [agent_bin, '--init-hmee', 'hmee', '--platform-id', 'compute-1',
         '--vbs-public-key', vbs_key, '--vbs-address', address],
        **run).stdout.strip()
    (tmp_path / 'inventory.json').write_text(json.dumps({
        'platforms': [{'platform_id': 'compute-1',
                       'hmee_public_key': hmee_key}],
        'vnfs': [{'vnf_id': 'vnf-1', 'domain': 'tenant-a',
                  'platform_id': 'compute-1', 'image_id': 'image-v1',
                  'image_sha256': _sha('image-v1'), 'vnfd_id': 'vnfd-v1',
                  'vnfd_sha256': _sha('vnfd-v1'),
                  'vnfm_address': 'https://tacker:9890',
                  'em_address': 'https://em:8080'}],
        'boot_policies': {'tenant-a': {
            'version': 1, 'boot': {'image_whitelist': ['image-v1']}}}}))
    (tmp_path / 'vbs.conf').write_text(
        '[vbs]\naddress = %s\nsigning_key_file = keys/vbs.key\n'
        'ca_certificate_file = keys/ca.crt\nca_key_file = keys/ca.key\n'
        'inventory_file = inventory.json\nstore_path = vbs.sqlite\n'
        'audit_hmac_key_file = keys/audit-hmac.key\nstate_file = vbs.state\n'
        'trust_domain = nfvsm.test\nlog_level = warn\n'
        '[endpoint]\nbind = 127.0.0.1\nport = %d\n' % (address, port))
    with open(tmp_path / 'vbs.log', 'wb') as log:
        daemon = subprocess.Popen([daemon_bin, '--config-file', 'vbs.conf'],
                                  cwd=tmp_path, stdout=log,
                                  stderr=subprocess.STDOUT,
                                  env=programs.child_env())
    try:
        end = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(('127.0.0.1', port), 1).close()
                break
            except OSError:
                assert daemon.poll() is None, \
                    (tmp_path / 'vbs.log').read_text()
                assert time.monotonic() < end, 'nfvsm-vbs not listening'
                time.sleep(0.1)
        yield address, vbs_key, tmp_path
    finally:
        daemon.terminate()
        daemon.wait(30)


def _params(address, vbs_key, image):
    return json.dumps({
        'vbs_public_key': vbs_key, 'vbs_address': address, 'vnf_id': 'vnf-1',
        'platform_id': 'compute-1', 'image_sha256': _sha(image),
        'vnfd_sha256': _sha('vnfd-v1')})


# covers: R1.3.160, SEC024 5.1.2/5.4
def test_bootstrap_writes_a_credential(vbs):
    address, vbs_key, work = vbs
    out_dir = work / 'vnf-1'
    result = nfvsm.vbs_bootstrap(
        _params(address, vbs_key, 'image-v1'),
        hmee_key_file=str(work / 'hmee' / 'hmee.key'),
        hmee_provisioning_file=str(work / 'hmee' / 'provisioning.json'),
        out_dir=str(out_dir))
    assert result['vnf_id'] == 'vnf-1'
    assert result['vnfm_address'] == 'https://tacker:9890'
    assert result['not_after'] > time.time()
    for name in ('vnf.key', 'vnf.crt', 'ca.crt'):
        assert os.stat(out_dir / name).st_mode & 0o777 == 0o600
    verify = subprocess.run(
        ['openssl', 'verify', '-CAfile', str(work / 'keys' / 'ca.crt'),
         str(out_dir / 'vnf.crt')], stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, text=True, env=programs.child_env())
    assert verify.returncode == 0, verify.stdout


# covers: R1.3.160
def test_bootstrap_of_another_image_is_refused(vbs):
    address, vbs_key, work = vbs
    with pytest.raises(nfvsm.NfvsmError) as refused:
        nfvsm.vbs_bootstrap(
            _params(address, vbs_key, 'image-tampered'),
            hmee_key_file=str(work / 'hmee' / 'hmee.key'),
            hmee_provisioning_file=str(work / 'hmee' / 'provisioning.json'),
            out_dir=str(work / 'tampered'))
    assert refused.value.reason
    assert not os.path.exists(work / 'tampered' / 'vnf.crt')


# covers: R1.3.160
def test_bootstrap_bad_input_is_invalid_request(tmp_path):
    with pytest.raises(nfvsm.InvalidRequest):
        nfvsm.vbs_bootstrap('{"vnf_id": 1}', hmee_key_file='k',
                            hmee_provisioning_file='p', out_dir=str(tmp_path))
