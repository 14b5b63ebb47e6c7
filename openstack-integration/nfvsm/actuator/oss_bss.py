"""Tells OSS/BSS that a VNF is about to be terminated (R2.1.260).

A Semi-Active SM's termination is announced to OSS/BSS before it happens.
OSS/BSS systems in an OpenStack deployment already listen to
oslo.messaging notifications, so the notice is one: event type
``nfvsm.vnf.termination_requested``, driver messagingv2, on the topic
``[nfvsm_actuator] oss_bss_topic`` of the service's transport.
"""

import oslo_messaging

EVENT_TYPE = 'nfvsm.vnf.termination_requested'
PUBLISHER_ID = 'nfvsm.actuator'


class OssBssNotifier(object):

    def __init__(self, conf, transport=None):
        self._transport = (transport or
                           oslo_messaging.get_notification_transport(conf))
        self._notifier = oslo_messaging.Notifier(
            self._transport, publisher_id=PUBLISHER_ID,
            driver='messagingv2',
            topics=[conf.nfvsm_actuator.oss_bss_topic])

    def notify(self, notice, gateway_id='', request_id=''):
        payload = {
            'sm_id': notice.sm,
            'vnf_ids': list(notice.vnf_ids),
            'requestor_ids': list(notice.requestor_ids),
            'ns_ids': list(notice.ns_ids),
            'reason': notice.reason,
            'gateway_id': gateway_id,
            'request_id': request_id,
        }
        # WARN: OSS/BSS should act on it (warn the customer, prepare a
        # replacement) rather than just file it.
        self._notifier.warn({}, EVENT_TYPE, payload)
        return 'OSS/BSS notified'

    def cleanup(self):
        self._transport.cleanup()
