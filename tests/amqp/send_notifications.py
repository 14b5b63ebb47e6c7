#!/usr/bin/python3
"""Sends OpenStack notifications with the real oslo.messaging, as Nova does.

Run with Debian's /usr/bin/python3 (python3-oslo.messaging); a virtualenv
python usually lacks it.

  send_notifications.py --transport-url URL --samples-dir DIR \
      [--prefix instance-] [--prefix compute_task-] [--heat]
      Sends every Nova sample whose file name starts with a prefix through
      oslo_messaging.Notifier (driver messagingv2, control_exchange "nova",
      topic "versioned_notifications", publisher "nova-compute:compute-1").
      The sample's file name travels as the request id of the context
      (`_context_request_id` = "nfvsm-sample:<file>"; oslo.messaging drops
      context keys outside its safe list). With --heat, also sends a legacy
      (driver "messaging") orchestration.stack.create.end on exchange
      "heat", topic "notifications". Prints a JSON summary; exits non-zero
      if oslo.messaging reports any failure.

  send_notifications.py --self-test --samples-dir DIR
      Checks the "$ref" resolution against known samples.

The "$ref" resolution follows Nova's nova/tests/json_ref.py: the referenced
file (its own refs resolved relative to its folder), updated recursively by
the keys beside "$ref" (dicts merge key by key; other values replace).
"""

import argparse
import json
import logging
import os
import sys


def _update_recursively(target, update):
    for key, value in update.items():
        if (key in target and isinstance(target[key], dict)
                and isinstance(value, dict)):
            _update_recursively(target[key], value)
        else:
            target[key] = value


def resolve_refs(obj, base_path):
    if isinstance(obj, list):
        return [resolve_refs(item, base_path) for item in obj]
    if isinstance(obj, dict):
        if '$ref' in obj:
            obj = dict(obj)
            ref = obj.pop('$ref')
            file_path, _, json_path = ref.partition('#')
            if json_path:
                raise ValueError('JSON pointers in $ref are not supported')
            path = os.path.join(base_path, file_path)
            with open(path, 'rb') as f:
                resolved = resolve_refs(json.load(f), os.path.dirname(path))
            _update_recursively(resolved, resolve_refs(obj, base_path))
            return resolved
        return {key: resolve_refs(value, base_path)
                for key, value in obj.items()}
    return obj


def load_sample(samples_dir, name):
    with open(os.path.join(samples_dir, name), 'rb') as f:
        return resolve_refs(json.load(f), samples_dir)


def sample_names(samples_dir, prefixes):
    return sorted(n for n in os.listdir(samples_dir)
                  if n.endswith('.json') and n.startswith(tuple(prefixes)))


class _FailureCounter(logging.Handler):
    """oslo.messaging logs send failures instead of raising them."""

    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.failures = []

    def emit(self, record):
        # The payload is in the message; the cause is in the exception.
        cause = record.exc_info[1] if record.exc_info else None
        self.failures.append('%s: %r' % (record.getMessage()[:80], cause))


SAMPLE_TAG = 'nfvsm-sample:'

HEAT_PAYLOAD = {
    'stack_identity': ('arn:openstack:heat::6f70656e737461636b20342065766572:'
                       'stacks/vnf-stack/8a8d4d5c-1111-2222-3333-444455556666'),
    'stack_name': 'vnf-stack',
    'tenant_id': '6f70656e737461636b20342065766572',
    'user_id': 'tacker',
    'state': 'CREATE_COMPLETE',
    'state_reason': 'Stack CREATE completed successfully',
    'create_at': '2024-01-01T00:00:00',
    'tags': None,
}


def send(args):
    from oslo_config import cfg
    import oslo_messaging as messaging

    failures = _FailureCounter()
    logging.getLogger().addHandler(failures)

    def notifier_for(exchange, driver, topic, publisher_id):
        # Nova: messaging.set_transport_defaults(control_exchange='nova').
        messaging.set_transport_defaults(control_exchange=exchange)
        conf = cfg.ConfigOpts()
        conf([], project='nfvsm-test', default_config_files=[],
             default_config_dirs=[])
        transport = messaging.get_notification_transport(
            conf, url=args.transport_url)
        notifier = messaging.Notifier(transport, publisher_id=publisher_id,
                                      driver=driver, topics=[topic], retry=3)
        return transport, notifier

    sent = []
    transport, notifier = notifier_for('nova', 'messagingv2',
                                       'versioned_notifications',
                                       args.publisher_id)
    try:
        for name in sample_names(args.samples_dir, args.prefix):
            sample = load_sample(args.samples_dir, name)
            emit = getattr(notifier, sample['priority'].lower())
            emit({'request_id': SAMPLE_TAG + name}, sample['event_type'],
                 sample['payload'])
            sent.append(name)
    finally:
        transport.cleanup()

    if args.heat:
        transport, notifier = notifier_for('heat', 'messaging',
                                           'notifications',
                                           'orchestration.host-1')
        try:
            notifier.info({'request_id': SAMPLE_TAG + 'heat-stack-create'},
                          'orchestration.stack.create.end', HEAT_PAYLOAD)
            sent.append('heat-stack-create')
        finally:
            transport.cleanup()

    print(json.dumps({'sent': len(sent), 'samples': sent,
                      'failures': failures.failures}))
    return 1 if failures.failures else 0


def self_test(samples_dir):
    start = load_sample(samples_dir, 'instance-create-start.json')
    data = start['payload']['nova_object.data']
    assert start['event_type'] == 'instance.create.start'
    assert data['host'] is None and data['state'] == 'building'
    assert data['uuid'] == '178b0921-8f85-4257-88b6-2e743b5a975c'
    assert data['keypairs'][0]['nova_object.data']['name'] == 'my-key'
    assert data['ip_addresses'] == []   # lists are replaced, not merged
    assert start['payload']['nova_object.name'] == 'InstanceCreatePayload'
    flavor = data['flavor']
    assert flavor['nova_object.data']['name'] == 'test_flavor'
    confirm = load_sample(samples_dir, 'instance-resize_confirm-end.json')
    flavor = confirm['payload']['nova_object.data']['flavor']
    assert flavor['nova_object.name'] == 'FlavorPayload'  # merged, kept
    assert flavor['nova_object.data']['name'] == 'm1.small'
    assert flavor['nova_object.data']['vcpus'] == 1
    for name in sample_names(samples_dir, ['instance-', 'compute_task-']):
        text = json.dumps(load_sample(samples_dir, name))
        assert '$ref' not in text, name
    print('self-test passed')
    return 0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--samples-dir', required=True)
    parser.add_argument('--transport-url')
    parser.add_argument('--prefix', action='append')
    parser.add_argument('--publisher-id', default='nova-compute:compute-1')
    parser.add_argument('--heat', action='store_true')
    parser.add_argument('--self-test', action='store_true')
    args = parser.parse_args()
    if args.self_test:
        return self_test(args.samples_dir)
    if not args.transport_url:
        parser.error('--transport-url is required')
    args.prefix = args.prefix or ['instance-']
    return send(args)


if __name__ == '__main__':
    sys.exit(main())
