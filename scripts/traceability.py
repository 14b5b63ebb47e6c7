#!/usr/bin/python3
"""Builds docs/traceability.md from the requirement catalogue and the tests.

Requirement ids come from the tables of ../shared/requirements.md (plus
the prose-only sections 8 and 9, given ids here). Coverage comes from the
`covers:` comments in the tests (`// covers: R2.1.270, IFA026 4` above a
GoogleTest TEST*, `# covers:` above a Python test function). Scope notes
for ids no test covers yet live in docs/traceability_notes.tsv.

  scripts/traceability.py           rewrite docs/traceability.md
  scripts/traceability.py --check   exit 1 if it is not current (a test)
"""
import argparse
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
CATALOGUE = ROOT.parent / "shared" / "requirements.md"
NOTES = ROOT / "docs" / "traceability_notes.tsv"
OUT = ROOT / "docs" / "traceability.md"
TEST_DIRS = ["tests", "openstack-integration"]

# Ids the catalogue states in prose only (sections 8 and 9).
EXTRA_IDS = [
    ("SEC024 5.1.2/5.4", "Security Agents and bootstrapping criticality levels (medium, high)."),
    ("SEC003 trust", "Trust lifecycle: revoke credentials of a retired or quarantined VNF; refuse its re-bootstrap; crash recovery never restores a compromised instance."),
    ("SEC003 wipe", "Secured wipe of storage and keys on retirement (NIST SP 800-88)."),
]
# The catalogue has two rows under "IFA026 4"; tests name them apart.
IFA026_4 = ["IFA026 4", "IFA026 4-recovery"]


def catalogue():
    """[(id, text, section)] in catalogue order."""
    rows, section, seen_ifa = [], "", 0
    for line in CATALOGUE.read_text().splitlines():
        if line.startswith("## "):
            section = line[3:].strip()
        m = re.match(r"^\| ([^|]+?) \| (.+) \|$", line)
        if not m or m.group(1) in ("id", "---") or m.group(1).startswith("-"):
            continue
        rid, text = m.group(1).strip(), m.group(2).strip()
        if rid == "IFA026 4":
            rid = IFA026_4[min(seen_ifa, 1)]
            seen_ifa += 1
        rows.append((rid, text, section))
    for rid, text in EXTRA_IDS:
        rows.append((rid, text, "8-9. Security Agents, trust lifecycle"))
    return rows


def aliases(rid):
    """Every spelling a test may use for a catalogue id."""
    out = {rid}
    m = re.match(r"^(R\d+\.\d+\.)(\d+)[/–-](\d+)$", rid)
    if m:
        prefix, lo, hi = m.group(1), int(m.group(2)), int(m.group(3))
        out.add(f"{prefix}{lo}-{hi}")
        out.add(f"{prefix}{lo}/{hi}")
        if "–" in rid or "-" in rid:  # a range: every step of 10
            out.update(f"{prefix}{n}" for n in range(lo, hi + 1, 10))
        else:
            out.update({f"{prefix}{lo}", f"{prefix}{hi}"})
    if rid == "IFA026 4":
        out.update({"IFA026 clause 4", "IFA026 §4"})
    m = re.match(r"^VBS-M(\d)$", rid)
    if m:
        out.add(f"VBS M{m.group(1)}")
    return out


SPAN = re.compile(
    r"^(R\d+\.\d+\.)(\d+)\s*([-–/])\s*(?:R\d+\.\d+\.)?(\d+)$")


def cited_ids(text):
    """The ids a covers comment names; parenthesized remarks are dropped,
    spans (R2.1.150-240) and pairs (R2.1.320/330) name each id in them."""
    text = re.sub(r"\([^)]*(\)|$)", "", text)
    out = []
    for part in (p.strip() for p in text.split(",")):
        if not part:
            continue
        out.append(part)
        m = SPAN.match(part)
        if m:
            prefix, lo, sep, hi = m.group(1), int(m.group(2)), m.group(3), int(m.group(4))
            out += ([f"{prefix}{lo}", f"{prefix}{hi}"] if sep == "/" else
                    [f"{prefix}{n}" for n in range(lo, hi + 1, 10)])
        if part == "SEC003":
            out.append("SEC003 trust")
    return out


