"""Each actuator step against the OpenStack STUB (openstack_stub.py, since
OpenStack cannot run here): the request the service decodes is a real
ActuatorRequest, and every HTTP call goes through the real openstacksdk /
keystoneauth stack. Checked: method, path, microversion headers and body
of each call, the reply code, and idempotence on retry."""

import pytest

from nfvsm.v1 import actuator_pb2
from nfvsm.v1 import admin_pb2
from nfvsm.v1 import common_pb2
from nfvsm.v1 import records_pb2

import openstack_stub

OK = admin_pb2.ADMIN_STATUS_OK


def vnf(vnf_id, **fields):
    return records_pb2.VnfRecord(vnf_id=vnf_id, domain='tenant-a', **fields)


def run(dispatcher, **action):
    request = actuator_pb2.ActuatorRequest(request_id='req-1',
                                           gateway_id='mano', **action)
    reply = actuator_pb2.ActuatorReply()
    reply.ParseFromString(dispatcher.handle(request.SerializeToString()))
    assert reply.request_id == 'req-1'
    return reply


def code_name(reply):
    return admin_pb2.AdminStatusCode.Name(reply.code)


def nova_version(call):
    return (call.headers.get('openstack-api-version'),
            call.headers.get('x-openstack-nova-api-version'))


def compute(stub):
    return stub.api_calls('/compute/')


# covers: R2.1.270, R2.1.280/290
def test_terminate_deletes_the_nova_server(stub, dispatcher):
    stub.servers['srv-1'] = 'ACTIVE'
    terminate = actuator_pb2.ActuatorTerminateVnf(vnf=vnf('srv-1'))
    reply = run(dispatcher, terminate_vnf=terminate)
    assert code_name(reply) == 'ADMIN_STATUS_OK', reply.message
    # Tacker was asked first (auto) and does not know it.
    tacker = stub.api_calls('/nfv-orchestration/')
    assert [(c.method, c.path) for c in tacker] == [
        ('GET', '/nfv-orchestration/vnflcm/v1/vnf_instances/srv-1')]
    assert [(c.method, c.path) for c in compute(stub)] == [
        ('DELETE', '/compute/v2.1/servers/srv-1')]
    assert 'srv-1' not in stub.servers
    # A retried step is success: the server is gone already.
    assert run(dispatcher, terminate_vnf=terminate).code == OK


# covers: R2.1.270, R2.1.280/290
def test_terminate_goes_through_tacker_when_it_knows_the_vnf(stub,
                                                             dispatcher):
    stub.tacker_vnfs['vnf-9'] = {'id': 'vnf-9',
                                 'instantiationState': 'INSTANTIATED'}
    reply = run(dispatcher, terminate_vnf=actuator_pb2.ActuatorTerminateVnf(
        vnf=vnf('vnf-9')))
    assert reply.code == OK, reply.message
    posts = [c for c in stub.api_calls('/nfv-orchestration/')
             if c.method == 'POST']
    assert len(posts) == 1
    assert posts[0].path == \
        '/nfv-orchestration/vnflcm/v1/vnf_instances/vnf-9/terminate'
    assert posts[0].body == {'terminationType': 'FORCEFUL'}
    assert compute(stub) == []


# covers: R2.1.270
def test_terminate_without_tacker_uses_nova_only(make_dispatcher):
    stub = openstack_stub.OpenStackStub(with_tacker=False)
    try:
        stub.servers['srv-2'] = 'ACTIVE'
        dispatcher, _ = make_dispatcher(stub)
        reply = run(dispatcher, terminate_vnf=actuator_pb2.
                    ActuatorTerminateVnf(vnf=vnf('srv-2')))
        assert reply.code == OK, reply.message
        assert [(c.method, c.path) for c in stub.calls] == [
            ('DELETE', '/compute/v2.1/servers/srv-2')]
    finally:
        stub.close()


