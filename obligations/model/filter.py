"""A corpus without some instruments: `--without NAME` asks what the answer is without them."""

from __future__ import annotations

import copy

from obligations.model.corpus import Corpus


def without(c: Corpus, names: set[str]) -> Corpus:
    out = copy.copy(c)
    out.instruments = {k: v for k, v in c.instruments.items() if k not in names}
    out.facts = [f for f in c.facts if f.instrument not in names]
    clauses = []
    for cl in c.clauses:
        if cl.instrument in names:
            continue
        cl2 = copy.copy(cl)
        cl2.restrictions = [r for r in cl.restrictions if r.source not in names]
        clauses.append(cl2)
    out.clauses = clauses
    return out
