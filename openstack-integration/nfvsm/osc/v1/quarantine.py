"""``openstack nfvsm quarantine ...``: what SMs quarantined (IFA026
clause 4), and the operator's release of an orphaned quarantine."""

from nfvsm.osc.v1 import base

COLUMNS = ('target', 'target_id', 'by_sm', 'domain', 'at', 'reason',
           'terminated', 'copy_kept', 'recovery_allowed')
FORMATTERS = {'at': base.format_time}
TARGETS = ('vnf_instance', 'image', 'vnfd', 'package', 'host')


class ListQuarantine(base.NfvsmLister):
    """List quarantined VNFs, images, VNFDs, packages and hosts."""

    def take_action(self, parsed_args):
        entries = base.call(base.client(self.app).list_quarantine)
        return (base.headings(COLUMNS),
                [base.row(e, COLUMNS, FORMATTERS) for e in entries])


class ReleaseQuarantine(base.NfvsmCommand):
    """Release a quarantine no bound SM can lift any more.

    The gateway refuses while the quarantining SM, or one of its masters,
    is still bound to the entry's domain: a quarantine is the SM's
    decision.
    """

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('target_id', metavar='<id>',
                            help='ID of the quarantined object')
        parser.add_argument('--target', choices=TARGETS,
                            default='vnf_instance',
                            help='What is quarantined (default: '
                                 'vnf_instance)')
        parser.add_argument('--reason', metavar='<text>', required=True,
                            help='Why (audited)')
        return parser

    def take_action(self, parsed_args):
        base.call(base.client(self.app).release_quarantine,
                  parsed_args.target, parsed_args.target_id,
                  reason=parsed_args.reason)
