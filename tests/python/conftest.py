"""Fixtures shared by every Python test area (pytest loads this file for
all tests under tests/python). The harness itself is nfvsm_testlib."""

import pytest

import nfvsm_testlib


@pytest.fixture(scope='session')
def nfvsm_broker():
    """The test RabbitMQ node; skips when rabbitmq-server is missing."""
    try:
        return nfvsm_testlib.broker()
    except nfvsm_testlib.BrokerUnavailable as e:
        pytest.skip('no test RabbitMQ node: %s' % e)


@pytest.fixture
def nfvsm_gateway(tmp_path, nfvsm_broker):
    """A real nfvsm-gateway of its own, stopped after the test."""
    with nfvsm_testlib.Gateway(tmp_path, nfvsm_broker) as gw:
        yield gw
