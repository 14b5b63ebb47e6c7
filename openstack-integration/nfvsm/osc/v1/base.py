"""What every ``openstack nfvsm`` command shares.

The gateway's refusals (nfvsm exceptions) become osc-lib CommandErrors
carrying the gateway's status code and reason, so ``openstack`` prints
the reason and exits non-zero, as for every other service's errors.
"""

import datetime

from osc_lib.command import command
from osc_lib import exceptions


def client(app):
    """The nfvsm.AdminClient of this invocation (plugin.make_client)."""
    return app.client_manager.nfvsm


def call(fn, *args, **kwargs):
    """Run an AdminClient call, turning nfvsm errors into CommandError."""
    import nfvsm

    try:
        return fn(*args, **kwargs)
    except nfvsm.NfvsmError as e:
        raise exceptions.CommandError('nfvsm %s: %s' % (e.code, e.reason))


def format_time(seconds):
    """Float seconds since the epoch as ISO 8601 UTC (0 or None: empty)."""
    if not seconds:
        return ''
    return datetime.datetime.fromtimestamp(
        seconds, tz=datetime.timezone.utc).isoformat().replace(
            '+00:00', 'Z')


def format_list(values):
    return ','.join(values or ())


def row(record, columns, formatters=None):
    """One table row: record[c] for each column key, formatted."""
    formatters = formatters or {}
    out = []
    for key in columns:
        value = record.get(key)
        fmt = formatters.get(key)
        out.append(fmt(value) if fmt else ('' if value is None else value))
    return tuple(out)


# Words of field names that are acronyms in headings.
_ACRONYMS = {'id': 'ID', 'sm': 'SM', 'vnf': 'VNF', 'vnfd': 'VNFD',
             'ns': 'NS', 'pem': 'PEM'}


def headings(columns):
    """Column keys as osc headings: 'image_id' -> 'Image ID'."""
    return tuple(' '.join(_ACRONYMS.get(w) or w.title()
                          for w in c.split('_'))
                 for c in columns)


def find(records, what, **keys):
    """The one record whose fields match keys, else CommandError."""
    for record in records:
        if all(record.get(k) == v for k, v in keys.items()):
            return record
    raise exceptions.CommandError('nfvsm not_found: no %s %s' % (
        what, ' '.join('%s=%s' % kv for kv in sorted(keys.items()))))


class NfvsmCommand(command.Command):
    """A command that changes nfvsm (admin RPC; no Keystone needed)."""

    auth_required = False


class NfvsmLister(command.Lister):
    """A table of nfvsm records."""

    auth_required = False


class NfvsmShowOne(command.ShowOne):
    """One nfvsm record."""

    auth_required = False
