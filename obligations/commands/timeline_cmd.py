"""`obligations timeline --party P | --instrument I`: memberships, suspensions, designations and force on a time
axis, as a table, CSV, JSON or an SVG chart."""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, add_corpus_options, workspace_from_args

FORMATS = ("table", "csv", "svg", "json")


def configure(p: argparse.ArgumentParser) -> None:
    who = p.add_mutually_exclusive_group(required=True)
    who.add_argument("--party", metavar="STATE", help="a state's time line, instrument by instrument (e.g. NZL)")
    who.add_argument("--instrument", metavar="NAME", help="an instrument's time line: its force, parties, "
                                                          "designations and suspensions, and those of the instruments "
                                                          "attached to it (e.g. anzus)")
    p.add_argument("--format", choices=FORMATS, default=None,
                   help="table (default), csv, svg (an accessible chart), or json (schema: `obligations schema timeline`)")
    p.add_argument("--json", action="store_true", help="the same as --format json")
    p.add_argument("--from", dest="start", type=int, metavar="YEAR", help="the first year shown (default: the first date)")
    p.add_argument("--to", dest="end", type=int, metavar="YEAR",
                   help="the last year shown (default: this year, or the last date when everything has ended)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")
    p.add_argument("--draft", action="append", default=[], metavar="NAME",
                   help="show this draft instrument of the corpus too (drafts are left out by default)")
    add_corpus_options(p)


def run(a: argparse.Namespace) -> int:
    from obligations.commands.graph_cmd import output_format, write_out
    from obligations.results import to_json
    from obligations.viz.timeline import timeline, to_csv, to_table

    ws = workspace_from_args(a)
    r = timeline(ws.corpus, a.party, a.instrument, a.start, a.end, ws.drafts)
    fmt = output_format(a, "table")
    if fmt == "svg":
        from obligations.viz.svg import timeline_svg

        text = timeline_svg(r)
    elif fmt == "json":
        import json

        text = json.dumps(to_json(r), indent=2, ensure_ascii=False) + "\n"
    else:
        text = to_csv(r) if fmt == "csv" else to_table(r)
    write_out(text, a.out)
    return 0


def _schema():
    from obligations.results import TimelineResult

    return TimelineResult


SPEC = Command(
    name="timeline",
    help="memberships, suspensions, designations and force of a party or an instrument on a time axis",
    description="Show when a state was a party, designated, an author, or suspended (or was suspended toward), "
                "instrument by instrument, with each instrument's force; or an instrument's force and every "
                "membership, designation and suspension of it and of the instruments attached to it. A membership "
                "that ends while its treaty goes on is a withdrawal; one that ends with it, a termination. As a "
                "table, CSV, JSON, or an SVG chart with a time axis (suspensions hatched).",
    examples="  obligations timeline --party NZL\n"
             "  obligations timeline --instrument anzus --format svg --out /dev/null\n"
             "  obligations timeline --instrument manila-pact --from 1954 --to 1980 --format csv\n"
             "  obligations timeline --party USA --json",
    configure=configure,
    run=run,
    json_schema=_schema,
)
