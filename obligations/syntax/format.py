"""Surface tree -> canonical text. Keeps comments; idempotent; meaning-preserving.

The canonical form: one statement per line in a fixed order, two spaces of
indentation per block, long strings wrapped at single spaces (the parser folds
a line break inside a string back into one space), long conditions broken
before a top-level `and`/`or`.
"""

from __future__ import annotations

import re

from obligations.syntax import ast as A

WIDTH = 96


def quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _wrap_string(s: str, first_col: int, indent: int, width: int = WIDTH) -> list[str]:
    """Pieces of the quoted string, one per output line. Breaks only where exactly
    one space separates two words, so folding restores the text exactly."""
    q = quote(s)
    if first_col + len(q) <= width:
        return [q]
    pieces: list[str] = []
    cur = ""
    col = first_col
    # Split at single spaces only (not at runs of spaces, which must survive as written).
    tokens = re.split(r"(?<=\S) (?=\S)", q)
    for i, tok in enumerate(tokens):
        if not cur:
            cur = tok
            continue
        if col + len(cur) + 1 + len(tok) > width:
            pieces.append(cur)
            cur = tok
            col = indent
        else:
            cur += " " + tok
    pieces.append(cur)
    return pieces


_PREC = {"or": 1, "and": 2, "not": 3}


def cond_text(c: A.Cond, prec: int = 0) -> str:
    if isinstance(c, A.Or):
        s = " or ".join(cond_text(x, 1) for x in c.items)
        return f"({s})" if prec > 1 else s
    if isinstance(c, A.And):
        s = " and ".join(cond_text(x, 2) for x in c.items)
        return f"({s})" if prec > 2 else s
    if isinstance(c, A.Not):
        return "not " + cond_text(c.item, 3)
    return _atom(c)


def _atom(c: A.Cond) -> str:
    match c:
        case A.Const(value=v):
            return "true" if v else "false"
        case A.IsParty(role=r):
            return f"{r} is party"
        case A.IsDesignated(role=r):
            return f"{r} is designated"
        case A.RoleHas(role=r, term=t):
            return f"{r} is {t}"
        case A.RoleEq(role=r, other=o):
            return f"{r} = {o}"
        case A.RoleIn(role=r, codes=cs):
            return f"{r} in {{{' '.join(cs)}}}"
        case A.Dispute(role=r, other=o):
            return f"{r} has-dispute-with {o or 'party'}"
        case A.PlaceIn(region=g):
            return f"place in {g}"
        case A.PlaceEq(place=p):
            return f"place = {p}"
        case A.PlaceTerritory(role=r):
            return f"place is territory-of {r}"
        case A.PlaceAdministered(role=r):
            return f"place is administered-by {r}"
        case A.PlaceClaimed(role=r):
            return f"place is claimed-by {r}"
        case A.PlaceHas(term=t):
            return f"place is {t}"
        case A.PlaceAttr(attr=a):
            return f"place is {a}"
        case A.TargetIn(targets=ts):
            return f"target is {ts[0]}" if len(ts) == 1 else f"target in {{{', '.join(ts)}}}"
        case A.DateCmp(op=op, date=d):
            return f"date {op} {d.isoformat()}"
        case A.AllianceIncludes(role=r):
            return f"alliance includes {r}"
        case A.AllianceMilitary():
            return "alliance is military"
        case A.AllianceHas(term=t):
            return f"alliance is {t}"
        case A.AllianceEq(instrument=i):
            return f"alliance = {i}"
        case A.Ref(name=n):
            return n
    raise AssertionError(f"no printer for {type(c).__name__}")


def _layout(c: A.Cond, prec: int, col: int, cont: int) -> list[str]:
    """`c` printed from column `col`: one line where it fits, else broken before each `and`/`or` of the
    outermost connective that is too long, its items at column `cont` and deeper groups two further in. The
    first line carries no indentation; the others carry all of theirs. (One rule for every condition: the
    parser reads a condition across lines, so only the layout changes.)"""
    one = cond_text(c, prec)
    if col + len(one) <= WIDTH or not isinstance(c, (A.And, A.Or, A.Not)):
        return [one]
    if isinstance(c, A.Not):
        sub = _layout(c.item, 3, col + 4, cont)
        return ["not " + sub[0]] + sub[1:]
    word, inner = ("and", 2) if isinstance(c, A.And) else ("or", 1)
    paren = prec > inner
    out: list[str] = []
    for k, x in enumerate(c.items):
        if k == 0:
            sub = _layout(x, inner, col + paren, cont + 2)
            out = [("(" if paren else "") + sub[0]] + sub[1:]
        else:
            sub = _layout(x, inner, cont + len(word) + 1, cont + 2)
            out.append(" " * cont + f"{word} {sub[0]}")
            out.extend(sub[1:])
    if paren:
        out[-1] += ")"
    return out


