"""The corpus packed for queries that need only part of it: each instrument (with its clauses) stored apart,
and an index that says which instruments a question can reach.

A query about one party (`ask`, `conflicts`) or one victim (`who` without a cascade) reads only the
instruments that can matter to it; at ten or a hundred times ATOP's size, unpickling the whole corpus costs
seconds (issue 18). What "can matter" is an over-approximation, never a guess:

- every instrument that mentions a state of the question anywhere (a party, author, addressee, designee, a
  state named in a clause or a condition), or, for `who`, whose clauses can cover the victim: the states a
  clause's conditions require of the victim (`victim is party of X`: X's members on any date), and every
  instrument with a clause whose victim is not bounded that way;
- the instruments the question names (its alliance, drafts, `--without`), those the user's own files hold,
  and those that facts, terms or definitions name;
- then everything reachable from those through a reference in either direction (`to` a parent treaty, a
  condition on another instrument's parties): a protocol's designees make its treaty matter, and the reverse.

Commands whose answer ranges over every instrument (a cascade, `--all`, a joining or an alliance condition in
a symbolic search, `--join`) read the whole corpus. tests/test_pack.py checks, question by question, that the
packed answer is the whole corpus's answer, byte for byte.

Storage (obligations/cache.py): the index is one authenticated entry, found by a key taken from the files'
metadata (name, size, modification and change times, inode: any edit changes the change time); the units sit
in one pack entry, read slice by slice, each slice checked against the digest the authenticated index holds
before it is unpickled. The files behind the instruments read are then re-read and checked against the hashes
of the text the index was built from, so an edit that kept every timestamp (a coarse clock) is still caught:
a mismatch rebuilds the whole entry.
"""

from __future__ import annotations

import pickle
from collections.abc import Mapping

from obligations.model import core as C
from obligations.record import field_names, record
from obligations.model.core import Corpus
from obligations.vocab import Deontic, entails

FORMAT = b"obligations-pack-2"

# Units are compressed only when the corpus's text is larger than this: decompressing the bundled corpus's
# units was a tenth of a query from the shell, and only a large pack needs the space (units are about three
# times the text they come from). Decided before the first unit is made: each is compressed as it is made.
COMPRESS_OVER = 4 * 1024 * 1024


@record(frozen=True, slots=True)
class Focus:
    """What a question needs of the corpus: the states it names, the instruments it names, and, for `who`,
    the victim whose protectors are sought."""

    states: frozenset[str] = frozenset()
    instruments: frozenset[str] = frozenset()
    victim: str | None = None
    action: str = "assist"  # what `who` asks the victim's protectors to do


# ---- building ------------------------------------------------------------------------------------------

_FIELDS: dict[type, tuple[str, ...]] = {}  # a record's field names (anything else holds no names)


def _strings(obj, out: set[str], seen: set[int]) -> None:
    """Every string inside a model value (spans aside: they name files, not states or instruments)."""
    stack = [obj]
    while stack:
        o = stack.pop()
        if isinstance(o, str):
            out.add(o)
            continue
        if o is None or isinstance(o, (bool, int, float, C.Span)) or id(o) in seen:
            continue
        seen.add(id(o))
        if isinstance(o, (tuple, list, set, frozenset)):
            stack.extend(o)
        elif isinstance(o, dict):
            stack.extend(o.keys())
            stack.extend(o.values())
        else:
            names = _FIELDS.get(type(o))
            if names is None:
                names = _FIELDS[type(o)] = field_names(o) or ()
            stack.extend(getattr(o, n) for n in names)


def _ever(corpus: Corpus, c: C.Cond) -> frozenset[str] | None:
    """The victims an atom can cover on some date (core.victim_domain): an instrument's members or designees
    over all their spells; None for anything else (unbounded)."""
    if not isinstance(c, (C.IsParty, C.IsDesignated)):
        return None
    inst = corpus.instruments.get(c.instrument)
    if inst is None:
        return frozenset()
    if isinstance(c, C.IsParty):
        return frozenset(m.state for m in inst.memberships)
    pool = [inst] + [corpus.instruments[n] for n in corpus.children(c.instrument)]
    return frozenset(m.state for i in pool for m in i.designations)


