"""Every limit has a test that hits it: a clear error or `unknown`, and nothing else lost."""

import datetime as dt
import os
from pathlib import Path

import pytest
import z3

from obligations.cli import main
from obligations.model.load import load_paths
from obligations.query.who import who
from obligations.scenario import Scenario
from obligations.smt import solver
from obligations.smt.solver import Limits

WORLD = Path(__file__).parent / "semantics" / "world.treaty"


@pytest.fixture(scope="module")
def corpus():
    return load_paths([WORLD]).corpus


def test_a_timeout_in_one_answer_leaves_the_others(corpus, monkeypatch):
    """who asks per state: one decision that hits the solver limit is `unknown`; the rest still come back."""
    real = solver.check

    def flaky(s, *assumptions):
        if any("release(mutual, DDD)" in str(a) for a in assumptions):
            return z3.unknown
        return real(s, *assumptions)

    monkeypatch.setattr(solver, "check", flaky)
    # A lone open term, or a small formula, is decided without a solver (solver.decide, verdict_by_table): make
    # DDD's go to the solver, as a larger formula would, so that the limit is hit.
    import obligations.query.who as who_module

    real_decide = solver.decide
    monkeypatch.setattr(who_module, "verdict_by_table", lambda f, *a, **k: None)
    monkeypatch.setattr(who_module, "decide", lambda f, *a, **k: real_decide(
        z3.And(f, f) if "release(mutual, DDD)" in str(f) else f, *a, **k))
    s = Scenario(date=dt.date(1965, 1, 1), attacker="CCC", victim="BBB", target="territory", place="b-home")
    r = who(corpus, s, "assist", limits=Limits(timeout_ms=50), include_negative=True)
    by = {e.party: e.verdict for e in r.entries}
    assert by["DDD"] == "unknown"
    assert by["AAA"] == "obliged"
    assert by["CCC"] == "not_obliged"  # the attacker: no state must help the victim of its own attack
    assert "BBB" not in by  # the victim is not asked whether it must assist itself


def test_real_timeout_is_unknown_with_a_reason(corpus, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent)
    # A 1 ms limit on a contingent question: Z3 may or may not finish; either way no wrong verdict.
    code = main(["ask", "--corpus", "semantics/world.treaty", "--attacker", "DDD", "--victim", "AAA", "--at", "shoal",
                 "--on", "1965-01-01", "--party", "BBB", "--timeout", "1", "--json"])
    out = capsys.readouterr().out
    assert code == 0
    import json

    r = json.loads(out)
    assert r["verdict"] in ("depends", "unknown")
    if r["verdict"] == "unknown":
        assert r["reason_unknown"]


def test_memory_limit_gives_unknown():
    ctx = z3.Context()
    xs = [z3.Bool(f"x{i}", ctx) for i in range(3000)]
    d = solver.decide(z3.And(z3.AtMost(*xs, 3), z3.Or(*xs)), [], ctx, Limits(memory_mb=1))
    assert d.verdict == "unknown" and "memory" in d.reason


@pytest.mark.parametrize("argv,needle", [
    (["who", "--victim", "AAA", "--depth", "7"], "--depth"),
    (["ask", "--victim", "AAA", "--party", "BBB", "--timeout", "0"], "--timeout"),
    (["ask", "--victim", "AAA", "--party", "BBB", "--memory", "-5"], "--memory"),
])
def test_limit_options_are_checked(argv, needle, capsys, monkeypatch):
    monkeypatch.chdir(Path(__file__).parent)
    assert main(argv[:1] + ["--corpus", "semantics/world.treaty"] + argv[1:]) == 2
    assert needle in capsys.readouterr().err


def test_links_out_of_the_corpus_are_not_followed(tmp_path, capsys):
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "secret.treaty").write_text('state ZZZ "outside"\n')
    root = tmp_path / "corpus"
    root.mkdir()
    (root / "ok.treaty").write_text('state AAA "inside"\n')
    try:
        os.symlink(outside / "secret.treaty", root / "link.treaty")
    except OSError:
        pytest.skip("no symlinks here")
    loaded = load_paths([root])
    assert "ZZZ" not in loaded.corpus.states and "AAA" in loaded.corpus.states
    assert any(d.code == "E101" for d in loaded.diagnostics)


def test_file_size_limit(tmp_path):
    f = tmp_path / "big.treaty"
    f.write_text('state AAA "A"\n' * 1000)
    loaded = load_paths([f], max_bytes=100)
    assert any(d.code == "E102" for d in loaded.diagnostics) and not loaded.corpus.states


def test_a_bom_is_not_content(tmp_path):
    f = tmp_path / "bom.treaty"
    f.write_bytes(b'\xef\xbb\xbfstate AAA "A"\n')
    assert load_paths([f]).ok
