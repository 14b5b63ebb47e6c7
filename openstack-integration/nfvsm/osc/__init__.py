"""The ``openstack nfvsm ...`` commands (python-openstackclient plugin)."""
