"""`conflicts`: can a party's commitments pull against each other?

Three searches over well-formed scenarios (the date fixed) and every reading of the open terms. By default
they are grounded (query/grounded.py): each clause folded over concrete attacks, the pairs joined in Python,
Z3 asked only about the residual open terms. `method="symbolic"` asks Z3 instead one quantified query per pair
over symbolic scenarios (smt/search.py: states, places and targets as enumeration sorts); the tests hold the
two to the same answers.

static      the party is a member of an alliance that one of its commitments forbids it to join (a pledge not
            to join a military alliance with the United States and Japan, against a membership in one);
opposed     one scenario in which the party is obliged to do what another of its commitments forbids;
both sides  the party is obliged to assist a state against another, and that other against the first: the two
            sides of one war.

A conflict with a witness that holds under every reading of the open terms is a `conflict`; one that holds only
under some is a `possible_conflict`, with the terms it turns on. "No conflict" means Z3 proved there is none
within the scope it states.

The grounded search first runs over formulas of plain Python terms (smt/pyterm.py), with no Z3 context: on a
small corpus making one costs as much as the whole search. Where only Z3 can answer as the Z3 search would (a
symbolic search, a formula over many open terms, a witness's reading Z3's model would choose), it stops
(NeedSolver) and the whole search runs again on Z3.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator

from obligations import explain as X
from obligations.model.core import Clause, Corpus
from obligations.results import Conflict, ConflictSide, ConflictsResult, Witness
from obligations.query.grounded import Entry, Grounder, place_atoms, victim_domain
from obligations.smt.encode import ALL as ALL_OF, AND, Encoder, SymScenario
from obligations.smt.search import Search, concrete
from obligations.smt import pyterm
from obligations.smt.pyterm import NeedSolver
from obligations.smt.solver import Limits, decide
from obligations.model import core as C
from obligations.record import record
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
                 within: bool = False, enc: Encoder | None = None, method: str = "grounded", witnesses: int = 1,
                 terms: str = "z3"):
        if method not in ("grounded", "symbolic"):
            raise ValueError(f"unknown method {method!r}")
        self.n = max(1, witnesses)  # witness scenarios per conflict (the grounded search; the symbolic finds one)
        self.method = method
        self.within = within
        self.c = corpus
        self.p = party
        self.d = date
        self.drafts = drafts
        self.limits = limits
        self.enc = enc or Encoder(corpus, date, drafts, terms=terms)
        self.py = self.enc._py is not None
        self.unknown: list[str] = []
        self._grounder: Grounder | None = None
        self._search: Search | None = None

    @property
    def search(self) -> Search:
        """Built on first use: only the symbolic searches need it (and it copies the background)."""
        if self.py:
            raise NeedSolver("a symbolic search")
        if self._search is None:
            self._search = Search(self.enc, self.limits)
        return self._search

    @property
    def g(self) -> Grounder:
        if self._grounder is None:
            self._grounder = Grounder(self.enc, self.p, self.limits)
        return self._grounder

    def binding_clauses(self, deontic: Deontic) -> list[Clause]:
        """Clauses of instruments in force that can bind the party on the date (of the instruments that name it
        at all: Corpus.clauses_naming)."""
        out = []
        for cl in self.c.clauses_naming(self.p):
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
        dec = self._decide(formula, model=False)
        if dec.verdict == "valid":
            return "conflict", []
        return "possible_conflict", dec.hinges

    def readings(self, hinges: list[str], found) -> list[str] | None:
        """The readings a witness needs, in words (the model's value of each hinge)."""
        return self.readings_of(hinges, found.readings)

    def readings_of(self, hinges: list[str], model: dict[str, bool] | None) -> list[str] | None:
        if not hinges:
            return None
        out = []
        for h in hinges:
            ot = self.enc.opens.get(h)
            value = (model or {}).get(h)
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
                event = Event(t1 or t2 or Event.ARMED_ATTACK)
                # Only attacks are grounded; a joining or a purchase (rare in an opposed pair) is searched.
                if self.method == "grounded" and event.is_attack:
                    out += self._opposed_grounded(c1, c2, event)
                else:
                    out += self._opposed_symbolic(c1, c2, event)
        return out

    def _obj_ok(self, c1: Clause, c2: Clause, s: SymScenario):
        """Do the two clauses speak of the same object in `s`?"""
        if c1.obj is None or c2.obj is None:
            return True
        a = s.value(c1.obj) if isinstance(c1.obj, (C.RoleRef, C.StateRef)) else c1.obj
        b = s.value(c2.obj) if isinstance(c2.obj, (C.RoleRef, C.StateRef)) else c2.obj
        return self.enc.same("State", a, b) if isinstance(c1.obj, (C.RoleRef, C.StateRef)) else a == b

    def _opposed_conflict(self, c1: Clause, c2: Clause, event, verdict: str, hinges: list[str], w) -> Conflict:
        return Conflict(
            kind="contingent", verdict=verdict, hinges=hinges,
            summary=f"{self.p} can be obliged to {c1.action} ({c1.instrument} Art. {c1.article}) "
                    f"where {c2.instrument} Art. {c2.article} forbids it",
            witnesses=w if isinstance(w, list) else [w], sides=[side(self.c, c1), side(self.c, c2)],
        )

    def _opposed_grounded(self, c1: Clause, c2: Clause, event: Event) -> list[Conflict]:
        e, p, g = self.enc, self.p, self.g

        def parts(s: SymScenario):
            yield self._obj_ok(c1, c2, s)
            yield e.applies(c1, p, s)
            yield e.applies(c2, p, s)

        def both(s: SymScenario):
            # Built lazily: most scenarios fail the object or the first clause, and the rest is never built.
            return ALL_OF(parts(s))

        cells = g.table(both, event, place_atoms([c1, c2], self.c.facts), (c1.instrument, c2.instrument),
                        stop_all=True, victims=victim_domain(e, [c1, c2]))
        for want_valid in (True, False):
            found = []
            for cell in cells:
                options = [cell.valid] if want_valid else list(cell.maybe.values())
                for opt in options:
                    if opt is None:
                        continue
                    a = g.attacker_for(cell.cls, cell.victim, frozenset())
                    if a is None:
                        continue
                    found.append((opt[1]["place"] not in g.places, len(found), opt[0], {**opt[1], "attacker": a}))
            if not found:
                continue
            found.sort(key=lambda x: x[:2])  # places before whole regions, then as found
            _, _, f, values = found[0]
            if not want_valid:
                verdict, hinges, model = self._classify_model(f)
                return [self._opposed_conflict(c1, c2, event, verdict, hinges,
                                               X.witness(event, self.d, values, self.readings_of(hinges, model)))]
            # More witnesses (--witnesses N): other victims, each valid under every reading.
            ws, victims = [], set()
            for _, _, _, w in found:
                if w["victim"] not in victims and len(ws) < self.n:
                    victims.add(w["victim"])
                    ws.append(X.witness(event, self.d, w, None))
            return [self._opposed_conflict(c1, c2, event, "conflict", [], ws)]
        return []

    def _decide(self, f, model: bool):
        """decide under the whole background; over Python terms, with the hinges' values in a model only if asked."""
        if self.py:
            return pyterm.decide(f, self.enc.background_data(), self.limits, model=model)
        return decide(f, self.enc.background(), self.enc.ctx, self.limits)

    def _classify_model(self, f) -> tuple[str, list[str], dict | None]:
        dec = self._decide(f, model=True)
        if dec.verdict == "valid":
            return "conflict", [], None
        return "possible_conflict", dec.hinges, dec.model_true

    def _opposed_symbolic(self, c1: Clause, c2: Clause, event: Event) -> list[Conflict]:
        s = self.search.scenario(event)
        f = AND(self._obj_ok(c1, c2, s), self.enc.applies(c1, self.p, s), self.enc.applies(c2, self.p, s))
        found = self.search.find(f, [s])
        if found.status == "unknown":
            self.unknown.append(f"{c1.id} against {c2.id}: solver limit reached")
        if found.status != "sat":
            return []
        g = concrete(s, found.values[0])
        fw = AND(self.enc.applies(c1, self.p, g), self.enc.applies(c2, self.p, g))
        verdict, hinges = self.classify(fw)
        return [self._opposed_conflict(c1, c2, event, verdict, hinges,
                                       X.witness(event, self.d, found.values[0], self.readings(hinges, found)))]

    def both_sides(self) -> list[Conflict]:
        out = []
        assists = [cl for cl in self.binding_clauses(Deontic.MUST) if entails(cl.action, "assist")
                   and cl.trigger in (None, Event.ARMED_ATTACK)]
        seen_pairs = set()
        war = self._war_grounded if self.method == "grounded" else self._war_symbolic
        for c1, c2 in itertools.product(assists, repeat=2):
            key = tuple(sorted((c1.id, c2.id)))
            if key in seen_pairs:
                continue
            # Within one collective-defence treaty, two parties at war oblige the others both
            # ways: that is the treaty's own design, reported only when asked for.
            if c1.instrument == c2.instrument and not self.within:
                continue
            found = war(c1, c2)
            if found is None:
                continue
            seen_pairs.add(key)
            v1, v2, verdict, hinges, readings = found[:5]
            more = found[5] if len(found) > 5 else []
            ws = [X.witness("armed-attack", self.d, v1, readings), X.witness("armed-attack", self.d, v2, readings)]
            for m1, m2 in more:
                ws += [X.witness("armed-attack", self.d, m1, None), X.witness("armed-attack", self.d, m2, None)]
            out.append(Conflict(
                kind="contingent", verdict=verdict, hinges=hinges, per_witness=2,
                summary=f"{self.p} can be obliged to assist {v1['victim']} against {v1['attacker']} ({c1.instrument} Art. {c1.article}) "
                        f"and {v2['victim']} against {v2['attacker']} ({c2.instrument} Art. {c2.article}): both sides of one war",
                witnesses=ws,
                sides=[side(self.c, c1)] + ([side(self.c, c2)] if c2.id != c1.id else []),
            ))
        return out

    def _war_symbolic(self, c1: Clause, c2: Clause):
        """Both sides of one war, by one quantified query: (values 1, values 2, verdict, hinges, readings)."""
        e = self.enc
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
            return None
        v1, v2 = found.values
        g1, g2 = concrete(s1, v1), concrete(s2, v2)
        verdict, hinges = self.classify(AND(e.applies(c1, self.p, g1), e.applies(c2, self.p, g2)))
        return v1, v2, verdict, hinges, self.readings(hinges, found)

    def _war_table(self, cl: Clause) -> dict[str, list[Entry]]:
        """cl grounded over attacks that involve neither side as the party, by victim, the attacker left symbolic
        (one table per clause, shared by every pair it is in)."""
        memo = self.__dict__.setdefault("_war_tables", {})
        got = memo.get(cl.id)
        if got is None:
            got = memo[cl.id] = self.g.entries(
                lambda s: self.enc.applies(cl, self.p, s), Event.ARMED_ATTACK, place_atoms([cl], self.c.facts),
                (cl.instrument,), exclude=frozenset({self.p}), victims=victim_domain(self.enc, [cl]))
        return got

    def _war_options(self, cl: Clause, victim: str, attacker: str) -> _Options:
        """What cl does for an attack by `attacker` on `victim`: the best witness true under every reading (at a
        named place if there is one) and the contingent residuals, each with its first witness (a named place
        preferred). Memoised; by victim alone when no formula of the victim names the attacker."""
        entries = self._war_table(cl).get(victim, [])
        lazy = any(e.lazy for e in entries)
        key = (cl.id, victim, attacker if lazy else None)
        memo = self.__dict__.setdefault("_options", {})
        got = memo.get(key)
        if got is not None:
            return got
        g, places = self.g, self.g.places
        valid: tuple | None = None
        maybe: dict[int, tuple] = {}
        for e in entries:
            r = g.at(e, attacker)
            verdict = g.validity(r)
            if verdict == "unsat":
                continue
            w = {**e.w, "attacker": attacker}
            if verdict == "valid":
                if valid is None or (valid[1]["place"] not in places and w["place"] in places):
                    valid = (r, w)
                continue
            if verdict == "unknown":
                g.unknown.append(f"{victim}: solver limit reached")
            old = maybe.get(r.get_id())
            if old is None or (old[1]["place"] not in places and w["place"] in places):
                maybe[r.get_id()] = (r, w)
        got = memo[key] = _Options(valid, list(maybe.values()))
        return got

    def _war_grounded(self, c1: Clause, c2: Clause):
        """Both sides of one war, joined on the grounded tables: scenario 1 is an attack by v2 on v1 that binds
        under c1, scenario 2 the attack by v1 on v2 that binds under c2. First a pair true under every reading
        (no solver call beyond classifying each residual), then one that holds under some reading; places
        before whole regions. Residuals are specialised to an attacker only when a join asks for it."""
        t1, t2 = self._war_table(c1), self._war_table(c2)
        places = self.g.places

        def joins() -> Iterator[tuple[_Options, _Options]]:
            for v1 in t1:
                for v2 in t2:
                    if v1 == v2:
                        continue
                    o1 = self._war_options(c1, v1, v2)
                    if o1.valid is None and not o1.maybe:
                        continue
                    o2 = self._war_options(c2, v2, v1)
                    if o2.valid is not None or o2.maybe:
                        yield o1, o2

        def done(w1: dict, w2: dict) -> tuple[dict, dict]:
            return {**w1, "attacker": w2["victim"]}, {**w2, "attacker": w1["victim"]}

        valid = []  # (rank, pair) of wars valid under every reading; places before whole regions
        for o1, o2 in joins():
            if o1.valid is None or o2.valid is None:
                continue
            rank = (o1.valid[1]["place"] not in places) + (o2.valid[1]["place"] not in places)
            valid.append((rank, len(valid), done(o1.valid[1], o2.valid[1])))
            if sum(1 for r, _, _ in valid if r == 0) >= self.n:
                break
        if valid:
            valid.sort(key=lambda x: x[:2])
            (w1, w2), more = valid[0][2], [x[2] for x in valid[1:self.n]]
            return (w1, w2, "conflict", [], None, more)
        for at_places in (True, False):
            for o1, o2 in joins():
                for r1, w1 in o1.all():
                    for r2, w2 in o2.all():
                        if at_places and not (w1["place"] in places and w2["place"] in places):
                            continue
                        dec = self.g.pair(r1, r2)
                        if dec.verdict == "unknown":
                            self.unknown.append(f"{c1.id} with {c2.id}: {dec.reason}")
                        if dec.verdict not in ("valid", "contingent"):
                            continue
                        verdict = "conflict" if dec.verdict == "valid" else "possible_conflict"
                        return (*done(w1, w2), verdict, dec.hinges, self.readings_of(dec.hinges, dec.model_true))
        return None

    def scope(self) -> str:
        return (f"{len(self.c.states)} states, {len(self.c.places)} places, {len(self.c.regions)} regions and "
                f"{len(TARGETS)} kinds of target of the corpus, on {self.d}, under every reading of the open terms; "
                f"the instruments in force then"
                + (f" and the drafts {', '.join(sorted(self.drafts))}" if self.drafts else "")
                + "; one attack (or a pair of opposed attacks) at a time, only attacks that can happen (a state's "
                  "territory is attacked where it holds or claims it)"
                + ("" if self.within else "; both-sides conflicts between two instruments (add --within for those inside one)"))


@record
class _Options:
    """What one clause does for one attack (attacker, victim): see _Conflicts._war_options."""

    valid: tuple | None  # (formula, witness)
    maybe: list[tuple]

    def all(self) -> list[tuple]:
        return ([self.valid] if self.valid is not None else []) + self.maybe


def _fields(w: Witness) -> dict:
    from dataclasses import fields

    return {f.name: getattr(w, f.name) for f in fields(w)}


def conflicts(corpus: Corpus, party: str, date: dt.date, drafts: frozenset[str] = frozenset(),
              limits: Limits = Limits(), within: bool = False, method: str = "grounded",
              witnesses: int = 1, terms: str = "auto") -> ConflictsResult:
    """Every conflict among `party`'s commitments on `date`, each with a witness, or proof there is none.
    `method`: "grounded" (the default) or "symbolic" (one quantified query per pair: the tests' oracle).
    `witnesses`: up to that many witness scenarios per conflict valid under every reading (other victims, other
    wars), the most telling first. `terms` (the grounded search; for the tests): "auto" tries Python terms, then
    Z3; "python" raises NeedSolver rather than fall back; "z3" builds on Z3 from the start."""
    if terms not in ("auto", "python", "z3"):
        raise ValueError(f"unknown terms {terms!r}")

    def run(t: str) -> ConflictsResult:
        s = _Conflicts(corpus, party, date, drafts, limits, within, method=method, witnesses=witnesses, terms=t)
        found = s.static() + s.opposed() + s.both_sides()
        unknown = s.unknown + (s._grounder.unknown if s._grounder is not None else [])
        return ConflictsResult(party=party, date=date, conflicts=found, scope=s.scope(), unknown=unknown)

    if method == "grounded" and terms != "z3":
        try:
            return run("python")
        except NeedSolver:
            if terms == "python":
                raise
            # only Z3 can answer as the Z3 search would: the search again, on Z3
    return run("z3")
