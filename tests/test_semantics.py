"""Every verdict kind and every reason a clause fails to apply, on a small world (tests/semantics/world.treaty)."""

import datetime as dt
from pathlib import Path

import pytest
import z3

from obligations.model.load import load_paths
from obligations.query.ask import ask
from obligations.reference import reference_verdict
from obligations.scenario import Question, Scenario
from obligations.smt import solver
from obligations.smt.solver import Limits, decide

WORLD = Path(__file__).parent / "semantics" / "world.treaty"


@pytest.fixture(scope="module")
def corpus():
    loaded = load_paths([WORLD])
    assert loaded.ok, [d.short() for d in loaded.diagnostics]
    return loaded.corpus


def attack(victim, place, date="1965-01-01", attacker="DDD", target="territory", event="armed-attack"):
    return Scenario(event=event, date=dt.date.fromisoformat(date), attacker=attacker, victim=victim, target=target, place=place)


CASES = [
    # (id, scenario, question, drafts, verdict, failure kinds that must be reported, hinge terms)
    ("obliged", attack("AAA", "a-home"), Question(party="BBB", action="assist"), (), "obliged", set(), set()),
    ("act-is-entailed", attack("AAA", "a-home"), Question(party="BBB", action="act"), (), "obliged", set(), set()),
    ("not-yet-in-force", attack("AAA", "a-home", "1950-01-02"), Question(party="BBB", action="assist"), (), "not_obliged", {"not_yet_in_force"}, set()),
    ("terminated", attack("AAA", "a-home", "1995-01-01"), Question(party="BBB", action="assist"), (), "not_obliged", {"terminated"}, set()),
    ("not-yet-party", attack("AAA", "a-home", "1955-01-01"), Question(party="CCC", action="assist"), (), "not_obliged", {"not_yet_party"}, set()),
    ("withdrawn", attack("AAA", "a-home", "1985-01-01"), Question(party="CCC", action="assist"), (), "not_obliged", {"withdrawn"}, set()),
    ("suspended", attack("BBB", "b-home", "1986-01-01"), Question(party="AAA", action="assist"), (), "not_obliged", {"suspended"}, set()),
    ("out-of-area", attack("AAA", "c-home"), Question(party="BBB", action="assist"), (), "not_obliged", {"out_of_area"}, set()),
    ("excluded-region", attack("AAA", "fort"), Question(party="BBB", action="assist"), (), "not_obliged", {"out_of_area"}, set()),
    ("target-not-covered", attack("AAA", "a-home", attacker="EEE", target="armed-forces"), Question(party="BBB", action="assist"), (), "not_obliged", {"target_not_covered"}, set()),
    ("victim-not-covered", attack("DDD", "a-home", attacker="CCC"), Question(party="BBB", action="assist"), (), "not_obliged", {"victim_not_covered"}, set()),
    ("depends-on-region", attack("AAA", "shoal"), Question(party="BBB", action="assist"), (), "depends", set(), {"in(shoal, ocean)"}),
    ("adversary-restriction", attack("AAA", "a-home", attacker="EEE"), Question(party="BBB", action="use-armed-force"), (), "not_obliged", {"adversary_restriction"}, set()),
    ("depends-on-adversary", attack("AAA", "a-home", attacker="CCC"), Question(party="BBB", action="use-armed-force"), (), "depends", set(), {"hostile(CCC)"}),
    ("obliged-against-hostile", attack("AAA", "a-home", attacker="DDD"), Question(party="BBB", action="use-armed-force"), (), "obliged", set(), set()),
    ("exception", attack("AAA", "harbour", attacker="DDD"), Question(party="BBB", action="use-armed-force"), (), "not_obliged", {"exception"}, set()),
    ("depends-on-constitutional-processes", attack("BBB", "b-home", attacker="CCC"), Question(party="DDD", action="assist"), (), "depends", set(), {"release(mutual, DDD)"}),
    ("release-settled-by-fact", attack("BBB", "b-home", attacker="CCC"), Question(party="BBB", action="meet-common-danger"), (), "obliged", set(), set()),
    ("depends-on-sovereignty", attack("BBB", "reef", "1965-01-01", attacker="CCC"), Question(party="BBB", action="assist"), (), "depends", set(), {"sovereign(reef, BBB)"}),
    ("administered-later", attack("BBB", "reef", "1975-01-01", attacker="CCC"), Question(party="BBB", action="assist"), (), "obliged", set(), set()),
    ("draft-inert", attack("AAA", "c-home", attacker="CCC"), Question(party="DDD", action="assist"), (), "not_obliged", {"draft"}, set()),
    ("draft-asked", attack("AAA", "c-home", attacker="CCC"), Question(party="DDD", action="assist"), ("draft-pact",), "obliged", set(), set()),
    ("threat-consult", attack("AAA", "a-home", event="threat"), Question(party="BBB", action="consult"), (), "obliged", set(), set()),
    ("different-event", attack("AAA", "a-home"), Question(party="BBB", action="consult"), (), "not_obliged", {"different_event"}, set()),
    ("forbidden-to-join", Scenario(event="join", date=dt.date(1980, 1, 1), actor="DDD", alliance="pact"),
     Question(party="DDD", action="join-alliance", deontic="must not"), (), "obliged", set(), set()),
    ("free-to-join-a-forum", Scenario(event="join", date=dt.date(1980, 1, 1), actor="DDD", alliance="forum"),
     Question(party="DDD", action="join-alliance", deontic="must not"), (), "not_obliged", {"alliance_not_covered"}, set()),
    ("no-such-obligation", attack("AAA", "a-home", "1980-01-01", attacker="CCC"), Question(party="DDD", action="supply-defense-articles"), (), "not_obliged", set(), set()),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_verdict_and_reason(corpus, case):
    _, scenario, q, drafts, verdict, failures, hinges = case
    r = ask(corpus, scenario, q, frozenset(drafts))
    assert r.verdict == verdict, r.summary
    assert reference_verdict(corpus, scenario, q, frozenset(drafts)) == verdict
    kinds = {g.failure.kind for g in r.grounds if g.failure}
    assert failures <= kinds, (kinds, r.summary)
    assert {h.term for h in r.hinges} == hinges
    for h in r.hinges:
        assert h.when_obliged is not None and h.when_not_obliged is not None and h.when_obliged != h.when_not_obliged
        assert len(h.readings) >= 2
    if verdict == "obliged":
        g = [g for g in r.grounds if g.status == "applies"]
        assert g and all(x.text and x.location.startswith(str(WORLD)) for x in g)


def test_discretionary_means_are_not_armed_force(corpus):
    r = ask(corpus, attack("AAA", "a-home", attacker="EEE"), Question(party="BBB", action="use-armed-force"))
    assert r.verdict == "not_obliged"
    assert any("need not use armed force" in rel.note for rel in r.related)


def test_cooperation_forum_says_it_creates_no_obligation(corpus):
    r = ask(corpus, attack("AAA", "c-home", "1980-01-01", attacker="CCC"), Question(party="DDD", action="assist"))
    assert r.verdict == "not_obliged"
    assert any(rel.instrument == "forum" and "cooperation" in rel.note for rel in r.related)


def test_solver_limit_gives_unknown_never_a_verdict():
    ctx = z3.Context()
    # Pigeonhole: 9 pigeons, 8 holes — hard for a SAT solver, decided in no time.
    n = 9
    p = [[z3.Bool(f"p{i}_{j}", ctx) for j in range(n - 1)] for i in range(n)]
    f = z3.And(*[z3.Or(*row) for row in p], *[z3.Not(z3.And(p[i][j], p[k][j])) for j in range(n - 1) for i in range(n) for k in range(i + 1, n)])
    d = decide(z3.Not(f), [], ctx, Limits(timeout_ms=1))
    assert d.verdict == "unknown" and "time limit" in d.reason


def test_unknown_reaches_the_answer(corpus, monkeypatch):
    monkeypatch.setattr(solver, "check", lambda s, *a: z3.unknown)
    r = ask(corpus, attack("AAA", "shoal"), Question(party="BBB", action="assist"))
    assert r.verdict == "unknown" and r.reason_unknown
