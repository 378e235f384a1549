"""Roles must mean something where they are used: `victim` needs an attack, `alliance` a joining."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic
from obligations.model.corpus import Corpus
from obligations.syntax import ast as A

_ATTACK_ROLES = {"victim", "attacker"}
_ALLIANCE_NODES = (A.AllianceIncludes, A.AllianceMilitary, A.AllianceHas, A.AllianceEq)


def _roles(cond: A.Cond) -> list[tuple[str, object]]:
    out = []
    for n in A.walk(cond):
        for attr in ("role", "other"):
            r = getattr(n, attr, None)
            if r in A.ROLES:
                out.append((r, n.span))
    return out


def _check_cond(cond: A.Cond, trigger: str | None, allow_alliance: bool, trail: str, out: list[Diagnostic]) -> None:
    for role, span in _roles(cond):
        if role in _ATTACK_ROLES and trigger not in ("armed-attack", "threat"):
            out.append(Diagnostic(code="E040", message=f"`{role}` has no meaning here: the clause is not triggered by an attack", span=span, trail=trail,
                                  hint="add `upon armed-attack` (or `upon threat`) to the clause"))
        if role == "actor" and trigger not in ("join", "purchase"):
            out.append(Diagnostic(code="E040", message="`actor` has no meaning here: the clause is not triggered by a state joining or buying", span=span, trail=trail,
                                  hint="add `upon join` (or `upon purchase`) to the clause"))
        if role == "seller" and trigger != "purchase":
            out.append(Diagnostic(code="E040", message="`seller` has no meaning here: the clause is not triggered by a purchase", span=span, trail=trail,
                                  hint="add `upon purchase` to the clause"))
    if not allow_alliance:
        for n in A.walk(cond):
            if isinstance(n, _ALLIANCE_NODES):
                out.append(Diagnostic(code="E040", message="`alliance` has no meaning here", span=n.span, trail=trail,
                                      hint="use it in `join-alliance where ...` or in a clause `upon join`"))


def check(c: Corpus) -> list[Diagnostic]:
    out: list[Diagnostic] = []
    for cl in c.clauses:
        node = cl.node
        trail = f"{cl.instrument} › {cl.heading}"
        trig = node.trigger
        join_ctx = trig == "join"
        if node.condition is not None:
            _check_cond(node.condition, trig, join_ctx, trail, out)
        if node.action.where is not None:
            _check_cond(node.action.where, trig, join_ctx or node.action.name == "join-alliance", trail, out)
        for q in node.qualifiers:
            if q.cond is not None:
                _check_cond(q.cond, trig, join_ctx, trail, out)
        for r in node.subject.other_than:
            if r in _ATTACK_ROLES and trig not in ("armed-attack", "threat"):
                out.append(Diagnostic(code="E040", message=f"`other than {r}` needs a clause triggered by an attack", span=node.subject.span, trail=trail))
        if node.action.obj in _ATTACK_ROLES and trig not in ("armed-attack", "threat"):
            out.append(Diagnostic(code="E040", message=f"`{node.action.obj}` has no meaning here: the clause is not triggered by an attack", span=node.action.span, trail=trail))
        if node.subject.mode == "each_author" and not c.instruments[cl.instrument].node.authors:
            out.append(Diagnostic(code="E041", message=f"`each author` but {cl.instrument} names no author", span=node.subject.span, trail=trail,
                                  hint="add `by CODE ...` to the instrument"))
        if not cl.article_text.strip():
            out.append(Diagnostic(code="E042", message=f"Article {cl.article} has no text", span=node.span, trail=trail,
                                  hint="quote the article: answers cite it"))
    for inst in c.instruments.values():
        for pr in inst.node.properties:
            trail = f"{inst.name} › property {pr.name}"
            ev = pr.event or "armed-attack"
            if pr.cond is not None:
                _check_cond(pr.cond, ev, ev == "join", trail, out)
            e = pr.expect
            if e is not None and e.who in _ATTACK_ROLES and ev not in ("armed-attack", "threat"):
                out.append(Diagnostic(code="E040", message=f"`{e.who}` has no meaning here: the property is not about an attack", span=e.span, trail=trail))
        for art, crit in inst.criteria:
            _check_cond(crit.cond, "join", False, f"{inst.name} › Article {art} › {crit.name}", out)
        rs = list(inst.node.restricts) + [r for a in inst.node.articles for r in a.items if isinstance(r, A.Restrict)]
        for r in rs:
            target = [cl for cl in c.clauses if cl.instrument == r.instrument and cl.article == r.article]
            trig = target[0].node.trigger if target else "armed-attack"
            _check_cond(r.cond, trig, trig == "join", f"{inst.name} › restriction of {r.instrument} Article {r.article}", out)
    return out
