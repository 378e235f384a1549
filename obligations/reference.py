"""A plain-Python evaluator of concrete scenarios: the semantics, stated directly.

Given a scenario and an interpretation (a value for every open term it consults), `Evaluator` says whether a
clause applies and why. It is the test oracle for the Z3 encoding (`reference_verdict` enumerates
interpretations by brute force), the explainer reads its values, and `ask` uses it to answer a question that
consults no open term without importing Z3.

It reads the same ordered steps as the encoder (model/steps.py: *what* must hold), but states *how* each step
and each atom is decided again, on purpose: when an instrument is in force, which fact settles a term, what
lies in a region, which action entails which. It shares no code with `obligations.smt`, so a mistake in one
shows up as a disagreement with the other (tests/test_differential.py).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from obligations.model import core as C
from obligations.model.core import Clause, Corpus, Fact, Instrument
from obligations.scenario import Question, Scenario
from obligations.vocab import Event, Role

# Which obligation includes which, stated as pairs and closed here (the encoder reads vocab.ENTAILS).
_INCLUDES = {("use-armed-force", "assist"), ("meet-common-danger", "assist"), ("assist", "act")}


def _includes(done: str, asked: str) -> bool:
    if done == asked:
        return True
    frontier, seen = [done], {done}
    while frontier:
        x = frontier.pop()
        for a, b in _INCLUDES:
            if a == x and b not in seen:
                if b == asked:
                    return True
                seen.add(b)
                frontier.append(b)
    return False


class NeedTerm(Exception):
    """The evaluation consulted an open term that the interpretation does not settle."""

    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def term_key(term: str, args: Iterable[str]) -> str:
    return f"{term}({', '.join(args)})"


class Evaluator:
    def __init__(self, corpus: Corpus, scenario: Scenario, interp: dict[str, bool] | None = None,
                 drafts: frozenset[str] = frozenset(), default: bool | None = None):
        self.c = corpus
        self.default = default  # the value of an open term the interpretation leaves out; None: ask for it
        self.s = scenario
        self.d = scenario.date
        self.interp = interp if interp is not None else {}
        self.drafts = drafts
        self.consulted: list[str] = []  # open terms read, in order (the explainer reads these)
        self.used: list[Fact] = []  # facts that settled a term
        self._areas: dict[tuple, bool] = {}
        self._defs: dict[tuple, bool] = {}
        self._facts_by_term: dict[str, list[Fact]] | None = None
        self._ctx: tuple[str | None, str | None] = (None, None)  # (instrument, party) of the step evaluated

    def fork(self, interp: dict[str, bool] | None = None, default: bool | None = None) -> "Evaluator":
        return Evaluator(self.c, self.s, interp, self.drafts, default)

    # -- the world on the date
    def in_force(self, name: str) -> bool:
        inst = self.c.instruments[name]
        if inst.draft:
            return name in self.drafts
        start = inst.entry_into_force
        if start is None:
            if inst.kind in ("treaty", "protocol"):
                return False  # never entered into force
            start = inst.signed
        return (start is None or start <= self.d) and (inst.terminated is None or self.d < inst.terminated)

    def _on(self, iv: C.Interval) -> bool:
        return (iv.start is None or iv.start <= self.d) and (iv.end is None or self.d < iv.end)

    def is_party(self, inst: Instrument, state: str | None) -> bool:
        return state is not None and any(m.state == state and self._on(m.interval) for m in inst.memberships)

    def is_designated(self, inst: Instrument, state: str | None) -> bool:
        if state is None:
            return False
        # The instruments `to` it from the corpus's index (Corpus.children), not a scan of every instrument.
        pool = [inst] + [self.c.instruments[n] for n in self.c.children(inst.name) if self.in_force(n)]
        return any(m.state == state and self._on(m.interval) for i in pool for m in i.designations)

    def _stated(self, f: Fact) -> bool:
        """Whether the fact is part of the world asked about: a reading whenever its statement is (it says what
        the treaty meant all along), another instrument's fact while that instrument is in force."""
        if f.instrument is None:
            return True
        inst = self.c.instruments.get(f.instrument)
        if inst is None:
            return False
        if f.reading:
            return not inst.draft or f.instrument in self.drafts
        return self.in_force(f.instrument)

    def fact(self, term: str, args: tuple[str, ...]) -> Fact | None:
        """The fact settling term(args) on the date for the obligations being evaluated: a reading of this
        instrument for this party before a fact of every instrument, more named arguments before fewer; a
        reading with a `when` only where its condition holds."""
        if self._facts_by_term is None:
            self._facts_by_term = {}
            for f in self.c.facts:
                self._facts_by_term.setdefault(f.term, []).append(f)
        instrument, party = self._ctx
        inst = self.c.instruments.get(instrument or "")
        family = {instrument, inst.parent if inst is not None else None} - {None}
        ranked = []
        for f in self._facts_by_term.get(term, ()):
            if len(f.args) != len(args) or not self._on(f.interval) or not self._stated(f):
                continue
            if not all(a == "*" or a == b for a, b in zip(f.args, args)):
                continue
            specific = f.scope is not None or f.parties is not None or f.when is not None or f.assumed
            if specific and (instrument, party) == (None, None) and (f.scope is not None or f.parties is not None):
                continue
            if f.scope is not None and f.scope not in family:
                continue
            if f.parties is not None and party not in f.parties:
                continue
            ranked.append(((f.assumed, specific, f.scope is not None, f.parties is not None, sum(a != "*" for a in f.args),
                            f.when is not None), f))
        ranked.sort(key=lambda x: x[0], reverse=True)  # stable: the corpus's order among equals
        for _, f in ranked:
            if f.when is None or self.cond(f.when):
                return f
        return None

    def open_term(self, term: str, args: tuple[str, ...]) -> bool:
        f = self.fact(term, args)
        if f is not None:
            self.used.append(f)
            return not f.negated
        key = term_key(term, args)
        self.consulted.append(key)
        if key not in self.interp:
            if self.default is None:
                raise NeedTerm(key)
            return self.default
        return self.interp[key]

    def pinned_sovereigns(self) -> dict[str, int]:
        """For each disputed place, how many claimants a fact makes sovereign on the date."""
        out = {}
        for p in self.c.places.values():
            n = sum(1 for x in p.claimed_by if (f := self.fact("sovereign", (p.name, x))) is not None and not f.negated)
            if n:
                out[p.name] = n
        return out

    def in_area(self, loc: str, region: str) -> bool:
        """`loc` (a place or a region) lies in `region`."""
        key = (loc, region, *self._ctx)
        if key in self._areas:
            return self._areas[key]
        self._areas[key] = False  # cycles are rejected by `check`; this only stops a corrupt corpus looping
        try:
            v = self._in_area(loc, region)
        except NeedTerm:
            del self._areas[key]
            raise
        self._areas[key] = v
        return v

    def _in_area(self, loc: str, region: str) -> bool:
        if loc == region:
            return True
        r = self.c.regions.get(region)
        if r is None:
            return False
        f = self.fact("in", (loc, region))
        if f is not None:
            self.used.append(f)
            return not f.negated
        here = self.c.places.get(loc) or self.c.regions.get(loc)
        if here is None:
            return False
        inside = (isinstance(here, C.Place) and region in here.regions) or loc in r.include_places or loc in r.includes
        if not inside and any(pi.region == region for pi in here.possibly_in):
            inside = self.open_term("in", (loc, region))
        if not inside:
            inside = any(self.in_area(loc, sub) for sub in r.includes)
        if not inside:
            for other in self.c.regions.values():
                if other.name != loc and any(pi.region == region for pi in other.possibly_in) and self.in_area(loc, other.name):
                    if self.open_term("in", (other.name, region)):
                        inside = True
                        break
        if not inside:
            return False
        if loc in r.exclude_places:
            return False
        return not any(self.in_area(loc, ex) for ex in r.excludes)

    def territory_of(self, place: str, state: str | None) -> bool:
        p = self.c.places.get(place)
        if p is None or state is None:
            return False
        if any(h.state == state and self._on(h.interval) for h in p.territory_of):
            return True
        if state in p.claimed_by:
            return self.open_term("sovereign", (place, state))
        return False

    def administered_by(self, place: str, state: str | None) -> bool:
        p = self.c.places.get(place)
        return p is not None and state is not None and any(h.state == state and self._on(h.interval) for h in p.administered_by)

    def dispute(self, a: str | None, b: str | None) -> bool:
        return bool(self.disputed_places(a, b))

    def disputed_places(self, a: str | None, b: str | None) -> list[str]:
        """Places one of a and b claims and the other holds or claims."""
        if a is None or b is None or a == b:
            return []
        out = []
        for p in self.c.places.values():
            if not p.claimed_by:
                continue
            a_in = a in p.claimed_by or self.administered_by(p.name, a)
            b_in = b in p.claimed_by or self.administered_by(p.name, b)
            if a_in and b_in and (a in p.claimed_by or b in p.claimed_by):
                out.append(p.name)
        return out

    # -- conditions
    def value(self, who: C.Who) -> str | None:
        return self.s.role(who.role.value) if isinstance(who, C.RoleRef) else who.code

    def cond(self, c: C.Cond) -> bool:
        s = self.s
        match c:
            case C.And(items=items):
                return all(self.cond(x) for x in items)
            case C.Or(items=items):
                return any(self.cond(x) for x in items)
            case C.Not(item=x):
                return not self.cond(x)
            case C.Const(value=v):
                return v
            case C.Defined(define=d):
                k = (id(d), *self._ctx)
                if k not in self._defs:
                    self._defs[k] = self.cond(d.cond)
                return self._defs[k]
            case C.IsParty(who=w, instrument=i):
                inst = self.c.instruments.get(i)
                return inst is not None and self.is_party(inst, self.value(w))
            case C.IsDesignated(who=w, instrument=i):
                inst = self.c.instruments.get(i)
                return inst is not None and self.is_designated(inst, self.value(w))
            case C.StateTerm(who=w, term=t):
                st = self.value(w)
                return st is not None and st in self.c.states and self.open_term(t, (st,))
            case C.SameState(a=a, b=b):
                x, y = self.value(a), self.value(b)
                return x is not None and x == y
            case C.StateIn(who=w, codes=cs):
                return self.value(w) in cs
            case C.Dispute(who=w, other=o, instrument=i):
                a = self.value(w)
                if o is not None:
                    return self.dispute(a, self.value(o))
                inst = self.c.instruments.get(i)
                return inst is not None and any(self.dispute(a, m.state) for m in inst.memberships if self._on(m.interval))
            case C.PlaceIn(region=g):
                return s.place is not None and self.in_area(s.place, g)
            case C.PlaceIs(place=p):
                return s.place == p
            case C.PlaceTerritory(who=w):
                return s.place is not None and self.territory_of(s.place, self.value(w))
            case C.PlaceAdministered(who=w):
                return s.place is not None and self.administered_by(s.place, self.value(w))
            case C.PlaceClaimed(who=w):
                p = self.c.places.get(s.place or "")
                return p is not None and self.value(w) in p.claimed_by
            case C.PlaceTerm(term=t):
                return s.place is not None and self.c.area(s.place) is not None and self.open_term(t, (s.place,))
            case C.PlaceAttr(attr=a):
                p = self.c.places.get(s.place or "")
                return p is not None and bool(p.island if a == "island" else p.metropolitan)
            case C.TargetIn(targets=ts):
                return s.target is not None and s.target in ts
            case C.DateCmp(op=op, date=d):
                return {"<": self.d < d, "<=": self.d <= d, ">": self.d > d, ">=": self.d >= d}[op]
            case C.AllianceIncludes(who=w):
                al = self.c.instruments.get(s.alliance or "")
                return al is not None and self.is_party(al, self.value(w))
            case C.AllianceMilitary():
                al = self.c.instruments.get(s.alliance or "")
                if al is None:
                    return False
                if al.category == "alliance":
                    return True
                return al.category == "security" and self.open_term("military", (al.name,))
            case C.AllianceTerm(term=t):
                return s.alliance is not None and s.alliance in self.c.instruments and self.open_term(t, (s.alliance,))
            case C.AllianceIs(instrument=i):
                return s.alliance == i
            case C.Term0(term=t):
                return self.open_term(t, ())
        raise AssertionError(f"no semantics for {type(c).__name__}")

    # -- clauses
    def counterpart(self, cl: Clause) -> str | None:
        """Whom the obligation is owed to: the state the action names, or the one the event is about."""
        if isinstance(cl.obj, C.RoleRef):
            return self.s.role(cl.obj.role.value)
        if isinstance(cl.obj, C.StateRef):
            return cl.obj.code
        return self.s.victim if self.s.event in (Event.ARMED_ATTACK, Event.THREAT) else self.s.actor

    def suspension(self, inst: Instrument, party: str, toward: str | None) -> C.Suspension | None:
        for sp in inst.suspensions:
            if sp.state == party and self._on(sp.interval) and (sp.toward is None or sp.toward == toward):
                return sp
        return None

    def matches(self, cl: Clause, q: Question) -> bool:
        """Statically, could this clause answer the question (deontic, action, object)?"""
        if cl.deontic != q.deontic or not _includes(cl.action, q.action):
            return False
        if q.obj is not None and cl.obj is not None:
            if isinstance(cl.obj, (C.RoleRef, C.StateRef)):
                return self.value(cl.obj) == q.obj
            return cl.obj == q.obj
        return True

    def step(self, st: C.Step, cl: Clause, party: str) -> bool:
        """Whether one step of `cl` holds for `party` in this scenario (readings scoped to `cl`'s instrument and
        `party`)."""
        prev, self._ctx = self._ctx, (cl.instrument, party)
        try:
            return self._step(st, cl, party)
        finally:
            self._ctx = prev

    def _step(self, st: C.Step, cl: Clause, party: str) -> bool:
        match st:
            case C.InForce(instrument=i):
                return self.in_force(i)
            case C.InEffect(start=a, end=b):
                return (a is None or a <= self.d) and (b is None or self.d < b)
            case C.Trigger(event=e):
                return self.s.event == e
            case C.Bound(instrument=i, how=how, code=code):
                inst = self.c.instruments[i]
                if how == "party":
                    return self.is_party(inst, party)
                if how == "author":
                    return party in inst.authors
                return party == code and (self.is_party(inst, party) or party in inst.authors or self.is_designated(inst, party))
            case C.NotRole(role=r):
                return self.s.role(r.value) != party
            case C.NotSuspended(instrument=i):
                return self.suspension(self.c.instruments[i], party, self.counterpart(cl)) is None
            case C.Holds(cond=c):
                return self.cond(c)
            case C.Unless(cond=c):
                return not self.cond(c)
            case C.NotReleased(instrument=i):
                return not self.open_term("release", (i, party))
            case C.Restricted(source=src, mode=mode, cond=c, party=p):
                if (p is not None and p != party) or not self.in_force(src):
                    return True
                return (not self.cond(c)) if mode == "unless" else self.cond(c)
        raise AssertionError(f"no semantics for step {type(st).__name__}")

    def applies(self, cl: Clause, party: str) -> bool:
        return all(self.step(st, cl, party) for st in cl.steps)

    def candidates(self, q: Question) -> list[Clause]:
        return [cl for cl in self.c.clauses if self.matches(cl, q)]

    def bound_by(self, q: Question) -> bool:
        return any(self.applies(cl, q.party) for cl in self.candidates(q))


