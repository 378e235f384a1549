"""A plain-Python evaluator of concrete scenarios: the semantics, stated directly.

Given a scenario and an interpretation (a value for every open term it
consults), `Evaluator` says whether a clause applies and why. It is the test
oracle for the Z3 encoding (`reference_verdict` enumerates interpretations by
brute force), and the explainer turns its traces into grounds.

It shares nothing with `obligations.smt` but the surface tree, so that a
mistake in one shows up as a disagreement with the other.
"""

from __future__ import annotations

import datetime as dt
from typing import Callable, Iterable

from obligations.model.corpus import Clause, Corpus, Fact, Instrument
from obligations.model.facts import FactIndex
from obligations.scenario import Question, Scenario, entails
from obligations.syntax import ast as A
from obligations.syntax.format import cond_text


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
        self.facts = FactIndex(corpus, self._fact_active)
        self._consulted: list[str] = []
        self._used: list[Fact] = []

    # -- the world on the date
    def _fact_active(self, instrument: str | None, d: dt.date) -> bool:
        return instrument is None or self.in_force(instrument)

    def in_force(self, name: str) -> bool:
        inst = self.c.instruments[name]
        if inst.draft:
            return name in self.drafts
        return inst.force.contains(self.d)

    def is_party(self, inst: Instrument, state: str | None) -> bool:
        if state is None:
            return False
        return any(m.state == state and m.interval.contains(self.d) for m in inst.memberships)

    def is_designated(self, inst: Instrument, state: str | None) -> bool:
        if state is None:
            return False
        pool = [inst] + [i for i in self.c.instruments.values() if i.node.parent == inst.name and self.in_force(i.name)]
        return any(m.state == state and m.interval.contains(self.d) for i in pool for m in i.designations)

    def bound(self, inst: Instrument, state: str) -> bool:
        return self.is_party(inst, state) or state in inst.node.authors

    def suspended(self, inst: Instrument, state: str, toward: str | None) -> bool:
        return any(
            s.state == state and (s.toward is None or s.toward == toward) and s.interval.contains(self.d)
            for s in inst.suspensions
        )

    def open_term(self, term: str, args: tuple[str, ...]) -> bool:
        f = self.facts.lookup(term, args, self.d)
        if f is not None:
            self._used.append(f)
            return not f.negated
        key = term_key(term, args)
        self._consulted.append(key)
        if key not in self.interp:
            if self.default is None:
                raise NeedTerm(key)
            return self.default
        return self.interp[key]

    def pinned_sovereigns(self) -> dict[str, int]:
        """For each disputed place, how many claimants a fact makes sovereign on the date."""
        out = {}
        for p in self.c.places.values():
            n = 0
            for x in p.claimed_by:
                f = self.facts.lookup("sovereign", (p.name, x), self.d)
                n += bool(f is not None and not f.negated)
            if n:
                out[p.name] = n
        return out

    def in_region(self, place: str, region: str, seen: frozenset = frozenset()) -> bool:
        p = self.c.places[place]
        if region in p.regions:
            return True
        if region in seen or region not in self.c.regions:
            return False
        r = self.c.regions[region]
        seen = seen | {region}
        inside = any(pi.region == region for pi in p.possibly_in) and self.open_term("in", (place, region))
        inside = inside or any(self.in_region(place, sub, seen) for sub in r.includes)
        return inside and not any(self.in_region(place, ex, seen) for ex in r.excludes)

    def holds(self, holdings: list[A.Holding], state: str) -> bool:
        return any(h.state == state and (h.start is None or h.start <= self.d) and (h.end is None or self.d < h.end) for h in holdings)

    def territory_of(self, place: str, state: str | None) -> bool:
        if state is None:
            return False
        p = self.c.places[place]
        if self.holds(p.territory_of, state):
            return True
        if state in p.claimed_by:
            return self.open_term("sovereign", (place, state))
        return False

    def administered_by(self, place: str, state: str | None) -> bool:
        return state is not None and self.holds(self.c.places[place].administered_by, state)

    def dispute(self, a: str | None, b: str | None) -> bool:
        if a is None or b is None or a == b:
            return False
        for p in self.c.places.values():
            if not p.claimed_by:
                continue
            a_in = a in p.claimed_by or self.holds(p.administered_by, a)
            b_in = b in p.claimed_by or self.holds(p.administered_by, b)
            if a_in and b_in and (a in p.claimed_by or b in p.claimed_by):
                return True
        return False

    # -- conditions
    def role(self, r: str) -> str | None:
        return self.s.role(r)

    def cond(self, c: A.Cond, inst: Instrument) -> bool:
        s = self.s
        match c:
            case A.And(items=items):
                return all(self.cond(x, inst) for x in items)
            case A.Or(items=items):
                return any(self.cond(x, inst) for x in items)
            case A.Not(item=x):
                return not self.cond(x, inst)
            case A.Const(value=v):
                return v
            case A.IsParty(role=r):
                return self.is_party(inst, self.role(r))
            case A.IsDesignated(role=r):
                return self.is_designated(inst, self.role(r))
            case A.RoleHas(role=r, term=t):
                st = self.role(r)
                return st is not None and self.open_term(t, (st,))
            case A.RoleEq(role=r, other=o):
                a, b = self.role(r), self.role(o)
                return a is not None and a == b
            case A.RoleIn(role=r, codes=cs):
                return self.role(r) in cs
            case A.Dispute(role=r, other=o):
                a = self.role(r)
                if o is not None:
                    return self.dispute(a, self.role(o))
                return any(self.dispute(a, m) for m in inst.members_on(self.d))
            case A.PlaceIn(region=g):
                return s.place is not None and self.in_region(s.place, g)
            case A.PlaceEq(place=p):
                return s.place == p
            case A.PlaceTerritory(role=r):
                return s.place is not None and self.territory_of(s.place, self.role(r))
            case A.PlaceAdministered(role=r):
                return s.place is not None and self.administered_by(s.place, self.role(r))
            case A.PlaceClaimed(role=r):
                return s.place is not None and self.role(r) in self.c.places[s.place].claimed_by
            case A.PlaceHas(term=t):
                return s.place is not None and self.open_term(t, (s.place,))
            case A.PlaceAttr(attr=a):
                return s.place is not None and getattr(self.c.places[s.place], a)
            case A.TargetIn(targets=ts):
                return s.target in ts
            case A.DateCmp(op=op, date=d):
                return {"<": self.d < d, "<=": self.d <= d, ">": self.d > d, ">=": self.d >= d}[op]
            case A.AllianceIncludes(role=r):
                al = self.c.instruments.get(s.alliance or "")
                return al is not None and self.is_party(al, self.role(r))
            case A.AllianceMilitary():
                al = self.c.instruments.get(s.alliance or "")
                if al is None:
                    return False
                if al.node.category == "alliance":
                    return True
                if al.node.category == "security":
                    return self.open_term("military", (al.name,))
                return False
            case A.AllianceHas(term=t):
                return s.alliance is not None and self.open_term(t, (s.alliance,))
            case A.AllianceEq(instrument=i):
                return s.alliance == i
            case A.Ref(name=n):
                d = self.c.lookup_define(n, inst.name)
                if d is not None:
                    return self.cond(d.cond, inst)
                return self.open_term(n, ())
        raise AssertionError(f"no semantics for {type(c).__name__}")

    # -- clauses
    def counterpart(self, cl: Clause) -> str | None:
        """Whom the obligation is owed to: the action's object, or the state the event is about."""
        obj = cl.node.action.obj
        if obj is not None:
            v = self.role(obj)
            if v is not None and v.isupper():
                return v
        return self.s.victim if self.s.event in ("armed-attack", "threat") else self.s.actor

    def matches(self, cl: Clause, q: Question) -> bool:
        """Statically, could this clause answer the question (deontic, action, object)?"""
        n = cl.node
        if n.deontic != q.deontic or not entails(n.action.name, q.action):
            return False
        if q.obj is not None and n.action.obj is not None:
            v = self.role(n.action.obj)
            return v == q.obj
        return True

    def steps(self, cl: Clause, party: str) -> list[tuple[str, str, Callable[[], bool]]]:
        """The conditions under which `cl` binds `party` in this scenario, in the order they are explained."""
        inst = self.c.instruments[cl.instrument]
        n = cl.node
        out: list[tuple[str, str, Callable[[], bool]]] = []
        label = f"{inst.name} read as if in force (a draft)" if inst.draft and inst.name in self.drafts else f"{inst.name} in force on {self.d}"
        out.append(("force", label, lambda: self.in_force(inst.name)))
        q_from = [q.date for q in n.qualifiers if q.mode == "from" and q.date]
        q_until = [q.date for q in n.qualifiers if q.mode == "until" and q.date]
        if q_from or q_until:
            out.append(("effect", "the clause applies on the date",
                        lambda: all(self.d >= x for x in q_from) and all(self.d < x for x in q_until)))
        if n.trigger is not None:
            out.append(("trigger", f"the event is {n.trigger.replace('-', ' ')}", lambda: self.s.event == n.trigger))
        subj = n.subject
        if subj.mode == "each_party":
            out.append(("bound", f"{party} is a party", lambda: self.is_party(inst, party)))
            for r in subj.other_than:
                out.append(("bound", f"{party} is not the {r}", lambda r=r: self.role(r) != party))
        elif subj.mode == "each_author":
            out.append(("bound", f"{party} is an author", lambda: party in inst.node.authors))
        else:
            out.append(("bound", f"{party} is {subj.code}", lambda: party == subj.code))
            out.append(("bound", f"{party} is bound by {inst.name}", lambda: self.bound(inst, party) or self.is_designated(inst, party)))
        out.append(("suspension", f"{party}'s obligations are not suspended",
                    lambda: not self.suspended(inst, party, self.counterpart(cl))))
        if n.condition is not None:
            out.append(("condition", cond_text(n.condition), lambda: self.cond(n.condition, inst)))
        if n.action.where is not None:
            out.append(("where", cond_text(n.action.where), lambda: self.cond(n.action.where, inst)))
        for q in n.qualifiers:
            if q.mode == "against":
                out.append(("against", cond_text(q.cond), lambda q=q: self.cond(q.cond, inst)))
            elif q.mode == "unless":
                out.append(("unless", "not " + cond_text(q.cond, 3), lambda q=q: not self.cond(q.cond, inst)))
            elif q.mode == "constitutional":
                out.append(("release", f"{party}'s constitutional processes do not release it",
                            lambda: not self.open_term("release", (inst.name, party))))
        for ar in cl.restrictions:
            r = ar.restrict
            if r.party is not None and r.party != party:
                continue
            label = ("not " + cond_text(r.cond, 3)) if r.mode == "unless" else cond_text(r.cond)
            out.append(("restriction", f"{label} ({ar.source})",
                        lambda r=r, src=ar.source: (not self.in_force(src)) or
                        (not self.cond(r.cond, inst) if r.mode == "unless" else self.cond(r.cond, inst))))
        return out

    def applies(self, cl: Clause, party: str) -> bool:
        return all(fn() for _, _, fn in self.steps(cl, party))

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
