"""Core model -> Z3: when does a clause bind a party, as a formula.

The scenario may be concrete (a query about one attack) or symbolic (a search
for a witness: `conflicts`, `prove`, `diff`): every scenario field is either a
Python value or a Z3 constant of an enumeration sort. Atoms with concrete
arguments fold to Python booleans while the formula is built, so a concrete
query leaves only its open terms to the solver.

Open-textured terms become free Boolean variables named by their key
(`communist(CHN)`, `in(guam, pacific-area)`); facts fold them to constants.
Every clause's formula is kept with the clause id it came from.
"""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Union

import z3

from obligations.model.corpus import Clause, Corpus, Instrument
from obligations.model.facts import FactIndex
from obligations.scenario import TARGETS, Question, entails
from obligations.syntax import ast as A

B = Union[bool, z3.BoolRef]
Val = Union[str, None, z3.ExprRef]  # a concrete name, nothing, or a symbolic constant


def _nary(mk, out: list) -> z3.BoolRef:
    """z3.And/z3.Or through the C API: z3py coerces and sort-checks every argument, which was half the time of
    a symbolic query; here every argument is already a Boolean term of one context."""
    ctx = out[0].ctx
    arr = (z3.Ast * len(out))()
    for i, x in enumerate(out):
        arr[i] = x.as_ast()
    return z3.BoolRef(mk(ctx.ref(), len(out), arr), ctx)


def AND(*xs: B) -> B:
    out = []
    for x in xs:
        if x is False:
            return False
        if x is True:
            continue
        out.append(x)
    if not out:
        return True
    return out[0] if len(out) == 1 else _nary(z3.Z3_mk_and, out)


def OR(*xs: B) -> B:
    out = []
    for x in xs:
        if x is True:
            return True
        if x is False:
            continue
        out.append(x)
    if not out:
        return False
    return out[0] if len(out) == 1 else _nary(z3.Z3_mk_or, out)


def _until(xs: Iterable[B], absorbing: bool, combine) -> B:
    out = []
    for x in xs:
        if x is absorbing:
            return absorbing
        out.append(x)
    return combine(*out)


def ALL(xs: Iterable[B]) -> B:
    """AND of terms computed one at a time: stops at the first False, so the rest are never built."""
    return _until(xs, False, AND)


def ANY(xs: Iterable[B]) -> B:
    """OR of terms computed one at a time: stops at the first True."""
    return _until(xs, True, OR)


def NOT(x: B) -> B:
    if isinstance(x, bool):
        return not x
    return z3.Not(x)


def is_sym(v: Val) -> bool:
    return isinstance(v, z3.ExprRef)


@dataclass
class OpenTerm:
    key: str
    term: str
    args: tuple[str, ...]
    var: z3.BoolRef


@dataclass
class SymScenario:
    """A scenario whose fields may be symbolic."""

    event: str
    attacker: Val = None
    victim: Val = None
    target: Val = None
    place: Val = None
    actor: Val = None
    alliance: Val = None
    seller: Val = None

    def role(self, r: str) -> Val:
        return getattr(self, r) if r in ("victim", "attacker", "actor", "seller") else r


@dataclass
class Encoding:
    """The formula for one question, with each clause's part kept apart."""

    formula: B
    parts: list[tuple[Clause, B]] = field(default_factory=list)


class _Index:
    """What does not change with the date: one per corpus and set of drafts, shared by its encoders (an
    `Engine` makes one encoder per date asked; a batch of random dates would otherwise rebuild all this)."""

    def __init__(self, corpus: Corpus, drafts: frozenset[str]):
        self.facts = FactIndex(corpus, lambda inst, d: inst is None or in_force_on(corpus, drafts, inst, d))
        self.candidates: dict[tuple[str, str], list[Clause]] = {}
        self.by_party: dict[tuple[str, str], dict[str, list[Clause]]] = {}
        self.children: dict[str, list[Instrument]] = {}
        for i in corpus.instruments.values():
            if i.node.parent:
                self.children.setdefault(i.node.parent, []).append(i)


def in_force_on(corpus: Corpus, drafts: frozenset[str], name: str, d: dt.date) -> bool:
    inst = corpus.instruments[name]
    if inst.draft:
        return name in drafts
    return inst.force.contains(d)