def reference_verdict(corpus: Corpus, scenario: Scenario, q: Question, drafts: frozenset[str] = frozenset(),
                      limit: int = 1 << 16) -> str:
    """The verdict by brute force over every interpretation of the open terms consulted.

    Interpretations that give one disputed place two sovereigns are not readings of anything and are skipped.
    """
    outcomes: set[bool] = set()
    pinned = Evaluator(corpus, scenario, {}, drafts).pinned_sovereigns()
    stack: list[dict[str, bool]] = [{}]
    n = 0
    while stack:
        interp = stack.pop()
        n += 1
        if n > limit:
            return "unknown"
        if not _consistent(interp, pinned):
            continue
        try:
            outcomes.add(Evaluator(corpus, scenario, interp, drafts).bound_by(q))
        except NeedTerm as e:
            stack.append({**interp, e.key: False})
            stack.append({**interp, e.key: True})
            continue
        if len(outcomes) == 2:
            return "depends"
    if outcomes == {True}:
        return "obliged"
    return "not_obliged"


def _consistent(interp: dict[str, bool], pinned: dict[str, int]) -> bool:
    owners: dict[str, int] = dict(pinned)
    for k, v in interp.items():
        if v and k.startswith("sovereign("):
            place = k[len("sovereign("):].split(",")[0]
            owners[place] = owners.get(place, 0) + 1
            if owners[place] > 1:
                return False
    return True
