"""The core model: a corpus of clause files, indexed and with names resolved.

Lowering keeps the surface nodes (they are typed and frozen) and adds what the
semantics needs: memberships as intervals, clauses with their article and
instrument, restrictions gathered onto the clauses they restrict, and facts
with the instrument that states them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from obligations.syntax import ast as A

FAR_PAST = dt.date(1, 1, 1)
FAR_FUTURE = dt.date(9999, 12, 31)


@dataclass(frozen=True)
class Interval:
    start: dt.date | None
    end: dt.date | None  # exclusive: the day a withdrawal takes effect no longer counts

    def contains(self, d: dt.date) -> bool:
        return (self.start is None or self.start <= d) and (self.end is None or d < self.end)

    def describe(self) -> str:
        if self.start and self.end:
            return f"from {self.start} until {self.end}"
        if self.start:
            return f"since {self.start}"
        if self.end:
            return f"until {self.end}"
        return "at all times"


@dataclass(frozen=True)
class Membership:
    state: str
    interval: Interval
    note: str | None
    span: object


@dataclass(frozen=True)
class Suspension:
    state: str
    toward: str | None
    interval: Interval
    note: str | None
    span: object


@dataclass(frozen=True)
class Fact:
    negated: bool
    term: str
    args: tuple[str, ...]
    interval: Interval
    grounds: str | None
    instrument: str | None  # None for a fact stated outside any instrument
    span: object


@dataclass
class Instrument:
    node: A.Instrument
    memberships: list[Membership] = field(default_factory=list)
    designations: list[Membership] = field(default_factory=list)
    suspensions: list[Suspension] = field(default_factory=list)
    defines: dict[str, A.DefineDecl] = field(default_factory=dict)
    define_articles: dict[str, str] = field(default_factory=dict)  # define -> article that states it
    criteria: list[tuple[str, A.Criterion]] = field(default_factory=list)  # (article, criterion)

    @property
    def name(self) -> str:
        return self.node.name

    @property
    def title(self) -> str:
        return self.node.title

    @property
    def draft(self) -> bool:
        return self.node.draft

    @property
    def binding(self) -> str:
        if self.node.binding:
            return self.node.binding
        return "none" if self.node.draft else "legal"

    @property
    def force(self) -> Interval:
        """When the instrument is in force. A draft is taken as in force at all times:
        asking about a draft asks what it would oblige."""
        if self.node.draft:
            return Interval(None, None)
        start = self.node.in_force
        if start is None and self.node.kind in ("treaty", "protocol"):
            return Interval(FAR_FUTURE, FAR_FUTURE)  # signed, perhaps, but never entered into force
        if start is None:
            # A pledge, statute or statement takes effect when made; an arrangement
            # with no date of its own binds its members over their membership spells.
            start = self.node.signed
        return Interval(start, self.node.terminated)

    def members_on(self, d: dt.date) -> list[str]:
        return sorted({m.state for m in self.memberships if m.interval.contains(d)})

    def bound_states(self) -> list[str]:
        """Everyone this instrument can bind: parties, and the authors of a unilateral act."""
        return sorted({m.state for m in self.memberships} | set(self.node.authors))


@dataclass(frozen=True)
class AppliedRestriction:
    restrict: A.Restrict
    source: str  # the instrument that states it


@dataclass
class Clause:
    id: str
    instrument: str
    article: str
    article_text: str
    node: A.Clause
    index: int  # position within the article, from 1
    restrictions: list[AppliedRestriction] = field(default_factory=list)

    @property
    def span(self):
        return self.node.span

    @property
    def heading(self) -> str:
        label = f" › {self.node.label}" if self.node.label else ""
        return f"Article {self.article}{label}"


@dataclass
class Corpus:
    files: list[A.File] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)  # path -> source text, for long diagnostics
    states: dict[str, A.StateDecl] = field(default_factory=dict)
    regions: dict[str, A.RegionDecl] = field(default_factory=dict)
    places: dict[str, A.PlaceDecl] = field(default_factory=dict)
    terms: dict[str, A.TermDecl] = field(default_factory=dict)
    defines: dict[str, A.DefineDecl] = field(default_factory=dict)
    instruments: dict[str, Instrument] = field(default_factory=dict)
    clauses: list[Clause] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def clauses_of(self, instrument: str) -> list[Clause]:
        return [c for c in self.clauses if c.instrument == instrument]

    def lookup_define(self, name: str, instrument: str | None) -> A.DefineDecl | None:
        if instrument is not None:
            inst = self.instruments.get(instrument)
            if inst is not None and name in inst.defines:
                return inst.defines[name]
            # A protocol or understanding reads its parent treaty's definitions.
            parent = inst.node.parent if inst is not None else None
            if parent and parent in self.instruments and name in self.instruments[parent].defines:
                return self.instruments[parent].defines[name]
        return self.defines.get(name)

    def state_exists(self, code: str, d: dt.date) -> bool:
        s = self.states.get(code)
        if s is None:
            return False
        return Interval(s.start, s.end).contains(d)
