"""Test harness of nfvsm's Python tests (tests/python/README in
/work/prompts/s4/pyplugin-status.md): the private RabbitMQ node, the real
nfvsm-gateway daemon and the reference SM ``nfvsm-sm``, so that every
Python test goes through the real components.

    from nfvsm_testlib import broker, Gateway, ReferenceSm

Import it with ``PYTHONPATH=tests/python`` (ctest sets it). Other test
areas import it; they never copy it.
"""

from nfvsm_testlib.broker import BrokerInfo
from nfvsm_testlib.broker import BrokerUnavailable
from nfvsm_testlib.broker import broker
from nfvsm_testlib.gateway import Gateway
from nfvsm_testlib.gateway import GatewayError
from nfvsm_testlib.gateway import unique_name
from nfvsm_testlib.gateway import wait_for
from nfvsm_testlib.programs import ProgramMissing
from nfvsm_testlib.sm import ReferenceSm
from nfvsm_testlib.sm import ReferenceSmError

__all__ = ['BrokerInfo', 'BrokerUnavailable', 'broker', 'Gateway',
           'GatewayError', 'unique_name', 'wait_for', 'ProgramMissing',
           'ReferenceSm', 'ReferenceSmError']
