"""``openstack nfvsm ...``: Debian's real ``openstack`` command with nfvsm's
plugin, against a real nfvsm-gateway (and, for quarantines, the reference
SM ``nfvsm-sm``) on the test RabbitMQ node. Nothing is stubbed: these
commands talk to the gateway over the bus, not to an OpenStack API."""

import os
import sqlite3
import subprocess

import nfvsm_testlib
from nfvsm_testlib import programs

NFVSM_COMMANDS = {
    'nfvsm domain list', 'nfvsm domain show', 'nfvsm domain create',
    'nfvsm domain delete', 'nfvsm sm list', 'nfvsm sm show',
    'nfvsm sm create', 'nfvsm sm delete', 'nfvsm binding list',
    'nfvsm binding show', 'nfvsm binding create', 'nfvsm binding delete',
    'nfvsm quarantine list', 'nfvsm quarantine release',
    'nfvsm vnf status', 'nfvsm vnf history', 'nfvsm vnf register',
    'nfvsm audit verify'}


def _by(records, key):
    return {r[key]: r for r in records}


# covers: R1.3.260
def test_plugin_commands_are_loaded_through_entry_points(openstack):
    groups = openstack.ok('command', 'list', '--group', 'nfvsm', '-f',
                          'json')
    commands = set()
    for group in groups:
        if group['Command Group'] == 'openstack.nfvsm.v1':
            commands.update(group['Commands'])
    assert commands == NFVSM_COMMANDS


# covers: R1.3.30
def test_missing_or_unusable_transport_url_is_an_error(tmp_path, openstack):
    result = openstack.run('nfvsm', 'domain', 'list')
    assert result.returncode != 0
    assert 'no nfvsm transport URL' in result.stderr

    conf = tmp_path / 'nova.conf'
    conf.write_text('[DEFAULT]\ndebug = true\n')
    result = openstack.run('--os-nfvsm-config-file', conf, 'nfvsm', 'domain',
                           'list')
    assert result.returncode != 0
    assert 'has no [DEFAULT] transport_url' in result.stderr

    result = openstack.run('--os-nfvsm-transport-url', 'http://not-a-bus/',
                           'nfvsm', 'domain', 'list')
    assert result.returncode != 0
    assert 'transport URL' in result.stderr


# covers: R1.3.30, R1.3.260
def test_unreachable_gateway_exits_non_zero_without_the_password(openstack):
    url = 'rabbit://operator:s3cret-pw@127.0.0.1:1/'
    result = openstack.run('nfvsm', 'domain', 'list',
                           env={'OS_NFVSM_TRANSPORT_URL': url,
                                'OS_NFVSM_TIMEOUT': '5'})
    assert result.returncode != 0
    assert 'nfvsm unavailable' in result.stderr
    assert 's3cret-pw' not in result.stderr + result.stdout


# covers: R1.1.10, R1.1.40, R2.1.100, R1.3.260
def test_domain_create_list_show_delete(tmp_path, nfvsm_cli, nfvsm_gateway):
    nfvsm_cli.ok('nfvsm', 'domain', 'create', 'sec-ops', '--kind',
                 'security', '-f', 'json')
    shown = nfvsm_cli.ok('nfvsm', 'domain', 'create', 'tenant-a',
                         '--sensitive', '--trust', 'sec-ops',
                         '--description', 'tenant A', '-f', 'json')
    assert shown == {'ID': 'tenant-a', 'Kind': 'vnf', 'Sensitive': True,
                     'Trusts': 'sec-ops', 'Description': 'tenant A'}

    listed = _by(nfvsm_cli.ok('nfvsm', 'domain', 'list', '-f', 'json'), 'ID')
    assert set(listed) == {'sec-ops', 'tenant-a'}
    assert listed['sec-ops']['Kind'] == 'security'
    assert listed['tenant-a'] == shown

    # What the gateway stored, read back without the CLI.
    admin = nfvsm_gateway.admin()
    stored = _by(admin.list_domains(), 'id')['tenant-a']
    assert stored['sensitive'] is True and stored['trusts'] == ['sec-ops']
    # The actor given by OS_NFVSM_ACTOR is what the audit trail names.
    assert any(r['actor'] == 'osc-operator' and 'tenant-a' in r['subject']
               for r in admin.audit_export(['mano']))

    # The transport URL from a service's config file instead.
    conf = tmp_path / 'tacker.conf'
    # oslo.config interpolates $name; the URL has no other syntax to fear.
    conf.write_text('[DEFAULT]\ntransport_url = %s\n'
                    % nfvsm_gateway.transport_url.replace('$', '$$'))
    result = nfvsm_cli.run('--os-nfvsm-config-file', conf, 'nfvsm', 'domain',
                           'show', 'sec-ops', '-f', 'value', '-c', 'Kind',
                           env={'OS_NFVSM_TRANSPORT_URL': ''})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == 'security'

    nfvsm_cli.ok('nfvsm', 'domain', 'delete', 'tenant-a')
    assert 'tenant-a' not in _by(admin.list_domains(), 'id')
    result = nfvsm_cli.run('nfvsm', 'domain', 'show', 'tenant-a')
    assert result.returncode != 0
    assert 'not_found' in result.stderr and 'tenant-a' in result.stderr


