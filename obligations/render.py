"""Results -> readable text. JSON is `results.to_json`; this is for people.

This module lays out what explain.py says: it adds no words of its own about the law or the scenario, beyond
headings, and it never takes a sentence apart.
"""

from __future__ import annotations

import os
import sys
import functools
import textwrap

from obligations import explain as X
from obligations.results import AskResult, ConflictsResult, EligibleResult, Ground, WhoResult

MARK = {True: "✓", False: "✗", None: "?"}
VERDICT_STYLE = {"obliged": ("bold", "green"), "not_obliged": ("bold", "red"), "depends": ("bold", "yellow"),
                 "unknown": ("bold", "magenta"), "eligible": ("bold", "green"), "not_eligible": ("bold", "red"),
                 "conflict": ("bold", "red"), "possible_conflict": ("bold", "yellow"), "met": ("green",),
                 "not_met": ("red",), "no_conflict": ("bold", "green"), "already_party": ("bold", "green"),
                 "holds": ("bold", "green"), "vacuous": ("bold", "red"), "fails": ("bold", "red"),
                 "fails_under_some_readings": ("bold", "yellow")}
BINDING = {"legal": "legally binding", "political": "politically binding", "none": "not binding"}


def use_color(stream=None) -> bool:
    stream = stream or sys.stdout
    if os.environ.get("NO_COLOR") is not None or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def paint(text: str, *styles: str, stream=None) -> str:
    """`text` in `styles` when `stream` (default stdout) is the CLI's terminal: marked with sentinels that the
    CLI's safe writer turns into colour after escaping everything else (obligations/safetext.py), so that text
    from a clause file can never forge colour or move the cursor."""
    if not getattr(stream or sys.stdout, "obligations_color", False):
        return text
    from obligations.safetext import styled

    return styled(text, styles)


def v(s: str) -> str:
    return paint(s.replace("_", " "), *VERDICT_STYLE.get(s, ("bold",)))


def _wrap(text: str, indent: int, width: int = 100) -> list[str]:
    return list(_wrapped(text, indent, width))


@functools.lru_cache(maxsize=4096)
def _wrapped(text: str, indent: int, width: int) -> tuple[str, ...]:
    # One article's quotation is printed for every conflict or ground it takes part in (945 times for one
    # party at ten times ATOP's size): textwrap was half of that answer's time.
    return tuple(textwrap.wrap(text, width=width, initial_indent=" " * indent, subsequent_indent=" " * indent)
                 or [" " * indent])


def ground_lines(g: Ground, full: bool = True) -> list[str]:
    mark = {"applies": MARK[True], "may_apply": MARK[None], "does_not_apply": MARK[False]}[g.status]
    binding = f"{g.instrument_kind}, {BINDING.get(g.binding, g.binding)}" + (", DRAFT" if g.draft else "")
    out = [f"  {mark} {paint(g.instrument, 'bold')} {g.heading} — {g.instrument_title} ({binding})",
           f"      {g.deontic} {g.action}   [{g.location}]"]
    if full:
        out += _wrap(f"\"{g.text}\"", 6)
        for st in g.steps:
            out.append(f"      {MARK[st.holds]} {st.label}")
            for d in st.detail[:12]:
                out += _wrap(d, 10)
            for f in st.facts:
                out += _wrap(f"fact {f.fact}" + (f": {f.grounds}" if f.grounds else "") + f" [{f.location}]", 10)
        for q in g.qualifiers:
            out += _wrap("qualified — " + q, 6)
    elif g.failure is not None:
        out += _wrap(f"{g.failure.kind.replace('_', ' ')}: {g.failure.reason}", 6)
    return out


def ask_text(r: AskResult) -> str:
    out = [f"{v(r.verdict)}  {X.verdict_line(r.verdict, r.scenario, r.question, r.grounds, r.hinges, r.reason_unknown)}"]
    q = r.question
    verb = {"must": "obliged to", "must not": "forbidden to", "may": "permitted to"}[q.deontic]
    out.append(f"question: is {q.party} {verb} {q.action}{' ' + q.obj if q.obj else ''} — {X.describe_scenario(r.scenario)}")
    for a in r.assumptions:
        out += _wrap(f"assumed: {a}", 0)
    if r.drafts:
        out.append(f"drafts read as if in force: {', '.join(r.drafts)}")
    if r.reason_unknown:
        out.append(f"unknown: {r.reason_unknown}")
    if r.readings:
        out += ["", paint("Readings the answer rests on", "bold")]
        for f in r.readings:
            by = f" by {', '.join(f.authors)}" if f.authors else ""
            of = f" of {f.interprets}" if f.interprets else ""
            src = f.instrument or "posed"
            out += _wrap(f"- {f.fact}: {src}{by}{of}" + (f"; settles {f.settles}" if f.settles else "")
                         + f"   [{f.location}]", 2)
            if f.quote:
                out += _wrap(f"\"{f.quote}\"", 6)
        out += _wrap("(leave a statement out with --without NAME, or pose another reading with --assume)", 2)
    if r.hinges:
        out.append("")
        out.append(paint("Hinges (open terms the answer turns on)", "bold"))
        for h in r.hinges:
            out += _wrap(f"- {h.term}: {h.question}", 2)
            for rd in h.readings:
                out += _wrap(f"· {rd.label}: {rd.text}", 6)
            if h.when_obliged is not None and h.when_not_obliged is not None:
                out += _wrap(f"obliged under the reading \"{h.when_obliged}\"; not obliged under \"{h.when_not_obliged}\"", 6)
    applying = [g for g in r.grounds if g.status != "does_not_apply"]
    failing = [g for g in r.grounds if g.status == "does_not_apply"]
    if applying:
        out += ["", paint("Grounds", "bold")]
        for g in applying:
            out += ground_lines(g, True)
    if failing:
        out += ["", paint("Clauses that do not apply", "bold")]
        for g in failing:
            out += ground_lines(g, False)
    if r.related:
        out += ["", paint("Other instruments binding " + q.party, "bold")]
        for rel in r.related:
            out += _wrap(f"- {rel.instrument} ({rel.title}; {BINDING.get(rel.binding, rel.binding)}): {rel.note}", 2)
    if not r.grounds and not r.related:
        out += ["", f"No instrument in the corpus binds {q.party} to {q.action} in this situation."]
    return "\n".join(out) + "\n"


