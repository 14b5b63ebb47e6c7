"""The real nfvsm-gateway daemon as a context manager.

It gets a configuration of its own under ``tmpdir`` (SQLite store, audit
key, ingest queues and notification exchange with unique names, SM
channels provisioned with the test node's rabbitmqctl) and is stopped with
SIGTERM on exit. The gate and admin RPC queues are the fixed
``nfvsm.gate`` / ``nfvsm.admin``: run one Gateway per broker at a time
(ctest runs the Python tests RUN_SERIAL).
"""

import os
import secrets
import signal
import subprocess
import time
import uuid

from nfvsm_testlib import programs

DEFAULT_WAIT = 60.0


def wait_for(predicate, timeout=DEFAULT_WAIT, interval=0.05):
    """Polls predicate() until true or timeout; returns its last value."""
    end = time.monotonic() + timeout
    while True:
        value = predicate()
        if value or time.monotonic() >= end:
            return value
        time.sleep(interval)


def unique_name(stem):
    """A name unique to this process and call (queues, ids)."""
    return '%s-%d-%s' % (stem, os.getpid(), uuid.uuid4().hex[:8])


class GatewayError(Exception):
    """The daemon did not start or serve."""


class Gateway(object):
    """``with Gateway(tmpdir, broker) as gw:`` runs nfvsm-gateway."""

    def __init__(self, tmpdir, broker, gate_default_deadline=30.0,
                 extra_config=None):
        self.broker = broker
        self.dir = os.path.join(str(tmpdir), unique_name('gateway'))
        self.state_dir = os.path.join(self.dir, 'state')
        self.config_file = os.path.join(self.dir, 'nfvsm.conf')
        self.log_file = os.path.join(self.dir, 'gateway.log')
        self.stdio_file = os.path.join(self.dir, 'gateway-stdio.txt')
        self.key_file = os.path.join(self.dir, 'audit-hmac.key')
        self.exchange = unique_name('nova')
        self.ingest_queue = unique_name('ingest')
        self.gate_default_deadline = gate_default_deadline
        self.extra_config = extra_config or {}
        self.process = None
        self._clients = []

    @property
    def transport_url(self):
        return self.broker.transport_url

    def _write_config(self):
        os.makedirs(self.state_dir, mode=0o700)
        fd = os.open(self.key_file, os.O_WRONLY | os.O_CREAT | os.O_EXCL,
                     0o600)
        with os.fdopen(fd, 'w') as f:
            f.write(secrets.token_hex(32) + '\n')
        ctl, ctl_args = self.broker.rabbitmqctl_config()
        sections = {
            'DEFAULT': {'transport_url': self.broker.transport_url},
            'nfvsm': {
                'state_dir': self.state_dir,
                'notification_exchanges': self.exchange,
                'ingest_queue': self.ingest_queue,
                'dead_letter_queue': self.ingest_queue + '.dead',
                'gate_default_deadline_ms':
                    str(int(self.gate_default_deadline * 1000)),
            },
            'audit': {'hmac_key_file': self.key_file},
            'sm_channels': {'rabbitmqctl': ctl, 'rabbitmqctl_args': ctl_args},
        }
        for section, options in self.extra_config.items():
            sections.setdefault(section, {}).update(options)
        with open(self.config_file, 'w') as f:
            for section, options in sections.items():
                f.write('[%s]\n' % section)
                for key, value in options.items():
                    f.write('%s = %s\n' % (key, value))
                f.write('\n')

    def log_text(self):
        try:
            with open(self.log_file) as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def output(self):
        """The daemon's log and stdio, for assertion messages."""
        try:
            with open(self.stdio_file) as f:
                stdio = f.read()
        except FileNotFoundError:
            stdio = ''
        return self.log_text() + stdio

    def start(self):
        self._write_config()
        with open(self.stdio_file, 'ab') as out:
            self.process = subprocess.Popen(
                [programs.gateway(), '--config-file', self.config_file,
                 '--log-file', self.log_file],
                stdout=out, stderr=subprocess.STDOUT,
                env=programs.child_env())
        if not wait_for(lambda: ('ingest consuming' in self.log_text()
                                 or self.process.poll() is not None)):
            self.kill()
            raise GatewayError('nfvsm-gateway did not start:\n'
                               + self.output())
        if self.process.poll() is not None:
            raise GatewayError('nfvsm-gateway exited with %d:\n%s'
                               % (self.process.returncode, self.output()))
        self._wait_serving()
        return self

    def _wait_serving(self):
        # The admin queue may outlive an earlier gateway on the shared node:
        # only an answer proves that this one serves.
        import nfvsm
        admin = nfvsm.AdminClient(self.transport_url, actor='nfvsm-testlib',
                                  timeout=2.0)
        try:
            def answered():
                try:
                    admin.list_domains()
                    return True
                except nfvsm.GatewayUnavailable:
                    return False
            if not wait_for(answered, interval=0.2):
                raise GatewayError('nfvsm-gateway does not answer the admin '
                                   'RPC:\n' + self.output())
        finally:
            admin.close()

    def admin(self, actor='nfvsm-test', timeout=30.0):
        """An AdminClient of this gateway (closed when the gateway stops)."""
        import nfvsm
        client = nfvsm.AdminClient(self.transport_url, actor=actor,
                                   timeout=timeout)
        self._clients.append(client)
        return client

    def gate(self, timeout=30.0, **kwargs):
        """A GateClient of this gateway (closed when the gateway stops)."""
        import nfvsm
        kwargs.setdefault('requester', 'nfvsm-test@%s' % os.uname()[1])
        client = nfvsm.GateClient(self.transport_url, timeout=timeout,
                                  **kwargs)
        self._clients.append(client)
        return client

    def run_admin_cli(self, *args):
        """nfvsm-admin with this gateway's configuration file."""
        return subprocess.run(
            [programs.admin(), '--config-file', self.config_file,
             '--actor', 'nfvsm-test-cli'] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120, env=programs.child_env())

    def stop(self, sig=signal.SIGTERM, timeout=DEFAULT_WAIT):
        """Signals the daemon; its exit status (None if it did not exit)."""
        for client in self._clients:
            client.close()
        self._clients = []
        if self.process is None or self.process.poll() is not None:
            return None if self.process is None else self.process.returncode
        self.process.send_signal(sig)
        try:
            return self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            return None

    def kill(self):
        if self.process is not None and self.process.poll() is None:
            self.process.kill()
            self.process.wait()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        if self.stop() is None:
            self.kill()
        return False
