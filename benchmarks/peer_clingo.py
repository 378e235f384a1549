"""The answer-set-programming peer: the synthetic corpora's queries encoded for clingo.

Facts come from the generator's own description of the corpus (`synth.World`),
not from the engine. Dates are integers YYYYMMDD. Two programs:

concrete  who is obliged to assist the victim of one attack (attacker, victim,
          target, place, date): open terms (`sovereign`, `in`, `hostile`) are
          choice rules; a state is `obliged` when it is in the cautious
          consequences (every reading) and `depends` when it is only in the
          brave ones (some reading) - the engine's three-valued verdict.
symbolic  both sides of one war for one party on one date (the engine's
          `conflicts` both-sides search): clause pairs C1, C2 of two different
          instruments such that, under one reading, some attack of Y on X makes
          C1 oblige the party to assist X and some attack of X on Y makes C2
          oblige it to assist Y (brave consequences of `conflict/2`).
"""

from __future__ import annotations

import datetime as dt
import time

from benchmarks.synth import World

try:
    import clingo
except ImportError:  # an optional extra: pip install .[bench]
    clingo = None

FOREVER = 99991231


def _d(x: dt.date | None) -> int:
    return FOREVER if x is None else x.year * 10000 + x.month * 100 + x.day


def _q(s: str) -> str:
    return '"' + s + '"'


def facts(w: World) -> str:
    out = []
    for s in w.states:
        out.append(f"state({_q(s)}).")
    for p, s in w.homes.items():
        out.append(f"territory({_q(p)},{_q(s)}). in({_q(p)},{_q(w.home_region[p])}).")
    for p, cl in w.disputed.items():
        out += [f"claimed({_q(p)},{_q(s)})." for s in cl]
        out.append(f"in({_q(p)},{_q(w.disputed_in[p])}). possibly({_q(p)},{_q(w.disputed_possibly[p])}).")
    for s, v in w.hostile.items():
        out.append(f"fact_hostile({_q(s)},{int(v)}).")
    for i in w.insts:
        out.append(f"inst({_q(i.name)},{_d(i.start)},{_d(i.end)}).")
        out += [f"member({_q(i.name)},{_q(s)},{_d(a)},{_d(b)})." for s, a, b in i.members]
        out += [f"susp({_q(i.name)},{_q(s)},{_q(t) if t else 'none'},{_d(a)},{FOREVER})." for s, t, a in i.suspensions]
        for c in i.clauses:
            out.append(f"clause({_q(c.id)},{_q(i.name)},{c.kind},{_q(c.region) if c.region else 'none'}).")
    return "\n".join(out) + "\n"


CONCRETE = """
active(I) :- inst(I,F,T), date(D), F <= D, D < T.
party(I,S) :- member(I,S,F,T), date(D), F <= D, D < T.
suspended(I,S) :- susp(I,S,X,F,T), victim(X), date(D), F <= D, D < T.
suspended(I,S) :- susp(I,S,none,F,T), date(D), F <= D, D < T.
% open terms of this scenario: one reading per answer set
{ sov(P,S) } :- place(P), claimed(P,S).
:- place(P), 2 #count { S : sov(P,S) }.
{ inr(P,R) } :- place(P), possibly(P,R).
hostile(S) :- attacker(S), fact_hostile(S,1).
{ hostile(S) } :- attacker(S), not fact_hostile(S,0), not fact_hostile(S,1).
terr(S) :- place(P), territory(P,S).
terr(S) :- place(P), sov(P,S).
placein(R) :- place(P), in(P,R).
placein(R) :- place(P), inr(P,R).
forces :- target(armed_forces).
forces :- target(public_vessels).
covers(C) :- clause(C,I,terr,_), victim(V), party(I,V), terr(V).
covers(C) :- clause(C,I,hostile_terr,_), victim(V), party(I,V), terr(V), attacker(A), hostile(A).
covers(C) :- clause(C,I,terr_or_region,_), victim(V), party(I,V), terr(V).
covers(C) :- clause(C,I,terr_or_region,R), victim(V), party(I,V), forces, placein(R).
covers(C) :- clause(C,I,region,R), victim(V), party(I,V), placein(R).
% nobody is obliged to help the victim of its own attack (the engine's implied `other than attacker`)
obliged(S) :- covers(C), clause(C,I,_,_), active(I), party(I,S), victim(V), S != V, attacker(A), S != A, not suspended(I,S).
#show obliged/1.
"""