def _interval(start, end) -> str:
    s = ""
    if start:
        s += f" from {start.isoformat()}"
    if end:
        s += f" until {end.isoformat()}"
    return s


class _Printer:
    def __init__(self, comments: list[A.Comment], source: str | None = None):
        self.lines: list[str] = []
        self.comments = sorted(comments, key=lambda c: (c.line, c.col))
        self.ci = 0
        # The source's blank lines: a drafter's blank line between groups of statements is kept.
        self.blank_before: set[int] = set()
        if source is not None:
            src = source.split("\n")
            self.blank_before = {i + 2 for i, ln in enumerate(src) if not ln.strip()}

    def _keep_blank(self, line: int) -> None:
        lead = line
        if self.ci < len(self.comments) and self.comments[self.ci].line < line:
            lead = self.comments[self.ci].line
        if lead in self.blank_before and self.lines and self.lines[-1] != "":
            self.lines.append("")

    def _flush_before(self, line: int, indent: int) -> None:
        while self.ci < len(self.comments) and self.comments[self.ci].line < line:
            self.lines.append(" " * indent + self.comments[self.ci].text)
            self.ci += 1

    def emit(self, indent: int, text: str, src_line: int | None = None, extra: list[str] | None = None) -> None:
        """One statement: its first line (`text`), then continuation lines (`extra`)."""
        if src_line is not None:
            self._keep_blank(src_line)
            self._flush_before(src_line, indent)
        first = " " * indent + text
        rest = [" " * (indent + 2) + e for e in (extra or [])]
        if src_line is not None and self.ci < len(self.comments) and self.comments[self.ci].line == src_line:
            # A trailing comment stays at the end of a one-line statement. Over a statement printed on several
            # lines it goes on a line of its own just above: after the last line it would be read back as a
            # comment before the next statement, and printing would not be idempotent.
            if rest:
                self.lines.append(" " * indent + self.comments[self.ci].text)
            else:
                first += "  " + self.comments[self.ci].text
            self.ci += 1
        self.lines.append(first)
        self.lines.extend(rest)

    def stmt_with_string(self, indent: int, head: str, s: str, tail: str = "", src_line: int | None = None) -> None:
        pieces = _wrap_string(s, indent + len(head) + 1, indent + 2)
        if len(pieces) == 1:
            self.emit(indent, f"{head} {pieces[0]}{tail}", src_line)
        else:
            pieces[-1] += tail
            self.emit(indent, f"{head} {pieces[0]}", src_line, pieces[1:])

    def stmt_with_cond(self, indent: int, head: str, c: A.Cond, tail: str = "", src_line: int | None = None) -> None:
        col = indent + (len(head) + 1 if head else 0)
        lines = _layout(c, 0, col, indent + 2)
        if head and col + len(lines[0]) > WIDTH:
            # A long head (a definition's title): the condition starts on the next line.
            lines = [head] + [" " * (indent + 2) + x if i == 0 else x
                              for i, x in enumerate(_layout(c, 0, indent + 2, indent + 2))]
        elif head:
            lines[0] = f"{head} {lines[0]}"
        lines[-1] += tail
        cut = indent + 2  # emit indents continuation lines by this much
        self.emit(indent, lines[0], src_line, [x[cut:] for x in lines[1:]])

    def words(self, indent: int, head: str, items: list[str], sep: str, tail: str = "", src_line: int | None = None) -> None:
        """A keyword and a list of names, filled line by line to the width (the same rule as strings)."""
        pieces = (sep.rstrip() + " ").join(items).split(" ") if items else []
        tokens = [head] + pieces
        tokens[-1] += tail
        lines, cur, col = [], "", indent
        for t in tokens:
            if cur and col + len(cur) + 1 + len(t) > WIDTH:
                lines.append(cur)
                cur, col = t, indent + 2
            else:
                cur = f"{cur} {t}" if cur else t
        lines.append(cur)
        self.emit(indent, lines[0], src_line, lines[1:])

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def finish(self) -> str:
        self._flush_before(10**9, 0)
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n" if self.lines else ""


