"""The ``nfvsm-actuator`` service: the server half of the actuator RPC.

It speaks the request/reply pattern of docs/rpc.md with kombu (the AMQP
client oslo.messaging itself uses), because the pattern is nfvsm's own
(protobuf bodies, correlation ids, deadline header), not oslo.messaging
RPC: requests on ``[nfvsm_actuator] queue`` (default exchange; declared
durable=false, auto_delete=false, exclusive=false, as the gateway's RPC
queues), replies to the default exchange with routing key ``reply_to``,
the same ``correlation_id``, content type ``application/x-protobuf``,
transient.

One request at a time (prefetch 1): steps of one instruction must happen
in order, and the gateway sends them one by one anyway. A request is
acknowledged after its reply is sent, so a crash mid-step redelivers it;
the steps are idempotent and a redelivered request past its deadline
(header ``x-nfvsm-deadline-us``) is dropped, since the gateway has already
reported the step failed.
"""

import logging
import signal
import socket
import sys
import time

import kombu
from oslo_config import cfg
import oslo_messaging

from nfvsm.actuator import cloud
from nfvsm.actuator import oss_bss

LOG = logging.getLogger(__name__)

CONTENT_TYPE = 'application/x-protobuf'
REPLY_TYPE = 'nfvsm.v1.ActuatorReply'
DEADLINE_HEADER = 'x-nfvsm-deadline-us'

# AdminStatusCode names (admin.proto) the steps may raise.
_CODES = ('ok', 'invalid_argument', 'deadline_exceeded', 'not_found',
          'already_exists', 'permission_denied', 'resource_exhausted',
          'failed_precondition', 'internal', 'unavailable', 'data_loss',
          'unauthenticated')

_TARGETS = {
    'QUARANTINE_TARGET_VNF_INSTANCE': 'vnf_instance',
    'QUARANTINE_TARGET_IMAGE': 'image',
    'QUARANTINE_TARGET_VNFD': 'vnfd',
    'QUARANTINE_TARGET_PACKAGE': 'package',
    'QUARANTINE_TARGET_HOST': 'host',
}


def _pb():
    # Generated at build time into <build>/python/nfvsm/v1 (protoc
    # --python_out); imported late so that nfvsm.conf works without it.
    from nfvsm.v1 import actuator_pb2
    from nfvsm.v1 import admin_pb2
    return actuator_pb2, admin_pb2


def _vnf_dict(record):
    return {
        'vnf_id': record.vnf_id,
        'requestor_id': record.requestor_id,
        'ns_id': record.ns_id,
        'domain': record.domain,
        'package_id': record.package_id,
        'vnfd_id': record.vnfd_id,
        'image_id': record.image_id,
        'host': record.host,
        'zone': record.zone,
    }


class Dispatcher(object):
    """Turns one ActuatorRequest into calls of the cloud actuator and the
    OSS/BSS notifier, and their outcome into an ActuatorReply."""

    def __init__(self, actuator, notifier):
        self._actuator = actuator
        self._notifier = notifier

    def _run(self, request):
        action = request.WhichOneof('action')
        a = self._actuator
        if action == 'notify_oss_bss':
            return self._notifier.notify(request.notify_oss_bss,
                                         gateway_id=request.gateway_id,
                                         request_id=request.request_id)
        if action == 'terminate_vnf':
            return a.terminate_vnf(_vnf_dict(request.terminate_vnf.vnf),
                                   request.terminate_vnf.flags)
        if action == 'quarantine_instance_copy':
            return a.quarantine_instance_copy(
                _vnf_dict(request.quarantine_instance_copy.vnf))
        if action == 'quarantine_image':
            return a.quarantine_image(request.quarantine_image.image_id)
        if action == 'quarantine_vnfd':
            return a.quarantine_vnfd(request.quarantine_vnfd.vnfd_id)
        if action == 'quarantine_host':
            return a.quarantine_host(request.quarantine_host.host,
                                     request.quarantine_host.reason)
        if action == 'erase_instance_storage':
            return a.erase_instance_storage(
                _vnf_dict(request.erase_instance_storage.vnf))
        if action == 'migrate_vnf':
            return a.migrate_vnf(_vnf_dict(request.migrate_vnf.vnf),
                                 request.migrate_vnf.away_from_host)
        if action == 'apply_policy':
            return a.apply_policy(_vnf_dict(request.apply_policy.vnf),
                                  request.apply_policy.policy)
        if action == 'insert_security_function':
            f = request.insert_security_function
            return a.insert_security_function(f.ns_id, f.function)
        if action == 'remove_security_function':
            f = request.remove_security_function
            return a.remove_security_function(f.ns_id, f.function)
        if action == 'release_quarantine':
            from nfvsm.v1 import common_pb2
            name = common_pb2.QuarantineTarget.Name(
                request.release_quarantine.target)
            target = _TARGETS.get(name)
            if target is None:
                raise cloud.ActuatorError('invalid_argument',
                                          'release_quarantine: no target')
            return a.release_quarantine(
                target, request.release_quarantine.target_id)
        raise cloud.ActuatorError('invalid_argument',
                                  'request names no action')

    def handle(self, body):
        """Returns the serialized ActuatorReply for a request body."""
        actuator_pb2, admin_pb2 = _pb()
        reply = actuator_pb2.ActuatorReply()
        request = actuator_pb2.ActuatorRequest()
        try:
            request.ParseFromString(body)
        except Exception:
            reply.code = admin_pb2.ADMIN_STATUS_INVALID_ARGUMENT
            reply.message = 'not an ActuatorRequest'
            return reply.SerializeToString()
        reply.request_id = request.request_id
        action = request.WhichOneof('action') or '-'
        try:
            done = self._run(request)
            reply.code = admin_pb2.ADMIN_STATUS_OK
            reply.message = done or ''
            LOG.info('request %s %s: %s', request.request_id, action, done)
        except cloud.ActuatorError as e:
            code = e.code if e.code in _CODES else 'internal'
            reply.code = admin_pb2.AdminStatusCode.Value(
                'ADMIN_STATUS_' + code.upper())
            reply.message = str(e)
            LOG.error('request %s %s failed (%s): %s', request.request_id,
                      action, code, e)
        except Exception as e:
            # A bug or an unexpected library error: the step did not
            # (knowingly) happen, so it fails; the detail goes to our log.
            LOG.exception('request %s %s failed', request.request_id, action)
            reply.code = admin_pb2.ADMIN_STATUS_INTERNAL
            reply.message = '%s failed: %s' % (action, type(e).__name__)
        return reply.SerializeToString()


