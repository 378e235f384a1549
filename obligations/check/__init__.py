"""Validation passes over the core model, each `(Corpus) -> list[Diagnostic]`.

Names are checked where they are resolved (model/resolve.py); these passes check what resolution cannot:
cycles, time, contradictions, and roles that have no value where they are used.
"""

from __future__ import annotations

from obligations.check import dates, facts, regions, roles

PASSES = (regions.check, dates.check, facts.check, roles.check)


def run_checks(corpus) -> list:
    out = []
    for p in PASSES:
        out.extend(p(corpus))
    return out
