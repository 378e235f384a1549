"""`obligations who`: every state's verdict in one scenario, and the cascade."""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_scenario_options, emit,
                                         limits_from_args, scenario_from_args, workspace_from_args, focus_from_args)


def configure(p: argparse.ArgumentParser) -> None:
    add_scenario_options(p, party=False)
    p.add_argument("--action", default="assist", metavar="ACTION", help="the action asked about (default: assist)")
    p.add_argument("--depth", type=int, default=2, metavar="N",
                   help="how many steps of cascade to follow (default 2, at most 6; 0 for none)")
    p.add_argument("--all", action="store_true", help="list the states that are not obliged too")
    p.add_argument("--graph", action="store_true",
                   help="draw the cascade: who is obliged at each step, and why (--format dot by default)")
    from obligations.commands.graph_cmd import add_output_options

    add_output_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.render import who_text

    # Only a question about one victim's protectors reads part of a packed corpus: a cascade asks in turn
    # about theirs, --all lists every bound state, and a graph draws what it finds.
    one = a.depth == 0 and not a.all and not a.graph
    ws = workspace_from_args(a, focus_from_args(a, victim=True) if one else None)
    r = ws.who(scenario_from_args(a), a.action, limits_from_args(a), a.depth, include_negative=a.all)
    if a.graph:
        from obligations.commands.graph_cmd import output_format, write_out
        from obligations.viz.graph import cascade
        from obligations.viz.write import render

        write_out(render(cascade(ws, r, limits_from_args(a)), output_format(a)), a.out)
        return 0
    if a.format or a.out:
        from obligations.errors import UsageError

        raise UsageError("--format and --out draw the cascade: add --graph")
    emit(r, a.json, who_text)
    return 0


def _schema():
    from obligations.results import WhoResult

    return WhoResult


SPEC = Command(
    name="who",
    help="every state's verdict in a scenario, with the cascade of obligations",
    description="For one scenario, which states are obliged to act (obliged, depends, not obliged), on which "
                "instruments, and the cascade: when the obliged act and their forces are attacked in turn, who is "
                "brought in next, to a bounded depth. The victim is not asked whether it must help itself, and no "
                "state is obliged to help the victim of its own attack. --graph draws the cascade (--format dot, graphml, gexf, "
                "svg, or json, whose schema is `obligations schema graph`).",
    examples="  obligations who --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01\n"
             "  obligations who --attacker CHN --victim PHL --target public-vessels --at scarborough-shoal --depth 3\n"
             "  obligations who --attacker VDR --victim THA --at tha-home --on 1965-06-01 --all --json\n"
             "  obligations who --attacker CHN --victim JPN --at senkaku-islands --on 2025-06-01 --depth 3 --graph --format dot",
    configure=configure,
    run=run,
    json_schema=_schema,
)
