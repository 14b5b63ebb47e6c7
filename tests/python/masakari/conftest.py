"""Masakari's own recovery flows with nfvsm's tasks, listed by name in
``[taskflow_driver_recovery_flows]`` and loaded by Masakari's stevedore
manager from the ``masakari.task_flow.tasks`` entry points.

The package is not installed here: the ``nfvsm_entry_points`` fixture of
tests/python/conftest.py makes its entry points visible.
"""

import pytest


# What docs/openstack-hooks.md tells operators to configure.
RECOVERY_FLOWS = {
    'instance_failure_recovery_tasks': {
        'pre': ['nfvsm_instance_recovery_veto_task', 'stop_instance_task'],
        'main': ['start_instance_task'],
        'post': ['confirm_instance_active_task']},
    'host_auto_failure_recovery_tasks': {
        'pre': ['disable_compute_service_task'],
        'main': ['prepare_HA_enabled_instances_task',
                 'nfvsm_evacuation_veto_task'],
        'post': ['evacuate_instances_task']},
    'host_rh_failure_recovery_tasks': {
        'pre': ['disable_compute_service_task'],
        'main': ['prepare_HA_enabled_instances_task',
                 'nfvsm_evacuation_veto_task', 'evacuate_instances_task'],
        'post': []},
}


@pytest.fixture(scope='session')
def masakari_conf(nfvsm_entry_points, tmp_path_factory):
    """masakari.conf as an operator writes it for nfvsm, parsed by
    Masakari's own option definitions."""
    import masakari.conf
    conf_file = tmp_path_factory.mktemp('masakari') / 'masakari.conf'
    lines = ['[DEFAULT]', 'wait_period_after_service_update = 0', '',
             '[taskflow_driver_recovery_flows]']
    for option, flow in RECOVERY_FLOWS.items():
        lines.append('%s = %s' % (option, ','.join(
            '%s:%s' % (phase, repr(tasks)) for phase, tasks in flow.items())))
    conf_file.write_text('\n'.join(lines) + '\n')
    conf = masakari.conf.CONF
    conf([], project='masakari', default_config_files=[str(conf_file)])
    from nfvsm.conf import masakari as masakari_opts
    from nfvsm.conf import nfvsm as nfvsm_opts
    nfvsm_opts.register_opts(conf)
    masakari_opts.register_opts(conf)
    yield conf
    conf.reset()
