"""Package endpoints of Tacker v2's external-NFVO mode, forwarded.

Tacker's package API cannot run here, so a local HTTP STUB plays it: it
serves what Tacker's vnfpkgm v1 API serves for the calls the forwarder
makes (GET vnf_packages?filter=(eq,vnfdId,...), .../vnfd and
.../package_content as application/zip) and records each request so the
tests check method, path, query, Accept and Authorization of every call.
The Grant API side is the real WSGI application.
"""

import base64
import http.server
import json
import threading
import urllib.parse

import pytest
import webob

from nfvsm.grant import packages

import grant_fakes as fakes

VNFD_ID = 'b1bb0ce7-ebca-4fa7-95ed-4840d70a1177'
PKG_ID = '718e3b5e-8d49-4ec6-9d8d-38f1c2a6b0de'
ZIP = b'PK\x03\x04 a zip archive of the VNFD'
CONTENT = b'PK\x03\x04 the whole CSAR'


class _StubTacker(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _send(self, status, body, ctype):
        self.send_response(status)
        self.send_header('Content-Type', ctype)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self):
        stub = self.server.stub
        length = int(self.headers.get('Content-Length', 0))
        form = urllib.parse.parse_qs(self.rfile.read(length).decode())
        stub.calls.append(('POST', self.path, dict(self.headers), form))
        if (self.path == '/token' and
                self.headers.get('Authorization') == stub.basic and
                form.get('grant_type') == ['client_credentials']):
            stub.tokens_issued += 1
            token = 'tok-%d' % stub.tokens_issued
            stub.valid_tokens = {token}
            self._send(200, json.dumps({'access_token': token,
                                        'expires_in': 3600}).encode(),
                       'application/json')
        else:
            self._send(401, b'{}', 'application/json')

    def do_GET(self):
        stub = self.server.stub
        stub.calls.append(('GET', self.path, dict(self.headers), None))
        auth = self.headers.get('Authorization', '')
        if stub.mode == 'basic' and auth != stub.basic:
            return self._send(401, b'{}', 'application/json')
        if stub.mode == 'oauth2' and auth.replace('Bearer ', '') not in (
                stub.valid_tokens):
            return self._send(401, b'{}', 'application/json')
        url = urllib.parse.urlsplit(self.path)
        if url.path == '/vnfpkgm/v1/vnf_packages':
            query = urllib.parse.parse_qs(url.query)
            found = [p for p in stub.packages
                     if query.get('filter') == ['(eq,vnfdId,%s)'
                                                % p['vnfdId']]]
            return self._send(200, json.dumps(found).encode(),
                              'application/json')
        base = '/vnfpkgm/v1/vnf_packages/%s' % PKG_ID
        if url.path == base:
            return self._send(200, json.dumps(stub.packages[0]).encode(),
                              'application/json')
        if url.path == base + '/vnfd':
            return self._send(200, ZIP, 'application/zip')
        if url.path == base + '/package_content':
            return self._send(200, CONTENT, 'application/zip')
        self._send(404, b'{"status": 404, "detail": "x"}',
                   'application/problem+json')


class StubTacker(object):
    def __init__(self, mode='none'):
        self.mode = mode
        self.basic = 'Basic ' + base64.b64encode(b'nfvsm:pw').decode()
        self.calls = []
        self.tokens_issued = 0
        self.valid_tokens = set()
        self.packages = [{'id': PKG_ID, 'vnfdId': VNFD_ID,
                          'onboardingState': 'ONBOARDED',
                          'operationalState': 'ENABLED',
                          'usageState': 'NOT_IN_USE',
                          '_links': {'self': {'href': 'x'}}}]
        self.server = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      _StubTacker)
        self.server.stub = self
        self.thread = threading.Thread(target=self.server.serve_forever,
                                       daemon=True)
        self.thread.start()

    @property
    def url(self):
        return 'http://127.0.0.1:%d' % self.server.server_port

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def stub():
    s = StubTacker()
    yield s
    s.close()


def _api(stub, auth='none'):
    proxy = packages.PackageProxy(
        stub.url + '/vnfpkgm/v1', auth=auth, username='nfvsm',
        password='pw', token_endpoint=stub.url + '/token', timeout=10)
    return fakes.make_api(fakes.FakeGate(), proxy=proxy)


