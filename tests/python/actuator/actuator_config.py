"""The configuration file of nfvsm-actuator as the tests write it: the
[DEFAULT] transport_url of the test broker and keystoneauth options that
point at the OpenStack STUB (openstack_stub.py)."""

from oslo_config import cfg

from nfvsm.conf import actuator as actuator_conf


def write_config(path, transport_url, auth_url, extra=''):
    path.write_text(
        '[DEFAULT]\n'
        'transport_url = %s\n'
        '[nfvsm_actuator]\n'
        'auth_type = v3password\n'
        'auth_url = %s\n'
        'username = admin\n'
        'password = stub-secret\n'
        'project_name = admin\n'
        'user_domain_name = Default\n'
        'project_domain_name = Default\n'
        'region_name = RegionOne\n'
        '%s' % (transport_url, auth_url, extra))
    return path


def load_config(path):
    conf = cfg.ConfigOpts()
    actuator_conf.register_opts(conf)
    conf(['--config-file', str(path)], project='nfvsm',
         default_config_files=[])
    return conf
