"""``openstack nfvsm audit verify``: checks the audit hash chains and
MACs (R1.3.260)."""

from osc_lib import exceptions

from nfvsm.osc.v1 import base

COLUMNS = ('partition', 'ok', 'records_checked', 'first_bad_seq', 'fault',
           'problem')


class VerifyAudit(base.NfvsmLister):
    """Verify the audit trail; exits non-zero when a chain is broken."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--partition', metavar='<partition>',
                            default='',
                            help='Only this partition (default: all)')
        return parser

    def take_action(self, parsed_args):
        reports = base.call(base.client(self.app).audit_verify,
                            parsed_args.partition)
        broken = [r for r in reports if not r.get('ok')]
        if broken:
            # A tampered trail must not look like success to a script.
            raise exceptions.CommandError(
                'nfvsm audit chain broken: ' + '; '.join(
                    '%s at seq %s: %s' % (r.get('partition'),
                                          r.get('first_bad_seq'),
                                          r.get('problem') or r.get('fault'))
                    for r in broken))
        return base.headings(COLUMNS), [base.row(r, COLUMNS) for r in reports]
