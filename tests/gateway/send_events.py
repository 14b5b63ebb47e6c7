#!/usr/bin/python3
"""Sends N Nova versioned notifications with the real oslo.messaging.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging).

  send_events.py --transport-url URL --count N --instance UUID [--instance ..]
                 [--event-type instance.power_off.end] [--exchange nova]

Notification i concerns instance i mod len(instances); oslo.messaging gives
each its own message_id (uuid4). Driver messagingv2, topic
versioned_notifications, publisher nova-compute:compute-1, as Nova sends
them. Prints a JSON summary; exits non-zero if oslo reports a failure.
"""

import argparse
import json
import logging
import sys


class _FailureCounter(logging.Handler):
    """oslo.messaging logs send failures instead of raising them."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.failures = []

    def emit(self, record):
        self.failures.append(record.getMessage()[:80])


def payload(uuid):
    return {
        'nova_object.name': 'InstanceActionPayload',
        'nova_object.namespace': 'nova',
        'nova_object.version': '1.8',
        'nova_object.data': {
            'uuid': uuid, 'host': 'compute-1', 'state': 'stopped',
            'power_state': 'shutdown'},
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--transport-url', required=True)
    parser.add_argument('--count', type=int, required=True)
    parser.add_argument('--instance', action='append', required=True)
    parser.add_argument('--event-type', default='instance.power_off.end')
    parser.add_argument('--exchange', default='nova')
    args = parser.parse_args()

    from oslo_config import cfg
    import oslo_messaging as messaging

    failures = _FailureCounter()
    logging.getLogger().addHandler(failures)
    messaging.set_transport_defaults(control_exchange=args.exchange)
    conf = cfg.ConfigOpts()
    conf([], project='nfvsm-test', default_config_files=[],
         default_config_dirs=[])
    transport = messaging.get_notification_transport(
        conf, url=args.transport_url)
    notifier = messaging.Notifier(transport,
                                  publisher_id='nova-compute:compute-1',
                                  driver='messagingv2',
                                  topics=['versioned_notifications'], retry=3)
    try:
        for i in range(args.count):
            uuid = args.instance[i % len(args.instance)]
            notifier.info({'request_id': 'req-%d' % i}, args.event_type,
                          payload(uuid))
    finally:
        transport.cleanup()
    print(json.dumps({'sent': args.count, 'failures': failures.failures}))
    return 1 if failures.failures else 0


if __name__ == '__main__':
    sys.exit(main())
