"""Every name in a file, located and classified by the grammar rule it stands in, and the file's symbols.

The surface tree (syntax/ast.py) keeps a span per statement, not per name. For an editor the name itself
matters (what the cursor is on, what a rename or a reference list points at), so this module reads the parser's
own tree, whose tokens carry their positions, and classifies each `NAME` and `CODE` by its rule: a `NAME` under
`place_eq` is a place (or a region: `place =` accepts both), under `parent` an instrument, under `role_has` a
term, under `ref` a definition or a term. File by file, chunk by chunk, as the parser reads (syntax/parse.py):
a chunk with a syntax error is read by the scanner instead (scan.py), classifying a name by the words before it,
so that going to a definition still works in a file that is being typed.

`Names` resolves an occurrence to what it names across every file: definitions are looked up in the
instrument they are used in, then in the instrument it belongs to (`to`), then at top level, as the resolver
does (model/resolve.py).
"""

from __future__ import annotations

from lark import Token, Tree
from lark.exceptions import UnexpectedInput

from obligations.highlight import KEYWORDS
from obligations.lsp import scan
from obligations.lsp.text import LineIndex
from obligations.record import field, record
from obligations.source import Span
from obligations.syntax.parse import _chunks, _Conv, _parser
from obligations.vocab import INSTRUMENT_KINDS

# Kinds of occurrence. `area`: a place or a region (`place =`, `includes`); `arg`: an argument of a fact, whose
# kind the term's declaration gives; `ref`: a definition or a term of no argument; `fact-term`: the term a fact
# settles (or a built-in one: in, sovereign, military, release).
DECLARED_KINDS = ("state", "place", "region", "term", "definition", "instrument", "article")

# The built-in terms settled by facts, with the kinds of their arguments (model/resolve.py: BUILTIN_FACTS).
BUILTIN_TERMS = {"in": ("area", "region"), "sovereign": ("place", "state"), "military": ("instrument",),
                 "release": ("instrument", "state")}


@record(frozen=True, slots=True)
class Occurrence:
    kind: str  # state | place | region | area | term | fact-term | arg | ref | definition | instrument | article
    name: str
    span: Span  # of the name itself
    decl: bool = False
    scope: str | None = None  # the instrument it is written in; for an article, the instrument it belongs to
    term: str | None = None  # for `arg`: the fact's term
    index: int = 0  # for `arg`: its position among the fact's arguments


@record(slots=True)
class Symbol:
    kind: str  # instrument | article | clause | property | criterion | definition | place | region | term | state
    name: str
    detail: str
    span: Span  # the whole declaration
    selection: Span  # its name
    children: list["Symbol"] = field(default_factory=list)
    instrument: str | None = None  # for an article or a clause: the instrument
    article: str | None = None  # for an article or a clause: the article's number


@record(slots=True)
class FileIndex:
    path: str
    occurrences: list[Occurrence]
    symbols: list[Symbol]
    articles: dict[tuple[str, str], str]  # (instrument, article) -> the article's text, folded
    parents: dict[str, str]  # instrument -> the instrument it belongs to (`to`)
    term_args: dict[str, str | None] = field(default_factory=dict)  # term -> the kind of its argument

    def at(self, line: int, col: int) -> Occurrence | None:
        """The name at a parser position (the cursor just after a name is on it)."""
        best = None
        for o in self.occurrences:
            s = o.span
            if s.line == line and s.col <= col <= s.end_col:
                if best is None or col < s.end_col:
                    best = o
        return best

    def enclosing(self, line: int, col: int) -> list[Symbol]:
        """The symbols around a position, outermost first."""
        out: list[Symbol] = []
        level = self.symbols
        while True:
            hit = next((s for s in level if _contains(s.span, line, col)), None)
            if hit is None:
                return out
            out.append(hit)
            level = hit.children


def _contains(s: Span, line: int, col: int) -> bool:
    return (s.line, s.col) <= (line, col) < (s.end_line, s.end_col) or (s.line, s.col) == (line, col)


# ---- reading the parser's tree ------------------------------------------------------------------------------


