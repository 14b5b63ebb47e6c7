"""``openstack nfvsm domain ...``: trust domains (R1.3.10)."""

from nfvsm.osc.v1 import base

COLUMNS = ('id', 'kind', 'sensitive', 'trusts', 'description')
FORMATTERS = {'trusts': base.format_list}
KINDS = ('vnf', 'mano', 'security')


class ListDomain(base.NfvsmLister):
    """List trust domains."""

    def take_action(self, parsed_args):
        domains = base.call(base.client(self.app).list_domains)
        return (base.headings(COLUMNS),
                [base.row(d, COLUMNS, FORMATTERS) for d in domains])


class ShowDomain(base.NfvsmShowOne):
    """Show a trust domain."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('domain', metavar='<domain>', help='Domain ID')
        return parser

    def take_action(self, parsed_args):
        domains = base.call(base.client(self.app).list_domains)
        domain = base.find(domains, 'domain', id=parsed_args.domain)
        return base.headings(COLUMNS), base.row(domain, COLUMNS, FORMATTERS)


class CreateDomain(base.NfvsmShowOne):
    """Create or update a trust domain."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('domain', metavar='<domain>', help='Domain ID')
        parser.add_argument('--kind', choices=KINDS, default='vnf',
                            help='Kind of domain (default: vnf)')
        parser.add_argument('--sensitive', action='store_true',
                            help='The domain holds sensitive workloads')
        parser.add_argument('--trust', metavar='<domain>', action='append',
                            dest='trusts', default=[],
                            help='A domain this one trusts (repeatable)')
        parser.add_argument('--description', metavar='<text>', default='',
                            help='Free text')
        return parser

    def take_action(self, parsed_args):
        client = base.client(self.app)
        base.call(client.put_domain, parsed_args.domain,
                  kind=parsed_args.kind, sensitive=parsed_args.sensitive,
                  trusts=parsed_args.trusts,
                  description=parsed_args.description)
        domain = base.find(base.call(client.list_domains), 'domain',
                           id=parsed_args.domain)
        return base.headings(COLUMNS), base.row(domain, COLUMNS, FORMATTERS)


class DeleteDomain(base.NfvsmCommand):
    """Delete trust domains."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('domains', metavar='<domain>', nargs='+',
                            help='Domain ID(s)')
        return parser

    def take_action(self, parsed_args):
        client = base.client(self.app)
        for domain in parsed_args.domains:
            base.call(client.remove_domain, domain)
