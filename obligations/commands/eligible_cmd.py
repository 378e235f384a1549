"""`obligations eligible --party P --instrument I`: accession criteria and the conflicts joining would create."""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_query_options, emit, limits_from_args,
                                         load_for_query, parse_date, require)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", metavar="STATE", required=True, help="the candidate state (e.g. VNM)")
    p.add_argument("--instrument", metavar="NAME", required=True, help="the instrument to join (e.g. nato, pato-draft)")
    p.add_argument("--on", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    add_query_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.query.eligible import eligible
    from obligations.render import eligible_text

    date = parse_date(a.date)
    corpus, drafts = load_for_query(a)
    require(corpus, "state", a.party)
    require(corpus, "instrument", a.instrument)
    r = eligible(corpus, a.party, a.instrument, date, drafts, limits_from_args(a))
    emit(r, a.json, eligible_text)
    return 0


SPEC = Command(
    name="eligible",
    help="could a state join an instrument? criteria, grounds, and the conflicts joining would create",
    description="Evaluate an instrument's accession criteria for a candidate state: eligible, not eligible or depends, "
                "each criterion with its grounds, and the conflicts that joining would create with the candidate's "
                "existing commitments.",
    examples="  obligations eligible --party VNM --instrument pato-draft\n  obligations eligible --party JPN --instrument nato\n"
             "  obligations eligible --party KOR --instrument pato-draft --json",
    configure=configure,
    run=run,
)
