"""`prove`: properties of a draft, proved over every scenario and reading, or refuted with a counterexample.

A property quantifies over every well-formed scenario of one kind of event (every attacker, victim, place and
kind of target the corpus knows, as smt/search.py defines "well formed") on the dates it names, and over every
reading of the open terms. It holds when Z3 finds no scenario and reading that satisfies its `if` and not its
`expect`. It is vacuous when no scenario satisfies its `if` at all: a proof about nothing is reported as such,
never as `holds`. Otherwise the model is the counterexample, put in words, with the clauses that bear on it;
a counterexample that holds under every reading of the open terms is preferred (`fails`), one that needs a
particular reading is `fails_under_some_readings`.
"""

from __future__ import annotations

import datetime as dt

import z3

from obligations import explain as X
from obligations.model import core as C
from obligations.model.core import Corpus, Instrument
from obligations.query.ask import ask
from obligations.query.conflicts import conflicts
from obligations.results import PropertyResult, ProveResult
from obligations.scenario import Question, Scenario
from obligations.smt.encode import AND, NOT, OR, Encoder, SymScenario
from obligations.smt.search import Search, concrete
from obligations.smt.solver import Limits, decide
from obligations.vocab import Event


def _obliged(enc: Encoder, party: str, e: C.Expectation, s: SymScenario, only: str):
    # A property speaks of what its own instrument obliges, not of the rest of the corpus.
    q = Question(party=party, action=e.action, deontic=e.deontic)
    return enc.question(q, s, only=only).formula


def expectation_formula(enc: Encoder, inst: Instrument, e: C.Expectation, s: SymScenario):
    parties = enc.members(inst)
    if e.mode == "state":
        who = s.value(e.who)
        if isinstance(who, str) or who is None:
            return _obliged(enc, who, e, s, inst.name) if who else False
        return OR(*[AND(enc.eq("State", who, x), _obliged(enc, x, e, s, inst.name)) for x in sorted(enc.c.states)])
    if e.mode == "none":
        return AND(*[NOT(_obliged(enc, x, e, s, inst.name)) for x in parties])
    # at-least N parties other than the victim
    terms = []
    for x in parties:
        f = AND(_obliged(enc, x, e, s, inst.name), NOT(enc.same("State", s.victim, x)) if Event(s.event).is_attack else True)
        terms.append(z3.BoolVal(f, enc.ctx) if isinstance(f, bool) else f)
    if len(terms) < (e.count or 0):
        return False
    return z3.AtLeast(*terms, e.count) if terms else (e.count or 0) <= 0


def prove_property(corpus: Corpus, inst: Instrument, pr: C.Property, date: dt.date, drafts: frozenset[str],
                   limits: Limits) -> PropertyResult:
    base = dict(instrument=inst.name, name=pr.name, statement=pr.statement, location=str(pr.span), date=date,
                condition=pr.cond_text, expectation=pr.expect.text if pr.expect else "")
    e = pr.expect
    if e is None:
        return PropertyResult(verdict="unknown", why=["the property has no `expect`"], **base)
    if e.mode == "no_conflicts":
        found = []
        for party in inst.members_on(date):
            r = conflicts(corpus, party, date, drafts, limits)
            found += [f"{party}: {c.summary} — {c.witnesses[0].text}" for c in r.conflicts if c.witnesses]
            if r.unknown:
                return PropertyResult(verdict="unknown", why=r.unknown, **base)
        if not found:
            return PropertyResult(verdict="holds", **base)
        return PropertyResult(verdict="fails", why=found, **base)
    enc = Encoder(corpus, date, drafts)
    search = Search(enc, limits)
    s = search.scenario(pr.event or Event.ARMED_ATTACK)
    base["scenarios"] = scenario_count(enc, Event(s.event))
    cond = enc.cond(pr.cond, s) if pr.cond is not None else True
    # Vacuous: no well-formed scenario satisfies the `if`, under any reading.
    if search.find(cond, [s]).status == "unsat":
        return PropertyResult(verdict="vacuous", why=[
            f"no scenario on {date} satisfies the property's `if`"
            + (f" ({pr.cond_text})" if pr.cond_text else "") + ": it proves nothing; check the condition and the parties"],
            **base)
    exp = expectation_formula(enc, inst, e, s)
    bad = AND(cond, NOT(exp))
    found = search.find(bad, [s])
    if found.status == "unsat":
        return PropertyResult(verdict="holds", **base)
    if found.status == "unknown":
        return PropertyResult(verdict="unknown", why=["the solver's limit was reached (raise it with --timeout)"], **base)
    g = found.values[0]
    scen = Scenario(event=s.event, date=date, **{k: g[k] for k in _fields_of(s.event)})
    readings = []
    if not found.every_reading:
        # The readings the counterexample needs: the terms its formula turns on in this scenario alone.
        gs = concrete(s, g)
        bad2 = AND(enc.cond(pr.cond, gs) if pr.cond is not None else True, NOT(expectation_formula(enc, inst, e, gs)))
        dec = decide(bad2, enc.background(), enc.ctx, limits)
        for key in dec.hinges:
            ot = enc.opens.get(key)
            if ot is not None and dec.model_true is not None and key in dec.model_true:
                readings.append(X.reading_text(corpus, ot.term, ot.args, dec.model_true[key]))
    verdict = "fails" if found.every_reading else "fails_under_some_readings"
    return PropertyResult(verdict=verdict, counterexample=X.witness(s.event, date, g, readings or None), readings=readings,
                          why=_why(corpus, scen, inst, e, drafts, limits), **base)


