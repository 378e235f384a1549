"""Roles must mean something where they are used: `victim` needs an attack, `alliance` a joining."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model import core as C
from obligations.vocab import Event, Role

_ALLIANCE = C.ALLIANCE_ATOMS

_NEEDS = {
    Role.VICTIM: ("the clause is not triggered by an attack", "add `upon armed-attack` (or `upon threat`) to the clause"),
    Role.ATTACKER: ("the clause is not triggered by an attack", "add `upon armed-attack` (or `upon threat`) to the clause"),
    Role.ACTOR: ("the clause is not triggered by a state joining or buying", "add `upon join` (or `upon purchase`) to the clause"),
    Role.SELLER: ("the clause is not triggered by a purchase", "add `upon purchase` to the clause"),
}


def _check_cond(cond: C.Cond, event: Event | None, allow_alliance: bool, trail: str, out: list[Diagnostic]) -> None:
    for n in C.walk(cond, into_definitions=True):
        for w in C.who_of(n):
            if isinstance(w, C.RoleRef) and not w.role.has_value_in(event):
                why, hint = _NEEDS[w.role]
                what = "clause" if "property" not in trail else "property"
                out.append(Diagnostic(code="E040", message=f"`{w.role}` has no meaning here: {why.replace('clause', what)}",
                                      span=n.span, trail=trail, hint=hint))
        if not allow_alliance and isinstance(n, _ALLIANCE):
            out.append(Diagnostic(code="E040", message="`alliance` has no meaning here", span=n.span, trail=trail,
                                  hint="use it in `join-alliance where ...` or in a clause `upon join`"))


def check(c: C.Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    triggers = {(cl.instrument, cl.article): cl.trigger for cl in c.clauses}
    for cl in c.clauses:
        trail = f"{cl.instrument} › {cl.heading}"
        trig = cl.trigger
        join_ctx = trig is Event.JOIN
        for st in cl.steps:
            if isinstance(st, C.Holds):
                _check_cond(st.cond, trig, join_ctx or (st.kind == "where" and cl.action == "join-alliance"), trail, out)
            elif isinstance(st, C.Unless):
                _check_cond(st.cond, trig, join_ctx, trail, out)
        for r in cl.subject.excluded:
            if not r.has_value_in(trig):
                out.append(Diagnostic(code="E040", message=f"`other than {r}` needs a clause triggered by "
                                      f"{'an attack' if r in (Role.VICTIM, Role.ATTACKER) else 'a joining or a purchase'}",
                                      span=cl.subject.span or cl.span, trail=trail))
        if isinstance(cl.obj, C.RoleRef) and not cl.obj.role.has_value_in(trig):
            out.append(Diagnostic(code="E040", message=f"`{cl.obj}` has no meaning here: {_NEEDS[cl.obj.role][0]}",
                                  span=cl.action_span or cl.span, trail=trail, hint=_NEEDS[cl.obj.role][1]))
        if cl.subject.kind == "each_author" and not c.instruments[cl.instrument].authors:
            out.append(Diagnostic(code="E041", message=f"`each author` but {cl.instrument} names no author", span=cl.subject.span or cl.span,
                                  trail=trail, hint="add `by CODE ...` to the instrument"))
        if not cl.article_text.strip():
            out.append(Diagnostic(code="E042", message=f"Article {cl.article} has no text", span=cl.span, trail=trail,
                                  hint="quote the article: answers cite it"))
    for inst in c.instruments.values():
        for pr in inst.properties:
            trail = f"{inst.name} › property {pr.name}"
            ev = pr.event or Event.ARMED_ATTACK
            if pr.cond is not None:
                _check_cond(pr.cond, ev, ev is Event.JOIN, trail, out)
            e = pr.expect
            if e is not None and isinstance(e.who, C.RoleRef) and not e.who.role.has_value_in(ev):
                out.append(Diagnostic(code="E040", message=f"`{e.who}` has no meaning here: the property is not about an attack",
                                      span=e.span, trail=trail))
        for crit in inst.criteria:
            _check_cond(crit.cond, Event.JOIN, False, f"{inst.name} › Article {crit.article} › {crit.name}", out)
    for cl in c.clauses:
        for st in cl.restrictions():
            _check_cond(st.cond, triggers.get((cl.instrument, cl.article)), cl.trigger is Event.JOIN,
                        f"{st.source} › restriction of {cl.instrument} Article {cl.article}", out)
    return _dedupe(out)


def _dedupe(ds: list[Diagnostic]) -> list[Diagnostic]:
    seen, out = set(), []
    for d in ds:
        k = (d.message, d.span)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out
