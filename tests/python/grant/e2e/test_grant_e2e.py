"""The Grant endpoint end to end, as Tacker reaches it.

Tacker-shaped GrantRequests (tacker_requests.py, built from Tacker's
source) go over HTTP, the way Tacker's clients send them, to the real
``nfvsm-grant-api`` process (python3 -m nfvsm.grant.wsgi with the paste
file of etc/nfvsm), which gates them through the real nfvsm-gateway and a
real Fully-Active reference SM (nfvsm-sm serve) on the test RabbitMQ node.
Nothing is stubbed: Tacker itself cannot run here, so the tests play its
HTTP client.
"""

import json
import os
import secrets
import subprocess
import sys

import pytest
import requests

import nfvsm
from nfvsm.grant import schema
import nfvsm_testlib

import tacker_requests as tr

DOMAIN = 'grant-blue'
SEC = 'grant-sec'
CLIENT = 'tacker'
SECRET = secrets.token_urlsafe(16)
DEADLINE = 3.0
POLICY = {'version': 1,
          'placement': {'allowed_zones': ['az-1', 'az-2'],
                        'denied_hosts': ['compute-7']},
          'boot': {'vbs_required': True}}
RULES = {
    'rules': [
        {'match': {'vnfd_id': 'vnfd-denied'}, 'verdict': 'deny',
         'reason': 'VNFD not approved by the grant test SM'},
        {'match': {'vnfd_id': 'vnfd-mute'}, 'silent': True},
        {'match': {'domain': DOMAIN, 'operation': 'instantiate'},
         'verdict': 'allow', 'reason': 'approved', 'policy': POLICY},
        {'match': {'domain': DOMAIN}, 'verdict': 'allow',
         'reason': 'approved'},
    ],
    'default': 'deny',
}
VNFDS = ('vnfd-web', 'vnfd-web-2', 'vnfd-denied', 'vnfd-mute', 'vnfd-v1')


class GrantApiProcess(object):
    """nfvsm-grant-api (the development server) as a child process."""

    def __init__(self, tmpdir, transport_url, name='grant'):
        self.dir = os.path.join(str(tmpdir), name)
        os.makedirs(self.dir)
        self.config = os.path.join(self.dir, 'nfvsm.conf')
        self.log = os.path.join(self.dir, 'grant-api.log')
        here = os.path.dirname(os.path.abspath(__file__))
        paste = os.path.abspath(os.path.join(
            here, '..', '..', '..', '..', 'etc', 'nfvsm',
            'grant-api-paste.ini'))
        with open(self.config, 'w') as f:
            f.write('[DEFAULT]\ndebug = true\nlog_file = %s\n\n' % self.log)
            f.write('[nfvsm]\ntransport_url = %s\ngate_timeout = 20\n'
                    'requester = tacker-test\n\n' % transport_url)
            f.write('[nfvsm_grant]\nbind_port = 0\napi_paste_config = %s\n'
                    'clients = %s:%s\ntoken_signing_key = %s\n'
                    'vnfd_domains = %s\n'
                    % (paste, CLIENT, SECRET, secrets.token_hex(16),
                       ','.join('%s:%s' % (v, DOMAIN) for v in VNFDS)))
        self.stdio = os.path.join(self.dir, 'stdio.txt')
        with open(self.stdio, 'wb') as out:
            self.process = subprocess.Popen(
                [sys.executable, '-m', 'nfvsm.grant.wsgi', '--config-file',
                 self.config], stdout=out, stderr=subprocess.STDOUT)
        started = nfvsm_testlib.wait_for(
            lambda: 'listening on ' in self.output()
            or self.process.poll() is not None)
        if not started or self.process.poll() is not None:
            self.close()
            raise RuntimeError('nfvsm-grant-api did not start:\n'
                               + self.output())
        line = [x for x in self.output().splitlines()
                if x.startswith('listening on ')][0]
        self.url = 'http://%s' % line.split()[-1]

    def output(self):
        text = ''
        for path in (self.stdio, self.log):
            try:
                with open(path) as f:
                    text += f.read()
            except FileNotFoundError:
                pass
        return text

    def close(self):
        self.process.terminate()
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@pytest.fixture(scope='module')
def world(tmp_path_factory, nfvsm_broker):
    tmp = tmp_path_factory.mktemp('grant-e2e')
    with nfvsm_testlib.Gateway(tmp, nfvsm_broker) as gw:
        admin = gw.admin()
        admin.put_domain(SEC, kind='security')
        admin.put_domain(DOMAIN)
        with nfvsm_testlib.ReferenceSm(
                tmp, gw, 'sm-grant', RULES, home_domain=SEC,
                bindings=[{'domain': DOMAIN, 'mode': 'fully_active',
                           'gate_deadline': DEADLINE}]) as sm:
            api = GrantApiProcess(tmp, gw.transport_url)
            try:
                yield {'gw': gw, 'admin': admin, 'sm': sm, 'api': api}
            finally:
                api.close()


