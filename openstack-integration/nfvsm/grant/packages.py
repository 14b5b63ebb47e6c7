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

"""Forwarding of the package endpoints Tacker v2 needs from its NFVO.

With ``[v2_nfvo] use_external_nfvo = True`` Tacker v2 fetches the package
information, the VNFD and the package content from the NFVO that grants
(sol_refactored/nfvo/nfvo_client.py: get_vnf_package_info_vnfd,
onboarded_show_vnfd, onboarded_package_content), by vnfdId. nfvsm is not
a package repository, so it forwards them to Tacker's own package API
(SOL005 vnfpkgm v1), which is keyed by package id: the package of a vnfdId
is found with ``GET vnf_packages?filter=(eq,vnfdId,<id>)``.

Tacker v2 reads the VNFD and the content only when the answer's
Content-Type is application/zip (http_client._decode_body), whatever it
put in Accept, so those two are always asked for as zip.
"""

import re
import threading
import time
import urllib.parse

import requests

_VNFD_ID = re.compile(r'^[A-Za-z0-9][A-Za-z0-9._:-]{0,254}$')
_PASSED_HEADERS = ('Content-Type', 'Content-Disposition', 'Content-Length',
                   'Version')


class PackageError(Exception):
    """A forwarding failure, with the HTTP status to answer Tacker."""

    def __init__(self, status, detail):
        super(PackageError, self).__init__(detail)
        self.status = status
        self.detail = detail


class PackageProxy(object):
    """Fetches package resources from Tacker's vnfpkgm API."""

    def __init__(self, base_url, auth='none', username='', password='',
                 token_endpoint=None, ca_file=None, timeout=60.0):
        self._base = base_url.rstrip('/')
        self._auth = auth
        self._username = username
        self._password = password
        self._token_endpoint = token_endpoint
        self._verify = ca_file or True
        self._timeout = timeout
        self._session = requests.Session()
        self._lock = threading.Lock()
        self._token = None
        self._token_expiry = 0.0

    @staticmethod
    def valid_vnfd_id(vnfd_id):
        return bool(_VNFD_ID.match(vnfd_id))

    def _bearer(self, renew=False):
        with self._lock:
            if renew or not self._token or time.time() >= self._token_expiry:
                resp = self._session.post(
                    self._token_endpoint,
                    data={'grant_type': 'client_credentials'},
                    auth=(self._username, self._password),
                    headers={'Accept': 'application/json'},
                    timeout=self._timeout, verify=self._verify)
                if resp.status_code != 200:
                    raise PackageError(
                        502, 'the package API token endpoint answered %d'
                        % resp.status_code)
                try:
                    body = resp.json()
                    token = body['access_token']
                    lifetime = float(body.get('expires_in', 300))
                except (ValueError, KeyError, TypeError, AttributeError):
                    raise PackageError(
                        502, 'the package API token endpoint answered no '
                        'usable token')
                self._token = token
                # Renew a little early so a token never expires in flight.
                self._token_expiry = time.time() + max(lifetime - 30, 1)
            return self._token

    def _get(self, url, accept, params=None):
        headers = {'Accept': accept}
        kwargs = {'headers': headers, 'params': params,
                  'timeout': self._timeout, 'verify': self._verify}
        if self._auth == 'basic':
            kwargs['auth'] = (self._username, self._password)
        for attempt in (0, 1):
            if self._auth == 'oauth2_client_credentials':
                headers['Authorization'] = 'Bearer %s' % self._bearer(
                    renew=attempt > 0)
            resp = self._session.get(url, **kwargs)
            if resp.status_code != 401 or self._auth != (
                    'oauth2_client_credentials'):
                return resp
        return resp

    def _package_id(self, vnfd_id):
        resp = self._get('%s/vnf_packages' % self._base, 'application/json',
                         params={'filter': '(eq,vnfdId,%s)' % vnfd_id})
        if resp.status_code != 200:
            raise _upstream_error(resp)
        try:
            packages = resp.json()
        except ValueError:
            raise PackageError(502, 'the package API answered no JSON')
        onboarded = [p for p in packages if isinstance(p, dict) and
                     p.get('vnfdId') == vnfd_id and
                     p.get('onboardingState', 'ONBOARDED') == 'ONBOARDED']
        if not onboarded:
            raise PackageError(
                404, 'no onboarded VNF package has vnfdId %s' % vnfd_id)
        return onboarded[0]['id']

    def fetch(self, vnfd_id, resource):
        """Return (status, headers, body) for one package resource.

        ``resource`` is '' (package information), 'vnfd' or
        'package_content'. Raises PackageError for what Tacker should see
        as a ProblemDetails.
        """
        if not self.valid_vnfd_id(vnfd_id):
            raise PackageError(400, 'malformed vnfdId')
        try:
            pkg = urllib.parse.quote(self._package_id(vnfd_id), safe='')
            url = '%s/vnf_packages/%s' % (self._base, pkg)
            if resource:
                url += '/' + resource
            accept = 'application/zip' if resource else 'application/json'
            resp = self._get(url, accept)
        except requests.RequestException as exc:
            raise PackageError(
                503, 'Tacker\'s package API is unreachable (%s)'
                % type(exc).__name__)
        if resp.status_code != 200:
            raise _upstream_error(resp)
        headers = [(h, resp.headers[h]) for h in _PASSED_HEADERS
                   if h in resp.headers and h != 'Content-Length']
        return 200, headers, resp.content


def _upstream_error(resp):
    # 4xx of the package API say something about the package: pass the
    # status on. 5xx are the package API's own failures, and 401/403 refuse
    # nfvsm's credentials, not Tacker's: both are a gateway error.
    status = resp.status_code
    if not 400 <= status < 500 or status in (401, 403):
        status = 502
    return PackageError(status, 'Tacker\'s package API answered %d'
                        % resp.status_code)
