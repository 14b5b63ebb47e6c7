"""A recording stand-in for masakari.compute.nova.API.

A STUB: no Nova runs here. It implements the calls Masakari's own recovery
tasks make (instance_failure.py, host_failure.py), keeps each server's
state the way Nova would change it (stop -> 'stopped', start -> 'active',
evacuate -> another hypervisor), and records every call so that tests can
assert what Masakari did to which instance. Everything else is Masakari's
real code.
"""

import copy
import threading


class Server(object):
    """What the tasks read of a novaclient server."""

    def __init__(self, uuid, host, vm_state='active', metadata=None):
        self.id = uuid
        self.metadata = dict(metadata or {})
        self.locked = False
        setattr(self, 'OS-EXT-STS:vm_state', vm_state)
        setattr(self, 'OS-EXT-STS:task_state', None)
        setattr(self, 'OS-EXT-STS:power_state', 1)
        self.move_to(host)

    def move_to(self, host):
        setattr(self, 'OS-EXT-SRV-ATTR:host', host)
        setattr(self, 'OS-EXT-SRV-ATTR:hypervisor_hostname', host)

    @property
    def vm_state(self):
        return getattr(self, 'OS-EXT-STS:vm_state')

    @vm_state.setter
    def vm_state(self, value):
        setattr(self, 'OS-EXT-STS:vm_state', value)

    @property
    def host(self):
        return getattr(self, 'OS-EXT-SRV-ATTR:host')


class RecordingNova(object):
    """masakari.compute.nova.API's methods, on in-memory servers."""

    def __init__(self, servers, auto_target='nova-scheduled-host'):
        self.servers = {s.id: s for s in servers}
        self.calls = []
        self.auto_target = auto_target
        self._lock = threading.Lock()

    def _record(self, name, *args):
        with self._lock:
            self.calls.append((name,) + args)

    def calls_for(self, uuid):
        """Names of the calls that changed or read ``uuid``, in order."""
        return [c[0] for c in self.calls if uuid in c[1:]]

    def changes_for(self, uuid):
        """Names of the calls that would have changed ``uuid`` in Nova."""
        return [n for n in self.calls_for(uuid)
                if n not in ('get_server',)]

    # Reads: a copy, as Nova returns a fresh object per GET.
    def get_server(self, context, uuid):
        self._record('get_server', uuid)
        return copy.deepcopy(self.servers[uuid])

    def get_servers(self, context, host):
        self._record('get_servers', host)
        return [copy.deepcopy(s) for s in self.servers.values()
                if s.host == host]

    def get_aggregate_list(self, context):
        self._record('get_aggregate_list')
        return []

    # Changes.
    def stop_server(self, context, uuid):
        self._record('stop_server', uuid)
        self.servers[uuid].vm_state = 'stopped'

    def start_server(self, context, uuid):
        self._record('start_server', uuid)
        self.servers[uuid].vm_state = 'active'

    def reset_instance_state(self, context, uuid, status='error'):
        self._record('reset_instance_state', uuid, status)
        self.servers[uuid].vm_state = status

    def lock_server(self, context, uuid):
        self._record('lock_server', uuid)
        self.servers[uuid].locked = True

    def unlock_server(self, context, uuid):
        self._record('unlock_server', uuid)
        self.servers[uuid].locked = False

    def evacuate_instance(self, context, uuid, target=None):
        self._record('evacuate_instance', uuid, target)
        self.servers[uuid].move_to(target or self.auto_target)

    def enable_disable_service(self, context, host_name, enable=False,
                               reason=None):
        self._record('enable_disable_service', host_name, enable)

    def add_host_to_aggregate(self, context, host, aggregate):
        self._record('add_host_to_aggregate', host, aggregate)
