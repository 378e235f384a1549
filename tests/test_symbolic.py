"""The symbolic queries against brute force: every conflict witness, replayed as a concrete scenario, is confirmed
by the reference evaluator; on small generated corpora, `prove`'s verdict equals enumeration of every
well-formed scenario and every reading."""

import datetime as dt
import itertools

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from obligations.model import core as C
from obligations.model.load import load_texts
from obligations.query.conflicts import conflicts
from obligations.query.prove import prove_property
from obligations.reference import Evaluator, NeedTerm, _consistent
from obligations.scenario import Question, Scenario
from obligations.smt.decision import Limits
from obligations.smt.search import holders
from obligations.source import Span
from obligations.syntax.format import format_file
from obligations.testing import files
from obligations.vocab import TARGETS, Deontic, Event, Role, entails
from scale import examples

SPAN = Span.point("<test>")


def _corpus(f):
    loaded = load_texts({"gen.treaty": format_file(f)})
    assert loaded.ok, [d.short() for d in loaded.diagnostics]
    return loaded.corpus


def _interpretations(corpus, scenario, drafts, fn, limit=4096, within=assume):
    """Every outcome of fn(evaluator) over the readings of the open terms it consults (consistent ones only).
    `within` is told at each step whether the enumeration is still under `limit`: Hypothesis's `assume` by default
    (a generated example too large to enumerate is dropped); a test outside a property passes an assertion."""
    pinned = Evaluator(corpus, scenario, {}, drafts).pinned_sovereigns()
    stack, out, n = [{}], [], 0
    while stack:
        interp = stack.pop()
        n += 1
        within(n < limit)
        if not _consistent(interp, pinned):
            continue
        try:
            out.append(fn(Evaluator(corpus, scenario, interp, drafts)))
        except NeedTerm as e:
            stack += [{**interp, e.key: False}, {**interp, e.key: True}]
    return out


def _scenario(w, date) -> Scenario:
    return Scenario(event=w.event, date=date, attacker=w.attacker, victim=w.victim, target=w.target, place=w.place,
                    actor=w.actor, alliance=w.alliance, seller=w.seller)


def _clause(corpus, cid):
    return next(cl for cl in corpus.clauses if cl.id == cid)


@settings(max_examples=examples(60), deadline=None)
@given(files(), st.sampled_from([dt.date(y, 1, 1) for y in (1955, 1965, 1975, 1985)]))
def test_every_conflict_witness_is_confirmed_by_the_reference_evaluator(f, date):
    corpus = _corpus(f)
    drafts = frozenset(n for n, i in corpus.instruments.items() if i.draft)
    for party in sorted(corpus.states):
        r = conflicts(corpus, party, date, drafts, Limits(timeout_ms=5000), within=True)
        for c in r.conflicts:
            if c.kind == "static":
                continue
            sides = [_clause(corpus, sd.clause) for sd in c.sides]
            if len(c.witnesses) == 2:  # both sides of one war: one clause per scenario
                pairs = list(zip([sides[0], sides[-1]], c.witnesses))
            else:
                pairs = [(cl, c.witnesses[0]) for cl in sides]
            for cl, w in pairs:
                s = _scenario(w, date)
                if not s.event.is_attack:
                    continue
                # A witness describes an event that can happen.
                assert s.attacker != s.victim
                if s.target == "territory":
                    assert s.victim in holders(corpus, s.place, date), (w.text, c.summary)
            outcomes = _interpretations(
                corpus, _scenario(pairs[0][1], date), drafts,
                lambda ev: all(Evaluator(corpus, _scenario(w, date), ev.interp, drafts).applies(cl, party)
                               for cl, w in pairs))
            assert any(outcomes), (c.summary, [w.text for w in c.witnesses])
            if c.verdict == "conflict":
                assert all(outcomes), (c.summary, [w.text for w in c.witnesses])


