#!/usr/bin/python3
"""An oslo.messaging notification listener that only counts.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging, rabbit driver).

  oslo_listener.py --transport-url URL --exchange X --pool Q --declare-only
      Starts the listener once so that oslo declares its exchange X and its
      queue Q (durable: amqp_durable_queues = true, like nfvsm's ingest
      queue), bound with versioned_notifications.info; then stops.

  oslo_listener.py --transport-url URL --exchange X --pool Q --expect N
      Listens (executor "threading") on target versioned_notifications of
      exchange X with pool Q (the queue name) until N notifications were
      counted, then stops (oslo acks each after the endpoint returns).
      Prints "row|ingest oslo listener|counted|missing|-|-|per_second" (the
      row format of nfvsm-bus-load), the rate from the first notification to
      the N-th handled; exits 1 if fewer arrived within --timeout seconds.

The pool keeps the bench's queue apart from any other listener of the
default versioned_notifications.info queue on the same broker.
"""

import argparse
import json
import sys
import threading
import time


class Counter(object):
    def __init__(self, expect):
        self.expect = expect
        self.count = 0
        self.first = None
        self.last = None
        self.lock = threading.Lock()
        self.done = threading.Event()

    def info(self, ctxt, publisher_id, event_type, payload, metadata):
        with self.lock:
            now = time.perf_counter()
            if self.first is None:
                self.first = now
            self.count += 1
            self.last = now
            if self.count >= self.expect:
                self.done.set()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--transport-url', required=True)
    parser.add_argument('--exchange', required=True)
    parser.add_argument('--pool', required=True)
    parser.add_argument('--expect', type=int, default=0)
    parser.add_argument('--declare-only', action='store_true')
    parser.add_argument('--timeout', type=float, default=240)
    args = parser.parse_args()

    from oslo_config import cfg
    import oslo_messaging as messaging

    # The global CONF, as the services use: oslo registers some options
    # (metrics) only there.
    conf = cfg.CONF
    conf([], project='nfvsm-bench', default_config_files=[],
         default_config_dirs=[])
    transport = messaging.get_notification_transport(
        conf, url=args.transport_url)
    conf.set_override('amqp_durable_queues', True,
                      group='oslo_messaging_rabbit')
    counter = Counter(args.expect)
    listener = messaging.get_notification_listener(
        transport,
        [messaging.Target(topic='versioned_notifications',
                          exchange=args.exchange)],
        [counter], executor='threading', pool=args.pool)
    listener.start()
    if not args.declare_only:
        counter.done.wait(args.timeout)
    listener.stop()
    listener.wait()
    transport.cleanup()
    if args.declare_only:
        print(json.dumps({'declared': args.pool}))
        return 0
    # The row format of nfvsm-bus-load; missing notifications are errors.
    span = (counter.last - counter.first) if counter.count > 1 else 0
    print('row|ingest oslo listener|%d|%d|-|-|%.0f' % (
        counter.count, max(0, args.expect - counter.count),
        counter.count / span if span else 0), flush=True)
    return 0 if counter.count >= args.expect else 1


if __name__ == '__main__':
    sys.exit(main())
