# SOL003 Grant endpoint (issue #5, engineer "grant"). Included by
# tests/python/CMakeLists.txt.
#
# unit/: validation, authentication and the Grant mapping with the gate
# injected, and the package forwarding against a stub of Tacker's package
# API (no Tacker here): no broker.
nfvsm_python_test(NAME python_grant_unit_test DIR grant/unit NO_BROKER)
# e2e/: Tacker-shaped GrantRequests over HTTP to the real nfvsm-grant-api
# process, gated by the real nfvsm-gateway and a real Fully-Active
# reference SM on the test broker.
nfvsm_python_test(NAME python_grant_e2e_test DIR grant/e2e TIMEOUT 900)