def _token(api_url):
    # As Tacker v2 OAuth2AuthPlugin.get_token / v1 _ClientCredentialsGrant:
    # form grant_type=client_credentials, client authenticated with Basic.
    resp = requests.post(api_url + '/token',
                         data={'grant_type': 'client_credentials'},
                         auth=(CLIENT, SECRET),
                         headers={'Accept': 'application/json'}, timeout=30)
    assert resp.status_code == 200, resp.text
    return resp.json()['access_token']


def post_v2(world, req, token=None):
    """As Tacker v2 http_client.do_request: JSON body, Version 1.4.0."""
    token = token or _token(world['api'].url)
    return requests.post(
        world['api'].url + '/grant/v1/grants', data=json.dumps(req),
        headers={'Content-Type': 'application/json',
                 'Accept': 'application/json', 'Version': '1.4.0',
                 'Authorization': 'Bearer ' + token}, timeout=60)


def post_v1(world, req):
    """As Tacker v1 nfvo_client.GrantRequest.grants with BASIC auth:
    requests' json= of GrantRequest.to_request_body(), a JSON text."""
    return requests.post(world['api'].url + '/grant/v1/grants',
                         json=json.dumps(req), auth=(CLIENT, SECRET),
                         timeout=60)


def _granted(resp, req):
    assert resp.status_code == 201, resp.text
    grant = resp.json()
    assert schema.errors(schema.GRANT, grant) == []
    assert resp.headers['Location'] == grant['_links']['self']['href']
    assert grant['vnfInstanceId'] == req['vnfInstanceId']
    assert grant['vnfLcmOpOccId'] == req['vnfLcmOpOccId']
    return grant


def _refused(resp, status):
    assert resp.status_code == status, resp.text
    assert resp.headers['Content-Type'] == 'application/problem+json'
    body = resp.json()
    assert schema.errors(schema.PROBLEM_DETAILS, body) == []
    assert body['status'] == status
    return body


def _answered_by_sm(world, gate_id):
    return any(e.get('event') == 'gate_answer' and e.get('gate_id') == gate_id
               for e in world['sm'].events())


# covers: R2.1.40, R1.2.50-80, R1.1.10
def test_tacker_v2_lifecycle_is_granted_by_the_fully_active_sm(world):
    vnf = nfvsm_testlib.unique_name('vnf-v2')
    req = tr.v2_instantiate(vnf, 'vnfd-web')
    grant = _granted(post_v2(world, req), req)
    # The SM's policy, as SOL003 can carry it.
    assert [z['zoneId'] for z in grant['zones']] == ['az-1', 'az-2']
    assert grant['additionalParams']['nfvsmPolicy']['placement'][
        'denied_hosts'] == ['compute-7']
    gate_id = grant['additionalParams']['nfvsmGateId']
    assert nfvsm_testlib.wait_for(lambda: _answered_by_sm(world, gate_id),
                                  timeout=10)
    # The first grant fed nfvsm's inventory.
    record = world['admin'].vnf_status(vnf)
    assert record['domain'] == DOMAIN and record['vnfd_id'] == 'vnfd-web'
    for build in (lambda: tr.v2_scale(vnf, 'vnfd-web', out=True),
                  lambda: tr.v2_scale(vnf, 'vnfd-web', out=False),
                  lambda: tr.v2_change_ext_conn(vnf, 'vnfd-web'),
                  lambda: tr.v2_heal(vnf, 'vnfd-web'),
                  lambda: tr.v2_change_vnfpkg(vnf, 'vnfd-web', 'vnfd-web-2'),
                  lambda: tr.v2_terminate(vnf, 'vnfd-web')):
        req = build()
        grant = _granted(post_v2(world, req), req)
        assert 'zones' not in grant  # the catch-all rule sends no policy


# covers: R2.1.40, R1.1.10
def test_tacker_v1_requests_are_granted(world):
    vnf = nfvsm_testlib.unique_name('vnf-v1')
    req = tr.v1_instantiate(vnf, 'vnfd-v1')
    grant = _granted(post_v1(world, req), req)
    assert len(grant['addResources']) == len(req['addResources'])
    for build in (tr.v1_heal, tr.v1_terminate):
        req = build(vnf, 'vnfd-v1')
        _granted(post_v1(world, req), req)


