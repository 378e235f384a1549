"""`eligible`: could a state join an instrument? Its accession criteria, one by one.

Each `criterion` of the instrument is decided with `actor` the candidate and
`alliance` the instrument: met, not met, or depends (naming the open terms).
The conflicts that joining would create are found by asking `conflicts` of a
corpus in which the candidate has joined, less those it already has.
"""

from __future__ import annotations

import copy
import datetime as dt

from obligations.explain import describe_term, why
from obligations.model.corpus import Corpus, Interval, Membership
from obligations.query.conflicts import conflicts
from obligations.query.results import CriterionOut, EligibleResult
from obligations.reference import Evaluator
from obligations.scenario import Scenario
from obligations.smt.encode import Encoder, SymScenario
from obligations.smt.solver import Limits, decide
from obligations.syntax import ast as A

_V = {"valid": "met", "unsat": "not_met", "contingent": "depends", "unknown": "unknown"}


def with_member(c: Corpus, instrument: str, state: str, date: dt.date | None) -> Corpus:
    """The corpus with `state` a party of `instrument` from `date` (always, if None): a hypothetical accession."""
    out = copy.copy(c)
    out.instruments = dict(c.instruments)
    inst = copy.copy(c.instruments[instrument])
    inst.memberships = list(inst.memberships) + [Membership(state, Interval(date, None), "hypothetical accession", inst.node.span)]
    out.instruments[instrument] = inst
    return out


def eligible(corpus: Corpus, candidate: str, instrument: str, date: dt.date, drafts: frozenset[str] = frozenset(),
             limits: Limits = Limits()) -> EligibleResult:
    inst = corpus.instruments[instrument]
    if inst.draft:
        drafts = drafts | {instrument}
    enc = Encoder(corpus, date, drafts)
    s = SymScenario(event="join", actor=candidate, alliance=instrument)
    scenario = Scenario(event="join", date=date, actor=candidate, alliance=instrument)
    out: list[CriterionOut] = []
    for art, crit in inst.criteria:
        f = enc.cond(crit.cond, inst, s)
        dec = decide(f, enc.background(), enc.ctx, limits)
        verdict = _V[dec.verdict]
        model = dec.model_true if verdict != "not_met" else dec.model_false
        # An open criterion is explained with its open terms left open ("may or may not be").
        ev = (Evaluator(corpus, scenario, {}, drafts) if verdict == "depends"
              else Evaluator(corpus, scenario, dict(model or {}), drafts, default=False))
        reasons = [r.strip() for r in why(ev, crit.cond, inst)]
        hinges = [f"{h.term}: {h.question}" for h in (describe_term(corpus, k) for k in dec.hinges)]
        out.append(CriterionOut(name=crit.name, title=crit.title, article=art, verdict=verdict, reasons=reasons, hinges=hinges))
    verdicts = {c.verdict for c in out}
    if not out:
        overall = "depends"  # no criteria stated: admission is the parties' decision
    elif "not_met" in verdicts:
        overall = "not_eligible"
    elif "unknown" in verdicts:
        overall = "unknown"
    elif "depends" in verdicts:
        overall = "depends"
    else:
        overall = "eligible"
    procedure = [it.text for a in inst.node.articles if any(c is x for _, c in inst.criteria for x in a.items)
                 for it in a.items if isinstance(it, A.Note)]
    if not inst.criteria:
        procedure.insert(0, f"{instrument} states no accession criteria in the corpus: admission is for its parties to decide")
    if candidate in inst.members_on(date):
        procedure.insert(0, f"{candidate} is already a party of {instrument} on {date}")
    before = {c.summary for c in conflicts(corpus, candidate, date, drafts, limits).conflicts}
    after = conflicts(with_member(corpus, instrument, candidate, date), candidate, date, drafts, limits).conflicts
    new = [c for c in after if c.summary not in before]
    return EligibleResult(candidate=candidate, instrument=instrument, date=str(date), verdict=overall, criteria=out,
                          conflicts=new, procedure=procedure)
