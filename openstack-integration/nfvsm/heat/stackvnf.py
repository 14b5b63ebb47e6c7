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

"""Which VNF a Heat stack deploys, from its tags or parameters.

Heat knows nothing of VNFs; whoever creates the stack (Tacker, an
operator's tooling) marks it. Marks that are present but unusable (an
empty value, two different VNF ids) are errors rather than "not a VNF":
treating them as unmarked would let a mistyped stack bypass the gate.
"""

import collections


class StackMarkError(ValueError):
    """The stack is marked as a VNF, but the marks are unusable."""


StackVnf = collections.namedtuple('StackVnf', ['vnf_id', 'domain', 'image_id'])

# Where the marks are: tag prefixes ([nfvsm]) and parameter names
# ([nfvsm_heat]); a parameter name of None is not looked at.
Marks = collections.namedtuple('Marks', [
    'vnf_tag_prefix', 'domain_tag_prefix', 'vnf_id_parameter',
    'domain_parameter', 'image_id_parameter'])


def marks_from(conf):
    """The Marks configured in ``conf`` ([nfvsm] and [nfvsm_heat])."""
    return Marks(conf.nfvsm.vnf_tag_prefix, conf.nfvsm.domain_tag_prefix,
                 conf.nfvsm_heat.vnf_id_parameter,
                 conf.nfvsm_heat.domain_parameter,
                 conf.nfvsm_heat.image_id_parameter)


def _tag_value(tags, prefix, what):
    values = {t[len(prefix):] for t in tags
              if isinstance(t, str) and t.startswith(prefix)}
    if not values:
        return None
    if len(values) > 1:
        raise StackMarkError('the stack has %d different %s tags (%s)' % (
            len(values), what, ', '.join(sorted(values))))
    value = values.pop()
    if not value:
        raise StackMarkError('the stack\'s %s tag "%s" has no value' % (
            what, prefix))
    return value


def _parameter(stack, name):
    if not name:
        return None
    params = stack.parameters
    if name not in params:
        return None
    value = params[name]
    if value is None or value == '':
        return None
    return str(value)


def identify(stack, marks, stack_id=None):
    """Return the StackVnf a stack deploys, or None for an ordinary stack.

    :param stack: a heat.engine.stack.Stack (tags, parameters, id)
    :param marks: a Marks
    :param stack_id: the id of the stack the VNF lives in, when ``stack``
        has none yet (Heat builds the new stack of an UPDATE without one)
    :raises StackMarkError: marked as a VNF but unusable
    """
    tags = list(stack.tags or [])
    vnf_id = _tag_value(tags, marks.vnf_tag_prefix, 'VNF')
    domain = _tag_value(tags, marks.domain_tag_prefix, 'domain')
    if vnf_id is None:
        vnf_id = _parameter(stack, marks.vnf_id_parameter)
    if domain is None:
        domain = _parameter(stack, marks.domain_parameter)
    if vnf_id is None and domain is None:
        return None
    if vnf_id is None:
        # A stack of its own is the VNF instance (one stack per VNF).
        vnf_id = stack.id or stack_id
        if not vnf_id:
            raise StackMarkError('the stack names a trust domain but no VNF '
                                 'id, and has no stack id yet')
    image_id = _parameter(stack, marks.image_id_parameter)
    return StackVnf(vnf_id, domain or '', image_id or '')
