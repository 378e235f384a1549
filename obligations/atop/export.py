"""`obligations export dyad-years`: the engine's obligations in ATOP's directed dyad-year shape.

A's obligation toward B counts for a year when, on some day of it, some clause can bind A to it under the
engine's own semantics (`Encoder.applies`, what `ask` uses) -- under some reading of the open terms and some
attacker, place and target the clause does not fix, as ATOP counts conditional obligations. Years count as
ATOP counts them: a stretch from day s to day e (exclusive) counts for every year from s's to e's, so the year
in which an obligation ends counts even when it ends on 1 January (CODEBOOK-NOTES §2.5).

Speed comes from cutting each instrument's time line where anything an answer can depend on changes, and
evaluating each piece once, on its first day.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from typing import TextIO

import z3

from obligations.atop.data import OBLIGATIONS
from obligations.model import core as C
from obligations.model.core import Clause, Corpus, Instrument
from obligations.record import field, record
from obligations.smt.decision import Limits
from obligations.smt.encode import ALL, AND, NOT, Encoder, SymScenario
from obligations.smt.solver import check, make_solver
from obligations.vocab import Deontic, Event, Role

ROW = 1 << 5  # the dyad-year has a row (co-parties, or an obligation), even with every obligation 0
KIND = {"assist": 0, "meet-common-danger": 0, "use-armed-force": 0, "join-offensive": 1, "remain-neutral": 2,
        "refrain-from-force": 3, "consult": 4}
Key = tuple[str, str, int]


@record
class Result:
    by_instrument: dict[str, dict[Key, int]] = field(default_factory=dict)
    segments: int = 0
    evaluations: int = 0
    solver_calls: int = 0
    unknown: list[str] = field(default_factory=list)  # (clause, A, B, date) the solver could not decide: counted as 1

    def combined(self, names: set[str] | None = None) -> dict[Key, int]:
        out: dict[Key, int] = {}
        for n, rows in self.by_instrument.items():
            if names is not None and n not in names:
                continue
            for k, v in rows.items():
                out[k] = out.get(k, 0) | v
        return out


def kind_of(cl: Clause) -> int | None:
    if cl.deontic is not Deontic.MUST or cl.trigger not in (None, Event.ARMED_ATTACK, Event.THREAT):
        return None  # joining an alliance or buying arms is not a crisis ATOP codes
    return KIND.get(cl.action)


def _conditions(cl: Clause):
    for st in cl.steps:
        if isinstance(st, (C.Holds, C.Unless, C.Restricted)):
            yield st.cond


def _roles_fixed(c: C.Cond | None, role: C.RoleRef, members: list[str], designated) -> set[str] | None:
    """The states `role` can be for `c` to hold, when `c` says (None: it does not limit them)."""
    match c:
        case C.IsParty(who=r) if r == role:
            return set(members)
        case C.IsDesignated(who=r) if r == role:
            return set(designated())
        case C.StateIn(who=r, codes=codes) if r == role:
            return set(codes)
        case C.SameState(a=r, b=C.StateRef(code=o)) if r == role:
            return {o}
        case C.SameState(a=C.StateRef(code=o), b=r) if r == role:
            return {o}
        case C.Defined(define=d):
            return _roles_fixed(d.cond, role, members, designated)
        case C.And(items=items):
            out = None
            for x in items:
                s = _roles_fixed(x, role, members, designated)
                if s is not None:
                    out = s if out is None else out & s
            return out
        case C.Or(items=items):
            parts = [_roles_fixed(x, role, members, designated) for x in items]
            return None if any(p is None for p in parts) else set().union(*parts)
    return None


class Exporter:
    def __init__(self, corpus: Corpus, drafts: frozenset[str] = frozenset(), instruments: set[str] | None = None,
                 limits: Limits | None = None):
        self.c = corpus
        self.drafts = frozenset(drafts)
        self.only = instruments
        self.limits = limits or Limits()
        self._root = Encoder(corpus, dt.date(2000, 1, 1), self.drafts)
        self._encoders: dict[dt.date, Encoder] = {}
        self._sat: dict = {}
        self._syms = None
        self._solvers: dict = {}
        self._mentions: dict = {}
        self._fresh = None
        self._steps: dict = {}
        self._free: dict = {}
        self._nots: dict = {}
        self._enc_solver: dict = {}
        self._keep: list = []
        self._static = self._static_dates()

    # -- time
    def _static_dates(self) -> set[dt.date]:
        """Dates where the world outside any one instrument changes: facts, holdings, states, date conditions."""
        out: set[dt.date] = set()
        for f in self.c.facts:
            out |= {f.interval.start, f.interval.end}
        for p in self.c.places.values():
            for h in p.territory_of + p.administered_by:
                out |= {h.interval.start, h.interval.end}
        for s in self.c.states.values():
            out |= {s.exists.start, s.exists.end}
        for cl in self.c.clauses:
            for c in _conditions(cl):
                for x in C.walk(c, into_definitions=True):
                    if isinstance(x, C.DateCmp):
                        # The day after: where `date <= D` stops holding (none after the last day there is).
                        out |= {x.date, x.date + dt.timedelta(days=1) if x.date < dt.date.max else x.date}
        out.discard(None)
        return out

    def _dates(self, inst: Instrument, clauses: list[Clause]) -> set[dt.date]:
        out = set(self._static)
        related = [inst] + [self.c.instruments[n] for n in self.c.children(inst.name)]
        related += [self.c.instruments[r.source] for cl in clauses for r in cl.restrictions() if r.source in self.c.instruments]
        for i in related:
            f = i.force
            out |= {f.start, f.end}
            for m in i.memberships + i.designations:
                out |= {m.interval.start, m.interval.end}
            for sp in i.suspensions:
                out |= {sp.interval.start, sp.interval.end}
        for cl in clauses:
            for st in cl.steps:
                if isinstance(st, C.InEffect):
                    out |= {st.start, st.end}
        out.discard(None)
        return out

    def encoder(self, d: dt.date) -> Encoder:
        enc = self._encoders.get(d)
        if enc is None:
            enc = self._encoders[d] = Encoder(self.c, d, self.drafts, share=self._root, memo=True)
        return enc

    # -- the run
    def run(self, first: int, last: int) -> Result:
        res = Result()
        lo, hi = dt.date(first, 1, 1), dt.date(last + 1, 1, 1)
        by_inst: dict[str, list[Clause]] = defaultdict(list)
        for cl in self.c.clauses:
            if kind_of(cl) is not None:
                by_inst[cl.instrument].append(cl)
        # Date by date, every instrument's segment that starts then, and the date's encoder dropped after: the
        # world's dates (every state's birth and end, every holding) cut each instrument into hundreds of
        # segments, and an encoder kept for each date held gigabytes by the end of a long run.
        plan: dict[dt.date, list[tuple[str, range]]] = defaultdict(list)
        rows_of: dict[str, dict[Key, int]] = {}
        for name in sorted(by_inst):
            inst = self.c.instruments[name]
            if (self.only is not None and name not in self.only) or (inst.draft and name not in self.drafts):
                continue
            rows_of[name] = {}
            cuts = sorted({lo, hi} | {d for d in self._dates(inst, by_inst[name]) if lo < d < hi})
            for s, e in zip(cuts, cuts[1:]):
                plan[s].append((name, range(s.year, (e.year if e < hi else last) + 1)))
        unknown_of: dict[str, list[str]] = defaultdict(list)
        for d in sorted(plan):
            for name, years in plan[d]:
                before = len(res.unknown)
                self._segment(self.c.instruments[name], by_inst[name], d, years, rows_of[name], res)
                unknown_of[name] += res.unknown[before:]
                del res.unknown[before:]
            self._encoders.pop(d, None)
        for name, rows in rows_of.items():  # in the instruments' order, as before
            res.unknown += unknown_of[name]
            if rows:
                res.by_instrument[name] = rows
        return res

    def _segment(self, inst: Instrument, clauses: list[Clause], d: dt.date, years: range, rows: dict[Key, int],
                 res: Result) -> None:
        enc = self.encoder(d)
        if not enc.in_force(inst.name):
            return
        res.segments += 1
        members = enc.members(inst)

        def mark(a: str, b: str, bits: int) -> None:
            for y in years:
                k = (a, b, y)
                rows[k] = rows.get(k, 0) | bits

        for a in members:
            for b in members:
                if a != b:
                    mark(a, b, ROW)
        for cl in clauses:
            bit = ROW | (1 << kind_of(cl))
            for a, b, scen in self._pairs(enc, inst, cl, members):
                key = (a, b)
                res.evaluations += 1
                if self._holds(enc, cl, a, scen, d, b, res):
                    mark(*key, bit)

    def _pairs(self, enc: Encoder, inst: Instrument, cl: Clause, members: list[str]):
        subj = cl.subject
        if subj.kind == "each_party":
            parties = members
        elif subj.kind == "each_author":
            parties = list(inst.authors)
        else:
            parties = [subj.code]
        obj = cl.obj
        att, vic, tgt, plc = self._symbols(enc)
        event = cl.trigger or Event.ARMED_ATTACK
        victim, attacker = C.RoleRef(Role.VICTIM), C.RoleRef(Role.ATTACKER)
        if isinstance(obj, C.StateRef):
            role, toward = None, [obj.code]
        elif obj in (victim, attacker):
            role, toward = obj, None
        elif cl.trigger is not None:
            role, toward = victim, None
        else:
            # A standing clause with no object is owed to the instrument's other parties (a unilateral act's addressees).
            role, toward = None, (list(inst.addressees) if inst.authors else members)
        if role is not None:
            cond = next((st.cond for st in cl.steps if isinstance(st, C.Holds) and st.kind == "condition"), None)
            fixed = _roles_fixed(cond, role, members, lambda: enc.designated(inst))
            # The state the obligation is owed to is one that exists on the date (a scenario that can happen).
            toward = sorted(fixed & enc.existing_set()[1]) if fixed is not None else enc.existing()
        for a in parties:
            for b in toward:
                if a == b:
                    continue
                if role == victim:
                    scen = SymScenario(event=event, attacker=att, victim=b, target=tgt, place=plc)
                elif role == attacker:
                    scen = SymScenario(event=event, attacker=b, victim=vic, target=tgt, place=plc)
                else:
                    scen = SymScenario(event=event, attacker=att, victim=vic if cl.trigger else b, target=tgt, place=plc)
                yield a, b, scen

    def _symbols(self, enc):
        if self._syms is None:
            state = enc.sort("State")[0]
            place = z3.Const("place", enc.sort("Place")[0]) if self.c.places else None
            self._syms = (z3.Const("attacker", state), z3.Const("victim", state), z3.Const("target", enc.sort("Target")[0]), place)
        return self._syms

    def _holds(self, enc, cl: Clause, a: str, s, d: dt.date, b: str, res: Result) -> bool:
        # The engine's rule that a party is never obliged to help the victim of its own attack is counted below
        # (an attacker other than the party must exist), not solved: it would put the attacker in every formula.
        steps, implied = self._steps_of(cl)
        with enc.within(cl.instrument, a, s):  # once, not once a step
            f = ALL(enc.step(st, cl, a, s) for st in steps)
        self._party = a if implied else None
        if isinstance(f, bool):
            return f and self._distinct_possible(enc, s)
        ne = self._not_same(enc, s.attacker, s.victim)  # nobody attacks itself
        if ne is False:
            return False
        # f and "nobody attacks itself" are decided apart when f does not speak of the attacker or the victim
        # (most clauses: their roles are folded): their variables are disjoint, and the answers are reused.
        if ne is True or not self._mentions_roles(enc, f):
            got = self._sat_free(enc, f, res)
            if got and ne is not True:
                got = self._distinct_possible(enc, s)
        else:
            mine = self._not_same(enc, s.attacker, a) if self._party is not None else True
            if mine is False:
                return False
            got = self._sat_of(enc, AND(f, ne) if mine is True else AND(f, ne, mine), d, res)
        if got is None:
            res.unknown.append(f"{cl.id}: {a} toward {b} on {d}")
            return True
        return got

    def _steps_of(self, cl: Clause) -> tuple[list, bool]:
        got = self._steps.get(id(cl))
        if got is None:
            implied = any(isinstance(st, C.NotRole) and st.implied for st in cl.steps)
            got = self._steps[id(cl)] = ([st for st in cl.steps if not (isinstance(st, C.NotRole) and st.implied)],
                                         implied, cl)
        return got[0], got[1]

    def _not_same(self, enc: Encoder, x, y):
        """not (x = y) for two states, each a name or one of the export's symbols: the same on every date, so
        built once (z3's Python wrappers made building it cost as much as solving)."""
        key = (x if isinstance(x, str) else x.get_id(), y if isinstance(y, str) else y.get_id())
        got = self._nots.get(key)
        if got is None:
            got = self._nots[key] = (NOT(enc.same("State", x, y)), x, y)
        return got[0]

    def _distinct_possible(self, enc: Encoder, s) -> bool:
        """Can the symbolic roles take existing states with attacker != victim (what `ne` says, with the
        solver's existence constraints)? Counted, not solved."""
        fixed = {v for v in (s.attacker, s.victim) if isinstance(v, str)}
        n_sym = sum(1 for v in (s.attacker, s.victim) if v is not None and not isinstance(v, str))
        ex = enc.existing_set()[1]
        if getattr(self, "_party", None) is not None and isinstance(s.attacker, str) and s.attacker == self._party:
            return False
        if getattr(self, "_party", None) is not None and not isinstance(s.attacker, str):
            fixed = fixed | {self._party}  # the attacker is someone other than the party bound
        return len(ex) - len(fixed & ex) >= n_sym

    def _sat_of(self, enc: Encoder, f, d: dt.date, res: Result) -> bool | None:
        # The answer depends on f and on what the solver holds, not on the date: keyed by the solver, the same
        # formula built again on a later date (Z3 shares equal terms, so it has the same id) is not solved again.
        sol, skey = self._solver(enc)
        key = (f.get_id(), skey)
        got = self._sat.get(key)
        # Z3 recycles the ids of freed terms: f is kept alive with its answer, so a live id is always f's.
        if got is None:
            res.solver_calls += 1
            r = check(sol, f)
            got = self._sat[key] = (f, None if r == z3.unknown else r == z3.sat)
        return got[1]

    def _sat_free(self, enc: Encoder, f, res: Result) -> bool | None:
        """`_sat_of` for a formula that does not mention the roles: "the roles' states exist" then speaks of other
        variables than f and the background, and holds as soon as some state exists. So f is decided under the
        background alone, and the answer serves every date with that background -- not only those with the same
        existing states, which change at every date a state is born or dies."""
        if not enc.existing():
            return False
        bg = enc.background()
        bkey = tuple(sorted(x.get_id() for x in bg))
        key = (f.get_id(), "free", bkey)
        got = self._sat.get(key)
        if got is None:
            sol = self._free.get(bkey)
            if sol is None:
                sol = self._free[bkey] = make_solver(enc.ctx, self.limits)
                for x in bg:
                    sol.add(x)
                self._keep.extend(bg)  # the key holds their ids
            res.solver_calls += 1
            r = check(sol, f)
            got = self._sat[key] = (f, None if r == z3.unknown else r == z3.sat)
        return got[1]

    def _mentions_roles(self, enc, f) -> bool:
        got = self._mentions.get(f.get_id())
        if got is None:
            # Z3 substitutes in C++, sharing subterms, and builds nothing new where the roles do not occur: f is
            # returned itself exactly when it does not mention them (walking f from Python cost more than solving).
            if self._fresh is None:
                att, vic = self._symbols(enc)[:2]
                self._fresh = ((att, z3.FreshConst(att.sort(), "a")), (vic, z3.FreshConst(vic.sort(), "v")))
            hit = not z3.substitute(f, *self._fresh).eq(f)
            got = self._mentions[f.get_id()] = (f, hit)
        return got[1]

    def _solver(self, enc: Encoder):
        """A solver holding what every scenario respects, as `Encoder.well_formed` states it: the roles' states
        exist on the date (and `background`). Built once per set of existing states, which changes rarely."""
        got = self._enc_solver.get(enc.d)
        if got is not None:
            return got
        bg = enc.background()
        key = (tuple(enc.existing()), tuple(sorted(x.get_id() for x in bg)))
        sol = self._solvers.get(key)
        if sol is None:
            sol = make_solver(enc.ctx, self.limits)
            for x in bg:
                sol.add(x)
            for v in self._symbols(enc)[:2]:
                sol.add(enc.exists(v))
            self._solvers[key] = sol
            self._keep.extend(bg)  # the key holds their ids
        got = self._enc_solver[enc.d] = (sol, key)
        return got


def to_ccodes(corpus: Corpus, rows: dict[Key, int]) -> tuple[dict[tuple[int, int, int], int], set[str]]:
    """Rows keyed by COW codes; states without one are left out (and returned). Two states with one COW code are one
    COW state: their rows are OR-ed."""
    out: dict[tuple[int, int, int], int] = {}
    missing: set[str] = set()
    states = corpus.states
    memo: dict[tuple[str, int], list[int]] = {}

    def codes(x: str, y: int) -> list[int]:
        got = memo.get((x, y))
        if got is None:
            s = states.get(x)
            got = memo[(x, y)] = s.cow_codes_in(y) if s is not None else []
            if not got and (s is None or not s.all_cow_codes()):
                missing.add(x)
        return got

    for (a, b, y), v in rows.items():
        # A state whose COW code changed in the year (the Federal Republic, 260 -> 255 on 3 October 1990) has a
        # row under each, as ATOP has.
        for ca in codes(a, y):
            for cb in codes(b, y):
                if ca == cb:
                    continue
                k = (ca, cb, y)
                out[k] = out.get(k, 0) | v
    return out, missing


def write_csv(rows: dict[tuple[int, int, int], int], stream: TextIO) -> int:
    w = csv.writer(stream, lineterminator="\n")
    w.writerow(["ccode1", "ccode2", "year", *OBLIGATIONS])
    for k in sorted(rows):
        if rows[k] & ROW:
            w.writerow([*k, *((rows[k] >> i) & 1 for i in range(5))])
    return len(rows)
