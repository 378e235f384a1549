"""The symbolic search that `conflicts`, `prove` and `diff` share: fresh symbolic scenarios, what makes a
scenario well formed, one solver set-up, witnesses (preferring one that holds under every reading of the open
terms), and models turned back into concrete scenarios.

A scenario is well formed when the states it names exist on the date, nobody attacks itself, and an attack on
a state's territory happens at a place that state holds, administers or claims (an attack on its armed
forces, public vessels or aircraft may happen at any place or region). Every search asserts this, so no
witness describes an impossible event.
"""

from __future__ import annotations

import datetime as dt

from obligations.smt.z3lazy import z3

from obligations.model.core import holders  # noqa: F401 (re-exported: callers import it from here)
from obligations.record import record
from obligations.smt.decision import Limits
from obligations.smt.encode import AND, NOT, OR, Encoder, SymScenario, is_sym
from obligations.smt.solver import _relevant, _vars, check, make_solver
from obligations.vocab import Event, Target

FIELDS = ("attacker", "victim", "target", "place", "actor", "alliance", "seller")


def well_formed(enc: Encoder, s: SymScenario) -> list:
    """What every scenario a search may return respects (as Z3 constraints over the symbolic fields)."""
    out: list = []
    for role in ("attacker", "victim", "actor", "seller"):
        v = getattr(s, role)
        if is_sym(v):
            out.append(enc.exists(v))
    e = Event(s.event)
    if e.is_attack:
        if is_sym(s.attacker) or is_sym(s.victim):
            out.append(NOT(enc.same("State", s.attacker, s.victim)))
        if is_sym(s.target) or is_sym(s.place) or is_sym(s.victim):
            on_territory = enc.eq("Target", s.target, Target.TERRITORY.value)
            held = OR(*[AND(enc.eq("Place", s.place, p), enc.in_states(s.victim, sorted(holders(enc.c, p, enc.d))))
                        for p in sorted(enc.c.places)])
            out.append(OR(NOT(on_territory), held))
    elif e is Event.PURCHASE and (is_sym(s.actor) or is_sym(s.seller)):
        out.append(NOT(enc.same("State", s.actor, s.seller)))
    return [z3.BoolVal(x, enc.ctx) if isinstance(x, bool) else x for x in out]


@record
class Found:
    status: str  # sat | unsat | unknown
    values: list[dict] | None = None  # one dict of concrete fields per symbolic scenario
    every_reading: bool = False  # the witness holds under every reading of the open terms
    reason: str | None = None
    readings: dict[str, bool] | None = None  # when it needs some: the model's reading of each open term it uses


