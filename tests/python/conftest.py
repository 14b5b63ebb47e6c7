"""Fixtures shared by every Python test area (pytest loads this file for
all tests under tests/python). The harness itself is nfvsm_testlib."""

import os
import subprocess
import sys

import pytest

import nfvsm_testlib

PACKAGE_DIR = os.path.abspath(os.path.join(
    os.path.dirname(__file__), '..', '..', 'openstack-integration'))


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


@pytest.fixture(scope='session')
def nfvsm_entry_points(tmp_path_factory):
    """Makes the nfvsm package's entry points visible without installing it.

    Heat, Masakari and openstackclient find plugins through entry points;
    the package's egg-info (``setup.py egg_info`` from setup.cfg) is written
    into a temporary directory put on sys.path, so importlib.metadata (hence
    stevedore) lists them as for an installed package while the code is
    imported from the source tree. Returns that directory, for programs
    started with it on their PYTHONPATH.
    """
    egg_base = str(tmp_path_factory.mktemp('egg-info'))
    subprocess.run(
        [sys.executable, '-c', 'from setuptools import setup; setup()',
         '-q', 'egg_info', '--egg-base', egg_base],
        cwd=PACKAGE_DIR, check=True, stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT, timeout=300)
    sys.path.insert(0, egg_base)
    return egg_base
