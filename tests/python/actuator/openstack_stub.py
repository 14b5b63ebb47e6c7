"""A local HTTP STUB of the OpenStack APIs nfvsm-actuator calls: Keystone
(v3 password token with a service catalog), Nova, Glance and Tacker.

It is a stub, not OpenStack: OpenStack cannot run here. It records every
request (method, path, query, headers, JSON body) so that tests check
exactly what the actuator sent, and answers with the status codes the real
APIs use for the cases the actuator must handle (204/202 on success, 404
for unknown ids, 409 for a server already paused). The authentication,
catalog lookup and HTTP all go through the real openstacksdk and
keystoneauth code.
"""

import http.server
import json
import threading
import urllib.parse

TOKEN = 'stub-token-0123456789'


class Call(object):
    def __init__(self, method, path, query, headers, body):
        self.method = method
        self.path = path
        self.query = query
        self.headers = headers
        self.body = body

    def __repr__(self):
        return '%s %s %s' % (self.method, self.path, self.body)


class OpenStackStub(object):
    """Serves on 127.0.0.1 (a free port) in a thread until close()."""

    def __init__(self, with_tacker=True):
        self.calls = []
        self.servers = {}        # id -> status
        self.images = {}         # id -> status
        self.hosts = {}          # host -> {'id': uuid, 'status': ...}
        self.tacker_vnfs = {}    # id -> VNF instance JSON
        self.packages = {}       # id -> {'vnfdId', 'operationalState'}
        self.with_tacker = with_tacker
        self._lock = threading.Lock()
        stub = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def _serve(self):
                length = int(self.headers.get('Content-Length') or 0)
                raw = self.rfile.read(length) if length else b''
                try:
                    body = json.loads(raw) if raw else None
                except ValueError:
                    body = raw
                url = urllib.parse.urlsplit(self.path)
                call = Call(self.command, url.path,
                            dict(urllib.parse.parse_qsl(url.query)),
                            {k.lower(): v for k, v in self.headers.items()},
                            body)
                with stub._lock:
                    if not url.path.startswith('/identity'):
                        stub.calls.append(call)
                    status, headers, out = stub._route(call)
                data = b'' if out is None else json.dumps(out).encode()
                self.send_response(status)
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                if data:
                    self.send_header('Content-Type', 'application/json')
                self.send_header('Content-Length', str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

        self._httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0),
                                                      Handler)
        self.base = 'http://127.0.0.1:%d' % self._httpd.server_address[1]
        self.auth_url = self.base + '/identity/v3'
        self._thread = threading.Thread(target=self._httpd.serve_forever,
                                        daemon=True)
        self._thread.start()

    def close(self):
        self._httpd.shutdown()
        self._httpd.server_close()

    def api_calls(self, prefix=''):
        with self._lock:
            return [c for c in self.calls if c.path.startswith(prefix)]

    def clear(self):
        with self._lock:
            self.calls.clear()

    # ----------------------------------------------------------- routing

    def _catalog(self):
        def entry(kind, name, url):
            return {'type': kind, 'name': name, 'id': name,
                    'endpoints': [{'id': name + '-public',
                                   'interface': 'public',
                                   'region': 'RegionOne',
                                   'region_id': 'RegionOne', 'url': url}]}
        catalog = [entry('compute', 'nova', self.base + '/compute/v2.1'),
                   entry('image', 'glance', self.base + '/image')]
        if self.with_tacker:
            catalog.append(entry('nfv-orchestration', 'tacker',
                                 self.base + '/nfv-orchestration'))
        return catalog

    def _route(self, call):
        p = call.path
        if p == '/identity/v3/auth/tokens' and call.method == 'POST':
            domain = {'id': 'default', 'name': 'Default'}
            token = {
                'methods': ['password'],
                'expires_at': '2099-01-01T00:00:00.000000Z',
                'issued_at': '2024-01-01T00:00:00.000000Z',
                'user': {'id': 'u-admin', 'name': 'admin',
                         'domain': domain},
                'project': {'id': 'p-admin', 'name': 'admin',
                            'domain': domain},
                'roles': [{'id': 'r-admin', 'name': 'admin'}],
                'catalog': self._catalog(),
            }
            return 201, {'X-Subject-Token': TOKEN}, {'token': token}
        if call.headers.get('x-auth-token') != TOKEN:
            return 401, None, {'error': 'no token'}
        if p.startswith('/compute/v2.1/'):
            return self._nova(call, p[len('/compute/v2.1'):])
        if p.startswith('/image/v2/images/'):
            return self._glance(call, p[len('/image/v2/images/'):])
        if p.startswith('/nfv-orchestration/') and self.with_tacker:
            return self._tacker(call, p[len('/nfv-orchestration'):])
        return 404, None, {'error': 'no route ' + p}

    def _nova(self, call, p):
        parts = p.strip('/').split('/')
        if parts[0] == 'servers' and len(parts) >= 2:
            sid = parts[1]
            if sid not in self.servers:
                return 404, None, {'itemNotFound': {'code': 404}}
            if call.method == 'DELETE' and len(parts) == 2:
                del self.servers[sid]
                return 204, None, None
            if call.method == 'GET' and len(parts) == 2:
                return 200, None, {'server': {'id': sid,
                                              'status': self.servers[sid]}}
            if call.method == 'POST' and parts[2:] == ['action']:
                action = next(iter(call.body))
                if action == 'pause':
                    if self.servers[sid] == 'PAUSED':
                        return 409, None, {'conflictingRequest': {}}
                    self.servers[sid] = 'PAUSED'
                elif action == 'shelve':
                    self.servers[sid] = 'SHELVED_OFFLOADED'
                elif action in ('unpause', 'unshelve'):
                    self.servers[sid] = 'ACTIVE'
                elif action == 'createImage':
                    return 202, None, {'image_id': 'snap-' + sid}
                return 202, None, None
        if parts[0] == 'os-services':
            if call.method == 'GET' and len(parts) == 1:
                host = call.query.get('host')
                found = [dict(id=s['id'], host=h, binary='nova-compute',
                              status=s['status'])
                         for h, s in self.hosts.items() if h == host]
                return 200, None, {'services': found}
            if call.method == 'PUT' and len(parts) == 2:
                for h, s in self.hosts.items():
                    if s['id'] == parts[1]:
                        s['status'] = call.body.get('status')
                        return 200, None, {'service': dict(s, host=h)}
                return 404, None, None
        return 404, None, {'error': 'no nova route ' + p}

    def _glance(self, call, p):
        parts = p.strip('/').split('/')
        if (call.method == 'POST' and len(parts) == 3
                and parts[1] == 'actions'):
            if parts[0] not in self.images:
                return 404, None, None
            self.images[parts[0]] = ('deactivated' if parts[2] ==
                                     'deactivate' else 'active')
            return 204, None, None
        return 404, None, None

    def _tacker(self, call, p):
        parts = p.strip('/').split('/')
        if parts[:3] == ['vnflcm', 'v1', 'vnf_instances'] and len(parts) > 3:
            vnf = self.tacker_vnfs.get(parts[3])
            if vnf is None:
                return 404, None, {'detail': 'not found'}
            if call.method == 'GET' and len(parts) == 4:
                return 200, None, vnf
            if call.method == 'POST' and parts[4:] == ['terminate']:
                return 202, {'Location': self.base + '/vnflcm/v1/op/1'}, None
        if parts[:3] == ['vnfpkgm', 'v1', 'vnf_packages']:
            if call.method == 'GET' and len(parts) == 3:
                flt = call.query.get('filter', '')
                return 200, None, [
                    dict(id=i, **pkg) for i, pkg in self.packages.items()
                    if '(eq,vnfdId,%s)' % pkg['vnfdId'] == flt]
            if call.method == 'PATCH' and len(parts) == 4:
                pkg = self.packages.get(parts[3])
                if pkg is None:
                    return 404, None, None
                state = call.body.get('operationalState')
                if pkg['operationalState'] == state:
                    return 409, None, {'detail': 'already ' + state}
                pkg['operationalState'] = state
                return 200, None, {'operationalState': state}
        return 404, None, {'error': 'no tacker route ' + p}
