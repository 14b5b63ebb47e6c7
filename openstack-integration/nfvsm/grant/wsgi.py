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

"""Building and serving the Grant API.

- ``app_factory``: the paste.app_factory entry point that
  etc/nfvsm/grant-api-paste.ini names; reads the already parsed CONF.
- ``init_application``: for uwsgi (``--module nfvsm.grant.wsgi:application``
  or ``wsgi-file``), parses /etc/nfvsm/nfvsm.conf (or $NFVSM_CONFIG_FILE)
  and loads the paste pipeline.
- ``main``: the ``nfvsm-grant-api`` console script, a development server
  (wsgiref, one thread per request); not for production.
"""

import os
import socket
import socketserver
import sys
from wsgiref import simple_server

from oslo_config import cfg
from oslo_log import log as logging
from paste import deploy

from nfvsm import conf as nfvsm_conf
from nfvsm.grant import app
from nfvsm.grant import auth
from nfvsm.grant import gate
from nfvsm.grant import packages

LOG = logging.getLogger(__name__)
CONF = cfg.CONF


def register_opts(conf):
    """Register every option the Grant API reads on ``conf``."""
    nfvsm_conf.register_opts(conf)
    # [DEFAULT] transport_url is oslo.messaging's; the Grant API does not
    # load oslo.messaging, so it registers the name for the fallback.
    try:
        conf.register_opt(cfg.StrOpt('transport_url', secret=True))
    except cfg.DuplicateOptError:
        pass


def transport_url(conf):
    """[nfvsm] transport_url, else [DEFAULT] transport_url."""
    url = conf.nfvsm.transport_url
    if not url:
        try:
            url = conf.transport_url
        except cfg.NoSuchOptError:
            url = None
    if not url:
        raise ValueError('no transport URL: set [nfvsm] transport_url')
    return url


def build_app(conf, gate_backend=None):
    """Return the GrantApi for a parsed ``conf``.

    ``gate_backend`` replaces the nfvsm gateway (tests only).
    """
    settings = conf.nfvsm_grant
    if not settings.auth_methods:
        raise ValueError('[nfvsm_grant] auth_methods is empty: the Grant '
                         'API never runs unauthenticated')
    if not settings.clients:
        LOG.warning('[nfvsm_grant] clients is empty: every call will be '
                    'refused with 401')
    if gate_backend is None:
        common = conf.nfvsm
        gate_backend = gate.NfvsmGate(
            transport_url(conf), common.gate_timeout,
            common.fail_mode == 'open',
            common.requester or 'nfvsm-grant-api@%s' % socket.gethostname(),
            settings.admin_actor)
    authenticator = auth.Authenticator(
        settings.clients, settings.auth_methods, settings.token_lifetime,
        settings.token_signing_key.encode('utf-8'))
    proxy = None
    if settings.package_api_url:
        proxy = packages.PackageProxy(
            settings.package_api_url, settings.package_api_auth,
            settings.package_api_username, settings.package_api_password,
            settings.package_api_token_endpoint,
            settings.package_api_ca_file, settings.package_api_timeout)
    return app.GrantApi(gate_backend, authenticator, settings, proxy)


def app_factory(global_conf, **local_conf):
    """paste.app_factory: the Grant API from the process's CONF."""
    return build_app(CONF)


def _paste_file(conf):
    path = conf.nfvsm_grant.api_paste_config
    if not os.path.isabs(path):
        found = conf.find_file(path)
        if found:
            path = found
    return os.path.abspath(path)


def load_app(conf):
    """Load the paste pipeline named ``main`` of api_paste_config."""
    return deploy.loadapp('config:%s' % _paste_file(conf), name='main')


def _setup(argv, default_config_files=None):
    logging.register_options(CONF)
    register_opts(CONF)
    CONF(argv, project='nfvsm', prog='nfvsm-grant-api',
         default_config_files=default_config_files)
    logging.setup(CONF, 'nfvsm')


def init_application():
    """uwsgi entry: configure from the nfvsm config file and load."""
    config = os.environ.get('NFVSM_CONFIG_FILE', '/etc/nfvsm/nfvsm.conf')
    _setup([], default_config_files=[config])
    return load_app(CONF)


class _ThreadingServer(socketserver.ThreadingMixIn,
                       simple_server.WSGIServer):
    daemon_threads = True


class _RequestHandler(simple_server.WSGIRequestHandler):
    # wsgiref writes an access line per request to stderr; it goes to the
    # service log instead, like every other nfvsm line.
    def log_message(self, format, *args):
        LOG.info('%s %s', self.address_string(), format % args)


def main(argv=None):
    """nfvsm-grant-api: serve the Grant API with a development server."""
    _setup(sys.argv[1:] if argv is None else argv)
    application = load_app(CONF)
    server = simple_server.make_server(
        CONF.nfvsm_grant.bind_host, CONF.nfvsm_grant.bind_port,
        application, server_class=_ThreadingServer,
        handler_class=_RequestHandler)
    LOG.info('nfvsm Grant API (development server) on http://%s:%d',
             CONF.nfvsm_grant.bind_host, server.server_port)
    # The harness reads the port when bind_port = 0.
    print('listening on %s:%d' % (CONF.nfvsm_grant.bind_host,
                                  server.server_port), flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