def _one_line(it: A.Item) -> bool:
    if isinstance(it, A.StateDecl):
        return not it.notes and it.source is None
    if isinstance(it, A.FactDecl):
        return True
    if isinstance(it, A.RegionDecl):
        return not (it.includes or it.excludes or it.notes or it.possibly_in or it.source is not None)
    return False


def format_file(f: A.File, source: str | None = None) -> str:
    """The canonical text of `f`. Given the `source` it was parsed from, blank lines that separate groups of
    statements there are kept."""
    p = _Printer(f.comments, source)
    prev = None
    for it in f.items:
        if prev is not None and not (_one_line(prev) and _one_line(it) and type(prev) is type(it)):
            p.blank()
        _item(p, it, 0)
        prev = it
    return p.finish()


def _item(p: _Printer, it: A.Item, ind: int) -> None:
    if isinstance(it, A.StateDecl):
        tail = (f" ccode {it.ccode}" if it.ccode is not None else "")
        tail += "".join(f" ccode {c.code} ({_interval(c.start, c.end).strip()})" for c in it.ccodes)
        tail += _interval(it.start, it.end)
        parts = ([f"ccode {it.ccode}"] if it.ccode is not None else []) + [
            f"ccode {c.code} ({_interval(c.start, c.end).strip()})" for c in it.ccodes]
        if ind + len(f"state {it.code} {quote(it.name)}{tail}") > WIDTH and parts:
            # A state with many codes over time: one code per line.
            parts[-1] += _interval(it.start, it.end)
            p.emit(ind, f"state {it.code} {quote(it.name)}", it.span.line, parts)
        else:
            p.stmt_with_string(ind, f"state {it.code}", it.name, tail, it.span.line)
        if it.source is not None:
            p.stmt_with_string(ind + 2, "source", it.source)
        for n in it.notes:
            p.stmt_with_string(ind + 2, "note", n)
    elif isinstance(it, A.RegionDecl):
        p.stmt_with_string(ind, f"region {it.name}", it.title, "", it.span.line)
        if it.includes:
            p.words(ind + 2, "includes", list(it.includes), ", ")
        if it.excludes:
            p.words(ind + 2, "excludes", list(it.excludes), ", ")
        for pi in it.possibly_in:
            p.stmt_with_string(ind + 2, f"possibly-in {pi.region}", pi.why, "", pi.span.line)
        if it.source is not None:
            p.stmt_with_string(ind + 2, "source", it.source)
        for n in it.notes:
            p.stmt_with_string(ind + 2, "note", n)
    elif isinstance(it, A.PlaceDecl):
        _place(p, it, ind)
    elif isinstance(it, A.TermDecl):
        p.stmt_with_string(ind, f"term {it.name}", it.question, "", it.span.line)
        if it.arg:
            p.emit(ind + 2, f"of {it.arg}")
        for r in it.readings:
            p.stmt_with_string(ind + 2, f"reading {quote(r.label)}", r.text, "", r.span.line)
        for n in it.notes:
            p.stmt_with_string(ind + 2, "note", n)
    elif isinstance(it, A.FactDecl):
        _fact(p, it, ind)
    elif isinstance(it, A.DefineDecl):
        _define(p, it, ind)
    elif isinstance(it, A.Instrument):
        _instrument(p, it, ind)
    else:
        raise AssertionError(f"no printer for {type(it).__name__}")


def _place(p: _Printer, it: A.PlaceDecl, ind: int) -> None:
    p.stmt_with_string(ind, f"place {it.name}", it.title, "", it.span.line)
    i = ind + 2
    if it.island:
        p.emit(i, "island")
    if it.metropolitan:
        p.emit(i, "metropolitan")
    for h in it.territory_of:
        p.emit(i, f"territory-of {h.state}{_interval(h.start, h.end)}", h.span.line)
    for h in it.administered_by:
        p.emit(i, f"administered-by {h.state}{_interval(h.start, h.end)}", h.span.line)
    if it.claimed_by:
        p.words(i, "claimed-by", list(it.claimed_by), " ")
    if it.regions:
        p.words(i, "in", list(it.regions), ", ")
    for pi in it.possibly_in:
        p.stmt_with_string(i, f"possibly-in {pi.region}", pi.why, "", pi.span.line)
    if it.source is not None:
        p.stmt_with_string(i, "source", it.source)
    for n in it.notes:
        p.stmt_with_string(i, "note", n)
    p.emit(ind, "end", it.span.end_line)


