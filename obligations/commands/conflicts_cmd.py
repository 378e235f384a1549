"""`obligations conflicts --party P`: can P's commitments conflict?"""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_query_options, emit, limits_from_args,
                                         parse_date, workspace_from_args, focus_from_args)


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("--party", metavar="STATE", required=True, help="the state whose commitments are checked (e.g. KOR)")
    p.add_argument("--on", "--date", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    p.add_argument("--within", action="store_true",
                   help="also report both-sides conflicts inside one instrument (two of its parties at war)")
    p.add_argument("--witnesses", type=_count, default=1, metavar="N",
                   help="up to N witness scenarios per conflict (other victims, other wars), each valid under every "
                        "reading, the most telling first (default 1)")
    add_query_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.render import conflicts_text

    ws = workspace_from_args(a, focus_from_args(a))
    r = ws.conflicts(a.party, parse_date(a.date), limits_from_args(a), within=a.within, witnesses=a.witnesses)
    emit(r, a.json, conflicts_text)
    return 1 if r.conflicts else 0


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 100:
        raise argparse.ArgumentTypeError(f"{text!r}: give a number of witnesses from 1 to 100")
    return int(text)


def _schema():
    from obligations.results import ConflictsResult

    return ConflictsResult


SPEC = Command(
    name="conflicts",
    help="can a party's commitments conflict? (exit 1 when they can)",
    description="Search, with Z3, for conflicts among one party's commitments on a date: a membership that one of "
                "its pledges forbids (static), a scenario in which it is obliged to do what another commitment forbids, "
                "or obliged to assist both sides of one war (contingent). Each conflict comes with a witness scenario "
                "(one that can happen; one that holds under every reading of the open terms when there is one), the "
                "two clauses quoted, and how binding each is. No conflict means none exists within the stated scope.",
    examples="  obligations conflicts --party KOR\n"
             "  obligations conflicts --party KOR --draft pato-draft\n"
             "  obligations conflicts --party USA --with examples/drafting/pato-draft-1.treaty\n"
             "  obligations conflicts --party USA --on 1965-06-01 --json\n"
             "  obligations conflicts --party USA --witnesses 3",
    configure=configure,
    run=run,
    json_schema=_schema,
)
