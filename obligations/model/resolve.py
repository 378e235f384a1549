"""Surface trees -> core corpus: every declaration indexed, every name resolved once, every clause's steps built.

This is the one translation from what a file says to what the semantics reads (Catala's name resolution):
roles become `RoleRef`, state codes `StateRef` (checked), names of places, regions, terms and instruments are
checked where they are used, a reference to a definition becomes the definition itself (resolved for the
instrument that uses it), and each clause gets its ordered steps (model/steps.py). What cannot be resolved is
reported here, located at the name itself, with the closest known name as the suggestion.
"""

from __future__ import annotations

from collections.abc import Iterable

from obligations.diagnostics import Diagnostic, did_you_mean, closest
from obligations.model import core as C
from obligations.model.steps import clause_steps
from obligations.record import record
from obligations.source import Span
from obligations.syntax import ast as A
from obligations.vocab import READING_KINDS, ROLES, TEXT_QUALIFIERS, Deontic, Event, Role, Target

# How deep a condition may reach through nested parentheses and definitions together: evaluation recurses
# over this depth, so hostile input must end in a diagnostic, not a RecursionError.
MAX_DEPTH = 150

# Facts that settle the built-in open terms, with their argument kinds ("area": a place or a region).
BUILTIN_FACTS = {
    "in": ("area", "region"),             # settles `possibly-in`
    "sovereign": ("place", "state"),      # settles a disputed place
    "military": ("instrument",),          # settles whether a security arrangement is a military alliance
    "release": ("instrument", "state"),   # settles whether `constitutional` processes release a party
}


@record
class _Ctx:
    """Where a condition is resolved: whose definitions it sees and whose parties `party` means."""

    defs: str | None  # the instrument whose definitions (and its parent's) are visible
    members: str | None  # the instrument whose parties `is party` speaks of
    trail: str | None


