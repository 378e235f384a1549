"""What the fuzzers share: hostile tokens, a seeded mutator, the pipeline an input must survive, and the
hostile file-system and CSV cases. Used by tests/test_fuzz.py (Hypothesis, short) and tests/fuzz_long.py
(seeded `random`, a million inputs and more).

An input survives when parse -> resolve -> check ends in a corpus and located diagnostics (never an exception),
each diagnostic renders, and what the CLI would print of it has no unsafe character; when it parses cleanly,
its canonical form parses cleanly again and formats to itself.
"""

from __future__ import annotations

import io
import os
import random
import re
import socket
import tempfile
from pathlib import Path

from hostile import EVIL, atop_member_row, atop_members_csv, diamond_definitions, diamond_regions, hostile_corpus

TOKENS = ["end", "article", "clause", "if", "and", "or", "not", "(", ")", '"', "\\", "#", "\n", "{", "}", ",",
          "victim", "party", "must", "must not", "upon", "armed-attack", "1949-02-30", "0000-00-00", "9999-99-99",
          "USA", "XXX", "place", "in", "=", "*", "fact", "treaty", "state", "region", "includes", "\x00", "\ufeff", "\u2028",
          # the classes of issue 17: escapes, bidi, invisible characters, numbers and dates at the edges
          "\x1b[2K", "\x1b]0;t\x07", "\x1b]8;;http://x\x1b\\", "\r", "\x9b", "\x85", "\x7f", "\u202e", "\u2066", "\u200b",
          "\ufeff", "\U000e0041", "\ud800", "9" * 12, "9" * 5000, "9999-12-31", "0001-01-01", "date < 9999-12-31",
          "ccode ", "atop ", "expect 99999999999 must assist", "possibly-in ", "define d as ", "term t \"q\" of state",
          " ccode " + "9" * 5000, " atop " + "9" * 4400, "\nstate ZZZ \"Z\" ccode " + "1" * 4400 + "\n"]

EDGE_NUMBERS = ["0", "1", "999999999", "1000000000", "9" * 12, "9" * 4301, "1" * 5000, "00000000000000000001"]
EDGE_DATES = ["0001-01-01", "9999-12-31", "9999-12-30", "2000-02-29", "1900-02-29", "0000-01-01", "2024-13-01"]

HOSTILE_CHARS = "\x00\x01\x07\x08\x0b\x0c\r\x1b\x7f\x80\x85\x9b\x9d\u061c\u200b\u200c\u200d\u200e\u200f\u202a\u202b" \
                "\u202c\u202d\u202e\u2060\u2066\u2067\u2068\u2069\u2028\u2029\ufeff\ufff9\U000e0001\U000e0041\ud800\udcff"


_NUMBER_OR_DATE = re.compile(r"\b\d{4}-\d{2}-\d{2}\b|(?<=ccode )\d+|(?<=atop )\d+|(?<=expect )\d+")


def mutate(rng: random.Random, text: str, steps: int | None = None) -> str:
    """`text` changed 1 to 6 times: characters deleted, tokens inserted or replaced, lines doubled or dropped,
    the tail cut, an escape or bidi character put inside a string or a comment, another file spliced in."""
    for _ in range(steps if steps is not None else rng.randint(1, 6)):
        n = len(text)
        i = rng.randint(0, n)
        op = rng.randrange(10)
        if op == 0 and n:
            text = text[:i] + text[min(n, i + rng.randint(1, 20)):]
        elif op == 1:
            text = text[:i] + rng.choice(TOKENS) + text[i:]
        elif op == 2 and n:
            text = text[:i] + rng.choice(TOKENS) + text[i + 1:]
        elif op in (3, 4):
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            if op == 3:
                lines.insert(k, lines[k])
            else:
                del lines[k]
            text = "\n".join(lines)
        elif op == 5:
            text = text[:i]
        elif op == 6:  # inside a string or a comment: where an attacker would hide it
            spots = [j + 1 for j, c in enumerate(text) if c in '"#'] or [i]
            j = rng.choice(spots)
            text = text[:j] + "".join(rng.choice(HOSTILE_CHARS) for _ in range(rng.randint(1, 4))) + text[j:]
        elif op == 7:
            text = text[:i] + "".join(rng.choice(HOSTILE_CHARS) for _ in range(rng.randint(1, 3))) + text[i:]
        elif op == 8:  # a number or a date at the edge of what the engine can hold
            spots = list(_NUMBER_OR_DATE.finditer(text))
            if spots:
                m = rng.choice(spots)
                edge = EDGE_DATES if "-" in m.group() else EDGE_NUMBERS
                text = text[:m.start()] + rng.choice(edge) + text[m.end():]
        else:
            j = rng.randint(0, n)
            text = text[:min(i, j)] + text[max(i, j):] + text[min(i, j):max(i, j)]  # a block moved to the end
    return text


def render_safely(diags, text: str) -> None:
    """Render each diagnostic as the CLI would, through a SafeStream: nothing unsafe may come out."""
    from obligations.safetext import UNSAFE_OR_SENTINEL, SafeStream

    buf = io.StringIO()
    out = SafeStream(buf, color=False)
    for d in diags:
        assert d.span.line >= 1 and d.span.col >= 1, d
        out.write(d.long(text) + "\n")
        d.to_json()
    assert UNSAFE_OR_SENTINEL.search(buf.getvalue()) is None


