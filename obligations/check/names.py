"""Every name a file uses must be declared somewhere in the corpus."""

from __future__ import annotations

from obligations.diagnostics import Diagnostic, did_you_mean
from obligations.model.corpus import Corpus
from obligations.syntax import ast as A


class _Ctx:
    def __init__(self, corpus: Corpus):
        self.c = corpus
        self.out: list[Diagnostic] = []

    def narrow(self, span, name: str):
        """The span of `name` itself inside a statement's span, when it can be found on its first line."""
        text = self.c.texts.get(span.file)
        if text is None:
            return span
        lines = text.split("\n")
        if not 1 <= span.line <= len(lines):
            return span
        line = lines[span.line - 1]
        i = line.find(name, span.col - 1)
        while i >= 0:
            before = line[i - 1] if i > 0 else " "
            after = line[i + len(name)] if i + len(name) < len(line) else " "
            if not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-"):
                return span.model_copy(update={"col": i + 1, "end_line": span.line, "end_col": i + 1 + len(name)})
            i = line.find(name, i + 1)
        return span

    def unknown(self, kind: str, name: str, span, known, trail: str | None = None, extra: str | None = None) -> None:
        span = self.narrow(span, name)
        hint = did_you_mean(name, known)
        if extra:
            hint = f"{hint} {extra}" if hint else extra
        self.out.append(Diagnostic(code="E012", message=f'unknown {kind} "{name}"', span=span, hint=hint, trail=trail))

    def state(self, code: str, span, trail=None) -> None:
        if code not in self.c.states:
            self.unknown("state", code, span, self.c.states, trail,
                         None if did_you_mean(code, self.c.states) else "declare it with `state CODE \"Name\"` (ISO 3166 alpha-3, see docs/LANGUAGE.md for historical codes)")

    def region(self, name: str, span, trail=None) -> None:
        if name not in self.c.regions:
            self.unknown("region", name, span, self.c.regions, trail)

    def place(self, name: str, span, trail=None) -> None:
        if name not in self.c.places:
            self.unknown("place", name, span, self.c.places, trail)

    def instrument(self, name: str, span, trail=None) -> None:
        if name not in self.c.instruments:
            self.unknown("instrument", name, span, self.c.instruments, trail)

    def role(self, role: str, span, trail=None) -> None:
        if role not in A.ROLES:
            self.state(role, span, trail)

    def cond(self, cond: A.Cond, instrument: str | None, trail: str | None) -> None:
        for n in A.walk(cond):
            if isinstance(n, (A.IsParty, A.IsDesignated, A.PlaceTerritory, A.PlaceAdministered, A.PlaceClaimed, A.AllianceIncludes)):
                self.role(n.role, n.span, trail)
            elif isinstance(n, A.RoleHas):
                self.role(n.role, n.span, trail)
                t = self.c.terms.get(n.term)
                if t is None:
                    self.unknown("term", n.term, n.span, self.c.terms, trail)
                elif t.arg != "state":
                    self.out.append(Diagnostic(code="E013", message=f'term "{n.term}" does not apply to a state', span=n.span, trail=trail,
                                               hint=f"it is declared at {t.span} with {'no argument' if t.arg is None else 'of ' + t.arg}"))
            elif isinstance(n, A.Dispute):
                self.role(n.role, n.span, trail)
                if n.other:
                    self.role(n.other, n.span, trail)
            elif isinstance(n, A.RoleEq):
                self.role(n.role, n.span, trail)
                self.role(n.other, n.span, trail)
            elif isinstance(n, A.RoleIn):
                self.role(n.role, n.span, trail)
                for code in n.codes:
                    self.state(code, n.span, trail)
            elif isinstance(n, A.PlaceIn):
                self.region(n.region, n.span, trail)
            elif isinstance(n, A.PlaceEq):
                self.place(n.place, n.span, trail)
            elif isinstance(n, A.PlaceHas):
                t = self.c.terms.get(n.term)
                if t is None:
                    self.unknown("term", n.term, n.span, self.c.terms, trail)
                elif t.arg != "place":
                    self.out.append(Diagnostic(code="E013", message=f'term "{n.term}" does not apply to a place', span=n.span, trail=trail))
            elif isinstance(n, A.AllianceHas):
                t = self.c.terms.get(n.term)
                if t is None:
                    self.unknown("term", n.term, n.span, self.c.terms, trail)
                elif t.arg != "instrument":
                    self.out.append(Diagnostic(code="E013", message=f'term "{n.term}" does not apply to an instrument', span=n.span, trail=trail))
            elif isinstance(n, A.AllianceEq):
                self.instrument(n.instrument, n.span, trail)
            elif isinstance(n, A.Ref):
                if self.c.lookup_define(n.name, instrument) is None:
                    t = self.c.terms.get(n.name)
                    if t is None:
                        known = set(self.c.defines) | set(self.c.terms)
                        if instrument in self.c.instruments:
                            known |= set(self.c.instruments[instrument].defines)
                        self.unknown("definition or term", n.name, n.span, known, trail)
                    elif t.arg is not None:
                        self.out.append(Diagnostic(code="E013", message=f'term "{n.name}" needs an argument', span=n.span, trail=trail,
                                                   hint=f"write `attacker is {n.name}` (or another role)" if t.arg == "state" else None))


