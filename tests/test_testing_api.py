"""The public testing API: argument validation, the pytest plugin's fixtures, and verdicts identical to ask."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from obligations.api import Engine
from obligations.query.ask import ask
from obligations.testing import asks, questions, scenarios
from scale import examples

WORLD = Path(__file__).parent / "semantics" / "world.treaty"


@pytest.fixture(scope="module")
def engine():
    return Engine.load([WORLD], drafts={"draft-pact"})


def test_strategies_validate_their_arguments(engine):
    with pytest.raises(InvalidArgument, match="corpus="):
        scenarios("treaties/").example()
    with pytest.raises(InvalidArgument, match="events="):
        scenarios(engine.corpus, events=("invasion",)).example()
    with pytest.raises(InvalidArgument, match="actions="):
        questions(engine.corpus, actions=("fight",)).example()


def test_engine_verdict_is_asks_verdict(engine):
    @settings(max_examples=examples(1000))
    @given(asks(engine.corpus))
    def run(case):
        s, q = case
        assert engine.verdict(s, q) == ask(engine.corpus, s, q, engine.drafts, explain=False).verdict

    run()


def test_fixture_loads_a_corpus(obligations_load):
    corpus = obligations_load([WORLD])
    assert "pact" in corpus.instruments


def test_engine_rejects_unknown_drafts(engine):
    with pytest.raises(ValueError, match="nope"):
        Engine(engine.corpus, drafts={"nope"})


def test_engine_ask_validates_identifiers(engine):
    from obligations.errors import UnknownName
    from obligations.scenario import Question, Scenario

    with pytest.raises(UnknownName, match="AAA"):
        engine.ask(Scenario(date=dt.date(1965, 1, 1), victim="AAB", place="a-home", target="territory"), Question(party="BBB", action="assist"))
