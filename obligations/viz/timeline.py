"""Time lines: a party's memberships, designations, suspensions and authorships, instrument by instrument, or an
instrument's force and its parties, each an interval of the resolved corpus (`model/core.py`)."""

from __future__ import annotations

import csv
import datetime as dt
import io

from obligations.app import usage
from obligations.errors import UnknownName
from obligations.model.core import ALWAYS, FAR_FUTURE, Corpus, Instrument, Interval
from obligations.results import TimelineBar, TimelineResult

MIN_YEAR, MAX_YEAR = 1, 9998


def _bar(group: str, label: str, kind: str, inst: Instrument, state: str | None, iv: Interval, note=None, span=None,
         toward=None, ended_by=None) -> TimelineBar:
    return TimelineBar(group=group, label=label, kind=kind, instrument=inst.name, state=state, start=iv.start,
                       end=iv.end, text=iv.describe(), toward=toward, ended_by=ended_by if iv.end else None,
                       note=note, location=str(span) if span is not None else None)


def _force(inst: Instrument, group: str) -> TimelineBar | None:
    f = inst.force
    if inst.draft or f.start == FAR_FUTURE:
        return None  # a draft, or a treaty never in force: no interval to draw
    return _bar(group, "in force", "force", inst, None, f, note=inst.terminated_note, span=inst.span,
                ended_by="termination")


def _ended(inst: Instrument, iv: Interval) -> str:
    """How a membership ended: with the instrument (termination), before it (a withdrawal from a treaty), or
    otherwise (an arrangement's spell)."""
    if iv.end is not None and inst.terminated is not None and iv.end >= inst.terminated:
        return "termination"
    return "withdrawal" if inst.kind in ("treaty", "protocol") else "end"


def _within_force(inst: Instrument, iv: Interval) -> Interval:
    """A membership lasts no longer than its instrument: cut at the termination."""
    t = inst.terminated
    if t is not None and (iv.end is None or iv.end > t):
        return Interval(iv.start, t)
    return iv


def _for_party(c: Corpus, code: str, drafts: frozenset[str]) -> list[TimelineBar]:
    out: list[TimelineBar] = []
    st = c.states[code]
    if st.exists != ALWAYS:
        out.append(TimelineBar(group=code, label=f"{code} exists", kind="existence", instrument="", state=code,
                               start=st.exists.start, end=st.exists.end, text=st.exists.describe(),
                               location=str(st.span)))
    for inst in c.instruments.values():
        if inst.draft and inst.name not in drafts:
            continue
        g = inst.name
        mine = []
        for m in inst.memberships:
            if m.state == code:
                iv = _within_force(inst, m.interval)
                mine.append(_bar(g, "party" + (" (supposed)" if m.supposed else ""), "membership", inst, code,
                                 iv, m.note, m.span, ended_by=_ended(inst, iv)))
        for m in inst.designations:
            if m.state == code:
                mine.append(_bar(g, "designated", "designation", inst, code, m.interval, m.note, m.span, ended_by="end"))
        if code in inst.authors:
            mine.append(_bar(g, "author", "authorship", inst, code, inst.force if not inst.draft else ALWAYS,
                             span=inst.span, ended_by="termination"))
        for sp in inst.suspensions:
            if sp.state == code or sp.toward == code:
                who = f"{sp.state} suspended" + (f" toward {sp.toward}" if sp.toward else "")
                mine.append(_bar(g, who, "suspension", inst, sp.state, sp.interval, sp.note, sp.span, toward=sp.toward,
                                 ended_by="end"))
        if mine:
            f = _force(inst, g)
            out += ([f] if f else []) + mine
    return out


def _for_instrument(c: Corpus, name: str) -> list[TimelineBar]:
    out: list[TimelineBar] = []
    for inst in [c.instruments[name]] + [c.instruments[n] for n in c.children(name)]:
        g = inst.name
        f = _force(inst, g)
        if f:
            out.append(f)
        for a in inst.authors:
            out.append(_bar(g, f"{a} author", "authorship", inst, a, inst.force if not inst.draft else ALWAYS,
                            span=inst.span, ended_by="termination"))
        for m in sorted(inst.memberships, key=lambda m: (m.interval.start or dt.date.min, m.state)):
            iv = _within_force(inst, m.interval)
            out.append(_bar(g, m.state, "membership", inst, m.state, iv, m.note, m.span, ended_by=_ended(inst, iv)))
        for m in sorted(inst.designations, key=lambda m: (m.interval.start or dt.date.min, m.state)):
            out.append(_bar(g, f"{m.state} designated", "designation", inst, m.state, m.interval, m.note, m.span,
                            ended_by="end"))
        for sp in inst.suspensions:
            who = f"{sp.state} suspended" + (f" toward {sp.toward}" if sp.toward else "")
            out.append(_bar(g, who, "suspension", inst, sp.state, sp.interval, sp.note, sp.span, toward=sp.toward,
                            ended_by="end"))
    return out


