"""Facts must not contradict each other where their intervals overlap."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model.corpus import Corpus, Interval


def _overlap(a: Interval, b: Interval) -> bool:
    a0, b0 = a.start, b.start
    a1, b1 = a.end, b.end
    lo = max(x for x in (a0, b0) if x is not None) if (a0 or b0) else None
    hi = min(x for x in (a1, b1) if x is not None) if (a1 or b1) else None
    return lo is None or hi is None or lo < hi


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    by_key: dict[tuple, list] = {}
    for f in c.facts:
        by_key.setdefault((f.term, f.args), []).append(f)
    for (term, args), fs in by_key.items():
        for i, a in enumerate(fs):
            for b in fs[i + 1:]:
                if a.negated != b.negated and _overlap(a.interval, b.interval):
                    out.append(Diagnostic(code="E050", message=f"facts contradict: {term}({', '.join(args)}) is stated both true and false", span=b.span,
                                          hint=f"the other fact is at {a.span}; give them disjoint `from`/`until` dates or drop one"))
    return out
