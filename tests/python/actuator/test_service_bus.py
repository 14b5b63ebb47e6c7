"""nfvsm-actuator's bus side on the private RabbitMQ node: the RPC pattern
of docs/rpc.md (a client publishing like the gateway's BusActuator), and
the OSS/BSS notice received by a real oslo.messaging notification
listener. OpenStack itself is the STUB of openstack_stub.py."""

import threading
import time
import uuid

import kombu
import oslo_messaging
import pytest

from nfvsm.actuator import oss_bss
from nfvsm.actuator import service
from nfvsm.v1 import actuator_pb2
from nfvsm.v1 import admin_pb2
from nfvsm.v1 import records_pb2


@pytest.fixture
def running_service(stub, make_dispatcher):
    """The service's server loop on a queue of its own, in a thread."""
    dispatcher, conf = make_dispatcher(stub)
    queue = 'nfvsm.actuator.test.%s' % uuid.uuid4().hex[:12]
    server = service.ActuatorServer(service.kombu_url(conf), queue,
                                    dispatcher)
    ready = threading.Event()
    thread = threading.Thread(target=server.serve,
                              kwargs={'ready': ready.set}, daemon=True)
    thread.start()
    assert ready.wait(30), 'the actuator service did not start consuming'
    yield server, queue, conf
    server.stop()
    thread.join(10)
    assert not thread.is_alive()


def call(conf, queue, request, deadline_us=None, wait=10.0):
    """Publishes like the gateway; returns (reply message or None,
    correlation id)."""
    correlation_id = uuid.uuid4().hex
    if deadline_us is None:
        deadline_us = int((time.time() + wait) * 1e6)
    with service.kombu_url(conf) as conn:
        channel = conn.channel()
        reply_queue = kombu.Queue('nfvsm.reply.%s' % uuid.uuid4().hex,
                                  exclusive=True, auto_delete=True,
                                  durable=False)(channel)
        reply_queue.declare()
        kombu.Producer(channel).publish(
            request.SerializeToString(), exchange='', routing_key=queue,
            reply_to=reply_queue.name, correlation_id=correlation_id,
            content_type='application/x-protobuf',
            content_encoding='binary', type='nfvsm.v1.ActuatorRequest',
            headers={'x-nfvsm-deadline-us': deadline_us},
            delivery_mode=1, serializer=None)
        end = time.time() + wait
        while time.time() < end:
            message = reply_queue.get(no_ack=True)
            if message is not None:
                return message, correlation_id
            time.sleep(0.05)
    return None, correlation_id


# covers: R2.1.270, R2.1.280/290, R1.3.30
def test_request_over_the_bus_is_carried_out_and_answered(stub,
                                                          running_service):
    server, queue, conf = running_service
    stub.servers['srv-1'] = 'ACTIVE'
    request = actuator_pb2.ActuatorRequest(
        request_id='req-bus-1', gateway_id='mano',
        terminate_vnf=actuator_pb2.ActuatorTerminateVnf(
            vnf=records_pb2.VnfRecord(vnf_id='srv-1')))
    message, correlation_id = call(conf, queue, request)
    assert message is not None, 'no reply'
    assert message.properties['correlation_id'] == correlation_id
    assert message.content_type == 'application/x-protobuf'
    reply = actuator_pb2.ActuatorReply()
    reply.ParseFromString(message.body)
    assert reply.code == admin_pb2.ADMIN_STATUS_OK, reply.message
    assert reply.request_id == 'req-bus-1'
    assert 'srv-1' not in stub.servers
    assert ('DELETE', '/compute/v2.1/servers/srv-1') in [
        (c.method, c.path) for c in stub.calls]
    assert server.handled == 1


# covers: R1.3.30
def test_request_past_its_deadline_is_dropped_untouched(stub,
                                                        running_service):
    server, queue, conf = running_service
    stub.servers['srv-2'] = 'ACTIVE'
    request = actuator_pb2.ActuatorRequest(
        request_id='req-late', terminate_vnf=actuator_pb2.
        ActuatorTerminateVnf(vnf=records_pb2.VnfRecord(vnf_id='srv-2')))
    # The gateway gave up a second ago: it already reported the step failed.
    message, _ = call(conf, queue, request,
                      deadline_us=int((time.time() - 1) * 1e6), wait=3)
    assert message is None
    assert stub.servers == {'srv-2': 'ACTIVE'}
    assert stub.calls == []
    assert server.dropped == 1 and server.handled == 0


class _Endpoint(object):
    def __init__(self):
        self.received = []
        self.event = threading.Event()

    def warn(self, ctxt, publisher_id, event_type, payload, metadata):
        self.received.append((publisher_id, event_type, payload))
        self.event.set()


# covers: R2.1.260, R2.1.300
def test_oss_bss_notice_arrives_as_an_oslo_notification(stub,
                                                        running_service):
    server, queue, conf = running_service
    transport = oslo_messaging.get_notification_transport(conf)
    endpoint = _Endpoint()
    listener = oslo_messaging.get_notification_listener(
        transport,
        [oslo_messaging.Target(topic=conf.nfvsm_actuator.oss_bss_topic)],
        [endpoint], executor='threading')
    listener.start()
    try:
        request = actuator_pb2.ActuatorRequest(
            request_id='req-oss', gateway_id='mano',
            notify_oss_bss=actuator_pb2.ActuatorOssBssNotice(
                sm='sm-1', vnf_ids=['vnf-1', 'vnf-2'],
                requestor_ids=['oss-vnf-1'], ns_ids=['ns-1'],
                reason='compromised'))
        message, _ = call(conf, queue, request)
        assert message is not None
        reply = actuator_pb2.ActuatorReply()
        reply.ParseFromString(message.body)
        assert reply.code == admin_pb2.ADMIN_STATUS_OK, reply.message
        assert endpoint.event.wait(15), 'no notification reached OSS/BSS'
        publisher_id, event_type, payload = endpoint.received[0]
        assert publisher_id == oss_bss.PUBLISHER_ID
        assert event_type == 'nfvsm.vnf.termination_requested'
        assert payload == {
            'sm_id': 'sm-1', 'vnf_ids': ['vnf-1', 'vnf-2'],
            'requestor_ids': ['oss-vnf-1'], 'ns_ids': ['ns-1'],
            'reason': 'compromised', 'gateway_id': 'mano',
            'request_id': 'req-oss'}
        assert stub.calls == []  # no OpenStack API is involved
    finally:
        listener.stop()
        listener.wait()
        transport.cleanup()
