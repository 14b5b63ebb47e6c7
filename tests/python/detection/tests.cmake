# Unauthorized lifecycle actions observed on the bus (docs/unauthorized-actions.md).
nfvsm_python_test(NAME python_detection_test DIR detection)