# covers: R2.1.260, R2.1.270
def test_quarantine_copy_locks_with_reason_snapshots_and_pauses(stub,
                                                                dispatcher):
    stub.servers['srv-3'] = 'ACTIVE'
    action = actuator_pb2.ActuatorVnfAction(vnf=vnf('srv-3'))
    reply = run(dispatcher, quarantine_instance_copy=action)
    assert reply.code == OK, reply.message
    calls = compute(stub)
    assert [(c.method, c.path) for c in calls] == [
        ('POST', '/compute/v2.1/servers/srv-3/action')] * 3
    lock, snapshot, pause = calls
    assert lock.body == {'lock': {
        'locked_reason': 'nfvsm quarantine of VNF srv-3'}}
    # locked_reason needs Nova >= 2.73: both microversion headers.
    assert nova_version(lock) == ('compute 2.73', '2.73')
    assert snapshot.body['createImage']['name'] == 'nfvsm-quarantine-srv-3'
    assert snapshot.body['createImage']['metadata'] == {
        'nfvsm_quarantine': 'true', 'nfvsm_vnf_id': 'srv-3'}
    assert nova_version(snapshot) == ('compute 2.45', '2.45')
    assert pause.body == {'pause': None}
    assert stub.servers['srv-3'] == 'PAUSED'
    # Again: Nova answers 409 to the pause of a paused server; still done.
    assert run(dispatcher, quarantine_instance_copy=action).code == OK


# covers: R2.1.260
def test_quarantine_copy_can_shelve_without_snapshot(stub, make_dispatcher):
    stub.servers['srv-4'] = 'ACTIVE'
    dispatcher, _ = make_dispatcher(
        stub, 'quarantine_mode = shelve\nquarantine_snapshot = false\n')
    reply = run(dispatcher, quarantine_instance_copy=actuator_pb2.
                ActuatorVnfAction(vnf=vnf('srv-4')))
    assert reply.code == OK, reply.message
    assert [next(iter(c.body)) for c in compute(stub)] == ['lock', 'shelve']
    assert stub.servers['srv-4'] == 'SHELVED_OFFLOADED'


# covers: R2.1.260, R2.1.280/290
def test_quarantine_copy_of_a_tacker_vnf_locks_every_vnfc(stub, dispatcher):
    stub.servers.update({'vdu-a': 'ACTIVE', 'vdu-b': 'ACTIVE'})
    stub.tacker_vnfs['vnf-5'] = {
        'id': 'vnf-5', 'instantiationState': 'INSTANTIATED',
        'instantiatedVnfInfo': {'vnfcResourceInfo': [
            {'computeResource': {'resourceId': 'vdu-a'}},
            {'computeResource': {'resourceId': 'vdu-b'}}]}}
    reply = run(dispatcher, quarantine_instance_copy=actuator_pb2.
                ActuatorVnfAction(vnf=vnf('vnf-5')))
    assert reply.code == OK, reply.message
    locked = [c.path for c in compute(stub) if 'lock' in c.body]
    assert locked == ['/compute/v2.1/servers/vdu-a/action',
                      '/compute/v2.1/servers/vdu-b/action']
    assert stub.servers == {'vdu-a': 'PAUSED', 'vdu-b': 'PAUSED'}


# covers: R2.1.270
def test_quarantine_image_deactivates_it_and_release_reactivates(stub,
                                                                 dispatcher):
    stub.images['img-1'] = 'active'
    reply = run(dispatcher, quarantine_image=actuator_pb2.
                ActuatorQuarantineImage(image_id='img-1'))
    assert reply.code == OK, reply.message
    assert [(c.method, c.path, c.body) for c in stub.calls] == [
        ('POST', '/image/v2/images/img-1/actions/deactivate', None)]
    assert stub.images['img-1'] == 'deactivated'
    stub.clear()
    reply = run(dispatcher, release_quarantine=actuator_pb2.
                ActuatorReleaseQuarantine(
                    target=common_pb2.QUARANTINE_TARGET_IMAGE,
                    target_id='img-1'))
    assert reply.code == OK, reply.message
    assert [(c.method, c.path) for c in stub.calls] == [
        ('POST', '/image/v2/images/img-1/actions/reactivate')]
    assert stub.images['img-1'] == 'active'