def _keygen(directory):
    key = os.path.join(directory, 'sm.pem')
    keygen = subprocess.run([programs.sm(), 'keygen', '--out', key],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, timeout=60, check=True)
    public = os.path.join(directory, 'sm.pub.pem')
    with open(public, 'w') as f:
        f.write(keygen.stdout)
    return key, public


# covers: R2.1.50, R2.1.110, R2.1.120, R2.1.200, R1.1.10, R2.1.210,
#         R2.1.270, R2.1.350, R2.1.360, IFA026 4
def test_sm_binding_vnf_and_quarantine(tmp_path, nfvsm_cli, nfvsm_gateway):
    cli = nfvsm_cli
    cli.ok('nfvsm', 'domain', 'create', 'sec-ops', '--kind', 'security')
    cli.ok('nfvsm', 'domain', 'create', 'tenant-a')
    key, public = _keygen(str(tmp_path))
    sm_id = 'sm-osc-%d' % os.getpid()   # SM vhosts are per node
    try:
        created = cli.ok('nfvsm', 'sm', 'create', sm_id, '--public-key-file',
                         public, '--home-domain', 'sec-ops', '-f', 'json',
                         timeout=400)
        assert created['ID'] == sm_id
        assert created['Home Domain'] == 'sec-ops'
        channel_file = created['Channel File']
        assert channel_file.startswith(nfvsm_gateway.state_dir)
        assert os.path.exists(channel_file)
        assert sm_id in _by(cli.ok('nfvsm', 'sm', 'list', '-f', 'json'),
                            'ID')
        shown = cli.ok('nfvsm', 'sm', 'show', sm_id, '-f', 'json')
        assert 'BEGIN PUBLIC KEY' in shown['Public Key PEM']

        binding = cli.ok('nfvsm', 'binding', 'create', '--sm', sm_id,
                         '--domain', 'tenant-a', '--mode', 'fully-active',
                         '--deadline', '5', '-f', 'json')
        assert binding['Mode'] == 'fully_active'
        assert binding['Gate Deadline'] == 5.0
        (stored,) = [b for b in nfvsm_gateway.admin().list_bindings()
                     if b['sm'] == sm_id]
        assert stored['mode'] == 'fully_active'
        assert stored['gate_deadline'] == 5.0
        # No --allow: every instruction kind.
        assert len(stored['allowed_instructions']) == 8
        assert binding['Allowed Instructions'].split(',') == stored[
            'allowed_instructions']
        narrowed = cli.ok('nfvsm', 'binding', 'create', '--sm', sm_id,
                          '--domain', 'tenant-a', '--mode', 'semi_active',
                          '--window', '0.5', '--allow', 'status_query',
                          '--hide-event', 'modify', '-f', 'json')
        assert (narrowed['Mode'], narrowed['Semi Active Window'],
                narrowed['Allowed Instructions'],
                narrowed['Hidden Events']) == ('semi_active', 0.5,
                                               'status_query', 'modify')
        cli.ok('nfvsm', 'binding', 'create', '--sm', sm_id, '--domain',
               'tenant-a', '--mode', 'fully-active', '--deadline', '5')
        listed = cli.ok('nfvsm', 'binding', 'list', '-f', 'json')
        assert [(b['SM'], b['Domain']) for b in listed] == [
            (sm_id, 'tenant-a')]

        # A gateway refusal: the reason on stderr, exit status non-zero.
        refused = cli.run('nfvsm', 'domain', 'delete', 'tenant-a')
        assert refused.returncode == 1
        assert 'failed_precondition' in refused.stderr
        assert 'tenant-a' in refused.stderr

        vnf = cli.ok('nfvsm', 'vnf', 'register', 'vnf-q', '--domain',
                     'tenant-a', '--host', 'compute-1', '--image', 'img-1',
                     '--state', 'active', '-f', 'json')
        assert (vnf['ID'], vnf['Domain'], vnf['Host'], vnf['State']) == (
            'vnf-q', 'tenant-a', 'compute-1', 'active')
        status = cli.ok('nfvsm', 'vnf', 'status', 'vnf-q', '-f', 'json')
        assert status['Image ID'] == 'img-1'
        assert cli.ok('nfvsm', 'vnf', 'history', 'vnf-q', '-f', 'json') == []
        unknown = cli.run('nfvsm', 'vnf', 'status', 'vnf-none')
        assert unknown.returncode == 1 and 'not_found' in unknown.stderr

        assert cli.ok('nfvsm', 'quarantine', 'list', '-f', 'json') == []
        # The SM terminates and quarantines the VNF (no `serve`: `send`
        # reads its own answer, docs/sm.md).
        sent = subprocess.run(
            [programs.sm(), 'send', '--channel-file', channel_file, '--key',
             key, '--state-dir', str(tmp_path), '--timeout', '60',
             '--reason', 'compromised', 'terminate', '--vnf', 'vnf-q'],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
            timeout=120)
        assert sent.returncode == 0, sent.stdout + sent.stderr
        assert nfvsm_testlib.wait_for(lambda: cli.ok(
            'nfvsm', 'quarantine', 'list', '-f', 'json'), timeout=30)
        (entry,) = cli.ok('nfvsm', 'quarantine', 'list', '-f', 'json')
        assert (entry['Target'], entry['Target ID'], entry['By SM'],
                entry['Domain']) == ('vnf_instance', 'vnf-q', sm_id,
                                     'tenant-a')
        assert 'compromised' in entry['Reason']
        # History holds the lifecycle events the gateway ingested from the
        # bus (none here: no OpenStack emits any); the time filters reach
        # the gateway and bad times are refused before it is asked.
        assert cli.ok('nfvsm', 'vnf', 'history', 'vnf-q', '--since',
                      '2026-01-01T00:00:00Z', '--until', '4102444800',
                      '-f', 'json') == []
        bad_time = cli.run('nfvsm', 'vnf', 'history', 'vnf-q', '--since',
                           'yesterday')
        assert bad_time.returncode == 1 and 'not a time' in bad_time.stderr

        # The quarantine is the SM's while it is bound: refused.
        refused = cli.run('nfvsm', 'quarantine', 'release', 'vnf-q',
                          '--reason', 'false positive')
        assert refused.returncode == 1
        assert 'permission_denied' in refused.stderr
        assert sm_id in refused.stderr
        assert len(cli.ok('nfvsm', 'quarantine', 'list', '-f', 'json')) == 1

        cli.ok('nfvsm', 'binding', 'delete', '--sm', sm_id, '--domain',
               'tenant-a')
        assert cli.ok('nfvsm', 'binding', 'list', '-f', 'json') == []
        cli.ok('nfvsm', 'quarantine', 'release', 'vnf-q', '--target',
               'vnf_instance', '--reason', 'SM unbound, false positive')
        assert cli.ok('nfvsm', 'quarantine', 'list', '-f', 'json') == []
    finally:
        cli.run('nfvsm', 'sm', 'delete', sm_id, timeout=400)
        for what in ('delete_vhost', 'delete_user'):
            nfvsm_gateway.broker.ctl(what, 'nfvsm.sm.' + sm_id, check=False)
    assert sm_id not in _by(nfvsm_gateway.admin().list_sms(), 'id')


# covers: R1.3.260, R1.3.270
def test_audit_verify_and_a_tampered_record(nfvsm_cli, nfvsm_gateway):
    nfvsm_cli.ok('nfvsm', 'domain', 'create', 'tenant-a')
    reports = nfvsm_cli.ok('nfvsm', 'audit', 'verify', '-f', 'json')
    assert reports and all(r['Ok'] for r in reports), reports
    mano = nfvsm_cli.ok('nfvsm', 'audit', 'verify', '--partition', 'mano',
                        '-f', 'json')
    assert [r['Partition'] for r in mano] == ['mano']
    assert mano[0]['Records Checked'] >= 1

    # Someone with access to the store rewrites who made a change.
    db = sqlite3.connect(os.path.join(nfvsm_gateway.state_dir,
                                      'nfvsm.sqlite'), timeout=30)
    with db:
        changed = db.execute("UPDATE audit SET actor = 'someone-else' "
                             "WHERE partition = 'mano' AND seq = 1").rowcount
    db.close()
    assert changed == 1
    result = nfvsm_cli.run('nfvsm', 'audit', 'verify')
    assert result.returncode == 1
    assert 'audit chain broken' in result.stderr
    assert 'mano at seq 1' in result.stderr
