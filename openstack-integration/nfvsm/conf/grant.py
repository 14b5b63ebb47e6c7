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

"""The ``[nfvsm_grant]`` group: the SOL003 Grant endpoint for Tacker.

The gate itself (transport URL, gate timeout, fail mode, requester) is
configured in the ``[nfvsm]`` group shared by every hook; this group only
holds what is specific to serving Tacker: who may call, how VNFs that nfvsm
does not know yet are put in a trust domain, and where Tacker's own package
API lives when Tacker v2 runs in external-NFVO mode.
"""

from oslo_config import cfg

GROUP = cfg.OptGroup(
    'nfvsm_grant',
    title='nfvsm SOL003 Grant endpoint',
    help='The Grant endpoint (POST /grant/v1/grants) Tacker asks, as its '
         'NFVO, before lifecycle operations.')

AUTH_OAUTH2 = 'oauth2_client_credentials'
AUTH_BASIC = 'basic'

GRANT_OPTS = [
    cfg.HostAddressOpt(
        'bind_host', default='127.0.0.1',
        help='Address the development server (nfvsm-grant-api) listens '
             'on. Production deployments run the paste app under uwsgi.'),
    cfg.PortOpt(
        'bind_port', default=9891,
        help='Port of the development server (0: any free port).'),
    cfg.StrOpt(
        'api_paste_config', default='grant-api-paste.ini',
        help='Paste deploy file of the Grant API, looked up next to the '
             'configuration files when relative.'),
    cfg.URIOpt(
        'public_endpoint', schemes=['http', 'https'],
        help='Base URL Tacker reaches this API at; used for the Location '
             'header and _links.self of a Grant. Unset: the URL of the '
             'request (wrong behind a proxy that rewrites Host).'),
    cfg.ListOpt(
        'auth_methods', default=[AUTH_OAUTH2, AUTH_BASIC],
        item_type=cfg.types.String(choices=[AUTH_OAUTH2, AUTH_BASIC]),
        help='How callers authenticate. oauth2_client_credentials: a '
             'Bearer token from this API\'s token endpoint (Tacker v2 '
             '[v2_nfvo] use_client_secret_basic = True; Tacker v1 '
             '[authentication] auth_type = OAUTH2_CLIENT_CREDENTIALS). '
             'basic: HTTP Basic with a client id and secret (Tacker v1 '
             'auth_type = BASIC). An empty list is refused: the API never '
             'runs unauthenticated.'),
    cfg.DictOpt(
        'clients', default={}, secret=True,
        help='client_id:secret pairs allowed to call the API, as Basic '
             'credentials or to obtain a token. Comma separated.'),
    cfg.StrOpt(
        'token_path', default='/token',
        help='Path of the OAuth 2.0 token endpoint (RFC 6749 4.4, client '
             'authentication with HTTP Basic). Point Tacker\'s '
             'token_endpoint at <public_endpoint><token_path>.'),
    cfg.StrOpt(
        'token_signing_key', default='', secret=True,
        help='Key that signs access tokens (HMAC-SHA256). Every worker '
             'and every Grant API process behind one endpoint must share '
             'it. Empty: a random key per process, so tokens are only '
             'accepted by the process that issued them (dev server).'),
    cfg.IntOpt(
        'token_lifetime', default=3600, min=60,
        help='Seconds an issued access token stays valid.'),
    cfg.DictOpt(
        'vnfd_domains', default={},
        help='vnfdId:trust-domain pairs for VNFs nfvsm\'s inventory does '
             'not know yet (the first INSTANTIATE of a Tacker VNF). A VNF '
             'registered in the inventory always gates in its registered '
             'domain; this map is never consulted for it.'),
    cfg.StrOpt(
        'default_domain', default='',
        help='Trust domain of unregistered VNFs whose vnfdId is not in '
             'vnfd_domains. Empty: such a grant is refused (403), since '
             'no Security Manager could be asked.'),
    cfg.BoolOpt(
        'register_vnfs', default=True,
        help='After an allowed INSTANTIATE of an unregistered VNF, '
             'register it in nfvsm\'s inventory (admin put_vnf) with the '
             'domain it was gated in, so that later grants, events and '
             'quarantine apply to it.'),
    cfg.BoolOpt(
        'require_security_policy', default=False,
        help='Ask the gate for a security policy on operations that '
             'activate a VNF (R1.3.160): a VNF is not granted until an '
             'SM provided one.'),
    cfg.StrOpt(
        'admin_actor', default='nfvsm-grant-api',
        help='Actor recorded in nfvsm\'s audit for the inventory look-ups '
             'and registrations this API makes.'),
    cfg.StrOpt(
        'api_version', default='1.4.0',
        help='SOL003 Grant API version returned in the Version header '
             '(Tacker v2 sends [v2_nfvo] grant_api_version, 1.4.0).'),
    cfg.IntOpt(
        'max_request_bytes', default=1024 * 1024, min=1024,
        help='Larger request bodies are refused (413) before parsing.'),
    cfg.IntOpt(
        'grant_cache_size', default=1024, min=0,
        help='How many issued Grants GET /grant/v1/grants/{id} can return '
             '(in memory, per process).'),
]

PACKAGE_OPTS = [
    cfg.URIOpt(
        'package_api_url', schemes=['http', 'https'],
        help='Base URL of Tacker\'s VNF package management API, e.g. '
             'http://tacker:9890/vnfpkgm/v1. Tacker v2 in external-NFVO '
             'mode fetches /vnfpkgm/v2/onboarded_vnf_packages/{vnfdId}, '
             '.../vnfd and .../package_content from this API, which finds '
             'the package with GET <url>/vnf_packages?filter=(eq,vnfdId,'
             '<id>) and forwards to <url>/vnf_packages/<package id>'
             '[/vnfd|/package_content]. Unset: those paths answer 404.'),
    cfg.StrOpt(
        'package_api_auth', default='none',
        choices=['none', 'basic', AUTH_OAUTH2],
        help='How this API authenticates to package_api_url.'),
    cfg.StrOpt('package_api_username', default='',
               help='Basic user name, or OAuth 2.0 client id.'),
    cfg.StrOpt('package_api_password', default='', secret=True,
               help='Basic password, or OAuth 2.0 client secret.'),
    cfg.URIOpt('package_api_token_endpoint', schemes=['http', 'https'],
               help='Token endpoint for package_api_auth = '
                    'oauth2_client_credentials.'),
    cfg.StrOpt('package_api_ca_file',
               help='CA bundle to verify package_api_url over https; '
                    'unset: the system CAs.'),
    cfg.FloatOpt('package_api_timeout', default=60.0, min=1.0,
                 help='Seconds to wait for Tacker\'s package API.'),
]

OPTS = GRANT_OPTS + PACKAGE_OPTS


def register_opts(conf):
    """Register the ``[nfvsm_grant]`` options on ``conf``."""
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    """Return ``[(group, opts)]`` for oslo-config-generator."""
    return [(GROUP, OPTS)]
