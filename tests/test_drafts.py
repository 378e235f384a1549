"""The bundled and example drafts under thousands of generated scenarios: Engine.verdict agrees with
the brute-force reference evaluator on every one, and with the full `ask` on a sample; the examples'
properties prove (or fail) as the walkthrough says."""

from pathlib import Path

import pytest
from hypothesis import given, settings

from obligations.api import Engine
from obligations.cli import main
from obligations.query.ask import ask
from obligations.reference import reference_verdict
from obligations.testing import asks
from scale import examples

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "drafting"


@pytest.fixture(scope="module")
def draft2():
    return Engine.load(with_=[EXAMPLES / "pato-draft-2.treaty"], drafts={"pato-draft-2"})


@pytest.mark.parametrize("which", ["bundled+pato-draft", "bundled+example-draft-2"])
def test_thousands_of_scenarios_agree_with_the_reference(which, bundled_pato, request):
    engine = bundled_pato if which == "bundled+pato-draft" else request.getfixturevalue("draft2")
    seen = {"obliged": 0, "depends": 0, "not_obliged": 0}

    @settings(max_examples=examples(2000), deadline=None)
    @given(asks(engine.corpus, events=("armed-attack", "threat", "join")))
    def run(case):
        s, q = case
        v = engine.verdict(s, q)
        assert v == reference_verdict(engine.corpus, s, q, engine.drafts), (s, q)
        seen[v] = seen.get(v, 0) + 1

    run()
    assert seen["obliged"] and seen["not_obliged"], seen  # the sample reaches both verdicts


def test_engine_verdict_agrees_with_ask(bundled_pato):
    @settings(max_examples=examples(150), deadline=None)
    @given(asks(bundled_pato.corpus))
    def run(case):
        s, q = case
        assert bundled_pato.verdict(s, q) == ask(bundled_pato.corpus, s, q, bundled_pato.drafts).verdict

    run()


def test_walkthrough_draft_1_fails_with_the_shared_claim_counterexample(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["prove", "examples/drafting/pato-draft-1.treaty", "--on", "2030-01-01", "--json"]) == 1
    import json

    r = {x["name"]: x for x in json.loads(capsys.readouterr().out)["results"]}
    assert r["united-states-backstop"]["verdict"] == "holds"
    assert r["two-helpers"]["verdict"] == "holds"
    bad = r["no-sides-in-members-disputes"]
    assert bad["verdict"] in ("fails", "fails_under_some_readings")
    # The counterexample is two members fighting over a place both claim.
    assert bad["counterexample"]["place"] in ("spratly-islands", "paracel-islands", "scarborough-shoal")
    assert bad["counterexample"]["attacker"] != bad["counterexample"]["victim"]


def test_walkthrough_draft_2_proves(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["prove", "examples/drafting/pato-draft-2.treaty", "--on", "2030-01-01"]) == 0


def test_walkthrough_diff_names_new_members_obligations(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    code = main(["diff", "examples/drafting/pato-draft-1.treaty", "examples/drafting/pato-draft-2.treaty",
                 "--on", "2030-01-01", "--party", "KOR", "--action", "assist", "--json"])
    import json

    r = json.loads(capsys.readouterr().out)
    assert code == 1 and not r["equivalent"]
    assert any(e["direction"] == "added" and e["party"] == "KOR" for e in r["entries"])


def test_identical_drafts_are_proved_equivalent(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(["diff", "examples/drafting/pato-draft-2.treaty", "examples/drafting/pato-draft-2.treaty",
                 "--on", "2030-01-01", "--party", "USA", "--action", "assist"]) == 0
    assert "equivalent" in capsys.readouterr().out
