"""A time line as SVG, written by hand: no dependency, readable without colour (suspensions are hatched and
labelled), described for screen readers (a title, a description, and a title on every bar)."""

from __future__ import annotations

import datetime as dt
from xml.sax.saxutils import escape, quoteattr

from obligations.results import TimelineBar, TimelineResult

FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, Helvetica, Arial, sans-serif"
WIDTH, LEFT, RIGHT, TOP = 960, 230, 28, 64
ROW, BAR, GROUP = 24, 15, 26
FILL = {"force": "#cbd5e0", "membership": "#2b6cb0", "designation": "#805ad5", "authorship": "#2f855a",
        "existence": "#a0aec0", "suspension": "#c05621"}
TEXT_ON = {"force": "#1a202c", "existence": "#1a202c"}  # bars light enough for dark text; the rest take white
LEGEND = {"force": "in force", "membership": "party", "designation": "designated", "authorship": "author",
          "existence": "state exists", "suspension": "suspended (hatched)"}
CHAR_W = 6.4  # an estimate of one character's width at 11px, to decide whether a label fits in its bar


def _ticks(lo: int, hi: int) -> list[int]:
    span = max(hi - lo + 1, 1)
    step = next((s for s in (1, 2, 5, 10, 20, 25, 50, 100, 200, 500, 1000) if span / s <= 12), 1000)
    first = ((lo + step - 1) // step) * step
    return list(range(first, hi + 2, step))


def _years(r: TimelineResult, d: dt.date) -> float:
    return d.year + (d.timetuple().tm_yday - 1) / 366.0


def timeline_svg(r: TimelineResult, today: dt.date | None = None) -> str:
    today = today or dt.date.today()
    lo, hi = float(r.start_year), float(r.end_year + 1)
    plot_w = WIDTH - LEFT - RIGHT

    def x(d: dt.date | None, default: float) -> float:
        v = default if d is None else min(max(_years(r, d), lo), hi)
        return LEFT + (v - lo) / (hi - lo) * plot_w

    rows: list[tuple[str, object]] = []
    prev = None
    for b in r.bars:
        if b.group != prev:
            rows.append(("group", b.group))
            prev = b.group
        rows.append(("bar", b))
    height = TOP + sum(GROUP if k == "group" else ROW for k, _ in rows) + 70
    title = f"Time line of {r.name} ({r.title}), {r.start_year}–{r.end_year}"
    n_susp = sum(1 for b in r.bars if b.kind == "suspension")
    desc = (f"{len(r.bars)} intervals in {len({b.group for b in r.bars})} group(s)"
            + (f", {n_susp} suspension(s)" if n_susp else "") + ". Each bar runs from its start to its end; an arrow "
            "marks one still running, a bar on the end marks a withdrawal or termination.")
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" role="img" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" '
           f'height="{height}" aria-labelledby="tl-title tl-desc" font-family={quoteattr(FONT)} font-size="11">',
           f'<title id="tl-title">{escape(title)}</title>', f'<desc id="tl-desc">{escape(desc)}</desc>',
           '<defs><pattern id="tl-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
           f'<rect width="6" height="6" fill="{FILL["suspension"]}"/><line x1="0" y1="0" x2="0" y2="6" stroke="#fff" '
           'stroke-width="2.2"/></pattern>'
           '<marker id="tl-arrow" viewBox="0 0 8 8" refX="1" refY="4" markerWidth="7" markerHeight="7" orient="auto">'
           '<path d="M0,0 L8,4 L0,8 z" fill="#4a5568"/></marker></defs>',
           f'<rect width="{WIDTH}" height="{height}" fill="#fff"/>',
           f'<text x="16" y="26" font-size="15" font-weight="600" fill="#1a202c">{escape(r.name)}'
           f'<tspan font-weight="400" fill="#4a5568"> — {escape(r.title)}</tspan></text>']
    # the time axis: years, with grid lines down the chart
    axis_y = TOP - 12
    bottom = height - 60
    for yr in _ticks(r.start_year, r.end_year):
        if yr < lo or yr > hi:
            continue
        tx = LEFT + (yr - lo) / (hi - lo) * plot_w
        out.append(f'<line x1="{tx:.1f}" y1="{axis_y + 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#e2e8f0"/>'
                   f'<text x="{tx:.1f}" y="{axis_y}" text-anchor="middle" fill="#4a5568">{yr}</text>')
    if lo <= _years(r, today) <= hi:
        tx = x(today, hi)
        out.append(f'<line x1="{tx:.1f}" y1="{axis_y + 4}" x2="{tx:.1f}" y2="{bottom}" stroke="#718096" '
                   f'stroke-dasharray="3,3"><title>today, {today}</title></line>')
    y = TOP
    for kind, item in rows:
        if kind == "group":
            out.append(f'<text x="16" y="{y + 17}" font-weight="600" font-size="12" fill="#1a202c">{escape(str(item))}</text>'
                       f'<line x1="16" y1="{y + 22}" x2="{WIDTH - RIGHT}" y2="{y + 22}" stroke="#edf2f7"/>')
            y += GROUP
            continue
        out.append(_bar(item, y, x, lo, hi))
        y += ROW
    # legend
    kinds = [k for k in LEGEND if any(b.kind == k for b in r.bars)]
    lx = 16
    ly = height - 30
    for k in kinds:
        fill = "url(#tl-hatch)" if k == "suspension" else FILL[k]
        out.append(f'<rect x="{lx}" y="{ly - 10}" width="22" height="12" rx="2" fill="{fill}"/>'
                   f'<text x="{lx + 28}" y="{ly}" fill="#2d3748">{escape(LEGEND[k])}</text>')
        lx += 40 + int(len(LEGEND[k]) * CHAR_W)
    out.append(f'<text x="{lx + 8}" y="{ly}" fill="#4a5568">▸ still running   ┃ withdrawal or termination</text>')
    if not r.bars:
        out.append(f'<text x="{LEFT}" y="{TOP + 16}" fill="#4a5568">nothing recorded in these years</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _span_text(b: TimelineBar) -> str:
    a = str(b.start.year) if b.start else "…"
    z = str(b.end.year) if b.end else ""
    return f"{a}–{z}"


def _bar(b: TimelineBar, y: int, x, lo: float, hi: float) -> str:
    x0, x1 = x(b.start, lo), x(b.end, hi)
    w = max(x1 - x0, 2.0)
    by = y + (ROW - BAR) / 2
    fill = "url(#tl-hatch)" if b.kind == "suspension" else FILL[b.kind]
    tip = f"{b.group}: {b.label}, {b.text}" + (f" — {b.ended_by}" if b.end and b.ended_by and b.ended_by != "end" else "") \
        + (f". {' '.join(b.note.split())}" if b.note else "")
    parts = [f'<g><title>{escape(tip)}</title>',
             f'<text x="{LEFT - 10}" y="{by + BAR - 3}" text-anchor="end" fill="#2d3748">{escape(b.label)}</text>',
             f'<rect x="{x0:.1f}" y="{by:.1f}" width="{w:.1f}" height="{BAR}" rx="3" fill="{fill}"'
             + (' stroke="#7b341e" stroke-width="1"' if b.kind == "suspension" else "") + "/>"]
    label = _span_text(b) if b.kind != "suspension" else f"suspended {_span_text(b)}"
    tw = len(label) * CHAR_W
    color = TEXT_ON.get(b.kind, "#fff")
    if tw + 10 <= w and b.kind != "suspension":
        parts.append(f'<text x="{x0 + 6:.1f}" y="{by + BAR - 4}" fill="{color}">{escape(label)}</text>')
    elif b.kind == "suspension" and tw + 12 <= w:
        parts.append(f'<text x="{x0 + 6:.1f}" y="{by + BAR - 4}" fill="#fff" font-weight="600" '
                     f'paint-order="stroke" stroke="#7b341e" stroke-width="2.5">{escape(label)}</text>')
    else:
        lx = x1 + 6 if x1 + 6 + tw < LEFT + (WIDTH - LEFT - RIGHT) else x0 - 6
        anchor = "start" if lx > x0 else "end"
        parts.append(f'<text x="{lx:.1f}" y="{by + BAR - 4}" text-anchor="{anchor}" fill="#2d3748">{escape(label)}</text>')
    if b.end is None:
        parts.append(f'<line x1="{x1 - 1:.1f}" y1="{by + BAR / 2:.1f}" x2="{x1 + 2:.1f}" y2="{by + BAR / 2:.1f}" '
                     f'stroke="#4a5568" marker-end="url(#tl-arrow)"/>')
    elif b.ended_by in ("withdrawal", "termination") and _years_ok(b.end, lo, hi):
        parts.append(f'<rect x="{x1 - 1.5:.1f}" y="{by - 3:.1f}" width="3" height="{BAR + 6}" fill="#1a202c"/>')
    parts.append("</g>")
    return "".join(parts)


def _years_ok(d: dt.date, lo: float, hi: float) -> bool:
    v = d.year + (d.timetuple().tm_yday - 1) / 366.0
    return lo <= v <= hi
