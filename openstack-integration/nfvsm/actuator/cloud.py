"""Carries out actuator steps in OpenStack (Nova, Glance, Tacker).

Authentication, the service catalog and the HTTP sessions come from
openstacksdk (a ``Connection``: clouds.yaml or keystoneauth options). The
calls themselves go through keystoneauth adapters on that connection's
session with the microversion each one needs pinned, because the SDK's
own resource methods do not pin them: ``Server.lock`` sends the session's
default microversion, so ``locked_reason`` (Nova >= 2.73) can be dropped,
and ``Service.disable`` uses the pre-2.53 ``os-services/disable-log-reason``
API, which newer Nova refuses.

Every step is idempotent (the engine may retry an instruction): a server
already deleted, an image already deactivated, an instance already paused
is success.

Failures raise :class:`ActuatorError` carrying one of the AdminStatusCode
names (``not_found``, ``permission_denied``, ``failed_precondition``,
``invalid_argument``, ``unavailable``, ``internal``); the service turns it
into the reply's code. Messages never contain credentials or tokens.
"""

from keystoneauth1 import adapter as ks_adapter
from keystoneauth1 import exceptions as ks_exc

# Nova microversions the calls need.
LOCK_REASON_MICROVERSION = '2.73'   # lock with locked_reason
SERVICE_ID_MICROVERSION = '2.53'    # PUT /os-services/{uuid} with reason
CREATE_IMAGE_MICROVERSION = '2.45'  # createImage returns image_id in body
LIVE_MIGRATE_MICROVERSION = '2.30'  # host null + block_migration auto

QUARANTINE_METADATA_KEY = 'nfvsm_quarantine'