class Encoder:
    def __init__(self, corpus: Corpus, date: dt.date, drafts: frozenset[str] = frozenset(),
                 ctx: z3.Context | None = None, share: "Encoder | None" = None,
                 domains: dict[str, list[str]] | None = None, memo: bool = False):
        """`share`: another encoder whose context, sorts and open terms this one uses, so that
        formulas about two corpora (two drafts) speak of the same scenarios and readings.
        `domains`: the names of each sort, when they must cover more than this corpus.
        `memo`: remember each condition's formula per scenario, for callers that ask about the same scenarios for
        many parties (an export); off by default so that a long batch of distinct scenarios does not grow memory."""
        self.c = corpus
        self.domains = domains
        self.d = date
        self.drafts = drafts
        self.ctx = share.ctx if share else (ctx or z3.Context())
        same = share is not None and share.c is corpus and share.drafts == drafts
        self.index = share.index if same else _Index(corpus, drafts)
        self.facts = self.index.facts
        self.opens: dict[str, OpenTerm] = share.opens if share else {}
        self._region_memo: dict[tuple[str, str], B] = {}
        self._designated: dict[str, list[str]] = {}
        self._background: list | None = None
        self._existing: tuple[list[str], frozenset[str]] | None = None
        self._members: dict[str, tuple[list[str], frozenset[str]]] = {}  # the date is fixed: memberships are too
        self._cond_memo: dict | None = {} if memo else None
        self._sorts: dict[str, tuple[z3.SortRef, dict[str, z3.ExprRef]]] = share._sorts if share else {}
        self._eq_memo: dict[tuple[int, str], B] = share._eq_memo if share else {}
        self._eq_keep: list = share._eq_keep if share else []
        if share:
            self.domains = share.domains

    # -- sorts, built on first use: a concrete query never needs them
    def sort(self, kind: str) -> tuple[z3.SortRef, dict[str, z3.ExprRef]]:
        if kind not in self._sorts:
            if self.domains and kind in self.domains:
                names = list(self.domains[kind])
            else:
                names = {
                    "State": sorted(self.c.states),
                    "Place": sorted(self.c.places),
                    "Target": list(TARGETS),
                    "Inst": sorted(self.c.instruments),
                }[kind]
            names = names or ["none"]
            sort, consts = z3.EnumSort(kind, names, ctx=self.ctx)
            self._sorts[kind] = (sort, dict(zip(names, consts)))
        return self._sorts[kind]

    def const(self, kind: str, name: str) -> z3.ExprRef:
        return z3.Const(name, self.sort(kind)[0])

    def eq(self, kind: str, v: Val, name: str) -> B:
        if v is None or isinstance(v, str):
            return v == name
        # Building `v == c` through z3's Python API is slow and symbolic queries ask it again and again; the
        # memo's terms hold v, so v's id is never reused while it is a key.
        key = (v.get_id(), name)
        got = self._eq_memo.get(key)
        if got is None:
            consts = self.sort(kind)[1]
            got = self._eq_memo[key] = False if name not in consts else v == consts[name]
            if got is False:
                self._eq_keep.append(v)
        return got

    def same(self, kind: str, a: Val, b: Val) -> B:
        if a is None or b is None:
            return False
        if isinstance(a, str) and isinstance(b, str):
            return a == b
        if isinstance(a, str):
            return self.eq(kind, b, a)
        if isinstance(b, str):
            return self.eq(kind, a, b)
        return a == b

    def cases(self, kind: str, v: Val, names: Iterable[str], f) -> B:
        """f(name) where v == name: one disjunct per name when v is symbolic."""
        if v is None:
            return False
        if isinstance(v, str):
            return f(v) if v in set(names) else False
        return OR(*[AND(self.eq(kind, v, n), f(n)) for n in names])

    # -- the world on the date
    def in_force(self, name: str) -> bool:
        return in_force_on(self.c, self.drafts, name, self.d)

    def open_term(self, term: str, args: tuple[str, ...]) -> B:
        f = self.facts.lookup(term, args, self.d)
        if f is not None:
            return not f.negated
        key = f"{term}({', '.join(args)})"
        if key not in self.opens:
            self.opens[key] = OpenTerm(key, term, args, z3.Bool(key, self.ctx))
        return self.opens[key].var

    def members(self, inst: Instrument) -> list[str]:
        got = self._members.get(inst.name)
        if got is None:
            on = inst.members_on(self.d)
            got = self._members[inst.name] = (on, frozenset(on))
        return got[0]

    def member_set(self, inst: Instrument) -> frozenset[str]:
        self.members(inst)
        return self._members[inst.name][1]

    def designated(self, inst: Instrument) -> list[str]:
        got = self._designated.get(inst.name)
        if got is None:
            pool = [inst] + [i for i in self.index.children.get(inst.name, ()) if self.in_force(i.name)]
            got = self._designated[inst.name] = sorted({m.state for i in pool for m in i.designations
                                                        if m.interval.contains(self.d)})
        return got

    def _holds(self, holdings: list[A.Holding], state: str) -> bool:
        return any(h.state == state and (h.start is None or h.start <= self.d) and (h.end is None or self.d < h.end) for h in holdings)

    def in_region(self, place: str, region: str, seen: frozenset = frozenset()) -> B:
        key = (place, region)
        if key in self._region_memo and not seen:
            return self._region_memo[key]
        p = self.c.places[place]
        if region in p.regions:
            out: B = True
        elif region in seen or region not in self.c.regions:
            out = False
        else:
            r = self.c.regions[region]
            seen2 = seen | {region}
            open_ = self.open_term("in", (place, region)) if any(pi.region == region for pi in p.possibly_in) else False
            inside = OR(open_, *[self.in_region(place, sub, seen2) for sub in r.includes])
            out = AND(inside, NOT(OR(*[self.in_region(place, ex, seen2) for ex in r.excludes])))
        if not seen:
            self._region_memo[key] = out
        return out

    def territory(self, place: str, state: str) -> B:
        p = self.c.places[place]
        if self._holds(p.territory_of, state):
            return True
        if state in p.claimed_by:
            return self.open_term("sovereign", (place, state))
        return False

    def disputes(self) -> set[tuple[str, str]]:
        if not hasattr(self, "_disputes"):
            pairs = set()
            for p in self.c.places.values():
                if not p.claimed_by:
                    continue
                involved = set(p.claimed_by) | {h.state for h in p.administered_by if self._holds([h], h.state)}
                for a in involved:
                    for b in involved:
                        if a != b and (a in p.claimed_by or b in p.claimed_by):
                            pairs.add((a, b))
            self._disputes = pairs
        return self._disputes

    # -- conditions
    def cond(self, c: A.Cond, inst: Instrument, s: SymScenario) -> B:
        if self._cond_memo is None:
            return self._cond(c, inst, s)
        # Keyed by the scenario's values (a symbolic one by its term id; the memo keeps the term alive, so the id
        # stays its own) and by the instrument, whose definitions and members a condition reads.
        key = (id(c), inst.name, *[v.get_id() if is_sym(v) else v for v in
                                   (s.event, s.attacker, s.victim, s.target, s.place, s.actor, s.alliance, s.seller)])
        got = self._cond_memo.get(key)
        if got is None:
            got = self._cond_memo[key] = (self._cond(c, inst, s), s, c)
        return got[0]

    def _cond(self, c: A.Cond, inst: Instrument, s: SymScenario) -> B:
        match c:
            case A.And(items=items):
                return ALL(self.cond(x, inst, s) for x in items)
            case A.Or(items=items):
                return ANY(self.cond(x, inst, s) for x in items)
            case A.Not(item=x):
                return NOT(self.cond(x, inst, s))
            case A.Const(value=v):
                return v
            case A.IsParty(role=r):
                v = s.role(r)
                if not is_sym(v):
                    return v in self.member_set(inst)
                return OR(*[self.eq("State", v, m) for m in self.members(inst)])
            case A.IsDesignated(role=r):
                v = s.role(r)
                if not is_sym(v):
                    return v is not None and v in self.designated(inst)
                return OR(*[self.eq("State", v, m) for m in self.designated(inst)])
            case A.RoleHas(role=r, term=t):
                return self.cases("State", s.role(r), self.c.states, lambda st: self.open_term(t, (st,)))
            case A.RoleEq(role=r, other=o):
                return self.same("State", s.role(r), s.role(o))
            case A.RoleIn(role=r, codes=cs):
                v = s.role(r)
                if not is_sym(v):
                    return v is not None and v in cs
                return OR(*[self.eq("State", v, x) for x in cs])
            case A.Dispute(role=r, other=o):
                a = s.role(r)
                pairs = self.disputes()
                if o is not None:
                    b = s.role(o)
                    return OR(*[AND(self.eq("State", a, x), self.eq("State", b, y)) for x, y in pairs])
                members = set(self.members(inst))
                return OR(*[self.eq("State", a, x) for x, y in pairs if y in members])
            case A.PlaceIn(region=g):
                return self.cases("Place", s.place, self.c.places, lambda p: self.in_region(p, g))
            case A.PlaceEq(place=p):
                return self.eq("Place", s.place, p)
            case A.PlaceTerritory(role=r):
                v = s.role(r)
                return self.cases("Place", s.place, self.c.places, lambda p: OR(*[
                    AND(self.eq("State", v, x), self.territory(p, x))
                    for x in sorted({h.state for h in self.c.places[p].territory_of} | set(self.c.places[p].claimed_by))
                ]))
            case A.PlaceAdministered(role=r):
                v = s.role(r)
                return self.cases("Place", s.place, self.c.places, lambda p: OR(*[
                    self.eq("State", v, h.state) for h in self.c.places[p].administered_by if self._holds([h], h.state)
                ]))
            case A.PlaceClaimed(role=r):
                v = s.role(r)
                return self.cases("Place", s.place, self.c.places, lambda p: OR(*[
                    self.eq("State", v, x) for x in self.c.places[p].claimed_by]))
            case A.PlaceHas(term=t):
                return self.cases("Place", s.place, self.c.places, lambda p: self.open_term(t, (p,)))
            case A.PlaceAttr(attr=a):
                return self.cases("Place", s.place, self.c.places, lambda p: bool(getattr(self.c.places[p], a)))
            case A.TargetIn(targets=ts):
                return OR(*[self.eq("Target", s.target, t) for t in ts])
            case A.DateCmp(op=op, date=d):
                return {"<": self.d < d, "<=": self.d <= d, ">": self.d > d, ">=": self.d >= d}[op]
            case A.AllianceIncludes(role=r):
                v = s.role(r)
                return self.cases("Inst", s.alliance, self.c.instruments, lambda i: OR(*[
                    self.eq("State", v, m) for m in self.members(self.c.instruments[i])
                ]))
            case A.AllianceMilitary():
                def mil(i: str) -> B:
                    cat = self.c.instruments[i].node.category
                    if cat == "alliance":
                        return True
                    if cat == "security":
                        return self.open_term("military", (i,))
                    return False
                return self.cases("Inst", s.alliance, self.c.instruments, mil)
            case A.AllianceHas(term=t):
                return self.cases("Inst", s.alliance, self.c.instruments, lambda i: self.open_term(t, (i,)))
            case A.AllianceEq(instrument=i):
                return self.eq("Inst", s.alliance, i)
            case A.Ref(name=n):
                d = self.c.lookup_define(n, inst.name)
                if d is not None:
                    return self.cond(d.cond, inst, s)
                return self.open_term(n, ())
        raise AssertionError(f"no encoding for {type(c).__name__}")

    # -- clauses
    def counterpart(self, cl: Clause, s: SymScenario) -> Val:
        obj = cl.node.action.obj
        if obj is not None:
            v = s.role(obj)
            if is_sym(v) or (isinstance(v, str) and v.isupper()):
                return v
        return s.victim if s.event in ("armed-attack", "threat") else s.actor

    def object_matches(self, cl: Clause, q: Question, s: SymScenario) -> B:
        if q.obj is None or cl.node.action.obj is None:
            return True
        v = s.role(cl.node.action.obj)
        return self.same("State", v, q.obj) if (is_sym(v) or (v or "").isupper()) else v == q.obj

    def applies(self, cl: Clause, party: str, s: SymScenario) -> B:
        """When clause `cl` binds `party` in scenario `s` (the clause's action aside)."""
        inst = self.c.instruments[cl.instrument]
        n = cl.node
        if not self.in_force(inst.name):
            return False
        for q in n.qualifiers:
            if q.mode == "from" and q.date and self.d < q.date:
                return False
            if q.mode == "until" and q.date and self.d >= q.date:
                return False
        if n.trigger is not None and n.trigger != s.event:
            return False
        subj = n.subject
        parts: list[B] = []
        members = self.member_set(inst)
        if subj.mode == "each_party":
            if party not in members:
                return False
            for r in subj.other_than:
                parts.append(NOT(self.same("State", s.role(r), party)))
        elif subj.mode == "each_author":
            if party not in inst.node.authors:
                return False
        else:
            if party != subj.code:
                return False
            if not (party in members or party in inst.node.authors or party in self.designated(inst)):
                return False
        toward = self.counterpart(cl, s)
        for sp in inst.suspensions:
            if sp.state == party and sp.interval.contains(self.d):
                parts.append(NOT(True if sp.toward is None else self.same("State", toward, sp.toward)))
        # Each further part is built only while the conjunction can still hold: most clauses fail on their
        # first condition (the victim is not a party), and the rest would be built for nothing.
        return ALL(itertools.chain(parts, self._parts(cl, inst, party, s)))

    def _parts(self, cl: Clause, inst: Instrument, party: str, s: SymScenario) -> Iterator[B]:
        """The conditions of `applies` after the subject and suspensions, in order, each built when asked for."""
        n = cl.node
        if n.condition is not None:
            yield self.cond(n.condition, inst, s)
        if n.action.where is not None:
            yield self.cond(n.action.where, inst, s)
        for q in n.qualifiers:
            if q.mode == "against":
                yield self.cond(q.cond, inst, s)
            elif q.mode == "unless":
                yield NOT(self.cond(q.cond, inst, s))
            elif q.mode == "constitutional":
                yield NOT(self.open_term("release", (inst.name, party)))
        for ar in cl.restrictions:
            r = ar.restrict
            if (r.party is not None and r.party != party) or not self.in_force(ar.source):
                continue
            v = self.cond(r.cond, inst, s)
            yield NOT(v) if r.mode == "unless" else v

    def candidates(self, deontic: str, action: str) -> list[Clause]:
        key = (deontic, action)
        got = self.index.candidates.get(key)
        if got is None:
            got = self.index.candidates[key] = [cl for cl in self.c.clauses
                                                if cl.node.deontic == deontic and entails(cl.node.action.name, action)]
        return got

    def party_candidates(self, deontic: str, action: str, party: str) -> list[Clause]:
        """The candidates that can bind `party` at all (`applies` is False for the others on every date), in
        the corpus's order. One pass over the clauses builds the table for every party."""
        key = (deontic, action)
        table = self.index.by_party.get(key)
        if table is None:
            table = {}
            for cl in self.candidates(deontic, action):
                subj = cl.node.subject
                inst = self.c.instruments[cl.instrument]
                if subj.mode == "each_party":
                    who = {m.state for m in inst.memberships}
                elif subj.mode == "each_author":
                    who = set(inst.node.authors)
                else:
                    who = {subj.code}
                for p in who:
                    table.setdefault(p, []).append(cl)
            self.index.by_party[key] = table
        return table.get(party, [])

    def question(self, q: Question, s: SymScenario, only: str | None = None) -> Encoding:
        """When `q.party` is bound as asked in `s` (under instrument `only`, if given)."""
        parts = []
        for cl in self.party_candidates(q.deontic, q.action, q.party):
            if only is not None and cl.instrument != only:
                continue
            f = AND(self.object_matches(cl, q, s), self.applies(cl, q.party, s))
            if f is not False:
                parts.append((cl, f))
        return Encoding(OR(*[f for _, f in parts]), parts)

    def well_formed(self, s: SymScenario) -> list[z3.BoolRef]:
        """What every scenario a search may return respects: the states in it exist on the date,
        and nobody attacks itself."""
        out: list = []
        for role in ("attacker", "victim", "actor", "seller"):
            v = getattr(s, role)
            if is_sym(v):
                out.append(self.exists(v))
        if s.event in ("armed-attack", "threat") and (is_sym(s.attacker) or is_sym(s.victim)):
            out.append(NOT(self.same("State", s.attacker, s.victim)))
        return [z3.BoolVal(x, self.ctx) if isinstance(x, bool) else x for x in out]

    def existing(self) -> list[str]:
        """The states that exist on the date."""
        return self.existing_set()[0]

    def existing_set(self) -> tuple[list[str], frozenset[str]]:
        if self._existing is None:
            on = [code for code in self.c.states if self.c.state_exists(code, self.d)]
            self._existing = (on, frozenset(on))
        return self._existing

    def exists(self, v: z3.ExprRef) -> z3.BoolRef:
        """A symbolic state is one that exists on the date."""
        existing = self.existing()
        return OR(*[self.eq("State", v, x) for x in existing]) if existing else z3.BoolVal(False, self.ctx)

    def background(self) -> list[z3.BoolRef]:
        """Constraints every interpretation respects: a disputed place has at most one sovereign. Built once per
        encoder (the date is fixed); callers must not change the list."""
        if self._background is None:
            self._background = self._build_background()
        return self._background

    def _build_background(self) -> list[z3.BoolRef]:
        out = []
        for p in self.c.places.values():
            if len(p.claimed_by) < 2:
                continue
            vals = [self.territory(p.name, x) for x in p.claimed_by]
            syms = [v for v in vals if not isinstance(v, bool)]
            fixed = sum(1 for v in vals if v is True)
            if not syms:
                continue
            if fixed >= 1:
                out += [z3.Not(v) for v in syms]
            elif len(syms) > 1:
                out.append(z3.AtMost(*syms, 1))
        return out
