"""`obligations import atop`: ATOP 5.1's member file as clause files, one instrument per alliance phase.

The text is generated and then printed by the formatter, so what is written is canonical and `fmt --check`
passes by construction; `build` also returns the texts so the command can check them before writing.
See docs/ATOP.md for the mapping from ATOP's codes to clauses and why.
"""

from __future__ import annotations

import csv
import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from obligations.atop.data import FLAGS, OBLIGATIONS, CowState, DataError, Member, cow_codes
from obligations.atop.rule import ObvaryRow, read_obvary, removals  # noqa: F401 (re-exported)

DEFINITIONS = {
    "defense": "promises to provide active military support in the event of attack on the sovereignty or "
               "territorial integrity of one or more alliance partners",
    "offense": "promises of active military support under any conditions not precipitated by attack on the "
               "sovereignty or territorial integrity of an alliance partner",
    "neutral": "promises not to join a conflict between one or more alliance partners and a third party on the "
               "side of the ally's adversary",
    "nonagg": "promises not to use force against one or more alliance partners to settle disputes",
    "consul": "promises to consult with one or more alliance partners in the event of crises with the potential "
              "to become militarized conflicts",
}
ARTICLE = {"defense": "atop-defense", "offense": "atop-offense", "neutral": "atop-neutrality",
           "nonagg": "atop-nonaggression", "consul": "atop-consultation"}
# The question an open term asks, by flag: ATOP says an obligation is conditional, not on what.
QUESTION = {
    "adv": "Is the adversary the particular adversary, or of the type, that the agreement names?",
    "loc": "Is the conflict in the location that the agreement names?",
    "con": "Is the conflict the particular ongoing conflict that the agreement names?",
    "num": "Is the number of adversaries the one the agreement names?",
    "dem": "Have the ally or the adversary met the demands that the agreement details?",
    "npr": "Did the ally not provoke the adversary?",
    "req": "Has an ally requested consultation?",
    "olimob": "Is the condition that the agreement sets (one ATOP's other codes do not cover) met?",
}
CODEBOOK = {
    "adv": "conditional upon a particular adversary or type of adversary", "loc": "conditional upon conflict in a particular location",
    "con": "conditional upon a particular ongoing conflict", "num": "conditional upon the number of adversaries",
    "dem": "conditional upon the ally or the adversary meeting certain demands detailed in the agreement",
    "npr": "conditional upon the ally not provoking the adversary", "req": "upon an ally requesting consultation",
    "olimob": "contingent upon a condition not covered by the above codes",
}
HONEST = "This is ATOP's coding of the agreement, not the agreement's words."
DATES_NOTE = ("Dates are ATOP's: a member enters on the day it signs (never ratification), and its exit date is "
              "the first day it is no longer bound.")


def derive_obvary(members: list[Member], ddyr) -> list[tuple[int, int, int, str, int, int]]:
    """The partner corrections of ATOP's table, as packaged in obvary.csv (a test checks the two agree)."""
    return removals(members, ddyr)


@dataclass
class Import:
    files: dict[str, str] = field(default_factory=dict)  # file name -> text
    alliances: list[int] = field(default_factory=list)
    instruments: int = 0
    clauses: int = 0
    skipped: list[str] = field(default_factory=list)  # what could not be imported, and why


