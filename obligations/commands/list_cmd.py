"""`obligations list instruments|parties|states|places|regions|terms`: what a corpus holds."""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, add_corpus_options, add_json, dump_json, parse_date, workspace_from_args

KINDS = ("instruments", "parties", "states", "places", "regions", "terms")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=KINDS, help="what to list")
    p.add_argument("--on", dest="date", metavar="DATE",
                   help="as on this date (default: today); `states` lists only the states that exist then")
    p.add_argument("--all", action="store_true", help="with `states`: every state of the corpus, whenever it existed")
    p.add_argument("--instrument", metavar="NAME", help="with `parties`: only this instrument's")
    p.add_argument("--draft", action="append", default=[], metavar="NAME", help="read this draft as if in force")
    p.add_argument("--without", action="append", default=[], metavar="NAME", help="leave this instrument out")
    add_corpus_options(p)
    add_json(p)


def rows(corpus, kind: str, date, drafts, only: str | None, every: bool = False) -> list[dict]:
    from obligations.smt.encode import in_force_on

    def in_force(name):
        return in_force_on(corpus, drafts, name, date)

    if kind == "instruments":
        return [{"id": i.name, "title": i.title, "kind": i.kind, "binding": i.binding, "category": i.category,
                 "in_force": in_force(i.name), "draft": i.draft, "signed": str(i.signed or ""),
                 "entered_into_force": str(i.entry_into_force or ""), "terminated": str(i.terminated or ""),
                 "parties": i.members_on(date), "location": str(i.span)} for i in sorted(corpus.instruments.values(), key=lambda i: i.name)]
    if kind == "parties":
        out = []
        for i in sorted(corpus.instruments.values(), key=lambda i: i.name):
            if only and i.name != only:
                continue
            for m in i.memberships:
                out.append({"instrument": i.name, "party": m.state, "from": str(m.interval.start or ""), "until": str(m.interval.end or ""),
                            "member_on_date": m.interval.contains(date) and in_force(i.name)})
        return out
    if kind == "states":
        return [{"id": s.code, "name": s.name, "ccode": s.ccode, "from": str(s.exists.start or ""), "until": str(s.exists.end or ""),
                 "exists_on_date": s.exists.contains(date)} for s in sorted(corpus.states.values(), key=lambda s: s.code)
                if every or s.exists.contains(date)]
    if kind == "places":
        return [{"id": p.name, "title": p.title, "administered_by": p.administrators_on(date), "claimed_by": list(p.claimed_by),
                 "regions": list(p.regions), "possibly_in": [x.region for x in p.possibly_in]}
                for p in sorted(corpus.places.values(), key=lambda p: p.name)]
    if kind == "regions":
        return [{"id": r.name, "title": r.title, "includes": list(r.includes) + list(r.include_places),
                 "excludes": list(r.excludes) + list(r.exclude_places), "possibly_in": [x.region for x in r.possibly_in]}
                for r in sorted(corpus.regions.values(), key=lambda r: r.name)]
    return [{"id": t.name, "question": t.question, "of": t.arg} for t in sorted(corpus.terms.values(), key=lambda t: t.name)]


def _table(cells: list[list[str]]) -> list[str]:
    """Columns as wide as their widest cell: the last column is free text."""
    if not cells:
        return []
    widths = [max(len(r[i]) for r in cells) for i in range(len(cells[0]) - 1)]
    return ["  ".join([c.ljust(w) for c, w in zip(r, widths)] + [r[-1]]).rstrip() for r in cells]


def run(a: argparse.Namespace) -> int:
    date = parse_date(a.date)
    ws = workspace_from_args(a)
    if a.instrument:
        ws.require("instrument", a.instrument)
    rs = rows(ws.corpus, a.kind, date, ws.drafts, a.instrument, a.all)
    if a.json:
        dump_json({"kind": a.kind, "date": str(date), "items": rs})
        return 0
    cells = []
    for r in rs:
        if a.kind == "instruments":
            status = "draft" if r["draft"] else ("in force" if r["in_force"] else "not in force")
            cells.append([r["id"], r["kind"], r["binding"], status, r["title"]])
        elif a.kind == "parties":
            cells.append(["*" if r["member_on_date"] else " ", r["instrument"], r["party"], r["from"] or "-", f".. {r['until']}".rstrip()])
        elif a.kind == "states":
            span = f"({r['from'] or '…'} – {r['until']})" if r["from"] or r["until"] else ""
            cells.append([r["id"], str(r["ccode"] or ""), f"{r['name']}  {span}".rstrip()])
        elif a.kind == "places":
            extra = f"  administered by {', '.join(r['administered_by'])}" if r["administered_by"] else ""
            extra += f"; claimed by {', '.join(r['claimed_by'])}" if r["claimed_by"] else ""
            cells.append([r["id"], r["title"] + extra])
        elif a.kind == "regions":
            cells.append([r["id"], r["title"]])
        else:
            cells.append([r["id"], r["question"]])
    for line in _table(cells):
        print(line)
    if a.kind == "parties":
        print(f"(* = party on {date})")
    if a.kind == "states" and not a.all:
        print(f"({len(rs)} states exist on {date}; --all lists every state of the corpus)")
    return 0


def _schema():
    return {"type": "object", "required": ["kind", "date", "items"], "additionalProperties": False,
            "properties": {"kind": {"enum": list(KINDS)}, "date": {"type": "string", "format": "date"},
                           "items": {"type": "array", "items": {"type": "object"}}}}


SPEC = Command(
    name="list",
    help="list what a corpus holds: instruments, parties, states, places, regions, terms",
    description="List the identifiers a corpus holds, with names, so you can find the one to ask about. "
                "`states` lists the states that exist on the date (--all: every one).",
    examples="  obligations list instruments\n  obligations list parties --instrument anzus --on 1985-01-01\n"
             "  obligations list places --json\n  obligations list states --on 1965-01-01",
    configure=configure,
    run=run,
    json_schema=_schema,
)
