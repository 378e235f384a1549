"""Facts must not contradict each other where their intervals overlap."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model.core import Corpus


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    by_key: dict[tuple, list] = {}
    for f in c.facts:
        if f.when is not None:
            continue  # a reading for some scenarios only: it may differ from others elsewhere
        # Readings of different instruments or by different parties may read one term differently.
        by_key.setdefault((f.term, f.args, f.scope, f.parties), []).append(f)
    for (term, args, _, _), fs in by_key.items():
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                if a.negated != b.negated and a.interval.overlaps(b.interval):
                    out.append(Diagnostic(code="E050", message=f"facts contradict: {term}({', '.join(args)}) is stated both true and false", span=b.span,
                                          hint=f"the other fact is at {a.span}; give them disjoint `from`/`until` dates or drop one"))
    return out
