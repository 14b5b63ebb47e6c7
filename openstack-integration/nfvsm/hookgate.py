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

"""How the orchestrator hooks (Heat plugin, Masakari tasks) ask nfvsm.

Shared by nfvsm.heat and nfvsm.masakari. Three things the hooks must get
right and that do not belong in either of them:

* heat-engine and masakari-engine run under eventlet. nfvsm.GateClient
  blocks in C++ (with the GIL released) until the gateway answers, up to
  the gate timeout; called from a green thread, that would stall every
  other green thread of the service. Under eventlet the call is therefore
  made in eventlet's native thread pool (tpool).
* A GateClient serializes its checks (docs/rpc.md), and one slow
  Fully-Active SM must not hold up gates of unrelated stacks, so checks
  take an idle client from a small pool or open a new one.
* Fail closed (R1.3.30): a hook that cannot even build a client (missing
  binding, bad transport_url) must not let the operation through; such
  problems become a DENY decision like any other gateway problem, unless
  ``[nfvsm] fail_mode = open``.
"""

import socket

from oslo_config import cfg
from oslo_log import log as logging

from nfvsm.conf import nfvsm as nfvsm_conf

LOG = logging.getLogger(__name__)

# Idle clients kept per HookGate; more concurrent checks open more clients,
# which are closed again when they come back to a full pool.
MAX_IDLE_CLIENTS = 4


def register_opts(conf):
    """Register the ``[nfvsm]`` group every hook reads (idempotent)."""
    nfvsm_conf.register_opts(conf)


def transport_url(conf):
    """``[nfvsm] transport_url``, else the service's own bus.

    In a standard deployment the gateway listens on the bus the service
    already uses, so ``[DEFAULT] transport_url`` (registered by
    oslo.messaging in Heat and Masakari) is the default.
    """
    url = conf.nfvsm.transport_url
    if url:
        return url
    try:
        return conf.transport_url
    except cfg.NoSuchOptError:
        return None


def _run_blocking(fn, *args, **kwargs):
    """Run ``fn`` without blocking the eventlet hub, if there is one."""
    try:
        from eventlet import patcher
        from eventlet import tpool
    except ImportError:
        return fn(*args, **kwargs)
    if patcher.is_monkey_patched('thread'):
        return tpool.execute(fn, *args, **kwargs)
    return fn(*args, **kwargs)


class LocalDecision(object):
    """A decision made here because no GateClient could be used.

    Mirrors the attributes of nfvsm.GateDecision that the hooks read.
    """

    def __init__(self, error, fail_open):
        self.allowed = bool(fail_open)
        self.verdict = 'allow' if fail_open else 'deny'
        self.gate_id = ''
        self.reasons = []
        self.policy = None
        self.timed_out = False
        self.error = error
        self.failed_open = bool(fail_open)

    def reason_text(self):
        return self.error


class HookGate(object):
    """Gate checks for one hook, configured from the ``[nfvsm]`` group."""

    def __init__(self, service, conf=None):
        """Remember the configuration; connects nothing yet.

        :param service: the calling service, e.g. "heat-engine"; the default
            requester is "<service>@<host name>".
        """
        self._conf = conf if conf is not None else cfg.CONF
        register_opts(self._conf)
        self._service = service
        self._idle = []

    @property
    def fail_open(self):
        return self._conf.nfvsm.fail_mode == 'open'

    def _requester(self):
        requester = self._conf.nfvsm.requester
        return requester or '%s@%s' % (self._service, socket.gethostname())

    def _settings(self):
        group = self._conf.nfvsm
        return (transport_url(self._conf), float(group.gate_timeout),
                self.fail_open, self._requester())

    def _client(self, settings):
        """An idle client made with ``settings``, or a new one.

        Idle clients made with other settings (a changed configuration)
        are closed rather than reused.
        """
        while self._idle:
            made_with, client = self._idle.pop()
            if made_with == settings:
                return client
            _close_quietly(client)
        url, timeout, fail_open, requester = settings
        if not url:
            raise ValueError('no transport_url in [nfvsm] or [DEFAULT]')
        import nfvsm
        return nfvsm.GateClient(url, timeout=timeout, fail_open=fail_open,
                                requester=requester)

    def _check(self, method, *args, **kwargs):
        settings = self._settings()
        try:
            client = self._client(settings)
        except Exception as e:
            # ImportError (no binding), nfvsm.InvalidRequest (bad URL or
            # options), no URL at all: nothing the gateway decided.
            LOG.error('nfvsm: cannot create a gate client: %s', e)
            return LocalDecision(
                'nfvsm gate client unavailable: %s' % e, settings[2])
        try:
            decision = _run_blocking(getattr(client, method), *args,
                                     **kwargs)
        except BaseException:
            # Bad input (InvalidRequest) leaves the client usable, but a
            # GreenletExit or timeout in the middle of a check may not:
            # never hand such a client to the next caller.
            _close_quietly(client)
            raise
        if len(self._idle) < MAX_IDLE_CLIENTS:
            self._idle.append((settings, client))
        else:
            _close_quietly(client)
        if decision.failed_open:
            LOG.warning('nfvsm: %s allowed without a decision (fail_mode = '
                        'open): %s', method, decision.error)
        return decision

    def check_operation(self, operation, vnf_id, **kwargs):
        """nfvsm.GateClient.check_operation through the pool."""
        return self._check('check_operation', operation, vnf_id, **kwargs)

    def check_recovery(self, vnf_id, host=None, **kwargs):
        """nfvsm.GateClient.check_recovery through the pool."""
        return self._check('check_recovery', vnf_id, host, **kwargs)

    def check_placement(self, vnf_id, host, **kwargs):
        """nfvsm.GateClient.check_placement through the pool."""
        return self._check('check_placement', vnf_id, host, **kwargs)

    def close(self):
        """Close the idle clients (tests; services just exit)."""
        while self._idle:
            _close_quietly(self._idle.pop()[1])


def _close_quietly(client):
    try:
        _run_blocking(client.close)
    except Exception as e:  # closing is best effort
        LOG.debug('nfvsm: closing a gate client failed: %s', e)
