"""The Python API checks its arguments as the CLI does, and one Engine may be shared by threads."""

from __future__ import annotations

import datetime as dt
import itertools
import random
import re
import threading
from pathlib import Path

import pytest

import obligations.testing as testing
from obligations.api import Engine, InvalidQuery
from obligations.model.load import load_texts, read_sources
from obligations.errors import UsageError as QueryError
from obligations.scenario import ACTIONS, Question, Scenario

WORLD = Path(__file__).parent / "semantics" / "world.treaty"
# Loaded without the cache: tests never write to the user's cache.
ENGINE = Engine(load_texts(read_sources([WORLD], [])).corpus, drafts={"draft-pact"})
S = Scenario(date=dt.date(1965, 1, 1), attacker="CCC", victim="BBB", target="territory", place="b-home")


@pytest.fixture(scope="module", autouse=True)
def _no_cache():
    """Tests never write to the user's cache (these run the CLI in-process)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OBLIGATIONS_NO_CACHE", "1")
        yield


def test_a_single_path_is_one_path_not_its_characters(tmp_path, monkeypatch):
    """`with_="/path/x.treaty"` walked "/", "p", "a", ... (the whole file system, from "/")."""
    draft = tmp_path / "x.treaty"
    draft.write_text('state ZZZ "Zedland"\n')
    import obligations.fsio as fsio

    seen = []
    real = fsio.treaty_files
    monkeypatch.setattr(fsio, "treaty_files", lambda paths, errors, *rest: seen.append(list(paths)) or real(paths, errors, *rest))
    e = Engine.load([WORLD], with_=str(draft))
    assert "ZZZ" in e.corpus.states
    assert Engine.load(str(WORLD)).corpus.states.keys() == ENGINE.corpus.states.keys()
    assert all(len(str(p)) > 1 for ps in seen for p in ps)


@pytest.mark.parametrize("kw", [dict(with_=b"/etc"), dict(with_=42), dict(paths=[WORLD, 3]), dict(paths={"a": 1})])
def test_what_is_not_a_path_is_a_type_error(kw):
    with pytest.raises(TypeError, match="path"):
        Engine.load(**kw)


def test_limits_must_be_limits():
    with pytest.raises(TypeError, match="Limits"):
        Engine(ENGINE.corpus, limits={"timeout_ms": 0})


def test_one_draft_may_be_named_as_a_string():
    assert Engine(ENGINE.corpus, drafts="draft-pact").drafts == {"draft-pact"}


@pytest.mark.parametrize("scenario,question,closest", [
    (S, Question(party="BBBB", action="assist"), "BBB"),
    (S.replace(place="b-hom"), Question(party="AAA", action="assist"), "b-home"),
    (S, Question(party="AAA", action="asist"), "assist"),
    (S.replace(attacker="CCD"), Question(party="AAA", action="assist"), "CCC"),
    (S, Question(party="AAA", action="assist", obj="BBX"), "BBB"),
])
@pytest.mark.parametrize("method", ["verdict", "ask"])
def test_a_misspelt_name_is_a_value_error_naming_the_closest(method, scenario, question, closest):
    """verdict answered `not_obliged` where ask refused: a typo in a property test passed without testing."""
    with pytest.raises(ValueError, match=f'did you mean "{closest}"') as e:
        getattr(ENGINE, method)(scenario, question)
    assert isinstance(e.value, InvalidQuery) and isinstance(e.value, QueryError)


def test_who_checks_the_action_and_depth():
    with pytest.raises(ValueError, match='did you mean "assist"'):
        ENGINE.who(S, action="asist")
    with pytest.raises(ValueError, match="depth"):
        ENGINE.who(S, depth=99)
    with pytest.raises(ValueError, match='did you mean "b-home"'):
        ENGINE.who(S.replace(place="b-hom"))
    assert ENGINE.who(S, action="assist").entries


def test_wrong_types_are_type_errors():
    with pytest.raises(TypeError, match="Scenario"):
        ENGINE.verdict({"date": "1965-01-01"}, Question(party="AAA", action="assist"))
    with pytest.raises(TypeError, match="Question"):
        ENGINE.verdict(S, ("AAA", "assist"))


def _cases() -> list[tuple[Scenario, Question]]:
    c = ENGINE.corpus
    states = sorted(c.states)
    out = []
    for date, attacker, victim, place in itertools.product(
            (dt.date(1955, 1, 1), dt.date(1965, 1, 1), dt.date(1985, 6, 1), dt.date(1995, 1, 1)), states, states,
            sorted(c.places)):
        if attacker == victim:
            continue
        s = Scenario(date=date, attacker=attacker, victim=victim, target="territory", place=place)
        for party in states:
            q = Question(party=party, action="assist")
            try:  # only questions the engine accepts (existing states, the victim's own territory)
                ENGINE.workspace.question(q, ENGINE.workspace.scenario(s)[0])
            except QueryError:
                continue
            out.append((s, q))
    random.Random(17).shuffle(out)
    return out[:1200]


def test_four_threads_give_the_verdicts_one_thread_gives():
    """Four threads calling verdict on one Engine crashed the process (a Z3 context is not thread-safe)."""
    cases = _cases()
    assert {"depends", "obliged", "not_obliged"} <= {ENGINE.verdict(s, q) for s, q in cases[:400]}
    shared = Engine(ENGINE.corpus, ENGINE.drafts)
    single = [Engine(ENGINE.corpus, ENGINE.drafts).verdict(s, q) for s, q in cases]
    results: dict[int, list] = {}
    errors: list = []

    def work(k: int):
        try:
            order = list(range(len(cases)))
            random.Random(k).shuffle(order)
            got = [None] * len(cases)
            for i in order:
                got[i] = shared.verdict(*cases[i])
                if i % 97 == 0:  # the other entry points, interleaved
                    shared.ask(*cases[i])
                    try:
                        shared.who(cases[i][0], depth=0)
                    except InvalidQuery:  # a state that does not exist on the date: who refuses, like the CLI
                        pass
            results[k] = got
        except BaseException as e:  # noqa: BLE001 (reported below)
            errors.append(e)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(300)
    assert not errors, errors
    assert len(results) == 4
    for k, got in results.items():
        assert got == single, f"thread {k} disagrees"


def test_the_testing_docstring_names_only_what_exists():
    doc = testing.__doc__
    imported = [n.strip() for line in re.findall(r"from obligations\.testing import ([\w, ]+)", doc)
                for n in line.split(",")]
    called = re.findall(r"`(\w+)\(", doc)
    fixtures = re.findall(r"`(obligations_\w+)`", doc)
    assert imported and called and fixtures
    for name in imported + called:
        assert hasattr(testing, name), name
    import obligations.testing.plugin as plugin

    for name in fixtures:
        assert hasattr(plugin, name), name
    for method in re.findall(r"`(verdict|ask|who)`", doc):
        assert hasattr(testing.Engine, method)