def _year(v: int | None, field: str) -> int | None:
    if v is not None and not MIN_YEAR <= v <= MAX_YEAR:
        raise usage(f"{v} is not a year between {MIN_YEAR} and {MAX_YEAR}", field)
    return v


def timeline(c: Corpus, party: str | None = None, instrument: str | None = None, start_year: int | None = None,
             end_year: int | None = None, drafts: frozenset[str] = frozenset(), today: dt.date | None = None) -> TimelineResult:
    """A party's or an instrument's time line, cut to the years asked (default: from its first date to the
    present, or to its last date when everything on it has ended)."""
    if (party is None) == (instrument is None):
        raise usage("a time line is of a party or of an instrument: give one of them", "party")
    _year(start_year, "from")
    _year(end_year, "to")
    if start_year is not None and end_year is not None and start_year > end_year:
        raise usage(f"the time line would end ({end_year}) before it starts ({start_year})", "to")
    today = today or dt.date.today()
    if party is not None:
        if party not in c.states:
            e = UnknownName("state", party, c.states)
            e.field = "party"  # type: ignore[attr-defined]
            raise e
        bars, title, subject, name = _for_party(c, party, drafts), c.states[party].name, "party", party
    else:
        if instrument not in c.instruments:
            e = UnknownName("instrument", instrument, c.instruments)
            e.field = "instrument"  # type: ignore[attr-defined]
            raise e
        inst = c.instruments[instrument]
        bars, title, subject, name = _for_instrument(c, instrument), inst.title, "instrument", instrument
    dates = [d for b in bars for d in (b.start, b.end) if d is not None and d.year <= MAX_YEAR]
    first = min(dates).year if dates else today.year
    last = max(dates).year if dates else today.year
    if any(b.end is None for b in bars):
        last = max(last, today.year)
    lo = start_year if start_year is not None else first
    hi = end_year if end_year is not None else max(last, lo)
    lo_d, hi_d = dt.date(lo, 1, 1), dt.date(hi + 1, 1, 1)
    kept = [b for b in bars if (b.start is None or b.start < hi_d) and (b.end is None or b.end > lo_d)]
    return TimelineResult(subject=subject, name=name, title=title, start_year=lo, end_year=hi, bars=kept)


# ---- text ------------------------------------------------------------------------------------------------


def to_table(r: TimelineResult) -> str:
    head = f"{r.name} ({r.title}), {r.start_year}–{r.end_year}"
    if not r.bars:
        return head + "\n  nothing recorded in these years\n"
    rows = [("", "", "from", "until", "")]
    for b in r.bars:
        end = b.end.isoformat() if b.end else "—"
        note = (b.ended_by + (": " if b.note else "") if b.end and b.ended_by not in (None, "end") else "") + (b.note or "")
        rows.append((b.group, b.label, b.start.isoformat() if b.start else "—", end, " ".join(note.split())))
    w = [max(len(r[i]) for r in rows) for i in range(4)]
    out = [head]
    prev = None
    for i, row in enumerate(rows):
        group = row[0] if row[0] != prev or i == 0 else ""
        prev = row[0] if i else prev
        line = f"  {group.ljust(w[0])}  {row[1].ljust(w[1])}  {row[2].ljust(w[2])}  {row[3].ljust(w[3])}  {row[4]}"
        out.append(line.rstrip())
    return "\n".join(out) + "\n"


CSV_FIELDS = ("group", "label", "kind", "instrument", "state", "toward", "start", "end", "ended_by", "text", "note",
              "location")


def to_csv(r: TimelineResult) -> str:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(CSV_FIELDS)
    for b in r.bars:
        w.writerow(["" if getattr(b, f) is None else (getattr(b, f).isoformat() if isinstance(getattr(b, f), dt.date)
                                                       else " ".join(str(getattr(b, f)).split())) for f in CSV_FIELDS])
    return buf.getvalue()
