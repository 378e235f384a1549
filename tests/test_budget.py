"""Limits that cannot wrap, and a budget for the whole command: work is bounded before and around the solver."""

from __future__ import annotations

import datetime as dt
import json
import subprocess
import sys
from pathlib import Path

import pytest
import z3

from hostile import diamond_definitions, diamond_regions
from obligations.cli import main
from obligations.model.load import load_paths
from obligations.query.who import who
from obligations.scenario import Scenario
from obligations.smt import solver
from obligations.smt.decision import U32_MAX, Limits

HERE = Path(__file__).parent
WORLD = HERE / "semantics" / "world.treaty"
@pytest.fixture(scope="module", autouse=True)
def _no_cache():
    """Tests never write to the user's cache (these run the CLI in-process)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OBLIGATIONS_NO_CACHE", "1")
        yield


ASK = ["ask", "--corpus", str(WORLD), "--attacker", "DDD", "--victim", "AAA", "--at", "shoal", "--on", "1965-01-01",
       "--party", "BBB"]


@pytest.mark.parametrize("option,value", [
    ("--timeout", "4294967296"), ("--timeout", "4294967297"), ("--timeout", "0"), ("--timeout", "-1"),
    ("--memory", "4294967296"), ("--memory", "0"), ("--memory", "-5"),
    ("--budget", "0"), ("--budget", "-1"), ("--budget", "nan"), ("--budget", "inf"), ("--budget", "1e300"),
    ("--budget-memory", "0"), ("--budget-memory", "-1"),
])
def test_out_of_range_limits_are_refused_with_the_option_and_its_range(option, value, capsys):
    assert main(ASK + [option, value]) == 2
    err = capsys.readouterr().err
    assert option in err and "internal error" not in err
    if option in ("--timeout", "--memory"):
        assert str(U32_MAX) in err


@pytest.mark.parametrize("command", [
    ["diff", str(WORLD), str(WORLD)], ["prove", str(WORLD)],
    ["who", "--corpus", str(WORLD), "--victim", "AAA"], ["conflicts", "--corpus", str(WORLD), "--party", "AAA"],
])
def test_every_command_with_a_timeout_checks_its_range(command, capsys):
    assert main(command + ["--timeout", "4294967297"]) == 2
    assert "--timeout must be a whole number from 1 to 4294967295" in capsys.readouterr().err


def test_the_largest_limits_are_accepted(capsys):
    assert main(ASK + ["--timeout", str(U32_MAX), "--memory", str(U32_MAX), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["verdict"] == "depends"


@pytest.mark.parametrize("kw", [dict(timeout_ms=0), dict(timeout_ms=-1), dict(timeout_ms=2**32), dict(memory_mb=0),
                                dict(memory_mb=2**32), dict(seed=-1), dict(timeout_ms=True), dict(timeout_ms=1.5),
                                dict(budget_s=0)])
def test_the_api_refuses_limits_that_would_wrap(kw):
    name = next(iter(kw))
    with pytest.raises(ValueError, match=name):
        Limits(**kw)


def test_a_spent_budget_is_unknown_with_the_reason_and_what_to_narrow(capsys):
    assert main(ASK + ["--budget", "0.001", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["verdict"] == "unknown"
    assert "time budget" in r["reason_unknown"] and "--without" in r["reason_unknown"]


def test_a_decision_past_the_deadline_is_not_attempted(monkeypatch):
    def never(*a, **k):
        raise AssertionError("the solver was called after the deadline")

    monkeypatch.setattr(solver, "make_solver", never)
    ctx = z3.Context()
    d = solver.decide(z3.Bool("x", ctx), [], ctx, Limits(deadline=0.0, budget_s=1, narrow="narrow it"))
    assert d.verdict == "unknown" and "time budget (1 s)" in d.reason and "narrow it" in d.reason


def test_each_solver_call_is_cut_to_what_is_left(monkeypatch):
    seen = []
    real = solver.make_solver

    def spy(ctx, limits):
        s = real(ctx, limits)
        seen.append(limits.solver_timeout_ms())
        return s

    monkeypatch.setattr(solver, "make_solver", spy)
    ctx = z3.Context()
    x = z3.Bool("x", ctx)
    solver.decide(z3.Or(x, z3.Bool("y", ctx)), [], ctx, Limits(timeout_ms=10**9).with_budget(60))
    assert seen and all(t <= 60_000 for t in seen)


def test_who_answers_unknown_for_every_state_once_the_budget_is_spent():
    corpus = load_paths([WORLD]).corpus
    s = Scenario(date=dt.date(1965, 1, 1), attacker="CCC", victim="BBB", target="territory", place="b-home")
    limits = Limits(deadline=0.0, budget_s=1, narrow="ask about one state")
    r = who(corpus, s, "assist", limits=limits, include_negative=True)
    assert r.entries and all(e.verdict == "unknown" and "ask about one state" in e.summary for e in r.entries)


def _run(tmp_path, text: str, *argv: str, timeout: int = 120) -> subprocess.CompletedProcess:
    f = tmp_path / "diamond.treaty"
    f.write_text(text)
    return subprocess.run([sys.executable, "-m", "obligations.cli", *argv[:1], "--corpus", str(f), *argv[1:]],
                          capture_output=True, text=True, timeout=timeout,
                          env={"OBLIGATIONS_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})


DIAMOND_ASK = ("ask", "--attacker", "CCC", "--victim", "BBB", "--on", "2000-01-01", "--party", "AAA")


@pytest.mark.parametrize("text,place", [(diamond_definitions(26), "home"), (diamond_regions(30), "away")],
                         ids=["definitions", "regions"])
def test_a_diamond_ends_within_its_budget(tmp_path, text, place):
    """Exponential work before the solver: the command ends (the subprocess timeout is only a hang guard)
    with an answer or with the budget's message, never a hang, never an internal error."""
    r = _run(tmp_path, text, *DIAMOND_ASK, "--at", place, "--budget", "3")
    assert r.returncode in (0, 2), r.stderr
    if r.returncode == 2:
        assert "time budget (3 s) ran out" in r.stderr and "--without" in r.stderr
    assert "internal error" not in r.stderr