def kombu_url(conf):
    """The kombu URL of the [DEFAULT] transport_url (first host)."""
    url = oslo_messaging.TransportURL.parse(conf, conf.transport_url)
    if not url.hosts:
        raise ValueError('[DEFAULT] transport_url names no broker')
    host = url.hosts[0]
    scheme = 'amqp'
    return kombu.Connection(
        hostname=host.hostname, port=host.port or 5672,
        userid=host.username or 'guest', password=host.password or 'guest',
        virtual_host=url.virtual_host or '/', transport=scheme,
        heartbeat=0)


class ActuatorServer(object):
    """Consumes the actuator queue until stop()."""

    def __init__(self, connection, queue_name, dispatcher):
        self._connection = connection
        self._queue = kombu.Queue(queue_name, durable=False,
                                  auto_delete=False, exclusive=False)
        self._dispatcher = dispatcher
        self._stopping = False
        self.handled = 0
        self.dropped = 0

    def stop(self):
        self._stopping = True

    def _on_message(self, message):
        props = message.properties
        headers = message.headers or {}
        reply_to = props.get('reply_to')
        correlation_id = props.get('correlation_id')
        deadline_us = headers.get(DEADLINE_HEADER)
        if not reply_to:
            self.dropped += 1
            message.ack()
            return
        if deadline_us and int(deadline_us) < int(time.time() * 1e6):
            LOG.warning('dropped request %s: past its deadline',
                        correlation_id)
            self.dropped += 1
            message.ack()
            return
        reply = self._dispatcher.handle(message.body)
        with kombu.Producer(self._connection.default_channel) as producer:
            producer.publish(reply, exchange='', routing_key=reply_to,
                             correlation_id=correlation_id,
                             content_type=CONTENT_TYPE,
                             content_encoding='binary', type=REPLY_TYPE,
                             delivery_mode=1, serializer=None)
        message.ack()
        self.handled += 1

    def serve(self, ready=None):
        """Blocks until stop(); reconnects after connection errors."""
        conn = self._connection
        while not self._stopping:
            try:
                conn.ensure_connection(max_retries=None, interval_start=1,
                                       interval_step=1, interval_max=10)
                with conn.Consumer(self._queue, on_message=self._on_message,
                                   prefetch_count=1, accept=[]):
                    LOG.info('consuming %s', self._queue.name)
                    if ready is not None:
                        ready()
                        ready = None
                    while not self._stopping:
                        try:
                            conn.drain_events(timeout=1)
                        except socket.timeout:
                            pass
            except conn.recoverable_connection_errors as e:
                LOG.warning('bus connection lost (%s); reconnecting', e)
                conn = self._connection = conn.clone()
                time.sleep(1)
        conn.release()


def build(conf):
    """The dispatcher of a configured service (connects to Keystone)."""
    import openstack
    from keystoneauth1 import loading as ks_loading
    group = conf.nfvsm_actuator
    if group.cloud:
        connection = openstack.connect(cloud=group.cloud)
    else:
        auth = ks_loading.load_auth_from_conf_options(conf, 'nfvsm_actuator')
        session = ks_loading.load_session_from_conf_options(
            conf, 'nfvsm_actuator', auth=auth)
        connection = openstack.connection.Connection(session=session)
    return Dispatcher(cloud.OpenStackActuator(connection.session, group),
                      oss_bss.OssBssNotifier(conf))


def main(argv=None):
    from nfvsm.conf import actuator as actuator_conf
    from oslo_log import log as oslo_log
    conf = cfg.ConfigOpts()
    oslo_log.register_options(conf)
    actuator_conf.register_opts(conf)
    oslo_messaging.set_transport_defaults('nfvsm')
    conf(sys.argv[1:] if argv is None else argv, project='nfvsm',
         prog='nfvsm-actuator',
         default_config_files=cfg.find_config_files(
             project='nfvsm', prog='nfvsm-actuator'))
    oslo_log.setup(conf, 'nfvsm-actuator')
    dispatcher = build(conf)
    server = ActuatorServer(kombu_url(conf), conf.nfvsm_actuator.queue,
                            dispatcher)
    signal.signal(signal.SIGTERM, lambda *_: server.stop())
    signal.signal(signal.SIGINT, lambda *_: server.stop())
    server.serve(ready=lambda: print('nfvsm-actuator ready', flush=True))
    return 0


if __name__ == '__main__':
    sys.exit(main())
