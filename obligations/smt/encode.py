"""Core model -> Z3: when does a clause bind a party, as a formula.

The encoder reads each clause's steps (model/steps.py), the same ordered description the reference evaluator
and the explanation read. The scenario may be concrete (a query about one attack) or symbolic (a search for a
witness: `conflicts`, `prove`, `diff`): every scenario field is either a Python value or a Z3 constant of an
enumeration sort. Atoms with concrete arguments fold to Python booleans while the formula is built, so a
concrete query leaves only its open terms to the solver.

Open-textured terms become free Boolean variables named by their key (`communist(CHN)`,
`in(guam, pacific-area)`); facts fold them to constants. Every formula is kept with the clause it came from.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Iterator

from obligations.smt.z3lazy import z3

from obligations.model import core as C
from obligations.model.core import Clause, Corpus, Instrument
from obligations.model.facts import FactIndex
from obligations.record import field, record
from obligations.smt import pyterm
from obligations.smt.pyterm import NeedSolver, Term
from obligations.scenario import Question
from obligations.vocab import TARGETS, Event, Role, entails

TYPE_CHECKING = False
if TYPE_CHECKING:  # aliases for annotations (z3 is imported when first used: obligations/smt/z3lazy.py)
    B = bool | z3.BoolRef
    Val = str | None | z3.ExprRef  # a concrete name, nothing, or a symbolic constant


def _nary(mk, out: list) -> z3.BoolRef:
    """z3.And/z3.Or through the C API: z3py coerces and sort-checks every argument, which was half the time of
    a symbolic query; here every argument is already a Boolean term of one context."""
    ctx = out[0].ctx
    arr = (z3.Ast * len(out))()
    for i, x in enumerate(out):
        arr[i] = x.as_ast()
    return z3.BoolRef(mk(ctx.ref(), len(out), arr), ctx)


def _enum_sort(name: str, values: list[str], ctx: z3.Context) -> tuple[z3.SortRef, list[z3.ExprRef]]:
    """z3.EnumSort, its constants made through the C API: z3py calls each constructor through FuncDeclRef's
    argument checks, a few ms for the 200 states of a world (every `conflicts` pays it)."""
    num = len(values)
    names = (z3.Symbol * num)()
    for i in range(num):
        names[i] = z3.to_symbol(values[i], ctx)
    decls = (z3.FuncDecl * num)()
    testers = (z3.FuncDecl * num)()
    ref = ctx.ref()
    sort = z3.DatatypeSortRef(z3.Z3_mk_enumeration_sort(ref, z3.to_symbol(name, ctx), num, names, decls, testers), ctx)
    return sort, [z3.DatatypeRef(z3.Z3_mk_app(ref, decls[i], 0, None), ctx) for i in range(num)]


intersect_domains = C.intersect_domains  # re-exported: the grounded search reads it from here


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
    if len(out) == 1:
        return out[0]
    return out[0].terms.and_(out) if type(out[0]) is Term else _nary(z3.Z3_mk_and, out)


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
    if len(out) == 1:
        return out[0]
    return out[0].terms.or_(out) if type(out[0]) is Term else _nary(z3.Z3_mk_or, out)


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
    if type(x) is Term:
        return x.terms.not_(x)
    # Z3_mk_not on the AST: z3.Not coerces and sort-checks its argument in Python (see _nary).
    return z3.BoolRef(z3.Z3_mk_not(x.ctx.ref(), x.as_ast()), x.ctx)


def is_sym(v: Val) -> bool:
    if v is None or isinstance(v, str):  # concrete (a name, an enum): asked without touching z3 (imported when first used)
        return False
    return type(v) is Term or isinstance(v, z3.ExprRef)


@record
class OpenTerm:
    key: str
    term: str
    args: tuple[str, ...]
    var: z3.BoolRef


@record(eq=False)
class SymScenario:
    """A scenario whose fields may be symbolic. `memo` keeps each definition's formula for this scenario, so a
    definition used many times (or a diamond of definitions) is built once."""

    event: Event
    attacker: Val = None
    victim: Val = None
    target: Val = None
    place: Val = None
    actor: Val = None
    alliance: Val = None
    seller: Val = None
    memo: dict = field(default_factory=dict, repr=False)

    def value(self, who: C.Who) -> Val:
        return getattr(self, who.role.value) if isinstance(who, C.RoleRef) else who.code

    def role(self, r: Role) -> Val:
        return getattr(self, r.value)

    @classmethod
    def of(cls, scenario) -> "SymScenario":
        return cls(event=scenario.event, attacker=scenario.attacker, victim=scenario.victim,
                   target=scenario.target.value if scenario.target is not None else None, place=scenario.place,
                   actor=scenario.actor, alliance=scenario.alliance, seller=scenario.seller)


@record
class Encoding:
    """The formula for one question, with each clause's part kept apart."""

    formula: B
    parts: list[tuple[Clause, B]] = field(default_factory=list)