# covers: R2.1.270
def test_unknown_image_is_not_found(stub, dispatcher):
    reply = run(dispatcher, quarantine_image=actuator_pb2.
                ActuatorQuarantineImage(image_id='img-missing'))
    assert code_name(reply) == 'ADMIN_STATUS_NOT_FOUND'
    assert 'img-missing' in reply.message


# covers: R2.1.270, R2.1.320/330
def test_quarantine_host_disables_its_compute_service(stub, dispatcher):
    stub.hosts['compute-1'] = {'id': 'svc-uuid-1', 'status': 'enabled'}
    reply = run(dispatcher, quarantine_host=actuator_pb2.
                ActuatorQuarantineHost(host='compute-1', reason='rootkit'))
    assert reply.code == OK, reply.message
    find, disable = compute(stub)
    assert (find.method, find.path) == ('GET', '/compute/v2.1/os-services')
    assert find.query == {'host': 'compute-1', 'binary': 'nova-compute'}
    assert (disable.method, disable.path) == (
        'PUT', '/compute/v2.1/os-services/svc-uuid-1')
    assert disable.body == {'status': 'disabled',
                            'disabled_reason': 'rootkit'}
    # PUT /os-services/{uuid} with a reason needs Nova >= 2.53.
    assert nova_version(find) == ('compute 2.53', '2.53')
    assert nova_version(disable) == ('compute 2.53', '2.53')
    assert stub.hosts['compute-1']['status'] == 'disabled'

    stub.clear()
    reply = run(dispatcher, release_quarantine=actuator_pb2.
                ActuatorReleaseQuarantine(
                    target=common_pb2.QUARANTINE_TARGET_HOST,
                    target_id='compute-1'))
    assert reply.code == OK, reply.message
    enable = compute(stub)[-1]
    assert enable.body == {'status': 'enabled'}
    assert nova_version(enable) == ('compute 2.53', '2.53')
    assert stub.hosts['compute-1']['status'] == 'enabled'


# covers: R2.1.320/330
def test_unknown_host_is_not_found(stub, dispatcher):
    reply = run(dispatcher, quarantine_host=actuator_pb2.
                ActuatorQuarantineHost(host='nowhere', reason='x'))
    assert code_name(reply) == 'ADMIN_STATUS_NOT_FOUND'
    assert [c.method for c in compute(stub)] == ['GET']


# covers: R2.1.270
def test_quarantine_vnfd_disables_its_packages(stub, dispatcher):
    stub.packages['pkg-1'] = {'vnfdId': 'vnfd-1',
                              'operationalState': 'ENABLED'}
    stub.packages['pkg-2'] = {'vnfdId': 'vnfd-other',
                              'operationalState': 'ENABLED'}
    reply = run(dispatcher, quarantine_vnfd=actuator_pb2.
                ActuatorQuarantineVnfd(vnfd_id='vnfd-1'))
    assert reply.code == OK, reply.message
    find, patch = stub.api_calls('/nfv-orchestration/')
    assert find.query == {'filter': '(eq,vnfdId,vnfd-1)'}
    assert (patch.method, patch.path) == (
        'PATCH', '/nfv-orchestration/vnfpkgm/v1/vnf_packages/pkg-1')
    assert patch.headers['content-type'] == 'application/merge-patch+json'
    assert patch.body == {'operationalState': 'DISABLED'}
    assert stub.packages['pkg-2']['operationalState'] == 'ENABLED'
    # Retried: Tacker's 409 (already disabled) is success.
    assert run(dispatcher, quarantine_vnfd=actuator_pb2.
               ActuatorQuarantineVnfd(vnfd_id='vnfd-1')).code == OK


