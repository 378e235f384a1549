"""Solver limits and decisions, apart from the solver: a query that needs no solver never imports Z3.

Two kinds of limit. `timeout_ms` and `memory_mb` bound each call to the solver (Z3 reads both as unsigned
32-bit numbers, so they are checked to lie in 1..4294967295: beyond it they wrap, to "no limit" or to 1 ms).
`deadline` bounds the whole command: a monotonic time after which no decision is attempted, every solver
call is cut to the time left, and the answer is `unknown` with `budget_reason()` (what ran out, and what
to narrow). `with_budget(seconds)` sets it.
"""

from __future__ import annotations

import math
import time
from obligations.record import field, record, replace

DEFAULT_TIMEOUT_MS = 10_000
DEFAULT_MEMORY_MB = 2048
U32_MAX = 2**32 - 1  # Z3's timeout (ms), max_memory (MB) and random_seed are unsigned 32-bit
MAX_BUDGET_S = 31 * 24 * 3600


def check_range(what: str, value, lo: int | float, hi: int | float, unit: str = "", integer: bool = True):
    """`value` if it is a number in [lo, hi]; else a ValueError naming `what` and the range."""
    ok = not isinstance(value, bool) and (isinstance(value, int) if integer else isinstance(value, (int, float)))
    if ok and not integer:
        ok = math.isfinite(value)
    if not ok or not lo <= value <= hi:
        kind = "a whole number" if integer else "a number"
        raise ValueError(f"{what} must be {kind} from {lo} to {hi}{' ' + unit if unit else ''}, not {value!r}")
    return value


@record(frozen=True)
class Limits:
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    memory_mb: int = DEFAULT_MEMORY_MB
    seed: int = 0
    deadline: float | None = field(default=None, compare=False)  # time.monotonic() by which the command ends
    budget_s: float | None = field(default=None, compare=False)  # the budget the deadline came from, for messages
    narrow: str = field(default="narrow the question or raise the budget", compare=False)

    def __post_init__(self):
        check_range("timeout_ms", self.timeout_ms, 1, U32_MAX, "ms")
        check_range("memory_mb", self.memory_mb, 1, U32_MAX, "MB")
        check_range("seed", self.seed, 0, U32_MAX)
        if self.deadline is not None:
            check_range("deadline", self.deadline, -math.inf, math.inf, integer=False)
        if self.budget_s is not None:
            check_range("budget_s", self.budget_s, 0.001, MAX_BUDGET_S, "s", integer=False)

    def with_budget(self, seconds: float, narrow: str | None = None) -> "Limits":
        """These limits, and a deadline `seconds` from now for everything that follows."""
        check_range("budget", seconds, 0.001, MAX_BUDGET_S, "s", integer=False)
        return replace(self, deadline=time.monotonic() + seconds, budget_s=seconds,
                       narrow=narrow if narrow is not None else self.narrow)

    def remaining_ms(self) -> int | None:
        """Milliseconds left of the command's budget (0 when spent), or None without a budget."""
        if self.deadline is None:
            return None
        return max(0, int((self.deadline - time.monotonic()) * 1000))

    def expired(self) -> bool:
        return self.deadline is not None and time.monotonic() >= self.deadline

    def solver_timeout_ms(self) -> int:
        """The time limit for one solver call: the per-decision limit, cut to what is left of the budget."""
        left = self.remaining_ms()
        return self.timeout_ms if left is None else max(1, min(self.timeout_ms, left))

    def budget_reason(self) -> str:
        b = f" ({_seconds(self.budget_s)})" if self.budget_s else ""
        return f"the command's time budget{b} ran out before this answer; {self.narrow}"


def _seconds(s: float) -> str:
    return f"{s:g} s"


@record
class Decision:
    verdict: str  # valid | unsat | contingent | unknown
    model_true: dict[str, bool] | None = None  # an interpretation making the formula true
    model_false: dict[str, bool] | None = None  # one making it false
    hinges: list[str] = field(default_factory=list)
    reason: str | None = None  # why unknown
