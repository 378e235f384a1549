"""What an editor asks about clause files, answered over a workspace: plain Python values, no LSP types.

A `Workspace` holds three layers of text, each file named as `obligations check` names it (model/load.py: the
bundled corpus as `treaties/...`, other files by their path):

- the corpus: the bundled one, or the folders given with `corpus` (`--corpus`), or, when the workspace is a
  copy of the corpus itself (a clone of this repository), the workspace's own `treaties/` folder;
- the workspace's own `.treaty` files, as saved on disk;
- the editor's open buffers, which stand in for the files they edit.

Diagnostics are `check`'s: the corpus and the workspace's files loaded together, the problems kept that lie
in the workspace's files. Positions are the parser's (1-based lines and columns in characters); server.py
converts them to LSP's.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from obligations.diagnostics import Diagnostic, has_errors, sort_key
from obligations.highlight import KEYWORDS
from obligations.lsp import scan
from obligations.lsp.index import BUILTIN_TERMS, FileIndex, Names, Occurrence, Symbol, classify, fact_argument, \
    index_file
from obligations.lsp.text import LineIndex
from obligations.model.load import DEFAULT_MAX_FILE_BYTES, SUFFIX, Loaded, bundled_corpus_dir, display_names, \
    expand, read_sources
from obligations.record import record
from obligations.source import Span

# Folders never searched for the workspace's clause files: virtual environments hold installed copies of the
# bundled corpus, and version control and caches hold nothing a user edits.
_SKIP_DIRS = {"node_modules", "__pycache__", "site-packages", "dist-packages", "build", "dist", "site"}
MAX_WORKSPACE_FILES = 5000


@record(frozen=True, slots=True)
class Location:
    file: str  # a name as diagnostics give it
    span: Span


@record(frozen=True, slots=True)
class Hover:
    markdown: str
    span: Span


@record(frozen=True, slots=True)
class Completion:
    label: str
    kind: str  # keyword | action | role | constant | state | place | region | term | definition | instrument
    detail: str
    replace: Span  # what the completion replaces: the part of a word already typed (possibly empty)
    documentation: str = ""


@record(frozen=True, slots=True)
class Edit:
    span: Span
    new_text: str


class Workspace:
    def __init__(self, roots: list[str | Path] = (), corpus: list[str | Path] | None = None,
                 max_bytes: int = DEFAULT_MAX_FILE_BYTES):
        self.roots = [Path(r).resolve() for r in roots]
        self.max_bytes = max_bytes
        self.corpus_paths = [Path(p).resolve() for p in corpus] if corpus else self._corpus_of_roots()
        self.open: dict[str, str] = {}  # name -> the editor's buffer
        self.paths: dict[str, Path] = {}  # name -> the file on disk
        self.base: dict[str, str] = {}
        self.disk: dict[str, str] = {}
        self.read_problems: list[Diagnostic] = []  # files of the workspace that could not be read
        self.loaded: Loaded | None = None
        self._indexes: dict[str, tuple[str, FileIndex]] = {}
        self._names: tuple[tuple, Names] | None = None
        self.reload()

    # -- the files
    def _corpus_of_roots(self) -> list[Path]:
        """The bundled corpus, unless a workspace folder holds a copy of it (`treaties/` with the same files):
        then that copy is the corpus, so that editing it is editing the corpus, not declaring everything twice."""
        bundled = bundled_corpus_dir().resolve()
        ours = {p.relative_to(bundled).as_posix() for p in expand([bundled], [])}
        for root in self.roots:
            cand = root / "treaties"
            if cand.is_dir() and cand.resolve() != bundled:
                theirs = {p.relative_to(cand).as_posix() for p in expand([cand], [])}
                if ours & theirs:
                    return [cand.resolve()]
        return [bundled]

    def reload(self) -> None:
        """Read the corpus and the workspace's files from disk again."""
        diags: list[Diagnostic] = []
        self.base = read_sources(self.corpus_paths, diags, self.max_bytes)
        for fp in expand(self.corpus_paths, []):
            self.paths[self.name_of(fp)] = fp.resolve()
        files = self._workspace_files()
        self.read_problems = []
        self.disk = read_sources(files, self.read_problems, self.max_bytes)
        for fp in files:
            self.paths[self.name_of(fp)] = fp

    def _workspace_files(self) -> list[Path]:
        out: list[Path] = []
        for root in self.roots:
            if root.is_file() and root.suffix == SUFFIX:
                out.append(root)
                continue
            for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith(".") and d not in _SKIP_DIRS
                                     and not (Path(dirpath) / d / "pyvenv.cfg").exists())
                for fn in sorted(filenames):
                    fp = Path(dirpath) / fn
                    if fn.endswith(SUFFIX) and not fp.is_symlink():
                        out.append(fp.resolve())
                if len(out) > MAX_WORKSPACE_FILES:
                    return out[:MAX_WORKSPACE_FILES]
        return out

    @staticmethod
    def name_of(path: str | Path) -> str:
        """How `check` names a file: the bundled corpus as `treaties/...`, any other file by its path."""
        p = Path(path).resolve()
        if p.exists():
            return display_names([p])[0]
        return str(p)

    def refresh(self, name: str) -> None:
        """A file of the workspace changed on disk (saved, created or deleted)."""
        p = self.paths.get(name)
        if p is None:
            return
        if not p.exists():
            self.disk.pop(name, None)
            return
        diags: list[Diagnostic] = []
        got = read_sources([p], diags, self.max_bytes)
        self.disk.update(got)
        self.read_problems = [d for d in self.read_problems if d.span.file != name] + diags

    def set_open(self, name: str, text: str, path: Path | None = None) -> None:
        self.open[name] = text
        if path is not None:
            self.paths.setdefault(name, path)

    def close(self, name: str) -> None:
        self.open.pop(name, None)

    def own(self) -> dict[str, str]:
        """The workspace's files, as the editor has them."""
        return {**self.disk, **self.open}

    def texts(self) -> dict[str, str]:
        return {**self.base, **self.own()}

    def text(self, name: str) -> str | None:
        return self.open.get(name, self.disk.get(name, self.base.get(name)))

    # -- diagnostics: `obligations check`'s
    def check(self) -> dict[str, list[Diagnostic]]:
        """Every problem in the workspace's files (each of them a key, with an empty list when it has none)."""
        from obligations.model.load import load_texts

        own = self.own()
        loaded = load_texts({**self.base, **own})
        self.loaded = loaded
        out: dict[str, list[Diagnostic]] = {name: [] for name in own}
        unread = {p.span.file for p in self.read_problems}  # files of the workspace too large or not UTF-8
        for d in sorted(self.read_problems + loaded.diagnostics, key=sort_key):
            if d.span.file in own or d.span.file in unread:
                out.setdefault(d.span.file, []).append(d)
        return out

    # -- names
    def index(self, name: str) -> FileIndex:
        text = self.text(name) or ""
        got = self._indexes.get(name)
        if got is None or got[0] is not text:
            got = (text, index_file(name, text))
            self._indexes[name] = got
        return got[1]

    def names(self) -> Names:
        texts = self.texts()
        key = tuple((k, id(v)) for k, v in texts.items())
        if self._names is None or self._names[0] != key:
            self._names = (key, Names.of(self.index(n) for n in texts))
        return self._names[1]

    def _target(self, name: str, line: int, col: int) -> tuple[Occurrence, tuple] | None:
        occ = self.index(name).at(line, col)
        if occ is None:
            return None
        t = self.names().target(occ)
        return (occ, t) if t is not None else None

    def definition(self, name: str, line: int, col: int) -> list[Location]:
        got = self._target(name, line, col)
        if got is None:
            return []
        decl = self.names().declaration(got[1])
        return [Location(decl.span.file, decl.span)] if decl is not None else []

    def references(self, name: str, line: int, col: int, include_declaration: bool = True) -> list[Location]:
        got = self._target(name, line, col)
        if got is None:
            return []
        names = self.names()
        out = []
        for n in self.texts():
            for o in self.index(n).occurrences:
                if (include_declaration or not o.decl) and names.target(o) == got[1]:
                    out.append(Location(n, o.span))
        return out

    def symbols(self, name: str) -> list[Symbol]:
        return self.index(name).symbols

    # -- hover
    def hover(self, name: str, line: int, col: int) -> Hover | None:
        got = self._target(name, line, col)
        if got is not None:
            occ, target = got
            md = self.describe(target)
            return Hover(md, occ.span) if md else None
        # Not on a name: inside a clause (or an article), show the article it encodes.
        around = [s for s in self.index(name).enclosing(line, col) if s.kind in ("article", "clause")]
        if around:
            s = around[-1]
            md = self.describe(("article", s.instrument, s.article or ""))
            if md:
                return Hover(md, s.span if s.kind == "clause" else s.selection)
        return None

    def link(self, span: Span) -> str:
        """`[file:line](uri#Lline)`: where a name is declared, as a link an editor follows."""
        p = self.paths.get(span.file)
        shown = span.file
        for root in self.roots:  # a file of the workspace is named from the workspace's folder
            if p is not None and root in p.parents:
                shown = p.relative_to(root).as_posix()
                break
        label = f"{shown}:{span.line}"
        return f"[{label}]({p.as_uri()}#L{span.line})" if p is not None else f"`{label}`"

    def describe(self, target: tuple) -> str | None:
        """Markdown for what `target` names: its title, where it is declared, and what it says."""
        kind, owner, name = target
        names = self.names()
        decl = names.declaration(target)
        corpus = self.loaded.corpus if self.loaded is not None else None
        where = f"declared at {self.link(decl.span)}" if decl is not None else "not declared anywhere in the corpus"
        if kind == "article":
            text = names.article_texts.get((owner or "", name))
            if text is None:
                return None
            inst = corpus.instruments.get(owner or "") if corpus else None
            title = f" ({inst.short or inst.title})" if inst else ""
            return f"**{owner} › Article {name}**{title}\n\n{_quote(text)}\n\n{where}"
        if kind == "state":
            s = corpus.states.get(name) if corpus else None
            head = f"**{name}** — {s.name}" if s else f"**{name}** (state)"
            lines = [head, "", "state" + (f" · {s.exists.describe()}" if s and s.exists.start or s and s.exists.end else "")
                     + (f" · COW {', '.join(str(c.code) for c in s.ccodes)}" if s and s.ccodes else "")]
            return "\n".join(lines + ["", where])
        if kind == "place":
            p = corpus.places.get(name) if corpus else None
            if p is None:
                r = corpus.regions.get(name) if corpus else None
                if r is not None:
                    return self.describe(("region", None, name))
                return f"**{name}** (place)\n\n{where}"
            facts = []
            if p.island or p.metropolitan:
                facts.append(", ".join(a for a, on in (("island", p.island), ("metropolitan", p.metropolitan)) if on))
            facts += [f"territory of {h.state} {h.interval.describe()}" for h in p.territory_of]
            facts += [f"administered by {h.state} {h.interval.describe()}" for h in p.administered_by]
            if p.claimed_by:
                facts.append("claimed by " + ", ".join(p.claimed_by))
            if p.regions:
                facts.append("in " + ", ".join(p.regions))
            facts += [f"possibly in {pi.region}: {pi.why}" for pi in p.possibly_in]
            return "\n".join([f"**{name}** — {p.title}", "", "place", *[f"- {f}" for f in facts], "", where])
        if kind == "region":
            r = corpus.regions.get(name) if corpus else None
            if r is None:
                return f"**{name}** (region)\n\n{where}"
            facts = []
            inc = r.includes + r.include_places
            exc = r.excludes + r.exclude_places
            if inc:
                facts.append("includes " + ", ".join(inc))
            if exc:
                facts.append("excludes " + ", ".join(exc))
            facts += [f"possibly in {pi.region}: {pi.why}" for pi in r.possibly_in]
            return "\n".join([f"**{name}** — {r.title}", "", "region", *[f"- {f}" for f in facts], "", where])
        if kind == "term":
            t = corpus.terms.get(name) if corpus else None
            if t is None:
                return f"**{name}** (term)\n\n{where}"
            of = f" of {t.arg}" if t.arg else " (no argument)"
            readings = [f"- *{r.label}*: {r.text}" for r in t.readings]
            return "\n".join([f"**{name}** — {t.question}", "", "open term" + of, *readings, "", where])
        if kind == "definition":
            d = None
            if corpus is not None:
                d = corpus.definitions.get(name) if owner is None else \
                    (corpus.instruments[owner].definitions.get(name) if owner in corpus.instruments else None)
            head = f"**{name}**" + (f" — {d.title}" if d and d.title else "")
            at = f"definition in {owner}" + (f" › Article {d.article}" if d and d.article else "") if owner else "definition"
            source = self._source(decl) if decl is not None else None
            body = [f"```treaty\n{source}\n```"] if source else []
            return "\n".join([head, "", at, "", *body, "", where])
        if kind == "instrument":
            i = corpus.instruments.get(name) if corpus else None
            if i is None:
                return f"**{name}** (instrument)\n\n{where}"
            facts = [" · ".join(x for x in (i.kind, i.category, f"binding {i.binding}", "draft" if i.draft else None) if x)]
            dates = [f"signed {i.signed}" if i.signed else None, f"in force {i.entry_into_force}" if i.entry_into_force else None,
                     f"terminated {i.terminated}" if i.terminated else None]
            if any(dates):
                facts.append(", ".join(d for d in dates if d))
            if i.parent:
                facts.append(f"to {i.parent}")
            members = sorted({m.state for m in i.memberships})
            if members:
                facts.append("parties " + " ".join(members))
            if i.authors:
                facts.append("by " + " ".join(i.authors))
            if i.articles:
                facts.append("articles " + ", ".join(a.ref for a in i.articles))
            short = f" ({i.short})" if i.short else ""
            return "\n".join([f"**{name}** — {i.title}{short}", "", *[f"- {f}" for f in facts], "", where])
        return None

    def _source(self, decl: Occurrence) -> str | None:
        """The text of the statement that declares `decl` (a definition), from its line to the next statement."""
        text = self.text(decl.span.file)
        if text is None:
            return None
        lines = text.split("\n")
        start = decl.span.line - 1
        out = [lines[start]]
        indent = len(lines[start]) - len(lines[start].lstrip())
        for ln in lines[start + 1:]:
            if not ln.strip() or len(ln) - len(ln.lstrip()) <= indent:
                break
            out.append(ln)
        return "\n".join(ln[indent:] for ln in out)

    # -- completion
    def completion(self, name: str, line: int, col: int) -> list[Completion]:
        text = self.text(name) or ""
        lines = LineIndex(text)
        offset = lines.offset(line, col)
        toks = scan.tokens(text)
        if scan.inside_text(toks, offset):
            return []
        tok = scan.token_at(toks, offset)
        start = tok.start if tok is not None and tok.kind in ("word", "code", "number") and tok.end >= offset else offset
        sl, sc = lines.position(start)
        el, ec = lines.position(max(offset, tok.end if tok is not None and tok.start == start else offset))
        replace = Span(name, sl, sc, el, ec)
        prefix_text, scope = _chunk_before(text, start)
        ctx = _parse_context(prefix_text)
        if ctx is None:  # the text before the cursor does not parse: read the words before it instead
            before = [t.value for t in scan.tokens(prefix_text) if t.kind in ("word", "punct", "code")]
            ctx = (set(KEYWORDS), {"CODE"} if before and before[-1] in ("parties", "=", "by", "toward") else set(),
                   before)
        keywords, accepts, before = ctx
        out: list[Completion] = []
        want = classify(before) if "NAME" in accepts or not accepts else None
        out += self._names_for(want, before, scope, replace, "NAME" in accepts)
        fact_arg = fact_argument(before) if want == "fact-arg" else None
        wrong_kind = fact_arg is not None and _fact_arg_kind(self.names(), *fact_arg) not in (None, "state")
        if "CODE" in accepts and not (before and before[-1] == "state") and not wrong_kind:
            out += [Completion(code, "state", s, replace) for code, s in self._states().items()]
        for w in sorted(keywords):
            out.append(Completion(w, _completion_kind(w), KEYWORDS.get(w, "keyword"), replace))
        return out

    def _states(self) -> dict[str, str]:
        corpus = self.loaded.corpus if self.loaded else None
        if corpus is not None:
            return {c: s.name for c, s in sorted(corpus.states.items())}
        return {c: "state" for c in sorted(self.names().states)}

    def _names_for(self, want: str | None, before: list[str], scope: str | None, replace: Span,
                   name_accepted: bool) -> list[Completion]:
        names = self.names()
        corpus = self.loaded.corpus if self.loaded else None
        out: list[Completion] = []

        def title(table, key, attr):
            x = getattr(corpus, table).get(key) if corpus else None
            return getattr(x, attr) if x is not None else ""

        if want in ("area", "place"):
            out += [Completion(n, "place", title("places", n, "title"), replace) for n in sorted(names.places)]
            out += [Completion(n, "region", title("regions", n, "title"), replace) for n in sorted(names.regions)]
        elif want == "region":
            out += [Completion(n, "region", title("regions", n, "title"), replace) for n in sorted(names.regions)]
        elif want == "instrument":
            out += [Completion(n, "instrument", title("instruments", n, "title"), replace) for n in sorted(names.instruments)]
        elif want in ("term", "fact-term"):
            # `place is` wants terms of places, `alliance is` of instruments, `victim is` of states.
            arg = {"place": "place", "alliance": "instrument"}.get(before[-2] if len(before) >= 2 else "", "state")
            for n in sorted(names.terms):
                if want == "fact-term" or names.term_args.get(n) == arg:
                    out.append(Completion(n, "term", title("terms", n, "question"), replace))
            if want == "fact-term":
                out += [Completion(n, "term", "built-in term", replace) for n in BUILTIN_TERMS]
        elif want == "fact-arg":
            kind = _fact_arg_kind(names, *fact_argument(before))
            if kind in ("place", "area"):
                out += [Completion(x, "place", title("places", x, "title"), replace) for x in sorted(names.places)]
            if kind in ("region", "area"):
                out += [Completion(x, "region", title("regions", x, "title"), replace) for x in sorted(names.regions)]
            if kind == "instrument":
                out += [Completion(x, "instrument", title("instruments", x, "title"), replace)
                        for x in sorted(names.instruments)]
        elif want == "ref" and name_accepted:
            seen = set()
            for owner in names.definition_scopes(scope):
                for (o, n), occ in sorted(names.definitions.items(), key=lambda kv: kv[0][1]):
                    if o == owner and n not in seen:
                        seen.add(n)
                        out.append(Completion(n, "definition", f"definition{' in ' + o if o else ''}", replace))
            out += [Completion(n, "term", title("terms", n, "question"), replace)
                    for n in sorted(names.terms) if names.term_args.get(n) is None and n not in seen]
        return out

    # -- formatting and quick fixes
    def format(self, name: str) -> str | None:
        """`fmt`'s output for the buffer; None when it has syntax errors (nothing is ever lost)."""
        from obligations.syntax.format import format_file
        from obligations.syntax.parse import parse

        text = self.text(name)
        if text is None:
            return None
        tree, diags = parse(text, name)
        if has_errors(diags):
            return None
        return format_file(tree, text)

    def quick_fix(self, name: str, span: Span, suggestion: str) -> Edit | None:
        """Replace the misspelt name a diagnostic points at with its suggestion. Only a span that holds one
        name is replaced; a diagnostic on a whole statement points at the name its message quotes."""
        text = self.text(name)
        if text is None or not suggestion:
            return None
        lines = LineIndex(text)
        a, b = lines.offset(span.line, span.col), lines.offset(span.end_line, span.end_col)
        if _NAME_OR_CODE.fullmatch(text[a:b]):
            return Edit(span, suggestion) if text[a:b] != suggestion else None
        return None

    def quick_fixes(self, name: str, diags: list[Diagnostic]) -> list[tuple[Diagnostic, Edit]]:
        out = []
        for d in diags:
            if d.suggestion:
                span = d.span
                edit = self.quick_fix(name, span, d.suggestion)
                if edit is None:
                    # The span is the statement's: find the name the message quotes inside it.
                    m = re.search(r'"([^"]+)"', d.message)
                    occ = next((o for o in self.index(name).occurrences if m and o.name == m.group(1)
                                and (span.line, span.col) <= (o.span.line, o.span.col)
                                and (o.span.end_line, o.span.end_col) <= (span.end_line, span.end_col)), None)
                    edit = self.quick_fix(name, occ.span, d.suggestion) if occ is not None else None
                if edit is not None:
                    out.append((d, edit))
        return out


