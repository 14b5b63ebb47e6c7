"""Grant API: validation, authentication and the Grant mapping.

These tests run the real WSGI application in-process with an injected gate
(grant_fakes.FakeGate, a stand-in for the nfvsm gateway) so that every
malformed-request and credential case is cheap to enumerate; the decisions
of a real gateway and reference SM are tested in test_grant_e2e.py.
"""

import json

import pytest
import webob

from nfvsm.grant import schema

import grant_fakes as fakes
import tacker_requests as tr

VNFD = 'vnfd-web'

# Every shape Tacker sends, with the nfvsm operation it must be gated as.
SHAPES = [
    ('v2 instantiate', lambda v: tr.v2_instantiate(v, VNFD), tr.v2_body,
     'instantiate'),
    ('v2 terminate', lambda v: tr.v2_terminate(v, VNFD), tr.v2_body,
     'terminate'),
    ('v2 scale out', lambda v: tr.v2_scale(v, VNFD, out=True), tr.v2_body,
     'scale_out'),
    ('v2 scale in', lambda v: tr.v2_scale(v, VNFD, out=False), tr.v2_body,
     'scale_in'),
    ('v2 heal', lambda v: tr.v2_heal(v, VNFD), tr.v2_body, 'heal'),
    ('v2 auto heal', lambda v: tr.v2_heal(v, VNFD, automatic=True),
     tr.v2_body, 'heal'),
    ('v2 change ext conn', lambda v: tr.v2_change_ext_conn(v, VNFD),
     tr.v2_body, 'change_connectivity'),
    ('v2 change vnfpkg', lambda v: tr.v2_change_vnfpkg(v, VNFD, 'vnfd-2'),
     tr.v2_body, 'change_package'),
    ('v1 instantiate', lambda v: tr.v1_instantiate(v, VNFD), tr.v1_body,
     'instantiate'),
    ('v1 terminate', lambda v: tr.v1_terminate(v, VNFD), tr.v1_body,
     'terminate'),
    ('v1 heal', lambda v: tr.v1_heal(v, VNFD), tr.v1_body, 'heal'),
]


def _json(resp):
    return json.loads(resp.body)


def _problem(resp, status):
    assert resp.status_int == status, resp.body
    assert resp.content_type == 'application/problem+json'
    body = _json(resp)
    assert schema.errors(schema.PROBLEM_DETAILS, body) == []
    assert body['status'] == status
    return body


@pytest.mark.parametrize('name,build,encode,operation', SHAPES,
                         ids=[s[0] for s in SHAPES])
# covers: R2.1.40, R1.3.30
def test_tacker_shapes_are_gated_and_granted(name, build, encode, operation):
    gate = fakes.FakeGate(registered={'vnf-1': {'domain': 'blue'}})
    api = fakes.make_api(gate)
    req = build('vnf-1')
    resp = fakes.post_grant(api, encode(req))
    assert resp.status_int == 201, resp.body
    grant = _json(resp)
    assert schema.errors(schema.GRANT, grant) == []
    assert resp.headers['Location'] == grant['_links']['self']['href']
    assert resp.headers['Version'] == '1.4.0'
    assert grant['vnfInstanceId'] == 'vnf-1'
    assert grant['vnfLcmOpOccId'] == req['vnfLcmOpOccId']
    assert grant['_links']['vnfLcmOpOcc'] == req['_links']['vnfLcmOpOcc']
    # Tacker v1 refuses a Grant whose resource lists differ in length.
    for key in ('addResources', 'removeResources', 'updateResources'):
        assert [g['resourceDefinitionId'] for g in grant.get(key, [])] == [
            r['id'] for r in req.get(key, [])]
    [call] = gate.calls
    assert call.operation == operation
    assert call.vnf_id == 'vnf-1'
    assert call.domain == ''  # registered: the registration decides
    assert call.recovery == (operation == 'heal')
    expected_source = ('auto_healing' if req['isAutomaticInvocation']
                       else 'vnfm')
    assert call.source == expected_source
    if operation == 'change_package':
        assert call.vnfd_id == 'vnfd-2'  # what will run next
    else:
        assert call.vnfd_id == VNFD


def _without(key):
    def mutate(req):
        del req[key]
    return mutate


def _set(path, value):
    def mutate(req):
        node = req
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
    return mutate


