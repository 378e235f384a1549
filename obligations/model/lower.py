"""Surface trees -> core corpus: index every declaration, report duplicates."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model.corpus import (
    AppliedRestriction, Clause, Corpus, Fact, Instrument, Interval, Membership, Suspension,
)
from obligations.syntax import ast as A


def _dup(kind: str, name: str, node, first) -> Diagnostic:
    return Diagnostic(
        code="E010",
        message=f'{kind} "{name}" is declared twice',
        span=node.span,
        hint=f"the first declaration is at {first.span}",
    )


def lower(files: list[A.File], texts: dict[str, str] | None = None) -> tuple[Corpus, list[Diagnostic]]:
    c = Corpus(files=list(files), texts=dict(texts or {}))
    diags: list[Diagnostic] = []
    for f in files:
        for it in f.items:
            if isinstance(it, A.StateDecl):
                if it.code in c.states:
                    diags.append(_dup("state", it.code, it, c.states[it.code]))
                else:
                    c.states[it.code] = it
            elif isinstance(it, A.RegionDecl):
                if it.name in c.regions:
                    diags.append(_dup("region", it.name, it, c.regions[it.name]))
                else:
                    c.regions[it.name] = it
            elif isinstance(it, A.PlaceDecl):
                if it.name in c.places:
                    diags.append(_dup("place", it.name, it, c.places[it.name]))
                else:
                    c.places[it.name] = it
            elif isinstance(it, A.TermDecl):
                if it.name in c.terms:
                    diags.append(_dup("term", it.name, it, c.terms[it.name]))
                else:
                    c.terms[it.name] = it
            elif isinstance(it, A.DefineDecl):
                if it.name in c.defines:
                    diags.append(_dup("definition", it.name, it, c.defines[it.name]))
                else:
                    c.defines[it.name] = it
            elif isinstance(it, A.FactDecl):
                c.facts.append(_fact(it, None))
            elif isinstance(it, A.Instrument):
                if it.name in c.instruments:
                    diags.append(_dup("instrument", it.name, it, c.instruments[it.name].node))
                    continue
                c.instruments[it.name] = _instrument(it, c, diags)
    # Restrictions may name an instrument declared in another file: attach them last.
    by_key = {}
    for cl in c.clauses:
        by_key.setdefault((cl.instrument, cl.article), []).append(cl)
    for inst in c.instruments.values():
        restricts = list(inst.node.restricts)
        for art in inst.node.articles:
            restricts += [x for x in art.items if isinstance(x, A.Restrict)]
        for r in restricts:
            for cl in by_key.get((r.instrument, r.article), []):
                cl.restrictions.append(AppliedRestriction(restrict=r, source=inst.name))
    return c, diags


def _fact(f: A.FactDecl, instrument: str | None) -> Fact:
    return Fact(
        negated=f.negated, term=f.term, args=tuple(f.args), interval=Interval(f.start, f.end),
        grounds=f.grounds, instrument=instrument, span=f.span,
    )


def _instrument(node: A.Instrument, c: Corpus, diags: list[Diagnostic]) -> Instrument:
    inst = Instrument(node=node)
    default_start = None if node.draft else node.in_force
    for p in node.parties:
        for code in p.codes:
            inst.memberships.append(Membership(code, Interval(p.start or default_start, p.end), p.note, p.span))
    for p in node.designates:
        for code in p.codes:
            inst.designations.append(Membership(code, Interval(p.start or default_start, p.end), p.note, p.span))
    for s in node.suspensions:
        inst.suspensions.append(Suspension(s.state, s.toward, Interval(s.start, s.end), s.note, s.span))
    for d in node.defines:
        _add_define(inst, d, diags)
    for f in node.facts:
        c.facts.append(_fact(f, node.name))
    seen_articles: dict[str, A.Article] = {}
    for art in node.articles:
        if art.ref in seen_articles:
            diags.append(Diagnostic(
                code="E011", message=f'Article {art.ref} appears twice in "{node.name}"', span=art.span,
                hint=f"the first is at {seen_articles[art.ref].span}; number paragraphs apart, e.g. IV(1) and IV(2)",
                trail=node.name,
            ))
            continue
        seen_articles[art.ref] = art
        n = 0
        labels: set[str] = set()
        for item in art.items:
            if isinstance(item, A.Clause):
                n += 1
                if item.label and item.label in labels:
                    diags.append(Diagnostic(code="E010", message=f'clause "{item.label}" is declared twice in Article {art.ref}', span=item.span, trail=f"{node.name} › Article {art.ref}"))
                if item.label:
                    labels.add(item.label)
                cid = f"{node.name}:{art.ref}:{item.label or n}"
                c.clauses.append(Clause(id=cid, instrument=node.name, article=art.ref, article_text=art.text, node=item, index=n))
            elif isinstance(item, A.DefineDecl):
                _add_define(inst, item, diags, article=art.ref)
            elif isinstance(item, A.FactDecl):
                c.facts.append(_fact(item, node.name))
            elif isinstance(item, A.Criterion):
                inst.criteria.append((art.ref, item))
    return inst


def _add_define(inst: Instrument, d: A.DefineDecl, diags: list[Diagnostic], article: str | None = None) -> None:
    if d.name in inst.defines:
        diags.append(_dup("definition", d.name, d, inst.defines[d.name]))
        return
    inst.defines[d.name] = d
    if article is not None:
        inst.define_articles[d.name] = article
