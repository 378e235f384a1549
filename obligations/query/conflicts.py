"""`conflicts`: can a party's commitments pull against each other?

Three searches, each a Z3 query over well-formed symbolic scenarios (smt/search.py: states, places and targets
as enumeration sorts; the date fixed) and every reading of the open terms:

static      the party is a member of an alliance that one of its commitments forbids it to join (a pledge not
            to join a military alliance with the United States and Japan, against a membership in one);
opposed     one scenario in which the party is obliged to do what another of its commitments forbids;
both sides  the party is obliged to assist a state against another, and that other against the first: the two
            sides of one war.

A conflict with a witness that holds under every reading of the open terms is a `conflict`; one that holds only
under some is a `possible_conflict`, with the terms it turns on. "No conflict" means Z3 proved there is none
within the scope it states.
"""

from __future__ import annotations

import datetime as dt
import itertools

from obligations import explain as X
from obligations.model.core import Clause, Corpus
from obligations.results import Conflict, ConflictSide, ConflictsResult, Witness
from obligations.smt.encode import AND, Encoder, SymScenario
from obligations.smt.search import Search, concrete
from obligations.smt.solver import Limits, decide
from obligations.model import core as C
from obligations.vocab import TARGETS, Deontic, Event, entails


def side(c: Corpus, cl: Clause) -> ConflictSide:
    inst = c.instruments[cl.instrument]
    return ConflictSide(clause=cl.id, instrument=inst.name, instrument_title=inst.title, binding=inst.binding,
                        article=cl.article, text=cl.article_text, location=str(cl.span), deontic=str(cl.deontic),
                        action=cl.action_text)


def membership_side(c: Corpus, inst_name: str, party: str) -> ConflictSide:
    inst = c.instruments[inst_name]
    spells = [m for m in inst.memberships if m.state == party]
    since = "; ".join(m.interval.describe() for m in spells) or "as a party"
    loc = str(spells[0].span) if spells else str(inst.span)
    return ConflictSide(clause=f"{inst.name}:parties", instrument=inst.name, instrument_title=inst.title, binding=inst.binding,
                        article="parties", text=f"{party} is a party of {inst.title} ({since})", location=loc,
                        deontic="is", action="member")


