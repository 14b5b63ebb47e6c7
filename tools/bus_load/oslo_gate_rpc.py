#!/usr/bin/python3
"""The all-Python gate: an oslo.messaging RPC server and its client.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging, rabbit driver).

  oslo_gate_rpc.py serve --transport-url URL --exchange X --topic T
      An RPC server (executor "threading") whose endpoint `gate` decides as
      the bench SM does: a dict lookup that allows the bench VNFs with the
      bench policy and denies anything else. Prints "consuming" once it
      listens; stops on SIGTERM.

  oslo_gate_rpc.py call --transport-url URL --exchange X --topic T
                        [--concurrency 1,16,64] [--requests N] [--vnfs K]
      oslo RPCClient.call from N threads sharing one transport (as a Python
      OpenStack service would), N = each concurrency level. Prints one
      "row|oslo-rpc c=N|count|errors|p50_us|p99_us|per_second" line per
      level (the format of nfvsm-bus-load). Only replies that allow with
      the policy count as successes.
"""

import argparse
import logging
import signal
import sys
import threading
import time

VNF_PREFIX = 'bench-gate-vnf-'
POLICY = {'version': 1, 'boot': {'vbs_required': True}}


def transport_for(args):
    from oslo_config import cfg
    import oslo_messaging as messaging
    messaging.set_transport_defaults(control_exchange=args.exchange)
    # The global CONF, as the services use: oslo registers some options
    # (metrics) only there.
    conf = cfg.CONF
    conf([], project='nfvsm-bench', default_config_files=[],
         default_config_dirs=[])
    return messaging, messaging.get_rpc_transport(conf, url=args.transport_url)


class GateEndpoint(object):
    def __init__(self, vnfs):
        self.decisions = {
            VNF_PREFIX + str(i): {'verdict': 'allow',
                                  'reason': 'approved by the bench SM',
                                  'policy': POLICY}
            for i in range(vnfs)}

    def gate(self, ctxt, vnf_id, operation):
        return self.decisions.get(
            vnf_id, {'verdict': 'deny', 'reason': 'unknown VNF'})


def serve(args):
    messaging, transport = transport_for(args)
    target = messaging.Target(topic=args.topic, server='bench')
    server = messaging.get_rpc_server(transport, target,
                                      [GateEndpoint(args.vnfs)],
                                      executor='threading')
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    server.start()
    print('consuming', flush=True)
    while not stop.wait(0.5):
        pass
    server.stop()
    server.wait()
    transport.cleanup()
    return 0


def percentile(sorted_us, q):
    if not sorted_us:
        return 0.0
    rank = max(1, min(len(sorted_us), int(-(-q * len(sorted_us) // 1))))
    return sorted_us[rank - 1]


def call(args):
    messaging, transport = transport_for(args)
    client = messaging.get_rpc_client(
        transport, messaging.Target(topic=args.topic), timeout=30)
    problems = set()
    exit_code = 0
    for level in [int(x) for x in args.concurrency.split(',')]:
        per_thread = max(1, args.requests // level)
        samples = [[] for _ in range(level)]
        errors = [0] * level
        barrier = threading.Barrier(level + 1)

        def worker(i):
            vnf = VNF_PREFIX + str(i % args.vnfs)
            for _ in range(args.warmup):
                client.call({}, 'gate', vnf_id=vnf, operation='instantiate')
            barrier.wait()
            for _ in range(per_thread):
                t0 = time.perf_counter()
                try:
                    reply = client.call({}, 'gate', vnf_id=vnf,
                                        operation='instantiate')
                except Exception as e:  # the row counts it
                    errors[i] += 1
                    problems.add(type(e).__name__)
                    continue
                t1 = time.perf_counter()
                if reply.get('verdict') == 'allow' and reply.get(
                        'policy', {}).get('boot', {}).get('vbs_required'):
                    samples[i].append((t1 - t0) * 1e6)
                else:
                    errors[i] += 1
                    problems.add('not allowed: %r' % (reply,))

        threads = [threading.Thread(target=worker, args=(i,))
                   for i in range(level)]
        for t in threads:
            t.start()
        barrier.wait()
        start = time.perf_counter()
        for t in threads:
            t.join()
        wall = time.perf_counter() - start
        all_us = sorted(s for per in samples for s in per)
        err = sum(errors)
        if err:
            exit_code = 1
        print('row|oslo-rpc c=%d|%d|%d|%.1f|%.1f|%.0f' % (
            level, len(all_us), err, percentile(all_us, 0.5),
            percentile(all_us, 0.99), len(all_us) / wall if wall else 0),
            flush=True)
    for p in sorted(problems):
        print('oslo-rpc: %s' % p, file=sys.stderr)
    transport.cleanup()
    return exit_code


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('mode', choices=['serve', 'call'])
    parser.add_argument('--transport-url', required=True)
    parser.add_argument('--exchange', required=True)
    parser.add_argument('--topic', required=True)
    parser.add_argument('--vnfs', type=int, default=64)
    parser.add_argument('--concurrency', default='1,16,64')
    parser.add_argument('--requests', type=int, default=1000)
    parser.add_argument('--warmup', type=int, default=5)
    args = parser.parse_args()
    # Warnings at 64 threads (connection pool size, call queues) are
    # expected from a default oslo configuration; keep the output readable.
    logging.basicConfig(level=logging.ERROR)
    return serve(args) if args.mode == 'serve' else call(args)


if __name__ == '__main__':
    sys.exit(main())
