"""A corpus without some instruments: `--without NAME` asks what the answer is without them."""

from __future__ import annotations

import dataclasses

from obligations.model.core import Corpus, Restricted


def without(c: Corpus, names: set[str]) -> Corpus:
    out = c.copy()
    out.instruments = {k: v for k, v in c.instruments.items() if k not in names}
    out.facts = [f for f in c.facts if f.instrument not in names]
    clauses = []
    for cl in c.clauses:
        if cl.instrument in names:
            continue
        if any(isinstance(st, Restricted) and st.source in names for st in cl.steps):
            cl = dataclasses.replace(cl, steps=tuple(st for st in cl.steps
                                                     if not (isinstance(st, Restricted) and st.source in names)))
        clauses.append(cl)
    out.clauses = clauses
    return out
