"""In-process helpers for the Grant API tests that need no broker.

FakeGate stands in for the nfvsm gateway ONLY in the tests of request
validation, authentication and the Grant mapping (test_grant_api.py); the
gate behaviour itself is tested through the real gateway and reference SM
in test_grant_e2e.py.
"""

import json
import types

import webob

from nfvsm.grant import app
from nfvsm.grant import auth

CLIENT_ID = 'tacker'
CLIENT_SECRET = 's3cr:et/with+chars'


class Unavailable(Exception):
    pass


class Invalid(Exception):
    pass


def decision(allowed=True, policy=None, reasons=(), error='',
             failed_open=False, gate_id='gate-1'):
    reasons = list(reasons)
    return types.SimpleNamespace(
        allowed=allowed, verdict='allow' if allowed else 'deny',
        gate_id=gate_id, reasons=reasons, policy=policy, timed_out=False,
        error=error, failed_open=failed_open,
        reason_text=lambda: '; '.join(reasons) or error)


class FakeGate(object):
    """Records every call; answers with a configurable decision."""

    unavailable_error = Unavailable
    invalid_error = Invalid

    def __init__(self, answer=None, registered=None, fail_open=False):
        self.answer = answer or decision()
        self.registered = dict(registered or {})
        self.fail_open = fail_open
        self.lookup_error = None
        self.calls = []
        self.registrations = []

    def lookup(self, vnf_id):
        if self.lookup_error:
            raise self.lookup_error
        return self.registered.get(vnf_id)

    def check(self, call):
        self.calls.append(call)
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer

    def register(self, vnf_id, domain, vnfd_id):
        self.registrations.append((vnf_id, domain, vnfd_id))
        self.registered[vnf_id] = {'id': vnf_id, 'domain': domain}


def settings(**overrides):
    values = dict(api_version='1.4.0', token_path='/token',
                  max_request_bytes=1024 * 1024, vnfd_domains={},
                  default_domain='', require_security_policy=False,
                  register_vnfs=True, public_endpoint='http://nfvo.example',
                  grant_cache_size=16)
    values.update(overrides)
    return types.SimpleNamespace(**values)


def make_api(gate, methods=('oauth2_client_credentials', 'basic'),
             clock=None, proxy=None, **overrides):
    kwargs = {'clock': clock} if clock else {}
    authenticator = auth.Authenticator({CLIENT_ID: CLIENT_SECRET}, methods,
                                       3600, b'k' * 32, **kwargs)
    return app.GrantApi(gate, authenticator, settings(**overrides), proxy)


def basic_header(client_id=CLIENT_ID, secret=CLIENT_SECRET):
    import base64
    raw = ('%s:%s' % (client_id, secret)).encode('utf-8')
    return 'Basic ' + base64.b64encode(raw).decode('ascii')


def post_grant(api, body, authorization=None, content_type='application/json'):
    req = webob.Request.blank('/grant/v1/grants', method='POST')
    req.body = body if isinstance(body, bytes) else json.dumps(body).encode()
    if content_type:
        req.content_type = content_type
    req.headers['Authorization'] = authorization or basic_header()
    req.headers['Version'] = '1.4.0'
    return req.get_response(api)