class _Reader:
    def __init__(self, path: str, off: int, out: FileIndex):
        self.path, self.off, self.out = path, off, out
        self.conv = _Conv(path, off, [])

    def span(self, node) -> Span:
        return self.conv.span(node)

    def occ(self, kind: str, tok: Token, decl: bool = False, scope: str | None = None, **kw) -> None:
        self.out.occurrences.append(Occurrence(kind, str(tok), self.span(tok), decl, scope, **kw))

    def string(self, tok: Token) -> str:
        return self.conv.string(tok)

    # -- items
    def item(self, t: Tree) -> None:
        d = t.data
        ch = t.children
        if d == "state":
            self.occ("state", ch[0], decl=True)
            self.symbol("state", ch[0], self.string(ch[1]), t)
            self.walk(ch[2:], None)
        elif d == "region":
            self.occ("region", ch[0], decl=True)
            self.symbol("region", ch[0], self.string(ch[1]), t)
            self.walk(ch[2:], None)
        elif d == "place":
            self.occ("place", ch[0], decl=True)
            self.symbol("place", ch[0], self.string(ch[1]), t)
            self.walk(ch[2:], None)
        elif d == "term":
            self.occ("term", ch[0], decl=True)
            self.symbol("term", ch[0], self.string(ch[1]), t)
            arg = next((o.children[0] for o in ch[2:] if isinstance(o, Tree) and o.data == "term_of"), None)
            self.out.term_args.setdefault(str(ch[0]), self.conv.kw(arg) if arg is not None else None)
        elif d == "instrument":
            self.instrument(t)
        else:  # fact, define
            if d == "define":
                self.definition_symbol(t, self.out.symbols)
            self.walk([t], None)

    def symbol(self, kind: str, name: Token, detail: str, t: Tree, into: list | None = None, **kw) -> Symbol:
        s = Symbol(kind, str(name), detail, self.span(t), self.span(name), **kw)
        (self.out.symbols if into is None else into).append(s)
        return s

    def instrument(self, t: Tree) -> None:
        kind, name, title, *rest = t.children
        inst = str(name)
        self.occ("instrument", name, decl=True)
        sym = self.symbol("instrument", name, f"{self.conv.kw(kind)}: {self.string(title)}", t)
        for o in rest:
            if o.data == "parent":
                self.out.parents[inst] = str(o.children[0])
            if o.data == "article":
                self.article(o, inst, sym)
            elif o.data == "property":
                self.symbol("property", o.children[0], self.string(o.children[1]), o, sym.children)
                self.walk(o.children[2:], inst)
            else:
                if o.data == "define":
                    self.definition_symbol(o, sym.children)
                self.walk([o], inst)

    def definition_symbol(self, t: Tree, into: list) -> None:
        ch = t.children
        self.symbol("definition", ch[0], self.string(ch[1]) if len(ch) == 3 else "", t, into)

    def article(self, t: Tree, inst: str, parent: Symbol) -> None:
        ref, text, *items = t.children
        body = self.string(text)
        self.out.articles.setdefault((inst, str(ref)), body)
        self.occ("article", ref, decl=True, scope=inst)
        sym = self.symbol("article", ref, body, t, parent.children, instrument=inst, article=str(ref))
        sym.name = f"Article {ref}"
        n = 0
        for it in items:
            if it.data == "clause":
                n += 1
                label = next((c for c in it.children if isinstance(c, Token)), None)
                start = self.span(it)
                # Its name: the label, or the keyword `clause` when it has none.
                sel = self.span(label) if label is not None else start.narrowed(start.col, start.col + len("clause"))
                sym.children.append(Symbol("clause", str(label) if label else f"clause {n}", self._clause_detail(it),
                                           start, sel, instrument=inst, article=str(ref)))
            elif it.data == "criterion":
                self.symbol("criterion", it.children[0], self.string(it.children[1]), it, sym.children)
            elif it.data == "define":
                self.definition_symbol(it, sym.children)
            self.walk([it], inst)

    def _clause_detail(self, t: Tree) -> str:
        """`each party other than victim must assist victim`: who must do what."""
        words: list[str] = []
        for c in t.children:
            if not isinstance(c, Tree):
                continue
            if c.data == "each_party":
                words += ["each party"] + (["other than", " and ".join(str(r.children[0]) for r in c.children)]
                                           if c.children else [])
            elif c.data == "each_author":
                words.append("each author")
            elif c.data == "named_party":
                words.append(str(c.children[0]))
            elif c.data == "deontic":
                words.append(self.conv.kw(c))
            elif c.data == "action":
                words.append(self.conv.kw(c.children[0]))
                obj = c.children[1] if len(c.children) > 1 else None
                if isinstance(obj, Token):
                    words.append(str(obj))
                elif isinstance(obj, Tree) and obj.data == "role":
                    words.append(str(obj.children[0]))
        return " ".join(words)

    # -- names inside statements
    def walk(self, nodes: list, scope: str | None) -> None:
        stack = [(n, None) for n in reversed(nodes)]
        while stack:
            n, parent = stack.pop()
            if isinstance(n, Token):
                self.token(n, parent, scope)
                continue
            d, ch = n.data, n.children
            if d == "fact":
                self.fact(n)
                # What else a fact says (the states and conditions a reading is scoped to) is read as anywhere.
                stack.extend((c, n) for c in reversed(n.children)
                             if isinstance(c, Tree) and c.data not in ("fact_neg", "fact_args", "interval"))
            elif d == "restrict":
                self.occ("article", ch[0], scope=str(ch[1]))
                self.occ("instrument", ch[1])
                stack.extend((c, n) for c in reversed(ch[2:]))
            elif d == "define":
                self.occ("definition", ch[0], decl=True, scope=scope)
                stack.extend((c, n) for c in reversed(ch[1:]))
            elif d in ("criterion", "property"):
                stack.extend((c, n) for c in reversed(ch[1:]))  # its own name refers to nothing
            elif d in ("in_regions", "includes", "excludes"):
                for tok in ch[0].children:
                    self.occ("region" if d == "in_regions" else "area", tok)
            elif d == "action":
                # `host thaad`: the object is a role, a state, or the name of a system, which declares nothing.
                stack.extend((c, n) for c in reversed(ch) if not (isinstance(c, Token) and c.type == "NAME"))
            elif d == "clause":
                stack.extend((c, n) for c in reversed(ch) if not isinstance(c, Token))  # the label
            elif d != "article":  # articles are read by `article`
                stack.extend((c, n) for c in reversed(ch))

    def token(self, tok: Token, parent: Tree | None, scope: str | None) -> None:
        rule = parent.data if parent is not None else None
        if tok.type == "CODE":
            self.occ("state", tok)
        elif tok.type == "NAME":
            kind = _NAME_KINDS.get(rule or "")
            if kind is None and rule in _COND_RULES:
                kind = "ref"  # a bare name reduced through `?atom`
            if kind is not None:
                self.occ(kind, tok, scope=scope if kind == "ref" else None)

    def fact(self, t: Tree) -> None:
        ch = [c for c in t.children if not (isinstance(c, Tree) and c.data == "fact_neg")]
        term = ch[0]
        self.occ("fact-term", term)
        for c in ch[1:]:
            if isinstance(c, Tree) and c.data == "fact_args":
                for i, a in enumerate(c.children):
                    if isinstance(a, Token) and a.type == "CODE":
                        self.occ("state", a)
                    elif isinstance(a, Token) and a.type == "NAME":
                        self.occ("arg", a, term=str(term), index=i)


