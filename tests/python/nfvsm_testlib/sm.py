"""The reference Security Manager (``nfvsm-sm``, docs/sm.md) as a context
manager: ``nfvsm-sm keygen``, registration with the gateway (put_sm, which
provisions its channel), optional bindings, then ``nfvsm-sm serve`` with
the given rules until exit (SIGTERM).
"""

import json
import os
import signal
import subprocess

from nfvsm_testlib import gateway as gateway_lib
from nfvsm_testlib import programs


class ReferenceSmError(Exception):
    pass


class ReferenceSm(object):
    """``with ReferenceSm(tmpdir, gw, 'sm-full', rules) as sm:``

    ``rules_text`` is the rules file (a str, or a dict dumped as JSON);
    None registers the SM without serving (``send`` then reads its own
    answers). ``bindings`` is a sequence of dicts of
    ``AdminClient.put_binding`` arguments (``domain``, ``mode``, ...),
    applied after registration. ``sm_id`` gets a per-process suffix so that
    SM vhosts never collide on the shared node (``.id`` is the real id).
    """

    def __init__(self, tmpdir, gateway, sm_id, rules_text, home_domain='',
                 bindings=(), master=None):
        self.gateway = gateway
        self.id = '%s-%d' % (sm_id, os.getpid())
        self.dir = os.path.join(str(tmpdir), gateway_lib.unique_name(sm_id))
        self.key_file = os.path.join(self.dir, 'sm.pem')
        self.rules_file = os.path.join(self.dir, 'rules.json')
        self.events_file = os.path.join(self.dir, 'events.jsonl')
        self.output_file = os.path.join(self.dir, 'serve.txt')
        self.rules_text = rules_text
        self.home_domain = home_domain
        self.bindings = list(bindings)
        self.master = master
        self.channel_file = None
        self.public_key_pem = None
        self.process = None

    def start(self):
        os.makedirs(self.dir, mode=0o700)
        keygen = subprocess.run(
            [programs.sm(), 'keygen', '--out', self.key_file],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=60, env=programs.child_env())
        if keygen.returncode != 0 or 'BEGIN PUBLIC KEY' not in keygen.stdout:
            raise ReferenceSmError('nfvsm-sm keygen failed: %s%s'
                                   % (keygen.stdout, keygen.stderr))
        self.public_key_pem = keygen.stdout
        # put_sm provisions the SM's vhost with several rabbitmqctl runs,
        # each booting an Erlang VM: slow on a loaded machine.
        admin = self.gateway.admin(actor='nfvsm-testlib', timeout=180)
        self.channel_file = admin.put_sm(
            self.id, public_key_pem=self.public_key_pem,
            home_domain=self.home_domain, master=self.master)
        if not self.channel_file or not os.path.exists(self.channel_file):
            raise ReferenceSmError('no channel file for %s: %r'
                                   % (self.id, self.channel_file))
        for binding in self.bindings:
            binding = dict(binding)
            admin.put_binding(self.id, binding.pop('domain'), **binding)
        if self.rules_text is not None:
            self.serve()
        return self

    def serve(self, rules_text=None):
        """Starts ``nfvsm-sm serve``; waits until it consumes."""
        if rules_text is not None:
            self.rules_text = rules_text
        rules = self.rules_text
        if not isinstance(rules, str):
            rules = json.dumps(rules)
        with open(self.rules_file, 'w') as f:
            f.write(rules)
        with open(self.output_file, 'ab') as out:
            self.process = subprocess.Popen(
                [programs.sm(), 'serve', '--channel-file', self.channel_file,
                 '--key', self.key_file, '--rules', self.rules_file,
                 '--events-out', self.events_file, '--state-dir', self.dir],
                stdout=out, stderr=subprocess.STDOUT,
                env=programs.child_env())
        if not gateway_lib.wait_for(
                lambda: ('consuming' in self.output()
                         or self.process.poll() is not None)) \
                or self.process.poll() is not None:
            self.stop(signal.SIGKILL)
            raise ReferenceSmError('nfvsm-sm serve did not start:\n'
                                   + self.output())

    def output(self):
        try:
            with open(self.output_file) as f:
                return f.read()
        except FileNotFoundError:
            return ''

    def events(self):
        """The --events-out lines as dicts (docs/sm.md)."""
        out = []
        try:
            with open(self.events_file) as f:
                for line in f:
                    line = line.strip()
                    if line:
                        out.append(json.loads(line))
        except FileNotFoundError:
            pass
        return out

    def send(self, *instruction, timeout=30):
        """``nfvsm-sm send ... <instruction>``: (exit code, stdout, stderr).
        Run it while ``serve`` is stopped (docs/sm.md)."""
        result = subprocess.run(
            [programs.sm(), 'send', '--channel-file', self.channel_file,
             '--key', self.key_file, '--state-dir', self.dir,
             '--timeout', str(timeout)] + list(instruction),
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=timeout + 60, env=programs.child_env())
        return result.returncode, result.stdout, result.stderr

    def stop(self, sig=signal.SIGTERM, timeout=60):
        """Stops ``serve``; its exit status (None if it was not running)."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(sig)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        code = self.process.returncode
        self.process = None
        return code

    def __enter__(self):
        try:
            return self.start()
        except BaseException:
            self._cleanup()
            raise

    def _cleanup(self):
        # The SM's vhost and user outlive the gateway on the shared node.
        for what in ('delete_vhost', 'delete_user'):
            self.gateway.broker.ctl(what, 'nfvsm.sm.' + self.id, check=False)

    def __exit__(self, *exc):
        self.stop()
        self._cleanup()
        return False
