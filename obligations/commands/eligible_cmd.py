"""`obligations eligible --party P --instrument I`: accession criteria and the conflicts joining would create."""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_query_options, emit, limits_from_args,
                                         parse_date, workspace_from_args)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", metavar="STATE", required=True, help="the candidate state (e.g. VNM)")
    p.add_argument("--instrument", metavar="NAME", required=True, help="the instrument to join (e.g. nato, pato-draft)")
    p.add_argument("--on", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    add_query_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.render import eligible_text

    ws = workspace_from_args(a)
    r = ws.eligible(a.party, a.instrument, parse_date(a.date), limits_from_args(a))
    emit(r, a.json, eligible_text)
    return 0


def _schema():
    from obligations.results import EligibleResult

    return EligibleResult


SPEC = Command(
    name="eligible",
    help="could a state join an instrument? criteria, grounds, and the conflicts joining would create",
    description="Evaluate an instrument's accession criteria for a candidate state: eligible, not eligible or depends, "
                "each criterion with its grounds, and the conflicts that joining would create with the candidate's "
                "existing commitments (already_party for a state that is a party on the date).",
    examples="  obligations eligible --party VNM --instrument pato-draft\n  obligations eligible --party JPN --instrument nato\n"
             "  obligations eligible --party KOR --instrument pato-draft --json",
    configure=configure,
    run=run,
    json_schema=_schema,
)