SYMBOLIC = """
active(I) :- inst(I,F,T), date(D), F <= D, D < T.
party(I,S) :- member(I,S,F,T), date(D), F <= D, D < T.
% the party's clauses: an instrument in force that it is party to
mine(C,I) :- clause(C,I,_,_), active(I), me(P), party(I,P).
off(I,X) :- mine(_,I), me(P), susp(I,P,X,F,T), date(D), F <= D, D < T.
off(I,X) :- mine(_,I), me(P), susp(I,P,none,F,T), state(X), date(D), F <= D, D < T.
% one reading of the open terms, shared by both attacks
{ sov(P,S) } :- claimed(P,S).
:- claimed(P,_), 2 #count { S : sov(P,S) }.
{ inr(P,R) } :- possibly(P,R).
hostile(S) :- fact_hostile(S,1).
{ hostile(S) } :- state(S), not fact_hostile(S,0), not fact_hostile(S,1).
terr(P,S) :- territory(P,S).
terr(P,S) :- sov(P,S).
somewhere(S) :- terr(_,S).
reach(R) :- in(_,R).
reach(R) :- inr(_,R).
% can clause C oblige the party to assist X when Y attacks X (some target, some place)?
victim_ok(C,I,X) :- mine(C,I), party(I,X), me(P), X != P, not off(I,X).
covers(C,X,Y) :- victim_ok(C,I,X), clause(C,I,terr,_), somewhere(X), state(Y), Y != X, me(P), Y != P.
covers(C,X,Y) :- victim_ok(C,I,X), clause(C,I,terr_or_region,_), somewhere(X), state(Y), Y != X, me(P), Y != P.
covers(C,X,Y) :- victim_ok(C,I,X), clause(C,I,terr_or_region,R), reach(R), state(Y), Y != X, me(P), Y != P.
covers(C,X,Y) :- victim_ok(C,I,X), clause(C,I,region,R), reach(R), state(Y), Y != X, me(P), Y != P.
covers(C,X,Y) :- victim_ok(C,I,X), clause(C,I,hostile_terr,_), somewhere(X), hostile(Y), Y != X, me(P), Y != P.
conflict(C1,C2) :- covers(C1,X,Y), covers(C2,Y,X), mine(C1,I1), mine(C2,I2), I1 != I2, C1 < C2.
#show conflict/2.
"""


def available() -> bool:
    return clingo is not None


def _consequences(program: str, mode: str) -> tuple[set, float, float]:
    """Ground and solve once in `mode` (brave or cautious); the last model holds the consequences."""
    t0 = time.perf_counter()
    ctl = clingo.Control(["--models=0", f"--enum-mode={mode}", "--warn=none"])
    ctl.add("base", [], program)
    ctl.ground([("base", [])])
    t1 = time.perf_counter()
    last: list = []
    with ctl.solve(yield_=True) as h:
        for m in h:
            last = m.symbols(shown=True)
    t2 = time.perf_counter()
    return {tuple(str(a).strip('"') for a in s.arguments) for s in last}, t1 - t0, t2 - t1


def who(w: World, fact_text: str, attacker: str, victim: str, target: str, place: str, date: dt.date) -> dict:
    """The concrete query: {"obliged": set, "depends": set, "seconds": ...}."""
    t0 = time.perf_counter()
    scen = (f"date({_d(date)}). attacker({_q(attacker)}). victim({_q(victim)}). "
            f"target({target.replace('-', '_')}). place({_q(place)}).\n")
    prog = fact_text + scen + CONCRETE
    cautious, g1, s1 = _consequences(prog, "cautious")
    brave, g2, s2 = _consequences(prog, "brave")
    total = time.perf_counter() - t0
    obliged = {a[0] for a in cautious}
    return {"obliged": obliged, "depends": {a[0] for a in brave} - obliged, "seconds": total,
            "ground_seconds": g1 + g2, "solve_seconds": s1 + s2}


def conflicts(w: World, fact_text: str, party: str, date: dt.date) -> dict:
    """The symbolic query: {"pairs": set of sorted clause-id pairs, "seconds": ...}."""
    t0 = time.perf_counter()
    prog = fact_text + f"date({_d(date)}). me({_q(party)}).\n" + SYMBOLIC
    brave, g, s = _consequences(prog, "brave")
    return {"pairs": {tuple(sorted(a)) for a in brave}, "seconds": time.perf_counter() - t0,
            "ground_seconds": g, "solve_seconds": s}
