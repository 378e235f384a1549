"""Synthetic corpora for the scale benchmark, generated with a fixed seed.

A world of 200 states (codes AAA, AAB, ...), one home place per state, a few
dozen disputed islands, twelve flat regions, one open term of states
(`hostile`), and N instruments in a realistic mix:

- bilateral defence treaties (about 55%): `upon armed-attack if victim is party
  and place is territory-of victim each party other than victim must assist victim`
  (some `meet-common-danger` with a constitutional qualifier, settled by the
  world's `fact not release(*, *)`, some `use-armed-force`);
- multilateral alliances (about 30%): 3-15 parties joining in waves, some
  withdrawals (`until`), a defence clause that also covers forces in a region,
  and a consultation clause upon threat;
- regional pacts (about 8%): `if victim is party and place in REGION`, where
  disputed islands are only `possibly-in` a region (an open term);
- adversary-restricted pacts (about 7%): `against attacker is hostile`, where
  `hostile` is settled by facts for some states and open for the rest.

About 10% of instruments are terminated, about 8% carry a suspension of one
party toward another. Every instrument has only `must` clauses whose
conditions are monotone in the open terms, which is what the clingo peer
encodes (benchmarks/peer_clingo.py): the generator and the peer describe the
same fragment of the language.

Alongside the text, `generate` returns a plain description (`World`) that the
clingo peer turns into facts; it is the same data, not read back from the engine.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import string
from dataclasses import dataclass, field
from pathlib import Path

N_STATES = 200
N_REGIONS = 12
N_DISPUTED = 40


@dataclass
class Clause:
    id: str  # the engine's clause id: "<instrument>:<article>:<index>"
    kind: str  # "terr" | "terr_or_region" | "region" | "hostile_terr"
    action: str
    region: str | None = None


@dataclass
class Inst:
    name: str
    start: dt.date
    end: dt.date | None
    members: list[tuple[str, dt.date, dt.date | None]]
    suspensions: list[tuple[str, str | None, dt.date]]  # (state, toward, from)
    clauses: list[Clause]
    consult: bool


@dataclass
class World:
    states: list[str]
    regions: list[str]
    homes: dict[str, str]  # place -> state
    home_region: dict[str, str]  # place -> region
    disputed: dict[str, list[str]]  # place -> claimants
    disputed_in: dict[str, str]  # place -> region (definite)
    disputed_possibly: dict[str, str]  # place -> region (open term)
    hostile: dict[str, bool]  # fact hostile(S) / not hostile(S)
    insts: list[Inst] = field(default_factory=list)


def state_codes(n: int = N_STATES) -> list[str]:
    letters = string.ascii_uppercase
    return ["".join(t) for t in itertools.islice(itertools.product(letters, repeat=3), n)]


def _date(rng: random.Random, lo: int, hi: int) -> dt.date:
    start = dt.date(lo, 1, 1).toordinal()
    return dt.date.fromordinal(rng.randrange(start, dt.date(hi, 12, 31).toordinal()))


def _world(rng: random.Random) -> World:
    states = state_codes()
    regions = [f"reg-{i:02d}" for i in range(N_REGIONS)]
    homes = {f"home-{s.lower()}": s for s in states}
    home_region = {p: rng.choice(regions) for p in homes}
    disputed, d_in, d_pos = {}, {}, {}
    for k in range(N_DISPUTED):
        p = f"isle-{k:03d}"
        disputed[p] = rng.sample(states, rng.choice([2, 2, 3]))
        d_in[p] = rng.choice(regions)
        d_pos[p] = rng.choice([r for r in regions if r != d_in[p]])
    hostile = {s: rng.random() < 0.5 for s in rng.sample(states, 80)}
    return World(states, regions, homes, home_region, disputed, d_in, d_pos, hostile)


def generate(n_instruments: int, seed: int = 7) -> tuple[World, dict[str, str]]:
    """The world and the clause files (file name -> text) of a corpus of `n_instruments` instruments."""
    rng = random.Random(seed * 1_000_003 + n_instruments)
    w = _world(rng)
    # Some states are in many instruments (great powers), most in a few: a Zipf-like weight.
    weights = [1.0 / (1 + i) ** 0.8 for i in range(len(w.states))]
    order = w.states[:]
    rng.shuffle(order)

    def pick(k: int) -> list[str]:
        out: set[str] = set()
        while len(out) < k:
            out.add(rng.choices(order, weights)[0])
        return sorted(out)

    for i in range(n_instruments):
        name = f"t{i:05d}"
        r = rng.random()
        kind = "bilateral" if r < 0.55 else "multilateral" if r < 0.85 else "regional" if r < 0.93 else "restricted"
        start = _date(rng, 1950, 2020)
        end = _date(rng, start.year + 1, 2030) if rng.random() < 0.10 else None
        if end is not None and end <= start:
            end = None
        k = 2 if kind == "bilateral" else rng.randint(3, 15)
        parties = pick(k)
        members = []
        for j, s in enumerate(parties):
            joined = start if (kind == "bilateral" or j < 3 or rng.random() < 0.5) else _date(rng, start.year, 2024)
            if joined < start:
                joined = start
            left = None
            if kind == "multilateral" and rng.random() < 0.08:
                left = _date(rng, joined.year + 1, 2030)
                if left <= joined:
                    left = None
            members.append((s, joined, left))
        susp = []
        if rng.random() < 0.08:
            a, b = rng.sample(parties, 2)
            first = max(m[1] for m in members if m[0] in (a, b))
            susp.append((a, b if rng.random() < 0.7 else None, _date(rng, first.year + 1, 2025)))
            if susp[-1][2] <= first:
                susp.pop()
        action = rng.choice(["assist", "assist", "meet-common-danger", "use-armed-force"])
        reg = rng.choice(w.regions)
        ck = {"bilateral": "terr", "multilateral": "terr_or_region", "regional": "region", "restricted": "hostile_terr"}[kind]
        clauses = [Clause(id=f"{name}:5:1", kind=ck, action=action, region=reg if ck in ("terr_or_region", "region") else None)]
        w.insts.append(Inst(name, start, end, members, susp, clauses, consult=kind in ("multilateral", "regional")))
    return w, render(w)


COND = {
    "terr": "victim is party and place is territory-of victim",
    "terr_or_region": "victim is party and (place is territory-of victim or target in {armed-forces, public-vessels} and place in %s)",
    "region": "victim is party and place in %s",
    "hostile_terr": "victim is party and place is territory-of victim",
}


def render(w: World) -> dict[str, str]:
    out = []
    for s in w.states:
        out.append(f'state {s} "State {s}"')
    out.append("")
    for r in w.regions:
        out.append(f'region {r} "Region {r}"')
    out.append("")
    for p, s in w.homes.items():
        out.append(f'place {p} "Home of {s}"\n  metropolitan\n  territory-of {s}\n  administered-by {s}\n  in {w.home_region[p]}\nend')
    for p, cl in w.disputed.items():
        out.append(f'place {p} "Disputed island {p}"\n  island\n  administered-by {cl[0]}\n  claimed-by {" ".join(cl)}\n'
                   f'  in {w.disputed_in[p]}\n  possibly-in {w.disputed_possibly[p]} "whether the region reaches it"\nend')
    out.append('\nterm hostile "whether the attacker is a hostile power in the sense of the pact"\n  of state\n'
               '  reading "hostile" "it is"\n  reading "not hostile" "it is not"')
    for s, v in sorted(w.hostile.items()):
        out.append(f"fact {'' if v else 'not '}hostile({s})")
    out.append('fact not release(*, *) "constitutional processes do not release a party (VCLT Art. 27)"')
    world = "\n".join(out) + "\n"

    files = {"world.treaty": world}
    chunk: list[str] = []
    for n, inst in enumerate(w.insts):
        chunk.append(_instrument(inst))
        if len(chunk) == 100 or n == len(w.insts) - 1:
            files[f"instruments-{n // 100:03d}.treaty"] = "\n".join(chunk)
            chunk = []
    return files


def _instrument(inst: Inst) -> str:
    lines = [f'treaty {inst.name} "Synthetic instrument {inst.name}"', "  binding legal", "  category alliance",
             f"  signed {inst.start}", f"  in-force {inst.start}"]
    if inst.end:
        lines.append(f'  terminated {inst.end} "denounced"')
    for s, a, b in inst.members:
        lines.append(f"  parties {s} from {a}" + (f" until {b}" if b else ""))
    for s, t, a in inst.suspensions:
        lines.append(f"  suspended {s}" + (f" toward {t}" if t else "") + f' from {a} "suspension"')
    lines.append('  article 4 "The Parties will consult together whenever any of them is threatened."')
    if inst.consult:
        lines.append("    clause\n      upon threat\n      if victim is party\n      each party must consult")
    lines.append("  end")
    lines.append('  article 5 "An armed attack against one of them shall be considered an attack against them all."')
    for cl in inst.clauses:
        cond = COND[cl.kind] % cl.region if "%s" in COND[cl.kind] else COND[cl.kind]
        lines.append(f"    clause\n      upon armed-attack\n      if {cond}\n      each party other than victim must {cl.action} victim")
        if cl.action == "meet-common-danger":
            lines.append('      constitutional "in accordance with its constitutional processes"')
        if cl.kind == "hostile_terr":
            lines.append('      against attacker is hostile "only against hostile powers"')
    lines.append("  end\nend\n")
    return "\n".join(lines)


def write(n_instruments: int, folder: Path, seed: int = 7) -> World:
    folder.mkdir(parents=True, exist_ok=True)
    w, files = generate(n_instruments, seed)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return w


def memberships(w: World, d: dt.date) -> dict[str, int]:
    """How many instruments in force on `d` each state is party to."""
    count = {s: 0 for s in w.states}
    for inst in w.insts:
        if inst.start <= d and (inst.end is None or d < inst.end):
            for s, a, b in inst.members:
                if a <= d and (b is None or d < b):
                    count[s] += 1
    return count


def busiest(w: World, d: dt.date) -> list[str]:
    """States by the number of instruments in force that they are party to on `d`, most first."""
    count = memberships(w, d)
    return sorted(w.states, key=lambda s: (-count[s], s))


@dataclass(frozen=True)
class Question:
    """Who the scale benchmark asks about on `d`: an attack on the busiest state, at home, by the least busy;
    `conflicts` of a state with about four memberships at every size, so that its growth shows the cost of
    the corpus around a fixed set of commitments."""

    victim: str
    attacker: str
    place: str
    party: str
    victim_memberships: int
    party_memberships: int


def question(w: World, d: dt.date) -> Question:
    ranked = busiest(w, d)
    counts = memberships(w, d)
    victim = ranked[0]
    party = min(ranked, key=lambda s: (abs(counts[s] - 4), s))
    return Question(victim=victim, attacker=next(s for s in reversed(ranked) if s != victim),
                    place=next(p for p, s in w.homes.items() if s == victim), party=party,
                    victim_memberships=counts[victim], party_memberships=counts[party])
