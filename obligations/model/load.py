"""Paths -> parsed files -> core corpus -> checked corpus.

Clause files are data: a path names files or folders of `.treaty` files,
nothing is fetched or evaluated, links are not followed out of the folder a
user named, and oversize files are refused with a diagnostic.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from obligations.diagnostics import Diagnostic, has_errors, sort_key
from obligations.model.core import Corpus
from obligations.source import Span

# Parsing, lowering and checking are imported where they run: a query that finds its corpus
# in the cache needs none of them (nor Lark).

DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
SUFFIX = ".treaty"


@dataclass
class Loaded:
    corpus: Corpus
    diagnostics: list[Diagnostic]
    texts: dict[str, str]  # path -> source text, for the long form of diagnostics and for telling files apart

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def bundled_corpus_dir() -> Path:
    try:
        return Path(str(resources.files("obligations.corpus")))
    except ModuleNotFoundError:
        # A source checkout that is not installed: treaties/ sits beside the package.
        return Path(__file__).resolve().parents[2] / "treaties"


def expand(paths: list[str | Path], diags: list[Diagnostic]) -> list[Path]:
    """The .treaty files that `paths` name, in a stable order, each once."""
    out = _expand(paths, diags)
    seen: set[Path] = set()
    unique = []
    for p in out:
        r = p.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(p)
    return unique


def _expand(paths: list[str | Path], diags: list[Diagnostic]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        p = Path(p)
        if not p.exists():
            diags.append(Diagnostic(code="E100", message=f"no such file or folder: {p}", span=Span.point(str(p))))
            continue
        if p.is_dir():
            root = p.resolve()
            for dirpath, dirnames, filenames in os.walk(p, followlinks=False):
                dirnames.sort()
                for fn in sorted(filenames):
                    if not fn.endswith(SUFFIX):
                        continue
                    fp = Path(dirpath) / fn
                    if fp.is_symlink() and not _inside(fp.resolve(), root):
                        diags.append(Diagnostic(code="E101", message=f"{fp} links outside {p}; not read", span=Span.point(str(fp)),
                                                hint="clause files are read only from inside the folder you name"))
                        continue
                    out.append(fp)
        else:
            out.append(p)
    return out


def _inside(path: Path, root: Path) -> bool:
    try:
        path.relative_to(root)
        return True
    except ValueError:
        return False


def read_sources(paths: list[str | Path], diags: list[Diagnostic], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> dict[str, str]:
    texts: dict[str, str] = {}
    bundled = bundled_corpus_dir().resolve()
    for fp in expand(paths, diags):
        name = _display_name(fp, bundled)
        try:
            size = fp.stat().st_size
            if size > max_bytes:
                diags.append(Diagnostic(code="E102", message=f"{name} is {size} bytes, over the limit of {max_bytes}", span=Span.point(name),
                                        hint="raise the limit with --max-file-bytes if the file is genuine"))
                continue
            raw = fp.read_bytes()
        except OSError as e:
            diags.append(Diagnostic(code="E100", message=f"cannot read {name}: {e.strerror or e}", span=Span.point(name)))
            continue
        try:
            texts[name] = raw.decode("utf-8-sig")  # a BOM from a Windows editor is not content
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            diags.append(Diagnostic(code="E103", message=f"{name} is not UTF-8 text (byte {e.start})", span=Span.point(name, line)))
    return texts


def display_names(paths: list[str | Path]) -> list[str]:
    """The names `read_sources` gives the files that `paths` name."""
    bundled = bundled_corpus_dir().resolve()
    return [_display_name(p, bundled) for p in expand(paths, [])]


def _display_name(fp: Path, bundled: Path) -> str:
    """How a file is named in messages: the bundled corpus as `treaties/...` wherever it is installed."""
    r = fp.resolve()
    if r == bundled or bundled in r.parents:
        return "treaties/" + r.relative_to(bundled).as_posix()
    return str(fp)


def load_texts(texts: dict[str, str], check: bool = True) -> Loaded:
    from obligations.check import run_checks
    from obligations.model.resolve import resolve
    from obligations.syntax.parse import parse

    diags: list[Diagnostic] = []
    files = []
    for name, text in texts.items():
        f, d = parse(text, name)
        files.append(f)
        diags.extend(d)
    corpus, d = resolve(files, texts)
    diags.extend(d)
    if check:
        diags.extend(run_checks(corpus))
    diags.sort(key=sort_key)
    return Loaded(corpus, _dedupe(diags), dict(texts))


def _cache_dir() -> Path | None:
    if os.environ.get("OBLIGATIONS_NO_CACHE"):
        return None
    root = os.environ.get("OBLIGATIONS_CACHE_DIR") or os.path.join(
        os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache"), "obligations")
    return Path(root)


def _cache_key(texts: dict[str, str]) -> str:
    import hashlib

    from obligations import __version__
    from obligations.syntax.grammar import grammar_text

    h = hashlib.sha256()
    h.update(__version__.encode())
    h.update(grammar_text().encode())
    # The code that turns text into a checked corpus: any change to it invalidates the cache,
    # version bump or not (an editable install changes under the cache's feet).
    pkg = Path(__file__).resolve().parents[1]
    # Size and modification time stand for the content: an edit or a reinstall changes them, and a stat
    # costs a query far less than reading the engine's sources.
    for f in [*(f for sub in ("syntax", "model", "check") for f in sorted((pkg / sub).glob("*.py"))),
              pkg / "diagnostics.py", pkg / "source.py", pkg / "vocab.py"]:
        st = f.stat()
        h.update(f"{f.relative_to(pkg)}:{st.st_size}:{st.st_mtime_ns};".encode())
    for name in sorted(texts):
        h.update(name.encode() + b"\0" + texts[name].encode() + b"\0")
    return h.hexdigest()


def load_texts_cached(texts: dict[str, str]) -> Loaded:
    """`load_texts`, kept in a cache keyed by the content of every file, the grammar and the engine's
    version: parsing the corpus is most of a query's cost. The cache lives in the user's own cache
    folder (OBLIGATIONS_CACHE_DIR, or ~/.cache/obligations), is written atomically, and any entry
    that cannot be read is ignored and rebuilt. OBLIGATIONS_NO_CACHE=1 turns it off."""
    import pickle

    d = _cache_dir()
    if d is None:
        return load_texts(texts)
    try:
        f = d / (_cache_key(texts) + ".pickle")
    except OSError:  # the engine's own files cannot be read: no cache, not an error
        return load_texts(texts)
    try:
        with open(f, "rb") as fh:
            loaded = pickle.load(fh)
        if isinstance(loaded, Loaded):
            return loaded
    except Exception:  # a missing, stale or damaged entry is rebuilt, never trusted
        pass
    loaded = load_texts(texts)
    try:
        d.mkdir(parents=True, exist_ok=True, mode=0o700)
        tmp = f.with_suffix(f".{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(loaded, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, f)
    except (OSError, pickle.PicklingError, RecursionError):
        pass  # no cache is slower, not wrong
    return loaded


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diags:
        k = (d.code, d.message, d.span.file, d.span.line, d.span.col)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out


def load_paths(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Loaded:
    diags: list[Diagnostic] = []
    texts = read_sources(paths, diags, max_bytes)
    loaded = load_texts_cached(texts)
    loaded.diagnostics = sorted(diags + loaded.diagnostics, key=sort_key)
    return loaded


def load_corpus(corpus: list[str | Path] | None = None, with_: list[str | Path] | None = None,
                max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Loaded:
    """The corpus a query runs on: the bundled one (or `corpus`), plus the user's own files."""
    base = list(corpus) if corpus else [bundled_corpus_dir()]
    return load_paths(base + list(with_ or []), max_bytes)


