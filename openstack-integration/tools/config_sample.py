#!/usr/bin/python3
"""Generates etc/nfvsm/nfvsm-hooks.conf.sample with oslo-config-generator,
or checks that the checked-in sample is current (``--check``).

oslo-config-generator finds options through the ``oslo.config.opts``
entry point, which exists only once the package is installed. From a
source tree this script declares the same entry point in a throw-away
distribution on sys.path, then runs the real generator: the sample is
exactly what an installed package would give.
"""

import argparse
import difflib
import os
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
PACKAGE_ROOT = os.path.dirname(HERE)
REPO_ROOT = os.path.dirname(PACKAGE_ROOT)
SAMPLE = os.path.join(REPO_ROOT, 'etc', 'nfvsm', 'nfvsm-hooks.conf.sample')
# Must match [options.entry_points] oslo.config.opts of setup.cfg.
ENTRY_POINT = 'nfvsm = nfvsm.conf.opts:list_opts'


def _declare_entry_point(directory):
    dist = os.path.join(directory, 'nfvsm_config_sample-0.dist-info')
    os.mkdir(dist)
    with open(os.path.join(dist, 'METADATA'), 'w') as f:
        f.write('Metadata-Version: 2.1\nName: nfvsm-config-sample\n'
                'Version: 0\n')
    with open(os.path.join(dist, 'entry_points.txt'), 'w') as f:
        f.write('[oslo.config.opts]\n%s\n' % ENTRY_POINT)
    sys.path.insert(0, directory)
    if PACKAGE_ROOT not in sys.path:
        sys.path.insert(0, PACKAGE_ROOT)
    # stevedore caches entry points per sys.path; keep that cache here too.
    os.environ['XDG_CACHE_HOME'] = directory


def generate(output_file):
    with tempfile.TemporaryDirectory() as directory:
        _declare_entry_point(directory)
        from oslo_config import generator
        generator.main(['--namespace', 'nfvsm', '--output-file',
                        output_file])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--check', action='store_true',
                        help='exit 1 when the sample is not current')
    parser.add_argument('--output-file', default=SAMPLE)
    args = parser.parse_args(argv)
    if not args.check:
        generate(args.output_file)
        return 0
    with tempfile.TemporaryDirectory() as out_dir:
        fresh = os.path.join(out_dir, 'sample')
        generate(fresh)
        with open(fresh) as f:
            expected = f.readlines()
    try:
        with open(args.output_file) as f:
            actual = f.readlines()
    except FileNotFoundError:
        actual = []
    if actual == expected:
        return 0
    sys.stdout.writelines(difflib.unified_diff(
        actual, expected, args.output_file, 'generated'))
    print('%s is not current: run %s' % (args.output_file, __file__))
    return 1


if __name__ == '__main__':
    sys.exit(main())