class Search:
    """Witness search over symbolic scenarios of one encoder (one date, one corpus or a shared pair)."""

    def __init__(self, enc: Encoder, limits: Limits, background: list | None = None):
        self.enc = enc
        self.limits = limits
        self.bg = list(background if background is not None else enc.background())

    def scenario(self, event: str, tag: str = "", fields: tuple[str, ...] = FIELDS) -> SymScenario:
        e = self.enc
        kinds = {"attacker": "State", "victim": "State", "target": "Target", "place": "Place", "actor": "State",
                 "alliance": "Inst", "seller": "State"}
        return SymScenario(event=Event(event), **{f: e.const(kinds[f], f"{f}{tag}") for f in fields})

    def _solver(self, extra) -> z3.Solver:
        s = make_solver(self.enc.ctx, self.limits)
        for b in self.bg:
            s.add(b)
        for x in extra:
            s.add(x)
        return s

    def values(self, m: z3.ModelRef, s: SymScenario) -> dict:
        out = {}
        for k in FIELDS:
            v = getattr(s, k)
            out[k] = str(m.eval(v, model_completion=True)) if is_sym(v) else v
        return out

    def telling(self, scenarios: list[SymScenario]) -> list:
        """What makes a witness telling, tried first: a place rather than a whole sea or region."""
        places = sorted(self.enc.c.places)
        out = []
        for s in scenarios:
            if is_sym(s.place) and places:
                out.append(OR(*[self.enc.eq("Place", s.place, p) for p in places]))
        return [x for x in out if not isinstance(x, bool)]

    def find(self, formula, scenarios: list[SymScenario], extra=(), prefer=None) -> Found:
        """A well-formed assignment of `scenarios` that makes `formula` true: first one true under every reading of
        the open terms (a witness no reading escapes), else one true under some reading. `prefer`: constraints
        tried first and dropped if they leave no witness (default: `telling`)."""
        if formula is False:
            return Found("unsat")
        if prefer is None:
            prefer = self.telling(scenarios)
        wf = [c for s in scenarios for c in well_formed(self.enc, s)] + list(extra)
        f = z3.BoolVal(formula, self.enc.ctx) if isinstance(formula, bool) else formula
        opens = _open_vars(f, self.enc)
        for pref in ([list(prefer)] if prefer else []) + [[]]:
            if opens:
                # ∃ scenario ∀ reading: the open terms universally quantified, under the background constraints
                # that speak of them (every variable of those quantified too, or the solver could falsify them).
                rel = _relevant(self.bg, opens)
                qvars = {v.get_id(): v for v in opens}
                for b in rel:
                    for v in _vars(b):
                        qvars.setdefault(v.get_id(), v)
                bg = z3.And(*rel) if rel else z3.BoolVal(True, self.enc.ctx)
                solver = self._solver_without_bg(wf + pref)
                r = check(solver, z3.ForAll(list(qvars.values()), z3.Implies(bg, f)))
                if r == z3.sat:
                    m = solver.model()
                    return Found("sat", [self.values(m, s) for s in scenarios], every_reading=True)
            else:
                solver = self._solver(wf + pref)
                r = check(solver, f)
                if r == z3.sat:
                    m = solver.model()
                    return Found("sat", [self.values(m, s) for s in scenarios], every_reading=True)
                if r == z3.unknown:
                    return Found("unknown", reason="solver limit reached")
        for pref in ([list(prefer)] if prefer else []) + [[]]:
            solver = self._solver(wf + pref)
            r = check(solver, f)
            if r == z3.sat:
                m = solver.model()
                readings = {v.decl().name(): z3.is_true(m.eval(v, model_completion=True)) for v in opens}
                return Found("sat", [self.values(m, s) for s in scenarios], every_reading=False, readings=readings)
            if r == z3.unknown and not pref:
                return Found("unknown", reason="solver limit reached")
        return Found("unsat")

    def _solver_without_bg(self, extra) -> z3.Solver:
        s = make_solver(self.enc.ctx, self.limits)
        for x in extra:
            s.add(x)
        return s

    def many(self, formula, s: SymScenario, n: int, vary: tuple[str, ...] = ("victim",), extra=()) -> tuple[list[dict], bool]:
        """Up to `n` witnesses, each differing from the ones before in the `vary` fields. Returns (witnesses,
        whether the solver hit a limit)."""
        solver = self._solver([*well_formed(self.enc, s), *extra])
        solver.add(z3.BoolVal(formula, self.enc.ctx) if isinstance(formula, bool) else formula)
        out = []
        for _ in range(n):
            r = check(solver)
            if r == z3.unknown:
                return out, True
            if r != z3.sat:
                break
            m = solver.model()
            out.append(self.values(m, s))
            block = [getattr(s, k) != m.eval(getattr(s, k), model_completion=True) for k in vary if is_sym(getattr(s, k))]
            if not block:
                break
            solver.add(z3.Or(*block))
        return out, False


def _open_vars(f, enc: Encoder) -> list:
    """The open-term variables a formula mentions. Walked through Z3's C API: the Python wrappers cost a
    symbolic search over a large world more than the solver did."""
    ctx = enc.ctx.ref()
    by_id = {z3.Z3_get_ast_id(ctx, ot.var.as_ast()): ot.var for ot in enc.opens.values()}
    if not by_id:
        return []
    out, seen, stack = [], set(), [f.as_ast()]
    app_kind = z3.Z3_APP_AST
    while stack:
        a = stack.pop()
        i = z3.Z3_get_ast_id(ctx, a)
        if i in seen:
            continue
        seen.add(i)
        v = by_id.get(i)
        if v is not None:
            out.append(v)
            continue
        if z3.Z3_get_ast_kind(ctx, a) != app_kind:
            continue
        app = z3.Z3_to_app(ctx, a)
        for k in range(z3.Z3_get_app_num_args(ctx, app)):
            stack.append(z3.Z3_get_app_arg(ctx, app, k))
    return out


def concrete(s: SymScenario, values: dict) -> SymScenario:
    """The symbolic scenario with the model's values put in."""
    return SymScenario(event=s.event, **{k: values.get(k) for k in FIELDS})
