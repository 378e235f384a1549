"""Formulas as plain Python terms: for the queries that may need no solver at all.

Creating a Z3 context costs some 7 ms, about as long as a whole small query (issue 18: `conflicts` and `who` on
corpora of tens of instruments, where clingo answers in 7-11 ms). An encoder made with `terms="python"`
(smt/encode.py) builds its formulas here instead of in Z3: the encoder calls the same constructors in the same
order, and each distinct application is one hash-consed node (its children in order, nothing simplified), as in
Z3, so a memo keyed by a term's id partitions formulas exactly as it did over Z3's terms.

Decisions are made by truth table (`decide`): a formula over n open terms is evaluated once over its DAG, each
node's value a bitmask of 2**n bits (one per reading), under the background (at most one sovereign of a disputed
place). The verdict and the hinges are properties of the formula, not of a model, so they are what Z3 answers;
a model is returned only where every reading that makes the formula true agrees on the hinges (so that Z3's
model says the same). Anything else -- more than MAX_VARS open terms, a model that Z3 would have to choose, a
symbolic search, anything that asks for the Z3 context -- raises NeedSolver, and the caller runs the whole query
again on Z3 (query/conflicts.py, query/who.py): the answer is Z3's whenever it is not decided here.
"""

from __future__ import annotations

from obligations.smt.decision import Decision, Limits

MAX_VARS = 16  # a truth table of 65,536 readings is a few 8 KB integers per node

VAR, SYM, VAL, EQ, AND, OR, NOT = range(7)


class NeedSolver(Exception):
    """A Python-term query met something only Z3 can settle as the Z3 path would: run it again on Z3."""


class Term:
    """One node. `op` is VAR (an open term, Boolean), SYM (a symbolic constant of an enumeration sort: the
    attacker of the grounded search), VAL (a value of such a sort), EQ, AND, OR or NOT; `name` for the first three,
    `args` for the others. Ids are never reused: the factory keeps every node."""

    __slots__ = ("op", "args", "name", "kind", "id", "terms")

    def get_id(self) -> int:
        return self.id

    def __repr__(self) -> str:
        return show(self)


