"""Deciding formulas: a solver factory with a fixed seed and a timeout, three-valued answers.

Z3's `unknown` is never read as sat or unsat: a decision that hits the limit
is `unknown`, and says so.
"""

from __future__ import annotations

from obligations.smt.z3lazy import z3

TYPE_CHECKING = False
if TYPE_CHECKING:
    B = bool | z3.BoolRef  # as in smt/encode.py (which imports this module's helpers)
from obligations.smt.decision import DEFAULT_MEMORY_MB, DEFAULT_TIMEOUT_MS, Decision, Limits  # noqa: F401 (re-exported)


def make_solver(ctx: z3.Context, limits: Limits) -> z3.Solver:
    s = z3.Solver(ctx=ctx)
    s.set("timeout", limits.solver_timeout_ms())
    s.set("random_seed", limits.seed)
    s.set("max_memory", int(limits.memory_mb))
    s.obligations_limits = limits  # `check` cuts each call to what is left of the command's budget
    return s


def _vars(f: z3.ExprRef) -> list[z3.ExprRef]:
    """The open terms (Boolean constants) of f, by name. Walked through the C API: z3py's children() builds a
    Python object per node, which made this the larger part of a small decision."""
    ctx = f.ctx
    ref = ctx.ref()
    seen: dict[int, z3.ExprRef] = {}
    visited = set()
    stack = [f.as_ast()]
    while stack:
        a = stack.pop()
        i = z3.Z3_get_ast_id(ref, a)
        if i in visited:
            continue
        visited.add(i)
        kind = z3.Z3_get_ast_kind(ref, a)
        if kind == z3.Z3_QUANTIFIER_AST:
            stack.append(z3.Z3_get_quantifier_body(ref, a))
            continue
        if kind != z3.Z3_APP_AST:
            continue
        app = z3.Z3_to_app(ref, a)
        n = z3.Z3_get_app_num_args(ref, app)
        if n == 0:
            if (z3.Z3_get_decl_kind(ref, z3.Z3_get_app_decl(ref, app)) == z3.Z3_OP_UNINTERPRETED
                    and z3.Z3_get_sort_kind(ref, z3.Z3_get_sort(ref, a)) == z3.Z3_BOOL_SORT):
                seen[i] = z3.BoolRef(a, ctx)
            continue
        stack += [z3.Z3_get_app_arg(ref, app, k) for k in range(n)]
    return sorted(seen.values(), key=lambda v: v.decl().name())


def _relevant(background: list, vs: list[z3.ExprRef]) -> list:
    """The background constraints that share variables with the formula, closed under sharing. The others
    speak of other variables and are each satisfiable (at most one sovereign), so they cannot change a
    decision; asserting them all made every decision of `who` pay for every disputed place."""
    ids = {v.get_id() for v in vs}
    todo = []
    for b in background:
        bv = getattr(b, "_obligations_vars", None)
        if bv is None:
            bv = frozenset(x.get_id() for x in _vars(b))
            b._obligations_vars = bv
        todo.append((b, bv))
    out: list = []
    grew = True
    while grew:
        grew = False
        rest = []
        for b, bv in todo:
            if bv & ids:
                out.append(b)
                ids |= bv
                grew = True
            else:
                rest.append((b, bv))
        todo = rest
    return out


def _model_dict(m: z3.ModelRef, vs: list[z3.ExprRef]) -> dict[str, bool]:
    return {v.decl().name(): z3.is_true(m.eval(v, model_completion=True)) for v in vs}


def check(solver: z3.Solver, *assumptions) -> z3.CheckSatResult:
    limits = getattr(solver, "obligations_limits", None)
    if limits is not None and limits.deadline is not None:
        if limits.expired():
            solver.obligations_error = limits.budget_reason()
            return z3.unknown
        solver.set("timeout", limits.solver_timeout_ms())
    try:
        r = solver.check(*assumptions)
    except z3.Z3Exception as e:
        # Z3 reports a memory limit by raising: keep the reason with the solver for _why.
        solver.obligations_error = str(e.value if hasattr(e, "value") else e)
        return z3.unknown
    if r == z3.unknown and limits is not None and limits.expired():
        solver.obligations_error = limits.budget_reason()
    return r