def survives(text: str, name: str = "fuzz.treaty"):
    """Parse, resolve, check, render, and (if it parsed cleanly) the format round trip. Returns the corpus
    when the file checks, else None. Any exception is a failure of the engine."""
    from obligations.check import run_checks
    from obligations.diagnostics import has_errors
    from obligations.check import text as text_check
    from obligations.model.resolve import resolve
    from obligations.syntax.format import format_file
    from obligations.syntax.parse import parse

    f, diags = parse(text, name)
    corpus, d2 = resolve([f], {name: text})
    d3 = run_checks(corpus) + text_check.check({name: text})
    render_safely(diags + d2 + d3, text)
    if not diags:
        out = format_file(f, text)
        g, d4 = parse(out, name)
        assert not d4, ("the canonical form does not parse", text, out, d4[0].short())
        assert format_file(g, out) == out, ("format is not idempotent", text, out)
    return corpus if not has_errors(diags + d2 + d3) else None


def ask_sample(corpus, rng: random.Random) -> None:
    """One question about a corpus that checks: an answer (any verdict) or a QueryError, never an exception;
    its text and JSON renderings safe."""
    import datetime as dt

    from obligations.app import Workspace
    from obligations.errors import UsageError as QueryError
    from obligations.render import ask_text
    from obligations.results import to_json
    from obligations.safetext import UNSAFE_OR_SENTINEL, SafeStream, json_dumps
    from obligations.scenario import ACTIONS, Question, Scenario
    from obligations.smt.decision import Limits

    states = sorted(corpus.states) or ["AAA"]
    places = sorted(corpus.places)
    s = Scenario(date=dt.date(rng.choice([1, 1900, 1950, 1965, 1985, 2000, 9999]), 1, 1),
                 attacker=rng.choice(states), victim=rng.choice(states), target="territory",
                 place=rng.choice(places) if places and rng.random() < 0.8 else None)
    q = Question(party=rng.choice(states), action=rng.choice(ACTIONS[:6]))
    try:
        r = Workspace(corpus, frozenset(), {}).ask(s, q, Limits(timeout_ms=2000).with_budget(20))
    except QueryError:
        return
    buf = io.StringIO()
    SafeStream(buf).write(ask_text(r))
    assert UNSAFE_OR_SENTINEL.search(buf.getvalue()) is None
    assert UNSAFE_OR_SENTINEL.search(json_dumps(to_json(r), default=str)) is None


def export_sample(corpus, rng: random.Random) -> None:
    """Dyad-years of a corpus that checks, over a few years (at the edges of the calendar too)."""
    from obligations.atop.export import Exporter, to_ccodes
    from obligations.smt.decision import Limits

    first = rng.choice([1, 1815, 1950, 1990, 9997])
    res = Exporter(corpus, limits=Limits(timeout_ms=2000).with_budget(20)).run(first, min(9998, first + rng.randint(0, 2)))
    to_ccodes(corpus, res.combined())


# ---- the file system -------------------------------------------------------------------------------------

ENTRY_KINDS = ("file", "fifo", "socket", "loop", "self-loop", "dangling", "outside", "inside-link", "dir-link",
               "dir-named-treaty", "nested", "devnull-link", "empty")


# What the planted file outside the folder says: a word no clause file of the corpus uses ("outside" is one: the
# bundled corpus's notes say what lies outside Article 6, and the long fuzzer mutates them).
OUTSIDE_MARK = "planted-outside-the-folder-9f3c"


def plant(root: Path, kinds: list[str], text: str) -> list:
    """Make a folder holding `text` and one entry of each kind; returns what must be closed afterwards."""
    keep = []
    (root / "main.treaty").write_text(text, encoding="utf-8", errors="surrogatepass")
    outside = root.parent / (root.name + "-outside.treaty")
    outside.write_text(f'state ZZZ "{OUTSIDE_MARK}"\n')
    for i, kind in enumerate(kinds):
        p = root / f"e{i}.treaty"
        try:
            if kind == "file":
                p.write_text('state AAA "A"\n')
            elif kind == "fifo":
                os.mkfifo(p)
            elif kind == "socket":
                s = socket.socket(socket.AF_UNIX)
                s.bind(str(p))
                keep.append(s)
            elif kind == "loop":
                p.symlink_to(f"e{i}b.treaty")
                (root / f"e{i}b.treaty").symlink_to(p.name)
            elif kind == "self-loop":
                p.symlink_to(p.name)
            elif kind == "dangling":
                p.symlink_to("nowhere.treaty")
            elif kind == "outside":
                p.symlink_to(outside)
            elif kind == "inside-link":
                p.symlink_to("main.treaty")
            elif kind == "dir-link":
                (root / f"d{i}").symlink_to(root)
            elif kind == "dir-named-treaty":
                p.mkdir()
                (p / "x.treaty").write_text('state DDD "D"\n')
            elif kind == "nested":
                sub = root / f"n{i}" / "deeper"
                sub.mkdir(parents=True)
                (sub / "y.treaty").write_text('state EEE "E"\n')
            elif kind == "devnull-link":
                p.symlink_to("/dev/null")
            elif kind == "empty":
                p.write_text("")
        except (OSError, AttributeError):
            pass  # a platform without FIFOs or sockets: the other kinds still count
    return keep


