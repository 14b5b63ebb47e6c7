"""Version 1 of the ``openstack nfvsm`` command group."""
