"""Grounded conflict search: each clause evaluated over concrete attack scenarios, the pairs joined in Python.

The symbolic search (smt/search.py) asks Z3 one ∃scenario ∀reading query per pair of clauses, over enumeration
sorts of every state, place and target; on a world of hundreds of states that costs seconds per party. Here the
encoder folds each clause on concrete scenarios to True, False or a residual formula over the open terms only,
and the domains shrink before anything is evaluated:

- victims: the states that exist on the date, and a victim is dropped as soon as an evaluation that read
  neither target nor place fails;
- attackers: evaluated once, as a symbolic constant. When the result does not mention it, any well-formed
  attacker will do; when it does, the states it is compared with are told apart and every other state is one
  class (they all answer the same);
- targets: one suffices when no evaluation read the target;
- places: areas merged into classes that every place atom the clause (or any `when` of a fact) can ask about
  answers alike; an attack on a victim's territory only at the places it holds, administers or claims.

Reading which fields an evaluation used (`_Traced`) is what makes the shortcuts sound: an evaluation that never
read a field gives the same answer for every value of it.

A residual is classified once (valid under the background, contingent, or impossible) and a pair of residuals
decided once, memoised by formula.

Over an encoder of Python terms (smt/pyterm.py) the same search runs without Z3: the attacker is a Python symbol,
substituted and simplified in Python, and residuals are decided by truth table (pyterm.decide; NeedSolver when
only Z3 can answer as the Z3 search would).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from obligations.smt.z3lazy import z3

from obligations.model import core as C
from obligations.record import field, field_names, record
from obligations.smt import pyterm
from obligations.smt.encode import AND, Encoder, SymScenario, intersect_domains
from obligations.smt.search import holders
from obligations.smt.solver import Limits, check, decide, make_solver
from obligations.smt.decision import Decision
from obligations.vocab import TARGETS, Event, Target

TYPE_CHECKING = False
if TYPE_CHECKING:
    from obligations.smt.encode import B

_WATCHED = frozenset({"target", "place", "victim", "attacker"})

NAMED_CAP = 100  # nodes a formula's named states are looked for in (see Grounder._named_states)

# Attacker classes: every state (the answer did not mention the attacker), one state, or every state but some.
ALL = ("all",)


class _Traced(SymScenario):
    """A scenario that remembers which of its fields the encoder read."""

    def __getattribute__(self, name: str):
        if name in _WATCHED:
            object.__getattribute__(self, "read").add(name)
        return object.__getattribute__(self, name)


def _traced(event: Event, attacker, victim: str, target: str, place: str) -> _Traced:
    s = _Traced(event=event, attacker=attacker, victim=victim, target=target, place=place)
    object.__setattr__(s, "read", set())
    return s


def _atom_key(atom: C.Cond) -> tuple:
    """A place atom by what it asks (the model's atoms are compared by identity: each clause has its own)."""
    def v(x):
        if isinstance(x, C.RoleRef):
            return ("role", x.role.value)
        if isinstance(x, C.StateRef):
            return ("state", x.code)
        return x

    return (type(atom).__name__,) + tuple(v(getattr(atom, n)) for n in field_names(atom))


def member(state: str, cls: tuple) -> bool:
    if cls[0] == "all":
        return True
    if cls[0] == "is":
        return state == cls[1]
    return state not in cls[1]


@record
class Cell:
    """What one clause (or conjunction) does for one victim and one class of attackers: the best witness true
    under every reading, and the contingent residuals, each with its first (most telling) witness."""

    victim: str
    cls: tuple
    valid: tuple[B, dict] | None = None
    maybe: dict[int, tuple[B, dict]] = field(default_factory=dict)


@record
class Entry:
    """One evaluation of a clause that can hold: its formula, over the symbolic attacker when `lazy` (the
    evaluation read the attacker), and the attack (victim, target, place; the attacker is chosen at the join,
    and only those a join asks about are ever substituted and classified)."""

    f: B
    w: dict
    named: frozenset | None = None  # when lazy: the states f compares the attacker with (any other answers alike)

    @property
    def lazy(self) -> bool:
        return self.named is not None


def _at_place(w: dict, places) -> bool:
    return w["place"] in places


# -- which place atoms a clause can ask about
_PLACE_ATOMS = (C.PlaceIn, C.PlaceIs, C.PlaceTerritory, C.PlaceAdministered, C.PlaceClaimed, C.PlaceTerm, C.PlaceAttr)


def _atoms(c: C.Cond, out: set, seen: set) -> None:
    if id(c) in seen:
        return
    seen.add(id(c))
    match c:
        case C.And(items=items) | C.Or(items=items):
            for x in items:
                _atoms(x, out, seen)
        case C.Not(item=x):
            _atoms(x, out, seen)
        case C.Defined(define=d):
            _atoms(d.cond, out, seen)
        case _ if isinstance(c, _PLACE_ATOMS):
            out.add(c)


def victim_domain(enc: Encoder, clauses) -> frozenset | None:
    """The victims for which every one of `clauses` can bind (a conjunction of them holds); None: any."""
    return intersect_domains(enc.victim_domain(cl) for cl in clauses)


def place_atoms(clauses, facts) -> frozenset:
    """The place atoms of the clauses' steps and of every fact's `when` (a reading can depend on where)."""
    out: set = set()
    seen: set = set()
    for cl in clauses:
        for st in cl.steps:
            cond = getattr(st, "cond", None)
            if cond is not None:
                _atoms(cond, out, seen)
    for f in facts:
        if f.when is not None:
            _atoms(f.when, out, seen)
    return frozenset(out)


class Grounder:
    """Grounded tables for one encoder (one corpus and date) and one party."""

    def __init__(self, enc: Encoder, party: str, limits: Limits):
        self.enc = enc
        self.c = enc.c
        self.d = enc.d
        self.party = party
        self.limits = limits
        self._py = enc._py is not None  # Python terms: no Z3 (see the module's docstring)
        self.attacker = enc.const("State", "attacker·grounded")
        self._attacker_id = self.attacker.get_id()
        consts = enc.sort("State")[1]
        if self._py:
            self._state_of_id = {v.get_id(): n for n, v in consts.items()}
        else:
            self._state_of_id = {z3.Z3_get_ast_id(enc.ctx.ref(), v.as_ast()): n for n, v in consts.items()}
        self._consts = consts
        self.existing = sorted(enc.existing_set()[1])
        self.places = frozenset(self.c.places)
        held: dict[str, list[str]] = {}
        for p in sorted(self.c.places):
            for x in holders(self.c, p, self.d):
                held.setdefault(x, []).append(p)
        self.held = held
        self._classes: dict = {}
        self._validity: dict[int, tuple[str, B]] = {}
        self._solver: z3.Solver | None = None
        self._group_of: dict[int, int] | None = None
        self._touch: dict[str, frozenset] | None = None
        self._sub_named: dict[int, tuple[bool, frozenset]] = {}
        self._resid: dict[tuple[int, str | None], tuple[B, B]] = {}
        self._named: dict[int, tuple[frozenset | None, B]] = {}
        self._pairs: dict[tuple[int, int], tuple[Decision, B]] = {}
        self._keep: list = []  # scenarios stay alive: the encoder keys some memos by id(scenario)
        self.unknown: list[str] = []

    # -- places
    def area_classes(self, atoms: frozenset, instruments: tuple[str, ...], victim: str) -> list[str]:
        """One representative per class of areas the atoms cannot tell apart (under each instrument's readings,
        for this victim), classes with a named place first (represented by that place: a witness names a place
        rather than a whole sea or region). Atoms about the victim's territory are answered for this victim:
        answered for every state at once, each place's owners would make it a class of its own."""
        relative = [x for x in atoms if self._about(x) == "victim"]
        key = (atoms, instruments, victim if relative else None)
        got = self._classes.get(key)
        if got is None:
            base = self._absolute(atoms, instruments)
            # A territory atom about the victim is False away from the places it holds, claims or administers:
            # only those are asked. The other areas keep the classes of the absolute atoms (computed once, not
            # per victim); the touched places that answer otherwise leave theirs for classes of their own.
            touched = self._touched(victim) if relative else frozenset()
            none = tuple(False for _ in relative)
            moved: dict[str, tuple] = {}
            for a in touched:
                if a in base:
                    rel = tuple(self._answer(x, a, victim) for x in relative)
                    if rel != none:
                        moved[a] = rel
            groups: list[list[str]] = []
            for members in self._base_groups(atoms, instruments, base):
                g = [m for m in members if m not in moved] if moved else members
                if g:
                    groups.append(g)
            extra: dict[tuple, list[str]] = {}
            for a in sorted(moved, key=self._area_order().__getitem__):  # in the areas' order, as the classes
                extra.setdefault((base[a], moved[a]), []).append(a)
            groups += extra.values()
            reps = [next((m for m in g if m in self.places), g[0]) for g in groups]
            got = self._classes[key] = sorted(reps, key=lambda r: (r not in self.places, r))
        return got

    def _base_groups(self, atoms: frozenset, instruments: tuple[str, ...], base: dict) -> list[list[str]]:
        """The areas grouped by their answers to the absolute atoms, each group in the areas' order."""
        key = ("groups", atoms, instruments)
        got = self._classes.get(key)
        if got is None:
            groups: dict[tuple, list[str]] = {}
            for a, sig in base.items():
                groups.setdefault(sig, []).append(a)
            got = self._classes[key] = list(groups.values())
        return got

    def _area_order(self) -> dict[str, int]:
        got = self._classes.get("order")
        if got is None:
            got = self._classes["order"] = {a: k for k, a in enumerate(sorted(self.c.places) + sorted(self.c.regions))}
        return got

    def _touched(self, state: str) -> frozenset:
        """The places `state` ever held, claims, or administers on the date (where _answer can say more than
        False of a territory atom about it)."""
        if self._touch is None:
            idx: dict[str, set] = {x: set(ps) for x, ps in self.enc._territorial().items()}
            for p in self.c.places.values():
                for x in p.administrators_on(self.d):
                    idx.setdefault(x, set()).add(p.name)
            self._touch = {x: frozenset(ps) for x, ps in idx.items()}
        return self._touch.get(state, frozenset())

    def _absolute(self, atoms: frozenset, instruments: tuple[str, ...]) -> dict[str, tuple]:
        """Each area's answers to the atoms that do not speak of the victim."""
        key = ("abs", atoms, instruments)
        got = self._classes.get(key)
        if got is None:
            dummy = SymScenario(event=Event.ARMED_ATTACK)
            self._keep.append(dummy)
            ordered = sorted((x for x in atoms if self._about(x) != "victim"), key=repr)
            if not ordered:  # only atoms about the victim: no area differs from another yet
                got = self._classes[key] = {a: () for a in sorted(self.c.places) + sorted(self.c.regions)}
                return got
            areas = sorted(self.c.places) + sorted(self.c.regions)
            columns = [self._column(x, inst, dummy, areas) for inst in instruments for x in ordered]
            got = self._classes[key] = {a: tuple(col[k] for col in columns) for k, a in enumerate(areas)}
        return got

    def _column(self, atom: C.Cond, inst: str, dummy: SymScenario, areas: list[str]) -> tuple:
        """Every area's answer to `atom` under `inst`'s readings. Shared by every clause that asks the same
        question (`place in pacific-area` in ten clauses is asked once) in a context that reads terms alike
        (the same scoped facts apply: Facts.context_signature)."""
        sig = self.enc.facts.context_signature(inst, self.party)
        key = ("col", _atom_key(atom), sig[0], id(dummy) if sig[1] else None)
        got = self._classes.get(key)
        if got is None:
            # `place in R` is False at every place outside the few that can lie in R (Encoder.places_maybe_in): only
            # those, and the regions, are asked.
            maybe = self.enc.places_maybe_in(atom.region) if isinstance(atom, C.PlaceIn) else None
            with self.enc.within(inst, self.party, dummy):
                got = self._classes[key] = tuple(
                    False if maybe is not None and a not in maybe and a in self.places else self._answer(atom, a, None)
                    for a in areas)
        return got

    @staticmethod
    def _about(atom: C.Cond) -> str | None:
        """"victim" for a territory atom about the victim, the state's code for one about a named state."""
        who = getattr(atom, "who", None)
        if not isinstance(atom, (C.PlaceTerritory, C.PlaceAdministered, C.PlaceClaimed)):
            return None
        if isinstance(who, C.RoleRef) and who.role.value == "victim":
            return "victim"
        return who.code if isinstance(who, C.StateRef) else None

    def _answer(self, atom: C.Cond, area: str, victim: str | None):
        """What `atom` can say of `area`, as a hashable value (a formula by its id; the memo keeps it alive)."""
        enc, p = self.enc, self.c.places.get(area)
        about = self._about(atom)
        x = victim if about == "victim" else about
        match atom:
            case C.PlaceIn(region=g):
                v = enc.in_area(area, g)
            case C.PlaceIs(place=q):
                return area == q
            case C.PlaceTerritory() if x is not None:
                # As the encoder answers it for a known state: only places it ever held or claims.
                v = p is not None and area in enc._territorial().get(x, ()) and enc.territory(area, x)
            case C.PlaceTerritory():
                return None if p is None else (frozenset(p.sovereign_on(self.d)), frozenset(p.claimed_by),
                                               frozenset(h.state for h in p.territory_of))
            case C.PlaceAdministered():
                if x is not None:
                    return p is not None and x in p.administrators_on(self.d)
                return None if p is None else frozenset(p.administrators_on(self.d))
            case C.PlaceClaimed():
                if x is not None:
                    return p is not None and x in p.claimed_by
                return None if p is None else frozenset(p.claimed_by)
            case C.PlaceTerm(term=t):
                v = enc.open_term(t, (area,))
            case C.PlaceAttr(attr=a):
                return p is not None and bool(getattr(p, a))
            case _:
                raise AssertionError(atom)
        if isinstance(v, bool):
            return v
        self._keep.append(v)
        return ("f", v.get_id())

    # -- residuals
    def validity(self, f: B) -> str:
        """valid | contingent | unsat | unknown, under the background; memoised by formula."""
        if f is True:
            return "valid"
        if f is False:
            return "unsat"
        got = self._validity.get(f.get_id())
        if got is None:
            got = self._validity[f.get_id()] = (self._classify(f), f)
        return got[0]

    def _classify(self, f: z3.BoolRef) -> str:
        """As decide(..., find_hinges=False).verdict, on one solver that holds the whole background: a fresh
        solver per residual (its set-up, the relevant background, two models) cost ten times the two checks,
        and the synthetic corpora leave hundreds of residuals. Constraints that share no variable with f do not
        change its verdict (each is satisfiable on its own: smt/solver.py, _relevant)."""
        atoms = self._monotone_atoms(f)
        if atoms is not None and self._room_for(atoms):
            # Every open term false respects the background (at most one of a group; some forced false) and
            # makes f false; all of f's true and the others false respects it too and makes f true.
            return "contingent"
        if self.limits.expired():
            return "unknown"
        if self._py:
            return pyterm.decide(f, self.enc.background_data(), self.limits, find_hinges=False).verdict
        if self._solver is None:
            self._solver = make_solver(self.enc.ctx, self.limits)
            for b in self.enc.background():
                self._solver.add(b)
        r_false = check(self._solver, z3.Not(f))
        if r_false == z3.unknown:
            return "unknown"
        if r_false == z3.unsat:
            return "valid"
        r_true = check(self._solver, f)
        if r_true == z3.unknown:
            return "unknown"
        return "unsat" if r_true == z3.unsat else "contingent"

    def _monotone_atoms(self, f: z3.BoolRef) -> frozenset | None:
        """The ids of f's open terms when f is an open term or an and/or of such (monotone, no constant), else
        None. Such an f is true when all its terms are and false when none is: it is contingent, no solver
        needed, when the background lets all its terms be true at once (_classify). Most residuals of the
        attacker-restricted clauses are such: hostile(X), sovereign(P, V) and hostile(X)."""
        if self._py:
            return self._monotone_atoms_py(f)
        ctx = self.enc.ctx.ref()
        out: set[int] = set()
        stack, n = [f.as_ast()], 0
        while stack:
            a = stack.pop()
            n += 1
            if n > 64 or z3.Z3_get_ast_kind(ctx, a) != z3.Z3_APP_AST:
                return None
            app = z3.Z3_to_app(ctx, a)
            kind = z3.Z3_get_decl_kind(ctx, z3.Z3_get_app_decl(ctx, app))
            k = z3.Z3_get_app_num_args(ctx, app)
            if kind == z3.Z3_OP_UNINTERPRETED and k == 0:
                if z3.Z3_get_sort_kind(ctx, z3.Z3_get_sort(ctx, a)) != z3.Z3_BOOL_SORT:
                    return None
                out.add(z3.Z3_get_ast_id(ctx, a))
                continue
            if kind not in (z3.Z3_OP_AND, z3.Z3_OP_OR):
                return None
            stack += [z3.Z3_get_app_arg(ctx, app, i) for i in range(k)]
        return frozenset(out)

    @staticmethod
    def _monotone_atoms_py(f: pyterm.Term) -> frozenset | None:
        """_monotone_atoms over Python terms (the same walk, the same bound)."""
        out: set[int] = set()
        stack, n = [f], 0
        while stack:
            t = stack.pop()
            n += 1
            if n > 64:
                return None
            if t.op == pyterm.VAR:
                out.add(t.id)
                continue
            if t.op not in (pyterm.AND, pyterm.OR):
                return None
            stack += t.args
        return frozenset(out)

    def _room_for(self, atoms: frozenset) -> bool:
        """Can all these open terms be true at once under the background (none forced false, no two in one
        at-most-one group)?"""
        if self._group_of is None:
            self._group_of = {i: k for k, g in enumerate(self.enc.background_groups()) for i in g}
        if atoms & self.enc.background_false():
            return False
        seen = set()
        for i in atoms:
            k = self._group_of.get(i)
            if k is not None:
                if k in seen:
                    return False
                seen.add(k)
        return True

    def pair(self, f1: B, f2: B) -> Decision:
        key = (id(f1) if isinstance(f1, bool) else f1.get_id(), id(f2) if isinstance(f2, bool) else f2.get_id())
        got = self._pairs.get(key)
        if got is None:
            f = AND(f1, f2)
            if self._py:  # the witness's readings are the model's values of the hinges: asked for (pyterm.decide)
                dec = pyterm.decide(f, self.enc.background_data(), self.limits, model=True)
            else:
                dec = self._conjunction(f) or decide(f, self.enc.background(), self.enc.ctx, self.limits)
            got = self._pairs[key] = (dec, (f1, f2))
        return got[0]

    def _conjunction(self, f: B) -> Decision | None:
        """`decide`'s answer for a conjunction of open terms that the background lets be true together, without
        a solver (ATOP's conditional pledges make hundreds: `defconpr() and defcoadv()` on both sides). Then
        the only model that makes f true has every term true, every term is a hinge (the others true, it alone
        decides), and all false makes f false. The callers read the verdict, the hinges and the true model."""
        if isinstance(f, bool):
            return None
        ctx = self.enc.ctx.ref()
        names: dict[int, str] = {}
        stack = [f.as_ast()]
        while stack:
            a = stack.pop()
            if len(names) > 64 or z3.Z3_get_ast_kind(ctx, a) != z3.Z3_APP_AST:
                return None
            app = z3.Z3_to_app(ctx, a)
            decl = z3.Z3_get_app_decl(ctx, app)
            kind = z3.Z3_get_decl_kind(ctx, decl)
            k = z3.Z3_get_app_num_args(ctx, app)
            if kind == z3.Z3_OP_UNINTERPRETED and k == 0:
                if z3.Z3_get_sort_kind(ctx, z3.Z3_get_sort(ctx, a)) != z3.Z3_BOOL_SORT:
                    return None
                names[z3.Z3_get_ast_id(ctx, a)] = z3.Z3_get_symbol_string(ctx, z3.Z3_get_decl_name(ctx, decl))
            elif kind == z3.Z3_OP_AND:
                stack += [z3.Z3_get_app_arg(ctx, app, i) for i in range(k)]
            else:
                return None
        if not names or not self._room_for(frozenset(names)):
            return None
        order = sorted(names.values())
        return Decision("contingent", model_true={n: True for n in order}, model_false={n: False for n in order},
                        hinges=order)

    # -- the table
    def _split(self, f: B, victim: str, exclude: frozenset) -> Iterator[tuple[tuple, B]]:
        """f (over the symbolic attacker) as (attacker class, value without it)."""
        if isinstance(f, bool):
            yield ALL, f
            return
        named = self._named_states(f)
        if named is None:
            yield ALL, f
            return
        # Only attackers that can be chosen count: a class that leaves out no one else is every attacker.
        named = named - exclude - {victim}
        if not named:
            rep = next((x for x in self.existing if x not in exclude and x != victim), None)
            if rep is not None:
                yield ALL, self._at(f, rep)
            return
        for x in sorted(named):
            if x != victim and x not in exclude and x in self.enc.existing_set()[1]:
                yield ("is", x), self._at(f, x)
        rest = named | exclude | {victim}
        rep = next((x for x in self.existing if x not in rest), None)
        if rep is not None:
            yield ("other", frozenset(named)), self._at(f, rep)

    def _at(self, f, state: str) -> B:
        if self._py:
            return self.enc._py.substitute(f, self.attacker, self._consts[state])
        # Through the C API: z3py's substitute checks each pair's sorts, and an enumeration sort's sort() is
        # slow (a third of a conflicts query at 1,000 instruments).
        ref, ctx = self.enc.ctx.ref(), self.enc.ctx
        frm, to = (z3.Ast * 1)(), (z3.Ast * 1)()
        frm[0], to[0] = self.attacker.as_ast(), self._consts[state].as_ast()
        sub = z3.BoolRef(z3.Z3_substitute(ref, f.as_ast(), 1, frm, to), ctx)
        g = z3.BoolRef(z3.Z3_simplify(ref, sub.as_ast()), ctx)
        if z3.is_true(g):
            return True
        if z3.is_false(g):
            return False
        return g

    def _named_states(self, f, cap: int | None = None) -> frozenset | None:
        """The states a formula compares the attacker with (every state constant in it), or None when it does
        not mention the attacker. Sub-terms are remembered by id across formulas: the formulas of one clause
        share their big disjunctions (one per state of an open term over the attacker)."""
        if self._py:
            return self._named_states_py(f, cap)
        ctx = self.enc.ctx.ref()
        memo = self._sub_named
        keep = self._keep

        # Post-order over the DAG, without recursion (a formula may be deep). Past `cap` nodes the answer is
        # every state: a superset is sound where the attacker is known to be read (`entries`: `at` then
        # substitutes each attacker a join asks for).
        stack = [(f.as_ast(), False)]
        fresh = 0
        while stack:
            a, expanded = stack.pop()
            i = z3.Z3_get_ast_id(ctx, a)
            if i in memo:
                continue
            if i == self._attacker_id:
                memo[i] = (True, frozenset())
            elif i in self._state_of_id:
                memo[i] = (False, frozenset({self._state_of_id[i]}))
            elif z3.Z3_get_ast_kind(ctx, a) != z3.Z3_APP_AST:
                memo[i] = (False, frozenset())
            else:
                app = z3.Z3_to_app(ctx, a)
                n = z3.Z3_get_app_num_args(ctx, app)
                fresh += n
                if cap is not None and fresh > cap:
                    return frozenset(self._consts)
                args = [z3.Z3_get_app_arg(ctx, app, k) for k in range(n)]
                if not expanded:
                    stack.append((a, True))
                    stack += [(x, False) for x in args]
                    continue
                mentions, names = False, set()
                for x in args:
                    m, ns = memo[z3.Z3_get_ast_id(ctx, x)]
                    mentions |= m
                    names |= ns
                memo[i] = (mentions, frozenset(names))
                keep.append(z3.AstRef(a, self.enc.ctx))  # the id stays its own while the memo holds it
        mentions, names = memo[z3.Z3_get_ast_id(ctx, f.as_ast())]
        return names if mentions else None

    def _named_states_py(self, f: pyterm.Term, cap: int | None) -> frozenset | None:
        """_named_states over Python terms: the same walk, counting the same nodes against `cap` (the DAG is Z3's
        node for node), so that a formula is taken to name every state exactly when it was over Z3."""
        memo = self._sub_named
        stack = [(f, False)]
        fresh = 0
        while stack:
            a, expanded = stack.pop()
            i = a.id
            if i in memo:
                continue
            if i == self._attacker_id:
                memo[i] = (True, frozenset())
            elif i in self._state_of_id:
                memo[i] = (False, frozenset({self._state_of_id[i]}))
            else:
                args = a.args
                fresh += len(args)
                if cap is not None and fresh > cap:
                    return frozenset(self._consts)
                if not expanded:
                    stack.append((a, True))
                    stack += [(x, False) for x in args]
                    continue
                mentions, names = False, set()
                for x in args:
                    m, ns = memo[x.id]
                    mentions |= m
                    names |= ns
                memo[i] = (mentions, frozenset(names))
        mentions, names = memo[f.id]
        return names if mentions else None

    def _evaluations(self, fn: Callable[[SymScenario], B], event: Event, atoms: frozenset,
                     instruments: tuple[str, ...], exclude: frozenset, victims: frozenset | None,
                     record: Callable[[B, dict, set], bool], stop_all: bool = False) -> None:
        """fn (a clause's `applies`, or a conjunction) over well-formed attacks by the symbolic attacker on
        anyone but `exclude` (and only on `victims`, when given: see victim_domain), each result that is not
        False passed to `record` (formula, witness, the fields read). A victim's search stops once `record`
        says it needs no more; with `stop_all`, the whole search does."""
        first = self.area_classes(atoms, instruments, "")[:1]  # tried first: most victims fail before the place
        order = [t for t in TARGETS if t != Target.TERRITORY.value] + [Target.TERRITORY.value]
        for v in self.existing:
            if v in exclude or (victims is not None and v not in victims):
                continue
            done = False
            for ti, t in enumerate(order):
                areas = self.held.get(v, []) if t == Target.TERRITORY.value else first
                read_target = False
                tried = set()
                while areas:
                    p = areas[0]
                    areas = areas[1:]
                    if p in tried:
                        continue
                    tried.add(p)
                    s = _traced(event, self.attacker, v, t, p)
                    self._keep.append(s)
                    f = fn(s)
                    read = object.__getattribute__(s, "read")
                    read_target |= "target" in read
                    if f is not False:
                        w = {"attacker": None, "victim": v, "target": t, "place": p}
                        done = record(f, w, read) or done
                    if done or "place" not in read:
                        break
                    if t != Target.TERRITORY.value and len(tried) == 1:
                        areas = self.area_classes(atoms, instruments, v)  # the place matters: every class
                if done or not read_target:
                    # Nothing read the target: the others answer alike (territory at a subset of these places).
                    break
            if done and stop_all:
                break

    def table(self, fn: Callable[[SymScenario], B], event: Event, atoms: frozenset, instruments: tuple[str, ...],
              exclude: frozenset = frozenset(), stop_all: bool = False, victims: frozenset | None = None) -> list[Cell]:
        """Every cell where fn can hold, over well-formed attacks by anyone but `exclude` on anyone but `exclude`,
        the attacker split into classes. A victim's search stops once a witness true under every reading, for
        every attacker, at a named place is known; with `stop_all`, the whole search does."""
        cells: dict[tuple, Cell] = {}
        self._evaluations(fn, event, atoms, instruments, exclude, victims,
                          lambda f, w, read: self._record(cells, f, w, exclude), stop_all)
        return list(cells.values())

    def entries(self, fn: Callable[[SymScenario], B], event: Event, atoms: frozenset, instruments: tuple[str, ...],
                exclude: frozenset = frozenset(), victims: frozenset | None = None) -> dict[str, list[Entry]]:
        """Where fn can hold, by victim, each formula kept over the symbolic attacker (see `at`): a join that
        names the attacker (both sides of one war: the other side's victim) needs only those. A victim's search
        stops once a formula true under every reading, whoever attacks, at a named place is known."""
        out: dict[str, list[Entry]] = {}

        def record(f: B, w: dict, read: set) -> bool:
            named = None
            if "attacker" in read and not isinstance(f, bool):
                named = self.named_states(f)
                # Every clause reads the attacker (no state must help against its own attack), mostly to
                # compare it with the party: when f names no one who can attack, one attacker speaks for all.
                if named is not None and not (named - exclude - {w["victim"]}):
                    rep = next((x for x in self.existing if x not in exclude and x != w["victim"]), None)
                    if rep is None:
                        return False
                    f, named = self._at_memo(f, rep, rep), None
                    if f is False:
                        return False
            out.setdefault(w["victim"], []).append(Entry(f, w, named))
            return named is None and _at_place(w, self.places) and self.validity(f) == "valid"

        self._evaluations(fn, event, atoms, instruments, exclude, victims, record)
        return out

    def at(self, e: Entry, attacker: str) -> B:
        """e's formula for an attack by `attacker` (a state that exists, neither the victim nor excluded)."""
        if not e.lazy:
            return e.f
        # Attackers f does not name all answer alike: one substitution for the class.
        return self._at_memo(e.f, attacker, attacker if attacker in e.named else None)

    def _at_memo(self, f: z3.BoolRef, attacker: str, key: str | None) -> B:
        k = (f.get_id(), key)
        got = self._resid.get(k)
        if got is None:
            got = self._resid[k] = (self._at(f, attacker), f)  # the memo keeps f alive: its id stays its own
        return got[0]

    def named_states(self, f: z3.BoolRef) -> frozenset | None:
        """_named_states, memoised by formula (many victims share one), for a formula whose evaluation read the
        attacker (a large one is taken to name every state)."""
        k = f.get_id()
        got = self._named.get(k)
        if got is None:
            got = self._named[k] = (self._named_states(f, NAMED_CAP), f)
        return got[0]

    def _record(self, cells: dict, f: B, w: dict, exclude: frozenset) -> bool:
        """Add f's witness; True when this victim needs no more (valid for every attacker at a place)."""
        final = False
        for cls, g in self._split(f, w["victim"], exclude):
            if g is False:
                continue
            verdict = self.validity(g)
            if verdict == "unsat":
                continue
            cell = cells.get((w["victim"], cls))
            if cell is None:
                cell = cells[(w["victim"], cls)] = Cell(w["victim"], cls)
            ww = {**w, "attacker": cls[1] if cls[0] == "is" else None}
            if verdict == "valid":
                if cell.valid is None or (not _at_place(cell.valid[1], self.places) and _at_place(w, self.places)):
                    cell.valid = (g, ww)
                if cls == ALL and _at_place(w, self.places):
                    final = True
            else:
                if verdict == "unknown":
                    self.unknown.append(f"{w['victim']}: solver limit reached")
                key = g.get_id()
                old = cell.maybe.get(key)
                if old is None or (not _at_place(old[1], self.places) and _at_place(w, self.places)):
                    cell.maybe[key] = (g, ww)
        return final

    def attacker_for(self, cls: tuple, victim: str, exclude: frozenset) -> str | None:
        """A concrete attacker of the class: one that exists, is not the victim nor excluded."""
        if cls[0] == "is":
            return cls[1]
        return next((x for x in self.existing if x != victim and x not in exclude and member(x, cls)), None)
