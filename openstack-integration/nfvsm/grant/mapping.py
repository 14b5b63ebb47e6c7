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

"""GrantRequest -> nfvsm gate, gate decision -> Grant.

Pure functions (no I/O) so that the mapping, the part a reviewer must be
able to check against SOL003 and nfvsm's gate semantics, is tested without
a broker.
"""

import dataclasses

# SOL003 GrantedLcmOperationType -> nfvsm operation (GateClient names).
# SCALE and SCALE_TO_LEVEL depend on the resources (see gate_operation).
# The operations Tacker never grants today still map to the nearest nfvsm
# operation rather than being waved through: a new Tacker release that
# starts granting OPERATE is gated from day one.
_FIXED_OPERATIONS = {
    'INSTANTIATE': 'instantiate',
    'TERMINATE': 'terminate',
    'HEAL': 'heal',
    'CHANGE_EXT_CONN': 'change_connectivity',
    'CHANGE_VNFPKG': 'change_package',
    'CHANGE_FLAVOUR': 'modify',
    'OPERATE': 'restart',
    'CREATE_SNAPSHOT': 'modify',
    'REVERT_TO_SNAPSHOT': 'modify',
}

_RESOURCE_LISTS = ('addResources', 'tempResources', 'removeResources',
                   'updateResources')


@dataclasses.dataclass(frozen=True)
class GateCall:
    """One question for nfvsm's gate, derived from a GrantRequest.

    ``recovery`` selects GateClient.check_recovery (is_recovery: the
    quarantine veto of automatic recovery applies).
    """

    operation: str
    vnf_id: str
    domain: str
    vnfd_id: str
    source: str
    reason: str
    needs_security_policy: bool
    recovery: bool


def gate_operation(req):
    """Return the nfvsm operation a GrantRequest asks for.

    A SCALE that adds resources is a scale-out (it brings new instances
    into service, so policy and placement apply); one that only removes
    them is a scale-in. A SCALE with neither is treated as a scale-out:
    asking the stricter question costs nothing when nothing changes.
    """
    op = req['operation']
    if op in _FIXED_OPERATIONS:
        return _FIXED_OPERATIONS[op]
    if req.get('addResources') or not req.get('removeResources'):
        return 'scale_out'
    return 'scale_in'


def activates(operation):
    """True for operations that bring VNF instances into service."""
    return operation in ('instantiate', 'scale_out', 'heal', 'restart',
                         'change_package')


def gate_call(req, domain, require_policy):
    """Build the GateCall for a validated GrantRequest.

    ``domain`` is empty when the VNF is registered (the gateway then uses
    the registered domain, which a configured mapping must never
    override).
    """
    operation = gate_operation(req)
    automatic = bool(req.get('isAutomaticInvocation'))
    vnfd_id = req['vnfdId']
    if req['operation'] == 'CHANGE_VNFPKG' and req.get('dstVnfdId'):
        # The quarantine and policy checks concern what will run next.
        vnfd_id = req['dstVnfdId']
    reason = 'SOL003 grant %s, VNF LCM operation occurrence %s%s' % (
        req['operation'], req['vnfLcmOpOccId'],
        ' (automatic invocation)' if automatic else '')
    return GateCall(
        operation=operation,
        vnf_id=req['vnfInstanceId'],
        domain=domain,
        vnfd_id=vnfd_id,
        source='auto_healing' if automatic else 'vnfm',
        reason=reason,
        needs_security_policy=require_policy and activates(operation),
        recovery=(operation == 'heal'))


def _zone_assignment(req, zones):
    """Map COMPUTE resource definition ids to ZoneInfo ids.

    Everything goes to the first allowed zone, except resources under an
    ANTI_AFFINITY constraint of scope ZONE, which are spread over the
    allowed zones in order (the SM's zones, the VNFD's anti-affinity).
    """
    if not zones:
        return {}
    spread = set()
    for constraint in req.get('placementConstraints', []):
        if (constraint.get('affinityOrAntiAffinity') == 'ANTI_AFFINITY' and
                constraint.get('scope') == 'ZONE'):
            spread.update(ref['resourceId']
                          for ref in constraint.get('resource', [])
                          if ref.get('idType') == 'GRANT')
    out = {}
    turn = 0
    for key in ('addResources', 'tempResources'):
        for res in req.get(key, []):
            if res['type'] != 'COMPUTE':
                continue
            if res['id'] in spread:
                out[res['id']] = zones[turn % len(zones)]['id']
                turn += 1
            else:
                out[res['id']] = zones[0]['id']
    return out


def build_grant(req, decision, grant_id, self_href):
    """Return the SOL003 Grant for an allowed GrantRequest.

    The effective policy of the gate is carried where SOL003 has a place
    for it: allowed zones become ``zones`` (and one ``zoneGroups`` entry
    when there are several), each COMPUTE resource to add gets its zone,
    and the whole policy (denied hosts, HMEE, anti-affinity group,
    network and boot requirements have no Grant attribute) travels in
    ``additionalParams.nfvsmPolicy`` for Tacker's management driver.
    Every resource definition of the request gets a GrantInfo: Tacker v1
    (conductor_server._grant) refuses a Grant whose resource lists differ
    in length from its request's.
    """
    policy = decision.policy or {}
    allowed_zones = (policy.get('placement') or {}).get('allowed_zones', [])
    zones = [{'id': 'zone-%d' % (i + 1), 'zoneId': zone}
             for i, zone in enumerate(allowed_zones)]
    zone_of = _zone_assignment(req, zones)

    grant = {
        'id': grant_id,
        'vnfInstanceId': req['vnfInstanceId'],
        'vnfLcmOpOccId': req['vnfLcmOpOccId'],
    }
    if zones:
        grant['zones'] = zones
        if len(zones) > 1:
            grant['zoneGroups'] = [{'zoneId': [z['id'] for z in zones]}]
    for key in _RESOURCE_LISTS:
        if key not in req:
            continue
        infos = []
        for res in req[key]:
            info = {'resourceDefinitionId': res['id']}
            if res['id'] in zone_of:
                info['zoneId'] = zone_of[res['id']]
            infos.append(info)
        grant[key] = infos
    params = {'nfvsmGateId': decision.gate_id}
    if decision.policy is not None:
        params['nfvsmPolicy'] = decision.policy
    if decision.failed_open:
        params['nfvsmFailedOpen'] = True
    grant['additionalParams'] = params
    grant['_links'] = {
        'self': {'href': self_href},
        'vnfLcmOpOcc': dict(req['_links']['vnfLcmOpOcc']),
        'vnfInstance': dict(req['_links']['vnfInstance']),
    }
    return grant
