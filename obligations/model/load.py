"""Paths -> parsed files -> core corpus -> checked corpus.

Clause files are data: a path names files or folders of `.treaty` files,
nothing is fetched or evaluated, links are not followed out of the folder a
user named, only regular files are read, and oversize files (or corpora) are
refused with a diagnostic (obligations/fsio.py).
"""

from __future__ import annotations

import os

from obligations.diagnostics import Diagnostic, has_errors, sort_key
from obligations.model.core import Corpus
from obligations.record import record, replace
from obligations.source import Span

# Parsing, lowering and checking are imported where they run: a query that finds its corpus
# in the cache needs none of them (nor Lark).

DEFAULT_MAX_FILE_BYTES = 4 * 1024 * 1024
DEFAULT_MAX_CORPUS_BYTES = 64 * 1024 * 1024
SUFFIX = ".treaty"

TYPE_CHECKING = False  # typing.TYPE_CHECKING, without importing typing (as type checkers read it)
if TYPE_CHECKING:  # pathlib is imported where a Path is made: not by a query from the shell
    from pathlib import Path


@record
class Loaded:
    corpus: Corpus
    diagnostics: list[Diagnostic]
    texts: dict[str, str]  # path -> source text, for the long form of diagnostics and for telling files apart
    partial: bool = False  # only the part of a packed corpus one question reaches (obligations/model/pack.py)

    @property
    def ok(self) -> bool:
        return not has_errors(self.diagnostics)


def bundled_corpus_dir() -> Path:
    from pathlib import Path

    return Path(_bundled_dir())


def _bundled_dir() -> str:
    """The bundled corpus's folder, as a string: a query from the shell does not import pathlib (with the
    urllib and ipaddress it imports, ~2 ms)."""
    # A source checkout reads its own treaties/ (not another checkout's that an editable install maps).
    here = os.path.dirname(os.path.dirname(os.path.dirname(os.path.realpath(__file__))))
    treaties = os.path.join(here, "treaties")
    if os.path.isfile(os.path.join(treaties, "__init__.py")) and os.path.isfile(os.path.join(here, "grammar", "treaty.lark")):
        return treaties
    from obligations.syntax.grammar import package_dir

    try:
        folder = package_dir("obligations.corpus")
    except ModuleNotFoundError:
        # A source checkout that is not installed: treaties/ sits beside the package.
        return treaties
    if folder is None:
        from importlib import resources

        return str(resources.files("obligations.corpus"))
    return folder


def expand(paths: list[str | Path], diags: list[Diagnostic]) -> list[Path]:
    """The .treaty files that `paths` name, in a stable order, each once (a link and the file it leads to:
    the file). Special files, loops and links out of a folder become diagnostics (obligations/fsio.py)."""
    from pathlib import Path

    return [Path(f.path) for f in listing(paths, diags)]


@record(frozen=True, slots=True)
class Listed:
    """A clause file found: as named, resolved, its name in messages, and the status of what it resolves to."""

    path: str
    real: str
    name: str
    stat: os.stat_result


def listing(paths: list[str | Path], diags: list[Diagnostic]) -> list[Listed]:
    """`expand`, with what a cache key from file metadata needs: nothing here opens a file."""
    from obligations.fsio import treaty_files

    errors: list = []
    found: dict = {}
    files = treaty_files(paths, errors, found)
    diags.extend(e.diagnostic() for e in errors)
    chosen: dict[str, int] = {}
    for i, p in enumerate(files):
        r = found[p][0]
        j = chosen.get(r)
        if j is None or (os.path.islink(files[j]) and not os.path.islink(p)):
            chosen[r] = i
    keep = sorted(chosen.values())
    bundled = os.path.realpath(_bundled_dir())
    out = []
    for i in keep:
        r, st = found[files[i]]
        out.append(Listed(files[i], r, _display_name(files[i], bundled, r), st))
    return out


