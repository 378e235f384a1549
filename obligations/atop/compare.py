"""`obligations compare-atop`: the engine's dyad-years for the instruments of a corpus that carry an ATOP id,
set against ATOP's for that alliance, with every disagreement listed, explained and judged.

ATOP's directed table ORs across alliances, so its values for one alliance come from the member file by ATOP's
own rule (rule.py), with the partner corrections its table shows. Whether the engine or ATOP follows the
treaty's text is a reviewer's judgement, kept in comparison-notes.csv (first matching line wins).
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from importlib import resources

from obligations.atop import rule
from obligations.atop.data import OBLIGATIONS, Member
from obligations.atop.export import ROW, Exporter, to_ccodes
from obligations.model.core import Corpus
from obligations.record import field, record

# Causes of a disagreement, found by looking at both sides' memberships and clauses.
KINDS = {
    "code": "the corpus gives the state one COW code throughout; ATOP uses another for these years",
    "no-cow": "the corpus declares no state with the COW code ATOP uses",
    "not-member": "ATOP pairs only the alliance's members; the corpus binds toward a state that is not one (designated or named)",
    "entry-engine": "the corpus has the state a party before ATOP lists it",
    "entry-atop": "ATOP dates the membership from signature; the corpus from entry into force or accession",
    "exit-engine": "ATOP ends the membership before the corpus does",
    "exit-atop": "the corpus ends the membership (or the treaty) before ATOP does",
    "no-clause": "the corpus encodes no clause of this kind for the instrument",
    "atop-zero": "the corpus binds A; ATOP codes A's member row with 0",
    "not-applied": "the corpus has a clause of this kind, but it does not bind A toward B (suspension, coverage, exception)",
    "last-phase": "ATOP takes the later phase when an alliance's phase changes within a year; the engine counts any day of it",
}
VERDICTS = ("engine", "ATOP", "unclear", "codes")


@record
class Run:
    """One directed dyad, one obligation, consecutive years, one cause."""

    a: str
    b: str
    ccode1: int
    ccode2: int
    obligation: str  # one of OBLIGATIONS, or "row" (the dyad-year is on one side only, every obligation 0)
    years: list[int]
    engine: int
    atop_value: int
    kind: str
    reason: str
    verdict: str = "not reviewed"
    note: str = ""

    def span(self) -> str:
        return str(self.years[0]) if len(self.years) == 1 else f"{self.years[0]}–{self.years[-1]}"


@record
class AllianceReport:
    atop: int
    instruments: list[str]
    cells: dict[str, list[int]] = field(default_factory=dict)  # obligation -> [agree, total, both 1, either 1]
    both: int = 0
    engine_only: int = 0
    atop_only: int = 0
    runs: list[Run] = field(default_factory=list)


@record
class Comparison:
    first: int
    last: int
    alliances: list[AllianceReport]
    missing_codes: set[str]
    stats: dict


@record(frozen=True)
class Note:
    kind: str
    atop: str
    obligation: str
    a: str
    b: str
    years: str
    verdict: str
    note: str

    def matches(self, r: Run, aid: int) -> bool:
        if self.kind and self.kind != r.kind:
            return False
        if self.atop and int(self.atop) != aid:
            return False
        if self.obligation and self.obligation != r.obligation:
            return False
        if self.a or self.b:
            pair = {self.a or r.a, self.b or r.b} if self.a and self.b else None
            if pair is not None and pair != {r.a, r.b}:
                return False
            if pair is None and (self.a or self.b) not in (r.a, r.b):
                return False
        if self.years:
            lo, _, hi = self.years.partition("-")
            if r.years[-1] < int(lo) or r.years[0] > int(hi or lo):
                return False
        return True


def read_notes() -> list[Note]:
    text = resources.files("obligations.atop").joinpath("comparison-notes.csv").read_text(encoding="utf-8")
    rows = [r for r in csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))]
    notes = [Note(*(r[k].strip() for k in ("kind", "atop", "obligation", "a", "b", "years", "verdict", "note"))) for r in rows]
    bad = [n for n in notes if n.verdict not in VERDICTS or (n.kind and n.kind not in KINDS)]
    if bad:
        raise ValueError(f"comparison-notes.csv: bad line {bad[0]}")
    return notes


def compare(corpus: Corpus, drafts: frozenset[str], members: list[Member], ddyr, first: int, last: int,
            limits=None) -> Comparison:
    ids: dict[int, list[str]] = defaultdict(list)
    for inst in corpus.instruments.values():
        if inst.draft and inst.name not in drafts:
            continue
        for a in inst.atop:
            ids[a].append(inst.name)
    names = {n for ns in ids.values() for n in ns}
    ex = Exporter(corpus, drafts, instruments=names, limits=limits)
    res = ex.run(first, last)
    per = rule.attributed(rule.per_alliance(members), ddyr, members)
    notes = read_notes()
    code_of = {}
    for s in corpus.states.values():
        for cc in s.all_cow_codes():
            code_of.setdefault(cc, s.code)
    cow = _cow_names()
    spells = _atop_spells(members)
    phase_years = _phase_change_years(members)
    out, missing = [], set()
    for aid in sorted(ids):
        insts = sorted(ids[aid])
        eng, miss = to_ccodes(corpus, res.combined(set(insts)))
        missing |= miss
        atop = {k: v for k, v in per.get(aid, {}).items() if first <= k[2] <= last}
        rep = AllianceReport(aid, insts, {o: [0, 0, 0, 0] for o in OBLIGATIONS})
        ctx = _Context(corpus, insts, aid, spells.get(aid, {}), phase_years.get(aid, set()), code_of, cow)
        cells = []
        for k in sorted(set(eng) | set(atop)):
            e = eng.get(k)
            t = atop.get(k)
            if e is not None and t is not None:
                rep.both += 1
            elif e is not None:
                rep.engine_only += 1
            else:
                rep.atop_only += 1
            ev = tuple((e or 0) >> i & 1 for i in range(5))
            tv = t or (0, 0, 0, 0, 0)
            for i, o in enumerate(OBLIGATIONS):
                c = rep.cells[o]
                c[1] += 1
                c[0] += ev[i] == tv[i]
                c[2] += ev[i] and tv[i]
                c[3] += ev[i] or tv[i]
                if ev[i] != tv[i]:
                    cells.append((k, o, ev[i], tv[i]))
            if not any(ev) and not any(tv) and (e is None) != (t is None):
                cells.append((k, "row", int(e is not None), int(t is not None)))
        rep.runs = _runs(cells, ctx, notes, aid)
        out.append(rep)
    return Comparison(first, last, out, missing, {"segments": res.segments, "evaluations": res.evaluations,
                                                   "solver_calls": res.solver_calls, "unknown": len(res.unknown)})


def _cow_names() -> dict[int, str]:
    from obligations.atop.data import cow_codes

    return {k: v.code for k, v in cow_codes().items()}


def _atop_spells(members: list[Member]) -> dict[int, dict[int, list[tuple[dt.date, dt.date]]]]:
    out: dict[int, dict[int, list]] = defaultdict(lambda: defaultdict(list))
    for m in members:
        out[m.atopid][m.member].append((m.start, m.stop))
    return out


def _phase_change_years(members: list[Member]) -> dict[int, set[int]]:
    out: dict[int, set[int]] = defaultdict(set)
    by: dict[int, dict[int, list[Member]]] = defaultdict(lambda: defaultdict(list))
    for m in members:
        by[m.atopid][m.phase].append(m)
    for aid, phases in by.items():
        if len(phases) < 2:
            continue
        for ph, rows in phases.items():
            out[aid].add(min(r.start for r in rows).year)
    return out


class _Context:
    def __init__(self, corpus: Corpus, insts: list[str], aid: int, spells, phase_years: set[int], code_of, cow):
        self.c, self.insts, self.aid, self.spells, self.phase_years = corpus, insts, aid, spells, phase_years
        self.code_of, self.cow = code_of, cow
        self.kinds_encoded = set()
        from obligations.atop.export import kind_of

        for cl in corpus.clauses:
            if cl.instrument in insts and kind_of(cl) is not None:
                self.kinds_encoded.add(OBLIGATIONS[kind_of(cl)])
        self.ours: dict[int, list[tuple[dt.date, dt.date]]] = defaultdict(list)  # ccode -> corpus party spells
        for n in insts:
            inst = corpus.instruments[n]
            f = inst.force
            for m in inst.memberships:
                s = corpus.states.get(m.state)
                if s is None:
                    continue
                for cc, cs, ce in _spans(s):
                    lo = max(x for x in (m.interval.start, f.start, cs, dt.date.min) if x is not None)
                    hi = min(x for x in (m.interval.end, f.end, ce, dt.date.max) if x is not None)
                    if lo < hi:
                        self.ours[cc].append((lo, hi))

    def name(self, cc: int, year: int | None = None) -> str:
        """The corpus's state that held COW code `cc` in `year` (on 1 July): one COW state is several of the
        corpus's over time (365: SUN, then RUS; 710: XCN, then CHN)."""
        if year is not None:
            if not hasattr(self, "_by_cc"):
                self._by_cc: dict[int, list] = defaultdict(list)
                for s in self.c.states.values():
                    ex = s.exists  # a code held without dates is held while the state exists
                    for code, lo, hi in _spans(s):
                        lo = max((x for x in (lo, ex.start) if x is not None), default=None)
                        hi = min((x for x in (hi, ex.end) if x is not None), default=None)
                        self._by_cc[code].append((lo, hi, s.code))
            mid = dt.date(year, 7, 1)
            for lo, hi, code in self._by_cc.get(cc, ()):
                if (lo is None or lo <= mid) and (hi is None or mid < hi):
                    return code
        return self.code_of.get(cc) or self.cow.get(cc) or str(cc)

    def atop_member(self, cc: int, y: int) -> bool:
        return any(s.year <= y <= e.year for s, e in self.spells.get(cc, ()))

    def our_member(self, cc: int, y: int) -> bool:
        return any(s.year <= y <= e.year for s, e in self.ours.get(cc, ()))

    def cause(self, k, o: str, e: int, t: int) -> str:
        a, b, y = k
        if a not in self.code_of or b not in self.code_of:
            return "no-cow"
        if e and not t:
            for x in (a, b):
                if not self.atop_member(x, y):
                    if x in self.spells and self.atop_member_code_missing(y):
                        return "code"
                    if x not in self.spells:
                        return "not-member"
                    first = min(s for s, _ in self.spells[x])
                    return "entry-engine" if y < first.year else "exit-engine"
            if y in self.phase_years:
                return "last-phase"
            return "atop-zero" if o != "row" else "exit-engine"
        # ATOP 1 (or ATOP's row), engine 0
        for x in (a, b):
            if not self.our_member(x, y):
                spells = self.ours.get(x)
                if not spells:
                    return "not-member"
                first = min(s for s, _ in spells)
                return "entry-atop" if y < first.year else "exit-atop"
        if o != "row" and o not in self.kinds_encoded:
            return "no-clause"
        return "not-applied"

    def atop_member_code_missing(self, y: int) -> bool:
        """In year y ATOP lists a member whose COW code the corpus does not declare (so it names that state with
        another code)."""
        return any(cc not in self.code_of and self.atop_member(cc, y) for cc in self.spells)


