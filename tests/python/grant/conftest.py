"""Makes the source tree importable when pytest runs these tests by hand.

ctest sets PYTHONPATH itself (tests/python/CMakeLists.txt); this only
prepends what is missing.
"""

import os
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
_SRC = os.path.abspath(os.path.join(_HERE, '..', '..', '..'))
for path in (os.path.join(_SRC, 'openstack-integration'),
             os.path.join(_SRC, 'tests', 'python'), _HERE):
    if path not in sys.path:
        sys.path.insert(0, path)
