"""The whole command's budget, besides the per-decision solver limits.

`--timeout` and `--memory` bound each call to the solver; a question that needs many decisions (`who` asks
one per state, `diff` one per party, action and event) or much work before the solver (expanding regions
and definitions) could still run for hours. So every query command also has

- `--budget SECONDS` (default: 5 x the per-decision timeout): a deadline for the whole command. It is carried
  in `Limits.deadline`: once it passes no decision is attempted and every solver call is cut to the time
  left, so the answers not reached are `unknown`, with the reason and what to narrow. As a backstop for work
  outside the solver, the command is stopped a little after the deadline and reports the same in one line
  (exit 2);
- `--budget-memory MB` (default 4096): how much more resident memory the command may take than it had at the
  start. Beyond it the command stops and says so (exit 2) instead of taking the machine down.

Both backstops are one watchdog: a SIGALRM every TICK seconds (main thread only; restored afterwards) whose
handler raises BudgetExhausted in the Python code running. It interrupts Python work (parsing, expanding,
encoding, explaining), not a call inside Z3, which `--timeout`, `--memory` and the deadline bound already.
(An address-space limit, RLIMIT_AS, was tried and dropped: Z3 aborts the process when it cannot start a
timer thread, and a shared library that cannot be mapped is an ImportError.)
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import time

from obligations.smt.decision import MAX_BUDGET_S, U32_MAX, Limits, check_range

BUDGET_FACTOR = 5
DEFAULT_BUDGET_MEMORY_MB = 4096
MAX_BUDGET_MEMORY_MB = 1 << 30

# What a user can narrow, by command: said whenever the budget runs out.
NARROW = {
    "ask": "leave instruments out (--without NAME), or raise --budget",
    "who": "ask about one state (`obligations ask --party STATE`), skip the cascade (--depth 0), or raise --budget",
    "conflicts": "leave instruments out (--without NAME), or raise --budget",
    "eligible": "leave instruments out (--without NAME), or raise --budget",
    "diff": "name the parties and actions to compare (--party STATE, --action ACTION), or raise --budget",
    "prove": "prove one file (or fewer dates) at a time, or raise --budget",
    "export": "export fewer instruments (--instrument NAME) or years (--from, --to), or raise --budget",
    "compare-atop": "compare fewer years (--from, --to), or raise --budget",
}


TICK = 0.25  # seconds between the watchdog's looks


class BudgetExhausted(BaseException):
    """The whole command's budget (`what`: "time" or "memory") ran out outside the solver. A BaseException,
    like KeyboardInterrupt, so that no `except Exception` on the way swallows it."""

    def __init__(self, what: str = "time"):
        super().__init__(what)
        self.what = what


def _positive_seconds(s: str) -> float:
    try:
        v = float(s)
    except ValueError:
        v = math.nan
    if not (math.isfinite(v) and 0 < v <= MAX_BUDGET_S):
        raise argparse.ArgumentTypeError(f"must be a number of seconds above 0 and at most {MAX_BUDGET_S}, not {s!r}")
    return v


def add_options(p, default_s: float | None = None) -> None:
    """--budget and --budget-memory, on a parser or an argument group. Without `default_s`, the budget is
    BUDGET_FACTOR times the command's --timeout."""
    what = f"default {default_s:g}" if default_s is not None else f"default {BUDGET_FACTOR} x --timeout"
    p.add_argument("--budget", type=_positive_seconds, default=None, metavar="SECONDS",
                   help=f"time limit for the whole command, in seconds ({what}); what it cannot answer in time is unknown")
    p.add_argument("--budget-memory", type=int, default=DEFAULT_BUDGET_MEMORY_MB, metavar="MB",
                   help=f"memory the whole command may take beyond its start, in MB (default {DEFAULT_BUDGET_MEMORY_MB})")
    p.set_defaults(_budget_default=default_s)


def budget_seconds(a: argparse.Namespace) -> float | None:
    """The command's budget in seconds, or None for a command without one."""
    if not hasattr(a, "budget"):
        return None
    if a.budget is not None:
        return a.budget
    if getattr(a, "_budget_default", None) is not None:
        return a._budget_default
    t = getattr(a, "timeout", None)
    t = t if isinstance(t, int) and 0 < t <= U32_MAX else 10_000
    return min(MAX_BUDGET_S, BUDGET_FACTOR * t / 1000)


