"""`conflicts`: can a party's commitments pull against each other?

Three searches, each a Z3 query over a symbolic scenario (states, places and
targets as enumeration sorts; the date fixed) and every reading of the open
terms:

static      the party is a member of an alliance that one of its commitments
            forbids it to join (a pledge not to join a military alliance with
            the United States and Japan, against a membership in one);
opposed     one scenario in which the party is obliged to do what another of
            its commitments forbids;
both sides  the party is obliged to assist a state against another, and that
            other against the first: the two sides of one war.

A conflict found under every reading of the open terms is a `conflict`; one
found only under some is a `possible_conflict`, with the terms it turns on.
"No conflict" means Z3 proved there is none within the scope it states.
"""

from __future__ import annotations

import datetime as dt
import itertools

import z3

from obligations.model.corpus import Clause, Corpus
from obligations.query.results import Conflict, ConflictSide, ConflictsResult
from obligations.scenario import TARGETS, entails
from obligations.smt.encode import AND, Encoder, SymScenario
from obligations.smt.solver import Limits, check, decide, make_solver


def side(c: Corpus, cl: Clause) -> ConflictSide:
    inst = c.instruments[cl.instrument]
    n = cl.node
    return ConflictSide(clause=cl.id, instrument=inst.name, instrument_title=inst.title, binding=inst.binding,
                        article=cl.article, text=cl.article_text, location=str(cl.span), deontic=n.deontic,
                        action=n.action.name + (f" {n.action.obj}" if n.action.obj else ""))


def membership_side(c: Corpus, inst_name: str, party: str) -> ConflictSide:
    inst = c.instruments[inst_name]
    spells = [m for m in inst.memberships if m.state == party]
    since = "; ".join(m.interval.describe() for m in spells) or "as a party"
    loc = str(spells[0].span) if spells else str(inst.node.span)
    return ConflictSide(clause=f"{inst.name}:parties", instrument=inst.name, instrument_title=inst.title, binding=inst.binding,
                        article="parties", text=f"{party} is a party of {inst.title} ({since})", location=loc,
                        deontic="is", action="member")


