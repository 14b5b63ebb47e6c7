# nfvsm's recovery veto tasks inside Masakari's own recovery flows, against
# the real gateway and reference SM; Nova is a recording stub (engineer
# "hooks").
nfvsm_python_test(NAME python_masakari_test DIR masakari)
