"""Validation passes over the core model, each `(Corpus) -> list[Diagnostic]`."""

from __future__ import annotations

from obligations.check import dates, facts, names, regions, roles, text

PASSES = (names.check, regions.check, dates.check, facts.check, roles.check, text.check)


def run_checks(corpus) -> list:
    out = []
    for p in PASSES:
        out.extend(p(corpus))
    return out