def check(c: Corpus) -> list[Diagnostic]:
    x = _Ctx(c)
    for r in c.regions.values():
        for sub in r.includes + r.excludes:
            # A region is built from regions and places (a drafter's region can take in a bundled place).
            if sub not in c.regions and sub not in c.places:
                x.unknown("region or place", sub, r.span, set(c.regions) | set(c.places), f"region {r.name}")
        for pi in r.possibly_in:
            x.region(pi.region, pi.span, f"region {r.name}")
    for p in c.places.values():
        trail = f"place {p.name}"
        for h in p.territory_of + p.administered_by:
            x.state(h.state, h.span, trail)
        for code in p.claimed_by:
            x.state(code, p.span, trail)
        for reg in p.regions:
            x.region(reg, p.span, trail)
        for pi in p.possibly_in:
            x.region(pi.region, pi.span, trail)
    for d in c.defines.values():
        x.cond(d.cond, None, f"define {d.name}")
    for f in c.facts:
        _fact(x, f)
    for inst in c.instruments.values():
        n = inst.node
        trail = n.name
        if n.parent:
            x.instrument(n.parent, n.span, trail)
        for code in n.authors + n.addressees:
            x.state(code, n.span, trail)
        for m in inst.memberships + inst.designations:
            x.state(m.state, m.span, trail)
        for s in inst.suspensions:
            x.state(s.state, s.span, trail)
            if s.toward:
                x.state(s.toward, s.span, trail)
        for d in inst.defines.values():
            x.cond(d.cond, n.name, f"{trail} › {d.name}")
        restricts = list(n.restricts) + [r for a in n.articles for r in a.items if isinstance(r, A.Restrict)]
        for r in restricts:
            if r.instrument not in c.instruments:
                x.unknown("instrument", r.instrument, r.span, c.instruments, trail)
            else:
                arts = [a.ref for a in c.instruments[r.instrument].node.articles]
                if r.article not in arts:
                    x.unknown(f'article of "{r.instrument}"', r.article, r.span, arts, trail)
            if r.party:
                x.state(r.party, r.span, trail)
            x.cond(r.cond, r.instrument, trail)
    for cl in c.clauses:
        trail = f"{cl.instrument} › {cl.heading}"
        node = cl.node
        if node.subject.mode == "named":
            x.state(node.subject.code, node.subject.span, trail)
        else:
            for r in node.subject.other_than:
                x.role(r, node.subject.span, trail)
        obj = node.action.obj
        if obj and obj not in A.ROLES and obj.isupper():
            x.state(obj, node.action.span, trail)
        for cond in A.clause_conds(node):
            x.cond(cond, cl.instrument, trail)
    for inst in c.instruments.values():
        for art, crit in inst.criteria:
            x.cond(crit.cond, inst.name, f"{inst.name} › Article {art} › {crit.name}")
        seen: set[str] = set()
        for pr in inst.node.properties:
            trail = f"{inst.name} › property {pr.name}"
            if pr.name in seen:
                x.out.append(Diagnostic(code="E010", message=f'property "{pr.name}" is declared twice', span=pr.span, trail=trail))
            seen.add(pr.name)
            if pr.cond is not None:
                x.cond(pr.cond, inst.name, trail)
            if pr.expect is not None and pr.expect.who:
                x.role(pr.expect.who, pr.expect.span, trail)
    return x.out


def _fact(x: _Ctx, f) -> None:
    c = x.c
    trail = f"instrument {f.instrument}" if f.instrument else None
    if f.term in A.BUILTIN_FACTS:
        kinds = A.BUILTIN_FACTS[f.term]
    elif f.term in c.terms:
        t = c.terms[f.term]
        kinds = () if t.arg is None else (t.arg,)
    else:
        x.unknown("term", f.term, f.span, list(c.terms) + list(A.BUILTIN_FACTS), trail)
        return
    if len(f.args) != len(kinds):
        x.out.append(Diagnostic(code="E013", message=f'"{f.term}" takes {len(kinds)} argument(s) ({", ".join(kinds) or "none"}), not {len(f.args)}', span=f.span, trail=trail))
        return
    for arg, kind in zip(f.args, kinds):
        if arg == "*":
            continue
        if kind == "state":
            x.state(arg, f.span, trail)
        elif kind == "place":
            x.place(arg, f.span, trail)
        elif kind == "region":
            x.region(arg, f.span, trail)
        elif kind == "instrument":
            x.instrument(arg, f.span, trail)