class Terms:
    """The hash-consing factory of one encoder."""

    def __init__(self):
        self._table: dict[tuple, Term] = {}
        self._sub: dict[tuple[int, int, int], object] = {}  # (node, from, to or -1) -> substituted and simplified
        self._names: dict[int, dict[int, frozenset | None]] = {}  # from -> node -> the values it is compared with

    def _mk(self, key: tuple, op: int, args: tuple = (), name: str | None = None, kind: str | None = None) -> Term:
        t = self._table.get(key)
        if t is None:
            t = Term()
            t.op, t.args, t.name, t.kind, t.id, t.terms = op, args, name, kind, len(self._table), self
            self._table[key] = t
        return t

    def var(self, name: str) -> Term:
        return self._mk((VAR, name), VAR, name=name)

    def sym(self, kind: str, name: str) -> Term:
        return self._mk((SYM, kind, name), SYM, name=name, kind=kind)

    def val(self, kind: str, name: str) -> Term:
        return self._mk((VAL, kind, name), VAL, name=name, kind=kind)

    def eq(self, a: Term, b: Term) -> Term:
        return self._mk((EQ, a.id, b.id), EQ, (a, b))

    def and_(self, args) -> Term:
        args = tuple(args)
        return self._mk((AND,) + tuple(x.id for x in args), AND, args)

    def or_(self, args) -> Term:
        args = tuple(args)
        return self._mk((OR,) + tuple(x.id for x in args), OR, args)

    def not_(self, a: Term) -> Term:
        return self._mk((NOT, a.id), NOT, (a,))

    # -- substitution
    def substitute(self, f: Term, frm: Term, to: Term):
        """f with the symbol `frm` replaced by the value `to`, simplified as Z3_simplify simplifies (bottom-up): an
        equality of two values folds, and/or are flattened, lose their constants and repeated arguments, and fold
        when an argument meets its negation; not(not x) is x. A constant result is a Python bool. Z3 also sorts an
        or's arguments in some cases (by term ids, which differ between two contexts); these keep their order.

        Memoised across calls by node and by value, where the value matters: a node that compares `frm` with some
        values only (`attacker == AAA and hostile(AAA)`) comes out the same for every other value, so the large
        disjunctions of a clause (one disjunct per state) are walked once per value they name, not per value asked."""
        memo = self._sub
        fi = frm.id
        named = self._named(f, frm)

        def key(t: Term) -> tuple:
            v = named[t.id]
            return (t.id, fi, to.id if v is None or to.id in v else -1)

        stack = [(f, False)]
        while stack:
            t, expanded = stack.pop()
            k = key(t)
            if k in memo:
                continue
            op = t.op
            if op == VAR or op == VAL:
                memo[k] = t
                continue
            if op == SYM:
                memo[k] = to if t is frm else t
                continue
            if not expanded:
                stack.append((t, True))
                stack += [(x, False) for x in t.args if key(x) not in memo]
                continue
            kids = [memo[key(x)] for x in t.args]
            if op == EQ:
                a, b = kids
                if a is b:
                    r = True
                elif a.op == VAL and b.op == VAL:
                    r = False  # two distinct values of an enumeration sort
                else:
                    r = t if a is t.args[0] and b is t.args[1] else self.eq(a, b)
            elif op == NOT:
                (a,) = kids
                if a is True or a is False:
                    r = not a
                elif a.op == NOT:
                    r = a.args[0]
                else:
                    r = t if a is t.args[0] else self.not_(a)
            else:
                r = self._flat(op, t, kids)
            memo[k] = r
        return memo[key(f)]

    def _named(self, f: Term, frm: Term) -> dict[int, frozenset | None]:
        """For each node under f, the values (by id) it compares `frm` with, or None when `frm` occurs otherwise
        (then the result of a substitution depends on every value). Memoised for the encoder's life."""
        memo = self._names.setdefault(frm.id, {})
        stack = [(f, False)]
        while stack:
            t, expanded = stack.pop()
            if t.id in memo:
                continue
            op = t.op
            if op in (VAR, VAL, SYM):
                memo[t.id] = None if t is frm else frozenset()
                continue
            if op == EQ:
                a, b = t.args
                if (a is frm and b.op == VAL) or (b is frm and a.op == VAL):
                    memo[t.id] = frozenset({(b if a is frm else a).id})
                    memo[frm.id] = None
                    memo[(a if a is not frm else b).id] = frozenset()
                    continue
            if not expanded:
                stack.append((t, True))
                stack += [(x, False) for x in t.args if x.id not in memo]
                continue
            out: set[int] = set()
            for x in t.args:
                v = memo[x.id]
                if v is None:
                    out = None
                    break
                out |= v
            memo[t.id] = None if out is None else frozenset(out)
        return memo

    def _flat(self, op: int, t: Term, kids: list):
        """and/or of simplified arguments, as Z3's bool rewriter makes it (mk_flat_and_core, mk_nflat_and_core)."""
        unit, zero = (True, False) if op == AND else (False, True)
        flat = []
        for k in kids:
            if k is not True and k is not False and k.op == op:
                flat += k.args
            else:
                flat.append(k)
        out: list[Term] = []
        pos: set[int] = set()
        neg: set[int] = set()
        for a in flat:
            if a is unit:
                continue
            if a is zero:
                return zero
            if a.op == NOT:
                atom = a.args[0].id
                if atom in neg:
                    continue
                if atom in pos:
                    return zero
                neg.add(atom)
            else:
                if a.id in pos:
                    continue
                if a.id in neg:
                    return zero
                pos.add(a.id)
            out.append(a)
        if not out:
            return unit
        if len(out) == 1:
            return out[0]
        if len(out) == len(t.args) and all(x is y for x, y in zip(out, t.args)):
            return t
        return self.and_(out) if op == AND else self.or_(out)


def is_term(x) -> bool:
    return type(x) is Term


def variables(f: Term) -> list[Term]:
    """The open terms of f, by name (as solver._vars orders them)."""
    seen: set[int] = set()
    out: list[Term] = []
    stack = [f]
    while stack:
        t = stack.pop()
        if t.id in seen:
            continue
        seen.add(t.id)
        if t.op == VAR:
            out.append(t)
        else:
            stack += t.args
    return sorted(out, key=lambda v: v.name)