class _Index:
    """What does not change with the date: one per corpus and set of drafts, shared by its encoders (an
    `Engine` makes one encoder per date asked; a batch of random dates would otherwise rebuild all this)."""

    def __init__(self, corpus: Corpus, drafts: frozenset[str]):
        self.facts = FactIndex(corpus, lambda f, d: fact_active(corpus, drafts, f, d))
        self.candidates: dict[tuple[str, str], list[Clause]] = {}
        self.by_party: dict[tuple[str, str], dict[str, list[Clause]]] = {}
        self.over_place: dict[tuple, tuple] = {}  # Encoder._over_place's formulas, shared across dates


def in_force_on(corpus: Corpus, drafts: frozenset[str], name: str, d: dt.date) -> bool:
    inst = corpus.instruments[name]
    if inst.draft:
        return name in drafts
    return inst.force.contains(d)


def fact_active(corpus: Corpus, drafts: frozenset[str], f, d: dt.date) -> bool:
    """A top-level fact always; a reading whenever its statement is part of what is asked (a reading shows what a
    treaty meant from its start: its statement's date does not bound it); any other fact while its instrument is
    in force."""
    if f.instrument is None:
        return True
    if f.reading:
        inst = corpus.instruments.get(f.instrument)
        return inst is not None and (not inst.draft or f.instrument in drafts)
    return in_force_on(corpus, drafts, f.instrument, d)


def areas(corpus: Corpus) -> list[str]:
    """Where an attack can happen: every place, and every region (a sea, an ocean, a continent)."""
    return sorted(corpus.places) + sorted(corpus.regions)


