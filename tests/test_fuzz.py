"""Hostile input: whatever the text, the only outcomes are a clean result or located diagnostics.

Generated files, mutated at random (and every bundled clause file, mutated the same way), go through
parse, check, format and the CLI. Inputs that once failed are kept in tests/fuzz_regressions/.
Run longer with HYPOTHESIS_PROFILE=long; the long mode (a million inputs and more) is tests/fuzz_long.py.

The classes of issue 17 have their own tests here: escape sequences, bidi and invisible characters in strings
and comments (nothing unsafe may reach the output), special files and links in folders (located E10x, never a
hang), diamond-shaped regions and definitions (bounded by the budget), hostile CSV rows (a DataError or rows).
"""

from pathlib import Path

import pytest
from scale import examples
from hypothesis import given, settings
from hypothesis import strategies as st

import fuzzing
from hostile import EVIL, diamond_definitions, diamond_regions
from obligations.cli import main
from obligations.model.load import bundled_corpus_dir
from obligations.safetext import UNSAFE_OR_SENTINEL
from obligations.syntax.format import format_file
from obligations.testing import files

@pytest.fixture(scope="module", autouse=True)
def _no_cache():
    """Tests never write to the user's cache (these run the CLI in-process)."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OBLIGATIONS_NO_CACHE", "1")
        yield


HERE = Path(__file__).parent
REGRESSIONS = sorted((HERE / "fuzz_regressions").glob("*.treaty"))
BUNDLED = sorted(bundled_corpus_dir().rglob("*.treaty"))

TOKENS = fuzzing.TOKENS


@st.composite
def mutated(draw, base: str):
    text = base
    for _ in range(draw(st.integers(1, 6))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "dup-line", "drop-line", "truncate"]))
        n = len(text)
        i = draw(st.integers(0, max(0, n)))
        if op == "delete" and n:
            j = min(n, i + draw(st.integers(1, 20)))
            text = text[:i] + text[j:]
        elif op == "insert":
            text = text[:i] + draw(st.one_of(st.sampled_from(TOKENS), st.text(max_size=8))) + text[i:]
        elif op == "replace" and n:
            text = text[:i] + draw(st.sampled_from(TOKENS)) + text[i + 1:]
        elif op in ("dup-line", "drop-line"):
            lines = text.split("\n")
            k = draw(st.integers(0, max(0, len(lines) - 1)))
            if op == "dup-line":
                lines.insert(k, lines[k] if lines else "")
            elif lines:
                del lines[k]
            text = "\n".join(lines)
        elif op == "truncate":
            text = text[:i]
    return text


def _survives(text: str) -> None:
    fuzzing.survives(text)  # parse, lower, check, safe rendering, the format round trip (idempotent)


@settings(max_examples=examples(300))
@given(st.text(max_size=400))
def test_arbitrary_text(text):
    _survives(text)


@settings(max_examples=examples(200))
@given(files().map(format_file).flatmap(mutated))
def test_mutated_generated_files(text):
    _survives(text)


@pytest.mark.skipif(not BUNDLED, reason="no bundled clause files")
@settings(max_examples=examples(200))
@given(st.sampled_from(BUNDLED or [Path("/dev/null")]).map(lambda p: p.read_text(encoding="utf-8")).flatmap(mutated))
def test_mutated_bundled_files(text):
    _survives(text)


@pytest.mark.parametrize("path", REGRESSIONS, ids=[p.name for p in REGRESSIONS])
def test_regressions(path):
    _survives(path.read_bytes().decode("utf-8", errors="replace"))  # bytes: a CR must stay a CR


@settings(max_examples=examples(40))
@given(files().map(format_file).flatmap(mutated))
def test_cli_never_crashes(tmp_path_factory, text):
    d = tmp_path_factory.mktemp("fuzz")
    p = d / "fuzz.treaty"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    for argv in (["check", str(p)], ["fmt", "--check", str(p)],
                 ["ask", "--corpus", str(p), "--attacker", "AAA", "--victim", "BBB", "--at", "p0", "--party", "CCC"]):
        code = main(argv)
        assert code in (0, 1, 2), argv


# ---- the classes of issue 17 ---------------------------------------------------------------------------

hostile_chars = st.text(alphabet=st.sampled_from(fuzzing.HOSTILE_CHARS + "ab \\\""), min_size=1, max_size=6)


@st.composite
def with_hostile_strings(draw, base: str):
    """`base` with hostile characters put inside its strings and comments (where an attacker hides them)."""
    spots = [i + 1 for i, c in enumerate(base) if c in '"#']
    text = base
    for _ in range(draw(st.integers(1, 4))):
        if not spots:
            break
        i = draw(st.sampled_from(spots))
        text = text[:i] + draw(hostile_chars).replace('"', "").replace("\\", "") + text[i:]
    return text


@settings(max_examples=examples(50))
@given(files().map(format_file).flatmap(with_hostile_strings))
def test_escapes_and_bidi_in_strings_and_comments(tmp_path_factory, text):
    _survives(text)
    p = tmp_path_factory.mktemp("esc") / "f.treaty"
    p.write_text(text, encoding="utf-8", errors="surrogatepass")
    for argv in (["check", str(p)], ["list", "states", "--corpus", str(p)], ["list", "terms", "--corpus", str(p)]):
        import io
        import sys

        out, err = io.StringIO(), io.StringIO()
        saved = sys.stdout, sys.stderr
        sys.stdout, sys.stderr = out, err
        try:
            code = main(argv)
        finally:
            sys.stdout, sys.stderr = saved
        assert code in (0, 1, 2), argv
        assert UNSAFE_OR_SENTINEL.search(out.getvalue() + err.getvalue()) is None, argv


@settings(max_examples=examples(25), deadline=None)
@given(st.lists(st.sampled_from(fuzzing.ENTRY_KINDS), min_size=1, max_size=6, unique=True),
       files().map(format_file))
def test_special_files_and_links_in_folders(tmp_path_factory, kinds, text):
    root = tmp_path_factory.mktemp("fs") / "corpus"
    root.mkdir()
    keep = fuzzing.plant(root, kinds, text)
    try:
        fuzzing.read_folder(root)
        import threading

        codes: list[int] = []
        t = threading.Thread(target=lambda: codes.append(main(["check", str(root)])), daemon=True)
        t.start()
        t.join(60)
        assert codes and codes[0] in (0, 1), "check did not end (a FIFO read?)"
    finally:
        for s in keep:
            s.close()


@settings(max_examples=examples(15), deadline=None)
@given(st.integers(1, 10), st.booleans())
def test_diamonds_check_and_answer(levels, regions):
    from obligations.query.ask import ask
    from obligations.scenario import Question, Scenario
    from obligations.smt.decision import Limits

    text = diamond_regions(levels) if regions else diamond_definitions(levels)
    corpus = fuzzing.survives(text)
    assert corpus is not None
    import datetime as dt

    s = Scenario(date=dt.date(2000, 1, 1), attacker="CCC", victim="BBB", target="territory",
                 place="away" if regions else "home")
    r = ask(corpus, s, Question(party="AAA", action="assist"), limits=Limits().with_budget(30))
    assert r.verdict in ("obliged", "depends", "unknown")


@settings(max_examples=examples(200))
@given(st.randoms(use_true_random=False))
def test_hostile_csv_rows(rnd):
    fuzzing.csv_case(rnd)


@settings(max_examples=examples(100))
@given(st.randoms(use_true_random=False), st.sampled_from(sorted(REGRESSIONS + BUNDLED)) if REGRESSIONS else st.nothing())
def test_the_long_fuzzers_mutator(rnd, path):
    """A sample of what tests/fuzz_long.py runs a million times."""
    _survives(fuzzing.mutate(rnd, path.read_bytes().decode("utf-8", errors="replace")))


def test_the_hostile_corpus_survives():
    assert fuzzing.survives(fuzzing.hostile_corpus()) is not None
    assert fuzzing.survives(fuzzing.hostile_corpus(EVIL[::-1])) is not None


def test_line_break_characters_in_strings_do_not_split_the_file():
    """CR, NEL and U+2028 are text inside a string: the file is valid and survives fmt (the parser split its
    chunks at them, so a valid file had errors, and fmt's output of one that parsed did not parse again)."""
    from obligations.syntax.parse import parse

    text = (HERE / "fuzz_regressions" / "line-break-characters-before-keywords-in-strings.treaty").read_bytes().decode()
    f, diags = parse(text, "lb.treaty")
    assert not diags, [d.short() for d in diags]
    assert fuzzing.survives(text) is not None
    assert f.items[0].name == "A\rstate"