@pytest.mark.parametrize("text,place", [(diamond_definitions(40), "home"), (diamond_regions(40), "away")],
                         ids=["definitions", "regions"])
def test_a_diamond_answers_in_linear_time(tmp_path, text, place):
    r = _run(tmp_path, text, *DIAMOND_ASK, "--at", place, "--budget", "3", "--json")
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)["verdict"] in ("obliged", "depends")


def test_check_passes_the_diamonds(tmp_path):
    """They are valid clause files: what is bounded is the work of answering, not the language."""
    for text in (diamond_definitions(40), diamond_regions(40)):
        f = tmp_path / "d.treaty"
        f.write_text(text)
        assert load_paths([f]).ok


def _namespace(**kw):
    import argparse

    return argparse.Namespace(command="ask", timeout=10_000, _budget_default=None, **kw)


def test_the_watchdog_stops_python_work_past_the_budget():
    """The backstop for work outside the solver: a loop that never ends is stopped (bounded here by a count
    of iterations, not by a clock)."""
    from obligations.budget import BudgetExhausted, enforced

    a = _namespace(budget=0.2, budget_memory=None)
    with pytest.raises(BudgetExhausted) as e:
        with enforced(a, ValueError):
            for _ in range(10**11):
                pass
    assert e.value.what == "time"


def test_the_watchdog_stops_a_command_that_outgrows_its_memory_budget():
    import time

    from obligations.budget import BudgetExhausted, enforced

    a = _namespace(budget=None, budget_memory=64)
    hoard = []
    with pytest.raises(BudgetExhausted) as e:
        with enforced(a, ValueError):
            for _ in range(100):  # at most 1 GB if the watchdog never fired
                hoard.append(bytearray(10 * 1024 * 1024))
                time.sleep(0.05)
    hoard.clear()
    assert e.value.what == "memory"


def test_a_spent_memory_budget_is_exit_2_with_the_reason(tmp_path):
    """A command that works long enough for the watchdog to look (conflicts over the bundled world) and grows
    past 1 MB. (The diamonds, once the test of this, now answer at once: their expansion is memoised.)"""
    r = subprocess.run([sys.executable, "-m", "obligations.cli", "conflicts", "--party", "USA", "--on", "2025-06-01",
                        "--budget-memory", "1"], capture_output=True, text=True, timeout=120,
                       env={"OBLIGATIONS_NO_CACHE": "1", "PATH": "/usr/bin:/bin"})
    assert r.returncode == 2, r.stderr
    assert "memory budget (1 MB) ran out" in r.stderr and "--budget-memory" in r.stderr


def test_the_watchdog_is_gone_after_the_command(capsys):
    import signal

    before = signal.getsignal(signal.SIGALRM)
    assert main(ASK + ["--budget", "30"]) == 0
    assert signal.getsignal(signal.SIGALRM) is before and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0)