def read_sources(paths: list[str | Path], diags: list[Diagnostic], max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                 max_total: int = DEFAULT_MAX_CORPUS_BYTES, listed: list[Listed] | None = None) -> dict[str, str]:
    """The text of every file `paths` name (or `listed`, found already), each read whole only if it is a
    regular file within `max_bytes`, and the files together within `max_total`; every refusal a located
    diagnostic."""
    from obligations.fsio import E_TOTAL, FsError, read_regular

    texts: dict[str, str] = {}
    total = 0
    files = listing(paths, diags) if listed is None else listed
    for k, f in enumerate(files):
        name = f.name
        try:
            raw = read_regular(f.path, max_bytes, name)
        except FsError as e:
            diags.append(e.diagnostic(name))
            continue
        total += len(raw)
        if total > max_total:
            left = len(files) - k
            diags.append(Diagnostic(code=E_TOTAL, message=f"the clause files come to more than {max_total} bytes; "
                                    f"{name} and {left - 1} file(s) after it were not read", span=Span.point(name),
                                    hint="raise the limit with --max-corpus-bytes if the corpus is genuine"))
            break
        try:
            texts[name] = raw.decode("utf-8-sig")  # a BOM from a Windows editor is not content
        except UnicodeDecodeError as e:
            line = raw[: e.start].count(b"\n") + 1
            diags.append(Diagnostic(code="E103", message=f"{name} is not UTF-8 text (byte {e.start})", span=Span.point(name, line)))
    return texts


def display_names(paths: list[str | Path]) -> list[str]:
    """The names `read_sources` gives the files that `paths` name."""
    return [f.name for f in listing(paths, [])]


def _display_name(fp: str, bundled: str, r: str | None = None) -> str:
    """How a file is named in messages: the bundled corpus as `treaties/...` wherever it is installed."""
    r = r or os.path.realpath(fp)
    if r == bundled or r.startswith(bundled + os.sep):
        return "treaties/" + os.path.relpath(r, bundled).replace(os.sep, "/")
    return os.fspath(fp)


def load_texts(texts: dict[str, str], check: bool = True) -> Loaded:
    """Parse, resolve and check: the whole corpus from its texts."""
    import gc

    # Parsing makes millions of objects that live on, and the collector's default thresholds walk them again
    # and again (a quarter of checking ten times ATOP's size). Collected a thousand times less often, with
    # the same peak memory (what is made is kept; Lark leaves little cyclic garbage).
    before = gc.get_threshold()
    gc.set_threshold(max(before[0], 100_000), *before[1:])
    try:
        return _load_texts(texts, check)
    finally:
        gc.set_threshold(*before)


def _load_texts(texts: dict[str, str], check: bool = True) -> Loaded:
    from obligations.check import run_checks
    from obligations.model.resolve import resolve
    from obligations.syntax.parse import parse

    diags: list[Diagnostic] = []

    def parsed():
        # Handed to the resolver one by one, not as a list kept here: the resolver lets each file's tree go
        # once it is resolved (its diagnostics come after every parse's, as before). One table of strings for
        # the corpus: what its files repeat is one string (syntax/parse.py).
        strings: dict[str, str] = {}
        for name, text in texts.items():
            f, d = parse(text, name, strings)
            diags.extend(d)
            yield f

    corpus, d = resolve(parsed(), texts)
    diags.extend(d)
    if check:
        from obligations.check import text

        diags.extend(run_checks(corpus))
        diags.extend(text.check(texts))
    diags.sort(key=sort_key)
    return Loaded(corpus, _dedupe(diags), dict(texts))


def _engine_key() -> bytes:
    """The engine's part of every corpus key: its version, the grammar, and the code that turns text into a
    checked corpus (any change to it invalidates the cache, version bump or not: an editable install changes
    under the cache's feet)."""
    from obligations import __version__
    from obligations.cache import key_for
    from obligations.syntax.grammar import grammar_text

    pkg = os.path.dirname(os.path.dirname(os.path.realpath(__file__)))
    # Size and modification time stand for the content: an edit or a reinstall changes them, and a stat
    # costs a query far less than reading the engine's sources.
    files = [f"{sub}/{n}" for sub in ("syntax", "model", "check") for n in sorted(os.listdir(os.path.join(pkg, sub)))
             if n.endswith(".py")]
    code = []
    for rel in [*files, "diagnostics.py", "source.py", "vocab.py", "record.py"]:
        st = os.stat(os.path.join(pkg, rel))
        code.append(f"{rel}:{st.st_size}:{st.st_mtime_ns}".encode())
    return key_for(__version__.encode(), grammar_text().encode(), key_for(*code).encode()).encode()


def _cache_key(texts: dict[str, str]) -> str:
    """The corpus's cache key: the engine (`_engine_key`) and every file's name and text, each part
    length-prefixed (obligations/cache.py: `key_for`), so a file that contains NUL cannot stand for two files."""
    from obligations.cache import digest, key_for

    # Each text stands in the key by its digest: the encoded texts are not all held at once (at ATOP x100 they
    # were 130 MB more, whose freed pages the parse that follows did not reuse).
    parts = [b"obligations-corpus", _engine_key()]
    for name in sorted(texts):
        parts += [name.encode("utf-8", "surrogatepass"), digest(texts[name].encode("utf-8", "surrogatepass"))]
    return key_for(*parts)


