"""``openstack nfvsm binding ...``: SM-to-domain bindings and their mode
(Passive, Semi-Active, Fully-Active; R2.1.20-R2.1.40)."""

from nfvsm.osc.v1 import base

COLUMNS = ('sm', 'domain', 'mode', 'fail_mode', 'gate_deadline',
           'semi_active_window', 'allowed_instructions', 'hidden_events')


def _instructions(value):
    # None means every kind; an empty list means none (docs/rpc.md).
    return '(all)' if value is None else base.format_list(value) or '(none)'


FORMATTERS = {'allowed_instructions': _instructions,
              'hidden_events': base.format_list}


def _mode(text):
    """Accept nfvsm-admin's spelling (semi-active) as well."""
    return text.replace('-', '_')


class ListBinding(base.NfvsmLister):
    """List bindings."""

    def take_action(self, parsed_args):
        bindings = base.call(base.client(self.app).list_bindings)
        return (base.headings(COLUMNS),
                [base.row(b, COLUMNS, FORMATTERS) for b in bindings])


class _OneBinding(base.NfvsmShowOne):

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--sm', metavar='<sm>', required=True,
                            help='SM ID')
        parser.add_argument('--domain', metavar='<domain>', required=True,
                            help='Trust domain ID')
        return parser

    def _show(self, parsed_args):
        bindings = base.call(base.client(self.app).list_bindings)
        binding = base.find(bindings, 'binding', sm=parsed_args.sm,
                            domain=parsed_args.domain)
        return base.headings(COLUMNS), base.row(binding, COLUMNS, FORMATTERS)


class ShowBinding(_OneBinding):
    """Show the binding of an SM to a domain."""

    def take_action(self, parsed_args):
        return self._show(parsed_args)


class CreateBinding(_OneBinding):
    """Bind an SM to a trust domain (or change the binding)."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument(
            '--mode', required=True, type=_mode,
            choices=('passive', 'semi_active', 'fully_active'),
            help='passive, semi_active or fully_active')
        parser.add_argument(
            '--fail-mode', choices=('closed', 'open'), default='closed',
            help='What a Fully-Active gate decides when the SM does not '
                 'answer in time (default: closed)')
        parser.add_argument(
            '--deadline', metavar='<seconds>', type=float, default=30.0,
            help='Gate deadline of a Fully-Active SM (default: 30)')
        parser.add_argument(
            '--window', metavar='<seconds>', type=float, default=0.0,
            help='Semi-Active window (default: 0)')
        parser.add_argument(
            '--allow', metavar='<instruction>', action='append',
            default=None, dest='allowed_instructions',
            help='Instruction kind the SM may send (repeatable; default: '
                 'every kind)')
        parser.add_argument(
            '--hide-event', metavar='<event>', action='append', default=[],
            dest='hidden_events',
            help='Lifecycle event kind the SM is not told (repeatable)')
        return parser

    def take_action(self, parsed_args):
        base.call(base.client(self.app).put_binding, parsed_args.sm,
                  parsed_args.domain, mode=parsed_args.mode,
                  allowed_instructions=parsed_args.allowed_instructions,
                  hidden_events=parsed_args.hidden_events,
                  gate_deadline=parsed_args.deadline,
                  semi_active_window=parsed_args.window,
                  fail_mode=parsed_args.fail_mode)
        return self._show(parsed_args)


class DeleteBinding(base.NfvsmCommand):
    """Unbind an SM from a trust domain."""

    def get_parser(self, prog_name):
        parser = super().get_parser(prog_name)
        parser.add_argument('--sm', metavar='<sm>', required=True,
                            help='SM ID')
        parser.add_argument('--domain', metavar='<domain>', required=True,
                            help='Trust domain ID')
        return parser

    def take_action(self, parsed_args):
        base.call(base.client(self.app).remove_binding, parsed_args.sm,
                  parsed_args.domain)
