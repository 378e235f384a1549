"""`eligible`: could a state join an instrument? Its accession criteria, one by one.

Each `criterion` of the instrument is decided with `actor` the candidate and `alliance` the instrument: met,
not met, or depends (naming the open terms). The conflicts that joining would create are found by asking
`conflicts` of a corpus in which the candidate has joined, less those it already has.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from obligations import explain as X
from obligations.model.core import Corpus, Interval, Membership
from obligations.query.conflicts import conflicts
from obligations.reference import Evaluator
from obligations.results import CriterionOut, EligibleResult
from obligations.scenario import Scenario
from obligations.smt.encode import Encoder, SymScenario
from obligations.smt.solver import Limits, decide
from obligations.vocab import Event

_V = {"valid": "met", "unsat": "not_met", "contingent": "depends", "unknown": "unknown"}


def with_member(c: Corpus, instrument: str, state: str, date: dt.date | None) -> Corpus:
    """The corpus with `state` a party of `instrument` from `date` (always, if None): a hypothetical accession."""
    out = c.copy()
    inst = c.instruments[instrument]
    m = Membership(state, Interval(date, None), "hypothetical accession", inst.span, supposed=True)
    out.instruments[instrument] = dataclasses.replace(inst, memberships=inst.memberships + (m,))
    return out


def eligible(corpus: Corpus, candidate: str, instrument: str, date: dt.date, drafts: frozenset[str] = frozenset(),
             limits: Limits = Limits()) -> EligibleResult:
    """Each accession criterion of `instrument` for `candidate` on `date`, and the conflicts joining would create."""
    inst = corpus.instruments[instrument]
    if inst.draft:
        drafts = drafts | {instrument}
    enc = Encoder(corpus, date, drafts)
    s = SymScenario(event=Event.JOIN, actor=candidate, alliance=instrument)
    scenario = Scenario(event="join", date=date, actor=candidate, alliance=instrument)
    out: list[CriterionOut] = []
    for crit in inst.criteria:
        f = enc.cond(crit.cond, s)
        dec = decide(f, enc.background(), enc.ctx, limits)
        verdict = _V[dec.verdict]
        model = dec.model_true if verdict != "not_met" else dec.model_false
        # An open criterion is explained with its open terms left open ("may or may not be").
        ev = (Evaluator(corpus, scenario, {}, drafts) if verdict == "depends"
              else Evaluator(corpus, scenario, dict(model or {}), drafts, default=False))
        reasons = [r.strip() for r in X.why(ev, crit.cond)]
        hinges = []
        for key in dec.hinges:
            ot = enc.opens.get(key)
            h = X.hinge(corpus, ot.term, ot.args) if ot is not None else None
            hinges.append(f"{key}: {h.question}" if h else key)
        out.append(CriterionOut(name=crit.name, title=crit.title, article=crit.article, verdict=verdict, reasons=reasons, hinges=hinges))
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
    arts = {c.article for c in inst.criteria}
    procedure = [n for a in inst.articles if a.ref in arts for n in a.notes]
    if not inst.criteria:
        procedure.insert(0, f"{instrument} states no accession criteria in the corpus: admission is for its parties to decide")
    if candidate in inst.members_on(date):
        procedure.insert(0, f"{candidate} is already a party of {instrument} on {date}")
        overall = "already_party"
    before = {c.summary for c in conflicts(corpus, candidate, date, drafts, limits).conflicts}
    after = conflicts(with_member(corpus, instrument, candidate, date), candidate, date, drafts, limits).conflicts
    new = [c for c in after if c.summary not in before]
    return EligibleResult(candidate=candidate, instrument=instrument, date=date, verdict=overall, criteria=out,
                          conflicts=new, procedure=procedure)
