"""Lifecycle actions that no gate authorized, seen on the bus: Nova's own
notification samples (../shared/data) sent with the real oslo.messaging to
a real nfvsm-gateway, and the security alert arriving at the reference SMs
of the VNF's trust domain only (docs/unauthorized-actions.md)."""

import logging
import os
import sys

import nfvsm_testlib

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.abspath(os.path.join(HERE, '..', '..', '..'))
SAMPLES = os.environ.get(
    'NFVSM_NOVA_SAMPLES_DIR',
    os.path.join(REPO, '..', 'shared', 'data', 'nova-notification-samples'))
sys.path.insert(0, os.path.join(REPO, 'tests', 'amqp'))
import send_notifications  # noqa: E402  (Nova's "$ref" resolution)

RULES = {'rules': [], 'default': 'allow'}
ALERT_TYPE = 'nfvsm.v1.SecurityEvent'
EVENT_TYPE = 'nfvsm.v1.LifecycleEventNotification'


def _notify(gateway, sample_names):
    """Sends samples as nova-compute does (messagingv2, topic
    versioned_notifications) on the exchange the gateway ingests."""
    from oslo_config import cfg
    import oslo_messaging as messaging

    messaging.set_transport_defaults(control_exchange=gateway.exchange)
    conf = cfg.ConfigOpts()
    conf([], project='nfvsm-test', default_config_files=[],
         default_config_dirs=[])
    transport = messaging.get_notification_transport(
        conf, url=gateway.transport_url)
    notifier = messaging.Notifier(transport,
                                  publisher_id='nova-compute:compute-1',
                                  driver='messagingv2',
                                  topics=['versioned_notifications'], retry=3)
    try:
        for name in sample_names:
            sample = send_notifications.load_sample(SAMPLES, name)
            getattr(notifier, sample['priority'].lower())(
                {}, sample['event_type'], sample['payload'])
    finally:
        transport.cleanup()


def _alerts(sm):
    return [e['payload'] for e in sm.events()
            if e.get('event') == 'received' and e.get('type') == ALERT_TYPE]


def _field(payload, snake):
    """protobuf's JSON names fields in lowerCamelCase."""
    parts = snake.split('_')
    camel = parts[0] + ''.join(p.title() for p in parts[1:])
    return payload.get(camel, payload.get(snake))


# covers: R1.3.180, R1.3.110, R2.1.80
def test_ungated_power_on_alerts_the_sms_of_its_domain_only(
        nfvsm_gateway, tmp_path):
    gw = nfvsm_gateway
    power_on = send_notifications.load_sample(SAMPLES,
                                              'instance-power_on-end.json')
    uuid = power_on['payload']['nova_object.data']['uuid']
    admin = gw.admin()
    admin.put_domain('sec-ops', kind='security')
    admin.put_domain('tenant-a')
    admin.put_domain('tenant-b')
    admin.put_vnf(uuid, domain='tenant-a', state='active')
    with nfvsm_testlib.ReferenceSm(
            tmp_path / 'a', gw, 'sm-a', RULES, home_domain='sec-ops',
            bindings=[{'domain': 'tenant-a', 'mode': 'fully_active'}]
    ) as sm_a, nfvsm_testlib.ReferenceSm(
            tmp_path / 'b', gw, 'sm-b', RULES, home_domain='sec-ops',
            bindings=[{'domain': 'tenant-b', 'mode': 'fully_active'}]
    ) as sm_b:
        # A power-off needs no gate; the power-on had none.
        _notify(gw, ['instance-power_off-end.json',
                     'instance-power_on-end.json'])
        assert nfvsm_testlib.wait_for(lambda: _alerts(sm_a), timeout=120), (
            sm_a.events(), gw.log_text()[-3000:])
        # Both events reached sm-a: the alert is about the power-on only.
        assert nfvsm_testlib.wait_for(
            lambda: len([e for e in sm_a.events()
                         if e.get('type') == EVENT_TYPE]) == 2,
            timeout=60), sm_a.events()
        alerts = _alerts(sm_a)
        assert len(alerts) == 1, alerts
        alert = alerts[0]
        assert 'UNAUTHORIZED_LIFECYCLE_ACTION' in _field(alert, 'kind')
        assert _field(alert, 'vnf_id') == uuid
        assert _field(alert, 'domain') == 'tenant-a'
        assert 'instance.power_on' in _field(alert, 'description')
        assert _alerts(sm_b) == [], 'an SM of another domain got the alert'
    # Audited once, and every chain still verifies.
    reports = admin.audit_verify()
    assert reports and all(r['ok'] for r in reports), reports
    logging.getLogger(__name__).info('alert: %s', alert)