def decide(formula: B, background: list, ctx: z3.Context, limits: Limits, find_hinges: bool = True) -> Decision:
    """Is `formula` true under every interpretation (valid), none (unsat), or some (contingent)?"""
    if formula is True:
        return Decision("valid", model_true={})
    if formula is False:
        return Decision("unsat", model_false={})
    if limits.expired():
        return Decision("unknown", reason=limits.budget_reason())
    vs = _vars(formula)
    if len(vs) == 1 and vs[0].eq(formula) and not _relevant(background, vs):
        # One open term that nothing constrains (`hostile(X)`: most of who's "depends"): what the solver would
        # answer, without making one (a solver and three checks cost more than the rest of a small query).
        name = vs[0].decl().name()
        return Decision("contingent", model_true={name: True}, model_false={name: False},
                        hinges=[name] if find_hinges else [])
    s = make_solver(ctx, limits)
    for b in _relevant(background, vs):
        s.add(b)
    r_false = check(s, z3.Not(formula))
    if r_false == z3.unknown:
        return Decision("unknown", reason=_why(s))
    model_false = _model_dict(s.model(), vs) if r_false == z3.sat else None
    r_true = check(s, formula)
    if r_true == z3.unknown:
        return Decision("unknown", reason=_why(s))
    model_true = _model_dict(s.model(), vs) if r_true == z3.sat else None
    if r_false == z3.unsat:
        return Decision("valid", model_true=model_true)
    if r_true == z3.unsat:
        return Decision("unsat", model_false=model_false)
    if not find_hinges:
        return Decision("contingent", model_true=model_true, model_false=model_false)
    hinges = []
    for v in vs:
        # v is a hinge when some reading of the other terms lets v alone flip the answer.
        f1 = z3.substitute(formula, (v, z3.BoolVal(True, ctx)))
        f0 = z3.substitute(formula, (v, z3.BoolVal(False, ctx)))
        r = check(s, z3.Xor(f1, f0))
        if r == z3.sat:
            hinges.append(v.decl().name())
        elif r == z3.unknown:
            return Decision("unknown", reason=_why(s))
    return Decision("contingent", model_true=model_true, model_false=model_false, hinges=hinges)


def verdict_by_table(formula: z3.BoolRef, background: list, find_hinges: bool = True, max_terms: int = 6) -> Decision | None:
    """The verdict and hinges `decide` gives, by truth table in Python, for an and/or of at most `max_terms` open
    terms that no background constraint speaks of (None for anything else). No models: for callers that read
    only the verdict and the hinges (`who`), where a solver's set-up costs more than the rest of the query."""
    ctx = formula.ctx.ref()
    vs = _vars(formula)
    if not vs or len(vs) > max_terms or _relevant(background, vs):
        return None
    index = {v.get_id(): k for k, v in enumerate(vs)}

    def tree(a, depth=0):
        if depth > 32 or z3.Z3_get_ast_kind(ctx, a) != z3.Z3_APP_AST:
            return None
        i = z3.Z3_get_ast_id(ctx, a)
        if i in index:
            return index[i]
        app = z3.Z3_to_app(ctx, a)
        kind = z3.Z3_get_decl_kind(ctx, z3.Z3_get_app_decl(ctx, app))
        if kind not in (z3.Z3_OP_AND, z3.Z3_OP_OR, z3.Z3_OP_NOT):
            return None
        kids = [tree(z3.Z3_get_app_arg(ctx, app, j), depth + 1) for j in range(z3.Z3_get_app_num_args(ctx, app))]
        if any(k is None for k in kids):
            return None
        return ({z3.Z3_OP_AND: "and", z3.Z3_OP_OR: "or", z3.Z3_OP_NOT: "not"}[kind], kids)

    t = tree(formula.as_ast())
    if t is None:
        return None

    def ev(t, bits: int) -> bool:
        if isinstance(t, int):
            return bool(bits >> t & 1)
        op, kids = t
        if op == "not":
            return not ev(kids[0], bits)
        return all(ev(k, bits) for k in kids) if op == "and" else any(ev(k, bits) for k in kids)

    table = [ev(t, bits) for bits in range(1 << len(vs))]
    if all(table):
        return Decision("valid")
    if not any(table):
        return Decision("unsat")
    hinges = []
    if find_hinges:
        for k, v in enumerate(vs):  # as decide: v is a hinge when flipping it alone can change the answer
            if any(table[bits] != table[bits | 1 << k] for bits in range(1 << len(vs)) if not bits >> k & 1):
                hinges.append(v.decl().name())
    return Decision("contingent", hinges=hinges)


def _why(s: z3.Solver) -> str:
    r = getattr(s, "obligations_error", "")
    if r.startswith("the command's time budget"):
        return r
    if not r:
        try:
            r = s.reason_unknown()
        except z3.Z3Exception:
            r = ""
    if "timeout" in r or "canceled" in r:
        return "the solver's time limit was reached (raise it with --timeout)"
    if "memory" in r:
        return "the solver's memory limit was reached (raise it with --memory)"
    return f"the solver could not decide ({r or 'no reason given'})"
