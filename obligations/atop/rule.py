"""ATOP's own rule for its directed dyad-year table, from the member file (CODEBOOK-NOTES §0 and §2.1).

This is the oracle the round trip is checked against, and what `compare-atop` takes as ATOP's values for one
alliance (ATOP's table ORs across alliances, so an alliance's own values can only come from this rule).
Outside the 17 `obvary` alliances it reproduces atop5_1ddyr exactly; `attributed` adds the partner
corrections that only the table shows.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable

import csv
from importlib import resources

from obligations.atop.data import OBLIGATIONS, Member
from obligations.record import record

Key = tuple[int, int, int]  # (ccode1, ccode2, year)


def per_alliance(members: Iterable[Member]) -> dict[int, dict[Key, tuple[int, ...]]]:
    """atopid -> (A, B, year) -> A's obligations toward B in that year under that alliance."""
    by_phase: dict[tuple[int, int], list[Member]] = defaultdict(list)
    for m in members:
        if m.member < 1000:  # 8152 (Annam) has no COW code; ATOP drops it
            by_phase[(m.atopid, m.phase)].append(m)
    best: dict[int, dict[Key, tuple[dt.date, tuple[int, ...]]]] = defaultdict(dict)
    for (aid, _), rows in by_phase.items():
        seg = best[aid]
        for a in rows:
            for b in rows:
                if a.member == b.member:
                    continue
                lo, hi = max(a.start, b.start), min(a.stop, b.stop)
                if lo >= hi:  # strict: a spell ending the day another starts is no overlap
                    continue
                for y in range(lo.year, hi.year + 1):
                    k = (a.member, b.member, y)
                    start = max(lo, dt.date(y, 1, 1))
                    old = seg.get(k)
                    # A year in which the phase changes takes the later phase (CODEBOOK-NOTES §2.1, inferred).
                    if old is None or start > old[0]:
                        seg[k] = (start, a.obligations)
                    elif start == old[0]:
                        seg[k] = (start, tuple(x | z for x, z in zip(old[1], a.obligations)))
    return {aid: {k: v for k, (_, v) in seg.items()} for aid, seg in best.items()}


def obvary_alliances(members: Iterable[Member]) -> set[int]:
    return {m.atopid for m in members if m.obvary}


def removals(members: list[Member], ddyr: dict[Key, tuple[int, ...]]) -> list[tuple[int, int, int, str, int, int]]:
    """What ATOP's table removes from the member-file rule in the obvary alliances:
    (atopid, member, partner, obligation, first year seen, last year seen). A cell is removed when the rule gives
    1 for the alliance and the table 0 (the table ORs across alliances, so a 0 there is a 0 in every alliance)."""
    per = per_alliance(members)
    seen: dict[tuple[int, int, int, str], list[int]] = {}
    for aid in sorted(obvary_alliances(members)):
        for (a, b, y), v in per.get(aid, {}).items():
            got = ddyr.get((a, b, y))
            if got is None:
                continue
            for i, o in enumerate(OBLIGATIONS):
                if v[i] and not got[i]:
                    seen.setdefault((aid, a, b, o), []).append(y)
    return sorted((aid, a, b, o, min(ys), max(ys)) for (aid, a, b, o), ys in seen.items())


def apply_removals(per: dict[int, dict[Key, tuple[int, ...]]], removed: Iterable[tuple[int, int, int, str]]) -> dict[int, dict[Key, tuple[int, ...]]]:
    """A removal seen in any year of a pair's spell applies to the whole spell: the obligation is the member's
    toward that partner under the agreement, not a property of one year."""
    drop: dict[tuple[int, int, int], set[int]] = defaultdict(set)
    for aid, a, b, o in removed:
        drop[(aid, a, b)].add(OBLIGATIONS.index(o))
    out = {}
    for aid, seg in per.items():
        new = {}
        for (a, b, y), v in seg.items():
            d = drop.get((aid, a, b))
            new[(a, b, y)] = tuple(0 if i in d else x for i, x in enumerate(v)) if d else v
        out[aid] = new
    return out


def attributed(per: dict[int, dict[Key, tuple[int, ...]]], ddyr: dict[Key, tuple[int, ...]],
               members: list[Member] | None = None) -> dict[int, dict[Key, tuple[int, ...]]]:
    """ATOP's values alliance by alliance: the rule, with the obvary corrections the table shows."""
    if members is not None:
        removed = [r[:4] for r in removals(members, ddyr)]
    else:
        removed = [(r.atopid, r.member, r.partner, r.obligation) for r in read_obvary()]
    return apply_removals(per, removed)


def combined(per: dict[int, dict[Key, tuple[int, ...]]]) -> dict[Key, tuple[int, ...]]:
    """OR over alliances: ATOP's directed table."""
    out: dict[Key, tuple[int, ...]] = {}
    for seg in per.values():
        for k, v in seg.items():
            old = out.get(k)
            out[k] = v if old is None else tuple(x | z for x, z in zip(old, v))
    return out


@record(frozen=True)
class ObvaryRow:
    atopid: int
    member: int
    partner: int
    obligation: str
    first_year: int
    last_year: int


def read_obvary() -> list[ObvaryRow]:
    """The partner corrections packaged with the engine (obvary.csv), derived from ATOP's own table."""
    text = resources.files("obligations.atop").joinpath("obvary.csv").read_text(encoding="utf-8")
    return [ObvaryRow(int(r["atopid"]), int(r["member"]), int(r["partner"]), r["obligation"], int(r["first_year"]),
                      int(r["last_year"])) for r in csv.DictReader(text.splitlines())]