def _fact(p: _Printer, f: A.FactDecl, ind: int) -> None:
    head = f"fact {'not ' if f.negated else ''}{f.term}({', '.join(f.args)}){_interval(f.start, f.end)}"
    if f.parties:
        head += " for " + " ".join(f.parties)
    if f.when is not None:
        head += " when " + cond_text(f.when)
    if f.grounds is not None:
        p.stmt_with_string(ind, head, f.grounds, "", f.span.line)
    else:
        p.emit(ind, head, f.span.line)


def _define(p: _Printer, d: A.DefineDecl, ind: int) -> None:
    head = f"define {d.name}" + (f" {quote(d.title)}" if d.title is not None else "") + " as"
    if d.title is not None and len(head) + ind > WIDTH:
        pieces = _wrap_string(d.title, ind + len(f"define {d.name} "), ind + 2)
        p.emit(ind, f"define {d.name} {pieces[0]}", d.span.line, pieces[1:])
        p.stmt_with_cond(ind + 2, "as", d.cond)
        return
    p.stmt_with_cond(ind, head, d.cond, "", d.span.line)


def _restrict(p: _Printer, r: A.Restrict, ind: int) -> None:
    head = f"restrict article {r.article} of {r.instrument}" + (f" for {r.party}" if r.party else "") + f" {r.mode}"
    tail = ""
    p.stmt_with_cond(ind, head, r.cond, tail, r.span.line)
    if r.text is not None:
        # The quotation goes on its own line: it is usually long.
        for i, piece in enumerate(_wrap_string(r.text, ind + 2, ind + 2)):
            p.lines.append(" " * (ind + 2) + piece)


def _instrument(p: _Printer, n: A.Instrument, ind: int) -> None:
    p.stmt_with_string(ind, f"{n.kind} {n.name}", n.title, "", n.span.line)
    i = ind + 2
    if n.short is not None:
        p.stmt_with_string(i, "short", n.short)
    if n.draft:
        p.emit(i, "draft")
    if n.binding:
        p.emit(i, f"binding {n.binding}")
    if n.category:
        p.emit(i, f"category {n.category}")
    if n.signed:
        p.emit(i, f"signed {n.signed.isoformat()}")
    if n.in_force:
        p.emit(i, f"in-force {n.in_force.isoformat()}")
    if n.terminated:
        if n.terminated_note is not None:
            p.stmt_with_string(i, f"terminated {n.terminated.isoformat()}", n.terminated_note)
        else:
            p.emit(i, f"terminated {n.terminated.isoformat()}")
    if n.parent:
        p.emit(i, f"to {n.parent}")
    if n.authors:
        p.words(i, "by", list(n.authors), " ")
    if n.addressees:
        p.words(i, "toward", list(n.addressees), " ")
    if n.atop:
        p.words(i, "atop", [str(a) for a in n.atop], ", ")
    if n.source is not None:
        p.stmt_with_string(i, "source", n.source)
    for note in n.notes:
        p.stmt_with_string(i, "note", note)
    for kw, group in (("parties", n.parties), ("designates", n.designates)):
        for ps in group:
            head = f"{kw} {' '.join(ps.codes)}{_interval(ps.start, ps.end)}"
            if ps.note is not None:
                p.stmt_with_string(i, head, ps.note, "", ps.span.line)
            else:
                p.words(i, kw, list(ps.codes), " ", _interval(ps.start, ps.end), ps.span.line)
    for s in n.suspensions:
        head = f"suspended {s.state}" + (f" toward {s.toward}" if s.toward else "") + _interval(s.start, s.end)
        if s.note is not None:
            p.stmt_with_string(i, head, s.note, "", s.span.line)
        else:
            p.emit(i, head, s.span.line)
    for f in n.facts:
        _fact(p, f, i)
    for d in n.defines:
        _define(p, d, i)
    for r in n.restricts:
        _restrict(p, r, i)
    for a in n.articles:
        p.blank()
        _article(p, a, i)
    for pr in n.properties:
        p.blank()
        _property(p, pr, i)
    p.emit(ind, "end", n.span.end_line)


