# The `openstack nfvsm ...` commands (python-openstackclient plugin) run as
# /usr/bin/openstack against a real nfvsm-gateway (engineer "osc").
nfvsm_python_test(NAME python_osc_test DIR osc)
