"""`obligations graph --on DATE`: the network of obligations on a date, as DOT, GraphML, GEXF, JSON or SVG."""

from __future__ import annotations

import argparse
import sys

from obligations.commands.common import (Command, add_corpus_options, add_query_options, limits_from_args, parse_date,
                                         workspace_from_args)

FORMATS = ("dot", "graphml", "gexf", "json", "svg")


def add_output_options(p: argparse.ArgumentParser, default: str = "dot") -> None:
    p.add_argument("--format", choices=FORMATS, default=None,
                   help=f"dot (Graphviz, default), graphml or gexf (need the `graph` extra: networkx), json (schema: "
                        f"`obligations schema graph`), svg (needs Graphviz's dot)")
    p.add_argument("--out", metavar="FILE", help="write to FILE instead of standard output")


def write_out(text: str, out: str | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        with open(out, "w", encoding="utf-8") as fh:
            fh.write(text)
    except OSError as e:
        from obligations.errors import UsageError

        raise UsageError(f"cannot write {out}: {e.strerror or e}") from None


def output_format(a: argparse.Namespace, default: str = "dot") -> str:
    from obligations.errors import UsageError

    if getattr(a, "json", False):
        if a.format not in (None, "json"):
            raise UsageError(f"--json and --format {a.format} ask for two formats: give one")
        return "json"
    return a.format or default


def configure(p: argparse.ArgumentParser) -> None:
    from obligations.vocab import ACTIONS

    p.add_argument("--on", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    p.add_argument("--party", action="append", default=[], metavar="STATE",
                   help="keep the edges to or from this state (repeatable; default: every state)")
    p.add_argument("--instrument", action="append", default=[], metavar="NAME",
                   help="keep the edges that rest on this instrument (repeatable; default: every instrument)")
    p.add_argument("--action", default="assist", metavar="ACTION",
                   help="the action an edge stands for (default: assist; e.g. consult, remain-neutral; one of: "
                        + ", ".join(ACTIONS) + ")")
    p.add_argument("--attacker", metavar="STATE",
                   help="who attacks (default: no state named, so clauses that turn on who attacks do not apply)")
    p.add_argument("--event", choices=("armed-attack", "threat"), default="armed-attack",
                   help="an armed attack on each state's home territory (default), or a threat")
    add_output_options(p)
    p.add_argument("--json", action="store_true", help="the same as --format json")
    add_query_options(p)
    add_corpus_options(p)


def run(a: argparse.Namespace) -> int:
    from obligations.viz.graph import network
    from obligations.viz.write import render

    ws = workspace_from_args(a)
    g = network(ws, parse_date(a.date), a.action, a.party, a.instrument, a.attacker, a.event, limits_from_args(a))
    write_out(render(g, output_format(a)), a.out)
    return 0


def _schema():
    from obligations.results import GraphResult

    return GraphResult


SPEC = Command(
    name="graph",
    help="the network of obligations on a date: who must assist (consult, ...) whom, under which articles",
    description="Draw the network of obligations on a date. For every state that exists then and has territory in "
                "the corpus, the engine asks `who` about an armed attack on its home territory; an edge A -> B says "
                "that A is obliged (solid) or, depending on open terms, may be obliged (dashed) to take the action "
                "for B, labelled with the instruments and articles it rests on. States without territory in the "
                "corpus cannot be asked about and are listed in the JSON's not_asked. `who --graph` draws one "
                "scenario's cascade instead.",
    examples="  obligations graph --on 2025-06-01 --format dot\n"
             "  obligations graph --on 2025-06-01 --party USA --json\n"
             "  obligations graph --on 1965-06-01 --attacker VDR --instrument manila-pact\n"
             "  obligations graph --on 2025-06-01 --action consult --event threat --instrument anzus",
    configure=configure,
    run=run,
    json_schema=_schema,
)
