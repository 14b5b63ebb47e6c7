# nfvsm's Heat lifecycle plugin through Heat's own lifecycle_plugin_utils,
# against the real gateway and reference SM (engineer "hooks").
nfvsm_python_test(NAME python_heat_test DIR heat)
