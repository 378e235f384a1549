"""`obligations list instruments|parties|states|places|regions|terms`: what a corpus holds."""

from __future__ import annotations

import argparse

from obligations.commands.common import Command, add_corpus_options, add_json, dump_json, load_for_query, parse_date

KINDS = ("instruments", "parties", "states", "places", "regions", "terms")


def configure(p: argparse.ArgumentParser) -> None:
    p.add_argument("kind", choices=KINDS, help="what to list")
    p.add_argument("--on", dest="date", metavar="DATE", help="as on this date (default: today)")
    p.add_argument("--instrument", metavar="NAME", help="with `parties`: only this instrument's")
    p.add_argument("--draft", action="append", default=[], metavar="NAME", help="read this draft as if in force")
    p.add_argument("--without", action="append", default=[], metavar="NAME", help="leave this instrument out")
    add_corpus_options(p)
    add_json(p)


def rows(corpus, kind: str, date, drafts, only: str | None) -> list[dict]:
    from obligations.reference import Evaluator
    from obligations.scenario import Scenario

    ev = Evaluator(corpus, Scenario(date=date), {}, drafts, default=False)
    if kind == "instruments":
        return [{"id": i.name, "title": i.title, "kind": i.node.kind, "binding": i.binding, "category": i.node.category,
                 "in_force": ev.in_force(i.name), "draft": i.draft, "signed": str(i.node.signed or ""),
                 "entered_into_force": str(i.node.in_force or ""), "terminated": str(i.node.terminated or ""),
                 "parties": i.members_on(date), "location": str(i.node.span)} for i in sorted(corpus.instruments.values(), key=lambda i: i.name)]
    if kind == "parties":
        out = []
        for i in sorted(corpus.instruments.values(), key=lambda i: i.name):
            if only and i.name != only:
                continue
            for m in i.memberships:
                out.append({"instrument": i.name, "party": m.state, "from": str(m.interval.start or ""), "until": str(m.interval.end or ""),
                            "member_on_date": m.interval.contains(date) and ev.in_force(i.name)})
        return out
    if kind == "states":
        return [{"id": s.code, "name": s.name, "ccode": s.ccode, "from": str(s.start or ""), "until": str(s.end or ""),
                 "exists_on_date": corpus.state_exists(s.code, date)} for s in sorted(corpus.states.values(), key=lambda s: s.code)]
    if kind == "places":
        out = []
        for p in sorted(corpus.places.values(), key=lambda p: p.name):
            admin = [h.state for h in p.administered_by if ev.holds([h], h.state)]
            out.append({"id": p.name, "title": p.title, "administered_by": admin, "claimed_by": p.claimed_by,
                        "regions": p.regions, "possibly_in": [x.region for x in p.possibly_in]})
        return out
    if kind == "regions":
        return [{"id": r.name, "title": r.title, "includes": r.includes, "excludes": r.excludes} for r in sorted(corpus.regions.values(), key=lambda r: r.name)]
    return [{"id": t.name, "question": t.question, "of": t.arg} for t in sorted(corpus.terms.values(), key=lambda t: t.name)]


def run(a: argparse.Namespace) -> int:
    from obligations.cli import UsageError
    from obligations.query.ask import _suggest

    date = parse_date(a.date)
    corpus, drafts = load_for_query(a)
    if a.instrument and a.instrument not in corpus.instruments:
        raise UsageError(str(_suggest("instrument", a.instrument, corpus.instruments)))
    rs = rows(corpus, a.kind, date, drafts, a.instrument)
    if a.json:
        dump_json({"kind": a.kind, "date": str(date), "items": rs})
        return 0
    for r in rs:
        if a.kind == "instruments":
            status = "draft" if r["draft"] else ("in force" if r["in_force"] else "not in force")
            print(f"{r['id']:<28} {r['kind']:<22} {r['binding']:<9} {status:<12} {r['title']}")
        elif a.kind == "parties":
            mark = "*" if r["member_on_date"] else " "
            print(f"{mark} {r['instrument']:<28} {r['party']}  {r['from'] or '-':>10} .. {r['until'] or ''}")
        elif a.kind == "states":
            print(f"{r['id']}  {str(r['ccode'] or ''):>4}  {r['name']}" + (f"  ({r['from'] or '…'} – {r['until'] or ''})" if r['from'] or r['until'] else ""))
        elif a.kind == "places":
            extra = f"  administered by {', '.join(r['administered_by'])}" if r["administered_by"] else ""
            extra += f"; claimed by {', '.join(r['claimed_by'])}" if r["claimed_by"] else ""
            print(f"{r['id']:<28} {r['title']}{extra}")
        elif a.kind == "regions":
            print(f"{r['id']:<32} {r['title']}")
        else:
            print(f"{r['id']:<28} {r['question']}")
    if a.kind == "parties":
        print(f"(* = party on {date})")
    return 0


SPEC = Command(
    name="list",
    help="list what a corpus holds: instruments, parties, states, places, regions, terms",
    description="List the identifiers a corpus holds, with names, so you can find the one to ask about.",
    examples="  obligations list instruments\n  obligations list parties --instrument anzus --on 1985-01-01\n"
             "  obligations list places --json\n  obligations list states --on 1965-01-01",
    configure=configure,
    run=run,
)
