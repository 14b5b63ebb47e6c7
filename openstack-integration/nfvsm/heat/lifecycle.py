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

"""Heat stack lifecycle plugin: nfvsm gates the stacks that deploy VNFs.

Entry point ``heat.stack_lifecycle_plugins = nfvsm =
nfvsm.heat.lifecycle:NfvsmLifecyclePlugin``.

How Heat uses it (heat.common.lifecycle_plugin_utils, heat.engine.stack):

* Heat calls ``do_pre_op`` before CREATE, RESUME, SUSPEND, CHECK, ...
  (Stack.stack_task), UPDATE / ROLLBACK / RESTORE (Stack.update_task, with
  the new stack as ``current_stack``) and DELETE (Stack.delete). An
  exception aborts the action: Heat sets the stack to ``<ACTION>_FAILED``
  with the exception's first argument as the status reason, so the
  message below is what the user sees in ``openstack stack show``.
* Heat calls ``do_post_op`` after the action, always with
  ``is_stack_failure=False`` (do_post_ops drops the flag it is given), or
  with True when a later plugin's pre-op failed. The outcome is therefore
  read from the stack's own status.
* Only the legacy engine calls plugins: with ``convergence_engine = True``
  (Heat's default) nothing here runs. nfvsm's detection of unauthorized
  lifecycle actions (issue #5) covers stacks changed without a gate.
"""

from oslo_config import cfg
from oslo_log import log as logging

from heat.engine import lifecycle_plugin

from nfvsm.conf import heat as heat_conf
from nfvsm import hookgate
from nfvsm.heat import stackvnf

LOG = logging.getLogger(__name__)
CONF = cfg.CONF

# Before other plugins: an operation nfvsm refuses should not first be
# prepared by them (Heat then post-ops only the plugins that ran).
ORDINAL = 10
# Gates awaiting their do_post_op; bounded in case Heat dies in between.
MAX_PENDING = 1024


class StackOperationDenied(Exception):
    """nfvsm did not allow a stack action; args[0] is the stack's reason."""

    def __init__(self, message, decision=None):
        super(StackOperationDenied, self).__init__(message)
        self.decision = decision


class NfvsmLifecyclePlugin(lifecycle_plugin.LifecyclePlugin):
    """Asks nfvsm before Heat acts on a VNF stack, reports the outcome."""

    def __init__(self):
        super(NfvsmLifecyclePlugin, self).__init__()
        heat_conf.register_opts(CONF)
        self._gate = hookgate.HookGate('heat-engine', CONF)
        self._pending = {}

    def get_ordinal(self):
        return ORDINAL

    def _vnfs(self, stack, current_stack, action):
        """The VNFs an action touches: the stack's and, on UPDATE, the new
        template's (an update may re-tag the stack as another VNF)."""
        marks = stackvnf.marks_from(CONF)
        found = []
        for s in (stack, current_stack):
            if s is None:
                continue
            try:
                vnf = stackvnf.identify(s, marks, stack.id)
            except stackvnf.StackMarkError as e:
                raise StackOperationDenied(
                    'nfvsm refused %s of stack %s: %s' % (
                        action, stack.name, e))
            if vnf is not None and vnf.vnf_id not in [v.vnf_id for v in found]:
                found.append(vnf)
        return found

    def do_pre_op(self, cnxt, stack, current_stack=None, action=None):
        """Gate the action; raise StackOperationDenied unless allowed."""
        action = action or stack.action
        conf = CONF.nfvsm_heat
        if action not in conf.gated_actions:
            return
        vnfs = self._vnfs(stack, current_stack, action)
        if not vnfs:
            return
        operation = conf.action_operations.get(action)
        if operation is None:
            # Gated but unmapped: a configuration error, not an allow.
            raise StackOperationDenied(
                'nfvsm refused %s of stack %s: no nfvsm operation is '
                'configured for %s ([nfvsm_heat] action_operations)' % (
                    action, stack.name, action))
        reason = 'Heat stack %s (%s) %s requested by user %s of project %s' % (
            stack.name, stack.id, action, getattr(cnxt, 'user_id', None),
            getattr(cnxt, 'project_id', None))
        gates = []
        for vnf in vnfs:
            decision = self._gate.check_operation(
                operation, vnf.vnf_id, domain=vnf.domain,
                image_id=vnf.image_id, source=conf.event_source,
                reason=reason,
                needs_security_policy=(
                    operation == 'instantiate' and
                    conf.vnfs_need_security_policy))
            if not decision.allowed:
                LOG.warning('nfvsm denied %(action)s of stack %(stack)s '
                            '(VNF %(vnf)s, gate %(gate)s): %(why)s',
                            {'action': action, 'stack': stack.id,
                             'vnf': vnf.vnf_id, 'gate': decision.gate_id,
                             'why': decision.reason_text()})
                # Heat post-ops only the plugins whose pre-op passed, so
                # the VNFs already allowed here hear of it from us.
                self._log_outcome(stack, action, gates, 'not performed')
                raise StackOperationDenied(
                    'nfvsm denied %s of stack %s (VNF %s): %s' % (
                        action, stack.name, vnf.vnf_id,
                        decision.reason_text()), decision)
            if decision.policy:
                # Heat has no place to apply it; the SM or the actuator
                # must (docs/openstack-hooks.md).
                LOG.info('nfvsm gate %s for VNF %s came with a policy that '
                         'Heat does not apply', decision.gate_id, vnf.vnf_id)
            gates.append((vnf.vnf_id, decision.gate_id))
        self._remember(stack, action, gates)

    def _remember(self, stack, action, gates):
        while len(self._pending) >= MAX_PENDING:
            self._pending.pop(next(iter(self._pending)))
        self._pending[(stack.id, action)] = gates

    def do_post_op(self, cnxt, stack, current_stack=None, action=None,
                   is_stack_failure=False):
        """Report how a gated action ended. Never raises."""
        action = action or stack.action
        gates = self._pending.pop((stack.id, action), None)
        if not gates:
            return
        self._log_outcome(stack, action, gates,
                          outcome_of(stack, action, is_stack_failure))

    @staticmethod
    def _log_outcome(stack, action, gates, outcome):
        for vnf_id, gate_id in gates:
            # The gateway has no RPC for a hook's lifecycle outcome yet
            # (docs/openstack-hooks.md), so the outcome is only logged.
            # The gateway does see Heat's orchestration notifications, but
            # does not resolve stacks to VNFs yet (docs/gateway.md).
            LOG.log(logging.INFO if outcome == 'succeeded' else
                    logging.WARNING,
                    'nfvsm gate %(gate)s: %(action)s of stack %(stack)s '
                    '(VNF %(vnf)s) %(outcome)s: %(reason)s',
                    {'gate': gate_id, 'action': action, 'stack': stack.id,
                     'vnf': vnf_id, 'outcome': outcome,
                     'reason': stack.status_reason})


def outcome_of(stack, action, is_stack_failure=False):
    """'succeeded', 'failed' or 'not performed', from the stack's state.

    Heat passes is_stack_failure=False even when the action failed, so the
    stack's status (set by Heat before post-ops) is what counts.
    """
    if is_stack_failure:
        return 'not performed'
    if stack.action == action and stack.status == stack.COMPLETE:
        return 'succeeded'
    if stack.status == stack.FAILED:
        return 'failed'
    return 'ended in %s_%s' % (stack.action, stack.status)
