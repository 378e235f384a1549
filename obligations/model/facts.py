"""Facts by term, looked up for a date and a context: the data side of open terms.

A global fact settles its term everywhere; a reading (a fact of an interpretive statement, understanding or
joint statement) only for the instrument it interprets, the parties whose obligations it speaks of, and the
scenarios its `when` describes. `applicable` returns, most specific first, the facts that can settle a term in a
context; the caller decides the ones with a `when` on the scenario.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from obligations.model.core import Corpus, Fact


class FactIndex:
    def __init__(self, corpus: Corpus, active: Callable[[Fact, dt.date], bool]):
        # A fact naming every argument outranks one with a `*`; keeping them apart spares a lookup the scan
        # of every fact of the term (a corpus can settle a term for hundreds of states).
        self.exact: dict[tuple[str, tuple[str, ...]], list[Fact]] = {}
        self.wild: dict[str, list[Fact]] = {}
        self.scoped: dict[str, list[Fact]] = {}
        for f in corpus.facts:
            if f.scoped:
                self.scoped.setdefault(f.term, []).append(f)
            elif "*" in f.args:
                self.wild.setdefault(f.term, []).append(f)
            else:
                self.exact.setdefault((f.term, tuple(f.args)), []).append(f)
        self.active = active
        self.parent = {name: inst.parent for name, inst in corpus.instruments.items()}

    @property
    def scoped_terms(self) -> frozenset[str]:
        return frozenset(self.scoped)

    def global_signature(self, term: str, d: dt.date) -> tuple | None:
        """The global facts of `term` that hold on d: two dates with one signature answer every `lookup` of the
        term alike. None when one of them has a `when` (its answer depends on more than the date)."""
        by = getattr(self, "_global_by_term", None)
        if by is None:
            by = {}
            for (t, _), fs in self.exact.items():
                by.setdefault(t, []).extend(fs)
            for t, fs in self.wild.items():
                by.setdefault(t, []).extend(fs)
            self._global_by_term = by
        fs = by.get(term, ())
        if any(f.when is not None for f in fs):
            return None
        return tuple(id(f) for f in fs if f.interval.contains(d) and self.active(f, d))

    def lookup(self, term: str, args: tuple[str, ...], d: dt.date) -> Fact | None:
        """The global fact settling term(args) on d: an exact one before one with `*`."""
        for f in self.exact.get((term, tuple(args)), ()):
            if f.interval.contains(d) and self.active(f, d):
                return f
        best = None
        best_score = -1
        for f in self.wild.get(term, ()):
            if len(f.args) != len(args) or not f.interval.contains(d) or not self.active(f, d):
                continue
            if all(a == b or a == "*" for a, b in zip(f.args, args)):
                score = sum(a != "*" for a in f.args)
                if score > best_score:
                    best, best_score = f, score
        return best

    def context_signature(self, instrument: str | None, party: str | None) -> tuple:
        """The scoped facts that can apply in a context (ignoring dates and arguments): contexts with the same
        signature read every term alike, so what is built for one serves the other. Most contexts have none."""
        key = (instrument, party)
        got = self._sigs.get(key) if hasattr(self, "_sigs") else None
        if got is None:
            if not hasattr(self, "_sigs"):
                self._sigs = {}
            family = {instrument, self.parent.get(instrument or "")} - {None}
            ids = tuple(sorted(id(f) for fs in self.scoped.values() for f in fs
                               if (f.scope is None or f.scope in family) and (f.parties is None or party in f.parties)))
            whens = any(f.when is not None for fs in self.scoped.values() for f in fs if id(f) in set(ids))
            got = self._sigs[key] = (ids, whens)
        return got

    def applicable(self, term: str, args: tuple[str, ...], d: dt.date, instrument: str | None,
                   party: str | None) -> list[Fact]:
        """The facts that can settle term(args) on d for `party`'s obligations under `instrument`, most specific
        first, ending with the global one (if any). A fact with a `when` settles only where it holds."""
        out: list[tuple[tuple, Fact]] = []
        family = {instrument, self.parent.get(instrument or "")} - {None}
        for f in self.scoped.get(term, ()):
            if len(f.args) != len(args) or not f.interval.contains(d) or not self.active(f, d):
                continue
            if not all(a == b or a == "*" for a, b in zip(f.args, args)):
                continue
            if f.scope is not None and f.scope not in family:
                continue
            if f.parties is not None and party not in f.parties:
                continue
            rank = (f.assumed, f.scope is not None, f.parties is not None, sum(a != "*" for a in f.args), f.when is not None)
            out.append((rank, f))
        out.sort(key=lambda x: x[0], reverse=True)
        g = self.lookup(term, args, d)
        return [f for _, f in out] + ([g] if g is not None else [])