_NAME_OR_CODE = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*|[A-Z]{3}|[A-Za-z0-9().]+")


def _fact_arg_kind(names: Names, term: str, n: int) -> str | None:
    """The kind of the `n`-th argument of a fact of `term` (state, place, area, region, instrument)."""
    kinds = BUILTIN_TERMS.get(term) or ((names.term_args[term],) if names.term_args.get(term) else ())
    return kinds[n] if n < len(kinds) else None


def _quote(text: str) -> str:
    return "\n".join("> " + ln for ln in text.split("\n"))


def _completion_kind(word: str) -> str:
    return {"action": "action", "role": "role", "constant": "constant"}.get(KEYWORDS.get(word, ""), "keyword")


def _chunk_before(text: str, offset: int) -> tuple[str, str | None]:
    """The text of the chunk (as the parser cuts a file) up to `offset`, and the instrument it declares."""
    from obligations.syntax.parse import _chunks

    line = text.count("\n", 0, offset)
    chunk_start = 0
    pos = 0
    starts = []
    for off, chunk in _chunks(text):
        starts.append((off, pos))
        pos += len(chunk)
    for off, p in starts:
        if off <= line:
            chunk_start = p
    prefix = text[chunk_start:offset]
    m = re.match(r"\s*(?:#[^\n]*\s*)*([a-z-]+)\s+([a-z][a-z0-9-]*)", prefix)
    from obligations.vocab import INSTRUMENT_KINDS

    scope = m.group(2) if m and m.group(1) in INSTRUMENT_KINDS else None
    return prefix, scope


def _parse_context(prefix: str) -> tuple[set[str], set[str], list[str]] | None:
    """(keywords, other terminals, words before) that the parser accepts after `prefix`; None when the prefix
    does not parse. The parser is the grammar's own (LALR): what it accepts is exactly what may come next."""
    from lark.exceptions import UnexpectedInput

    from obligations.syntax.parse import _parser

    parser = _parser()
    try:
        ip = parser.parse_interactive(prefix)
        seen = [str(t) for t in ip.iter_parse()]
        accepts = ip.accepts()
    except (UnexpectedInput, RecursionError):
        return None
    patterns = {t.name: t.pattern for t in parser.terminals}
    keywords = {patterns[a].value for a in accepts if a in patterns and patterns[a].type == "str"
                and patterns[a].value in KEYWORDS}
    others = {a for a in accepts if not (a in patterns and patterns[a].type == "str")}
    return keywords, others, seen[-12:]