def read_folder(root: Path) -> None:
    """Reading a planted folder gives texts and located diagnostics (E10x), and never reads outside."""
    from obligations.model.load import read_sources

    diags: list = []
    texts = read_sources([root], diags, max_bytes=1 << 16, max_total=1 << 18)
    assert all(d.code.startswith(("E10", "E11")) for d in diags), [d.short() for d in diags]
    assert not any(OUTSIDE_MARK in t for t in texts.values())
    render_safely(diags, "")


def folder_case(rng: random.Random, text: str) -> None:
    kinds = rng.sample(ENTRY_KINDS, rng.randint(1, len(ENTRY_KINDS)))
    with tempfile.TemporaryDirectory(prefix="obl-fuzz-") as d:
        root = Path(d) / "corpus"
        root.mkdir()
        keep = plant(root, kinds, text)
        try:
            read_folder(root)
        finally:
            for s in keep:
                s.close()


# ---- datasets -------------------------------------------------------------------------------------------

CELLS = ["", " ", "0", "1", "2", "7", "-1", "1.0", "1.5", "inf", "-inf", "nan", "1e400", "1e9", "99999999999999999999",
         "9" * 5000, "0x10", "１", "\x00", "\x1b[2J", "\u202e1", '"', '","', "\n", "2018", "0000", "12", "13", "31", "32"]


def csv_case(rng: random.Random) -> None:
    """A member file with hostile cells, short or long rows: rows, or a DataError; nothing else."""
    from obligations.atop.data import DataError, read_members
    from hostile import atop_member_columns

    cols = atop_member_columns()
    rows = []
    for _ in range(rng.randint(1, 4)):
        r = atop_member_row()
        for _ in range(rng.randint(0, 4)):
            r[rng.choice(cols)] = rng.choice(CELLS)
        rows.append(r)
    text = atop_members_csv(rows)
    lines = text.split("\n")
    if rng.random() < 0.3:
        k = rng.randrange(1, len(lines))
        lines[k] = lines[k][: rng.randint(0, len(lines[k]))]
    if rng.random() < 0.2:
        lines.insert(rng.randrange(1, len(lines) + 1), ",".join(rng.choice(CELLS) for _ in range(rng.randint(0, 120))))
    with tempfile.TemporaryDirectory(prefix="obl-fuzz-csv-") as d:
        p = Path(d) / "m.csv"
        p.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        try:
            members = read_members(p)
        except DataError as e:
            assert str(e).startswith(str(p)), e
            return
        for m in members:
            assert m.end is None or m.end >= m.start
            assert all(v in (0, 1) for v in m.obligations)


# ---- seeds ----------------------------------------------------------------------------------------------


MAX_SEED_BYTES = 16_384


def seeds() -> dict[str, list[str]]:
    """Texts to mutate, by kind: the bundled corpus and the semantics world, item by item;
    the special ones: the regression inputs, the hostile corpus, small diamonds, date conditions (for the
    edge-date mutation to move to the ends of the calendar)."""
    from obligations.model.load import bundled_corpus_dir

    here = Path(__file__).parent
    corpus = []  # item by item: whole files are mutated by tests/test_fuzz.py; a million of them would take days
    for p in sorted(bundled_corpus_dir().rglob("*.treaty")) + sorted((here / "semantics").glob("*.treaty")):
        corpus += [c for c in _items(p.read_text(encoding="utf-8")) if c.strip()]
    special = [p.read_bytes().decode("utf-8", errors="replace") for p in sorted((here / "fuzz_regressions").glob("*.treaty"))
               if p.stat().st_size <= MAX_SEED_BYTES]  # the large ones run in test_regressions
    special += [hostile_corpus(), hostile_corpus(EVIL[::-1]), _dated()]
    special += [diamond_regions(n) for n in (1, 3, 6)] + [diamond_definitions(n) for n in (1, 3, 6)]
    return {"corpus": corpus, "special": special}


def _dated() -> str:
    from hostile import HEAD, _treaty

    return HEAD.replace('"Alphaland"', '"Alphaland" ccode 2').replace('"Betaland"', '"Betaland" ccode 20') + _treaty(
        "date >= 1950-01-01 and date < 2000-01-01 and not date <= 1960-06-30")


def _items(text: str) -> list[str]:
    """The top-level declarations of a file, each on its own (with the states it may need in front)."""
    import re

    starts = [m.start() for m in re.finditer(r"(?m)^(?:state|place|region|term|fact|define|treaty|statement|pledge|law|"
                                             r"arrangement|declaration|memorandum|understanding|designation)\b", text)]
    states = "".join(l + "\n" for l in text.split("\n") if l.startswith("state "))
    return [states + text[a:b] for a, b in zip(starts, starts[1:] + [len(text)])]
