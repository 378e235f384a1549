"""Solver limits and decisions, apart from the solver: a query that needs no solver never imports Z3."""

from __future__ import annotations

from dataclasses import dataclass, field

DEFAULT_TIMEOUT_MS = 10_000
DEFAULT_MEMORY_MB = 2048


@dataclass(frozen=True)
class Limits:
    timeout_ms: int = DEFAULT_TIMEOUT_MS
    memory_mb: int = DEFAULT_MEMORY_MB
    seed: int = 0


@dataclass
class Decision:
    verdict: str  # valid | unsat | contingent | unknown
    model_true: dict[str, bool] | None = None  # an interpretation making the formula true
    model_false: dict[str, bool] | None = None  # one making it false
    hinges: list[str] = field(default_factory=list)
    reason: str | None = None  # why unknown
