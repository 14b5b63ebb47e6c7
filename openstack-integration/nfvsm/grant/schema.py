# Licensed under the Apache License, Version 2.0 (the "License"); you may
# not use this file except in compliance with the License. You may obtain
# a copy of the License at
#
#      http://www.apache.org/licenses/LICENSE-2.0
#
# Unless required by applicable law or agreed to in writing, software
# distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
# WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
# License for the specific language governing permissions and limitations
# under the License.

"""SOL003 Grant data model validation (jsonschema, schemas/*.json).

The schemas are written from the SOL003 tables and kept in the package so
that the API, its tests and anyone reviewing the mapping read the same
definition. Requests are validated before anything is asked of nfvsm;
responses are validated before they leave, so a mapping bug shows up as a
500 here instead of as a Grant Tacker misreads.
"""

import functools
import json
import os

import jsonschema

_SCHEMA_DIR = os.path.join(os.path.dirname(__file__), 'schemas')
_FILES = ('common.json', 'grant_request.json', 'grant.json',
          'problem_details.json')

GRANT_REQUEST = 'grant_request.json'
GRANT = 'grant.json'
PROBLEM_DETAILS = 'problem_details.json'


@functools.lru_cache(maxsize=None)
def _schemas():
    loaded = {}
    for name in _FILES:
        with open(os.path.join(_SCHEMA_DIR, name), encoding='utf-8') as f:
            loaded[name] = json.load(f)
    return loaded


@functools.lru_cache(maxsize=None)
def validator(name):
    """Return a Draft 2020-12 validator for one of the schema files.

    Relative ``$ref`` between the files resolve through a store keyed by
    each file's ``$id``, so nothing is fetched from the network.
    """
    schemas = _schemas()
    store = {s['$id']: s for s in schemas.values()}
    schema = schemas[name]
    jsonschema.Draft202012Validator.check_schema(schema)
    resolver = jsonschema.RefResolver.from_schema(schema, store=store)
    return jsonschema.Draft202012Validator(schema, resolver=resolver)


def drop_nulls(value):
    """Return ``value`` without object members whose value is null.

    Tacker v1 serializes absent optional attributes as null; SOL003 has
    no null values, so null is read as "absent" (see grant_request.json).
    """
    if isinstance(value, dict):
        return {k: drop_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [drop_nulls(v) for v in value]
    return value


def errors(name, document):
    """Return readable messages for every violation (empty: valid).

    Each message gives the JSON path and the schema's complaint; values
    are truncated by jsonschema's own repr, never echoed at length.
    """
    found = sorted(validator(name).iter_errors(document),
                   key=lambda e: list(e.absolute_path))
    out = []
    for err in found:
        path = ''.join(
            '[%d]' % p if isinstance(p, int) else '.%s' % p
            for p in err.absolute_path) or '(body)'
        message = err.message
        if len(message) > 200:
            message = message[:200] + '...'
        out.append('%s: %s' % (path.lstrip('.'), message))
    return out