def limits_from_args(a: argparse.Namespace, usage_error) -> Limits:
    """Limits from --timeout, --memory and --budget, each checked against its real range; the deadline is
    counted from the command's start (`enforced`)."""
    try:
        check_range("--timeout", a.timeout, 1, U32_MAX, "ms")
        check_range("--memory", a.memory, 1, U32_MAX, "MB")
    except ValueError as e:
        raise usage_error(str(e)) from None
    return with_budget(a, Limits(timeout_ms=a.timeout, memory_mb=a.memory))


def with_budget(a: argparse.Namespace, limits: Limits) -> Limits:
    """`limits` with the command's deadline (if it has a budget)."""
    seconds = budget_seconds(a)
    if seconds is None:
        return limits
    deadline = getattr(a, "_deadline", None) or time.monotonic() + seconds
    return Limits(timeout_ms=limits.timeout_ms, memory_mb=limits.memory_mb, seed=limits.seed, deadline=deadline,
                  budget_s=seconds, narrow=NARROW.get(getattr(a, "command", "") or "", "narrow the question, or raise --budget"))


def budget_message(a: argparse.Namespace, answer: bool = True) -> str:
    """One line for a command stopped by its time budget (`answer`: said as the answer, `unknown`)."""
    seconds = budget_seconds(a)
    narrow = NARROW.get(getattr(a, "command", "") or "", "narrow the question, or raise --budget")
    head = "unknown: " if answer else ""
    return f"{head}the command's time budget ({seconds:g} s) ran out before {'an answer' if answer else 'it was done'}; {narrow}"


def overrun_note(a: argparse.Namespace) -> str | None:
    """When the command finished after its deadline (answers not reached were given as unknown): a note."""
    deadline = getattr(a, "_deadline", None)
    if deadline is None or time.monotonic() < deadline:
        return None
    return (f"the command's time budget ({budget_seconds(a):g} s) ran out; what it had not answered by then is "
            f"unknown; {NARROW.get(getattr(a, 'command', '') or '', 'narrow the question, or raise --budget')}")


def memory_message(a: argparse.Namespace) -> str:
    mb = getattr(a, "budget_memory", None)
    narrow = NARROW.get(getattr(a, "command", "") or "", "narrow the question")
    narrow = narrow.replace("raise --budget", "raise --budget-memory")
    return f"the command's memory budget ({mb} MB) ran out; {narrow}" if mb else "out of memory"


def _rss_bytes() -> int | None:
    """The process's resident memory now (Linux), else its peak; None if neither can be read."""
    try:
        with open("/proc/self/statm", encoding="ascii") as f:
            return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        pass
    try:
        import resource
        import sys

        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        return peak if sys.platform == "darwin" else peak * 1024
    except (ImportError, OSError, ValueError):
        return None


@contextlib.contextmanager
def enforced(a: argparse.Namespace, usage_error):
    """Run the body under the command's budget: the deadline in `a._deadline` (for the soft checks in the
    solver and the query loops) and the watchdog for the rest; everything restored afterwards."""
    seconds = budget_seconds(a)
    mb = getattr(a, "budget_memory", None)
    if mb is not None:
        try:
            check_range("--budget-memory", mb, 1, MAX_BUDGET_MEMORY_MB, "MB")
        except ValueError as e:
            raise usage_error(str(e)) from None
    stop_at = None
    if seconds is not None:
        a._deadline = time.monotonic() + seconds
        stop_at = a._deadline + min(30.0, 2.0 + seconds / 10)  # the soft path first: answers, then unknowns
    rss = _rss_bytes() if mb is not None else None
    max_rss = rss + mb * 1024 * 1024 if rss is not None else None
    restore = _watchdog(stop_at, max_rss) if (stop_at is not None or max_rss is not None) else (lambda: None)
    try:
        yield
    finally:
        restore()


def _watchdog(stop_at: float | None, max_rss: int | None):
    import signal

    if not hasattr(signal, "setitimer"):
        return lambda: None

    def look(signum, frame):
        if stop_at is not None and time.monotonic() >= stop_at:
            raise BudgetExhausted("time")
        if max_rss is not None:
            now = _rss_bytes()
            if now is not None and now > max_rss:
                raise BudgetExhausted("memory")

    try:
        old = signal.signal(signal.SIGALRM, look)
    except ValueError:  # not the main thread, where only signal handlers run (found so without importing threading)
        return lambda: None
    signal.setitimer(signal.ITIMER_REAL, TICK, TICK)

    def restore():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)

    return restore
