"""The public testing API: argument validation, the pytest plugin's fixtures, and verdicts identical to ask."""

import datetime as dt
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis.errors import InvalidArgument

from obligations.api import Engine
from obligations.query.ask import ask
from obligations.testing import questions, scenarios
from scale import examples

WORLD = Path(__file__).parent / "semantics" / "world.treaty"
ENGINE = Engine.load([WORLD], drafts={"draft-pact"})


def test_strategies_validate_their_arguments():
    with pytest.raises(InvalidArgument, match="corpus="):
        scenarios("treaties/").example()
    with pytest.raises(InvalidArgument, match="events="):
        scenarios(ENGINE.corpus, events=("invasion",)).example()
    with pytest.raises(InvalidArgument, match="actions="):
        questions(ENGINE.corpus, actions=("fight",)).example()


@settings(max_examples=examples(1000))
@given(scenarios(ENGINE.corpus), questions(ENGINE.corpus))
def test_engine_verdict_is_asks_verdict(s, q):
    assert ENGINE.verdict(s, q) == ask(ENGINE.corpus, s, q, ENGINE.drafts, explain=False).verdict


def test_fixture_loads_a_corpus(obligations_load):
    corpus = obligations_load([WORLD])
    assert "pact" in corpus.instruments


def test_engine_rejects_unknown_drafts():
    with pytest.raises(ValueError, match="nope"):
        Engine(ENGINE.corpus, drafts={"nope"})


def test_engine_ask_validates_identifiers():
    from obligations.query.ask import QueryError
    from obligations.scenario import Question, Scenario

    with pytest.raises(QueryError, match="AAA"):
        ENGINE.ask(Scenario(date=dt.date(1965, 1, 1), victim="AAB", place="a-home", target="territory"), Question(party="BBB", action="assist"))
