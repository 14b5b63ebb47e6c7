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

"""The Grant API's link to the nfvsm gateway (nfvsm.GateClient/AdminClient).

The API talks to nfvsm only through an object with the three methods of
NfvsmGate (lookup, check, register), so that tests of validation and
mapping can inject their own, and so that this file is the one place that
knows the Python binding.

GateClient serializes checks per client (docs/rpc.md): concurrent
requests borrow clients from a pool.
"""

import contextlib
import queue


class NfvsmGate(object):
    """Asks the nfvsm gateway over the bus through a pool of clients.

    GateClient serializes checks per client, so concurrent requests each
    take a client from the pool (creating one when none is idle) and put
    it back afterwards; a thread-per-request server thus reuses
    connections instead of opening one per request.
    """

    def __init__(self, transport_url, timeout, fail_open, requester, actor):
        import nfvsm  # the binding is only needed when really serving
        self._nfvsm = nfvsm
        self._transport_url = transport_url
        self._timeout = float(timeout)
        self.fail_open = bool(fail_open)
        self._requester = requester
        self._actor = actor
        self._gates = queue.LifoQueue()
        self._admins = queue.LifoQueue()
        # Fail at start-up, not at the first grant, on a bad URL.
        self._gates.put(self._new_gate())

    def _new_gate(self):
        return self._nfvsm.GateClient(
            self._transport_url, timeout=self._timeout,
            fail_open=self.fail_open, requester=self._requester)

    def _new_admin(self):
        return self._nfvsm.AdminClient(self._transport_url, actor=self._actor,
                                       timeout=self._timeout)

    @contextlib.contextmanager
    def _borrow(self, pool, make):
        try:
            client = pool.get_nowait()
        except queue.Empty:
            client = make()
        try:
            yield client
        finally:
            pool.put(client)

    def lookup(self, vnf_id):
        """Return the VNF's inventory record (a dict), or None if unknown.

        Raises nfvsm.GatewayUnavailable when the gateway cannot be asked.
        """
        with self._borrow(self._admins, self._new_admin) as admin:
            try:
                return admin.vnf_status(vnf_id)
            except self._nfvsm.NotFound:
                return None

    def check(self, call):
        """Return the nfvsm.GateDecision for a mapping.GateCall."""
        with self._borrow(self._gates, self._new_gate) as client:
            if call.recovery:
                return client.check_recovery(call.vnf_id, domain=call.domain)
            return client.check_operation(
                call.operation, call.vnf_id, domain=call.domain,
                vnfd_id=call.vnfd_id, source=call.source,
                reason=call.reason,
                needs_security_policy=call.needs_security_policy)

    def register(self, vnf_id, domain, vnfd_id):
        """Add a granted VNF to nfvsm's inventory (admin put_vnf)."""
        with self._borrow(self._admins, self._new_admin) as admin:
            admin.put_vnf(vnf_id, domain=domain, vnfd_id=vnfd_id,
                          state='pending')

    @property
    def unavailable_error(self):
        """The exception class lookup/register raise for transport loss."""
        return self._nfvsm.GatewayUnavailable

    @property
    def invalid_error(self):
        """The exception class check raises for input it refuses."""
        return self._nfvsm.InvalidRequest
