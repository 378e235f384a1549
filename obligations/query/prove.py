"""`prove`: properties of a draft, proved over every scenario and reading, or refuted with a counterexample.

A property quantifies over every scenario of one kind of event (every
attacker, victim, place and kind of target the corpus knows) on the dates it
names, and over every reading of the open terms. It holds when Z3 finds no
scenario and reading that satisfies its `if` and not its `expect`; otherwise
the model is the counterexample, put in words, with the clauses that bear on it.
"""

from __future__ import annotations

import datetime as dt
from typing import Literal

import z3

from obligations.explain import describe_term
from obligations.model.corpus import Corpus, Instrument
from obligations.query.ask import ask
from obligations.query.conflicts import conflicts
from obligations.query.results import _M
from obligations.scenario import Question, Scenario
from obligations.smt.encode import AND, NOT, OR, Encoder, SymScenario
from obligations.smt.solver import Limits, check, decide, make_solver
from obligations.syntax import ast as A
from obligations.syntax.format import cond_text, expectation_text


class PropertyResult(_M):
    instrument: str
    name: str
    statement: str
    location: str
    date: str
    verdict: Literal["holds", "fails", "fails_under_some_readings", "unknown"]
    condition: str | None = None
    expectation: str
    counterexample: str | None = None
    readings: list[str] = []
    why: list[str] = []


class ProveResult(_M):
    results: list[PropertyResult]
    scope: str


def _sym(enc: Encoder, event: str) -> SymScenario:
    return SymScenario(event=event, attacker=enc.const("State", "attacker"), victim=enc.const("State", "victim"),
                       target=enc.const("Target", "target"), place=enc.const("Place", "place"),
                       actor=enc.const("State", "actor"), alliance=enc.const("Inst", "alliance"), seller=enc.const("State", "seller"))


def _obliged(enc: Encoder, party: str, e: A.Expectation, s: SymScenario, only: str):
    # A property speaks of what its own instrument obliges, not of the rest of the corpus.
    q = Question(party=party, action=e.action.name, deontic=e.deontic)
    return enc.question(q, s, only=only).formula


def expectation_formula(enc: Encoder, inst: Instrument, e: A.Expectation, s: SymScenario):
    parties = inst.members_on(enc.d)
    if e.mode == "state":
        who = s.role(e.who)
        if isinstance(who, str) or who is None:
            return _obliged(enc, who, e, s, inst.name) if who else False
        return OR(*[AND(enc.eq("State", who, x), _obliged(enc, x, e, s, inst.name)) for x in sorted(enc.c.states)])
    if e.mode == "none":
        return AND(*[NOT(_obliged(enc, x, e, s, inst.name)) for x in parties])
    # at-least N parties other than the victim
    terms = []
    for x in parties:
        f = AND(_obliged(enc, x, e, s, inst.name), NOT(enc.same("State", s.victim, x)) if s.event in ("armed-attack", "threat") else True)
        terms.append(z3.BoolVal(f, enc.ctx) if isinstance(f, bool) else f)
    if len(terms) < (e.count or 0):
        return False
    return z3.AtLeast(*terms, e.count) if terms else (e.count or 0) <= 0


def _value(m, x) -> str | None:
    if m is None or not isinstance(x, z3.ExprRef):
        return x
    return str(m.eval(x, model_completion=True))


