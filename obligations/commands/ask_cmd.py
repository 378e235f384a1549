"""`obligations ask`: does a scenario oblige a party to act?"""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_scenario_options, emit,
                                         limits_from_args, question_from_args, scenario_from_args, workspace_from_args, focus_from_args)


def configure(p: argparse.ArgumentParser) -> None:
    add_scenario_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.render import ask_text

    ws = workspace_from_args(a, focus_from_args(a))
    r = ws.ask(scenario_from_args(a), question_from_args(a), limits_from_args(a))
    emit(r, a.json, ask_text)
    return 0


def _schema():
    from obligations.results import AskResult

    return AskResult


SPEC = Command(
    name="ask",
    help="does a scenario oblige a party to take an action?",
    description="Ask whether a scenario obliges one party to take an action. The verdict is obliged, "
                "not_obliged, depends (with the open terms it turns on, one reading on each side) or unknown "
                "(a solver limit was reached), with the articles it rests on, quoted, and the reasons each other "
                "clause does not apply. An attack on territory with no --at is asked about the victim's home "
                "territory, and the answer says so; a scenario that cannot happen is refused (exit 2).",
    examples="  obligations ask --attacker CHN --victim JPN --target territory --at senkaku-islands --on 2025-06-01 --party USA --action assist\n"
             "  obligations ask --attacker RUS --victim EST --on 2024-03-01 --party USA\n"
             "  obligations ask --attacker CHN --victim JPN --at senkaku-islands --party AUS\n"
             "  obligations ask --attacker VDR --victim THA --at tha-home --on 1965-06-01 --party USA --action meet-common-danger\n"
             "  obligations ask --attacker CHN --victim TWN --at taiwan --party AUS --draft pato-draft --join pato-draft:TWN\n"
             "  obligations ask --event join --actor KOR --alliance pato-draft --party KOR --action join-alliance --deontic must-not --draft pato-draft",
    configure=configure,
    run=run,
    json_schema=_schema,
)
