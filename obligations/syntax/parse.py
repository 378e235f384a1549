"""Text -> surface tree, with located diagnostics instead of exceptions.

A file is cut into top-level chunks (a line that starts at column 1 with a
top-level keyword begins a new one) and each chunk is parsed on its own, so
one syntax error does not hide the mistakes after it.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from lark import Lark, Token, Tree
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from obligations.diagnostics import Diagnostic
from obligations.source import Span
from obligations.syntax import ast as A
from obligations.syntax.grammar import grammar_text

from obligations.vocab import INSTRUMENT_KINDS  # noqa: E402

TOP_KEYWORDS = ("state", "region", "place", "term", "fact", "define") + INSTRUMENT_KINDS
_CHUNK_START = re.compile(r"^(?:%s)\b(?!-)" % "|".join(re.escape(k) for k in TOP_KEYWORDS))

# Deeply nested input must end in a diagnostic, not in a RecursionError.
MAX_NESTING = 64
MAX_DIGITS = 9  # COW codes have 3, ATOP ids 4; nothing in a clause file counts past a billion


@lru_cache(maxsize=1)
def _parser() -> Lark:
    return Lark(
        grammar_text(),
        parser="lalr",
        lexer="contextual",
        propagate_positions=True,
        maybe_placeholders=False,
        # Building the LALR tables costs ~0.3 s, more than the rest of a query; Lark keeps
        # them in a temp-dir file keyed by a hash of the grammar and options.
        cache=True,
    )


# Readable names for the grammar's terminals, used in "expected ..." messages.
_TERMINAL_NAMES = {
    "CODE": "a state code (e.g. USA)",
    "NAME": "a name (e.g. pacific-area)",
    "STRING": 'a quoted string ("...")',
    "DATE": "a date (YYYY-MM-DD)",
    "INT": "a number",
    "ARTNUM": "an article number (e.g. 5, IV, IV(1))",
    "LPAR": '"("',
    "RPAR": '")"',
    "LBRACE": '"{"',
    "RBRACE": '"}"',
    "COMMA": '","',
    "EQUAL": '"="',
    "$END": "end of file",
}


def _describe_expected(expected: set[str], parser: Lark) -> str:
    names = []
    by_name = {t.name: t for t in parser.terminals}
    for e in sorted(expected):
        if e in _TERMINAL_NAMES:
            names.append(_TERMINAL_NAMES[e])
        elif e in by_name and by_name[e].pattern.type == "str":
            names.append(f'"{by_name[e].pattern.value}"')
        else:
            names.append(e.lower())
    names = sorted(set(names))
    if len(names) > 8:
        names = names[:8] + ["..."]
    return ", ".join(names)


class _Conv:
    """Lark tree -> surface tree for one chunk."""

    def __init__(self, path: str, line_offset: int, diags: list[Diagnostic], strings: dict[str, str] | None = None):
        self.path = path
        self.off = line_offset
        self.diags = diags
        self.strings = {} if strings is None else strings

    def one(self, s: str) -> str:
        """`s`, or the equal string this corpus met before (`parse`'s `strings`)."""
        return self.strings.setdefault(s, s)

    def word(self, tok: Token) -> str:
        """A name or a code, as a plain str (a Lark Token is a str subclass)."""
        return self.one(str(tok))

    # -- spans and tokens
    def span(self, node: Tree | Token) -> Span:
        if isinstance(node, Token):
            line, col = node.line or 1, node.column or 1
            end_line, end_col = node.end_line or line, node.end_column or col + 1
        else:
            m = node.meta
            if getattr(m, "empty", True):
                return Span.point(self.path, 1 + self.off)
            line, col, end_line, end_col = m.line, m.column, m.end_line, m.end_column
        return Span(file=self.path, line=line + self.off, col=col, end_line=end_line + self.off, end_col=end_col)

    def err(self, code: str, msg: str, at: Tree | Token | Span, hint: str | None = None) -> None:
        span = at if isinstance(at, Span) else self.span(at)
        self.diags.append(Diagnostic(code=code, message=msg, span=span, hint=hint))

    def string(self, tok: Token) -> str:
        raw = tok.value[1:-1]
        raw = re.sub(r"\\(.)", lambda m: "\x00" + m.group(1), raw)
        # A string may be broken over lines; the break and the indentation fold to one space.
        raw = re.sub(r"[ \t]*\r?\n[ \t]*", " ", raw)
        return self.one(raw.replace("\x00", ""))

    def number(self, tok: Token) -> int:
        """A whole number of at most MAX_DIGITS digits (COW codes, ATOP ids, counts); a longer one is an
        error (E007), never a conversion of thousands of digits (Python refuses more than 4,300)."""
        v = str(tok)
        if len(v) > MAX_DIGITS:
            self.err("E007", f"the number {v[:12]}... ({len(v)} digits) is too large", tok,
                     hint=f"numbers in clause files (COW codes, ATOP ids, counts) have at most {MAX_DIGITS} digits")
            return 0
        return int(v)

    def date(self, tok: Token) -> dt.date | None:
        try:
            return dt.date.fromisoformat(tok.value)
        except ValueError:
            self.err("E003", f"{tok.value} is not a date", tok, hint="dates are written YYYY-MM-DD and must exist on the calendar")
            return None

    @staticmethod
    def kids(t: Tree) -> list:
        return list(t.children)

    def interval(self, t: Tree) -> tuple[dt.date | None, dt.date | None]:
        start = end = None
        for c in t.children:
            if c.data == "from_date":
                start = self.date(c.children[0])
            else:
                end = self.date(c.children[0])
        if start and end and end < start:
            self.err("E004", f"the interval ends ({end}) before it starts ({start})", t)
        return start, end

    def kw(self, t: Tree) -> str:
        """Text of a `!rule` of keywords, e.g. deontic -> "must not"."""
        return self.one(" ".join(str(c) for c in t.children))

    # -- items
    def item(self, t: Tree):
        return getattr(self, "item_" + t.data)(t)

    def item_state(self, t: Tree) -> A.StateDecl:
        code, name, *opts = t.children
        kw: dict = {"notes": []}
        for o in opts:
            if o.data == "ccode" and len(o.children) > 1:
                iv = next(c for c in o.children[1].children if isinstance(c, Tree) and c.data == "interval")
                st, en = self.interval(iv)
                kw.setdefault("ccodes", []).append(A.CcodeSpan(span=self.span(o), code=self.number(o.children[0]), start=st, end=en))
            elif o.data == "ccode":
                kw["ccode"] = self.number(o.children[0])
            elif o.data == "valid_from":
                kw["start"] = self.date(o.children[0])
            elif o.data == "valid_until":
                kw["end"] = self.date(o.children[0])
            elif o.data == "source":
                kw["source"] = self.string(o.children[0])
            elif o.data == "note":
                kw["notes"].append(self.string(o.children[0]))
        return A.StateDecl(span=self.span(t), code=self.word(code), name=self.string(name), **kw)

    def item_region(self, t: Tree) -> A.RegionDecl:
        name, title, *opts = t.children
        inc, exc, notes, maybe = [], [], [], []
        source = None
        for o in opts:
            if o.data == "includes":
                inc += [self.word(x) for x in o.children[0].children]
            elif o.data == "excludes":
                exc += [self.word(x) for x in o.children[0].children]
            elif o.data == "possibly_in":
                maybe.append(A.PossiblyIn(span=self.span(o), region=self.word(o.children[0]), why=self.string(o.children[1])))
            elif o.data == "source":
                source = self.string(o.children[0])
            else:
                notes.append(self.string(o.children[0]))
        return A.RegionDecl(span=self.span(t), name=self.word(name), title=self.string(title), includes=inc, excludes=exc,
                            possibly_in=maybe, source=source, notes=notes)

    def holding(self, o: Tree) -> A.Holding:
        code, iv = o.children
        s, e = self.interval(iv)
        return A.Holding(span=self.span(o), state=self.word(code), start=s, end=e)

    def item_place(self, t: Tree) -> A.PlaceDecl:
        name, title, *opts = t.children
        kw: dict = {"territory_of": [], "administered_by": [], "claimed_by": [], "regions": [], "possibly_in": [], "notes": []}
        for o in opts:
            d = o.data
            if d == "island":
                kw["island"] = True
            elif d == "metropolitan":
                kw["metropolitan"] = True
            elif d == "territory_of":
                kw["territory_of"].append(self.holding(o))
            elif d == "administered_by":
                kw["administered_by"].append(self.holding(o))
            elif d == "claimed_by":
                kw["claimed_by"] += [self.word(x) for x in o.children[0].children]
            elif d == "in_regions":
                kw["regions"] += [self.word(x) for x in o.children[0].children]
            elif d == "possibly_in":
                kw["possibly_in"].append(A.PossiblyIn(span=self.span(o), region=self.word(o.children[0]), why=self.string(o.children[1])))
            elif d == "source":
                kw["source"] = self.string(o.children[0])
            elif d == "note":
                kw["notes"].append(self.string(o.children[0]))
        return A.PlaceDecl(span=self.span(t), name=self.word(name), title=self.string(title), **kw)

    def item_term(self, t: Tree) -> A.TermDecl:
        name, q, *opts = t.children
        kw: dict = {"readings": [], "notes": []}
        for o in opts:
            if o.data == "term_of":
                kw["arg"] = self.kw(o.children[0])
            elif o.data == "reading":
                kw["readings"].append(A.Reading(span=self.span(o), label=self.string(o.children[0]), text=self.string(o.children[1])))
            else:
                kw["notes"].append(self.string(o.children[0]))
        return A.TermDecl(span=self.span(t), name=self.word(name), question=self.string(q), **kw)

    def item_fact(self, t: Tree) -> A.FactDecl:
        ch = list(t.children)
        neg = False
        if isinstance(ch[0], Tree) and ch[0].data == "fact_neg":
            neg = True
            ch = ch[1:]
        name, *ch = ch
        args = ch.pop(0).children if ch and isinstance(ch[0], Tree) and ch[0].data == "fact_args" else []
        iv, *rest = ch
        s, e = self.interval(iv)
        parties: list[str] = []
        when = None
        grounds = None
        for r in rest:
            if isinstance(r, Tree) and r.data == "fact_for":
                parties += [self.word(x) for x in r.children[0].children]
            elif isinstance(r, Tree) and r.data == "fact_when":
                if when is not None:
                    self.err("E005", "a fact has one `when`; join conditions with `and`", r)
                when = self.cond(r.children[0])
            else:
                grounds = self.string(r)
        return A.FactDecl(
            span=self.span(t), negated=neg, term=self.word(name), args=[self.word(a) for a in args],
            start=s, end=e, parties=parties, when=when, grounds=grounds,
        )

    def item_define(self, t: Tree) -> A.DefineDecl:
        ch = list(t.children)
        name = self.word(ch[0])
        title = self.string(ch[1]) if len(ch) == 3 else None
        return A.DefineDecl(span=self.span(t), name=name, title=title, cond=self.cond(ch[-1]))

    def item_restrict(self, t: Tree) -> A.Restrict:
        ch = list(t.children)
        art, inst = self.word(ch[0]), self.word(ch[1])
        i = 2
        party = None
        if isinstance(ch[i], Token) and ch[i].type == "CODE":
            party = self.word(ch[i])
            i += 1
        mode = self.kw(ch[i])
        cond = self.cond(ch[i + 1])
        text = self.string(ch[i + 2]) if len(ch) > i + 2 else None
        return A.Restrict(span=self.span(t), article=art, instrument=inst, party=party, mode=mode, cond=cond, text=text)

    def item_instrument(self, t: Tree) -> A.Instrument:
        kind, name, title, *rest = t.children
        kw: dict = {k: [] for k in ("authors", "addressees", "atop", "notes", "parties", "designates", "suspensions", "facts", "defines", "restricts", "articles", "properties")}
        seen: dict[str, Tree] = {}

        def single(key: str, o: Tree, value) -> None:
            if key in seen:
                self.err("E005", f'"{key.replace("_", "-")}" is given twice for this instrument', o, hint="keep one")
            seen[key] = o
            kw[key] = value

        for o in rest:
            d = o.data
            if d == "short":
                single("short", o, self.string(o.children[0]))
            elif d == "draft":
                single("draft", o, True)
            elif d == "binding":
                single("binding", o, self.kw(o.children[0]))
            elif d == "category":
                single("category", o, self.kw(o.children[0]))
            elif d == "signed":
                single("signed", o, self.date(o.children[0]))
            elif d == "in_force":
                single("in_force", o, self.date(o.children[0]))
            elif d == "terminated":
                single("terminated", o, self.date(o.children[0]))
                if len(o.children) > 1:
                    kw["terminated_note"] = self.string(o.children[1])
            elif d == "parent":
                single("parent", o, self.word(o.children[0]))
            elif d == "authors":
                kw["authors"] += [self.word(x) for x in o.children[0].children]
            elif d == "addressees":
                kw["addressees"] += [self.word(x) for x in o.children[0].children]
            elif d == "atop":
                kw["atop"] += [self.number(x) for x in o.children]
            elif d == "source":
                single("source", o, self.string(o.children[0]))
            elif d == "note":
                kw["notes"].append(self.string(o.children[0]))
            elif d in ("parties", "designates"):
                codes, iv, *note = o.children
                s, e = self.interval(iv)
                kw[d].append(A.Parties(span=self.span(o), codes=[self.word(x) for x in codes.children], start=s, end=e, note=self.string(note[0]) if note else None))
            elif d == "suspended":
                ch = list(o.children)
                state = self.word(ch[0])
                toward = None
                i = 1
                if isinstance(ch[i], Token) and ch[i].type == "CODE":
                    toward = self.word(ch[i])
                    i += 1
                s, e = self.interval(ch[i])
                note = self.string(ch[i + 1]) if len(ch) > i + 1 else None
                kw["suspensions"].append(A.Suspension(span=self.span(o), state=state, toward=toward, start=s, end=e, note=note))
            elif d == "fact":
                kw["facts"].append(self.item_fact(o))
            elif d == "define":
                kw["defines"].append(self.item_define(o))
            elif d == "restrict":
                kw["restricts"].append(self.item_restrict(o))
            elif d == "article":
                kw["articles"].append(self.article(o))
            elif d == "property":
                kw["properties"].append(self.property(o))
        return A.Instrument(span=self.span(t), kind=self.kw(kind), name=self.word(name), title=self.string(title), **kw)

    def property(self, t: Tree) -> A.Property:
        name, statement, *items = t.children
        kw: dict = {"dates": []}
        for it in items:
            d = it.data
            if d == "prop_for":
                if "event" in kw:
                    self.err("E060", "a property quantifies over one kind of event", it)
                kw["event"] = self.kw(it.children[0])
            elif d == "prop_if":
                if "cond" in kw:
                    self.err("E060", "a property has one `if`; join conditions with `and`", it)
                kw["cond"] = self.cond(it.children[0])
            elif d == "prop_on":
                day = self.date(it.children[0])
                if day:
                    kw["dates"].append(day)
            elif d == "prop_expect":
                if "expect" in kw:
                    self.err("E060", "a property has one `expect`", it)
                kw["expect"] = self.expectation(it.children[0])
        if "expect" not in kw:
            self.err("E060", f'property "{name}" says nothing to prove', t, hint="add `expect ...`, e.g. `expect USA must assist victim`")
        return A.Property(span=self.span(t), name=self.word(name), statement=self.string(statement), **kw)

    def expectation(self, t: Tree) -> A.Expectation:
        d = t.data
        sp = self.span(t)
        ch = t.children
        if d == "expect_state":
            return A.Expectation(span=sp, mode="state", who=self.role(ch[0]), deontic=self.kw(ch[1]), action=self.action(ch[2]))
        if d == "expect_count":
            return A.Expectation(span=sp, mode="count", count=self.number(ch[0]), deontic=self.kw(ch[1]), action=self.action(ch[2]))
        if d == "expect_none":
            return A.Expectation(span=sp, mode="none", deontic=self.kw(ch[0]), action=self.action(ch[1]))
        return A.Expectation(span=sp, mode="no_conflicts")

    def article(self, t: Tree) -> A.Article:
        ref, text, *items = t.children
        out: list = []
        for it in items:
            d = it.data
            if d == "clause":
                out.append(self.clause(it))
            elif d == "define":
                out.append(self.item_define(it))
            elif d == "fact":
                out.append(self.item_fact(it))
            elif d == "restrict":
                out.append(self.item_restrict(it))
            elif d == "criterion":
                out.append(A.Criterion(span=self.span(it), name=self.word(it.children[0]), title=self.string(it.children[1]), cond=self.cond(it.children[2])))
            elif d == "note":
                out.append(A.Note(span=self.span(it), text=self.string(it.children[0])))
        return A.Article(span=self.span(t), ref=self.word(ref), text=self.string(text), items=out)

    def clause(self, t: Tree) -> A.Clause:
        kw: dict = {"qualifiers": []}
        for c in t.children:
            if isinstance(c, Token):  # the label
                kw["label"] = self.word(c)
                continue
            d = c.data
            if d == "trigger":
                kw["trigger"] = self.kw(c.children[0])
            elif d == "condition":
                kw["condition"] = self.cond(c.children[0])
            elif d == "each_party":
                kw["subject"] = A.Subject(span=self.span(c), mode="each_party", other_than=[self.role(x) for x in c.children])
            elif d == "each_author":
                kw["subject"] = A.Subject(span=self.span(c), mode="each_author")
            elif d == "named_party":
                kw["subject"] = A.Subject(span=self.span(c), mode="named", code=self.word(c.children[0]))
            elif d == "deontic":
                kw["deontic"] = self.kw(c)
            elif d == "action":
                kw["action"] = self.action(c)
            else:
                kw["qualifiers"].append(self.qualifier(c))
        return A.Clause(span=self.span(t), **kw)

    def action(self, t: Tree) -> A.Action:
        name = self.kw(t.children[0])
        obj = where = None
        for c in t.children[1:]:
            if isinstance(c, Token):
                obj = self.word(c)
            elif c.data == "role":
                obj = self.role(c)
            elif c.data == "action_where":
                where = self.cond(c.children[0])
        return A.Action(span=self.span(t), name=name, obj=obj, where=where)

    def qualifier(self, t: Tree) -> A.Qualifier:
        d = t.data
        sp = self.span(t)
        if d in ("discretionary", "constitutional", "means_all", "immediately"):
            return A.Qualifier(span=sp, mode=d.replace("_", "-"), text=self.string(t.children[0]))
        if d in ("against", "unless"):
            text = self.string(t.children[1]) if len(t.children) > 1 else None
            return A.Qualifier(span=sp, mode=d, cond=self.cond(t.children[0]), text=text)
        mode = "from" if d == "valid_from" else "until"
        return A.Qualifier(span=sp, mode=mode, date=self.date(t.children[0]))

    # -- conditions
    def role(self, t: Tree | Token) -> str:
        if isinstance(t, Token):
            return self.word(t)
        return self.word(t.children[0])

    def cond(self, t: Tree | Token, depth: int = 0) -> A.Cond:
        if depth > MAX_NESTING:
            self.err("E006", f"condition nested more than {MAX_NESTING} levels deep", t, hint="split it with `define`")
            return A.Const(span=self.span(t), value=False)
        sp = self.span(t)
        if isinstance(t, Token):  # a bare NAME reduced through ?atom
            return A.Ref(span=sp, name=self.word(t))
        d = t.data
        ch = t.children
        if d in ("and_", "or_"):
            cls = A.And if d == "and_" else A.Or
            items: list = []
            # Flatten left-nested chains iteratively: long chains must not recurse.
            stack = [t]
            leaves = []
            while stack:
                n = stack.pop()
                if isinstance(n, Tree) and n.data == d:
                    stack.extend(reversed(n.children))
                else:
                    leaves.append(n)
            for leaf in leaves:
                c = self.cond(leaf, depth + 1)
                items.extend(c.items if isinstance(c, cls) else [c])
            return cls(span=sp, items=items)
        if d == "not_":
            return A.Not(span=sp, item=self.cond(ch[0], depth + 1))
        if d == "is_party":
            return A.IsParty(span=sp, role=self.role(ch[0]))
        if d == "is_designated":
            return A.IsDesignated(span=sp, role=self.role(ch[0]))
        if d == "role_has":
            return A.RoleHas(span=sp, role=self.role(ch[0]), term=self.word(ch[1]))
        if d == "role_eq":
            return A.RoleEq(span=sp, role=self.role(ch[0]), other=self.role(ch[1]))
        if d == "role_in":
            return A.RoleIn(span=sp, role=self.role(ch[0]), codes=[self.word(x) for x in ch[1].children])
        if d == "dispute_party":
            return A.Dispute(span=sp, role=self.role(ch[0]), other=None)
        if d == "dispute_with":
            return A.Dispute(span=sp, role=self.role(ch[0]), other=self.role(ch[1]))
        if d == "place_in":
            return A.PlaceIn(span=sp, region=self.word(ch[0]))
        if d == "place_eq":
            return A.PlaceEq(span=sp, place=self.word(ch[0]))
        if d == "place_territory":
            return A.PlaceTerritory(span=sp, role=self.role(ch[0]))
        if d == "place_administered":
            return A.PlaceAdministered(span=sp, role=self.role(ch[0]))
        if d == "place_claimed":
            return A.PlaceClaimed(span=sp, role=self.role(ch[0]))
        if d == "place_has":
            return A.PlaceHas(span=sp, term=self.word(ch[0]))
        if d == "place_island":
            return A.PlaceAttr(span=sp, attr="island")
        if d == "place_metropolitan":
            return A.PlaceAttr(span=sp, attr="metropolitan")
        if d == "target_is":
            return A.TargetIn(span=sp, targets=[self.kw(ch[0])])
        if d == "target_in":
            return A.TargetIn(span=sp, targets=[self.kw(x) for x in ch[0].children])
        if d == "date_cmp":
            day = self.date(ch[1]) or dt.date(1, 1, 1)
            return A.DateCmp(span=sp, op=self.kw(ch[0]), date=day)
        if d == "alliance_includes":
            return A.AllianceIncludes(span=sp, role=self.role(ch[0]))
        if d == "alliance_military":
            return A.AllianceMilitary(span=sp)
        if d == "alliance_has":
            return A.AllianceHas(span=sp, term=self.word(ch[0]))
        if d == "alliance_eq":
            return A.AllianceEq(span=sp, instrument=self.word(ch[0]))
        if d == "ref":
            return A.Ref(span=sp, name=self.word(ch[0]))
        if d == "true_":
            return A.Const(span=sp, value=True)
        if d == "false_":
            return A.Const(span=sp, value=False)
        raise AssertionError(f"unhandled condition node {d}")  # grammar and converter out of step


_LINES = re.compile(r"[^\n]*\n|[^\n]+")


def _chunks(text: str) -> list[tuple[int, str]]:
    """(line offset, chunk text) pairs; chunk boundaries at column-1 top-level keywords. Lines end at "\n" only,
    as the grammar counts them: str.splitlines also breaks at CR, NEL, U+2028..., so a string holding
    "\rstate" was cut in two there (a file `fmt` had printed did not parse again)."""
    lines = _LINES.findall(text)
    starts = [0]
    for i, line in enumerate(lines):
        if i and _CHUNK_START.match(line):
            starts.append(i)
    starts.append(len(lines))
    return [(a, "".join(lines[a:b])) for a, b in zip(starts, starts[1:]) if a < b] or [(0, text)]


def _syntax_diag(e: UnexpectedInput, path: str, off: int, parser: Lark, last_chunk: bool = True) -> Diagnostic:
    line = (getattr(e, "line", None) or 1)
    col = (getattr(e, "column", None) or 1)
    if line < 1:
        line, col = 1, 1
    span = Span(file=path, line=line + off, col=col, end_line=line + off, end_col=col + 1)
    if isinstance(e, UnexpectedCharacters):
        ch = e.char
        msg = f"unexpected character {ch!r}"
        hint = None
        if ch == '"':
            msg = "unterminated or misplaced string"
            hint = 'strings are written in double quotes; write \\" for a quote inside one'
        return Diagnostic(code="E001", message=msg, span=span, hint=hint)
    if isinstance(e, UnexpectedToken):
        tok = e.token
        if tok.type == "$END":
            msg = "unexpected end of file" if last_chunk else "this declaration is incomplete"
        else:
            msg = f"unexpected {tok.value!r}"
            span = Span(file=path, line=line + off, col=col, end_line=line + off, end_col=col + max(1, len(str(tok.value))))
        exp = _describe_expected(set(e.expected or ()), parser)
        hint = f"expected {exp}" if exp else None
        if tok.type == "$END" and "END" in (e.expected or ()):
            hint = "a block (place, instrument or article) is missing its `end`"
        return Diagnostic(code="E002", message=msg, span=span, hint=hint)
    if isinstance(e, UnexpectedEOF):
        return Diagnostic(code="E002", message="unexpected end of file", span=span)
    return Diagnostic(code="E002", message=str(e).splitlines()[0], span=span)


def parse(text: str, path: str = "<input>", strings: dict[str, str] | None = None) -> tuple[A.File, list[Diagnostic]]:
    """Parse one clause file. Never raises on bad input: problems come back as diagnostics.

    `strings`: the strings met so far, shared by the files of one corpus (model/load.py), so that each name,
    keyword or quoted string the files repeat is one string in the tree, and in the core corpus that keeps
    them: the states every file names, a generated corpus's notes (the pydantic tree shared its `Literal`s'
    strings the same way). Without sharing they were a third of ATOP x10's surface tree. By default, a table
    for this file alone. Not `sys.intern`: Python 3.12 keeps an interned string for the life of the process,
    and the language server and the web app parse text after text."""
    parser = _parser()
    strings = {} if strings is None else strings
    diags: list[Diagnostic] = []
    items: list = []
    comments: list[A.Comment] = []
    if "\x00" in text:
        diags.append(Diagnostic(code="E001", message="the file contains a NUL byte; clause files are text", span=Span.point(path)))
        return A.File(path=path, items=[], comments=[]), diags
    chunks = _chunks(text)
    for k, (off, chunk) in enumerate(chunks):
        found: list[Token] = []
        try:
            tree = _parse_collecting(parser, chunk, found)
        except UnexpectedInput as e:
            diags.append(_syntax_diag(e, path, off, parser, last_chunk=k == len(chunks) - 1))
            continue
        except RecursionError:
            diags.append(Diagnostic(code="E006", message="input nested too deeply to parse", span=Span.point(path, off + 1)))
            continue
        conv = _Conv(path, off, diags, strings)
        for tok in found:
            comments.append(A.Comment(line=tok.line + off, col=tok.column, text=conv.one(tok.value.rstrip())))
        for t in tree.children:
            try:
                items.append(conv.item(t))
            except RecursionError:
                diags.append(Diagnostic(code="E006", message="input nested too deeply", span=conv.span(t)))
    return A.File(path=path, items=items, comments=comments), diags


def _parse_collecting(parser: Lark, text: str, sink: list[Token]) -> Tree:
    # lexer_callbacks are fixed at construction; comments are recovered by a
    # scan that skips strings, which gives the same positions.
    tree = parser.parse(text)
    sink.extend(_scan_comments(text))
    return tree


_TOKEN_SCAN = re.compile(r'"(?:[^"\\]|\\.)*"|#[^\n]*')


def _scan_comments(text: str) -> list[Token]:
    out = []
    for m in _TOKEN_SCAN.finditer(text):
        s = m.group(0)
        if s.startswith("#"):
            line = text.count("\n", 0, m.start()) + 1
            col = m.start() - (text.rfind("\n", 0, m.start()) + 1) + 1
            out.append(Token("COMMENT", s, start_pos=m.start(), line=line, column=col))
    return out
