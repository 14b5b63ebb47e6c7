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

"""The ``[nfvsm_heat]`` group: the Heat stack lifecycle plugin.

How the plugin reaches the gateway (transport URL, gate timeout, fail
mode, requester) and the stack tag prefixes (``vnf_tag_prefix``,
``domain_tag_prefix``) are in the ``[nfvsm]`` group every hook shares
(nfvsm.conf.nfvsm); this group holds what only Heat needs: which stack
parameters mark a VNF, which stack actions are gated and as what.
"""

from oslo_config import cfg

from nfvsm.conf import nfvsm as nfvsm_conf

GROUP = cfg.OptGroup(
    'nfvsm_heat',
    title='nfvsm Heat stack lifecycle plugin',
    help='Which Heat stacks carry VNFs and which of their actions need an '
         'allow from nfvsm. Heat calls the plugin only with '
         '[DEFAULT] convergence_engine = False.')

# Heat's stack actions (heat.engine.stack.Stack.ACTIONS) that Heat hands
# to lifecycle plugins, and nfvsm's operation names (pyapi.md).
STACK_ACTIONS = ('CREATE', 'UPDATE', 'DELETE', 'RESUME', 'SUSPEND',
                 'ROLLBACK', 'CHECK', 'RESTORE', 'SNAPSHOT', 'ADOPT')
OPERATIONS = ('instantiate', 'scale_out', 'scale_in', 'heal', 'restart',
              'migrate', 'modify', 'terminate', 'change_connectivity',
              'change_package')
EVENT_SOURCES = ('unknown', 'oss_bss', 'vnf', 'em', 'nfvo', 'vnfm', 'vim',
                 'auto_healing', 'operator')

heat_opts = [
    cfg.StrOpt(
        'vnf_id_parameter',
        help='Name of a stack parameter holding the VNF id, used when the '
             'stack has no VNF tag ([nfvsm] vnf_tag_prefix). Unset: not '
             'looked up.'),
    cfg.StrOpt(
        'domain_parameter',
        help='Name of a stack parameter holding the trust domain, used '
             'when the stack has no domain tag ([nfvsm] domain_tag_prefix).'),
    cfg.StrOpt(
        'image_id_parameter',
        help='Name of a stack parameter holding the Glance image the VNF '
             'boots from; sent with the gate so that a quarantined image '
             'is vetoed and SMs can match on it.'),
    cfg.ListOpt(
        'gated_actions', default=['CREATE', 'UPDATE', 'DELETE', 'RESUME'],
        item_type=cfg.types.String(choices=STACK_ACTIONS),
        help='Stack actions of VNF stacks that need an nfvsm allow before '
             'Heat starts them. Other actions (e.g. the ROLLBACK that '
             'deletes what a failed CREATE left) pass without a gate.'),
    cfg.Opt(
        'action_operations',
        type=cfg.types.Dict(value_type=cfg.types.String(choices=OPERATIONS)),
        default={'CREATE': 'instantiate', 'ADOPT': 'instantiate',
                 'UPDATE': 'modify', 'RESTORE': 'modify',
                 'ROLLBACK': 'modify', 'DELETE': 'terminate',
                 'RESUME': 'restart', 'SUSPEND': 'modify',
                 'CHECK': 'modify', 'SNAPSHOT': 'modify'},
        help='The nfvsm operation each gated stack action is asked as ('
             'one of %s). SMs match their rules on it.' %
             ', '.join(OPERATIONS)),
    cfg.StrOpt(
        'event_source', default='vim', choices=EVENT_SOURCES,
        help='Who nfvsm reports as the source of stack operations '
             '(R2.1.180). Heat does not know whether Tacker, an operator '
             'or OSS/BSS called its API; "vim" says it came through the '
             'cloud\'s orchestration service.'),
    cfg.BoolOpt(
        'vnfs_need_security_policy', default=False,
        help='Ask SMs for a security policy when a VNF stack is created '
             '(R1.3.160). Heat cannot apply the returned policy itself: '
             'use it only when the SM or the actuator applies it.'),
]


def register_opts(conf):
    """Register the Heat plugin's options on ``conf`` (idempotent)."""
    nfvsm_conf.register_opts(conf)
    conf.register_group(GROUP)
    conf.register_opts(heat_opts, group=GROUP)


def list_opts():
    """Return [(group, opts)] for oslo-config-generator."""
    return [(GROUP, heat_opts)]