def _spans(s) -> list[tuple[int, dt.date | None, dt.date | None]]:
    return [(c.code, c.interval.start, c.interval.end) for c in s.ccodes]


def _runs(cells, ctx: _Context, notes: list[Note], aid: int) -> list[Run]:
    groups: dict[tuple, list[int]] = defaultdict(list)
    for (a, b, y), o, e, t in cells:
        kind = ctx.cause((a, b, y), o, e, t)
        # A run ends where the state that holds a COW code changes (the Soviet Union, then Russia).
        groups[(a, b, o, e, t, kind, ctx.name(a, y), ctx.name(b, y))].append(y)
    out = []
    for (a, b, o, e, t, kind, name_a, name_b), ys in sorted(groups.items()):
        ys.sort()
        start = 0
        for i in range(1, len(ys) + 1):
            if i == len(ys) or ys[i] != ys[i - 1] + 1:
                r = Run(name_a, name_b, a, b, o, ys[start:i], e, t, kind, KINDS[kind])
                for n in notes:
                    if n.matches(r, aid):
                        r.verdict, r.note = n.verdict, n.note
                        break
                out.append(r)
                start = i
    return out


# ---- the report ---------------------------------------------------------------------------------------------


def pct(a: int, b: int) -> str:
    return f"{100 * a / b:.1f}%" if b else "–"


