"""`obligations ask`: does a scenario oblige a party to act?"""

from __future__ import annotations

import argparse

from obligations.commands.common import (Command, add_corpus_options, add_json, add_scenario_options, emit,
                                         limits_from_args, load_for_query, question_from_args, scenario_from_args)


def configure(p: argparse.ArgumentParser) -> None:
    add_scenario_options(p)
    add_corpus_options(p)
    add_json(p)


def run(a: argparse.Namespace) -> int:
    from obligations.cli import UsageError
    from obligations.query.ask import QueryError, ask, validate
    from obligations.render import ask_text

    scenario = scenario_from_args(a)
    q = question_from_args(a)
    corpus, drafts = load_for_query(a)
    try:
        validate(corpus, scenario, q, drafts)
    except QueryError as e:
        raise UsageError(str(e)) from None
    r = ask(corpus, scenario, q, drafts, limits_from_args(a))
    emit(r, a.json, ask_text)
    return 0


SPEC = Command(
    name="ask",
    help="does a scenario oblige a party to take an action?",
    description="Ask whether a scenario obliges one party to take an action. The verdict is obliged, "
                "not_obliged, depends (with the open terms it turns on, one reading on each side) or unknown "
                "(a solver limit was reached), with the articles it rests on, quoted, and the reasons each other "
                "clause does not apply.",
    examples="  obligations ask --attacker CHN --victim JPN --target territory --at senkaku-islands --on 2025-06-01 --party USA --action assist\n"
             "  obligations ask --attacker CHN --victim JPN --at senkaku-islands --party AUS\n"
             "  obligations ask --attacker VDR --victim THA --at tha-home --on 1965-06-01 --party USA --action meet-common-danger\n"
             "  obligations ask --attacker CHN --victim TWN --at taiwan --party AUS --draft pato-draft --join pato-draft:TWN\n"
             "  obligations ask --event join --actor KOR --alliance pato-draft --party KOR --action join-alliance --deontic must-not --draft pato-draft",
    configure=configure,
    run=run,
)