MALFORMED = [
    ('no vnfInstanceId', _without('vnfInstanceId'), 'vnfInstanceId'),
    ('no vnfLcmOpOccId', _without('vnfLcmOpOccId'), 'vnfLcmOpOccId'),
    ('no vnfdId', _without('vnfdId'), 'vnfdId'),
    ('no operation', _without('operation'), 'operation'),
    ('no isAutomaticInvocation', _without('isAutomaticInvocation'),
     'isAutomaticInvocation'),
    ('no _links', _without('_links'), '_links'),
    ('null vnfInstanceId', _set(['vnfInstanceId'], None), 'vnfInstanceId'),
    ('empty vnfInstanceId', _set(['vnfInstanceId'], ''), 'vnfInstanceId'),
    ('numeric vnfdId', _set(['vnfdId'], 42), 'vnfdId'),
    ('unknown operation', _set(['operation'], 'REBOOT'), 'operation'),
    ('lower-case operation', _set(['operation'], 'instantiate'),
     'operation'),
    ('string isAutomaticInvocation',
     _set(['isAutomaticInvocation'], 'false'), 'isAutomaticInvocation'),
    ('link without href', _set(['_links', 'vnfInstance'], {}),
     'vnfInstance'),
    ('resource of unknown type',
     _set(['addResources', 0, 'type'], 'GPU'), 'addResources[0].type'),
    ('resource without id', lambda r: r['addResources'][0].pop('id'),
     'addResources[0]'),
    ('resource handle without resourceId',
     _set(['addResources', 0, 'resource'], {'vimConnectionId': 'v'}),
     'addResources[0].resource'),
    ('addResources not a list', _set(['addResources'], {'id': 'x'}),
     'addResources'),
    ('placement constraint of unknown scope',
     _set(['placementConstraints', 0, 'scope'], 'RACK'),
     'placementConstraints[0].scope'),
    ('constraint ref of unknown idType',
     _set(['placementConstraints', 0, 'resource', 0, 'idType'], 'NAME'),
     'placementConstraints[0].resource[0].idType'),
    ('additionalParams not an object', _set(['additionalParams'], [1]),
     'additionalParams'),
]


@pytest.mark.parametrize('name,mutate,where', MALFORMED,
                         ids=[m[0] for m in MALFORMED])
# covers: R1.3.30
def test_malformed_grant_request_is_400(name, mutate, where):
    gate = fakes.FakeGate(registered={'vnf-1': {'domain': 'blue'}})
    api = fakes.make_api(gate)
    req = tr.v2_instantiate('vnf-1', VNFD)
    mutate(req)
    body = _problem(fakes.post_grant(api, tr.v2_body(req)), 400)
    assert where in body['detail']
    assert gate.calls == []  # nothing malformed reaches the gate


BAD_BODIES = [
    ('not JSON', b'{"vnfInstanceId": '),
    ('JSON array', b'[]'),
    ('JSON number', b'7'),
    ('double-encoded garbage', b'"not json inside"'),
    ('invalid UTF-8', b'{"vnfInstanceId": "\xff"}'),
    ('empty body', b''),
    ('nested too deeply', b'[' * 100000 + b']' * 100000),
    ('nested too deeply inside an object',
     b'{"additionalParams": ' + b'{"a": ' * 5000 + b'1' + b'}' * 5001),
]


@pytest.mark.parametrize('name,raw', BAD_BODIES,
                         ids=[b[0] for b in BAD_BODIES])
# covers: R1.3.30
def test_unparsable_body_is_400(name, raw):
    gate = fakes.FakeGate()
    body = _problem(fakes.post_grant(fakes.make_api(gate), raw), 400)
    assert body['detail']
    assert gate.calls == []


# covers: R1.3.30
def test_wrong_content_type_and_oversized_body_are_refused():
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    api = fakes.make_api(gate, max_request_bytes=2048)
    req = tr.v2_instantiate('vnf-1', VNFD)
    _problem(fakes.post_grant(api, tr.v2_body(req),
                              content_type='text/plain'), 415)
    req['additionalParams'] = {'pad': 'x' * 4096}
    _problem(fakes.post_grant(api, tr.v2_body(req)), 413)
    assert gate.calls == []


# covers: R2.1.40
def test_deny_is_403_naming_sm_and_reason():
    reason = "SM 'sm-1' (fully_active) denied: image not approved"
    gate = fakes.FakeGate(fakes.decision(False, reasons=[reason]),
                          registered={'vnf-1': {}})
    body = _problem(fakes.post_grant(fakes.make_api(gate),
                                     tr.v2_instantiate('vnf-1', VNFD)), 403)
    assert reason in body['detail']
    assert 'INSTANTIATE' in body['detail']