def prove_property(corpus: Corpus, inst: Instrument, pr: A.Property, date: dt.date, drafts: frozenset[str],
                   limits: Limits) -> PropertyResult:
    base = dict(instrument=inst.name, name=pr.name, statement=pr.statement, location=str(pr.span), date=str(date),
                condition=cond_text(pr.cond) if pr.cond is not None else None,
                expectation=expectation_text(pr.expect) if pr.expect else "")
    e = pr.expect
    if e is None:
        return PropertyResult(verdict="unknown", why=["the property has no `expect`"], **base)
    if e.mode == "no_conflicts":
        found = []
        for party in inst.members_on(date):
            r = conflicts(corpus, party, date, drafts, limits)
            found += [f"{party}: {c.summary} — {c.witness}" for c in r.conflicts]
            if r.unknown:
                return PropertyResult(verdict="unknown", why=r.unknown, **base)
        if not found:
            return PropertyResult(verdict="holds", **base)
        return PropertyResult(verdict="fails", counterexample=found[0], why=found, **base)
    enc = Encoder(corpus, date, drafts)
    s = _sym(enc, pr.event or "armed-attack")
    cond = enc.cond(pr.cond, inst, s) if pr.cond is not None else True
    exp = expectation_formula(enc, inst, e, s)
    bad = AND(cond, NOT(exp))
    if bad is False:
        return PropertyResult(verdict="holds", **base)
    solver = make_solver(enc.ctx, limits)
    for b in enc.background() + enc.well_formed(s):
        solver.add(b)
    r = check(solver, bad if not isinstance(bad, bool) else z3.BoolVal(bad, enc.ctx))
    if r == z3.unsat:
        return PropertyResult(verdict="holds", **base)
    if r == z3.unknown:
        return PropertyResult(verdict="unknown", why=["the solver's limit was reached (raise it with --timeout)"], **base)
    m = solver.model()
    g = {k: _value(m, getattr(s, k)) for k in ("attacker", "victim", "target", "place", "actor", "alliance", "seller")}
    event = s.event
    if event in ("armed-attack", "threat"):
        scen = Scenario(event=event, date=date, attacker=g["attacker"], victim=g["victim"], target=g["target"], place=g["place"])
    elif event == "join":
        scen = Scenario(event=event, date=date, actor=g["actor"], alliance=g["alliance"])
    else:
        scen = Scenario(event=event, date=date, actor=g["actor"], seller=g["seller"])
    # Does the counterexample need a particular reading of the open terms?
    s2 = SymScenario(event=event, **{k: getattr(scen, k) for k in ("attacker", "victim", "target", "place", "actor", "alliance", "seller")})
    enc2 = Encoder(corpus, date, drafts)
    bad2 = AND(enc2.cond(pr.cond, inst, s2) if pr.cond is not None else True, NOT(expectation_formula(enc2, inst, e, s2)))
    dec = decide(bad2, enc2.background(), enc2.ctx, limits)
    verdict = "fails" if dec.verdict == "valid" else "fails_under_some_readings"
    readings = []
    if verdict != "fails":
        for key in dec.hinges:
            h = describe_term(corpus, key)
            readings.append(f"{key} = {(dec.model_true or {}).get(key)}: {h.question}")
    why = _why(corpus, scen, inst, e, drafts, limits)
    return PropertyResult(verdict=verdict, counterexample=scen.describe(), readings=readings, why=why, **base)


def _why(corpus, scen: Scenario, inst: Instrument, e: A.Expectation, drafts, limits) -> list[str]:
    """The answers behind a counterexample: for each party concerned, what `ask` says and why."""
    who = []
    if e.mode == "state":
        who = [scen.role(e.who)]
    else:
        who = [p for p in inst.members_on(scen.date) if p != scen.victim]
    out = []
    for p in who:
        if p is None:
            continue
        r = ask(corpus, scen, Question(party=p, action=e.action.name, deontic=e.deontic), drafts, limits)
        mine = [g for g in r.grounds if g.instrument == inst.name]
        if not mine:
            continue
        g = mine[0]
        state = {"applies": "obliged", "may_apply": "may be obliged", "does_not_apply": "not obliged"}[g.status]
        why = f": {g.failure.reason}" if g.failure else ""
        out.append(f"{p} {state} to {e.action.name} under {inst.name} Art. {g.article}{why}")
    return out


def prove(corpus: Corpus, date: dt.date, drafts: frozenset[str], limits: Limits = Limits(),
          instruments: set[str] | None = None) -> ProveResult:
    results = []
    for inst in corpus.instruments.values():
        if instruments is not None and inst.name not in instruments:
            continue
        for pr in inst.node.properties:
            for d in (pr.dates or [date]):
                ds = drafts | ({inst.name} if inst.draft else set())
                results.append(prove_property(corpus, inst, pr, d, frozenset(ds), limits))
    scope = (f"every attacker, victim and place among the corpus's {len(corpus.states)} states and {len(corpus.places)} places, "
             f"every kind of target, every reading of the open terms, on the dates shown")
    return ProveResult(results=results, scope=scope)