def _obliged(ev: Evaluator, inst: C.Instrument, party: str, e: C.Expectation) -> bool:
    q = Question(party=party, action=e.action, deontic=e.deontic)
    return any(ev.applies(cl, party) for cl in ev.candidates(q) if cl.instrument == inst.name)


def _bad(ev: Evaluator, inst: C.Instrument, pr: C.Property) -> bool:
    """The property fails in this scenario and reading: its `if` holds and its `expect` does not."""
    if pr.cond is not None and not ev.cond(pr.cond):
        return False
    e, s = pr.expect, ev.s
    if e.mode == "state":
        who = ev.value(e.who)
        return not (who is not None and _obliged(ev, inst, who, e))
    members = [m for m in inst.members_on(s.date)]
    if e.mode == "none":
        return any(_obliged(ev, inst, m, e) for m in members)
    n = sum(1 for m in members if m != s.victim and _obliged(ev, inst, m, e))
    return n < e.count


def _brute(corpus, inst, pr, date, drafts) -> str:
    states = [c for c in sorted(corpus.states) if corpus.state_exists(c, date)]
    areas = sorted(corpus.places) + sorted(corpus.regions)
    some_if, some_bad, all_bad = False, False, False
    for a, v, t in itertools.product(states, states, TARGETS):
        if a == v:
            continue
        for p in areas:
            if t == "territory" and v not in holders(corpus, p, date):
                continue
            s = Scenario(date=date, attacker=a, victim=v, target=t, place=p)
            conds = _interpretations(corpus, s, drafts, lambda ev: pr.cond is None or ev.cond(pr.cond))
            some_if |= any(conds)
            bads = _interpretations(corpus, s, drafts, lambda ev: _bad(ev, inst, pr))
            some_bad |= any(bads)
            all_bad |= bool(bads) and all(bads)
    if not some_if:
        return "vacuous"
    if not some_bad:
        return "holds"
    return "fails" if all_bad else "fails_under_some_readings"


@st.composite
def properties(draw, corpus):
    inst = draw(st.sampled_from(sorted(corpus.instruments.values(), key=lambda i: i.name)))
    victim = C.RoleRef(Role.VICTIM)
    conds = [None, C.IsParty(SPAN, victim, inst.name),
             C.And(SPAN, (C.IsParty(SPAN, victim, inst.name), C.TargetIn(SPAN, (C.Target("territory"),)))),
             C.PlaceIn(SPAN, draw(st.sampled_from(sorted(corpus.regions)))) if corpus.regions else None]
    cond = draw(st.sampled_from(conds))
    action = draw(st.sampled_from(["assist", "act", "consult"]))
    mode = draw(st.sampled_from(["state", "count", "none"]))
    who = None
    if mode == "state":
        who = draw(st.sampled_from([C.StateRef(c) for c in sorted(corpus.states)] + [C.RoleRef(Role.ATTACKER)]))
    e = C.Expectation(mode=mode, span=SPAN, who=who, count=draw(st.integers(1, 2)) if mode == "count" else None,
                      deontic=Deontic.MUST, action=action)
    return inst, C.Property("p", "generated", Event.ARMED_ATTACK, cond, "if", (), e, SPAN)


@settings(max_examples=examples(40), deadline=None)
@given(st.data())
def test_prove_agrees_with_brute_force_over_the_finite_domains(data):
    corpus = _corpus(data.draw(files(max_instruments=2)))
    assume(corpus.instruments and len(corpus.places) + len(corpus.regions) <= 12)
    inst, pr = data.draw(properties(corpus))
    date = data.draw(st.sampled_from([dt.date(1965, 1, 1), dt.date(1985, 1, 1)]))
    drafts = frozenset(n for n, i in corpus.instruments.items() if i.draft)
    got = prove_property(corpus, inst, pr, date, drafts, Limits(timeout_ms=10000)).verdict
    assert got == _brute(corpus, inst, pr, date, drafts)