# covers: R2.1.40
def test_sm_deny_is_403_naming_the_sm_and_its_reason(world):
    vnf = nfvsm_testlib.unique_name('vnf-denied')
    for resp in (post_v2(world, tr.v2_instantiate(vnf, 'vnfd-denied')),
                 post_v1(world, tr.v1_instantiate(vnf, 'vnfd-denied'))):
        body = _refused(resp, 403)
        assert world['sm'].id in body['detail']
        assert 'VNFD not approved by the grant test SM' in body['detail']
    with pytest.raises(nfvsm.NotFound):
        world['admin'].vnf_status(vnf)  # a refused VNF is not registered


# covers: R1.3.30, R2.1.40
def test_silent_fully_active_sm_is_403_at_its_deadline(world):
    vnf = nfvsm_testlib.unique_name('vnf-mute')
    body = _refused(post_v2(world, tr.v2_instantiate(vnf, 'vnfd-mute')), 403)
    assert world['sm'].id in body['detail']


# covers: IFA026 4, R2.1.270
def test_heal_of_quarantined_vnf_is_403_automatic_or_not(world):
    vnf = nfvsm_testlib.unique_name('vnf-q')
    admin, sm = world['admin'], world['sm']
    admin.put_vnf(vnf, domain=DOMAIN, vnfd_id='vnfd-web', host='compute-1',
                  state='active')
    req = tr.v2_heal(vnf, 'vnfd-web')
    _granted(post_v2(world, req), req)  # not quarantined yet: granted
    sm.stop()  # `send` must not share the inbox with `serve` (docs/sm.md)
    try:
        code, out, err = sm.send('terminate', '--vnf', vnf, '--flags',
                                 'quarantine-copy')
        assert code == 0, out + err
    finally:
        sm.serve()
    assert [q for q in admin.list_quarantine() if q['target_id'] == vnf]
    for resp in (post_v2(world, tr.v2_heal(vnf, 'vnfd-web')),
                 post_v2(world, tr.v2_heal(vnf, 'vnfd-web', automatic=True)),
                 post_v1(world, tr.v1_heal(vnf, 'vnfd-web'))):
        body = _refused(resp, 403)
        assert 'is quarantined by SM' in body['detail']
        assert sm.id in body['detail']


# covers: R1.1.70
def test_credentials_are_required(world):
    url = world['api'].url + '/grant/v1/grants'
    req = tr.v2_terminate('vnf-x', 'vnfd-web')
    resp = requests.post(url, json=req, timeout=30)
    _refused(resp, 401)
    assert 'Bearer' in resp.headers['WWW-Authenticate']
    _refused(requests.post(url, json=req, auth=(CLIENT, 'wrong'),
                           timeout=30), 401)
    _refused(post_v2(world, req, token='nfvsm1.e30.AAAA'), 401)
    resp = requests.post(world['api'].url + '/token',
                         data={'grant_type': 'client_credentials'},
                         auth=(CLIENT, 'wrong'), timeout=30)
    assert resp.status_code == 401


# covers: R1.3.30
def test_malformed_request_is_400_without_a_gate(world):
    vnf = nfvsm_testlib.unique_name('vnf-bad')
    req = tr.v2_instantiate(vnf, 'vnfd-web')
    del req['vnfLcmOpOccId']
    body = _refused(post_v2(world, req), 400)
    assert 'vnfLcmOpOccId' in body['detail']
    with pytest.raises(nfvsm.NotFound):
        world['admin'].vnf_status(vnf)


# covers: R1.3.30
def test_unreachable_gateway_is_503(tmp_path, world):
    api = GrantApiProcess(tmp_path, 'rabbit://guest:guest@127.0.0.1:1/',
                          name='grant-dead')
    try:
        world_dead = dict(world, api=api)
        req = tr.v2_instantiate('vnf-dead', 'vnfd-web')
        resp = post_v2(world_dead, req)
        _refused(resp, 503)
        assert resp.headers['Retry-After']
    finally:
        api.close()


# covers: R2.1.40
def test_concurrent_grants_each_get_their_own_decision(world):
    import concurrent.futures
    token = _token(world['api'].url)
    reqs = [tr.v2_instantiate(nfvsm_testlib.unique_name('vnf-par'),
                              'vnfd-denied' if i % 2 else 'vnfd-web')
            for i in range(8)]
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda r: post_v2(world, r, token), reqs))
    for req, resp in zip(reqs, results):
        if req['vnfdId'] == 'vnfd-denied':
            _refused(resp, 403)
        else:
            _granted(resp, req)
            record = world['admin'].vnf_status(req['vnfInstanceId'])
            assert record['domain'] == DOMAIN