def build(corpus: Corpus, files: dict[str, str]) -> tuple[dict, list[bytes]]:
    """The index and the units (unit 0: the world and the facts; unit k: the k-th instrument and its clauses,
    each clause with its place in the corpus's order). `files`: each file's text, for the hashes that later
    confirm what is read."""
    names = list(corpus.instruments)
    pos = {n: k + 1 for k, n in enumerate(names)}
    states = set(corpus.states)
    by_inst: dict[str, list] = {}
    for i, cl in enumerate(corpus.clauses):
        by_inst.setdefault(cl.instrument, []).append((i, cl))
    base = Corpus(**{t: {k: pickle.dumps(v, protocol=pickle.HIGHEST_PROTOCOL) for k, v in getattr(corpus, t).items()}
                     for t in WORLD_TABLES},
                  definitions=corpus.definitions, instruments={}, clauses=[], facts=corpus.facts)
    import zlib

    compressed = sum(map(len, files.values())) > COMPRESS_OVER

    def unit(value) -> bytes:
        b = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
        return zlib.compress(b, 1) if compressed else b

    units = [unit(base)]
    postings: dict[str, list[int]] = {}
    universal: dict[tuple[str, str], list[int]] = {}  # (deontic, action) -> units with an unbounded clause
    edges: dict[int, set[int]] = {}
    unit_file: list[str | None] = [None]
    for n in names:
        k = pos[n]
        inst = corpus.instruments[n]
        own = by_inst.get(n, [])
        found: set[str] = set()
        _strings(inst, found, set())
        _strings([cl for _, cl in own], found, set())
        mentions = found & states
        for _, cl in own:
            d = C.victim_domain(cl, lambda a: _ever(corpus, a))
            if d is None:
                ks = universal.setdefault((cl.deontic.value, cl.action), [])
                if not ks or ks[-1] != k:
                    ks.append(k)
            else:
                mentions |= d
        for s in mentions:
            postings.setdefault(s, []).append(k)
        for other in (found & pos.keys()) - {n}:
            edges.setdefault(k, set()).add(pos[other])
            edges.setdefault(pos[other], set()).add(k)
        units.append(unit((inst, own)))
        unit_file.append(inst.span.file)
    named: set[str] = set()
    _strings([corpus.facts, corpus.terms, corpus.definitions], named, set())
    always = sorted(pos[x] for x in named & pos.keys())
    # Plain arrays: the index is read by every query, and 80,000 small tuples cost it a tenth of a second.
    from array import array

    from obligations.cache import digest

    offsets, lengths, digests, off = array("q"), array("q"), [], 0
    for u in units:
        offsets.append(off)
        lengths.append(len(u))
        digests.append(digest(u))
        off += len(u)
    file_names = sorted(files)
    file_no = {n: k for k, n in enumerate(file_names)}
    index = {
        "format": FORMAT,
        "compressed": compressed,
        "names": names,
        "postings": {s: tuple(ks) for s, ks in postings.items()},
        "universal": {k: tuple(v) for k, v in universal.items()},
        "edges": {k: tuple(sorted(v)) for k, v in edges.items()},
        "always": tuple(always),
        "unit_file": array("q", [-1 if f is None else file_no.get(f, -1) for f in unit_file]).tobytes(),
        "offsets": offsets.tobytes(),
        "lengths": lengths.tobytes(),
        "digests": b"".join(digests),
        "file_names": file_names,
        "file_digests": b"".join(digest(files[n].encode("utf-8", "surrogatepass")) for n in file_names),
    }
    return index, units


# ---- reading -------------------------------------------------------------------------------------------

