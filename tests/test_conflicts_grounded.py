"""The grounded conflict search (the default) against the symbolic one, its oracle: on the bundled corpus and on
small generated corpora both report the same conflicts ((kind, clauses) and verdict), and every grounded witness
is well formed and confirmed by the reference evaluator (true under some reading; under every reading when the
verdict is `conflict`)."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pathlib import Path

from obligations.model.load import load_paths
from obligations.query.conflicts import conflicts
from obligations.reference import Evaluator
from obligations.smt.decision import Limits
from obligations.smt.search import holders
from obligations.testing import files
from scale import examples
from test_symbolic import _clause, _corpus, _scenario
from test_symbolic import _interpretations as _symbolic_interpretations

LIMITS = Limits(timeout_ms=10000)
WORLD = Path(__file__).resolve().parent / "semantics" / "world.treaty"


def _bounded(ok: bool) -> None:
    assert ok, "too many readings to enumerate"


def _interpretations(corpus, scenario, drafts, fn):
    # test_symbolic's enumeration, with an assertion for its bound: Hypothesis's `assume` is for property tests.
    return _symbolic_interpretations(corpus, scenario, drafts, fn, within=_bounded)


def _verdicts(r) -> dict:
    out = {}
    for c in r.conflicts:
        key = (c.kind, tuple(sorted(sd.clause for sd in c.sides)))
        assert key not in out, key  # one report per pair
        out[key] = c.verdict
    return out


def _confirm(corpus, party, date, drafts, r) -> None:
    """Every witness describes an attack that can happen and makes its clauses bind under the reported readings."""
    existing = {s for s in corpus.states if corpus.state_exists(s, date)}
    for c in r.conflicts:
        if c.kind == "static":
            continue
        sides = [_clause(corpus, sd.clause) for sd in c.sides]
        if len(c.witnesses) == 2:  # both sides of one war
            w1, w2 = c.witnesses
            assert (w2.attacker, w2.victim) == (w1.victim, w1.attacker), c.summary
            assert party not in (w1.attacker, w1.victim), c.summary
            pairs = list(zip([sides[0], sides[-1]], c.witnesses))
        else:
            pairs = [(cl, c.witnesses[0]) for cl in sides]
        for _, w in pairs:
            s = _scenario(w, date)
            if not s.event.is_attack:
                continue
            assert {s.attacker, s.victim} <= existing and s.attacker != s.victim, w.text
            if s.target == "territory":
                assert s.victim in holders(corpus, s.place, date), w.text
        outcomes = _interpretations(
            corpus, _scenario(pairs[0][1], date), drafts,
            lambda ev: all(Evaluator(corpus, _scenario(w, date), ev.interp, drafts).applies(cl, party) for cl, w in pairs))
        assert any(outcomes), (c.summary, [w.text for w in c.witnesses])
        if c.verdict == "conflict":
            assert all(outcomes), (c.summary, [w.text for w in c.witnesses])


def _same(corpus, party, date, drafts, within=False) -> None:
    g = conflicts(corpus, party, date, drafts, LIMITS, within=within)
    s = conflicts(corpus, party, date, drafts, LIMITS, within=within, method="symbolic")
    assert not g.unknown and not s.unknown
    assert _verdicts(g) == _verdicts(s), party
    _confirm(corpus, party, date, drafts, g)


@pytest.mark.parametrize("party,date", [("USA", "2025-06-01"), ("KOR", "2025-06-01"), ("PHL", "2025-06-01"),
                                        ("GBR", "1960-01-01"), ("PAK", "1960-01-01")])
def test_grounded_equals_symbolic_on_the_bundled_corpus(bundled, party, date):
    _same(bundled.corpus, party, dt.date.fromisoformat(date), bundled.drafts)


def test_grounded_equals_symbolic_with_a_draft(bundled_pato):
    # A draft adds an alliance (and a static conflict for KOR): the joins see more clauses.
    _same(bundled_pato.corpus, "KOR", dt.date(2025, 6, 1), bundled_pato.drafts)


@pytest.mark.parametrize("within", [False, True])
@pytest.mark.parametrize("date", ["1955-01-01", "1965-01-01", "1980-01-01", "1995-01-01"])
def test_grounded_equals_symbolic_on_the_test_world(date, within):
    # The small world of the semantics tests has conflicts that turn on readings (possible_conflict).
    loaded = load_paths([WORLD])
    assert loaded.ok
    corpus = loaded.corpus
    for drafts in (frozenset(), frozenset(n for n, i in corpus.instruments.items() if i.draft)):
        for party in sorted(corpus.states):
            _same(corpus, party, dt.date.fromisoformat(date), drafts, within)


@settings(max_examples=examples(40), deadline=None)
@given(files(), st.sampled_from([dt.date(y, 1, 1) for y in (1955, 1965, 1975, 1985)]), st.booleans())
def test_grounded_equals_symbolic_on_generated_corpora(f, date, within):
    corpus = _corpus(f)
    drafts = frozenset(n for n, i in corpus.instruments.items() if i.draft)
    for party in sorted(corpus.states):
        _same(corpus, party, date, drafts, within)


def test_unknown_method_is_refused(bundled):
    with pytest.raises(ValueError):
        conflicts(bundled.corpus, "USA", dt.date(2025, 6, 1), method="magic")
