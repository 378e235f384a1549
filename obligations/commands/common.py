"""What the commands share: the spec type, corpus options, diagnostics output."""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import dataclass
from typing import Callable

from obligations.diagnostics import Diagnostic, Severity


@dataclass(frozen=True)
class Command:
    name: str
    help: str
    description: str
    examples: str
    configure: Callable[[argparse.ArgumentParser], None]
    run: Callable[[argparse.Namespace], int]


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, *styles: str, stream=None) -> str:
    """`text` in `styles` when `stream` (default stdout) is the CLI's terminal: marked with sentinels that the
    CLI's SafeStream turns into colour after escaping everything else (obligations/safetext.py)."""
    if not getattr(stream or sys.stdout, "obligations_color", False):
        return text
    from obligations.safetext import styled

    return styled(text, styles)


def add_json(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print machine-readable JSON (schema: `obligations schema`)")


def add_corpus_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--corpus", action="append", metavar="PATH", default=None,
                   help="use these clause files or folders instead of the bundled corpus (repeatable)")
    p.add_argument("--with", dest="with_", action="append", metavar="PATH", default=None, nargs="+",
                   help="add your own clause files (a draft, facts, an interpretive statement) on top of the corpus")
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
    from obligations.scenario import ACTIONS, EVENTS, TARGETS

    g = p.add_argument_group("scenario")
    g.add_argument("--event", choices=EVENTS, default="armed-attack", help="what happens (default: armed-attack)")
    g.add_argument("--attacker", metavar="STATE", help="who attacks or threatens (a state code, e.g. CHN)")
    g.add_argument("--victim", metavar="STATE", help="who is attacked or threatened (e.g. JPN)")
    g.add_argument("--target", choices=TARGETS, default=None,
                   help="what is attacked (default: territory for an armed attack)")
    g.add_argument("--at", dest="place", metavar="PLACE", help="where (a place, e.g. senkaku-islands; see `obligations list places`)")
    g.add_argument("--on", dest="date", metavar="DATE", help="the date, YYYY-MM-DD (default: today)")
    g.add_argument("--actor", metavar="STATE", help="with --event join or purchase: the state that joins or buys")
    g.add_argument("--alliance", metavar="INSTRUMENT", help="with --event join: the instrument joined")
    g.add_argument("--seller", metavar="STATE", help="with --event purchase: the state that sells")
    if party:
        q = p.add_argument_group("question")
        q.add_argument("--party", metavar="STATE", required=True, help="the state asked about (e.g. USA)")
        q.add_argument("--action", choices=ACTIONS, default="assist", metavar="ACTION",
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
    d.add_argument("--timeout", type=int, default=timeout_ms, metavar="MS",
                   help=f"solver time limit per decision in ms (default {timeout_ms})")
    d.add_argument("--memory", type=int, default=2048, metavar="MB", help="solver memory limit in MB (default 2048)")
    from obligations.budget import add_options

    add_options(d)


def parse_date(s: str | None):
    import datetime as dt

    from obligations.cli import UsageError

    if s is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise UsageError(f"--on {s!r} is not a date (write YYYY-MM-DD, a day that exists)") from None


def scenario_from_args(a: argparse.Namespace):
    from obligations.cli import UsageError
    from obligations.scenario import Scenario

    date = parse_date(a.date)
    target = a.target
    if a.event in ("armed-attack", "threat") and target is None:
        target = "territory"
    if a.event in ("armed-attack", "threat") and not a.victim:
        raise UsageError(f"--event {a.event} needs --victim (and usually --attacker and --at)")
    if a.event in ("join", "purchase") and not a.actor:
        raise UsageError(f"--event {a.event} needs --actor")
    if a.event == "join" and not a.alliance:
        raise UsageError("--event join needs --alliance")
    # argparse has checked every value against its choices: no validation to pay for (see query/results.py).
    return Scenario.model_construct(event=a.event, date=date, attacker=a.attacker, victim=a.victim,
                                    target=target if a.event in ("armed-attack", "threat") else None,
                                    place=a.place, actor=a.actor, alliance=a.alliance, seller=a.seller)


def question_from_args(a: argparse.Namespace):
    from obligations.scenario import Question

    return Question.model_construct(party=a.party, action=a.action, deontic=a.deontic.replace("-", " "), obj=a.obj)


def limits_from_args(a: argparse.Namespace):
    from obligations.budget import limits_from_args as limits
    from obligations.cli import UsageError

    return limits(a, UsageError)


def load_for_query(a: argparse.Namespace):
    """The corpus for a query, or exit 2 with its diagnostics: a broken corpus answers nothing."""
    from obligations.cli import UsageError
    from obligations.model.load import load_corpus

    with_ = [p for group in (a.with_ or []) for p in group]
    loaded = load_corpus(a.corpus, with_, a.max_file_bytes, a.max_corpus_bytes)
    if not loaded.ok:
        print_diagnostics(loaded.diagnostics, loaded.corpus.texts)
        raise UsageError("the corpus has errors; fix them (see `obligations check`) before asking")
    corpus = loaded.corpus
    for name in a.without:
        if name not in corpus.instruments:
            from obligations.query.ask import _suggest
            raise UsageError(str(_suggest("instrument", name, corpus.instruments)))
    if a.without:
        from obligations.model.filter import without
        corpus = without(corpus, set(a.without))
    for spec in getattr(a, "join", []) or []:
        inst_name, _, state = spec.partition(":")
        from obligations.query.ask import _suggest
        from obligations.query.eligible import with_member

        if not state:
            raise UsageError(f"--join {spec!r}: write INSTRUMENT:STATE, e.g. pato-draft:TWN")
        if inst_name not in corpus.instruments:
            raise UsageError(str(_suggest("instrument", inst_name, corpus.instruments)))
        if state not in corpus.states:
            raise UsageError(str(_suggest("state", state, corpus.states)))
        corpus = with_member(corpus, inst_name, state, None)
    # A draft the user adds with --with is what they want to ask about.
    user_files = set(loaded.corpus.texts) - set(_base_files(loaded, a)) if with_ else set()
    drafts = set(a.draft)
    for inst in corpus.instruments.values():
        if inst.draft and str(inst.node.span.file) in user_files:
            drafts.add(inst.name)
    for d in a.draft:
        if d not in corpus.instruments:
            from obligations.query.ask import _suggest
            raise UsageError(str(_suggest("instrument", d, corpus.instruments)))
        if not corpus.instruments[d].draft:
            raise UsageError(f"{d} is not a draft (it is in force on its own dates); --draft names drafts only")
    return corpus, frozenset(drafts)


def _base_files(loaded, a) -> list[str]:
    from obligations.model.load import bundled_corpus_dir, display_names

    return display_names(a.corpus or [bundled_corpus_dir()])


def require(corpus, kind: str, name: str) -> None:
    """Exit 2 with the closest known name when `name` is not a `kind` ("state", "instrument") of the corpus."""
    from obligations.cli import UsageError
    from obligations.query.ask import _suggest

    known = corpus.states if kind == "state" else corpus.instruments
    if name not in known:
        raise UsageError(str(_suggest(kind, name, known)))


def emit(result, as_json: bool, text) -> None:
    """Print a typed result: its JSON (the schema `obligations schema` publishes) or its text rendering."""
    if as_json:
        dump_json(result.model_dump(mode="json"))
    else:
        print(text(result), end="")