def _meta_key(listed: list[Listed]) -> str:
    """The packed corpus's key, from the files' metadata only (reading 80,000 files to hash them would cost a
    query seconds): name, resolved path, size, modification and change times, device and inode. Writing a
    file changes its change time, which no user call can set back; obligations/model/pack.py also confirms
    the text of every file it reads from."""
    from obligations.cache import key_for

    # One record per file, NUL-separated (no name or path holds a NUL): one hash over them all.
    records = "".join(f"{f.name}\0{f.real}\0{f.stat.st_size}\0{f.stat.st_mtime_ns}\0{f.stat.st_ctime_ns}\0"
                      f"{f.stat.st_dev}\0{f.stat.st_ino}\0\0" for f in listed)
    return key_for(b"obligations-index", _engine_key(), records.encode("utf-8", "surrogatepass"))


# What a whole corpus's entry (the texts and the corpus, pickled) comes to, per character of text: 2.2 for the
# bundled corpus, 2.5 for ATOP, more for a few small files. The cache refuses an entry past its bound only once
# it is made, and making it costs a large corpus more memory than loading it did: at ATOP x100 (a 330 MB
# pickle, over the default 256 MiB) an estimate of 2 made it anyway, 15 s and 700 MB for nothing.
_PICKLE_PER_CHAR = 2.5