class ActuatorError(Exception):
    """A step that did not happen; ``code`` is an AdminStatusCode name."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _code_of_http(status):
    if status == 404:
        return 'not_found'
    if status in (401, 403):
        return 'permission_denied'
    if status == 409:
        return 'failed_precondition'
    if status in (400, 413, 422):
        return 'invalid_argument'
    return 'unavailable'


class OpenStackActuator(object):
    """One step per method, named as the Actuator calls of the gateway.

    ``session`` is a keystoneauth session (``Connection.session``);
    ``conf`` the ``[nfvsm_actuator]`` group.
    """

    def __init__(self, session, conf):
        self._conf = conf
        common = dict(session=session, interface=conf.interface,
                      region_name=conf.region_name)
        # Catalog conventions: compute is versioned (.../v2.1), image and
        # nfv-orchestration are not (paths carry /v2, /vnflcm/v1).
        self._nova = ks_adapter.Adapter(service_type='compute', **common)
        self._glance = ks_adapter.Adapter(service_type='image', **common)
        self._tacker = ks_adapter.Adapter(
            service_type='nfv-orchestration', **common)

    # ------------------------------------------------------------ helpers

    def _call(self, api, method, path, what, ok=(), microversion=None,
              **kwargs):
        """Returns the response for 2xx (and statuses in ``ok``); raises
        ActuatorError for the rest."""
        try:
            resp = api.request(path, method, raise_exc=False,
                               microversion=microversion, **kwargs)
        except ks_exc.EndpointNotFound as e:
            raise ActuatorError('failed_precondition',
                                '%s: no %s endpoint in the catalog (%s)'
                                % (what, api.service_type, e))
        except ks_exc.ClientException as e:
            # Connection refused, timeouts, authentication failures.
            code = 'permission_denied' if isinstance(
                e, ks_exc.Unauthorized) else 'unavailable'
            raise ActuatorError(code, '%s: %s' % (what, e))
        if 200 <= resp.status_code < 300 or resp.status_code in ok:
            return resp
        raise ActuatorError(
            _code_of_http(resp.status_code),
            '%s: %s %s answered %d' % (what, method, path, resp.status_code))

    def _has_tacker(self):
        try:
            return bool(self._tacker.get_endpoint())
        except ks_exc.EndpointNotFound:
            return False
        except ks_exc.ClientException as e:
            raise ActuatorError('unavailable', 'service catalog: %s' % e)

    def _tacker_vnf(self, vnf_id):
        """The Tacker VNF instance, or None when Tacker does not know it
        (or is not deployed and terminate_via allows Nova)."""
        if self._conf.terminate_via == 'nova':
            return None
        if not self._has_tacker():
            if self._conf.terminate_via == 'tacker':
                raise ActuatorError('failed_precondition',
                                    'terminate_via = tacker but no Tacker '
                                    'endpoint in the catalog')
            return None
        resp = self._call(self._tacker, 'GET',
                          '/vnflcm/v1/vnf_instances/%s' % vnf_id,
                          'find VNF %s in Tacker' % vnf_id, ok=(404,))
        if resp.status_code == 404:
            if self._conf.terminate_via == 'tacker':
                raise ActuatorError('not_found',
                                    'Tacker has no VNF instance %s' % vnf_id)
            return None
        return resp.json()

    def _servers_of(self, vnf):
        """Nova server ids of a VNF: its VNFC compute resources when Tacker
        manages it, else the VNF id itself (a bare-instance VNF)."""
        tacker_vnf = self._tacker_vnf(vnf['vnf_id'])
        if tacker_vnf is None:
            return [vnf['vnf_id']]
        info = tacker_vnf.get('instantiatedVnfInfo') or {}
        servers = [
            (r.get('computeResource') or {}).get('resourceId')
            for r in info.get('vnfcResourceInfo') or []]
        return [s for s in servers if s]

    def _server_action(self, server_id, body, what, microversion=None,
                       ok=()):
        return self._call(self._nova, 'POST',
                          '/servers/%s/action' % server_id, what,
                          json=body, microversion=microversion, ok=ok)

    def _compute_service(self, host):
        resp = self._call(self._nova, 'GET', '/os-services',
                          'find nova-compute on %s' % host,
                          params={'host': host, 'binary': 'nova-compute'},
                          microversion=SERVICE_ID_MICROVERSION)
        services = resp.json().get('services') or []
        if not services:
            raise ActuatorError('not_found',
                                'no nova-compute service on host %s' % host)
        return services[0]['id']

    def _set_compute_service(self, host, body, what):
        service_id = self._compute_service(host)
        self._call(self._nova, 'PUT', '/os-services/%s' % service_id, what,
                   json=body, microversion=SERVICE_ID_MICROVERSION)

    def _packages_of_vnfd(self, vnfd_id):
        if not self._has_tacker():
            raise ActuatorError('failed_precondition',
                                'VNFD %s: no Tacker endpoint in the catalog'
                                % vnfd_id)
        resp = self._call(self._tacker, 'GET', '/vnfpkgm/v1/vnf_packages',
                          'find the packages of VNFD %s' % vnfd_id,
                          params={'filter': '(eq,vnfdId,%s)' % vnfd_id})
        packages = [p['id'] for p in resp.json() or []]
        if not packages:
            raise ActuatorError('not_found',
                                'Tacker has no package with VNFD %s'
                                % vnfd_id)
        return packages

    def _set_package_state(self, package_id, state, what):
        # 409: already in that state (idempotent).
        self._call(self._tacker, 'PATCH',
                   '/vnfpkgm/v1/vnf_packages/%s' % package_id, what,
                   json={'operationalState': state},
                   headers={'Content-Type': 'application/merge-patch+json'},
                   ok=(409,))

    # --------------------------------------------------------------- steps

    def terminate_vnf(self, vnf, flags):
        vnf_id = vnf['vnf_id']
        tacker_vnf = self._tacker_vnf(vnf_id)
        if tacker_vnf is not None:
            if tacker_vnf.get('instantiationState') == 'NOT_INSTANTIATED':
                return 'already terminated in Tacker'
            body = {'terminationType': self._conf.tacker_termination_type}
            if self._conf.tacker_termination_type == 'GRACEFUL':
                body['gracefulTerminationTimeout'] = 60
            self._call(self._tacker, 'POST',
                       '/vnflcm/v1/vnf_instances/%s/terminate' % vnf_id,
                       'terminate VNF %s in Tacker' % vnf_id, json=body)
            return 'Tacker terminate requested'
        resp = self._call(self._nova, 'DELETE', '/servers/%s' % vnf_id,
                          'delete server %s' % vnf_id, ok=(404,))
        if resp.status_code == 404:
            return 'server already gone'
        return 'server deleted'

    def quarantine_instance_copy(self, vnf):
        reason = 'nfvsm quarantine of VNF %s' % vnf['vnf_id']
        servers = self._servers_of(vnf)
        for server in servers:
            self._server_action(
                server, {'lock': {'locked_reason': reason}},
                'lock server %s' % server,
                microversion=LOCK_REASON_MICROVERSION)
            if self._conf.quarantine_snapshot:
                self._server_action(
                    server,
                    {'createImage': {
                        'name': 'nfvsm-quarantine-%s' % server,
                        'metadata': {QUARANTINE_METADATA_KEY: 'true',
                                     'nfvsm_vnf_id': vnf['vnf_id']}}},
                    'snapshot server %s' % server,
                    microversion=CREATE_IMAGE_MICROVERSION)
            action = self._conf.quarantine_mode  # 'pause' | 'shelve'
            # 409: already paused / shelved.
            self._server_action(server, {action: None},
                                '%s server %s' % (action, server), ok=(409,))
        return '%d server(s) locked and %sd' % (
            len(servers), self._conf.quarantine_mode)

    def quarantine_image(self, image_id):
        self._call(self._glance, 'POST',
                   '/v2/images/%s/actions/deactivate' % image_id,
                   'deactivate image %s' % image_id)
        return 'image deactivated'

    def quarantine_vnfd(self, vnfd_id):
        packages = self._packages_of_vnfd(vnfd_id)
        for package in packages:
            self._set_package_state(package, 'DISABLED',
                                    'disable package %s' % package)
        return '%d package(s) disabled' % len(packages)

    def quarantine_host(self, host, reason):
        self._set_compute_service(
            host, {'status': 'disabled',
                   'disabled_reason': reason or 'nfvsm quarantine'},
            'disable nova-compute on %s' % host)
        return 'compute service disabled'

    def erase_instance_storage(self, vnf):
        # Neither Nova nor Cinder has an API that erases what an instance
        # used (Cinder wipes on delete only per its volume_clear setting);
        # reporting success would be a lie, so the step fails.
        raise ActuatorError('failed_precondition',
                            'erase_instance_storage is not available in '
                            'this cloud: no OpenStack API erases HMEEs, '
                            'HSMs or storage')

    def migrate_vnf(self, vnf, away_from_host):
        servers = self._servers_of(vnf)
        for server in servers:
            if self._conf.migration == 'live':
                # host None: the scheduler picks; a quarantined host is
                # disabled, so it is never picked.
                self._server_action(
                    server, {'os-migrateLive': {'host': None,
                                                'block_migration': 'auto'}},
                    'live-migrate server %s' % server,
                    microversion=LIVE_MIGRATE_MICROVERSION)
            else:
                self._server_action(server, {'migrate': None},
                                    'migrate server %s' % server)
        return '%d server(s) moving away from %s' % (len(servers),
                                                      away_from_host)

    def apply_policy(self, vnf, policy):
        raise ActuatorError('failed_precondition',
                            'apply_policy is not carried out by '
                            'nfvsm-actuator: policies apply at the next '
                            'gate of VNF %s' % vnf['vnf_id'])

    def insert_security_function(self, ns_id, function):
        raise ActuatorError('failed_precondition',
                            'insert_security_function is not carried out '
                            'by nfvsm-actuator (network service %s)' % ns_id)

    def remove_security_function(self, ns_id, function):
        raise ActuatorError('failed_precondition',
                            'remove_security_function is not carried out '
                            'by nfvsm-actuator (network service %s)' % ns_id)

    def release_quarantine(self, target, target_id):
        if target == 'vnf_instance':
            return self._release_instance(target_id)
        if target == 'image':
            self._call(self._glance, 'POST',
                       '/v2/images/%s/actions/reactivate' % target_id,
                       'reactivate image %s' % target_id)
            return 'image reactivated'
        if target == 'vnfd':
            packages = self._packages_of_vnfd(target_id)
            for package in packages:
                self._set_package_state(package, 'ENABLED',
                                        'enable package %s' % package)
            return '%d package(s) enabled' % len(packages)
        if target == 'package':
            self._set_package_state(target_id, 'ENABLED',
                                    'enable package %s' % target_id)
            return 'package enabled'
        if target == 'host':
            self._set_compute_service(target_id, {'status': 'enabled'},
                                      'enable nova-compute on %s'
                                      % target_id)
            return 'compute service enabled'
        raise ActuatorError('invalid_argument',
                            'unknown quarantine target %r' % target)

    def _release_instance(self, vnf_id):
        servers = self._servers_of({'vnf_id': vnf_id})
        for server in servers:
            resp = self._call(self._nova, 'GET', '/servers/%s' % server,
                              'show server %s' % server, ok=(404,))
            if resp.status_code == 404:
                continue  # terminated since: nothing to release
            status = (resp.json().get('server') or {}).get('status')
            if status == 'PAUSED':
                self._server_action(server, {'unpause': None},
                                    'unpause server %s' % server, ok=(409,))
            elif status in ('SHELVED', 'SHELVED_OFFLOADED'):
                self._server_action(server, {'unshelve': None},
                                    'unshelve server %s' % server, ok=(409,))
            self._server_action(server, {'unlock': None},
                                'unlock server %s' % server)
        return '%d server(s) released' % len(servers)