def action_text(a: A.Action) -> str:
    return a.name + (f" {a.obj}" if a.obj else "")


def expectation_text(e: A.Expectation) -> str:
    if e.mode == "state":
        return f"{e.who} {e.deontic} {action_text(e.action)}"
    if e.mode == "count":
        return f"at-least {e.count} parties {e.deontic} {action_text(e.action)}"
    if e.mode == "none":
        return f"no party {e.deontic} {action_text(e.action)}"
    return "no conflicts"


def _property(p: _Printer, pr: A.Property, ind: int) -> None:
    p.stmt_with_string(ind, f"property {pr.name}", pr.statement, "", pr.span.line)
    i = ind + 2
    if pr.event:
        p.emit(i, f"for {pr.event}")
    if pr.cond is not None:
        p.stmt_with_cond(i, "if", pr.cond, "", pr.cond.span.line)
    for d in pr.dates:
        p.emit(i, f"on {d.isoformat()}")
    if pr.expect is not None:
        p.emit(i, "expect " + expectation_text(pr.expect), pr.expect.span.line)
    p.emit(ind, "end", pr.span.end_line)


def _article(p: _Printer, a: A.Article, ind: int) -> None:
    p.stmt_with_string(ind, f"article {a.ref}", a.text, "", a.span.line)
    for it in a.items:
        if isinstance(it, A.Clause):
            _clause(p, it, ind + 2)
        elif isinstance(it, A.DefineDecl):
            _define(p, it, ind + 2)
        elif isinstance(it, A.FactDecl):
            _fact(p, it, ind + 2)
        elif isinstance(it, A.Restrict):
            _restrict(p, it, ind + 2)
        elif isinstance(it, A.Criterion):
            head = f"criterion {it.name} {quote(it.title)} requires"
            if ind + 2 + len(head) > WIDTH:
                pieces = _wrap_string(it.title, ind + 2 + len(f"criterion {it.name} "), ind + 4)
                p.emit(ind + 2, f"criterion {it.name} {pieces[0]}", it.span.line, pieces[1:])
                p.stmt_with_cond(ind + 4, "requires", it.cond)
            else:
                p.stmt_with_cond(ind + 2, head, it.cond, "", it.span.line)
        elif isinstance(it, A.Note):
            p.stmt_with_string(ind + 2, "note", it.text, "", it.span.line)
    p.emit(ind, "end", a.span.end_line)


def subject_text(s: A.Subject) -> str:
    if s.mode == "each_party":
        return "each party" + (f" other than {' and '.join(s.other_than)}" if s.other_than else "")
    if s.mode == "each_author":
        return "each author"
    return s.code or ""


def _clause(p: _Printer, c: A.Clause, ind: int) -> None:
    p.emit(ind, "clause" + (f" {c.label}" if c.label else ""), c.span.line)
    i = ind + 2
    if c.trigger:
        p.emit(i, f"upon {c.trigger}")
    if c.condition is not None:
        p.stmt_with_cond(i, "if", c.condition, "", c.condition.span.line)
    act = c.action.name + (f" {c.action.obj}" if c.action.obj else "")
    head = f"{subject_text(c.subject)} {c.deontic} {act}"
    if c.action.where is not None:
        p.stmt_with_cond(i, head + " where", c.action.where, "", c.subject.span.line)
    else:
        p.emit(i, head, c.subject.span.line)
    for q in c.qualifiers:
        if q.mode in ("discretionary", "means-all", "immediately"):
            kw = {"discretionary": "means discretionary", "means-all": "means all"}.get(q.mode, q.mode)
            p.stmt_with_string(i, kw, q.text or "", "", q.span.line)
        elif q.mode == "constitutional":
            p.stmt_with_string(i, "constitutional", q.text or "", "", q.span.line)
        elif q.mode in ("against", "unless"):
            p.stmt_with_cond(i, q.mode, q.cond, "", q.span.line)
            if q.text is not None:
                for piece in _wrap_string(q.text, i + 2, i + 2):
                    p.lines.append(" " * (i + 2) + piece)
        else:
            p.emit(i, f"{q.mode} {q.date.isoformat()}", q.span.line)