# The rule a NAME token stands in -> what it names.
_NAME_KINDS = {"place_in": "region", "possibly_in": "region", "place_eq": "area", "place_has": "term",
               "role_has": "term", "alliance_has": "term", "alliance_eq": "instrument", "parent": "instrument",
               "ref": "ref"}
_COND_RULES = {"condition", "and_", "or_", "not_", "define", "against", "unless", "prop_if", "action_where",
               "criterion", "restrict", "fact_when"}


def index_file(path: str, text: str) -> FileIndex:
    """The names and symbols of one file. Never raises on bad input."""
    out = FileIndex(path, [], [], {}, {})
    parser = _parser()
    for off, chunk in _chunks(text):
        try:
            tree = parser.parse(chunk)
        except (UnexpectedInput, RecursionError):
            _scan_chunk(path, off, chunk, out)
            continue
        r = _Reader(path, off, out)
        for t in tree.children:
            try:
                r.item(t)
            except RecursionError:
                pass
    return out


# ---- a chunk the parser cannot read: classify names by the words before them ------------------------------

# The word(s) before a name -> what the name is. Checked longest first.
_AFTER: dict[tuple[str, ...], str] = {
    ("place", "="): "area", ("place", "in"): "region", ("place", "is"): "term", ("alliance", "="): "instrument",
    ("alliance", "is"): "term", ("in",): "region", ("possibly-in",): "region", ("includes",): "area",
    ("excludes",): "area", ("is",): "term", ("to",): "instrument", ("of",): "instrument", ("fact",): "fact-term",
    ("fact", "not"): "fact-term", ("region",): "region!", ("place",): "place!", ("term",): "term!",
    ("define",): "definition!", **{(k,): "instrument!" for k in INSTRUMENT_KINDS},
}
_COND_STARTS = {"if", "and", "or", "not", "(", "against", "unless", "only-if", "where", "requires", "as"}


