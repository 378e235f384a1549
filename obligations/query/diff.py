"""`diff`: what one version of a treaty (or corpus) obliges that the other does not.

Both versions are encoded over the same symbolic scenario and the same open
terms (one Z3 context, shared sorts over the union of their names). For each
party, action and kind of event, Z3 looks for a scenario and a reading in which
the new version obliges and the old does not, and the reverse; each one found
is a witness. When none exists for any of them, the versions oblige the same in
every scenario within the scope stated.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import z3

from obligations.model.corpus import Corpus
from obligations.query.results import _M
from obligations.scenario import Question, Scenario
from obligations.smt.encode import AND, NOT, Encoder, SymScenario
from obligations.smt.solver import Limits, check, decide, make_solver

DEFAULT_ACTIONS = ("assist", "use-armed-force", "consult")
DEFAULT_EVENTS = ("armed-attack", "threat")


class DiffEntry(_M):
    direction: Literal["added", "removed"]  # obliged in the new version only / in the old only
    party: str
    action: str
    event: str
    witnesses: list[str]
    readings: list[str] = []


class DiffResult(_M):
    old: list[str]
    new: list[str]
    date: str
    entries: list[DiffEntry]
    equivalent: bool
    scope: str
    unknown: list[str] = []


def _sym(enc: Encoder, event: str) -> SymScenario:
    return SymScenario(event=event, attacker=enc.const("State", "attacker"), victim=enc.const("State", "victim"),
                       target=enc.const("Target", "target"), place=enc.const("Place", "place"))


def diff(old: Corpus, new: Corpus, date: dt.date, old_drafts: frozenset[str], new_drafts: frozenset[str],
         parties: list[str] | None = None, actions=DEFAULT_ACTIONS, events=DEFAULT_EVENTS, limits: Limits = Limits(),
         max_witnesses: int = 3, labels: tuple[list[str], list[str]] = ([], [])) -> DiffResult:
    domains = {
        "State": sorted(set(old.states) | set(new.states)),
        "Place": sorted(set(old.places) | set(new.places)),
        "Inst": sorted(set(old.instruments) | set(new.instruments)),
    }
    e_old = Encoder(old, date, old_drafts, domains=domains)
    e_new = Encoder(new, date, new_drafts, share=e_old)
    if parties is None:
        parties = sorted(_bound(old, e_old) | _bound(new, e_new))
    entries: list[DiffEntry] = []
    unknown: list[str] = []
    for event in events:
        s = _sym(e_old, event)
        for party in parties:
            for action in actions:
                q = Question(party=party, action=action)
                f_old = e_old.question(q, s).formula
                f_new = e_new.question(q, s).formula
                for direction, f in (("added", AND(f_new, NOT(f_old))), ("removed", AND(f_old, NOT(f_new)))):
                    if f is False:
                        continue
                    wit, reads, unk = _witnesses(e_old, e_new, f, s, q, direction, date, max_witnesses, limits)
                    if unk:
                        unknown.append(f"{party} {action} upon {event}: solver limit reached")
                    if wit:
                        entries.append(DiffEntry(direction=direction, party=party, action=action, event=event,
                                                 witnesses=wit, readings=reads))
    scope = (f"{len(parties)} parties × actions {', '.join(actions)} × events {', '.join(events)}, every attacker, victim and "
             f"place among {len(domains['State'])} states and {len(domains['Place'])} places, every kind of target and every "
             f"reading of the open terms, on {date}")
    return DiffResult(old=labels[0], new=labels[1], date=str(date), entries=entries,
                      equivalent=not entries and not unknown, scope=scope, unknown=unknown)


def _bound(c: Corpus, enc: Encoder) -> set[str]:
    out: set[str] = set()
    for inst in c.instruments.values():
        if enc.in_force(inst.name):
            out |= set(inst.members_on(enc.d)) | set(inst.node.authors)
    return out


def _witnesses(e_old: Encoder, e_new: Encoder, f, s: SymScenario, q: Question, direction: str, date, n: int,
               limits: Limits):
    solver = make_solver(e_old.ctx, limits)
    for b in e_old.background() + e_new.background() + e_old.well_formed(s) + e_new.well_formed(s):
        solver.add(b)
    solver.add(f if not isinstance(f, bool) else z3.BoolVal(f, e_old.ctx))
    out, readings = [], []
    for _ in range(n):
        r = check(solver)
        if r == z3.unknown:
            return out, readings, True
        if r != z3.sat:
            break
        m = solver.model()
        v = {k: str(m.eval(getattr(s, k), model_completion=True)) for k in ("attacker", "victim", "target", "place")}
        scen = Scenario(event=s.event, date=date, **v)
        # Which readings does this witness need? Those the difference turns on in this scenario alone.
        g = SymScenario(event=s.event, **v)
        fo, fn = e_old.question(q, g).formula, e_new.question(q, g).formula
        fw = AND(fn, NOT(fo)) if direction == "added" else AND(fo, NOT(fn))
        dec = decide(fw, e_old.background() + e_new.background(), e_old.ctx, limits)
        need = []
        if dec.verdict == "contingent":
            need = [f"{h} = {(dec.model_true or {}).get(h)}" for h in dec.hinges]
        out.append(scen.describe() + (f" (under the reading {'; '.join(need)})" if need else ""))
        readings += [x for x in need if x not in readings]
        # The next witness is about another victim: the interesting variety.
        solver.add(s.victim != m.eval(s.victim, model_completion=True))
    return out, readings, False
