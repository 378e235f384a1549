"""What the commands share: the spec type, the options every query takes, diagnostics and JSON output.

The commands only translate options into the application layer's calls (obligations/app.py) and print what
comes back: opening the corpus with drafts, `--with`, `--without` and `--join`, and checking every name, is
the application layer's, shared with the Python API.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable

from obligations.diagnostics import Diagnostic, Severity
from obligations.errors import UsageError
from obligations.record import record
from obligations.render import paint

# Which option gives each field of a question: the application layer's errors name the field, the CLI the option.
OPTION = {"attacker": "--attacker", "victim": "--victim", "place": "--at", "target": "--target", "actor": "--actor",
          "alliance": "--alliance", "seller": "--seller", "party": "--party", "action": "--action",
          "object": "--object", "draft": "--draft", "depth": "--depth", "date": "--on", "assume": "--assume",
          "instrument": "--instrument", "format": "--format", "from": "--from", "to": "--to", "event": "--event"}


@record(frozen=True)
class Command:
    name: str
    help: str
    description: str
    examples: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]
    json_schema: Callable[[], object] | None = None  # the result type `--json` prints (for `obligations schema`)


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON (schema: `obligations schema COMMAND`)")


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="use these clause files or folders instead of the bundled corpus (repeatable)")
    p.add_argument("--with", dest="with_", action="append", metavar="PATH", default=None, nargs="+",
                   help="add your own clause files (a draft, facts, an interpretive statement) on top of the corpus; "
                        "a draft among them is read as if in force")
    p.add_argument("--max-file-bytes", type=int, default=4 * 1024 * 1024, metavar="N",
                   help="refuse clause files larger than N bytes (default 4 MiB)")
    add_max_corpus_bytes(p)


def add_max_corpus_bytes(p: argparse.ArgumentParser) -> None:
    p.add_argument("--max-corpus-bytes", type=int, default=64 * 1024 * 1024, metavar="N",
                   help="refuse to read more than N bytes of clause files in all (default 64 MiB)")


def print_diagnostics(diags: list[Diagnostic], texts: dict[str, str], as_json: bool = False, stream=None) -> None:
    stream = stream or sys.stderr
    if as_json:
        return
    for d in diags:
        color = "red" if d.severity == Severity.error else "yellow"
        body = d.long(texts.get(d.span.file))
        first, _, rest = body.partition("\n")
        print(paint(first, "bold", color, stream=stream), file=stream)
        if rest:
            print(rest, file=stream)
    n_err = sum(1 for d in diags if d.severity == Severity.error)
    n_warn = len(diags) - n_err
    if diags:
        print(f"{n_err} error(s), {n_warn} warning(s)", file=stream)


def dump_json(obj) -> None:
    from obligations.safetext import json_dumps

    sys.stdout.write(json_dumps(obj, indent=2, default=str) + "\n")


def add_scenario_options(p: argparse.ArgumentParser, party: bool = True) -> None:
    from obligations.vocab import ACTIONS, EVENTS, TARGETS

    g = p.add_argument_group("scenario")
    g.add_argument("--event", choices=EVENTS, default="armed-attack", help="what happens (default: armed-attack)")
    g.add_argument("--attacker", metavar="STATE", help="who attacks or threatens (a state code, e.g. CHN)")
    g.add_argument("--victim", metavar="STATE", help="who is attacked or threatened (e.g. JPN)")
    g.add_argument("--target", choices=TARGETS, default=None,
                   help="what is attacked (default: territory for an armed attack)")
    g.add_argument("--at", dest="place", metavar="PLACE",
                   help="where: a place (e.g. senkaku-islands) or, for forces, vessels or aircraft, a sea or region "
                        "(e.g. south-china-sea); default for an attack on territory: the victim's home territory")
    g.add_argument("--on", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    g.add_argument("--actor", metavar="STATE", help="with --event join or purchase: the state that joins or buys")
    g.add_argument("--alliance", metavar="INSTRUMENT", help="with --event join: the instrument joined")
    g.add_argument("--seller", metavar="STATE", help="with --event purchase: the state that sells")
    if party:
        q = p.add_argument_group("question")
        q.add_argument("--party", metavar="STATE", required=True, help="the state asked about (e.g. USA)")
        q.add_argument("--action", default="assist", metavar="ACTION",
                       help="the action asked about (default: assist; one of: " + ", ".join(ACTIONS) + ")")
        q.add_argument("--deontic", choices=("must", "must-not", "may"), default="must",
                       help="obliged to (must, default), obliged not to (must-not), or permitted (may)")
        q.add_argument("--object", dest="obj", metavar="NAME", help="whom or what the action is toward (default: any)")
    add_query_options(p)


def add_query_options(p: argparse.ArgumentParser, timeout_ms: int = 10_000) -> None:
    """--draft, --without, --join and the solver limits: what every query command takes."""
    d = p.add_argument_group("corpus and limits")
    d.add_argument("--draft", action="append", default=[], metavar="NAME",
                   help="read this draft instrument of the corpus as if in force (repeatable)")
    d.add_argument("--without", action="append", default=[], metavar="NAME",
                   help="leave this instrument out (e.g. an interpretive statement), to see the answer without it")
    d.add_argument("--join", action="append", default=[], metavar="INSTRUMENT:STATE",
                   help="suppose STATE a party of INSTRUMENT (e.g. pato-draft:TWN), to ask what its accession would change")
    d.add_argument("--assume", action="append", default=[], metavar="TERM(ARGS)=READING",
                   help="pose a reading of an open term for this question, over any fact or statement "
                        "(e.g. 'in(south-china-sea, pacific-area)=outside', 'communist(IND)=no'; repeatable)")
    d.add_argument("--timeout", type=int, default=timeout_ms, metavar="MS",
                   help=f"solver time limit per decision in ms (default {timeout_ms})")
    d.add_argument("--memory", type=int, default=2048, metavar="MB", help="solver memory limit in MB (default 2048)")
    from obligations.budget import add_options

    add_options(d)


def parse_date(s: str | None):
    import datetime as dt

    if s is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise UsageError(f"--on {s!r} is not a date (write YYYY-MM-DD, a day that exists)") from None


def scenario_from_args(a: argparse.Namespace):
    from obligations.scenario import Scenario

    date = parse_date(a.date)
    attack = a.event in ("armed-attack", "threat")
    if attack and not a.victim:
        raise UsageError(f"--event {a.event} needs --victim (and usually --attacker and --at)")
    if a.event in ("join", "purchase") and not a.actor:
        raise UsageError(f"--event {a.event} needs --actor")
    if a.event == "join" and not a.alliance:
        raise UsageError("--event join needs --alliance")
    return Scenario(event=a.event, date=date, attacker=a.attacker, victim=a.victim,
                    target=a.target if attack else None, place=a.place if attack else None,
                    actor=a.actor, alliance=a.alliance, seller=a.seller)


def question_from_args(a: argparse.Namespace):
    from obligations.scenario import Question

    return Question(party=a.party, action=a.action, deontic=a.deontic.replace("-", " "), obj=a.obj)


def limits_from_args(a: argparse.Namespace):
    from obligations.budget import limits_from_args as limits

    return limits(a, UsageError)


def workspace_from_args(a: argparse.Namespace, focus=None):
    """The corpus for a query, opened as the options say (the application layer checks every name); with
    `focus`, read only as far as that question reaches (obligations/model/pack.py)."""
    from obligations.app import Workspace

    with_ = [p for group in (a.with_ or []) for p in group]
    join = []
    for spec in getattr(a, "join", []) or []:
        inst_name, _, state = spec.partition(":")
        if not state or not inst_name:
            raise UsageError(f"--join {spec!r}: write INSTRUMENT:STATE, e.g. pato-draft:TWN")
        join.append((inst_name, state))
    ws = Workspace.open(a.corpus, with_, getattr(a, "draft", []) or [], getattr(a, "without", []) or [], join,
                        a.max_file_bytes, getattr(a, "assume", []) or [],
                        max_corpus_bytes=getattr(a, "max_corpus_bytes", None), focus=focus)
    for w in ws.warnings:
        print(f"obligations: warning: {w}", file=sys.stderr)
    return ws


def focus_from_args(a: argparse.Namespace, victim: bool = False):
    """What a question names: its states (and, for `who`, the victim whose protectors are sought) and its
    alliance."""
    from obligations.model.pack import Focus

    states = {getattr(a, k, None) for k in ("party", "attacker", "victim", "actor", "seller", "obj")}
    states = frozenset(x for x in states if isinstance(x, str))
    alliance = getattr(a, "alliance", None)
    return Focus(states, frozenset([alliance]) if alliance else frozenset(), getattr(a, "victim", None) if victim else None,
                 getattr(a, "action", None) or "assist")


def emit(result, as_json: bool, text) -> None:
    """Print a typed result: its JSON (the schema `obligations schema` publishes) or its text rendering."""
    if as_json:
        from obligations.results import to_json

        dump_json(to_json(result))
    else:
        print(text(result), end="")
