"""Hypothesis strategies for scenarios and questions over a given corpus."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

from obligations.model.core import Corpus
from obligations.scenario import Question, Scenario
from obligations.vocab import ACTIONS, TARGETS


def _dates(corpus: Corpus) -> st.SearchStrategy[dt.date]:
    """Dates where something changes, and the days around them: where verdicts flip."""
    marks: set[dt.date] = {dt.date(1950, 6, 25), dt.date(1965, 6, 1), dt.date(1985, 1, 1), dt.date(2025, 6, 1)}
    for inst in corpus.instruments.values():
        marks.update(d for d in (inst.signed, inst.entry_into_force, inst.terminated) if d)
        for m in inst.memberships + inst.designations:
            marks.update(d for d in (m.interval.start, m.interval.end) if d)
        for s in inst.suspensions:
            marks.update(d for d in (s.interval.start, s.interval.end) if d)
    for p in corpus.places.values():
        for h in p.administered_by + p.territory_of:
            marks.update(d for d in (h.interval.start, h.interval.end) if d)
    around = sorted({m + dt.timedelta(days=k) for m in marks for k in (-1, 0, 1) if dt.date(1, 1, 2) <= m <= dt.date(9998, 1, 1)})
    later = [d for d in around if d >= max(around) - dt.timedelta(days=1)] if around else []
    # Half the draws land after every change, when most instruments are in force.
    return st.one_of(st.sampled_from(around), st.sampled_from(later or around))


def _check_corpus(corpus, fn: str) -> None:
    from hypothesis.errors import InvalidArgument

    if not isinstance(corpus, Corpus):
        raise InvalidArgument(f"{fn}(corpus={corpus!r}): expected an obligations Corpus "
                              f"(e.g. Engine.load(...).corpus or the obligations_corpus fixture), got {type(corpus).__name__}")
    if not corpus.states:
        raise InvalidArgument(f"{fn}(corpus=...): the corpus declares no states, so no scenario can be drawn")


def scenarios(corpus: Corpus, events=("armed-attack", "threat", "join")) -> st.SearchStrategy[Scenario]:
    """Concrete scenarios that name only what `corpus` declares and that can happen: attacks (every attacker,
    victim, target and place, the victim's territory only where it holds or claims territory), threats,
    joinings, on dates around every change in the corpus, by states that exist on the date."""
    from hypothesis.errors import InvalidArgument

    from obligations.vocab import EVENTS

    _check_corpus(corpus, "scenarios")
    bad = [e for e in events if e not in EVENTS]
    if bad or not events:
        raise InvalidArgument(f"scenarios(events={events!r}): each event must be one of {', '.join(EVENTS)}")
    if "join" in events and not corpus.instruments:
        raise InvalidArgument("scenarios(events=...): 'join' needs a corpus with at least one instrument")
    return _scenarios(corpus, tuple(events))


@st.composite
def _scenarios(draw, corpus: Corpus, events) -> Scenario:
    from obligations.smt.search import holders

    event = draw(st.sampled_from(events))
    date = draw(_dates(corpus))
    states = sorted(c for c in corpus.states if corpus.state_exists(c, date)) or sorted(corpus.states)
    if event in ("armed-attack", "threat"):
        members = sorted({m.state for i in corpus.instruments.values() for m in i.memberships} & set(states)) or states
        # Attacks on members are where obligations live: ask about them most of the time.
        victim = draw(st.sampled_from(members)) if draw(st.integers(0, 3)) else draw(st.sampled_from(states))
        attacker = draw(st.sampled_from([x for x in states if x != victim] or states))
        # Only scenarios that can happen: the victim's territory is attacked where it holds or claims territory;
        # forces, vessels and aircraft anywhere, a sea or region included.
        held = sorted(p for p in corpus.places if victim in holders(corpus, p, date))
        targets = TARGETS if held else tuple(t for t in TARGETS if t != "territory")
        target = draw(st.sampled_from(targets))
        areas = sorted(corpus.places) + sorted(corpus.regions)
        place = draw(st.sampled_from(held)) if target == "territory" else (draw(st.sampled_from(areas)) if areas else None)
        return Scenario(event=event, date=date, attacker=attacker, victim=victim, target=target, place=place)
    if event == "join":
        return Scenario(event=event, date=date, actor=draw(st.sampled_from(states)),
                        alliance=draw(st.sampled_from(sorted(corpus.instruments))))
    actor = draw(st.sampled_from(states))
    return Scenario(event=event, date=date, actor=actor, seller=draw(st.sampled_from([x for x in states if x != actor] or states)))


def questions(corpus: Corpus, actions=ACTIONS) -> st.SearchStrategy[Question]:
    """Questions; half the time about a clause the corpus has, asked of one of its parties."""
    from hypothesis.errors import InvalidArgument

    _check_corpus(corpus, "questions")
    bad = [a for a in actions if a not in ACTIONS]
    if bad or not actions:
        raise InvalidArgument(f"questions(actions={actions!r}): unknown action(s) {bad}; one of {', '.join(ACTIONS)}")
    return _questions(corpus, tuple(actions))


@st.composite
def _questions(draw, corpus: Corpus, actions) -> Question:
    from obligations.vocab import ENTAILS

    if corpus.clauses and draw(st.booleans()):
        cl = draw(st.sampled_from(corpus.clauses))
        inst = corpus.instruments[cl.instrument]
        bound = inst.bound_states() or sorted(corpus.states)
        asked = sorted(ENTAILS.get(cl.action, {cl.action}))
        return Question(party=draw(st.sampled_from(bound)), action=draw(st.sampled_from(asked)), deontic=cl.deontic)
    return Question(party=draw(st.sampled_from(sorted(corpus.states))), action=draw(st.sampled_from(actions)),
                    deontic=draw(st.sampled_from(["must", "must", "must not", "may"])))


def asks(corpus: Corpus, events=("armed-attack", "threat", "join"), actions=ACTIONS) -> st.SearchStrategy[tuple[Scenario, Question]]:
    """(scenario, question) pairs that make sense together: the party exists on the scenario's date, and the
    victim of an attack is never asked whether it must assist itself. What `Engine.verdict` accepts."""
    scenarios(corpus, events)
    questions(corpus, actions)  # the arguments are checked as there
    return _asks(corpus, tuple(events), tuple(actions))


@st.composite
def _asks(draw, corpus: Corpus, events, actions) -> tuple[Scenario, Question]:
    s = draw(_scenarios(corpus, events))
    q = draw(_questions(corpus, actions))
    if not corpus.state_exists(q.party, s.date) or (s.victim == q.party and q.action == "assist"):
        alive = sorted(c for c in corpus.states if corpus.state_exists(c, s.date) and not (c == s.victim and q.action == "assist"))
        if not alive:
            from hypothesis import assume

            assume(False)
        q = Question(party=draw(st.sampled_from(alive)), action=q.action, deontic=q.deontic, obj=q.obj)
    return s, q