def who_text(r: WhoResult) -> str:
    out = [f"{X.describe_scenario(r.scenario)} — who is obliged to {r.action}?"]
    for a in r.assumptions:
        out += _wrap(f"assumed: {a}", 0)
    if r.drafts:
        out.append(f"drafts read as if in force: {', '.join(r.drafts)}")
    width = max((len(e.party) for e in r.entries), default=3)
    for e in r.entries:
        out.append(f"  {e.party.ljust(width)}  {v(e.verdict).ljust(11)}  {e.summary}")
    if not r.entries:
        out.append("  no state is bound by any instrument in this situation")
    if r.cascade:
        out += ["", paint(f"Cascade (depth {r.cascade_depth}): if the obliged act and their forces are attacked in turn", "bold")]

        def walk(steps, ind):
            for st in steps:
                names = ", ".join(f"{e.party} ({e.verdict.replace('_', ' ')}: {', '.join(e.instruments)})" for e in st.obliged) or "nobody further"
                out.extend(_wrap(f"→ attack on {st.party}'s armed forces at {st.scenario.place}: {names}", ind))
                walk(st.then, ind + 4)

        walk(r.cascade, 2)
    return "\n".join(out) + "\n"


def conflicts_text(r: ConflictsResult) -> str:
    out = []
    if not r.conflicts:
        out.append(f"{v('no_conflict')}: no conflict among {r.party}'s commitments on {r.date}")
    else:
        out.append(f"{len(r.conflicts)} conflict(s) among {r.party}'s commitments on {r.date}")
    for c in r.conflicts:
        out += ["", f"{v(c.verdict)} ({c.kind}): {c.summary}"]
        n = max(1, c.per_witness)
        groups = [c.witnesses[i:i + n] for i in range(0, len(c.witnesses), n)]
        for k, g in enumerate(groups):
            out += _wrap(("witness: " if k == 0 else "also: ") + "; and ".join(w.text for w in g), 2)
        for h in c.hinges:
            out += _wrap(f"turns on: {h}", 2)
        for sd in c.sides:
            out.append(f"  - {paint(sd.instrument, 'bold')} Article {sd.article} ({sd.instrument_title}; {BINDING.get(sd.binding, sd.binding)}): {sd.deontic} {sd.action}   [{sd.location}]")
            out += _wrap(f"\"{sd.text}\"", 6)
    for u in r.unknown:
        out.append(f"unknown: {u}")
    out += ["", f"scope: {r.scope}"]
    return "\n".join(out) + "\n"


def eligible_text(r: EligibleResult) -> str:
    out = [f"{v(r.verdict)}: {r.candidate} for {r.instrument} on {r.date}"]
    for c in r.criteria:
        out.append(f"  {v(c.verdict).ljust(9)} {c.name} (Article {c.article}): {c.title}")
        for x in c.reasons:
            out += _wrap(x, 6)
        for h in c.hinges:
            out += _wrap(f"turns on: {h}", 6)
    for p in r.procedure:
        out += _wrap(f"then: {p}", 2)
    if r.conflicts:
        out += ["", f"Joining would create {len(r.conflicts)} conflict(s) with {r.candidate}'s existing commitments:"]
        for c in r.conflicts:
            out += _wrap(f"- {c.summary}", 2)
    return "\n".join(out) + "\n"


def prove_text(r) -> str:
    out = []
    for x in r.results:
        out.append(f"{v(x.verdict)}  {x.instrument} › {x.name} (on {x.date})   [{x.location}]")
        out += _wrap(x.statement, 4)
        if x.verdict == "holds" and x.scenarios:
            out += _wrap(f"over {x.scenarios:,} well-formed scenarios, each under every reading of the open terms", 4)
        if x.verdict != "holds":
            out += _wrap(f"expected: {('if ' + x.condition + ', then ') if x.condition else ''}{x.expectation}", 4)
            if x.counterexample:
                out += _wrap(f"counterexample: {x.counterexample.text}", 4)
            for w in x.why:
                out += _wrap(w, 6)
    n_fail = sum(1 for x in r.results if x.verdict != "holds")
    out += ["", f"{len(r.results) - n_fail} held, {n_fail} failed, vacuous or undecided; scope: {r.scope}"]
    return "\n".join(out) + "\n"


def diff_text(r) -> str:
    if r.equivalent:
        return (f"{paint('equivalent', *VERDICT_STYLE['eligible'])}: {' '.join(r.old)} and {' '.join(r.new)} oblige the same "
                f"in every scenario within the scope\nscope: {r.scope}\n")
    out = []
    for e in r.entries:
        head = "+ obliged only in the new version" if e.direction == "added" else "- obliged only in the old version"
        out.append(f"{paint(head, 'bold', 'green' if e.direction == 'added' else 'red')}: {e.party} {e.action} upon {e.event}")
        for w in e.witnesses:
            out += _wrap(f"e.g. {w.text}", 6)
    for u in r.unknown:
        out.append(f"unknown: {u}")
    out += ["", f"scope: {r.scope}"]
    return "\n".join(out) + "\n"