class Resolver:
    """One corpus's resolution. It lets go of the surface tree as it goes: each instrument's once its clauses are
    resolved. What the caller still holds (a list of the files) stays alive, of course; `load_texts` hands the
    files over as they are parsed, so that a large corpus's trees are not all alive beside its core (ATOP x100:
    some 400 MB of trees)."""

    def __init__(self, files: Iterable[A.File], texts: dict[str, str] | None = None):
        self.files: Iterable[A.File] | None = files
        self.texts = texts or {}
        self.diags: list[Diagnostic] = []
        self.c = C.Corpus()
        self._surface_defs: dict[str, A.DefineDecl] = {}  # top level
        self._inst_defs: dict[str, dict[str, tuple[A.DefineDecl, str | None]]] = {}  # instrument -> name -> (decl, article)
        self._insts: dict[str, A.Instrument] = {}  # emptied once the clauses no longer need the trees (_clauses)
        self._parents: dict[str, str | None] = {}  # every instrument (the first of each name) -> its parent
        self._resolved: dict[tuple[int, str | None, str | None], C.Definition] = {}
        self._resolving: set[tuple[int, str | None, str | None]] = set()
        self._lines: dict[str, list[str]] = {}

    # -- diagnostics
    def _narrow(self, span: Span, name: str) -> Span:
        """The span of `name` itself inside a statement's span, when it is found on its first line."""
        text = self.texts.get(span.file)
        if text is None:
            return span
        lines = self._lines.get(span.file)
        if lines is None:
            # One file's lines at a time: resolution goes file by file, and a large corpus's lines all kept
            # would be its text again, in some millions of strings.
            self._lines = {span.file: text.split("\n")}
            lines = self._lines[span.file]
        if not 1 <= span.line <= len(lines):
            return span
        line = lines[span.line - 1]
        i = line.find(name, span.col - 1)
        while i >= 0:
            before = line[i - 1] if i > 0 else " "
            after = line[i + len(name)] if i + len(name) < len(line) else " "
            if not (before.isalnum() or before == "-") and not (after.isalnum() or after == "-"):
                return span.narrowed(i + 1, i + 1 + len(name))
            i = line.find(name, i + 1)
        return span

    def unknown(self, kind: str, name: str, span: Span, known, trail: str | None = None, extra: str | None = None) -> None:
        span = self._narrow(span, name)
        hits = closest(name, known)
        hint = f'did you mean "{hits[0]}"?' if hits else None
        if extra and not hits:
            hint = extra
        self.diags.append(Diagnostic(code="E012", message=f'unknown {kind} "{name}"', span=span, hint=hint, trail=trail,
                                     suggestion=hits[0] if hits else None))

    def err(self, code: str, message: str, span: Span, hint: str | None = None, trail: str | None = None) -> None:
        self.diags.append(Diagnostic(code=code, message=message, span=span, hint=hint, trail=trail))

    def dup(self, kind: str, name: str, node, first_span: Span) -> None:
        hint = f"the first declaration is at {first_span}"
        if first_span.file.startswith("treaties/") and not node.span.file.startswith("treaties/"):
            # How the bundled corpus is named wherever it is installed (model/load.py).
            hint = (f"the bundled corpus already declares it ({first_span}): use it as it is, or check the file "
                    f"by itself with --alone")
        self.err("E010", f'{kind} "{name}" is declared twice', node.span, hint=hint)

    # -- names
    def state(self, code: str, span: Span, trail: str | None = None) -> bool:
        if code in self.c.states:
            return True
        self.unknown("state", code, span, self.c.states, trail,
                     "declare it with `state CODE \"Name\"` (ISO 3166 alpha-3, see docs/LANGUAGE.md for historical codes)")
        return False

    def who(self, role: str, span: Span, trail: str | None) -> C.Who:
        if role in ROLES:
            return C.RoleRef(Role(role))
        self.state(role, span, trail)
        return C.StateRef(role)

    def region(self, name: str, span: Span, trail: str | None = None) -> bool:
        if name in self._region_names:
            return True
        self.unknown("region", name, span, self._region_names, trail)
        return False

    def instrument(self, name: str, span: Span, trail: str | None = None) -> bool:
        if name in self._parents:
            return True
        self.unknown("instrument", name, span, self._parents, trail)
        return False

    def term(self, name: str, arg: str | None, span: Span, trail: str | None, what: str) -> bool:
        t = self.c.terms.get(name)
        if t is None:
            self.unknown("term", name, span, self.c.terms, trail)
            return False
        if t.arg != arg:
            declared = "no argument" if t.arg is None else "of " + t.arg
            self.err("E013", f'term "{name}" does not apply to {what}', span, trail=trail,
                     hint=f"it is declared at {t.span} with {declared}")
            return False
        return True

    # -- the translation
    def run(self) -> tuple[C.Corpus, list[Diagnostic]]:
        items = [it for f in self.files for it in f.items]
        self.files = None
        self._declare(items)
        self._regions_and_places(items)
        for it in items:
            if isinstance(it, A.FactDecl):
                self._fact(it, None)
        del items  # what is still needed is indexed: the instruments, definitions, places and regions
        for d in self._surface_defs.values():
            got = self.definition(d, _Ctx(None, None, f"define {d.name}"), None, None)
            if got is not None:
                self.c.definitions[d.name] = got
        # Every instrument's definitions are known before any condition is resolved: a protocol reads its
        # treaty's, wherever the two are declared.
        for node in self._insts.values():
            defs = self._inst_defs.setdefault(node.name, {})
            for d in node.defines:
                self._add_define(defs, d, None)
            for art in node.articles:
                for item in art.items:
                    if isinstance(item, A.DefineDecl):
                        self._add_define(defs, item, art.ref)
        raw = []
        for name, node in self._insts.items():
            raw += self._instrument(node)
        self._clauses(raw)
        return self.c, self.diags

    def _declare(self, items: list) -> None:
        firsts: dict[tuple[str, str], Span] = {}

        def first(kind: str, name: str, node) -> bool:
            k = (kind, name)
            if k in firsts:
                self.dup(kind, name, node, firsts[k])
                return False
            firsts[k] = node.span
            return True

        for it in items:
            if isinstance(it, A.StateDecl) and first("state", it.code, it):
                codes = [C.CowCode(it.ccode, C.ALWAYS)] if it.ccode is not None else []
                codes += [C.CowCode(x.code, C.Interval(x.start, x.end)) for x in it.ccodes]
                self.c.states[it.code] = C.State(it.code, it.name, C.Interval(it.start, it.end), tuple(codes),
                                                 it.source, tuple(it.notes), it.span)
            elif isinstance(it, (A.RegionDecl, A.PlaceDecl)):
                # Places and regions share one namespace: either can be where an attack happens (`--at`).
                kind = "region" if isinstance(it, A.RegionDecl) else "place"
                k = ("area", it.name)
                if k in firsts:
                    self.err("E010", f'{kind} "{it.name}" is declared twice (places and regions share names)', it.span,
                             hint=f"the first declaration is at {firsts[k]}")
                else:
                    firsts[k] = it.span
            elif isinstance(it, A.TermDecl) and first("term", it.name, it):
                self.c.terms[it.name] = C.Term(it.name, it.question, it.arg,
                                               tuple(C.Reading(r.label, r.text) for r in it.readings), tuple(it.notes), it.span)
            elif isinstance(it, A.DefineDecl) and first("definition", it.name, it):
                self._surface_defs[it.name] = it
            elif isinstance(it, A.Instrument) and first("instrument", it.name, it):
                self._insts[it.name] = it
                self._parents[it.name] = it.parent
        # Region and place names are needed before either is built (a region may include places).
        self._region_names: dict[str, A.RegionDecl] = {}
        self._place_names: dict[str, A.PlaceDecl] = {}
        for it in items:
            if isinstance(it, A.RegionDecl) and it.name not in self._place_names:
                self._region_names.setdefault(it.name, it)
            elif isinstance(it, A.PlaceDecl) and it.name not in self._region_names:
                self._place_names.setdefault(it.name, it)
        # Placeholders so that lookups of names work while the bodies are resolved.

    def _regions_and_places(self, items: list) -> None:
        for it in items:
            if isinstance(it, A.RegionDecl) and self._region_names.get(it.name) is it:
                trail = f"region {it.name}"
                inc_r, inc_p, exc_r, exc_p = [], [], [], []
                for names, regs, plcs in ((it.includes, inc_r, inc_p), (it.excludes, exc_r, exc_p)):
                    for n in names:
                        if n in self._region_names:
                            regs.append(n)
                        elif n in self._place_names:
                            plcs.append(n)
                        else:
                            self.unknown("region or place", n, it.span, set(self._region_names) | set(self._place_names), trail)
                for pi in it.possibly_in:
                    self.region(pi.region, pi.span, trail)
                self.c.regions[it.name] = C.Region(
                    it.name, it.title, tuple(inc_r), tuple(inc_p), tuple(exc_r), tuple(exc_p),
                    tuple(C.PossiblyIn(pi.region, pi.why, pi.span) for pi in it.possibly_in if pi.region in self._region_names),
                    it.source, tuple(it.notes), it.span)
            elif isinstance(it, A.PlaceDecl) and self._place_names.get(it.name) is it:
                trail = f"place {it.name}"
                for h in it.territory_of + it.administered_by:
                    self.state(h.state, h.span, trail)
                for code in it.claimed_by:
                    self.state(code, it.span, trail)
                for reg in it.regions:
                    self.region(reg, it.span, trail)
                for pi in it.possibly_in:
                    self.region(pi.region, pi.span, trail)
                hold = lambda hs: tuple(C.Holding(h.state, C.Interval(h.start, h.end), h.span) for h in hs)
                self.c.places[it.name] = C.Place(
                    it.name, it.title, it.island, it.metropolitan, hold(it.territory_of), hold(it.administered_by),
                    tuple(it.claimed_by), tuple(r for r in it.regions if r in self._region_names),
                    tuple(C.PossiblyIn(pi.region, pi.why, pi.span) for pi in it.possibly_in if pi.region in self._region_names),
                    it.source, tuple(it.notes), it.span)

    def _fact(self, f: A.FactDecl, instrument: str | None, article: A.Article | None = None) -> None:
        trail = f"instrument {instrument}" if instrument else None
        if f.term in BUILTIN_FACTS:
            kinds = BUILTIN_FACTS[f.term]
        elif f.term in self.c.terms:
            t = self.c.terms[f.term]
            kinds = () if t.arg is None else (t.arg,)
        else:
            self.unknown("term", f.term, f.span, list(self.c.terms) + list(BUILTIN_FACTS), trail)
            return
        if len(f.args) != len(kinds):
            self.err("E013", f'"{f.term}" takes {len(kinds)} argument(s) ({", ".join(kinds) or "none"}), not {len(f.args)}',
                     f.span, trail=trail)
            return
        ok = True
        for arg, kind in zip(f.args, kinds):
            if arg == "*":
                continue
            if kind == "state":
                ok &= self.state(arg, f.span, trail)
            elif kind == "place":
                if arg not in self._place_names:
                    self.unknown("place", arg, f.span, self._place_names, trail)
                    ok = False
            elif kind == "area":
                if arg not in self._place_names and arg not in self._region_names:
                    self.unknown("place or region", arg, f.span, set(self._place_names) | set(self._region_names), trail)
                    ok = False
            elif kind == "region":
                ok &= self.region(arg, f.span, trail)
            elif kind == "instrument":
                ok &= self.instrument(arg, f.span, trail)
        for code in f.parties:
            ok &= self.state(code, f.span, trail)
        if not ok:
            return
        node = self._insts.get(instrument or "")
        reading = node is not None and node.kind in READING_KINDS
        scope = node.parent if reading and node.parent in self._insts else None
        if f.parties:
            parties: tuple[str, ...] | None = tuple(f.parties)
        elif reading and node.authors and scope is not None:
            # A reading made by one state settles nothing for another unless the text says so.
            parties = tuple(node.authors)
        else:
            parties = None
        when = None
        if f.when is not None:
            ctx_inst = scope or instrument
            members = self._members_ctx(self._insts[ctx_inst]) if ctx_inst in self._insts else None
            when = self.cond(f.when, _Ctx(ctx_inst, members, trail))
        self.c.facts.append(C.Fact(
            f.negated, f.term, tuple(f.args), C.Interval(f.start, f.end), f.grounds, instrument, f.span,
            reading=reading, scope=scope, parties=parties, when=when, authors=tuple(node.authors) if node else (),
            quote=article.text if article is not None else None, article=article.ref if article is not None else None))

    # -- conditions
    def _lookup_define(self, name: str, ctx: _Ctx) -> tuple[A.DefineDecl, str | None, str | None] | None:
        """(declaration, instrument, article): the instrument's own, then its parent's, then the top level."""
        if ctx.defs is not None:
            for owner in (ctx.defs, self._parents.get(ctx.defs)):
                got = self._inst_defs.get(owner or "", {}).get(name)
                if got is not None:
                    return got[0], owner, got[1]
        d = self._surface_defs.get(name)
        return (d, None, None) if d is not None else None

    def definition(self, d: A.DefineDecl, ctx: _Ctx, owner: str | None, article: str | None, depth: int = 0) -> C.Definition | None:
        key = (id(d), ctx.defs, ctx.members)
        got = self._resolved.get(key)
        if got is not None:
            return got
        if key in self._resolving:
            self.err("E014", f'definition "{d.name}" refers to itself', d.span, trail=ctx.trail,
                     hint="a definition may use others, but no chain of them may lead back to it")
            return None
        self._resolving.add(key)
        try:
            cond = self.cond(d.cond, _Ctx(ctx.defs, ctx.members, f"{ctx.trail} › {d.name}" if ctx.trail else f"define {d.name}"), depth)
        finally:
            self._resolving.discard(key)
        out = self._resolved[key] = C.Definition(d.name, d.title, cond, owner, article, d.span)
        return out

    def cond(self, c: A.Cond, ctx: _Ctx, depth: int = 0) -> C.Cond:
        sp = c.span
        if depth > MAX_DEPTH:
            self.err("E006", f"condition nested more than {MAX_DEPTH} levels deep (through definitions)", sp,
                     trail=ctx.trail, hint="simplify the chain of definitions")
            return C.Const(sp, False)
        t = ctx.trail
        members = ctx.members or ""
        match c:
            case A.And(items=items):
                return C.And(sp, tuple(self.cond(x, ctx, depth + 1) for x in items))
            case A.Or(items=items):
                return C.Or(sp, tuple(self.cond(x, ctx, depth + 1) for x in items))
            case A.Not(item=x):
                return C.Not(sp, self.cond(x, ctx, depth + 1))
            case A.Const(value=v):
                return C.Const(sp, v)
            case A.IsParty(role=r):
                return C.IsParty(sp, self.who(r, sp, t), members)
            case A.IsDesignated(role=r):
                return C.IsDesignated(sp, self.who(r, sp, t), members)
            case A.RoleHas(role=r, term=term):
                who = self.who(r, sp, t)
                return C.StateTerm(sp, who, term) if self.term(term, "state", self._narrow(sp, term), t, "a state") else C.Const(sp, False)
            case A.RoleEq(role=r, other=o):
                return C.SameState(sp, self.who(r, sp, t), self.who(o, sp, t))
            case A.RoleIn(role=r, codes=cs):
                for code in cs:
                    self.state(code, sp, t)
                return C.StateIn(sp, self.who(r, sp, t), tuple(cs))
            case A.Dispute(role=r, other=o):
                return C.Dispute(sp, self.who(r, sp, t), self.who(o, sp, t) if o is not None else None, members)
            case A.PlaceIn(region=g):
                return C.PlaceIn(sp, g) if self.region(g, sp, t) else C.Const(sp, False)
            case A.PlaceEq(place=p):
                if p not in self._place_names and p not in self._region_names:
                    self.unknown("place", p, sp, set(self._place_names) | set(self._region_names), t)
                    return C.Const(sp, False)
                return C.PlaceIs(sp, p)
            case A.PlaceTerritory(role=r):
                return C.PlaceTerritory(sp, self.who(r, sp, t))
            case A.PlaceAdministered(role=r):
                return C.PlaceAdministered(sp, self.who(r, sp, t))
            case A.PlaceClaimed(role=r):
                return C.PlaceClaimed(sp, self.who(r, sp, t))
            case A.PlaceHas(term=term):
                return C.PlaceTerm(sp, term) if self.term(term, "place", self._narrow(sp, term), t, "a place") else C.Const(sp, False)
            case A.PlaceAttr(attr=a):
                return C.PlaceAttr(sp, a)
            case A.TargetIn(targets=ts):
                return C.TargetIn(sp, tuple(Target(x) for x in ts))
            case A.DateCmp(op=op, date=d):
                return C.DateCmp(sp, op, d)
            case A.AllianceIncludes(role=r):
                return C.AllianceIncludes(sp, self.who(r, sp, t))
            case A.AllianceMilitary():
                return C.AllianceMilitary(sp)
            case A.AllianceHas(term=term):
                return C.AllianceTerm(sp, term) if self.term(term, "instrument", self._narrow(sp, term), t, "an instrument") else C.Const(sp, False)
            case A.AllianceEq(instrument=i):
                return C.AllianceIs(sp, i) if self.instrument(i, sp, t) else C.Const(sp, False)
            case A.Ref(name=n):
                found = self._lookup_define(n, ctx)
                if found is not None:
                    decl, owner, article = found
                    d = self.definition(decl, ctx, owner, article, depth + 1)
                    return C.Defined(sp, d) if d is not None else C.Const(sp, False)
                term = self.c.terms.get(n)
                if term is None:
                    known = set(self._surface_defs) | set(self.c.terms)
                    if ctx.defs is not None:
                        known |= set(self._inst_defs.get(ctx.defs, {}))
                    self.unknown("definition or term", n, sp, known, t)
                    return C.Const(sp, False)
                if term.arg is not None:
                    self.err("E013", f'term "{n}" needs an argument', sp, trail=t,
                             hint=f"write `attacker is {n}` (or another role)" if term.arg == "state" else
                             f"write `place is {n}`" if term.arg == "place" else f"write `alliance is {n}`")
                    return C.Const(sp, False)
                return C.Term0(sp, n)
        raise AssertionError(f"no resolution for {type(c).__name__}")

    # -- instruments
    def _members_ctx(self, node: A.Instrument) -> str:
        """Whose parties `is party` means in this instrument: its own, or, for an understanding, statement or
        protocol with no parties of its own, those of the treaty it belongs to."""
        if not node.parties and node.parent and node.parent in self._parents:
            return node.parent
        return node.name

    def _instrument(self, node: A.Instrument) -> list:
        name = node.name
        trail = name
        if node.parent:
            self.instrument(node.parent, node.span, trail)
        for code in node.authors + node.addressees:
            self.state(code, node.span, trail)
        default_start = None if node.draft else node.in_force
        mem, des, sus = [], [], []
        for group, out in ((node.parties, mem), (node.designates, des)):
            for p in group:
                if p.start is None and default_start and p.end and p.end <= default_start:
                    # (An explicit `from` after `until` is already an error of the interval.)
                    self.err("E034", f"this spell of {' '.join(p.codes)} in {name} ends on {p.end}, before it begins: "
                                     f"a spell without `from` begins when {name} enters into force ({default_start})",
                             p.span, f"give the day it began: `{'parties' if group is node.parties else 'designates'} "
                                     f"{' '.join(p.codes)} from DATE until {p.end}`", trail)
                for code in p.codes:
                    self.state(code, p.span, trail)
                    out.append(C.Membership(code, C.Interval(p.start or default_start, p.end), p.note, p.span))
        for s in node.suspensions:
            self.state(s.state, s.span, trail)
            if s.toward:
                self.state(s.toward, s.span, trail)
            sus.append(C.Suspension(s.state, s.toward, C.Interval(s.start, s.end), s.note, s.span))
        binding = node.binding or ("none" if node.draft else "legal")
        inst = C.Instrument(
            name=name, kind=node.kind, title=node.title, short=node.short, draft=node.draft, binding=binding,
            category=node.category, signed=node.signed, entry_into_force=node.in_force, terminated=node.terminated,
            terminated_note=node.terminated_note, parent=node.parent, authors=tuple(node.authors),
            addressees=tuple(node.addressees), atop=tuple(node.atop), source=node.source, notes=tuple(node.notes),
            span=node.span, memberships=tuple(mem), designations=tuple(des), suspensions=tuple(sus))
        self.c.instruments[name] = inst
        defs = self._inst_defs[name]
        for f in node.facts:
            self._fact(f, name)
        seen_articles: dict[str, A.Article] = {}
        raw = []
        articles = []
        for art in node.articles:
            if art.ref in seen_articles:
                self.err("E011", f'Article {art.ref} appears twice in "{name}"', art.span, trail=name,
                         hint=f"the first is at {seen_articles[art.ref].span}; number paragraphs apart, e.g. IV(1) and IV(2)")
                continue
            seen_articles[art.ref] = art
            articles.append(C.Article(art.ref, art.text, tuple(it.text for it in art.items if isinstance(it, A.Note)), art.span))
            n = 0
            labels: set[str] = set()
            for item in art.items:
                if isinstance(item, A.Clause):
                    n += 1
                    if item.label and item.label in labels:
                        self.err("E010", f'clause "{item.label}" is declared twice in Article {art.ref}', item.span,
                                 trail=f"{name} › Article {art.ref}")
                    if item.label:
                        labels.add(item.label)
                    raw.append((node, art, item, n))
                elif isinstance(item, A.FactDecl):
                    self._fact(item, name, art)
        inst.articles = tuple(articles)
        ctx = _Ctx(name, self._members_ctx(node), name)
        for d, _ in list(defs.values()):
            self.definition(d, _Ctx(name, ctx.members, f"{name}"), name, defs[d.name][1])
        inst.definitions = {n: self._resolved[(id(d), name, ctx.members)] for n, (d, _) in defs.items()
                            if (id(d), name, ctx.members) in self._resolved}
        crits = []
        for art in node.articles:
            for item in art.items:
                if isinstance(item, A.Criterion):
                    cctx = _Ctx(name, ctx.members, f"{name} › Article {art.ref} › {item.name}")
                    crits.append(C.Criterion(item.name, item.title, art.ref, self.cond(item.cond, cctx), item.span))
        inst.criteria = tuple(crits)
        inst.properties = tuple(self._property(node, pr, ctx) for pr in self._unique_properties(node))
        return raw

    def _unique_properties(self, node: A.Instrument):
        seen: set[str] = set()
        for pr in node.properties:
            if pr.name in seen:
                self.err("E010", f'property "{pr.name}" is declared twice', pr.span, trail=f"{node.name} › property {pr.name}")
                continue
            seen.add(pr.name)
            yield pr

    def _property(self, node: A.Instrument, pr: A.Property, ctx: _Ctx) -> C.Property:
        from obligations.syntax.format import cond_text, expectation_text

        trail = f"{node.name} › property {pr.name}"
        pctx = _Ctx(ctx.defs, ctx.members, trail)
        cond = self.cond(pr.cond, pctx) if pr.cond is not None else None
        e = pr.expect
        exp = None
        if e is not None:
            who = self.who(e.who, e.span, trail) if e.who else None
            act = e.action
            exp = C.Expectation(mode=e.mode, span=e.span, who=who, count=e.count,
                                deontic=Deontic(e.deontic) if e.deontic else None,
                                action=act.name if act else None, obj=act.obj if act else None, text=expectation_text(e))
        return C.Property(pr.name, pr.statement, Event(pr.event) if pr.event else None, cond,
                          cond_text(pr.cond) if pr.cond is not None else None, tuple(pr.dates), exp, pr.span)

    def _add_define(self, defs: dict, d: A.DefineDecl, article: str | None) -> None:
        if d.name in defs:
            self.dup("definition", d.name, d, defs[d.name][0].span)
            return
        defs[d.name] = (d, article)

    # -- clauses, with the restrictions other instruments put on them
    def _clauses(self, raw: list) -> None:
        restricts: dict[tuple[str, str], list[tuple[A.Restrict, str]]] = {}
        for node in self._insts.values():
            rs = list(node.restricts) + [r for a in node.articles for r in a.items if isinstance(r, A.Restrict)]
            for r in rs:
                target = self._insts.get(r.instrument)
                arts = [a.ref for a in target.articles] if target is not None else []
                if target is None:
                    self.unknown("instrument", r.instrument, r.span, self._insts, node.name)
                elif r.article not in arts:
                    self.unknown(f'article of "{r.instrument}"', r.article, r.span, arts, node.name)
                if target is None or r.article not in arts:
                    self.cond(r.cond, _Ctx(node.name, node.name, node.name))  # its own names are still checked
                    continue
                if r.party:
                    self.state(r.party, r.span, node.name)
                restricts.setdefault((r.instrument, r.article), []).append((r, node.name))
        # From here on only the instruments' names and parents are read (self._parents): each instrument's tree
        # can go once its last clause is resolved, when nothing else holds it (see the class's docstring).
        self._insts.clear()
        for k in range(len(raw)):
            node, art, item, n = raw[k]
            raw[k] = None
            name = node.name
            trail = f"{name} › Article {art.ref}" + (f" › {item.label}" if item.label else "")
            ctx = _Ctx(name, self._members_ctx(node), trail)
            subj = item.subject
            if subj.mode == "named":
                self.state(subj.code, self._narrow(subj.span, subj.code), trail)
            excluded = []
            for r in subj.other_than:
                if r in ROLES:
                    excluded.append(Role(r))
                else:
                    self.err("E043", f"`other than {r}`: name a role (victim, attacker, actor, seller)",
                             self._narrow(subj.span, r), trail=trail,
                             hint="to leave a named state out, use a condition, e.g. `if not victim = " + r + "`")
            subject = C.Subject(subj.mode, tuple(excluded), subj.code, subj.span)
            obj = item.action.obj
            if obj is None:
                cobj = None
            elif obj in ROLES:
                cobj = C.RoleRef(Role(obj))
            elif obj.isupper():
                self.state(obj, item.action.span, trail)
                cobj = C.StateRef(obj)
            else:
                cobj = obj  # a name: a system or weapon the action is about
            cond = self.cond(item.condition, ctx) if item.condition is not None else None
            where = self.cond(item.action.where, ctx) if item.action.where is not None else None
            quals = []
            for q in item.qualifiers:
                quals.append((q, self.cond(q.cond, ctx) if q.cond is not None else None))
            rests = []
            for r, source in restricts.get((name, art.ref), []):
                rctx = _Ctx(name, ctx.members, f"{source} › restriction of {name} Article {art.ref}")
                rests.append((r, source, self.cond(r.cond, rctx)))
            cid = f"{name}:{art.ref}:{item.label or n}"
            means = [q for q in item.qualifiers if q.mode in ("discretionary", "means-all")]
            if len(means) > 1:
                self.err("E044", "the clause states its means twice (`means discretionary` and `means all` say "
                                 "opposite things)", means[1].span,
                         f"keep the one the article says; the other is at {means[0].span}", trail)
            trigger = Event(item.trigger) if item.trigger else None
            steps = clause_steps(name, item, trigger, subject, cobj, cond, where, quals, rests)
            self.c.clauses.append(C.Clause(
                id=cid, instrument=name, article=art.ref, article_text=art.text, label=item.label, index=n,
                span=item.span, trigger=trigger, subject=subject, deontic=Deontic(item.deontic),
                action=item.action.name, obj=cobj, steps=steps, where=where, action_span=item.action.span,
                qualifiers=tuple(C.Qualifier(q.mode, q.text or "") for q in item.qualifiers
                                 if q.mode in TEXT_QUALIFIERS)))


def resolve(files: Iterable[A.File], texts: dict[str, str] | None = None) -> tuple[C.Corpus, list[Diagnostic]]:
    """Surface files -> the core corpus and what could not be resolved. `files` is read once, in order (an
    iterator that parses them as it goes lets each file's tree go once resolved: see Resolver)."""
    r = Resolver(files, texts)
    del files
    return r.run()
