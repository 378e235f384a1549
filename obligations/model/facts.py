"""Facts by term, looked up for a date: the data side of open terms."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from obligations.model.core import Corpus, Fact


class FactIndex:
    def __init__(self, corpus: Corpus, active: Callable[[str | None, dt.date], bool]):
        self.by_term: dict[str, list[Fact]] = {}
        # A fact naming every argument outranks one with a `*`; keeping them apart spares a lookup the scan
        # of every fact of the term (a corpus can settle a term for hundreds of states).
        self.exact: dict[tuple[str, tuple[str, ...]], list[Fact]] = {}
        self.wild: dict[str, list[Fact]] = {}
        for f in corpus.facts:
            self.by_term.setdefault(f.term, []).append(f)
            if "*" in f.args:
                self.wild.setdefault(f.term, []).append(f)
            else:
                self.exact.setdefault((f.term, tuple(f.args)), []).append(f)
        self.active = active

    def lookup(self, term: str, args: tuple[str, ...], d: dt.date) -> Fact | None:
        """The fact settling term(args) on d: an exact one before one with `*`."""
        for f in self.exact.get((term, tuple(args)), ()):
            if f.interval.contains(d) and self.active(f.instrument, d):
                return f
        best = None
        best_score = -1
        for f in self.wild.get(term, ()):
            if len(f.args) != len(args) or not f.interval.contains(d) or not self.active(f.instrument, d):
                continue
            if all(a == b or a == "*" for a, b in zip(f.args, args)):
                score = sum(a != "*" for a in f.args)
                if score > best_score:
                    best, best_score = f, score
        return best