# covers: R1.3.30
def test_unreachable_gateway_is_503_fail_closed():
    gate = fakes.FakeGate(fakes.decision(
        False, error='nfvsm gateway unreachable: connection refused'),
        registered={'vnf-1': {}})
    resp = fakes.post_grant(fakes.make_api(gate),
                            tr.v2_instantiate('vnf-1', VNFD))
    _problem(resp, 503)
    assert resp.headers['Retry-After']
    gate = fakes.FakeGate()
    gate.lookup_error = fakes.Unavailable('down')
    _problem(fakes.post_grant(fakes.make_api(gate),
                              tr.v2_instantiate('vnf-1', VNFD)), 503)
    assert gate.calls == []


# covers: R1.3.30
def test_gateway_that_could_not_decide_is_403():
    gate = fakes.FakeGate(fakes.decision(
        False, error='the nfvsm gateway could not decide: unknown VNF'),
        registered={'vnf-1': {}})
    body = _problem(fakes.post_grant(fakes.make_api(gate),
                                     tr.v2_terminate('vnf-1', VNFD)), 403)
    assert 'could not decide' in body['detail']


# covers: R1.1.10
def test_unregistered_vnf_uses_configured_domain_then_is_registered():
    gate = fakes.FakeGate()
    api = fakes.make_api(gate, vnfd_domains={VNFD: 'blue'},
                         default_domain='grey')
    resp = fakes.post_grant(api, tr.v2_instantiate('vnf-new', VNFD))
    assert resp.status_int == 201
    assert gate.calls[0].domain == 'blue'
    assert gate.registrations == [('vnf-new', 'blue', VNFD)]
    # Now registered: the next grant gates in the registered domain, and a
    # HEAL is a recovery check.
    resp = fakes.post_grant(api, tr.v2_heal('vnf-new', VNFD))
    assert resp.status_int == 201
    assert gate.calls[1].domain == '' and gate.calls[1].recovery
    resp = fakes.post_grant(api, tr.v2_instantiate('vnf-other', 'vnfd-x'))
    assert gate.calls[2].domain == 'grey'
    # A HEAL of a VNF nfvsm does not know is still a recovery check, in
    # the mapped domain.
    resp = fakes.post_grant(api, tr.v1_heal('vnf-unknown', VNFD))
    assert resp.status_int == 201
    assert gate.calls[3].domain == 'blue' and gate.calls[3].recovery
    # Only INSTANTIATE registers.
    assert [r[0] for r in gate.registrations] == ['vnf-new', 'vnf-other']


# covers: R1.1.10, R1.3.30
def test_unregistered_vnf_without_domain_is_403_without_asking():
    gate = fakes.FakeGate()
    body = _problem(fakes.post_grant(fakes.make_api(gate),
                                     tr.v2_instantiate('vnf-x', VNFD)), 403)
    assert 'vnfd_domains' in body['detail']
    assert gate.calls == []


# covers: R1.2.50-80, R2.1.40
def test_effective_policy_is_carried_in_the_grant():
    policy = {'version': 1,
              'placement': {'allowed_zones': ['az-1', 'az-2'],
                            'denied_hosts': ['compute-7'],
                            'hmee_required': True},
              'boot': {'vbs_required': True}}
    gate = fakes.FakeGate(fakes.decision(True, policy=policy, gate_id='g-9'),
                          registered={'vnf-1': {}})
    req = tr.v2_instantiate('vnf-1', VNFD, anti_affinity=True)
    grant = _json(fakes.post_grant(fakes.make_api(gate), req))
    assert grant['zones'] == [{'id': 'zone-1', 'zoneId': 'az-1'},
                              {'id': 'zone-2', 'zoneId': 'az-2'}]
    assert grant['zoneGroups'] == [{'zoneId': ['zone-1', 'zone-2']}]
    computes = [r['id'] for r in req['addResources'] if r['type'] == 'COMPUTE']
    zone_of = {g['resourceDefinitionId']: g.get('zoneId')
               for g in grant['addResources']}
    # Anti-affinity of scope ZONE spreads the two VDU instances.
    assert [zone_of[c] for c in computes] == ['zone-1', 'zone-2']
    assert all(zone_of[r['id']] is None for r in req['addResources']
               if r['type'] != 'COMPUTE')
    assert grant['additionalParams'] == {'nfvsmGateId': 'g-9',
                                         'nfvsmPolicy': policy}
    assert schema.errors(schema.GRANT, grant) == []


def test_grant_can_be_read_back_at_its_location():
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    api = fakes.make_api(gate)
    resp = fakes.post_grant(api, tr.v2_terminate('vnf-1', VNFD))
    path = resp.headers['Location'].replace('http://nfvo.example', '')
    get = webob.Request.blank(path)
    get.headers['Authorization'] = fakes.basic_header()
    again = get.get_response(api)
    assert again.status_int == 200
    assert _json(again) == _json(resp)
    get = webob.Request.blank('/grant/v1/grants/nope')
    get.headers['Authorization'] = fakes.basic_header()
    _problem(get.get_response(api), 404)