def _column(k: int, n: int) -> int:
    """The readings (bit i for reading i, whose bit k is term k's value) in which term k is true."""
    block = 1 << k
    unit = ((1 << block) - 1) << block  # one period: 2**k readings false, then 2**k true
    period = block << 1
    return unit * (((1 << (1 << n)) - 1) // ((1 << period) - 1))


def table(f: Term, index: dict[int, int], n: int) -> int:
    """f's truth table: bit i is f's value in reading i."""
    full = (1 << (1 << n)) - 1
    memo: dict[int, int] = {}
    stack = [(f, False)]
    while stack:
        t, expanded = stack.pop()
        if t.id in memo:
            continue
        op = t.op
        if op == VAR:
            memo[t.id] = _column(index[t.id], n)
            continue
        if op in (SYM, VAL, EQ):
            raise NeedSolver("a formula over a symbolic scenario")
        if not expanded:
            stack.append((t, True))
            stack += [(x, False) for x in t.args if x.id not in memo]
            continue
        vals = [memo[x.id] for x in t.args]
        if op == NOT:
            v = full ^ vals[0]
        elif op == AND:
            v = full
            for x in vals:
                v &= x
        else:
            v = 0
            for x in vals:
                v |= x
        memo[t.id] = v
    return memo[f.id]


class Background:
    """The background as plain data: groups of open terms (by id) of which at most one is true (the claims to a
    disputed place) and terms forced false (the claims to a place whose sovereign is fixed). `complex` when a
    claim is not a lone open term (a fact with a `when`): then only Z3 decides."""

    def __init__(self, groups: list[frozenset[int]], false: frozenset[int], complex_: bool = False):
        self.false = false
        self.complex = complex_
        self.group_of = {i: k for k, g in enumerate(groups) for i in g}


def decide(f, bg: Background, limits: Limits, find_hinges: bool = True, model: bool = False) -> Decision:
    """What solver.decide answers for f under the background: the verdict and, if asked, the hinges (the terms
    whose reading alone can flip it, in name order). With `model`, a contingent answer carries the hinges' values in
    a reading that makes f true, when every such reading agrees on them; NeedSolver otherwise (Z3's model would
    decide which), and when f has more than MAX_VARS open terms. No other model is returned: the Python-term
    queries read none."""
    if f is True:
        return Decision("valid", model_true={})
    if f is False:
        return Decision("unsat", model_false={})
    if limits.expired():
        return Decision("unknown", reason=limits.budget_reason())
    if bg.complex:
        raise NeedSolver("a background Z3 must decide")
    vs = variables(f)
    n = len(vs)
    if n > MAX_VARS:
        raise NeedSolver(f"{n} open terms")
    index = {v.id: k for k, v in enumerate(vs)}
    full = (1 << (1 << n)) - 1
    t = table(f, index, n)
    cols = [_column(k, n) for k in range(n)]
    # The readings the background allows, over f's terms (the others can all be false: that respects it).
    ok = full
    groups: dict[int, list[int]] = {}
    for k, v in enumerate(vs):
        if v.id in bg.false:
            ok &= full ^ cols[k]
        g = bg.group_of.get(v.id)
        if g is not None:
            groups.setdefault(g, []).append(k)
    for ks in groups.values():
        if len(ks) > 1:
            none = full
            for k in ks:
                none &= full ^ cols[k]
            one = 0
            for k in ks:
                only = cols[k]
                for j in ks:
                    if j != k:
                        only &= full ^ cols[j]
                one |= only
            ok &= none | one
    yes, no = t & ok, (full ^ t) & ok
    if not no:
        return Decision("valid")
    if not yes:
        return Decision("unsat")
    if not find_hinges:
        return Decision("contingent")
    hinges, values = [], {}
    for k, v in enumerate(vs):
        # As decide: v is a hinge when some reading of the others (one the background allows, v false) makes f
        # differ between v true and v false.
        step = 1 << k
        if ((t ^ (t >> step)) & ok & (full ^ cols[k])):
            hinges.append(v.name)
            if model:
                if not yes & cols[k]:
                    values[v.name] = False
                elif not yes & (full ^ cols[k]):
                    values[v.name] = True
                else:
                    raise NeedSolver(f"Z3's model would choose {v.name}")
    return Decision("contingent", model_true=values if model else None, hinges=hinges)


def show(t) -> str:
    if t is True or t is False:
        return str(t)
    if t.op in (VAR, SYM, VAL):
        return t.name
    if t.op == EQ:
        return f"{show(t.args[0])} == {show(t.args[1])}"
    if t.op == NOT:
        return f"Not({show(t.args[0])})"
    return ("And(" if t.op == AND else "Or(") + ", ".join(show(x) for x in t.args) + ")"