def markdown(cmp: Comparison, title: str, corpus_label: str) -> str:
    L = [f"# {title}", "",
         f"Corpus: {corpus_label}; years {cmp.first}–{cmp.last}. Generated by `obligations compare-atop`; do not edit "
         "by hand: reviewers' verdicts live in `obligations/atop/comparison-notes.csv`.", "",
         "For every alliance the corpus encodes (an instrument with `atop ID`), the engine derives the directed "
         "dyad-years of its instruments, as `obligations export dyad-years` does, and they are compared with ATOP's "
         "values *for that alliance*: ATOP's rule on its member file (CODEBOOK-NOTES §0, which reproduces ATOP's "
         "directed table exactly outside the `obvary` alliances) with the partner corrections its table shows. A "
         "cell agrees when both sides give the same 0/1; a dyad-year missing on one side counts as all 0.", ""]
    tot = {o: [0, 0, 0, 0] for o in OBLIGATIONS}
    for r in cmp.alliances:
        for o in OBLIGATIONS:
            tot[o] = [x + y for x, y in zip(tot[o], r.cells[o])]
    runs = [(r.atop, x) for r in cmp.alliances for x in r.runs]
    d = tot["defense"]
    L += ["## Findings", ""]
    L.append(f"Defence obligations agree in {pct(d[0], d[1])} of {d[1]} dyad-years"
             + (" — below 95%: a finding to explain, not a number to tune." if d[1] and d[0] / d[1] < 0.95 else "."))
    by_kind: dict[str, int] = defaultdict(int)
    by_verdict: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for _, x in runs:
        by_verdict[x.obligation][x.verdict] += len(x.years)
        if x.obligation == "defense":
            by_kind[x.kind] += len(x.years)
    if by_kind:
        dv = by_verdict["defense"]
        L += ["", "The disagreeing defence cells, by which side follows the treaty's text (a reviewer's verdict): "
              + ", ".join(f"{v} {dv.get(v, 0)}" for v in (*VERDICTS, "not reviewed")) + "."]
        L += ["", "Disagreeing defence cells by cause:", ""]
        for k, n in sorted(by_kind.items(), key=lambda kv: -kv[1]):
            L.append(f"- {n} cells: {KINDS[k]}.")
    L += ["", "## Agreement", "", "| obligation | cells that agree | where either side codes 1, both do |", "|---|---|---|"]
    for o in OBLIGATIONS:
        a, n, b, e = tot[o]
        L.append(f"| {o} | {pct(a, n)} ({a}/{n}) | {pct(b, e)} ({b}/{e}) |")
    L += ["", "| ATOP id | instruments | dyad-years | both / engine only / ATOP only | " + " | ".join(OBLIGATIONS) + " |",
          "|---|---|---|---|" + "---|" * 5]
    for r in cmp.alliances:
        n = r.both + r.engine_only + r.atop_only
        L.append(f"| {r.atop} | {', '.join(r.instruments)} | {n} | {r.both} / {r.engine_only} / {r.atop_only} | "
                 + " | ".join(pct(r.cells[o][0], r.cells[o][1]) for o in OBLIGATIONS) + " |")
    L += ["", "Disagreeing cells by the reviewers' verdict (which side follows the text):", "",
          "| obligation | " + " | ".join(VERDICTS) + " | not reviewed |", "|---|" + "---|" * (len(VERDICTS) + 1)]
    for o in (*OBLIGATIONS, "row"):
        if o in by_verdict:
            L.append(f"| {o} | " + " | ".join(str(by_verdict[o].get(v, 0)) for v in (*VERDICTS, "not reviewed")) + " |")
    n_cells = sum(len(x.years) for _, x in runs)
    L += ["", f"## Every disagreement ({n_cells} cells in {len(runs)} runs)", "",
          "Grouped by alliance and cause. `engine/ATOP` gives the two values; `row` means the dyad-year is on one side "
          "only with every obligation 0. *Follows the text*: `engine` (the corpus reads the treaty's words), `ATOP`, "
          "`unclear`, or `codes` (no reading is at stake: a code or a convention)."]
    for r in cmp.alliances:
        if not r.runs:
            continue
        L += ["", f"### ATOP {r.atop} ({', '.join(r.instruments)})"]
        grouped: dict[tuple, list[Run]] = defaultdict(list)
        for x in r.runs:
            grouped[(x.kind, x.engine, x.atop_value, x.verdict, x.note)].append(x)
        for (kind, e, t, verdict, note), xs in sorted(grouped.items(), key=lambda kv: (kv[0][0], -len(kv[1]))):
            cells = sum(len(x.years) for x in xs)
            L.append("")
            L.append(f"- **{KINDS[kind]}** — engine/ATOP {e}/{t}, {cells} cell(s); follows the text: **{verdict}**"
                     + (f" — {note}" if note else ""))
            L.append("  " + _dyads(xs))
    return "\n".join(L) + "\n"


def _dyads(xs: list[Run]) -> str:
    by: dict[tuple[str, str, str], list[str]] = defaultdict(list)
    for x in xs:
        by[(x.a, x.b, x.span())].append(x.obligation)
    items = [f"{a} → {b} {span} ({', '.join(sorted(os))})" for (a, b, span), os in sorted(by.items())]
    if len(items) > 40:
        return "; ".join(items[:40]) + f"; and {len(items) - 40} more (`--json` lists them all)"
    return "; ".join(items)


def to_json(cmp: Comparison) -> dict:
    return {"first": cmp.first, "last": cmp.last, "stats": cmp.stats, "missing_codes": sorted(cmp.missing_codes),
            "alliances": [{"atop": r.atop, "instruments": r.instruments, "cells": r.cells, "both": r.both,
                           "engine_only": r.engine_only, "atop_only": r.atop_only,
                           "runs": [{"a": x.a, "b": x.b, "ccode1": x.ccode1, "ccode2": x.ccode2, "obligation": x.obligation,
                                     "years": x.years, "engine": x.engine, "atop": x.atop_value, "cause": x.kind,
                                     "reason": x.reason, "verdict": x.verdict, "note": x.note} for x in r.runs]}
                          for r in cmp.alliances]}
