"""``openstack nfvsm sm ...``: Security Managers (R1.3.20)."""

from osc_lib import exceptions

from nfvsm.osc.v1 import base

COLUMNS = ('id', 'home_domain', 'master', 'description')
SHOW_COLUMNS = COLUMNS + ('public_key_pem',)


class ListSm(base.NfvsmLister):
    """List Security Managers."""

    def take_action(self, parsed_args):
        sms = base.call(base.client(self.app).list_sms)
        return base.headings(COLUMNS), [base.row(s, COLUMNS) for s in sms]


class ShowSm(base.NfvsmShowOne):
    """Show a Security Manager."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('sm', metavar='<sm>', help='SM ID')
        return parser

    def take_action(self, parsed_args):
        sms = base.call(base.client(self.app).list_sms)
        sm = base.find(sms, 'sm', id=parsed_args.sm)
        return base.headings(SHOW_COLUMNS), base.row(sm, SHOW_COLUMNS)


class CreateSm(base.NfvsmShowOne):
    """Register a Security Manager; shows its channel file."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('sm', metavar='<sm>', help='SM ID')
        parser.add_argument('--public-key-file', metavar='<pem-file>',
                            required=True,
                            help="The SM's Ed25519 public key (PEM)")
        parser.add_argument('--home-domain', metavar='<domain>', default='',
                            help='Security domain the SM belongs to')
        parser.add_argument('--master', metavar='<sm>', default=None,
                            help='Master SM of this one')
        parser.add_argument('--description', metavar='<text>', default='',
                            help='Free text')
        return parser

    def take_action(self, parsed_args):
        try:
            with open(parsed_args.public_key_file) as f:
                pem = f.read()
        except OSError as e:
            raise exceptions.CommandError(
                'cannot read %s: %s' % (parsed_args.public_key_file,
                                        e.strerror))
        client = base.client(self.app)
        channel_file = base.call(
            client.put_sm, parsed_args.sm, public_key_pem=pem,
            home_domain=parsed_args.home_domain, master=parsed_args.master,
            description=parsed_args.description)
        sm = base.find(base.call(client.list_sms), 'sm', id=parsed_args.sm)
        return (base.headings(COLUMNS) + ('Channel File',),
                base.row(sm, COLUMNS) + (channel_file,))


class DeleteSm(base.NfvsmCommand):
    """Delete Security Managers (their vhosts and users go too)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('sms', metavar='<sm>', nargs='+',
                            help='SM ID(s)')
        return parser

    def take_action(self, parsed_args):
        client = base.client(self.app)
        for sm in parsed_args.sms:
            base.call(client.remove_sm, sm)