def select(index: dict, focus: Focus, user_files: frozenset[str] = frozenset()) -> list[int]:
    """The units a question with `focus` can reach (unit 0 always), in the corpus's order."""
    pos = {n: k + 1 for k, n in enumerate(index["names"])}
    seed = set(index["always"])
    for s in focus.states:
        seed.update(index["postings"].get(s, ()))
    if focus.victim is not None:
        seed.update(index["postings"].get(focus.victim, ()))
        # Only a clause that can oblige what is asked (Encoder.candidates) can make a protector.
        for (deontic, action), ks in index["universal"].items():
            if deontic == Deontic.MUST.value and entails(action, focus.action):
                seed.update(ks)
    seed.update(pos[n] for n in focus.instruments if n in pos)
    if user_files:
        mine = {k for k, n in enumerate(index["file_names"]) if n in user_files}
        seed.update(k for k, f in enumerate(_ints(index["unit_file"])) if f in mine)
    out, stack, edges = set(seed), list(seed), index["edges"]
    while stack:
        for j in edges.get(stack.pop(), ()):
            if j not in out:
                out.add(j)
                stack.append(j)
    return [0] + sorted(out - {0})


def _ints(b: bytes):
    from array import array

    a = array("q")
    a.frombytes(b)
    return a


def slices(index: dict, units: list[int]) -> list[tuple[int, int, bytes]]:
    """Where each unit lies in the pack, and the digest it must have (obligations/cache.py: `digest`)."""
    offsets, lengths, digests = _ints(index["offsets"]), _ints(index["lengths"]), index["digests"]
    return [(offsets[k], lengths[k], digests[32 * k:32 * k + 32]) for k in units]


def files_of(index: dict, units: list[int]) -> dict[str, bytes]:
    """The files the units come from, each with the digest of the text the pack was made from."""
    unit_file, names, digests = _ints(index["unit_file"]), index["file_names"], index["file_digests"]
    out = {}
    for k in units:
        f = unit_file[k]
        if f >= 0:
            out[names[f]] = digests[32 * f:32 * f + 32]
    return out


def file_digest(index: dict, name: str) -> bytes | None:
    import bisect

    names = index["file_names"]
    k = bisect.bisect_left(names, name)
    return index["file_digests"][32 * k:32 * k + 32] if k < len(names) and names[k] == name else None


# The world's tables, stored entry by entry in unit 0 and read as they are asked for (`WorldTable`).
WORLD_TABLES = ("states", "regions", "places", "terms")


class WorldTable(Mapping):
    """A table of the world (states, places, regions, terms) whose entries are unpickled the first time they are
    asked for: a question about three states and a place reads those, not the world's 222 states and 284
    places, whose unpickling was the largest part of a query from the shell. Keys, membership and length
    cost nothing; anything that reads every value (`items()`, `values()`, `==`) reads them all, and gets the
    same values a dict would give. Pickled, it is a dict."""

    __slots__ = ("_raw", "_got")

    def __init__(self, raw: dict[str, bytes]):
        self._raw = raw  # each entry pickled apart, inside unit 0 (verified as a whole before it is read)
        self._got: dict = {}

    def __getitem__(self, key):
        got = self._got.get(key, _ABSENT)
        if got is _ABSENT:
            got = self._got[key] = pickle.loads(self._raw[key])
        return got

    def __iter__(self):
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)

    def __contains__(self, key) -> bool:
        return key in self._raw

    def __reduce__(self):
        return (dict, (dict(self.items()),))

    def __repr__(self) -> str:
        return f"WorldTable({sorted(self._raw)!r})"


_ABSENT = object()


def assemble(blobs: list[bytes], compressed: bool) -> Corpus:
    """A corpus from unit 0 and the instrument units chosen, in the corpus's order."""
    if compressed:
        import zlib

        blobs = [zlib.decompress(b) for b in blobs]
    base: Corpus = pickle.loads(blobs[0])  # authenticated by the caller (obligations/cache.py)
    for t in WORLD_TABLES:
        setattr(base, t, WorldTable(getattr(base, t)))
    numbered = []
    for b in blobs[1:]:
        inst, own = pickle.loads(b)
        base.instruments[inst.name] = inst
        numbered.extend(own)
    numbered.sort(key=lambda x: x[0])
    base.clauses = [cl for _, cl in numbered]
    base.__post_init__()
    return base
