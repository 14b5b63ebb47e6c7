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

"""Masakari recovery tasks that keep quarantined VNFs down (IFA026 cl. 4).

Entry points (group ``masakari.task_flow.tasks``), listed by name in
``[taskflow_driver_recovery_flows]`` (docs/openstack-hooks.md):

* ``nfvsm_instance_recovery_veto_task``: first task of the
  instance-failure flow. A VNF nfvsm does not allow to be recovered (it is
  quarantined, or an SM denies) raises SkipInstanceRecoveryException, which
  Masakari treats as "nothing to do": the instance is neither stopped nor
  started.
* ``nfvsm_evacuation_veto_task``: between
  prepare_HA_enabled_instances_task and evacuate_instances_task of the
  host-failure flows. It removes from ``instance_list`` the VNFs nfvsm
  does not allow to be recovered, and, in the reserved-host flow, refuses a
  reserved host nfvsm refuses as a target (a quarantined host), so that
  Masakari's retry moves on to its next reserved host.

Tasks are built by Masakari's stevedore manager as
``cls(context=..., novaclient=..., **kwargs)`` (host flows add
``update_host_method``); ``novaclient`` is masakari.compute.nova.API.
"""

import collections

from oslo_config import cfg
from oslo_log import log as logging

from masakari.engine.drivers.taskflow import base
from masakari import exception

from nfvsm.conf import masakari as masakari_conf
from nfvsm import hookgate

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

InstanceVnf = collections.namedtuple('InstanceVnf',
                                     ['vnf_id', 'domain', 'host'])

_gate = None


def _shared_gate():
    # One pool per process: the tasks are rebuilt for every notification.
    global _gate
    if _gate is None:
        masakari_conf.register_opts(CONF)
        _gate = hookgate.HookGate('masakari-engine', CONF)
    return _gate


def instance_vnf(server, conf=None):
    """The VNF behind a Nova server, or None for an ordinary instance."""
    group = (conf or CONF).nfvsm_masakari
    metadata = getattr(server, 'metadata', None) or {}
    vnf_id = metadata.get(group.vnf_id_metadata_key) or None
    domain = metadata.get(group.domain_metadata_key) or ''
    if vnf_id is None and not domain and not group.check_unmarked_instances:
        return None
    host = getattr(server, 'OS-EXT-SRV-ATTR:host', None) or None
    return InstanceVnf(vnf_id or server.id, domain, host)


class _NfvsmTask(base.MasakariTask):

    def __init__(self, context, novaclient, **kwargs):
        super(_NfvsmTask, self).__init__(context, novaclient, **kwargs)
        _shared_gate()

    def _check_recovery(self, vnf, host):
        return _shared_gate().check_recovery(vnf.vnf_id, host,
                                             domain=vnf.domain)


class NfvsmInstanceRecoveryVetoTask(_NfvsmTask):
    """Skips the instance-failure flow for a VNF nfvsm does not let recover.

    The VNF is recovered where it runs, so its host is the target: a
    quarantined host vetoes too.
    """

    def __init__(self, context, novaclient, **kwargs):
        kwargs['requires'] = ['instance_uuid']
        super(NfvsmInstanceRecoveryVetoTask, self).__init__(
            context, novaclient, **kwargs)

    def execute(self, instance_uuid):
        server = self.novaclient.get_server(self.context, instance_uuid)
        vnf = instance_vnf(server)
        if vnf is None:
            self.update_details('Instance %s is not an nfvsm VNF' %
                                instance_uuid, 1.0)
            return
        decision = self._check_recovery(vnf, vnf.host)
        if decision.allowed:
            self.update_details('nfvsm allowed recovery of VNF %s (gate %s)'
                                % (vnf.vnf_id, decision.gate_id), 1.0)
            return
        msg = ('nfvsm vetoed recovery of instance %s (VNF %s, gate %s): %s'
               % (instance_uuid, vnf.vnf_id, decision.gate_id,
                  decision.reason_text()))
        LOG.warning(msg)
        self.update_details(msg, 1.0)
        raise exception.SkipInstanceRecoveryException(message=msg)


class NfvsmEvacuationVetoTask(_NfvsmTask):
    """Keeps vetoed VNFs out of a host-failure evacuation."""

    default_provides = set(['instance_list'])

    def __init__(self, context, novaclient, **kwargs):
        kwargs['requires'] = ['host_name', 'instance_list']
        super(NfvsmEvacuationVetoTask, self).__init__(
            context, novaclient, **kwargs)

    def execute(self, host_name, instance_list, reserved_host=None):
        kept, vetoed = [], []
        for instance_uuid in instance_list:
            server = self.novaclient.get_server(self.context, instance_uuid)
            vnf = instance_vnf(server)
            if vnf is None:
                kept.append(instance_uuid)
                continue
            decision = self._check_recovery(vnf, reserved_host)
            if decision.allowed:
                kept.append(instance_uuid)
                continue
            if reserved_host and CONF.nfvsm_masakari.veto_quarantined_hosts:
                self._refuse_reserved_host_if_only_it(
                    vnf, instance_uuid, reserved_host, decision)
            vetoed.append('%s (VNF %s: %s)' % (
                instance_uuid, vnf.vnf_id, decision.reason_text()))
        if vetoed:
            msg = ('nfvsm vetoed evacuation from host %s of: %s' %
                   (host_name, '; '.join(vetoed)))
            LOG.warning(msg)
            self.update_details(msg, 0.5)
        if not kept:
            msg = ('Skipped host %s recovery: nfvsm vetoed every instance '
                   'to be evacuated' % host_name)
            self.update_details(msg, 1.0)
            raise exception.SkipHostRecoveryException(message=msg)
        self.update_details('Instances nfvsm allows to evacuate: %s' %
                            ','.join(kept), 1.0)
        return {'instance_list': kept}

    def _refuse_reserved_host_if_only_it(self, vnf, instance_uuid,
                                         reserved_host, decision):
        """Raise if the VNF may recover, only not onto ``reserved_host``.

        One gate cannot say whether the VNF or the target was refused; a
        second one without a target tells. Failing the task (rather than
        dropping the VNF) makes Masakari's reserved-host retry try the
        next reserved host for every instance.
        """
        elsewhere = self._check_recovery(vnf, None)
        if not elsewhere.allowed:
            return
        msg = ('nfvsm refused reserved host %s as the evacuation target of '
               'instance %s (VNF %s): %s' % (
                   reserved_host, instance_uuid, vnf.vnf_id,
                   decision.reason_text()))
        LOG.warning(msg)
        self.update_details(msg, 1.0)
        raise exception.HostRecoveryFailureException(message=msg)