# covers: R2.1.320/330
def test_migrate_live_migrates_with_the_scheduler_choosing(stub, dispatcher):
    stub.servers['srv-6'] = 'ACTIVE'
    reply = run(dispatcher, migrate_vnf=actuator_pb2.ActuatorMigrateVnf(
        vnf=vnf('srv-6', host='compute-1'), away_from_host='compute-1'))
    assert reply.code == OK, reply.message
    (call,) = compute(stub)
    assert call.body == {'os-migrateLive': {'host': None,
                                            'block_migration': 'auto'}}
    assert nova_version(call) == ('compute 2.30', '2.30')


# covers: R2.1.260, R2.1.270
def test_release_of_an_instance_unpauses_and_unlocks(stub, dispatcher):
    stub.servers['srv-7'] = 'PAUSED'
    reply = run(dispatcher, release_quarantine=actuator_pb2.
                ActuatorReleaseQuarantine(
                    target=common_pb2.QUARANTINE_TARGET_VNF_INSTANCE,
                    target_id='srv-7'))
    assert reply.code == OK, reply.message
    calls = compute(stub)
    assert [(c.method, c.body and next(iter(c.body))) for c in calls] == [
        ('GET', None), ('POST', 'unpause'), ('POST', 'unlock')]
    assert stub.servers['srv-7'] == 'ACTIVE'


@pytest.mark.parametrize('action', [
    dict(erase_instance_storage=actuator_pb2.ActuatorVnfAction(
        vnf=records_pb2.VnfRecord(vnf_id='srv-8'))),
    dict(apply_policy=actuator_pb2.ActuatorApplyPolicy(
        vnf=records_pb2.VnfRecord(vnf_id='srv-8'))),
    dict(insert_security_function=actuator_pb2.ActuatorSecurityFunction(
        ns_id='ns-1')),
    dict(remove_security_function=actuator_pb2.ActuatorSecurityFunction(
        ns_id='ns-1')),
], ids=['erase', 'apply_policy', 'insert_vsf', 'remove_vsf'])
# covers: R1.3.30, R2.1.270, R2.1.310, R2.1.340
def test_steps_without_an_openstack_api_fail_and_touch_nothing(
        stub, dispatcher, action):
    stub.servers['srv-8'] = 'ACTIVE'
    reply = run(dispatcher, **action)
    assert code_name(reply) == 'ADMIN_STATUS_FAILED_PRECONDITION'
    assert reply.message
    assert stub.calls == []
    assert stub.servers == {'srv-8': 'ACTIVE'}


# covers: R1.3.30
def test_unreachable_cloud_is_unavailable(stub, make_dispatcher):
    stub.close()  # nothing listens on its port any more
    dispatcher, _ = make_dispatcher(stub)
    reply = run(dispatcher, quarantine_image=actuator_pb2.
                ActuatorQuarantineImage(image_id='img-1'))
    assert code_name(reply) == 'ADMIN_STATUS_UNAVAILABLE'
    assert 'stub-secret' not in reply.message


# covers: R1.3.30
def test_a_request_that_is_not_protobuf_is_invalid(dispatcher):
    reply = actuator_pb2.ActuatorReply()
    reply.ParseFromString(dispatcher.handle(b'\xff\xff\xff\x07garbage'))
    assert code_name(reply) == 'ADMIN_STATUS_INVALID_ARGUMENT'
    empty = actuator_pb2.ActuatorReply()
    empty.ParseFromString(dispatcher.handle(
        actuator_pb2.ActuatorRequest(request_id='r').SerializeToString()))
    assert code_name(empty) == 'ADMIN_STATUS_INVALID_ARGUMENT'


def test_stub_rejects_calls_without_the_token(stub):
    # Guards the tests above: the stub only answers authenticated calls,
    # so their passing proves the token reached every request.
    import urllib.error
    import urllib.request
    with pytest.raises(urllib.error.HTTPError) as e:
        urllib.request.urlopen(stub.base + '/compute/v2.1/os-services')
    assert e.value.code == 401


