"""``openstack nfvsm vnf ...``: the VNFs nfvsm knows, their status and
lifecycle history (R1.3.70, R1.3.80)."""

import datetime

from osc_lib import exceptions

from nfvsm.osc.v1 import base

COLUMNS = ('id', 'domain', 'state', 'image_id', 'vnfd_id', 'package_id',
           'host', 'zone', 'needs_security_policy', 'requestor_id', 'ns_id',
           'created_at', 'updated_at')
FORMATTERS = {'created_at': base.format_time,
              'updated_at': base.format_time}
HISTORY_COLUMNS = ('occurred_at', 'kind', 'phase', 'source', 'origin',
                   'reason')
HISTORY_FORMATTERS = {'occurred_at': base.format_time}


def _timestamp(text):
    """ISO 8601 (naive = UTC) or seconds since the epoch, as a float."""
    try:
        return float(text)
    except ValueError:
        pass
    try:
        when = datetime.datetime.fromisoformat(text.replace('Z', '+00:00'))
    except ValueError:
        raise exceptions.CommandError(
            'not a time (ISO 8601 or seconds since the epoch): %s' % text)
    if when.tzinfo is None:
        when = when.replace(tzinfo=datetime.timezone.utc)
    return when.timestamp()


class ShowVnfStatus(base.NfvsmShowOne):
    """Show what nfvsm records about a VNF."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vnf', metavar='<vnf>', help='VNF instance ID')
        return parser

    def take_action(self, parsed_args):
        vnf = base.call(base.client(self.app).vnf_status, parsed_args.vnf)
        return base.headings(COLUMNS), base.row(vnf, COLUMNS, FORMATTERS)


class ListVnfHistory(base.NfvsmLister):
    """List a VNF's lifecycle events, oldest first."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vnf', metavar='<vnf>', help='VNF instance ID')
        parser.add_argument('--since', metavar='<time>', default=None,
                            help='Only events at or after this time')
        parser.add_argument('--until', metavar='<time>', default=None,
                            help='Only events before this time')
        return parser

    def take_action(self, parsed_args):
        since = _timestamp(parsed_args.since) if parsed_args.since else None
        until = _timestamp(parsed_args.until) if parsed_args.until else None
        events = base.call(base.client(self.app).vnf_history,
                           parsed_args.vnf, since=since, until=until)
        return (base.headings(HISTORY_COLUMNS),
                [base.row(e, HISTORY_COLUMNS, HISTORY_FORMATTERS)
                 for e in events])


class RegisterVnf(base.NfvsmShowOne):
    """Register a VNF with nfvsm, or update its record."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('vnf', metavar='<vnf>', help='VNF instance ID')
        parser.add_argument('--domain', metavar='<domain>', required=True,
                            help='Its trust domain')
        for option, what in (('image', 'Glance image ID'),
                             ('vnfd', 'VNFD ID'),
                             ('package', 'VNF package ID'),
                             ('host', 'Compute host'),
                             ('zone', 'Availability zone'),
                             ('requestor', 'Who asked for it'),
                             ('ns', 'Network service ID')):
            parser.add_argument('--' + option, metavar='<%s>' % option,
                                default='', help=what)
        parser.add_argument('--state', metavar='<state>', default='pending',
                            help='pending, active, ... (default: pending)')
        parser.add_argument('--needs-security-policy', action='store_true',
                            help='Gates ask its SMs for a security policy')
        return parser

    def take_action(self, parsed_args):
        client = base.client(self.app)
        a = parsed_args
        base.call(client.put_vnf, a.vnf, domain=a.domain, image_id=a.image,
                  vnfd_id=a.vnfd, package_id=a.package, host=a.host,
                  zone=a.zone, needs_security_policy=a.needs_security_policy,
                  state=a.state, requestor_id=a.requestor, ns_id=a.ns)
        vnf = base.call(client.vnf_status, a.vnf)
        return base.headings(COLUMNS), base.row(vnf, COLUMNS, FORMATTERS)
