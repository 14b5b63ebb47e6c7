"""nfvsm's Heat stack lifecycle plugin.

Entry point ``heat.stack_lifecycle_plugins``; see nfvsm.heat.lifecycle and
docs/openstack-hooks.md.
"""
