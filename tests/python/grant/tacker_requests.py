"""GrantRequests shaped exactly as Tacker sends them (test data builders).

Shapes come from Tacker's source (openstack/tacker, master of 2026-05):

- v2 (``[v2_nfvo] use_external_nfvo = True``):
  tacker/sol_refactored/conductor/vnflcm_driver_v2.py ``grant`` (common
  part and _links: lcmocc_utils.lcmocc_href / inst_utils.inst_href, i.e.
  <endpoint>/vnflcm/v2/...), ``instantiate_grant`` (COMPUTE, LINKPORT,
  STORAGE, VL resource definitions from _make_res_def_for_new_vdu, ids
  ``<template>-<uuid>`` for ports and storage, placementConstraints with
  idType GRANT and fallbackBestEffort from [v2_vnfm]),
  ``terminate_grant`` / ``_make_res_def_for_remove_vnfcs`` (resource
  handles with vimLevelResourceType OS::Nova::Server),
  ``scale_grant`` (SCALE_OUT -> addResources, SCALE_IN -> removeResources),
  ``heal_grant`` (remove + add of the same VDUs; isAutomaticInvocation from
  the lcmocc, True for auto-heal), ``change_ext_conn_grant``
  (updateResources + LINKPORT add/remove), ``change_vnfpkg_grant``
  (dstVnfdId); serialized by TackerObject.to_dict (unset fields omitted).
- v1 (``[connect_grant] base_url``): tacker/conductor/conductor_server.py
  ``_make_grant_request`` (flavourId from instantiated_vnf_info, always
  isAutomaticInvocation False, _links to <endpoint>/vnflcm/v1/...),
  ``_instantiate_grant`` (vduId on every resource, placement constraints
  with fallbackBestEffort True and possibly a single resource ref),
  serialized by tacker/objects/grant_request.py to_request_body (snake
  case -> camelCase, ResourceHandle.to_dict writes nulls) and sent as
  requests' ``json=`` of that JSON *text*: the HTTP body is a JSON string.

The attribute tables are SOL003 v3.3.1 9.5.2.2 / 9.5.3.
"""

import json
import uuid

V2_ENDPOINT = 'http://tacker.example:9890'
V1_ENDPOINT = 'http://tacker.example:9890'


def _uuid():
    return str(uuid.uuid4())


def _v2_common(operation, vnf_id, vnfd_id, automatic=False):
    lcmocc = _uuid()
    return {
        'vnfInstanceId': vnf_id,
        'vnfLcmOpOccId': lcmocc,
        'vnfdId': vnfd_id,
        'operation': operation,
        'isAutomaticInvocation': automatic,
        '_links': {
            'vnfLcmOpOcc': {'href': '%s/vnflcm/v2/vnf_lcm_op_occs/%s'
                            % (V2_ENDPOINT, lcmocc)},
            'vnfInstance': {'href': '%s/vnflcm/v2/vnf_instances/%s'
                            % (V2_ENDPOINT, vnf_id)},
        },
    }


def _v2_new_vdu(vdu, cps=('CP1',), storages=()):
    """vnflcm_driver_v2._make_res_def_for_new_vdu for one VDU instance."""
    vdu_res_id = _uuid()
    out = [{'id': vdu_res_id, 'type': 'COMPUTE', 'resourceTemplateId': vdu}]
    out += [{'id': '%s-%s' % (cp, vdu_res_id), 'type': 'LINKPORT',
             'resourceTemplateId': cp} for cp in cps]
    out += [{'id': '%s-%s' % (st, vdu_res_id), 'type': 'STORAGE',
             'resourceTemplateId': st} for st in storages]
    return out


def _v2_existing_vdu(vdu):
    return {'id': _uuid(), 'type': 'COMPUTE', 'resourceTemplateId': vdu,
            'resource': {'resourceId': _uuid(),
                         'vimConnectionId': 'vim-1',
                         'vimLevelResourceType': 'OS::Nova::Server'}}


def v2_instantiate(vnf_id, vnfd_id, anti_affinity=True):
    req = _v2_common('INSTANTIATE', vnf_id, vnfd_id)
    req['flavourId'] = 'simple'
    req['instantiationLevelId'] = 'instantiation_level_1'
    adds = _v2_new_vdu('VDU1', storages=('VirtualStorage',))
    adds += _v2_new_vdu('VDU1', storages=('VirtualStorage',))
    adds += [{'id': _uuid(), 'type': 'VL',
              'resourceTemplateId': 'internalVL1'}]
    req['addResources'] = adds
    if anti_affinity:
        computes = [r for r in adds if r['type'] == 'COMPUTE']
        req['placementConstraints'] = [{
            'affinityOrAntiAffinity': 'ANTI_AFFINITY', 'scope': 'ZONE',
            'resource': [{'idType': 'GRANT', 'resourceId': r['id']}
                         for r in computes],
            'fallbackBestEffort': False}]
    req['additionalParams'] = {'lcm-operation-user-data':
                               './UserData/userdata.py'}
    return req