def q(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _suffix(flag: str) -> str:
    """defcoloc -> loc: the kind of condition, whatever the obligation."""
    return "olimob" if flag == "olimob" else flag[-3:]


def instrument_name(aid: int, phase: int) -> str:
    return f"atop-{aid}" if phase <= 1 else f"atop-{aid}-p{phase}"


class _Phase:
    def __init__(self, aid: int, phase: int, maxphase: int, rows: list[Member], codes: dict[int, CowState]):
        self.aid, self.phase, self.maxphase, self.rows = aid, phase, maxphase, rows
        self.name = instrument_name(aid, phase)
        self.code = {r.member: codes[r.member].code for r in rows}
        # One coding per member (a member that left and came back in one phase has one row per spell).
        self.coding: dict[int, tuple[tuple[int, ...], frozenset[str]]] = {}
        for r in rows:
            old = self.coding.get(r.member)
            if old is None:
                self.coding[r.member] = (r.obligations, r.flags)
            else:
                self.coding[r.member] = (tuple(a | b for a, b in zip(old[0], r.obligations)), old[1] | r.flags)


def build(members: list[Member], alliances: dict[int, dt.date] | None = None,
          cow: dict[int, list[tuple[dt.date, dt.date]]] | None = None, only: set[int] | None = None) -> Import:
    codes = cow_codes()
    known = {m.atopid for m in members}
    if only:
        missing = sorted(set(only) - known)
        if missing:
            raise DataError(f"no alliance {', '.join(map(str, missing))} in the member file")
    removed: dict[tuple[int, int], dict[str, set[int]]] = defaultdict(lambda: defaultdict(set))
    for r in read_obvary():
        removed[(r.atopid, r.member)][r.obligation].add(r.partner)
    imp = Import()
    by_alliance: dict[int, list[Member]] = defaultdict(list)
    for m in members:
        if only and m.atopid not in only:
            continue
        if m.member not in codes:
            imp.skipped.append(f"alliance {m.atopid}: member {m.member} has no COW code (ATOP drops it too)")
            continue
        by_alliance[m.atopid].append(m)
    used: set[int] = set()
    for aid in sorted(by_alliance):
        rows = by_alliance[aid]
        phases: dict[int, list[Member]] = defaultdict(list)
        for r in rows:
            phases[r.phase].append(r)
            used.add(r.member)
        out: list[str] = [f"# ATOP 5.1 alliance {aid}: generated by `obligations import atop` from the member file. "
                          "Do not edit; re-import."]
        for ph in sorted(phases):
            p = _Phase(aid, ph, rows[0].maxphase, phases[ph], codes)
            text, n = _instrument(p, removed, codes, (alliances or {}).get(aid))
            out.append(text)
            imp.instruments += 1
            imp.clauses += n
        imp.files[f"atop-{aid}.treaty"] = "\n".join(out)
        imp.alliances.append(aid)
    imp.files["states.treaty"] = _states(codes, cow, members)
    return imp


def _states(codes: dict[int, CowState], cow, members: list[Member]) -> str:
    last_use: dict[int, dt.date] = {}
    for m in members:
        last_use[m.member] = max(last_use.get(m.member, m.stop), m.stop)
    lines = ["# The states of the COW state system, with ATOP's member codes, for `obligations import atop`.",
             "# Codes: ISO 3166-1 alpha-3 where one exists; see obligations/atop/cowcodes.csv for the others."]
    for cc in sorted(codes):
        s = codes[cc]
        tail = ""
        if cow and cc in cow:
            end = max(e for _, e in cow[cc])
            # COW's last day before the end of its coverage ends the state, unless ATOP still lists it later.
            if end < dt.date(2016, 12, 31) and last_use.get(cc, dt.date.min) <= end:
                tail = f" until {end + dt.timedelta(days=1)}"
        lines.append(f"state {s.code} {q(s.name)} ccode {cc}{tail}")
    # Every state's territory as a place, so that an attack on it can be asked about without naming one.
    for cc in sorted(codes):
        s = codes[cc]
        until = ""
        if cow and cc in cow:
            end = max(e for _, e in cow[cc])
            if end < dt.date(2016, 12, 31) and last_use.get(cc, dt.date.min) <= end:
                until = f" until {end + dt.timedelta(days=1)}"
        lines += [f"place {s.code.lower()}-home {q('the territory of ' + s.name)}", "  metropolitan",
                  f"  territory-of {s.code}{until}", f"  administered-by {s.code}{until}", "end"]
    return "\n".join(lines) + "\n"


def _dates(rows: list[Member]) -> tuple[dt.date, dt.date | None]:
    start = min(r.start for r in rows)
    ends = [r.end for r in rows]
    return start, (max(ends) if all(ends) else None)


def _instrument(p: _Phase, removed, codes, signed: dt.date | None) -> tuple[str, int]:
    start, end = _dates(p.rows)
    obl = [any(c[0][i] for c in p.coding.values()) for i in range(5)]
    category = ("alliance" if obl[0] or obl[1] else "neutrality" if obl[2] else
                "non-aggression" if obl[3] and not obl[4] else "security")
    of = f", phase {p.phase} of {p.maxphase}" if p.maxphase else ""
    src_rows = sorted(r.row for r in p.rows)
    lines = [f"treaty {p.name} {q(f'ATOP 5.1 alliance {p.aid}{of}')}",
             "  binding legal", f"  category {category}"]
    if signed and signed <= start:
        lines.append(f"  signed {signed}")
    lines.append(f"  in-force {start}")
    if end:
        lines.append(f"  terminated {end} {q('the last exit of a member in ATOP 5.1')}")
    lines += [f"  atop {p.aid}",
              f"  source {q(f'ATOP 5.1 member file atop5_1m.csv, rows {_ranges(src_rows)}')}",
              f"  note {q(DATES_NOTE + ' ' + HONEST)}"]
    spells: dict[tuple[dt.date, dt.date | None, bool, bool], list[str]] = defaultdict(list)
    for r in p.rows:
        spells[(r.start, r.end, r.start_day_known, r.end_day_known)].append(p.code[r.member])
    for (s, e, sk, ek), who in sorted(spells.items(), key=lambda kv: (kv[0][0], kv[0][1] or dt.date.max, kv[1])):
        why = []
        if not sk:
            why.append("ATOP gives no day of entry: the 1st of the month")
        if not ek:
            why.append("ATOP gives no day of exit: the last day of the month")
        tail = (f" from {s}" + (f" until {e}" if e else "") + (f" {q('; '.join(why))}" if why else ""))
        lines.append(f"  parties {' '.join(sorted(who))}{tail}")
    terms: dict[str, str] = {}
    n = 0
    members = sorted(p.coding)
    symmetric = len({p.coding[m] for m in members}) == 1 and not any((p.aid, m) in removed for m in members)
    for i, o in enumerate(OBLIGATIONS):
        holders = [m for m in members if p.coding[m][0][i]]
        if not holders:
            continue
        text = (f"ATOP 5.1 codes {_article_kind(o)} obligation (\"{DEFINITIONS[o]}\") for "
                f"{', '.join(p.code[m] for m in holders)}{_flag_summary(p, holders, o)}. {HONEST}")
        lines.append(f"  article {ARTICLE[o]} {q(text)}")
        if symmetric:
            cl = _clauses(p, o, None, p.coding[members[0]][1], None, terms)
        else:
            cl = []
            for m in holders:
                partners = None
                gone = removed.get((p.aid, m), {}).get(o)
                if gone:
                    partners = sorted(p.code[x] for x in members if x != m and x not in gone)
                    if not partners:
                        continue
                cl += _clauses(p, o, m, p.coding[m][1], partners, terms)
        lines += cl
        n += sum(1 for x in cl if x.lstrip().startswith("clause"))
        lines.append("  end")
    lines.append("end")
    head = [f"term {name} {q(question)}" for name, question in sorted(terms.items())]
    return "\n".join(head + [""] * bool(head) + lines) + "\n", n


def _article_kind(o: str) -> str:
    return {"defense": "a defense", "offense": "an offense", "neutral": "a neutrality", "nonagg": "a non-aggression",
            "consul": "a consultation"}[o]


def _flag_summary(p: _Phase, holders: list[int], o: str) -> str:
    out = []
    for f in FLAGS[o] + (("neucoatt",) if o == "neutral" else ()) + ("olimob",):
        who = [p.code[m] for m in holders if f in p.coding[m][1]]
        if who:
            meaning = "upon the ally being attacked" if f == "neucoatt" else CODEBOOK[_suffix(f)]
            out.append(f"{f}=1 ({meaning}) for {', '.join(who)}")
    return "; " + "; ".join(out) if out else ""


def _term(p: _Phase, flag: str, terms: dict[str, str]) -> str:
    name = f"{p.name}-{flag}"
    sfx = _suffix(flag)
    terms[name] = f"{QUESTION[sfx]} (ATOP {flag}=1 for alliance {p.aid}: {CODEBOOK[sfx]}; ATOP does not say which.)"
    return name


def _clauses(p: _Phase, o: str, m: int | None, flags: frozenset[str], partners: list[str] | None,
             terms: dict[str, str]) -> list[str]:
    """The clauses of obligation `o` for member `m` (None: every party alike), toward `partners` if given."""
    code = p.code[m] if m is not None else None
    conds = [_term(p, f, terms) for f in FLAGS[o] if f in flags and not f.endswith("adv")]
    if "olimob" in flags:
        conds.append(_term(p, "olimob", terms))
    adv = [f for f in FLAGS[o] if f in flags and f.endswith("adv")]
    against = [f"      against {_term(p, adv[0], terms)}"] if adv else []
    subject = code or "each party"
    label = o if code is None else f"{o}-{code.lower()}"

    def attack(role: str, action: str, lab: str) -> list[str]:
        # Neither side of the war is bound toward it: a party is never obliged to defend, join against or stay
        # neutral toward its own attack, nor the state attacked toward the attack on it.
        c = [f"{role} is party"]
        if partners is not None:
            c.append(f"{role} in {{{' '.join(partners)}}}")
        if code is not None:
            c += [f"not victim = {code}", f"not attacker = {code}"]
        subj = "each party other than victim and attacker" if code is None else code
        return [f"    clause {lab}", "      upon armed-attack", f"      if {' and '.join(c + conds)}",
                f"      {subj} must {action} {role}"] + against

    def standing(action: str) -> list[str]:
        if partners is None:
            head = [f"    clause {label}"] + ([f"      if {' and '.join(conds)}"] if conds else [])
            return head + [f"      {subject} must {action}"] + against
        out = []
        for x in partners:
            out += [f"    clause {label}-{x.lower()}", f"      if {' and '.join([f'{x} is party'] + conds)}",
                    f"      {subject} must {action} {x}"] + against
        return out

    if o == "defense":
        return attack("victim", "assist", label)
    if o == "offense":
        return attack("attacker", "join-offensive", label)
    if o == "neutral":
        out = attack("victim", "remain-neutral", f"{label}-attacked")
        if "neucoatt" not in flags:  # neucoatt: neutral only "upon the ally being attacked"
            out += attack("attacker", "remain-neutral", f"{label}-attacking")
        return out
    return standing("refrain-from-force" if o == "nonagg" else "consult")


def _ranges(xs: list[int]) -> str:
    out, i = [], 0
    while i < len(xs):
        j = i
        while j + 1 < len(xs) and xs[j + 1] == xs[j] + 1:
            j += 1
        out.append(str(xs[i]) if i == j else f"{xs[i]}-{xs[j]}")
        i = j + 1
    return ", ".join(out)


def canonical(files: dict[str, str]) -> dict[str, str]:
    """The files as the formatter prints them (what `fmt --check` expects)."""
    from obligations.syntax.format import format_file
    from obligations.syntax.parse import parse

    out = {}
    for name, text in files.items():
        f, diags = parse(text, name)
        if diags:
            raise AssertionError(f"import produced an unparsable file {name}: {diags[0].short()}")
        out[name] = format_file(f)
    return out


def write(imp: Import, out: str | Path, texts: dict[str, str] | None = None) -> list[Path]:
    """Write the files (`texts`: their canonical form, when the caller has it already)."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in (texts or canonical(imp.files)).items():
        path = out / name
        path.write_text(text, encoding="utf-8")
        written.append(path)
    return written