def _token(api, authorization=None, form='grant_type=client_credentials'):
    req = webob.Request.blank('/token', method='POST')
    req.content_type = 'application/x-www-form-urlencoded'
    req.body = form.encode()
    if authorization:
        req.headers['Authorization'] = authorization
    return req.get_response(api)


# covers: R1.1.70
def test_oauth2_client_credentials_token_grants_access():
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    api = fakes.make_api(gate)
    resp = _token(api, fakes.basic_header())
    assert resp.status_int == 200
    assert resp.headers['Cache-Control'] == 'no-store'
    token = _json(resp)
    assert token['token_type'] == 'Bearer' and token['expires_in'] == 3600
    ok = fakes.post_grant(api, tr.v2_terminate('vnf-1', VNFD),
                          authorization='Bearer ' + token['access_token'])
    assert ok.status_int == 201


CREDENTIAL_CASES = [
    ('none', None),
    ('wrong secret', fakes.basic_header(secret='nope')),
    ('unknown client', fakes.basic_header(client_id='mallory')),
    ('garbage basic', 'Basic !!!'),
    ('garbage bearer', 'Bearer abc'),
    ('unknown scheme', 'Negotiate abc'),
]


@pytest.mark.parametrize('name,authorization', CREDENTIAL_CASES,
                         ids=[c[0] for c in CREDENTIAL_CASES])
# covers: R1.1.70
def test_grant_without_valid_credentials_is_401(name, authorization):
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    api = fakes.make_api(gate)
    req = webob.Request.blank('/grant/v1/grants', method='POST')
    req.content_type = 'application/json'
    req.body = tr.v2_body(tr.v2_terminate('vnf-1', VNFD))
    if authorization:
        req.headers['Authorization'] = authorization
    resp = req.get_response(api)
    _problem(resp, 401)
    assert set(resp.headers.getall('WWW-Authenticate')) == {
        'Bearer realm="nfvsm"', 'Basic realm="nfvsm"'}
    assert gate.calls == []


# covers: R1.1.70
def test_tampered_expired_and_foreign_tokens_are_refused():
    now = [1000000.0]
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    api = fakes.make_api(gate, clock=lambda: now[0])
    token = _json(_token(api, fakes.basic_header()))['access_token']
    head, payload, mac = token.split('.')
    forged = '.'.join([head, payload[:-2] + 'AA', mac])
    body = tr.v2_terminate('vnf-1', VNFD)
    _problem(fakes.post_grant(api, body, 'Bearer ' + forged), 401)
    other = fakes.make_api(gate, clock=lambda: now[0])  # same key
    assert fakes.post_grant(other, body, 'Bearer ' + token).status_int == 201
    now[0] += 3601
    _problem(fakes.post_grant(api, body, 'Bearer ' + token), 401)


# covers: R1.1.70
def test_token_endpoint_refuses_bad_clients_and_grant_types():
    api = fakes.make_api(fakes.FakeGate())
    resp = _token(api, fakes.basic_header(secret='wrong'))
    assert resp.status_int == 401
    assert _json(resp) == {'error': 'invalid_client'}
    resp = _token(api)
    assert resp.status_int == 401
    resp = _token(api, fakes.basic_header(), form='grant_type=password')
    assert resp.status_int == 400
    assert _json(resp) == {'error': 'unsupported_grant_type'}
    basic_only = fakes.make_api(fakes.FakeGate(), methods=('basic',))
    _problem(_token(basic_only, fakes.basic_header()), 404)


# covers: R1.1.70
def test_bearer_refused_when_only_basic_is_configured():
    gate = fakes.FakeGate(registered={'vnf-1': {}})
    issuer = fakes.make_api(gate)
    token = _json(_token(issuer, fakes.basic_header()))['access_token']
    basic_only = fakes.make_api(gate, methods=('basic',))
    body = tr.v2_terminate('vnf-1', VNFD)
    _problem(fakes.post_grant(basic_only, body, 'Bearer ' + token), 401)
    assert fakes.post_grant(basic_only, body).status_int == 201


def test_wrong_method_and_unknown_path():
    api = fakes.make_api(fakes.FakeGate())
    resp = webob.Request.blank('/grant/v1/grants').get_response(api)
    _problem(resp, 405)
    assert resp.headers['Allow'] == 'POST'
    _problem(webob.Request.blank('/nothing').get_response(api), 404)