def load_layered(base: list[str | Path], top: list[str | Path], max_bytes: int = DEFAULT_MAX_FILE_BYTES) -> Loaded:
    """`top` read over `base`: an instrument (or state, place, region, term) that `top` declares replaces
    the one of the same name in `base`, so a revised treaty can be read in place of the bundled one."""
    from obligations.check import run_checks
    from obligations.model.resolve import resolve
    from obligations.syntax.parse import parse

    diags: list[Diagnostic] = []
    top_texts = read_sources(top, diags, max_bytes)
    base_texts = {k: v for k, v in read_sources(base, diags, max_bytes).items() if k not in top_texts}
    parsed_top = []
    for name, text in top_texts.items():
        f, d = parse(text, name)
        parsed_top.append(f)
        diags.extend(d)
    declared = {_key(it) for f in parsed_top for it in f.items if _key(it)}
    files = []
    for name, text in base_texts.items():
        f, d = parse(text, name)
        diags.extend(d)
        files.append(f.model_copy(update={"items": [it for it in f.items if _key(it) not in declared]}))
    texts = {**base_texts, **top_texts}
    corpus, d = resolve(files + parsed_top, texts)
    diags.extend(d)
    diags.extend(run_checks(corpus))
    return Loaded(corpus, sorted(_dedupe(diags), key=sort_key), texts)


def _key(it) -> tuple[str, str] | None:
    from obligations.syntax import ast as A

    for cls, attr in ((A.Instrument, "name"), (A.StateDecl, "code"), (A.PlaceDecl, "name"), (A.RegionDecl, "name"), (A.TermDecl, "name")):
        if isinstance(it, cls):
            return (cls.__name__, getattr(it, attr))
    return None