def load_texts_cached(texts: dict[str, str]) -> Loaded:
    """`load_texts`, kept in the user's cache (obligations/cache.py) under a key that covers the content of
    every file, the grammar and the engine's code: parsing the corpus is most of a query's cost. An entry is
    deserialized only after its HMAC verifies under the user's own key; a missing, forged or damaged entry
    is rebuilt. OBLIGATIONS_NO_CACHE=1 turns the cache off; an unsafe cache folder is refused with a warning."""
    from obligations.cache import open_cache

    cache = open_cache()
    if cache is None:
        return load_texts(texts)
    if _PICKLE_PER_CHAR * sum(map(len, texts.values())) > cache.limit:
        cache.close()  # its pickle would not fit: not worth making
        return load_texts(texts)
    with cache:
        try:
            key = _cache_key(texts)
        except OSError:  # the engine's own files cannot be read: no cache, not an error
            return load_texts(texts)
        import pickle

        payload = cache.get(key)
        if payload is not None:
            try:
                loaded = _unpickle(payload)  # authenticated: written by this user's engine
                if isinstance(loaded, Loaded):
                    return loaded
            except Exception:  # an entry from another version of the engine: rebuilt
                pass
        loaded = load_texts(texts)
        try:
            cache.put(key, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
        except (pickle.PicklingError, RecursionError, MemoryError):
            pass  # no cache is slower, not wrong
        return loaded


def _unpickle(payload: bytes):
    """pickle.loads, with the cyclic garbage collector paused (`_gc_paused`)."""
    import pickle

    with _gc_paused():
        return pickle.loads(payload)


class _gc_paused:
    """The cyclic garbage collector paused: unpickling a corpus makes thousands of objects and no garbage, and
    the collector's passes over them meanwhile (some 25 on the bundled corpus) were a tenth of loading it."""

    def __enter__(self):
        import gc

        self.was = gc.isenabled()
        gc.disable()

    def __exit__(self, *exc):
        if self.was:
            import gc

            gc.enable()


def _dedupe(diags: list[Diagnostic]) -> list[Diagnostic]:
    seen = set()
    out = []
    for d in diags:
        k = (d.code, d.message, d.span.file, d.span.line, d.span.col)
        if k not in seen:
            seen.add(k)
            out.append(d)
    return out


def load_paths(paths: list[str | Path], max_bytes: int = DEFAULT_MAX_FILE_BYTES,
               max_total: int = DEFAULT_MAX_CORPUS_BYTES, listed: list[Listed] | None = None) -> Loaded:
    """The checked corpus of the files `paths` name (`listed`: found already, with what listing them said)."""
    diags: list[Diagnostic] = []
    texts = read_sources(paths, diags, max_bytes, max_total, listed)
    loaded = load_texts_cached(texts)
    loaded.diagnostics = sorted(diags + loaded.diagnostics, key=sort_key)
    return loaded


def load_corpus(corpus: list[str | Path] | None = None, with_: list[str | Path] | None = None,
                max_bytes: int = DEFAULT_MAX_FILE_BYTES, max_total: int = DEFAULT_MAX_CORPUS_BYTES,
                focus=None) -> Loaded:
    """The corpus a query runs on: the bundled one (or `corpus`), plus the user's own files. With `focus`
    (obligations/model/pack.py), only the part of a packed corpus that question can reach, when the cache
    holds it; the whole corpus otherwise (and the pack is made for the next query)."""
    base = list(corpus) if corpus else [_bundled_dir()]
    paths = base + list(with_ or [])
    if focus is None:
        return load_paths(paths, max_bytes, max_total)
    diags: list[Diagnostic] = []
    listed = listing(paths, diags)
    if diags or any(f.stat.st_size > max_bytes for f in listed) or sum(f.stat.st_size for f in listed) > max_total:
        return load_paths(paths, max_bytes, max_total)  # reported there, as for every other command
    from obligations.cache import open_cache

    cache = open_cache()
    if cache is None:
        return load_paths(paths, max_bytes, max_total)
    with cache:
        try:
            key = _meta_key(listed)
        except OSError:
            return load_paths(paths, max_bytes, max_total)
        user = frozenset(f.name for f in listing(list(with_ or []), [])) if with_ else frozenset()
        got = _packed(cache, key, listed, focus, user, max_bytes, max_total)
        if got is not None:
            return got
        loaded = load_paths(paths, max_bytes, max_total, listed)  # listed without a diagnostic (above)
        if loaded.ok:
            _pack(cache, key, loaded)
        return loaded


def _packed(cache, key: str, listed: list[Listed], focus, user: frozenset[str], max_bytes: int,
            max_total: int) -> Loaded | None:
    """The part of the packed corpus under `key` that `focus` reaches, or None (no pack, a damaged one, or a
    file whose text is not what the pack was made from)."""
    from obligations.cache import digest
    from obligations.model import pack

    payload = cache.get(key)
    if payload is None:
        return None
    try:
        index = _unpickle(payload)  # authenticated: written by this user's engine
        if not isinstance(index, dict) or index.get("format") != pack.FORMAT:
            return None
        units = pack.select(index, focus, user)
        blobs = cache.get_slices(index["pack"], pack.slices(index, units))
        if blobs is None:
            return None
        wanted = pack.files_of(index, units[1:])
        for name in user:
            wanted[name] = pack.file_digest(index, name)
        diags: list[Diagnostic] = []
        texts = read_sources([], diags, max_bytes, max_total, [f for f in listed if f.name in wanted])
        if diags or len(texts) != len(wanted) or any(
                digest(t.encode("utf-8", "surrogatepass")) != wanted[n] for n, t in texts.items()):
            return None
        with _gc_paused():
            corpus = pack.assemble(blobs, index["compressed"])
    except Exception:  # an entry from another version of the engine: rebuilt
        return None
    return Loaded(corpus, list(index["diagnostics"]), texts, partial=True)


def _pack(cache, key: str, loaded: Loaded) -> None:
    import pickle

    from obligations.cache import key_for
    from obligations.model import pack

    try:
        index, units = pack.build(loaded.corpus, loaded.texts)
        index["pack"] = key_for(key.encode(), b"units")
        index["diagnostics"] = loaded.diagnostics
        payload = b"".join(units)
        del units  # not held beside the joined copy while it is stored (ATOP x100: 110 MB each)
        stored = cache.put(index["pack"], payload)
        del payload
        if stored:
            cache.put(key, pickle.dumps(index, protocol=pickle.HIGHEST_PROTOCOL))
    except (pickle.PicklingError, RecursionError, MemoryError):
        pass  # no pack is slower, not wrong


def load_layered(base: list[str | Path], top: list[str | Path], max_bytes: int = DEFAULT_MAX_FILE_BYTES,
                 max_total: int = DEFAULT_MAX_CORPUS_BYTES) -> Loaded:
    """`top` read over `base`: an instrument (or state, place, region, term) that `top` declares replaces
    the one of the same name in `base`, so a revised treaty can be read in place of the bundled one."""
    from obligations.check import run_checks
    from obligations.model.resolve import resolve
    from obligations.syntax.parse import parse

    diags: list[Diagnostic] = []
    top_texts = read_sources(top, diags, max_bytes, max_total)
    base_texts = {k: v for k, v in read_sources(base, diags, max_bytes, max_total).items() if k not in top_texts}
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
        files.append(replace(f, items=[it for it in f.items if _key(it) not in declared]))
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