def scenario_count(enc: Encoder, event: Event) -> int:
    """How many well-formed scenarios of `event` there are on the encoder's date (smt/search.py's definition):
    what a proof ranges over, each under every reading of the open terms."""
    from obligations.smt.search import holders

    states = enc.existing()
    if event.is_attack:
        n_places = len(enc.sort("Place")[1])
        held: dict[str, int] = {}
        for p in enc.c.places:
            for v in holders(enc.c, p, enc.d):
                held[v] = held.get(v, 0) + 1
        # every other existing state as attacker; territory where the victim holds or claims it, forces, vessels
        # and aircraft anywhere
        return sum((len(states) - 1) * (held.get(v, 0) + 3 * n_places) for v in states)
    if event is Event.JOIN:
        return len(states) * len(enc.sort("Inst")[1])
    return len(states) * (len(states) - 1)


def _fields_of(event) -> tuple[str, ...]:
    e = Event(event)
    if e.is_attack:
        return ("attacker", "victim", "target", "place")
    if e is Event.JOIN:
        return ("actor", "alliance")
    return ("actor", "seller")


def _why(corpus, scen: Scenario, inst: Instrument, e: C.Expectation, drafts, limits) -> list[str]:
    """The answers behind a counterexample: for each party concerned, what `ask` says and why."""
    if e.mode == "state":
        who = [scen.role(str(e.who))]
    else:
        who = [p for p in inst.members_on(scen.date) if p != scen.victim]
    out = []
    for p in who:
        if p is None:
            continue
        r = ask(corpus, scen, Question(party=p, action=e.action, deontic=e.deontic), drafts, limits)
        mine = [g for g in r.grounds if g.instrument == inst.name]
        if not mine:
            continue
        g = mine[0]
        state = {"applies": "obliged", "may_apply": "may be obliged", "does_not_apply": "not obliged"}[g.status]
        why = f": {g.failure.reason}" if g.failure else ""
        out.append(f"{p} {state} to {e.action} under {inst.name} Art. {g.article}{why}")
    return out


def prove(corpus: Corpus, date: dt.date, drafts: frozenset[str], limits: Limits = Limits(),
          instruments: set[str] | None = None) -> ProveResult:
    """Every property of `instruments` (all, by default), on the dates each names (else `date`)."""
    results = []
    for inst in corpus.instruments.values():
        if instruments is not None and inst.name not in instruments:
            continue
        for pr in inst.properties:
            for d in (pr.dates or [date]):
                ds = drafts | ({inst.name} if inst.draft else set())
                results.append(prove_property(corpus, inst, pr, d, frozenset(ds), limits))
    scope = (f"every attacker, victim and place among the corpus's {len(corpus.states)} states, {len(corpus.places)} places "
             f"and {len(corpus.regions)} regions, every kind of target, every reading of the open terms, only attacks "
             f"that can happen, on the dates shown; each property speaks of what its own instrument obliges")
    return ProveResult(results=results, scope=scope)