class _Search:
    def __init__(self, corpus: Corpus, party: str, date: dt.date, drafts: frozenset[str], limits: Limits,
                 within: bool = False):
        self.within = within
        self.c = corpus
        self.p = party
        self.d = date
        self.drafts = drafts
        self.limits = limits
        self.enc = Encoder(corpus, date, drafts)
        self.unknown: list[str] = []

    def sym(self, event: str, tag: str) -> SymScenario:
        e = self.enc
        return SymScenario(
            event=event,
            attacker=e.const("State", f"attacker{tag}"), victim=e.const("State", f"victim{tag}"),
            target=e.const("Target", f"target{tag}"), place=e.const("Place", f"place{tag}"),
            actor=e.const("State", f"actor{tag}"), alliance=e.const("Inst", f"alliance{tag}"),
            seller=e.const("State", f"seller{tag}"),
        )

    def binding_clauses(self, deontic: str) -> list[Clause]:
        """Clauses of instruments in force that can bind the party at all on the date."""
        out = []
        for cl in self.c.clauses:
            if cl.node.deontic != deontic or not self.enc.in_force(cl.instrument):
                continue
            inst = self.c.instruments[cl.instrument]
            n = cl.node
            if n.subject.mode == "named" and n.subject.code != self.p:
                continue
            if self.p in inst.members_on(self.d) or self.p in inst.node.authors or self.p in self.enc.designated(inst):
                out.append(cl)
        return out

    def witness(self, formula, extra=()) -> tuple[str, z3.ModelRef | None]:
        if formula is False:
            return "unsat", None
        if formula is True:
            return "sat", None
        s = make_solver(self.enc.ctx, self.limits)
        for b in self.enc.background():
            s.add(b)
        for x in extra:
            s.add(x)
        r = check(s, formula)
        if r == z3.sat:
            return "sat", s.model()
        if r == z3.unsat:
            return "unsat", None
        return "unknown", None

    def val(self, m: z3.ModelRef | None, x):
        if m is None or not isinstance(x, z3.ExprRef):
            return x
        return str(m.eval(x, model_completion=True))

    def ground(self, sym: SymScenario, m) -> SymScenario:
        return SymScenario(event=sym.event, **{k: self.val(m, getattr(sym, k)) for k in
                                                ("attacker", "victim", "target", "place", "actor", "alliance", "seller")})

    def classify(self, formula_at_witness) -> tuple[str, list[str]]:
        """Under every reading (conflict) or only some (possible_conflict)?"""
        dec = decide(formula_at_witness, self.enc.background(), self.enc.ctx, self.limits)
        if dec.verdict == "valid":
            return "conflict", []
        return "possible_conflict", dec.hinges

    # -- the three searches
    def static(self) -> list[Conflict]:
        out = []
        for cl in self.binding_clauses("must not"):
            if cl.node.action.name != "join-alliance":
                continue
            for inst in self.c.instruments.values():
                if inst.name == cl.instrument or not self.enc.in_force(inst.name):
                    continue
                if self.p not in inst.members_on(self.d):
                    continue
                s = SymScenario(event="join", actor=self.p, alliance=inst.name)
                f = self.enc.applies(cl, self.p, s)
                if f is False:
                    continue
                verdict, hinges = self.classify(f)
                out.append(Conflict(
                    kind="static", verdict=verdict, hinges=hinges,
                    summary=f"{self.p} is a party of {inst.name}, which {cl.instrument} Article {cl.article} forbids {self.p} to join",
                    witness=f"on {self.d}, {self.p} is a member of {inst.title}",
                    sides=[side(self.c, cl), membership_side(self.c, inst.name, self.p)],
                ))
        return out

    def opposed(self) -> list[Conflict]:
        out = []
        musts = self.binding_clauses("must")
        for c2 in self.binding_clauses("must not"):
            for c1 in musts:
                if not entails(c1.node.action.name, c2.node.action.name):
                    continue
                t1, t2 = c1.node.trigger, c2.node.trigger
                if t1 and t2 and t1 != t2:
                    continue
                event = t1 or t2 or "armed-attack"
                s = self.sym(event, "")
                obj_ok = True
                if c1.node.action.obj and c2.node.action.obj:
                    a, b = s.role(c1.node.action.obj), s.role(c2.node.action.obj)
                    obj_ok = self.enc.same("State", a, b) if (isinstance(a, z3.ExprRef) or (a or "").isupper()) else a == b
                f = AND(obj_ok, self.enc.applies(c1, self.p, s), self.enc.applies(c2, self.p, s))
                r, m = self.witness(f, self.enc.well_formed(s))
                if r == "unknown":
                    self.unknown.append(f"{c1.id} against {c2.id}: solver limit reached")
                if r != "sat":
                    continue
                g = self.ground(s, m)
                fw = AND(self.enc.applies(c1, self.p, g), self.enc.applies(c2, self.p, g))
                verdict, hinges = self.classify(fw)
                out.append(Conflict(
                    kind="contingent", verdict=verdict, hinges=hinges,
                    summary=f"{self.p} can be obliged to {c1.node.action.name} ({c1.instrument} Art. {c1.article}) "
                            f"where {c2.instrument} Art. {c2.article} forbids it",
                    witness=_describe(g, self.d), sides=[side(self.c, c1), side(self.c, c2)],
                ))
        return out

    def both_sides(self) -> list[Conflict]:
        out = []
        e = self.enc
        assists = [cl for cl in self.binding_clauses("must") if entails(cl.node.action.name, "assist")
                   and cl.node.trigger in (None, "armed-attack")]
        seen_pairs = set()
        for c1, c2 in itertools.product(assists, repeat=2):
            key = tuple(sorted((c1.id, c2.id)))
            if key in seen_pairs:
                continue
            # Within one collective-defence treaty, two parties at war oblige the others both
            # ways: that is the treaty's own design, reported only when asked for.
            if c1.instrument == c2.instrument and not self.within:
                continue
            s1, s2 = self.sym("armed-attack", "1"), self.sym("armed-attack", "2")
            x, y = s1.victim, s1.attacker
            tie = [s2.victim == y, s2.attacker == x, x != y,
                   x != e.sort("State")[1][self.p], y != e.sort("State")[1][self.p]]
            f = AND(e.applies(c1, self.p, s1), e.applies(c2, self.p, s2))
            r, m = self.witness(f, tie + e.well_formed(s1) + e.well_formed(s2))
            if r == "unknown":
                self.unknown.append(f"{c1.id} with {c2.id}: solver limit reached")
            if r != "sat":
                continue
            seen_pairs.add(key)
            g1, g2 = self.ground(s1, m), self.ground(s2, m)
            fw = AND(e.applies(c1, self.p, g1), e.applies(c2, self.p, g2))
            verdict, hinges = self.classify(fw)
            out.append(Conflict(
                kind="contingent", verdict=verdict, hinges=hinges,
                summary=f"{self.p} can be obliged to assist {g1.victim} against {g1.attacker} ({c1.instrument} Art. {c1.article}) "
                        f"and {g2.victim} against {g2.attacker} ({c2.instrument} Art. {c2.article}): both sides of one war",
                witness=f"{_describe(g1, self.d)}; and {_describe(g2, self.d)}",
                sides=[side(self.c, c1)] + ([side(self.c, c2)] if c2.id != c1.id else []),
            ))
        return out

    def scope(self) -> str:
        return (f"{len(self.c.states)} states, {len(self.c.places)} places and {len(TARGETS)} kinds of target of the corpus, "
                f"on {self.d}, under every reading of the open terms; the instruments in force then"
                + (f" and the drafts {', '.join(sorted(self.drafts))}" if self.drafts else "")
                + "; one attack (or a pair of opposed attacks) at a time"
                + ("" if self.within else "; both-sides conflicts between two instruments (add --within for those inside one)"))


def _describe(s: SymScenario, d: dt.date) -> str:
    if s.event in ("armed-attack", "threat"):
        what = "attacks" if s.event == "armed-attack" else "threatens"
        return f"{s.attacker} {what} {s.victim}'s {str(s.target).replace('-', ' ')} at {s.place} on {d}"
    if s.event == "join":
        return f"{s.actor} joins {s.alliance} on {d}"
    return f"{s.actor} buys major defense equipment from {s.seller} on {d}"


def conflicts(corpus: Corpus, party: str, date: dt.date, drafts: frozenset[str] = frozenset(),
              limits: Limits = Limits(), within: bool = False) -> ConflictsResult:
    s = _Search(corpus, party, date, drafts, limits, within)
    found = s.static() + s.opposed() + s.both_sides()
    return ConflictsResult(party=party, date=str(date), conflicts=found, scope=s.scope(), unknown=s.unknown)