class Encoder:
    def __init__(self, corpus: Corpus, date: dt.date, drafts: frozenset[str] = frozenset(),
                 ctx: z3.Context | None = None, share: "Encoder | None" = None,
                 domains: dict[str, list[str]] | None = None, memo: bool = False, terms: str = "z3"):
        """`share`: another encoder whose context, sorts and open terms this one uses, so that
        formulas about two corpora (two drafts) speak of the same scenarios and readings.
        `domains`: the names of each sort, when they must cover more than this corpus.
        `memo`: remember each condition's formula per scenario across scenarios, for callers that ask about the
        same scenarios for many parties (an export); off by default so that a long batch of distinct scenarios
        does not grow memory (a scenario's own definitions are memoised on the scenario either way).
        `terms`: "z3", or "python" for formulas as plain Python terms (smt/pyterm.py) and no Z3 context at all:
        anything that needs one raises NeedSolver (for `conflicts` and `who`, which then run again on Z3)."""
        if terms not in ("z3", "python") or (terms == "python" and (share is not None or ctx is not None)):
            raise ValueError(f"terms={terms!r} (python terms share nothing with another encoder)")
        self._py = pyterm.Terms() if terms == "python" else None
        self.c = corpus
        self.domains = domains
        self.d = date
        self.drafts = drafts
        self._share, self._z3ctx = share, ctx
        same = share is not None and share.c is corpus and share.drafts == drafts
        self.index = share.index if same else _Index(corpus, drafts)
        self.facts = self.index.facts
        self.opens: dict[str, OpenTerm] = share.opens if share else {}
        self._area_memo: dict[tuple[str, str], B] = {}
        self._held_by: dict[str, dict[str, list[str]]] = {}
        self._when_memo: dict[tuple, tuple[str, ...]] = {}
        self._when_keep: dict[int, z3.ExprRef] = {}
        self._place_in: dict[tuple, tuple] = {}  # the value keeps the place term alive, so its id stays its own
        self._state_term: dict[tuple, tuple] = {}  # likewise for a state's term over a symbolic state
        self._force: dict[str, bool] = {}
        self._sovereigns: dict[str, frozenset[str]] = {}
        self._victims: dict[int, tuple] = {}  # clause id -> (victim_domain, the clause)
        self._place_roles: dict | None = None  # who can hold, administer, claim some place (_victim_atom)
        self._designated: dict[str, list[str]] = {}
        self._background: list | None = None
        self._bg_groups: list[frozenset[int]] | None = None
        self._bg_data: pyterm.Background | None = None
        self._existing: tuple[list[str], frozenset[str]] | None = None
        self._members: dict[str, tuple[list[str], frozenset[str]]] = {}  # the date is fixed: memberships are too
        self._cond_memo: dict | None = {} if memo else None
        self._disputes: set[tuple[str, str]] | None = None
        self._ctx: tuple | None = None  # (instrument, party, scenario) while a clause is encoded
        self._scoped = self.facts.scoped_terms
        self._sorts: dict[str, tuple[z3.SortRef, dict[str, z3.ExprRef]]] = share._sorts if share else {}
        self._eq_memo: dict[tuple[int, str], B] = share._eq_memo if share else {}
        self._eq_keep: list = share._eq_keep if share else []
        if share:
            self.domains = share.domains

    @property
    def ctx(self) -> z3.Context:
        """The Z3 context, made on first use (some 7 ms): a concrete query whose open terms are all settled by
        facts builds no term and needs none."""
        if self._py is not None:
            raise NeedSolver("the Z3 context")
        if self._z3ctx is None:
            self._z3ctx = self._share.ctx if self._share is not None else z3.Context()
        return self._z3ctx

    # -- sorts, built on first use: a concrete query never needs them
    def sort(self, kind: str) -> tuple[z3.SortRef, dict[str, z3.ExprRef]]:
        if kind not in self._sorts:
            if self.domains and kind in self.domains:
                names = list(self.domains[kind])
            else:
                names = {
                    "State": lambda: sorted(self.c.states),
                    "Place": lambda: areas(self.c),
                    "Target": lambda: list(TARGETS),
                    "Inst": lambda: sorted(self.c.instruments),
                }[kind]()
            names = names or ["none"]
            if self._py is not None:
                self._sorts[kind] = (kind, {n: self._py.val(kind, n) for n in names})
            else:
                sort, consts = _enum_sort(kind, names, self.ctx)
                self._sorts[kind] = (sort, dict(zip(names, consts)))
        return self._sorts[kind]

    def const(self, kind: str, name: str) -> z3.ExprRef:
        if self._py is not None:
            self.sort(kind)
            return self._py.sym(kind, name)
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
            if name not in consts:
                got = False
            elif self._py is not None:
                got = self._py.eq(v, consts[name])
            else:
                got = v == consts[name]
            self._eq_memo[key] = got
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
        return self._py.eq(a, b) if self._py is not None else a == b

    def cases(self, kind: str, v: Val, names: Iterable[str], f) -> B:
        """f(name) where v == name: one disjunct per name when v is symbolic."""
        if v is None:
            return False
        if isinstance(v, str):
            return f(v) if v in names else False
        # f first: most names fail it (a place outside the region), and then no equality need be built.
        parts = []
        for n in names:
            r = f(n)
            if r is not False:
                parts.append(AND(self.eq(kind, v, n), r))
        return OR(*parts)

    def in_states(self, v: Val, codes: Iterable[str]) -> B:
        if not is_sym(v):
            return v is not None and v in codes
        return OR(*[self.eq("State", v, x) for x in codes])

    # -- the world on the date
    def in_force(self, name: str) -> bool:
        got = self._force.get(name)  # the date is fixed: asked for every clause of every party
        if got is None:
            got = self._force[name] = in_force_on(self.c, self.drafts, name, self.d)
        return got

    def open_term(self, term: str, args: tuple[str, ...]) -> B:
        if term in self._scoped and self._ctx is not None:
            inst, party, s = self._ctx
            chain = self.facts.applicable(term, args, self.d, inst, party)
        else:
            g = self.facts.lookup(term, args, self.d)
            chain = [g] if g is not None else []
        # The most specific fact without a `when` settles it; those with a `when` settle it where they hold.
        pending = []
        out: B | None = None
        for f in chain:
            if f.when is None:
                out = not f.negated
                break
            pending.append(f)
        if out is None:
            key = f"{term}({', '.join(args)})"
            if key not in self.opens:
                if self._py is not None:
                    var = self._py.var(key)
                else:
                    ctx = self.ctx  # a Boolean constant through the C API (z3.Bool builds its sort in Python each time)
                    var = z3.BoolRef(z3.Z3_mk_const(ctx.ref(), z3.to_symbol(key, ctx), z3.BoolSort(ctx).ast), ctx)
                self.opens[key] = OpenTerm(key, term, args, var)
            out = self.opens[key].var
        for f in reversed(pending):
            w = self.cond(f.when, self._ctx[2])
            out = OR(AND(w, not f.negated), AND(NOT(w), out))
        return out

    def within(self, instrument: str | None, party: str | None, s: "SymScenario"):
        """Encode what follows as part of `party`'s obligations under `instrument` in `s` (readings are scoped)."""
        return _Within(self, (instrument, party, s))

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
            pool = [inst] + [self.c.instruments[n] for n in self.c.children(inst.name) if self.in_force(n)]
            got = self._designated[inst.name] = sorted({x for i in pool for x in i.designated_on(self.d)})
        return got

    def in_area(self, loc: str, region: str) -> B:
        """Whether the place or region `loc` lies in `region`: declared in it, in a region it includes, or
        possibly in it (an open term, inherited by everything inside an open region), and in none it excludes.
        A fact about `in(loc, region)` settles it first. Memoised per (loc, region): a diamond of regions costs
        its size, not its paths (cycles are rejected by `check`)."""
        key = (loc, region) + (self._ctx_key() if "in" in self._scoped else ())
        got = self._area_memo.get(key)
        if got is not None:
            return got
        self._area_memo[key] = False  # a cycle (only in a corpus that failed `check`) reads as "not in it"
        out = self._in_area(loc, region)
        self._area_memo[key] = out
        return out

    def _in_area(self, loc: str, region: str) -> B:
        if loc == region:
            return True
        r = self.c.regions.get(region)
        if r is None:
            return False
        f = self.facts.lookup("in", (loc, region), self.d)
        if f is not None:
            return not f.negated
        p = self.c.places.get(loc)
        own = p if p is not None else self.c.regions.get(loc)
        direct: B = (p is not None and region in p.regions) or loc in r.include_places or loc in r.includes
        if direct is not True:
            opened = any(pi.region == region for pi in own.possibly_in) if own is not None else False
            parts = [self.open_term("in", (loc, region)) if opened else False]
            parts += [self.in_area(loc, sub) for sub in r.includes]
            # Everything in a region that is possibly in this one is possibly in it too, on the same reading.
            for other in self._possibly_into().get(region, ()):
                if other != loc:
                    parts.append(AND(self.open_term("in", (other, region)), self.in_area(loc, other)))
            direct = OR(*parts)
        if direct is False:
            return False
        out_of = OR(*[self.in_area(loc, ex) for ex in r.excludes], loc in r.exclude_places)
        return AND(direct, NOT(out_of))

    def places_maybe_in(self, region: str) -> frozenset[str] | None:
        """The places for which in_area(place, region) can be other than False: those declared in it, included
        by it, or possibly in it. None when that takes in_area itself: the region includes others or another region
        may lie in it (then a place's answer goes through them), or some fact speaks of `in`."""
        memo = self.__dict__.setdefault("_maybe_in_memo", {})
        if region not in memo:
            r = self.c.regions.get(region)
            if r is None or r.includes or self._possibly_into().get(region) or self._in_facts():
                memo[region] = None
            else:
                memo[region] = frozenset(
                    p.name for p in self.c.places.values()
                    if region in p.regions or p.name in r.include_places or any(pi.region == region for pi in p.possibly_in))
        return memo[region]

    def _in_facts(self) -> bool:
        got = getattr(self, "_has_in_facts", None)
        if got is None:
            got = self._has_in_facts = any(f.term == "in" for f in self.c.facts)
        return got

    def _possibly_into(self) -> dict[str, list[str]]:
        got = getattr(self, "_maybe_in", None)
        if got is None:
            got = {}
            for r in self.c.regions.values():
                for pi in r.possibly_in:
                    got.setdefault(pi.region, []).append(r.name)
            self._maybe_in = got
        return got

    def territory(self, place: str, state: str) -> B:
        p = self.c.places[place]
        sov = self._sovereigns.get(place)
        if sov is None:
            sov = self._sovereigns[place] = frozenset(p.sovereign_on(self.d))
        if state in sov:
            return True
        if state in p.claimed_by:
            return self.open_term("sovereign", (place, state))
        return False

    def disputes(self) -> set[tuple[str, str]]:
        if self._disputes is None:
            pairs = set()
            for p in self.c.places.values():
                if not p.claimed_by:
                    continue
                involved = set(p.claimed_by) | set(p.administrators_on(self.d))
                for a in involved:
                    for b in involved:
                        if a != b and (a in p.claimed_by or b in p.claimed_by):
                            pairs.add((a, b))
            self._disputes = pairs
        return self._disputes

    # -- conditions
    def cond(self, c: C.Cond, s: SymScenario) -> B:
        if self._ctx is None and self._scoped:
            with self.within(None, None, s):  # outside any clause: only readings that speak of every instrument
                return self.cond(c, s)
        if self._cond_memo is None:
            return self._cond(c, s)
        # Keyed by the scenario's values, a symbolic one by the identity of its Python object (asking Z3 for term
        # ids cost a fifth of an export; callers reuse their symbols' objects). The memo keeps the scenario, and
        # so those objects, alive: an id stays its own.
        ctx = self._ctx[:2] if self._ctx is not None and self._scoped else ()
        key = (id(c), *ctx, *[v if v is None or isinstance(v, str) else id(v) for v in
                              (s.event, s.attacker, s.victim, s.target, s.place, s.actor, s.alliance, s.seller)])
        got = self._cond_memo.get(key)
        if got is None:
            got = self._cond_memo[key] = (self._cond(c, s), s, c)
        return got[0]

    def _cond(self, c: C.Cond, s: SymScenario) -> B:
        match c:
            case C.And(items=items):
                return ALL(self.cond(x, s) for x in items)
            case C.Or(items=items):
                return ANY(self.cond(x, s) for x in items)
            case C.Not(item=x):
                return NOT(self.cond(x, s))
            case C.Const(value=v):
                return v
            case C.Defined(define=d):
                key = (id(d), *self._ctx_key())
                got = s.memo.get(key)
                if got is None:
                    got = s.memo[key] = (self.cond(d.cond, s), d)
                return got[0]
            case C.IsParty(who=w, instrument=i):
                inst = self.c.instruments.get(i)
                if inst is None:
                    return False
                v = s.value(w)
                if not is_sym(v):
                    return v in self.member_set(inst)
                return OR(*[self.eq("State", v, m) for m in self.members(inst)])
            case C.IsDesignated(who=w, instrument=i):
                inst = self.c.instruments.get(i)
                return False if inst is None else self.in_states(s.value(w), self.designated(inst))
            case C.StateTerm(who=w, term=t):
                v = s.value(w)
                if not is_sym(v) or self._term_when(t):
                    return self.cases("State", v, self.c.states, lambda st: self.open_term(t, (st,)))
                # Over a symbolic state: one disjunct per state, the same for every scenario that shares the
                # constant (no fact of the term has a `when`), built once (per context, for a scoped term).
                key = (t, v.get_id(), *(self._ctx_key() if t in self._scoped else ()))
                got = self._state_term.get(key)
                if got is None:
                    got = self._state_term[key] = (
                        self.cases("State", v, self.c.states, lambda st: self.open_term(t, (st,))), v)
                return got[0]
            case C.SameState(a=a, b=b):
                return self.same("State", s.value(a), s.value(b))
            case C.StateIn(who=w, codes=cs):
                return self.in_states(s.value(w), cs)
            case C.Dispute(who=w, other=o, instrument=i):
                a = s.value(w)
                pairs = self.disputes()
                if o is not None:
                    b = s.value(o)
                    return OR(*[AND(self.eq("State", a, x), self.eq("State", b, y)) for x, y in pairs])
                inst = self.c.instruments.get(i)
                members = self.member_set(inst) if inst is not None else frozenset()
                return OR(*[self.eq("State", a, x) for x, y in pairs if y in members])
            case C.PlaceIn(region=g):
                if not is_sym(s.place):
                    return s.place is not None and s.place in self._area_names() and self.in_area(s.place, g)
                # `place in g` over a symbolic place is one formula per region (and context), whichever clause asks.
                return self._over_place(("in", g), "in", s, lambda p: self.in_area(p, g))
            case C.PlaceIs(place=p):
                return self.eq("Place", s.place, p)
            case C.PlaceTerritory(who=w):
                v = s.value(w)
                if not is_sym(v):
                    # A known state: only the places it holds or claims can be its territory.
                    return False if v is None else self.cases(
                        "Place", s.place, self._territorial().get(v, ()), lambda p: self.territory(p, v))
                return self.cases("Place", s.place, self.c.places, lambda p: OR(*[
                    AND(self.eq("State", v, x), self.territory(p, x))
                    for x in sorted({h.state for h in self.c.places[p].territory_of} | set(self.c.places[p].claimed_by))
                ]))
            case C.PlaceAdministered(who=w):
                v = s.value(w)
                if isinstance(v, str) and is_sym(s.place):
                    # A known state: only the places it administers, in the corpus's order (the same formula).
                    return self.cases("Place", s.place, self._held("administered").get(v, ()), lambda p: True)
                return self.cases("Place", s.place, self.c.places, lambda p: self.in_states(v, self.c.places[p].administrators_on(self.d)))
            case C.PlaceClaimed(who=w):
                v = s.value(w)
                if isinstance(v, str) and is_sym(s.place):
                    return self.cases("Place", s.place, self._held("claimed").get(v, ()), lambda p: True)
                return self.cases("Place", s.place, self.c.places, lambda p: self.in_states(v, self.c.places[p].claimed_by))
            case C.PlaceTerm(term=t):
                return self._over_place(("term", t), t, s, lambda p: self.open_term(t, (p,)))
            case C.PlaceAttr(attr=a):
                if not is_sym(s.place):
                    return self.cases("Place", s.place, self.c.places, lambda p: bool(getattr(self.c.places[p], a)))
                return self._over_place(("attr", a), None, s, lambda p: bool(getattr(self.c.places[p], a)),
                                        self.c.places)
            case C.TargetIn(targets=ts):
                return OR(*[self.eq("Target", s.target, t.value) for t in ts])
            case C.DateCmp(op=op, date=d):
                return {"<": self.d < d, "<=": self.d <= d, ">": self.d > d, ">=": self.d >= d}[op]
            case C.AllianceIncludes(who=w):
                v = s.value(w)
                return self.cases("Inst", s.alliance, self.c.instruments,
                                  lambda i: self.in_states(v, self.members(self.c.instruments[i])))
            case C.AllianceMilitary():
                def mil(i: str) -> B:
                    cat = self.c.instruments[i].category
                    if cat == "alliance":
                        return True
                    if cat == "security":
                        return self.open_term("military", (i,))
                    return False
                return self.cases("Inst", s.alliance, self.c.instruments, mil)
            case C.AllianceTerm(term=t):
                return self.cases("Inst", s.alliance, self.c.instruments, lambda i: self.open_term(t, (i,)))
            case C.AllianceIs(instrument=i):
                return self.eq("Inst", s.alliance, i)
            case C.Term0(term=t):
                return self.open_term(t, ())
        raise AssertionError(f"no encoding for {type(c).__name__}")

    def _term_when(self, term: str) -> bool:
        """Whether some fact of `term` has a `when` (its reading then depends on the scenario)."""
        got = getattr(self, "_whens", None)
        if got is None:
            got = self._whens = frozenset(f.term for f in self.c.facts if f.when is not None)
        return term in got

    def _over_place(self, what: tuple, term: str | None, s: SymScenario, f, names=None) -> B:
        """`cases` of f over the places and regions, for a symbolic place: built once per encoder (and context),
        and shared with the encoders of other dates where it cannot differ -- f reads only the facts of `term`
        (None: nothing of the date), no reading applies in the context, and the same facts hold on both dates.
        An export makes an encoder per date, and rebuilt these for each."""
        names = self._area_names() if names is None else names
        if not is_sym(s.place):
            return self.cases("Place", s.place, names, f)
        ck = self._ctx_key() if term in self._scoped else ()
        key = (*what, s.place.get_id(), *ck)
        got = self._place_in.get(key)
        if got is None:
            sig = None if ck else (() if term is None else self.facts.global_signature(term, self.d))
            skey = (*what, s.place.get_id(), sig)
            got = self.index.over_place.get(skey) if sig is not None else None
            if got is None:
                # s kept alive too: a context key may hold its id.
                got = (self.cases("Place", s.place, names, f), s.place, s)
                if sig is not None:
                    self.index.over_place[skey] = got
            self._place_in[key] = got
        return got[0]

    def _held(self, how: str) -> dict[str, list[str]]:
        """State -> the places it administers on the date (or claims), in the corpus's order."""
        got = self._held_by.get(how)
        if got is None:
            got = self._held_by[how] = {}
            for p in self.c.places.values():
                for x in dict.fromkeys(p.administrators_on(self.d) if how == "administered" else p.claimed_by):
                    got.setdefault(x, []).append(p.name)
        return got

    def _territorial(self) -> dict[str, tuple[str, ...]]:
        """State -> the places it is sovereign of (at some time) or claims."""
        got = getattr(self, "_terr", None)
        if got is None:
            idx: dict[str, list[str]] = {}
            for p in self.c.places.values():
                for x in {h.state for h in p.territory_of} | set(p.claimed_by):
                    idx.setdefault(x, []).append(p.name)
            got = self._terr = {k: tuple(sorted(v)) for k, v in idx.items()}
        return got

    def _area_names(self):
        got = getattr(self, "_areas", None)
        if got is None:
            got = self._areas = frozenset(self.c.places) | frozenset(self.c.regions)
        return got

    # -- clauses
    def counterpart(self, cl: Clause, s: SymScenario) -> Val:
        """Whom the obligation is owed to: the state the action names, or the one the event is about."""
        if isinstance(cl.obj, (C.RoleRef, C.StateRef)):
            return s.value(cl.obj)
        return s.victim if Event(s.event).is_attack else s.actor

    def object_matches(self, cl: Clause, q: Question, s: SymScenario) -> B:
        if q.obj is None or cl.obj is None:
            return True
        if isinstance(cl.obj, (C.RoleRef, C.StateRef)):
            return self.same("State", s.value(cl.obj), q.obj)
        return cl.obj == q.obj

    def _ctx_key(self) -> tuple:
        """What a formula built in the current context may depend on beyond its own arguments: the scoped facts
        that apply here (and the scenario, when one of them has a `when`). Empty in most contexts, so what is
        built for one clause serves the next."""
        if self._ctx is None or not self._scoped:
            return ()
        inst, party, s = self._ctx
        ids, whens = self.facts.context_signature(inst, party)
        if not ids:
            return ()
        if not whens:
            return (ids,)
        # The scenario's values that the `when`s read (not the scenario's identity: a freed scenario's id is
        # reused, and an export's scenarios that differ in the victim alone share what the `when`s do not read).
        vals = []
        for f in self._when_fields(ids):
            v = getattr(s, f)
            if is_sym(v):
                self._when_keep.setdefault(v.get_id(), v)  # kept: the id stays this term's
                v = ("sym", v.get_id())
            vals.append(v)
        return (ids, tuple(vals))

    def _when_fields(self, ids: tuple) -> tuple[str, ...]:
        """The scenario fields the `when`s of these scoped facts can read (all of them for an atom not known)."""
        got = self._when_memo.get(ids)
        if got is None:
            every = ("event", "attacker", "victim", "target", "place", "actor", "alliance", "seller")
            place = (C.PlaceIn, C.PlaceIs, C.PlaceTerritory, C.PlaceAdministered, C.PlaceClaimed, C.PlaceTerm,
                     C.PlaceAttr)
            alliance = C.ALLIANCE_ATOMS
            plain = (C.And, C.Or, C.Not, C.Defined, C.Const, C.DateCmp, C.Term0, C.StateTerm, C.IsParty,
                     C.IsDesignated, C.SameState, C.StateIn, C.Dispute, C.TargetIn) + place + alliance
            want = set(ids)
            out: set[str] = {"event"}
            for fs in self.facts.scoped.values():
                for f in fs:
                    if id(f) not in want or f.when is None:
                        continue
                    for n in C.walk(f.when, into_definitions=True):
                        if not isinstance(n, plain):
                            out = set(every)
                        out |= {w.role.value for w in C.who_of(n) if isinstance(w, C.RoleRef)}
                        if isinstance(n, place):
                            out.add("place")
                        elif isinstance(n, alliance):
                            out.add("alliance")
                        elif isinstance(n, C.TargetIn):
                            out.add("target")
            got = self._when_memo[ids] = tuple(x for x in every if x in out)
        return got

    def victim_domain(self, cl: Clause) -> frozenset[str] | None:
        """The states outside which `cl` binds no one on this date (core.victim_domain). For a victim outside
        the set every such step folds to False, so a search or `who` need not evaluate the clause for it.
        Memoised per clause (the date is fixed)."""
        got = self._victims.get(id(cl))
        if got is None:
            got = self._victims[id(cl)] = (C.victim_domain(cl, self._victim_atom), cl)
        return got[0]

    def _victim_atom(self, c: C.Cond) -> frozenset[str] | None:
        """The victims for whom this encoder does not fold the atom `c` to False on its date (None: unbounded)."""
        match c:
            case C.IsParty(instrument=i):
                inst = self.c.instruments.get(i)
                return frozenset() if inst is None else self.member_set(inst)
            case C.IsDesignated(instrument=i):
                inst = self.c.instruments.get(i)
                return frozenset() if inst is None else frozenset(self.designated(inst))
            case C.PlaceTerritory() | C.PlaceAdministered() | C.PlaceClaimed():
                got = self._place_roles
                if got is None:
                    got = self._place_roles = {
                        C.PlaceTerritory: frozenset(self._territorial()),
                        C.PlaceAdministered: frozenset(x for p in self.c.places.values()
                                                       for x in p.administrators_on(self.d)),
                        C.PlaceClaimed: frozenset(x for p in self.c.places.values() for x in p.claimed_by)}
                return got[type(c)]
        return None

    def applies(self, cl: Clause, party: str, s: SymScenario) -> B:
        """When clause `cl` binds `party` in scenario `s` (the clause's action aside): the conjunction of its
        steps, each built only while the conjunction can still hold (most clauses fail on their first
        condition, and the rest would be built for nothing)."""
        with self.within(cl.instrument, party, s):
            return ALL(self.step(st, cl, party, s) for st in cl.steps)

    def steps(self, cl: Clause, party: str, s: SymScenario) -> Iterator[tuple[C.Step, B]]:
        for st in cl.steps:
            yield st, self.step(st, cl, party, s)

    def step(self, st: C.Step, cl: Clause, party: str, s: SymScenario) -> B:
        if self._ctx is None or self._ctx[1] != party or self._ctx[0] != cl.instrument:
            with self.within(cl.instrument, party, s):
                return self.step(st, cl, party, s)
        match st:
            case C.InForce(instrument=i):
                return self.in_force(i)
            case C.InEffect(start=a, end=b):
                return (a is None or self.d >= a) and (b is None or self.d < b)
            case C.Trigger(event=e):
                return s.event == e
            case C.Bound(instrument=i, how=how, code=code):
                inst = self.c.instruments[i]
                if how == "party":
                    return party in self.member_set(inst)
                if how == "author":
                    return party in inst.authors
                return party == code and (party in self.member_set(inst) or party in inst.authors
                                          or party in self.designated(inst))
            case C.NotRole(role=r):
                return NOT(self.same("State", s.role(r), party))
            case C.NotSuspended(instrument=i):
                toward = None
                out: list[B] = []
                for sp in self.c.instruments[i].suspensions:
                    if sp.state == party and sp.interval.contains(self.d):
                        if sp.toward is None:
                            return False
                        toward = self.counterpart(cl, s) if toward is None else toward
                        out.append(NOT(self.same("State", toward, sp.toward)))
                return AND(*out)
            case C.Holds(cond=c):
                return self.cond(c, s)
            case C.Unless(cond=c):
                return NOT(self.cond(c, s))
            case C.NotReleased(instrument=i):
                return NOT(self.open_term("release", (i, party)))
            case C.Restricted(source=src, mode=mode, cond=c, party=p):
                if (p is not None and p != party) or not self.in_force(src):
                    return True
                v = self.cond(c, s)
                return NOT(v) if mode == "unless" else v
        raise AssertionError(f"no encoding for step {type(st).__name__}")

    def candidates(self, deontic: str, action: str) -> list[Clause]:
        key = (deontic, action)
        got = self.index.candidates.get(key)
        if got is None:
            got = self.index.candidates[key] = [cl for cl in self.c.clauses
                                                if cl.deontic == deontic and entails(cl.action, action)]
        return got

    def party_candidates(self, deontic: str, action: str, party: str) -> list[Clause]:
        """The candidates that can bind `party` at all (`applies` is False for the others on every date), in
        the corpus's order. One pass over the clauses builds the table for every party."""
        key = (deontic, action)
        table = self.index.by_party.get(key)
        if table is None:
            table = {}
            for cl in self.candidates(deontic, action):
                for p in bindable(self.c, cl):
                    table.setdefault(p, []).append(cl)
            self.index.by_party[key] = table
        return table.get(party, [])

    def question(self, q: Question, s: SymScenario, only: str | Iterable[str] | None = None,
                 live: Callable[[Clause], bool] | None = None) -> Encoding:
        """When `q.party` is bound as asked in `s` (under the instrument or instruments `only`, if given).
        `live`: a test that passes every clause that can be other than False in `s` (the others are skipped)."""
        parts = []
        keep = None if only is None else ({only} if isinstance(only, str) else set(only))
        for cl in self.party_candidates(q.deontic, q.action, q.party):
            if keep is not None and cl.instrument not in keep:
                continue
            if live is not None and not live(cl):
                continue
            f = AND(self.object_matches(cl, q, s), self.applies(cl, q.party, s))
            if f is not False:
                parts.append((cl, f))
        return Encoding(OR(*[f for _, f in parts]), parts)

    # -- what every scenario a search may return respects
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
        if self._py is not None:
            raise NeedSolver("the background as Z3 constraints")
        if self._background is None:
            self._background = self._build_background()
        return self._background

    def background_groups(self) -> list[frozenset[int]]:
        """The background as plain data, for callers that decide simple formulas without a solver: each
        constraint but those of `background_false` says that at most one open term of a group (by id) is true."""
        if self._bg_groups is None:
            self._build_background() if self._py is not None else self.background()
        return self._bg_groups

    def background_false(self) -> frozenset[int]:
        """The open terms (by id) the background forces false."""
        self.background_groups()
        return self._bg_false

    def background_data(self) -> pyterm.Background:
        """The background as pyterm.decide reads it."""
        if self._bg_data is None:
            self._bg_data = pyterm.Background(self.background_groups(), self.background_false(), self._bg_complex)
        return self._bg_data

    def _build_background(self) -> list[z3.BoolRef]:
        out = []
        groups: list[frozenset[int]] = []
        false: set[int] = set()
        complex_ = False
        for p in self.c.places.values():
            got = self._place_background(p.name)
            if got is None:
                continue
            kind, syms, terms = got
            out += terms
            complex_ |= any(type(v) is Term and v.op != pyterm.VAR for v in syms)
            if kind == "false":
                false |= {v.get_id() for v in syms}
            else:
                groups.append(frozenset(v.get_id() for v in syms))
        self._bg_groups, self._bg_false, self._bg_complex = groups, frozenset(false), complex_
        return out

    def _place_background(self, place: str) -> tuple[str, list, list] | None:
        """The background of one disputed place: ("false", terms, constraints) when a sovereign is fixed (the
        claims are then false), ("at-most-one", terms, [constraint]) otherwise; None when it needs none.
        Memoised; built outside any clause's context, like the whole background."""
        memo = self.__dict__.setdefault("_place_bg", {})
        if place in memo:
            return memo[place]
        p = self.c.places[place]
        out = None
        if len(p.claimed_by) >= 2:
            prev, self._ctx = self._ctx, None
            try:
                vals = [self.territory(p.name, x) for x in p.claimed_by]
            finally:
                self._ctx = prev
            syms = [v for v in vals if not isinstance(v, bool)]
            fixed = sum(1 for v in vals if v is True)
            py = self._py is not None  # Python terms: the groups alone (pyterm.Background), no Z3 constraint
            if syms and fixed >= 1:
                out = ("false", syms, [] if py else [z3.Not(v) for v in syms])
            elif len(syms) > 1:
                out = ("at-most-one", syms, [] if py else [z3.AtMost(*syms, 1)])
        memo[place] = out
        return out

    def background_of(self, f: B) -> list[z3.BoolRef]:
        """The background constraints that speak of f's open terms (those of the disputed places whose
        sovereignty f reads): what `decide` would keep of the whole background (solver._relevant), without
        building the rest. Each place's constraints mention only its own claims, so no closure is needed."""
        if isinstance(f, bool):
            return []
        if self._py is not None:
            raise NeedSolver("the background as Z3 constraints")
        from obligations.smt.solver import _vars

        out, places = [], set()
        for v in _vars(f):
            ot = self.opens.get(v.decl().name())
            if ot is not None and ot.term == "sovereign" and ot.args and ot.args[0] in self.c.places:
                places.add(ot.args[0])
        for place in sorted(places):
            got = self._place_background(place)
            if got is not None:
                out += got[2]
        return out


class _Within:
    def __init__(self, enc: Encoder, ctx: tuple):
        self.enc, self.ctx, self.prev = enc, ctx, None

    def __enter__(self):
        self.prev, self.enc._ctx = self.enc._ctx, self.ctx

    def __exit__(self, *exc):
        self.enc._ctx = self.prev


def bindable(corpus: Corpus, cl: Clause) -> set[str]:
    """Every state the clause can bind on some date: the one way "who can be bound" is computed."""
    inst = corpus.instruments[cl.instrument]
    if cl.subject.kind == "each_party":
        return {m.state for m in inst.memberships}
    if cl.subject.kind == "each_author":
        return set(inst.authors)
    return {cl.subject.code}
