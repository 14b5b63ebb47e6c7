"""nfvsm's recovery veto tasks for Masakari.

Entry points ``masakari.task_flow.tasks``; see nfvsm.masakari.tasks and
docs/openstack-hooks.md.
"""
