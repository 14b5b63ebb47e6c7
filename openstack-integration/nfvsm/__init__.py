"""nfvsm: OpenStack hooks of the NFV Security Manager gateway.

The C++ extension ``nfvsm._nfvsm`` is built by the top-level CMake into
``<build>/python/nfvsm/``; extending ``__path__`` lets it be found there
while this package is used from the source tree (tests, DevStack).

The client API (``GateClient``, ``AdminClient``, ``GateDecision``, the
exceptions) comes from the extension and is re-exported here lazily, so
that parts that need no bus client (``nfvsm.conf`` for
oslo-config-generator, say) import without the extension being built.
"""

__path__ = __import__('pkgutil').extend_path(__path__, __name__)

_EXPORTS = (
    'NfvsmError',
    'InvalidRequest',
    'NotFound',
    'AlreadyExists',
    'PermissionDenied',
    'FailedPrecondition',
    'GatewayUnavailable',
    'GateDenied',
    'GateDecision',
    'GateClient',
    'AdminClient',
    'HAVE_VBS_AGENT',
    'vbs_bootstrap',
)

__all__ = list(_EXPORTS)


def __getattr__(name):
    # PEP 562: resolve the extension's names on first use only.
    if name in _EXPORTS:
        from nfvsm import _nfvsm
        value = getattr(_nfvsm, name)
        globals()[name] = value
        return value
    raise AttributeError('module %r has no attribute %r' % (__name__, name))


def __dir__():
    return sorted(list(globals()) + list(_EXPORTS))