def collect_covers():
    """{cited id: [test name]} and the list of files scanned."""
    covers = {}
    pattern = re.compile(r"^\s*(?://|#)\s*covers:\s*(.+)$")
    test_re = re.compile(
        r"^\s*(?:TEST|TEST_F|TEST_P|TYPED_TEST)\(\s*(\w+)\s*,\s*(\w+)\s*\)"
        r"|^\s*(?:async\s+)?def\s+(test\w*)\s*\(")
    for base in TEST_DIRS:
        for path in sorted((ROOT / base).rglob("*")):
            if path.suffix not in (".cc", ".py") or "corpus" in path.parts:
                continue
            lines = path.read_text(errors="replace").splitlines()
            pending = []
            for line in lines:
                m = pattern.match(line)
                if m:
                    pending += cited_ids(m.group(1))
                    continue
                t = test_re.match(line)
                if t and pending:
                    name = (f"{t.group(1)}.{t.group(2)}" if t.group(1)
                            else f"{path.stem}::{t.group(3)}")
                    rel = path.relative_to(ROOT)
                    for cid in pending:
                        covers.setdefault(cid, []).append(f"`{name}` ({rel})")
                    pending = []
                elif line.strip() and not line.strip().startswith(("//", "#", "@")):
                    # A covers comment binds to the next test only.
                    if not t:
                        pending = pending if line.strip().startswith(("INSTANTIATE", "[")) else []
    return covers


def notes():
    out = {}
    if NOTES.exists():
        for line in NOTES.read_text().splitlines():
            if line.strip() and not line.startswith("#"):
                rid, _, note = line.partition("\t")
                out[rid.strip()] = note.strip()
    return out


def render():
    rows, covers, scope = catalogue(), collect_covers(), notes()
    known = set()
    lines = [
        "# Requirements traceability",
        "",
        "Generated by `scripts/traceability.py` from `../shared/requirements.md`,",
        "the `covers:` comments in the tests and `docs/traceability_notes.tsv`;",
        "`scripts/test` fails if this file is not current. Edit the notes file,",
        "not this one.",
        "",
    ]
    section = None
    uncovered = 0
    for rid, text, sec in rows:
        if sec != section:
            section = sec
            lines += ["", f"## {sec}", "", "| id | requirement | tests | notes |",
                      "|---|---|---|---|"]
        tests = []
        for a in sorted(aliases(rid)):
            known.add(a)
            tests += covers.get(a, [])
        tests = sorted(set(tests))
        note = scope.get(rid, "")
        if not tests and not note:
            uncovered += 1
            note = "**not covered yet, and no scope note**"
        shown = "<br>".join(tests[:6])
        if len(tests) > 6:
            shown += f"<br>… and {len(tests) - 6} more"
        lines.append(f"| {rid} | {text} | {shown or '—'} | {note} |")
    stray = sorted(c for c in covers if c not in known and not SPAN.match(c)
                   and c != "SEC003")
    if stray:
        lines += ["", "## Cited ids that are not in the catalogue", "",
                  "Tests cite these; they name clauses the catalogue restates",
                  "under other ids, or are typos to fix.", ""]
        lines += [f"- `{c}`: {len(covers[c])} tests" for c in stray]
    lines.append("")
    return "\n".join(lines), uncovered


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true")
    args = ap.parse_args()
    text, uncovered = render()
    if args.check:
        current = OUT.read_text() if OUT.exists() else ""
        if current != text:
            print("docs/traceability.md is stale: run scripts/traceability.py")
            return 1
        if uncovered:
            print(f"{uncovered} requirement ids have neither tests nor a note")
            return 1
        print("docs/traceability.md is current")
        return 0
    OUT.write_text(text)
    print(f"wrote {OUT.relative_to(ROOT)} ({uncovered} ids without tests or note)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
