"""Fixtures of the nfvsm-actuator tests: the OpenStack STUB (see
openstack_stub.py: OpenStack cannot run here), a configuration file for
the service, and the service's dispatcher built from it exactly as
``nfvsm-actuator`` builds it (real openstacksdk, keystoneauth, protobuf,
oslo.messaging on the private RabbitMQ node)."""

import pytest

import actuator_config
import openstack_stub
from nfvsm.actuator import service


@pytest.fixture
def stub():
    s = openstack_stub.OpenStackStub()
    yield s
    s.close()


@pytest.fixture
def make_dispatcher(tmp_path, nfvsm_broker):
    """make_dispatcher(stub, extra_config='') -> (Dispatcher, conf)."""
    built = []

    def make(the_stub, extra=''):
        path = actuator_config.write_config(
            tmp_path / ('actuator-%d.conf' % len(built)),
            nfvsm_broker.transport_url, the_stub.auth_url, extra)
        conf = actuator_config.load_config(path)
        dispatcher = service.build(conf)
        built.append(conf)
        return dispatcher, conf

    return make


@pytest.fixture
def dispatcher(stub, make_dispatcher):
    return make_dispatcher(stub)[0]