def v2_terminate(vnf_id, vnfd_id):
    req = _v2_common('TERMINATE', vnf_id, vnfd_id)
    req['removeResources'] = [_v2_existing_vdu('VDU1'),
                              _v2_existing_vdu('VDU1')]
    return req


def v2_scale(vnf_id, vnfd_id, out=True):
    req = _v2_common('SCALE', vnf_id, vnfd_id)
    req['flavourId'] = 'simple'
    if out:
        req['addResources'] = _v2_new_vdu('VDU1')
    else:
        req['removeResources'] = [_v2_existing_vdu('VDU1')]
    return req


def v2_heal(vnf_id, vnfd_id, automatic=False):
    req = _v2_common('HEAL', vnf_id, vnfd_id, automatic=automatic)
    req['flavourId'] = 'simple'
    old = _v2_existing_vdu('VDU1')
    new = {'id': _uuid(), 'type': 'COMPUTE', 'resourceTemplateId': 'VDU1',
           'resource': dict(old['resource'])}
    req['removeResources'] = [old]
    req['addResources'] = [new]
    return req


def v2_change_ext_conn(vnf_id, vnfd_id):
    req = _v2_common('CHANGE_EXT_CONN', vnf_id, vnfd_id)
    vdu = _v2_existing_vdu('VDU1')
    req['updateResources'] = [vdu]
    req['removeResources'] = [{'id': 'CP1-%s' % _uuid(), 'type': 'LINKPORT',
                               'resourceTemplateId': 'CP1'}]
    req['addResources'] = [{'id': 'CP1-%s' % _uuid(), 'type': 'LINKPORT',
                            'resourceTemplateId': 'CP1'}]
    return req


def v2_change_vnfpkg(vnf_id, vnfd_id, dst_vnfd_id):
    req = _v2_common('CHANGE_VNFPKG', vnf_id, vnfd_id)
    req['dstVnfdId'] = dst_vnfd_id
    req['flavourId'] = 'simple'
    req['removeResources'] = [_v2_existing_vdu('VDU1')]
    req['addResources'] = _v2_new_vdu('VDU1', cps=())
    return req


def _v1_common(operation, vnf_id, vnfd_id, flavour='simple'):
    lcmocc = _uuid()
    return {
        'vnfInstanceId': vnf_id,
        'vnfLcmOpOccId': lcmocc,
        'vnfdId': vnfd_id,
        'flavourId': flavour,
        'operation': operation,
        'isAutomaticInvocation': False,
        '_links': {
            'vnfLcmOpOcc': {'href': '%s/vnflcm/v1/vnf_lcm_op_occs/%s'
                            % (V1_ENDPOINT, lcmocc)},
            'vnfInstance': {'href': '%s/vnflcm/v1/vnf_instances/%s'
                            % (V1_ENDPOINT, vnf_id)},
        },
    }


def v1_instantiate(vnf_id, vnfd_id):
    req = _v1_common('INSTANTIATE', vnf_id, vnfd_id)
    vdu = {'id': _uuid(), 'type': 'COMPUTE', 'resourceTemplateId': 'VDU1',
           'vduId': 'VDU1'}
    req['addResources'] = [
        vdu,
        {'id': _uuid(), 'type': 'VL', 'resourceTemplateId': 'internalVL1'},
        {'id': _uuid(), 'type': 'LINKPORT', 'resourceTemplateId': 'CP1',
         'vduId': 'VDU1'},
        {'id': _uuid(), 'type': 'STORAGE',
         'resourceTemplateId': 'VirtualStorage', 'vduId': 'VDU1'},
    ]
    # One VDU instance under an anti-affinity rule: Tacker v1 still sends
    # the constraint, with a single reference (SOL003 wants two).
    req['placementConstraints'] = [{
        'affinityOrAntiAffinity': 'ANTI_AFFINITY', 'scope': 'NFVI_NODE',
        'fallbackBestEffort': True,
        'resource': [{'idType': 'GRANT', 'resourceId': vdu['id']}]}]
    return req


def v1_terminate(vnf_id, vnfd_id):
    req = _v1_common('TERMINATE', vnf_id, vnfd_id)
    req['removeResources'] = [{
        'id': _uuid(), 'type': 'COMPUTE', 'resourceTemplateId': 'VDU1',
        'vduId': 'VDU1',
        'resource': {'vimConnectionId': None, 'resourceId': _uuid(),
                     'vimLevelResourceType': None}}]
    return req


def v1_heal(vnf_id, vnfd_id):
    req = _v1_common('HEAL', vnf_id, vnfd_id)
    old = v1_terminate(vnf_id, vnfd_id)['removeResources'][0]
    req['removeResources'] = [old]
    req['addResources'] = [{'id': _uuid(), 'type': 'COMPUTE',
                            'resourceTemplateId': 'VDU1', 'vduId': 'VDU1'}]
    return req


def v1_body(req):
    """The HTTP body Tacker v1 sends: json= of to_request_body()'s text."""
    return json.dumps(json.dumps(req)).encode('utf-8')


def v2_body(req):
    """The HTTP body Tacker v2 sends (http_client.do_request)."""
    return json.dumps(req).encode('utf-8')
