"""Facts by term, looked up for a date: the data side of open terms."""

from __future__ import annotations

import datetime as dt
from typing import Callable

from obligations.model.corpus import Corpus, Fact


class FactIndex:
    def __init__(self, corpus: Corpus, active: Callable[[str | None, dt.date], bool]):
        self.by_term: dict[str, list[Fact]] = {}
        for f in corpus.facts:
            self.by_term.setdefault(f.term, []).append(f)
        self.active = active

    def lookup(self, term: str, args: tuple[str, ...], d: dt.date) -> Fact | None:
        """The fact settling term(args) on d: an exact one before one with `*`."""
        best = None
        best_score = -1
        for f in self.by_term.get(term, ()):
            if len(f.args) != len(args) or not f.interval.contains(d) or not self.active(f.instrument, d):
                continue
            if all(a == b or a == "*" for a, b in zip(f.args, args)):
                score = sum(a != "*" for a in f.args)
                if score > best_score:
                    best, best_score = f, score
        return best