def classify(before: list[str]) -> str | None:
    """What a name is, from the words before it (most recent last): `place =` -> area. A kind ending in `!` is
    a declaration. None: not a name that refers to a declaration."""
    for n in (2, 1):
        if len(before) >= n:
            got = _AFTER.get(tuple(before[-n:]))
            if got is not None:
                return got
    if fact_argument(before) is not None:
        return "fact-arg"
    if before and before[-1] == ",":  # a list continues: `includes a, b`, `in a, b`
        i = len(before) - 1
        while i >= 2 and before[i] == ",":
            i -= 2
        return classify(before[: i + 1]) if i >= 0 and before[i] != "," else None
    if before and before[-1] in _COND_STARTS:
        return "ref"
    return None


def fact_argument(before: list[str]) -> tuple[str, int] | None:
    """(term, position) when the words before are those of a fact's arguments: `fact in(guam, ` -> ("in", 1)."""
    i, n = len(before) - 1, 0
    while i >= 1 and before[i] == ",":
        i, n = i - 2, n + 1  # `, arg` back to the parenthesis
    if i >= 2 and before[i] == "(" and (before[i - 2] == "fact" or (i >= 3 and before[i - 3: i - 1] == ["fact", "not"])):
        return before[i - 1], n
    return None


def _scan_chunk(path: str, off: int, chunk: str, out: FileIndex) -> None:
    lines = LineIndex(chunk)
    toks = [t for t in scan.tokens(chunk) if t.kind not in ("comment",)]
    scope = None
    if len(toks) >= 2 and toks[0].value in INSTRUMENT_KINDS and toks[1].kind == "word":
        scope = toks[1].value
    before: list[str] = []
    for i, t in enumerate(toks):
        line, col = lines.position(t.start)
        span = Span(path, line + off, col, line + off, col + len(t.value))
        if t.kind == "code" and len(t.value) == 3 and t.value.isupper() and (not before or before[-1] != "article"):
            if not (before and before[-1] == "state" and _starts_statement(toks, i - 1)):
                out.occurrences.append(Occurrence("state", t.value, span))
            else:
                out.occurrences.append(Occurrence("state", t.value, span, decl=True))
        elif t.kind == "word" and t.value not in KEYWORDS or (t.kind == "word" and before and before[-1] in ("place", "=")):
            kind = classify(before)
            if kind is not None and t.value not in KEYWORDS:
                decl = kind.endswith("!")
                kind = kind.rstrip("!")
                if decl and not _starts_statement(toks, i - 1):
                    kind, decl = None, False
                if kind is not None:
                    out.occurrences.append(Occurrence(kind, t.value, span, decl, scope if kind in ("ref", "definition") else None))
        before.append(t.value if t.kind in ("word", "punct") else "")
        before = before[-4:]


