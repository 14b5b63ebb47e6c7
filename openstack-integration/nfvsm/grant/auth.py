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

"""Caller authentication as Tacker's NFVO clients expect it.

Tacker v2 (sol_refactored/common/http_client.py OAuth2AuthPlugin) and
Tacker v1 (tacker/auth.py _ClientCredentialsGrant) both obtain a token
with the OAuth 2.0 client-credentials grant, authenticating the client with
HTTP Basic, and send ``Authorization: Bearer``; Tacker v1 can also send
HTTP Basic on every request. Both are served here.

Tokens are stateless (HMAC-SHA256 over client id and expiry with the
configured key) so that every worker process of a uwsgi deployment
accepts every token. Secrets are compared in constant time and never
logged.
"""

import base64
import binascii
import hashlib
import hmac
import json
import secrets
import time

_TOKEN_PREFIX = 'nfvsm1'


def _b64(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def _unb64(text):
    pad = '=' * (-len(text) % 4)
    return base64.urlsafe_b64decode(text + pad)


class Authenticator(object):
    """Checks credentials of API callers and issues access tokens.

    ``clients`` maps client id to secret. ``signing_key`` (bytes) signs
    tokens; when empty a random per-process key is used, which is only
    right for a single-process server.
    """

    def __init__(self, clients, methods, token_lifetime, signing_key=b'',
                 clock=time.time):
        self._clients = {k: v.encode('utf-8') for k, v in clients.items()}
        self.methods = tuple(methods)
        self._lifetime = int(token_lifetime)
        self._key = signing_key or secrets.token_bytes(32)
        self._clock = clock
        # Compared against when the client id is unknown, so that a wrong
        # id and a wrong secret take the same time.
        self._dummy = secrets.token_bytes(32)

    @property
    def oauth2_enabled(self):
        return 'oauth2_client_credentials' in self.methods

    @property
    def basic_enabled(self):
        return 'basic' in self.methods

    def challenges(self):
        """WWW-Authenticate values for a 401, one per enabled method."""
        out = []
        if self.oauth2_enabled:
            out.append('Bearer realm="nfvsm"')
        if self.basic_enabled:
            out.append('Basic realm="nfvsm"')
        return out

    def check_secret(self, client_id, secret):
        """True when ``secret`` is ``client_id``'s configured secret."""
        expected = self._clients.get(client_id)
        given = secret.encode('utf-8')
        if expected is None:
            hmac.compare_digest(self._dummy, given)
            return False
        return hmac.compare_digest(expected, given)

    @staticmethod
    def parse_basic(header):
        """Return (client_id, secret) of a Basic header, or None."""
        scheme, _, value = (header or '').partition(' ')
        if scheme.lower() != 'basic' or not value.strip():
            return None
        try:
            decoded = base64.b64decode(value.strip(), validate=True)
            text = decoded.decode('utf-8')
        except (binascii.Error, ValueError):
            return None
        client_id, sep, secret = text.partition(':')
        if not sep or not client_id:
            return None
        return client_id, secret

    def issue_token(self, client_id):
        """Return (token, expires_in) for an authenticated client."""
        expires = int(self._clock()) + self._lifetime
        payload = _b64(json.dumps({'c': client_id, 'e': expires},
                                  separators=(',', ':')).encode('utf-8'))
        signed = '%s.%s' % (_TOKEN_PREFIX, payload)
        mac = hmac.new(self._key, signed.encode('ascii'), hashlib.sha256)
        return '%s.%s' % (signed, _b64(mac.digest())), self._lifetime

    def check_token(self, token):
        """Return the client id of a valid, unexpired token, or None.

        A token of a client removed from the configuration is refused
        even before it expires.
        """
        parts = token.split('.')
        if len(parts) != 3 or parts[0] != _TOKEN_PREFIX:
            return None
        signed = '%s.%s' % (parts[0], parts[1])
        mac = hmac.new(self._key, signed.encode('ascii'), hashlib.sha256)
        try:
            given = _unb64(parts[2])
        except (binascii.Error, ValueError):
            return None
        if not hmac.compare_digest(mac.digest(), given):
            return None
        try:
            claims = json.loads(_unb64(parts[1]))
            client_id, expires = claims['c'], int(claims['e'])
        except (binascii.Error, ValueError, KeyError, TypeError):
            return None
        if expires <= self._clock() or client_id not in self._clients:
            return None
        return client_id

    def authenticate(self, authorization):
        """Return the client id for an Authorization header, or None."""
        scheme, _, value = (authorization or '').partition(' ')
        if scheme.lower() == 'bearer' and self.oauth2_enabled:
            return self.check_token(value.strip())
        if scheme.lower() == 'basic' and self.basic_enabled:
            creds = self.parse_basic(authorization)
            if creds and self.check_secret(*creds):
                return creds[0]
        return None
