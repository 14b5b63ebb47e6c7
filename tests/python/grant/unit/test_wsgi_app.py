"""The uwsgi entry (nfvsm/grant/wsgi_app.py) builds the paste pipeline.

Runs in a child interpreter because it configures the process-global
oslo.config CONF, as uwsgi would. The transport URL points at a closed
port: building the app must not need the gateway, and a grant must then
fail closed.
"""

import json
import os
import subprocess
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_PASTE = os.path.abspath(os.path.join(_HERE, '..', '..', '..', '..', 'etc',
                                      'nfvsm', 'grant-api-paste.ini'))

_CHILD = r'''
import base64, json, webob
import tacker_requests as tr
from nfvsm.grant import wsgi_app
auth = 'Basic ' + base64.b64encode(b'tacker:pw').decode()
token = webob.Request.blank('/token', method='POST',
                            POST={'grant_type': 'client_credentials'})
token.headers['Authorization'] = auth
t = token.get_response(wsgi_app.application)
grant = webob.Request.blank('/grant/v1/grants', method='POST')
grant.content_type = 'application/json'
grant.body = tr.v2_body(tr.v2_instantiate('vnf-1', 'vnfd-1'))
grant.headers['Authorization'] = auth
g = grant.get_response(wsgi_app.application)
print(json.dumps({'token': t.status_int, 'token_type': t.json['token_type'],
                  'request_id': t.headers.get('x-openstack-request-id', ''),
                  'grant': g.status_int,
                  'grant_type': g.content_type}))
'''


# covers: R1.3.30
def test_uwsgi_entry_loads_the_paste_pipeline(tmp_path):
    conf = tmp_path / 'nfvsm.conf'
    conf.write_text(
        '[nfvsm]\ntransport_url = rabbit://guest:guest@127.0.0.1:1/\n'
        'gate_timeout = 2\n'
        '[nfvsm_grant]\napi_paste_config = %s\nclients = tacker:pw\n'
        'vnfd_domains = vnfd-1:blue\n' % _PASTE)
    env = dict(os.environ, NFVSM_CONFIG_FILE=str(conf))
    env['PYTHONPATH'] = os.pathsep.join(
        [os.path.dirname(_HERE)] + sys.path)
    out = subprocess.run([sys.executable, '-c', _CHILD], env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                         text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert result['token'] == 200 and result['token_type'] == 'Bearer'
    assert result['request_id'].startswith('req-')  # oslo RequestId filter
    assert result['grant'] == 503  # nobody to ask: fail closed
    assert result['grant_type'] == 'application/problem+json'