def _starts_statement(toks: list[scan.Tok], i: int) -> bool:
    """A declaration keyword starts its statement (first of the chunk, or after a string or `end`)."""
    return i == 0 or toks[i - 1].kind in ("string", "open") or toks[i - 1].value in ("end",)


# ---- resolving names across files ------------------------------------------------------------------------


@record
class Names:
    """What every file declares, to resolve an occurrence to its declaration."""

    states: dict[str, Occurrence] = field(default_factory=dict)
    places: dict[str, Occurrence] = field(default_factory=dict)
    regions: dict[str, Occurrence] = field(default_factory=dict)
    terms: dict[str, Occurrence] = field(default_factory=dict)
    instruments: dict[str, Occurrence] = field(default_factory=dict)
    definitions: dict[tuple[str | None, str], Occurrence] = field(default_factory=dict)
    articles: dict[tuple[str, str], Occurrence] = field(default_factory=dict)
    article_texts: dict[tuple[str, str], str] = field(default_factory=dict)
    parents: dict[str, str] = field(default_factory=dict)
    term_args: dict[str, str | None] = field(default_factory=dict)

    @classmethod
    def of(cls, indexes) -> "Names":
        n = cls()
        for ix in indexes:
            n.parents.update(ix.parents)
            for k, v in ix.term_args.items():
                n.term_args.setdefault(k, v)
            n.article_texts.update({k: v for k, v in ix.articles.items() if k not in n.article_texts})
            for o in ix.occurrences:
                if not o.decl:
                    continue
                table = {"state": n.states, "place": n.places, "region": n.regions, "term": n.terms,
                         "instrument": n.instruments}.get(o.kind)
                if table is not None:
                    table.setdefault(o.name, o)
                elif o.kind == "definition":
                    n.definitions.setdefault((o.scope, o.name), o)
                elif o.kind == "article" and o.scope:
                    n.articles.setdefault((o.scope, o.name), o)
        return n

    def target(self, o: Occurrence) -> tuple[str, str | None, str] | None:
        """(kind, owner, name) of what `o` names: owner is the instrument of a definition or an article."""
        k = o.kind
        if k in ("state", "place", "region", "term", "instrument"):
            return (k, None, o.name)
        if k == "area":
            return ("region", None, o.name) if o.name in self.regions and o.name not in self.places else ("place", None, o.name)
        if k == "fact-term":
            return None if o.name in BUILTIN_TERMS and o.name not in self.terms else ("term", None, o.name)
        if k == "arg":
            kinds = BUILTIN_TERMS.get(o.term or "")
            want = kinds[o.index] if kinds and o.index < len(kinds) else self.term_args.get(o.term or "")
            if want == "instrument" or (want is None and o.name in self.instruments):
                return ("instrument", None, o.name)
            if want == "region" or (o.name in self.regions and o.name not in self.places):
                return ("region", None, o.name)
            return ("place", None, o.name)
        if k in ("ref", "definition"):
            if o.decl:
                return ("definition", o.scope, o.name)
            for owner in self.definition_scopes(o.scope):
                if (owner, o.name) in self.definitions:
                    return ("definition", owner, o.name)
            return ("term", None, o.name) if o.name in self.terms else ("definition", o.scope, o.name)
        if k == "article":
            return ("article", o.scope, o.name) if o.scope else None
        return None

    def definition_scopes(self, scope: str | None) -> list[str | None]:
        """Where a definition used in `scope` is looked up: the instrument, the one it belongs to, the top level."""
        out: list[str | None] = []
        if scope is not None:
            out.append(scope)
            if scope in self.parents:
                out.append(self.parents[scope])
        out.append(None)
        return out

    def declaration(self, target: tuple[str, str | None, str]) -> Occurrence | None:
        kind, owner, name = target
        if kind == "definition":
            return self.definitions.get((owner, name))
        if kind == "article":
            return self.articles.get((owner or "", name))
        return {"state": self.states, "place": self.places, "region": self.regions, "term": self.terms,
                "instrument": self.instruments}[kind].get(name)
