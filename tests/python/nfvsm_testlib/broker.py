"""The private RabbitMQ node of the bus tests, seen from Python.

Under ctest the node is the ``amqp_broker`` fixture of tests/amqp and its
coordinates are in the file named by ``NFVSM_TEST_BROKER_ENV``. Run by hand
(``pytest tests/python/...``), the first call starts a node of our own with
scripts/lib/rabbitmq.sh and stops it when the interpreter exits, so that a
test never touches a system broker.
"""

import atexit
import dataclasses
import os
import shutil
import subprocess
import tempfile

from nfvsm_testlib import programs

REPO_ROOT = os.path.abspath(
    os.path.join(os.path.dirname(__file__), '..', '..', '..'))
RABBITMQ_SCRIPT = os.path.join(REPO_ROOT, 'scripts', 'lib', 'rabbitmq.sh')

_broker = None


class BrokerUnavailable(Exception):
    """No node: rabbitmq-server is missing or the node did not boot."""


@dataclasses.dataclass(frozen=True)
class BrokerInfo:
    dir: str
    node: str
    port: int
    user: str
    password: str
    transport_url: str
    tls_port: int = 0
    tls_ca: str = ''
    tls_client_cert: str = ''
    tls_client_key: str = ''

    def ctl(self, *args, check=True):
        """Runs rabbitmqctl against this node; returns its output."""
        result = subprocess.run(
            ['bash', RABBITMQ_SCRIPT, 'ctl', self.dir] + list(args),
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            timeout=120, env=programs.child_env())
        if check and result.returncode != 0:
            raise RuntimeError('rabbitmqctl %s failed (exit %d): %s'
                               % (' '.join(args), result.returncode,
                                  result.stdout))
        return result.stdout

    def rabbitmqctl_config(self):
        """(program, args) for the gateway's [sm_channels] options."""
        return 'bash', '%s ctl %s' % (RABBITMQ_SCRIPT, self.dir)


def read_env_file(path):
    """Parses a broker.env file written by rabbitmq.sh start."""
    env = {}
    with open(path) as f:
        for line in f:
            key, sep, value = line.rstrip('\n').partition('=')
            if sep:
                env[key] = value
    try:
        return BrokerInfo(
            dir=env['NFVSM_TEST_BROKER_DIR'],
            node=env['NFVSM_TEST_RABBIT_NODE'],
            port=int(env['NFVSM_TEST_AMQP_PORT']),
            user=env['NFVSM_TEST_AMQP_USER'],
            password=env['NFVSM_TEST_AMQP_PASSWORD'],
            transport_url=env['NFVSM_TEST_TRANSPORT_URL'],
            tls_port=int(env.get('NFVSM_TEST_AMQPS_PORT') or 0),
            tls_ca=env.get('NFVSM_TEST_TLS_CA', ''),
            tls_client_cert=env.get('NFVSM_TEST_TLS_CLIENT_CERT', ''),
            tls_client_key=env.get('NFVSM_TEST_TLS_CLIENT_KEY', ''))
    except (KeyError, ValueError) as e:
        raise BrokerUnavailable('incomplete broker env file %s: %s'
                                % (path, e))


def rabbitmq_installed():
    return subprocess.run(['bash', RABBITMQ_SCRIPT, 'available'],
                          stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL,
                          env=programs.child_env()).returncode == 0


def _start_own_node():
    if not rabbitmq_installed():
        raise BrokerUnavailable('rabbitmq-server is not installed')
    node_dir = tempfile.mkdtemp(prefix='nfvsm-broker-')
    env = dict(programs.child_env(),
               NFVSM_RABBITMQ_OWNER_PID=str(os.getpid()))
    result = subprocess.run(['bash', RABBITMQ_SCRIPT, 'start', node_dir],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env, timeout=900)
    if result.returncode != 0:
        raise BrokerUnavailable('could not start a test RabbitMQ node '
                                '(exit %d):\n%s'
                                % (result.returncode, result.stdout))

    def stop():
        subprocess.run(['bash', RABBITMQ_SCRIPT, 'stop', node_dir],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       timeout=300, env=programs.child_env())
        shutil.rmtree(node_dir, ignore_errors=True)

    atexit.register(stop)
    return read_env_file(os.path.join(node_dir, 'broker.env'))


def broker():
    """The test node's BrokerInfo (raises BrokerUnavailable)."""
    global _broker
    if _broker is None:
        shared = os.environ.get('NFVSM_TEST_BROKER_ENV')
        if shared:
            if not os.path.exists(shared):
                # The fixture skips the node when rabbitmq is missing.
                raise BrokerUnavailable('no broker env file at %s' % shared)
            _broker = read_env_file(shared)
        else:
            _broker = _start_own_node()
    return _broker
