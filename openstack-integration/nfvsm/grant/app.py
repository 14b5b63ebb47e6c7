# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""The SOL003 Grant WSGI application (webob).

Tacker asks its NFVO for a Grant before INSTANTIATE, SCALE, HEAL,
TERMINATE, CHANGE_EXT_CONN and CHANGE_VNFPKG; nfvsm answers as that NFVO
and turns each GrantRequest into an nfvsm gate, so that a Fully-Active
Security Manager decides inside Tacker's own workflow (R2.1.40, R1.3.30,
IFA026 clause 4). Routes:

  POST <token_path>                                  OAuth 2.0 token
  POST /grant/v1/grants                              GrantRequest -> Grant
  GET  /grant/v1/grants/{grantId}                    a Grant issued here
  GET  /vnfpkgm/v2/onboarded_vnf_packages/{vnfdId}[/vnfd|/package_content]

Every failure is an RFC 7807 ProblemDetails (application/problem+json);
nothing the gateway did not allow is ever granted.
"""

import collections
import json
import re
import threading
import uuid

from oslo_log import log as logging
import webob
import webob.dec
import webob.exc

from nfvsm.grant import mapping
from nfvsm.grant import packages
from nfvsm.grant import schema

LOG = logging.getLogger(__name__)

GRANTS_PATH = '/grant/v1/grants'
_GRANT_PATH = re.compile(r'^/grant/v1/grants/([^/]+)$')
_PACKAGE_PATH = re.compile(
    r'^/vnfpkgm/v2/onboarded_vnf_packages/([^/]+)'
    r'(?:/(vnfd|package_content))?$')

# GateClient error texts of docs/rpc.md that mean "no gateway answered",
# as opposed to a gateway that answered it could not decide.
_UNREACHABLE_PREFIXES = ('nfvsm gateway unreachable',
                         'no decision from the nfvsm gateway')


class GrantApi(object):
    """WSGI callable serving the Grant API.

    ``gate`` is an object with the methods of nfvsm.grant.gate.NfvsmGate
    (tests inject their own); ``authenticator`` an auth.Authenticator;
    ``packages`` a packages.PackageProxy or None.
    """

    def __init__(self, gate, authenticator, settings, package_proxy=None):
        self._gate = gate
        self._auth = authenticator
        self._settings = settings
        self._packages = package_proxy
        self._grants = collections.OrderedDict()
        self._grants_lock = threading.Lock()

    # -- responses -------------------------------------------------------

    def _response(self, status, body=None, content_type='application/json',
                  headers=()):
        resp = webob.Response(status=status)
        resp.headers['Version'] = self._settings.api_version
        for name, value in headers:
            resp.headers.add(name, value)
        if body is not None:
            resp.content_type = content_type
            resp.charset = None
            resp.body = json.dumps(body).encode('utf-8')
        else:
            resp.content_type = None
        return resp

    def problem(self, status, detail, title=None, headers=()):
        body = {'status': status, 'detail': detail,
                'title': title or webob.exc.status_map[status].title}
        problems = schema.errors(schema.PROBLEM_DETAILS, body)
        if problems:  # pragma: no cover - a bug here must not leak
            LOG.error('invalid ProblemDetails built: %s', problems)
            body = {'status': 500, 'detail': 'internal error'}
            status = 500
        return self._response(status, body, 'application/problem+json',
                              headers)

    # -- dispatch --------------------------------------------------------

    @webob.dec.wsgify
    def __call__(self, req):
        try:
            return self._dispatch(req)
        except Exception:
            LOG.exception('unexpected error handling %s %s', req.method,
                          req.path)
            return self.problem(500, 'internal error of the nfvsm Grant API')

    def _dispatch(self, req):
        path = req.path_info.rstrip('/') or '/'
        if self._auth.oauth2_enabled and path == self._settings.token_path:
            return self._allow(req, ('POST',)) or self._token(req)
        if path == GRANTS_PATH:
            return (self._allow(req, ('POST',)) or self._authenticate(req)
                    or self._grant(req))
        match = _GRANT_PATH.match(path)
        if match:
            return (self._allow(req, ('GET',)) or self._authenticate(req)
                    or self._show_grant(match.group(1)))
        match = _PACKAGE_PATH.match(path)
        if match:
            return (self._allow(req, ('GET',)) or self._authenticate(req)
                    or self._package(match.group(1), match.group(2) or ''))
        return self.problem(404, 'no such resource')

    def _allow(self, req, methods):
        if req.method in methods:
            return None
        return self.problem(405, 'method %s not allowed' % req.method,
                            headers=[('Allow', ', '.join(methods))])

    def _authenticate(self, req):
        client = self._auth.authenticate(req.headers.get('Authorization'))
        if client is not None:
            req.environ['nfvsm.client_id'] = client
            return None
        return self.problem(
            401, 'valid credentials are required',
            headers=[('WWW-Authenticate', c)
                     for c in self._auth.challenges()])

    # -- OAuth 2.0 token endpoint (RFC 6749 4.4) ----------------------------

    def _token_error(self, status, error, headers=()):
        return self._response(status, {'error': error}, headers=headers +
                              (('Cache-Control', 'no-store'),))

    def _token(self, req):
        if req.content_type != 'application/x-www-form-urlencoded':
            return self._token_error(400, 'invalid_request')
        creds = self._auth.parse_basic(req.headers.get('Authorization'))
        if creds is None and 'client_secret' in req.POST:
            creds = (req.POST.get('client_id', ''),
                     req.POST.get('client_secret', ''))
        if creds is None or not self._auth.check_secret(*creds):
            return self._token_error(
                401, 'invalid_client',
                (('WWW-Authenticate', 'Basic realm="nfvsm"'),))
        if req.POST.get('grant_type') != 'client_credentials':
            return self._token_error(400, 'unsupported_grant_type')
        token, expires_in = self._auth.issue_token(creds[0])
        return self._response(
            200, {'access_token': token, 'token_type': 'Bearer',
                  'expires_in': expires_in},
            headers=[('Cache-Control', 'no-store'), ('Pragma', 'no-cache')])

    # -- grants --------------------------------------------------------------

    def _read_request(self, req):
        """Return (GrantRequest dict, None) or (None, error response)."""
        if req.content_type not in ('', 'application/json'):
            return None, self.problem(
                415, 'a GrantRequest is application/json')
        limit = self._settings.max_request_bytes
        if req.content_length is not None and req.content_length > limit:
            return None, self.problem(413, 'request body too large')
        raw = req.body_file.read(limit + 1)
        if len(raw) > limit:
            return None, self.problem(413, 'request body too large')
        try:
            body = json.loads(raw)
            if isinstance(body, str):
                # Tacker v1 passes GrantRequest.to_request_body(), itself a
                # JSON text, as requests' json=, so its body is a JSON string
                # holding the GrantRequest (conductor_server._grant).
                body = json.loads(body)
            body = schema.drop_nulls(body)
            problems = schema.errors(schema.GRANT_REQUEST, body)
        except (ValueError, UnicodeDecodeError):
            return None, self.problem(400, 'the body is not valid JSON')
        except RecursionError:
            # No GrantRequest nests deeper than a few levels.
            return None, self.problem(400, 'the body nests too deeply')
        if problems:
            return None, self.problem(
                400, 'invalid GrantRequest: ' + '; '.join(problems[:5]))
        return body, None

    def _resolve_domain(self, body):
        """Return (domain, registered, error response)."""
        try:
            record = self._gate.lookup(body['vnfInstanceId'])
        except self._gate.unavailable_error:
            if not self._gate.fail_open:
                return None, False, self._unavailable()
            # Fail-open deployments let the gate call itself fail open.
            record = None
        if record is not None:
            return '', True, None
        domain = (self._settings.vnfd_domains.get(body['vnfdId']) or
                  self._settings.default_domain)
        if domain or self._gate.fail_open:
            return domain, False, None
        return None, False, self.problem(
            403, 'VNF instance %s is not registered in nfvsm and no trust '
            'domain is configured for VNFD %s ([nfvsm_grant] vnfd_domains, '
            'default_domain): no Security Manager can be asked'
            % (body['vnfInstanceId'], body['vnfdId']), title='Forbidden')

    def _unavailable(self):
        return self.problem(
            503, 'the nfvsm gateway is unavailable; the grant is refused '
            '(fail closed)', headers=[('Retry-After', '30')])

    def _grant(self, req):
        body, error = self._read_request(req)
        if error is not None:
            return error
        domain, registered, error = self._resolve_domain(body)
        if error is not None:
            return error
        call = mapping.gate_call(body, domain,
                                 self._settings.require_security_policy)
        try:
            decision = self._gate.check(call)
        except self._gate.invalid_error as exc:
            return self.problem(400, 'nfvsm refused the request: %s' % exc)
        if not decision.allowed:
            return self._refused(body, call, decision)
        if decision.failed_open:
            LOG.warning('grant %s of VNF %s allowed WITHOUT a decision '
                        '(fail_mode = open): %s', body['operation'],
                        call.vnf_id, decision.error)
        grant_id = str(uuid.uuid4())
        base = self._settings.public_endpoint or req.host_url
        self_href = '%s%s/%s' % (base.rstrip('/'), GRANTS_PATH, grant_id)
        grant = mapping.build_grant(body, decision, grant_id, self_href)
        problems = schema.errors(schema.GRANT, grant)
        if problems:
            LOG.error('built an invalid Grant, refusing it: %s', problems)
            return self.problem(500, 'nfvsm built an invalid Grant')
        if (body['operation'] == 'INSTANTIATE' and not registered and
                self._settings.register_vnfs and call.domain):
            self._register(call)
        self._remember(grant)
        LOG.info('granted %s of VNF %s (gate %s, lcm op occ %s)',
                 body['operation'], call.vnf_id, decision.gate_id,
                 body['vnfLcmOpOccId'])
        return self._response(201, grant,
                              headers=[('Location', self_href)])

    def _refused(self, body, call, decision):
        if decision.error and decision.error.startswith(_UNREACHABLE_PREFIXES):
            LOG.warning('grant %s of VNF %s refused: %s', body['operation'],
                        call.vnf_id, decision.error)
            return self._unavailable()
        detail = 'nfvsm refused %s of VNF instance %s (gate %s): %s' % (
            body['operation'], call.vnf_id, decision.gate_id or '-',
            decision.reason_text() or 'denied')
        LOG.info('%s', detail)
        return self.problem(403, detail, title='Forbidden')

    def _register(self, call):
        # The gate already decided; failing to feed the inventory must not
        # turn an allowed grant into a refusal. Later grants then fall back
        # to the configured domain mapping, and the failure is logged.
        try:
            self._gate.register(call.vnf_id, call.domain, call.vnfd_id)
        except Exception as exc:
            LOG.warning('VNF %s granted but not registered in nfvsm: %s',
                        call.vnf_id, exc)

    def _remember(self, grant):
        size = self._settings.grant_cache_size
        if size <= 0:
            return
        with self._grants_lock:
            self._grants[grant['id']] = grant
            while len(self._grants) > size:
                self._grants.popitem(last=False)

    def _show_grant(self, grant_id):
        with self._grants_lock:
            grant = self._grants.get(grant_id)
        if grant is None:
            return self.problem(404, 'no grant %s is known' % grant_id[:64])
        return self._response(200, grant)

    # -- package endpoints (Tacker v2 external NFVO) ------------------------

    def _package(self, vnfd_id, resource):
        if self._packages is None:
            return self.problem(
                404, 'no package API is configured ([nfvsm_grant] '
                'package_api_url)')
        try:
            status, headers, content = self._packages.fetch(vnfd_id,
                                                            resource)
        except packages.PackageError as exc:
            return self.problem(exc.status, exc.detail)
        resp = webob.Response(status=status, body=content)
        for name, value in headers:
            resp.headers[name] = value
        resp.headers.setdefault('Version', self._settings.api_version)
        return resp