class _Conflicts:
    def __init__(self, corpus: Corpus, party: str, date: dt.date, drafts: frozenset[str], limits: Limits,
                 within: bool = False, enc: Encoder | None = None):
        self.within = within
        self.c = corpus
        self.p = party
        self.d = date
        self.drafts = drafts
        self.limits = limits
        self.enc = enc or Encoder(corpus, date, drafts)
        self.search = Search(self.enc, limits)
        self.unknown: list[str] = []

    def binding_clauses(self, deontic: Deontic) -> list[Clause]:
        """Clauses of instruments in force that can bind the party on the date."""
        out = []
        for cl in self.c.clauses:
            if cl.deontic != deontic or not self.enc.in_force(cl.instrument):
                continue
            inst = self.c.instruments[cl.instrument]
            if cl.subject.kind == "named" and cl.subject.code != self.p:
                continue
            if self.p in self.enc.member_set(inst) or self.p in inst.authors or self.p in self.enc.designated(inst):
                out.append(cl)
        return out

    def classify(self, formula) -> tuple[str, list[str]]:
        """Under every reading (conflict) or only some (possible_conflict)?"""
        dec = decide(formula, self.enc.background(), self.enc.ctx, self.limits)
        if dec.verdict == "valid":
            return "conflict", []
        return "possible_conflict", dec.hinges

    def readings(self, hinges: list[str], found) -> list[str] | None:
        """The readings a witness needs, in words (the model's value of each hinge)."""
        if not hinges:
            return None
        out = []
        for h in hinges:
            ot = self.enc.opens.get(h)
            value = (found.readings or {}).get(h)
            if ot is not None and value is not None:
                out.append(X.reading_text(self.c, ot.term, ot.args, value))
        return out or None

    # -- the three searches
    def static(self) -> list[Conflict]:
        out = []
        for cl in self.binding_clauses(Deontic.MUST_NOT):
            if cl.action != "join-alliance":
                continue
            for inst in self.c.instruments.values():
                if inst.name == cl.instrument or not self.enc.in_force(inst.name):
                    continue
                if self.p not in self.enc.member_set(inst):
                    continue
                s = SymScenario(event=Event.JOIN, actor=self.p, alliance=inst.name)
                f = self.enc.applies(cl, self.p, s)
                if f is False:
                    continue
                verdict, hinges = self.classify(f)
                w = X.witness("join", self.d, {"actor": self.p, "alliance": inst.name})
                w = Witness(**{**_fields(w), "text": f"on {self.d}, {self.p} is a member of {inst.title}"})
                out.append(Conflict(
                    kind="static", verdict=verdict, hinges=hinges,
                    summary=f"{self.p} is a party of {inst.name}, which {cl.instrument} Article {cl.article} forbids {self.p} to join",
                    witnesses=[w], sides=[side(self.c, cl), membership_side(self.c, inst.name, self.p)],
                ))
        return out

    def opposed(self) -> list[Conflict]:
        out = []
        musts = self.binding_clauses(Deontic.MUST)
        for c2 in self.binding_clauses(Deontic.MUST_NOT):
            for c1 in musts:
                if not entails(c1.action, c2.action):
                    continue
                t1, t2 = c1.trigger, c2.trigger
                if t1 and t2 and t1 != t2:
                    continue
                event = t1 or t2 or Event.ARMED_ATTACK
                s = self.search.scenario(event)
                obj_ok = True
                if c1.obj is not None and c2.obj is not None:
                    a = s.value(c1.obj) if isinstance(c1.obj, (C.RoleRef, C.StateRef)) else c1.obj
                    b = s.value(c2.obj) if isinstance(c2.obj, (C.RoleRef, C.StateRef)) else c2.obj
                    obj_ok = self.enc.same("State", a, b) if isinstance(c1.obj, (C.RoleRef, C.StateRef)) else a == b
                f = AND(obj_ok, self.enc.applies(c1, self.p, s), self.enc.applies(c2, self.p, s))
                found = self.search.find(f, [s])
                if found.status == "unknown":
                    self.unknown.append(f"{c1.id} against {c2.id}: solver limit reached")
                if found.status != "sat":
                    continue
                g = concrete(s, found.values[0])
                fw = AND(self.enc.applies(c1, self.p, g), self.enc.applies(c2, self.p, g))
                verdict, hinges = self.classify(fw)
                out.append(Conflict(
                    kind="contingent", verdict=verdict, hinges=hinges,
                    summary=f"{self.p} can be obliged to {c1.action} ({c1.instrument} Art. {c1.article}) "
                            f"where {c2.instrument} Art. {c2.article} forbids it",
                    witnesses=[X.witness(event, self.d, found.values[0], self.readings(hinges, found))],
                    sides=[side(self.c, c1), side(self.c, c2)],
                ))
        return out

    def both_sides(self) -> list[Conflict]:
        out = []
        e = self.enc
        assists = [cl for cl in self.binding_clauses(Deontic.MUST) if entails(cl.action, "assist")
                   and cl.trigger in (None, Event.ARMED_ATTACK)]
        seen_pairs = set()
        for c1, c2 in itertools.product(assists, repeat=2):
            key = tuple(sorted((c1.id, c2.id)))
            if key in seen_pairs:
                continue
            # Within one collective-defence treaty, two parties at war oblige the others both
            # ways: that is the treaty's own design, reported only when asked for.
            if c1.instrument == c2.instrument and not self.within:
                continue
            s1 = self.search.scenario("armed-attack", "1", ("attacker", "victim", "target", "place"))
            s2 = self.search.scenario("armed-attack", "2", ("target", "place"))
            s2.attacker, s2.victim = s1.victim, s1.attacker  # the same war, the other way round
            me = e.sort("State")[1][self.p]
            tie = [s1.victim != me, s1.attacker != me]
            f = AND(e.applies(c1, self.p, s1), e.applies(c2, self.p, s2))
            found = self.search.find(f, [s1, s2], extra=tie)
            if found.status == "unknown":
                self.unknown.append(f"{c1.id} with {c2.id}: solver limit reached")
            if found.status != "sat":
                continue
            seen_pairs.add(key)
            v1, v2 = found.values
            g1, g2 = concrete(s1, v1), concrete(s2, v2)
            fw = AND(e.applies(c1, self.p, g1), e.applies(c2, self.p, g2))
            verdict, hinges = self.classify(fw)
            out.append(Conflict(
                kind="contingent", verdict=verdict, hinges=hinges,
                summary=f"{self.p} can be obliged to assist {v1['victim']} against {v1['attacker']} ({c1.instrument} Art. {c1.article}) "
                        f"and {v2['victim']} against {v2['attacker']} ({c2.instrument} Art. {c2.article}): both sides of one war",
                witnesses=[X.witness("armed-attack", self.d, v1, self.readings(hinges, found)),
                           X.witness("armed-attack", self.d, v2, self.readings(hinges, found))],
                sides=[side(self.c, c1)] + ([side(self.c, c2)] if c2.id != c1.id else []),
            ))
        return out

    def scope(self) -> str:
        return (f"{len(self.c.states)} states, {len(self.c.places)} places, {len(self.c.regions)} regions and "
                f"{len(TARGETS)} kinds of target of the corpus, on {self.d}, under every reading of the open terms; "
                f"the instruments in force then"
                + (f" and the drafts {', '.join(sorted(self.drafts))}" if self.drafts else "")
                + "; one attack (or a pair of opposed attacks) at a time, only attacks that can happen (a state's "
                  "territory is attacked where it holds or claims it)"
                + ("" if self.within else "; both-sides conflicts between two instruments (add --within for those inside one)"))


def _fields(w: Witness) -> dict:
    from dataclasses import fields

    return {f.name: getattr(w, f.name) for f in fields(w)}


def conflicts(corpus: Corpus, party: str, date: dt.date, drafts: frozenset[str] = frozenset(),
              limits: Limits = Limits(), within: bool = False) -> ConflictsResult:
    """Every conflict among `party`'s commitments on `date`, each with a witness, or proof there is none."""
    s = _Conflicts(corpus, party, date, drafts, limits, within)
    found = s.static() + s.opposed() + s.both_sides()
    return ConflictsResult(party=party, date=date, conflicts=found, scope=s.scope(), unknown=s.unknown)