def _get(api, path, authorization=None, accept='application/json'):
    # Tacker v2 http_client.do_request: Accept application/json and the
    # Version header, whatever it expects back.
    req = webob.Request.blank(path)
    req.headers['Accept'] = accept
    req.headers['Version'] = '2.1.0'
    req.headers['Authorization'] = authorization or fakes.basic_header()
    return req.get_response(api)


PATHS = [
    ('', 'application/json', None),
    ('/vnfd', 'application/zip', ZIP),
    ('/package_content', 'application/zip', CONTENT),
]


@pytest.mark.parametrize('tail,ctype,content', PATHS,
                         ids=['info', 'vnfd', 'package_content'])
def test_package_endpoints_forward_to_tacker(stub, tail, ctype, content):
    api = _api(stub)
    resp = _get(api, '/vnfpkgm/v2/onboarded_vnf_packages/%s%s'
                % (VNFD_ID, tail))
    assert resp.status_int == 200, resp.body
    assert resp.content_type == ctype
    if content is None:
        assert json.loads(resp.body)['vnfdId'] == VNFD_ID
    else:
        assert resp.body == content
    lookup, fetch = stub.calls
    assert lookup[0] == 'GET'
    assert urllib.parse.unquote(lookup[1]) == (
        '/vnfpkgm/v1/vnf_packages?filter=(eq,vnfdId,%s)' % VNFD_ID)
    assert fetch[1] == '/vnfpkgm/v1/vnf_packages/%s%s' % (PKG_ID, tail)
    # Tacker v2 only reads a zip when it is labelled one: ask for zip.
    assert fetch[2]['Accept'] == ctype
    assert 'Authorization' not in fetch[2]  # package_api_auth = none


def test_unknown_vnfd_and_unreachable_api_are_problems(stub):
    api = _api(stub)
    resp = _get(api, '/vnfpkgm/v2/onboarded_vnf_packages/nope/vnfd')
    assert resp.status_int == 404
    assert resp.content_type == 'application/problem+json'
    resp = _get(api, '/vnfpkgm/v2/onboarded_vnf_packages/%s'
                % urllib.parse.quote('../../x', safe=''))
    assert resp.status_int in (400, 404)
    url = stub.url
    stub.close()
    dead = packages.PackageProxy(url + '/vnfpkgm/v1', timeout=2)
    api = fakes.make_api(fakes.FakeGate(), proxy=dead)
    resp = _get(api, '/vnfpkgm/v2/onboarded_vnf_packages/%s' % VNFD_ID)
    assert resp.status_int == 503
    assert json.loads(resp.body)['status'] == 503


# covers: R1.1.70
def test_callers_must_authenticate(stub):
    req = webob.Request.blank('/vnfpkgm/v2/onboarded_vnf_packages/%s'
                              % VNFD_ID)
    resp = req.get_response(_api(stub))
    assert resp.status_int == 401
    assert stub.calls == []


def test_basic_auth_to_tacker(stub):
    stub.mode = 'basic'
    resp = _get(_api(stub, 'basic'),
                '/vnfpkgm/v2/onboarded_vnf_packages/%s/vnfd' % VNFD_ID)
    assert resp.status_int == 200
    assert all(c[2]['Authorization'] == stub.basic for c in stub.calls)
    # Credentials Tacker refuses are nfvsm's problem, not its caller's.
    resp = _get(_api(stub, 'none'),
                '/vnfpkgm/v2/onboarded_vnf_packages/%s/vnfd' % VNFD_ID)
    assert resp.status_int == 502


def test_oauth2_to_tacker_fetches_and_renews_the_token(stub):
    stub.mode = 'oauth2'
    api = _api(stub, 'oauth2_client_credentials')
    path = '/vnfpkgm/v2/onboarded_vnf_packages/%s/vnfd' % VNFD_ID
    assert _get(api, path).status_int == 200
    assert stub.tokens_issued == 1
    token_call = stub.calls[0]
    assert token_call[:2] == ('POST', '/token')
    assert token_call[2]['Authorization'] == stub.basic
    assert _get(api, path).status_int == 200
    assert stub.tokens_issued == 1  # cached
    stub.valid_tokens = set()  # Tacker forgot it: renewed once, retried
    assert _get(api, path).status_int == 200
    assert stub.tokens_issued == 2


def test_no_package_api_configured_is_404():
    api = fakes.make_api(fakes.FakeGate())
    resp = _get(api, '/vnfpkgm/v2/onboarded_vnf_packages/%s' % VNFD_ID)
    assert resp.status_int == 404
    assert 'package_api_url' in json.loads(resp.body)['detail']
