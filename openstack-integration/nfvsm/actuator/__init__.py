"""nfvsm-actuator: carries out, in OpenStack, the steps of Security
Manager instructions that the nfvsm gateway accepted (issue #5).

The gateway (``[actuator] driver = bus``) sends one ``ActuatorRequest``
(core/proto/nfvsm/v1/actuator.proto) per step on the queue
``nfvsm.actuator``; :mod:`nfvsm.actuator.service` answers each with an
``ActuatorReply`` once :mod:`nfvsm.actuator.cloud` has done it. See
docs/actuator.md.
"""
