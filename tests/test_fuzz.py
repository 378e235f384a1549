"""Hostile input: whatever the text, the only outcomes are a clean result or located diagnostics.

Generated files, mutated at random (and every bundled clause file, mutated the same way), go through
parse, check, format and the CLI. Inputs that once failed are kept in tests/fuzz_regressions/.
Run longer with HYPOTHESIS_PROFILE=long.
"""

from pathlib import Path

import pytest
from scale import examples
from hypothesis import given, settings
from hypothesis import strategies as st

from obligations.cli import main
from obligations.model.load import bundled_corpus_dir, load_texts
from obligations.syntax.format import format_file
from obligations.syntax.parse import parse
from obligations.testing import files

HERE = Path(__file__).parent
REGRESSIONS = sorted((HERE / "fuzz_regressions").glob("*.treaty"))
BUNDLED = sorted(bundled_corpus_dir().rglob("*.treaty"))

TOKENS = ["end", "article", "clause", "if", "and", "or", "not", "(", ")", '"', "\\", "#", "\n", "{", "}", ",",
          "victim", "party", "must", "must not", "upon", "armed-attack", "1949-02-30", "0000-00-00", "9999-99-99",
          "USA", "XXX", "place", "in", "=", "*", "fact", "treaty", "state", "region", "includes", "\x00", "\ufeff", "\u2028"]


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
    f, diags = parse(text, "fuzz.treaty")
    for d in diags:
        assert d.span.line >= 1 and d.span.col >= 1
        d.long(text)
    loaded = load_texts({"fuzz.treaty": text})
    for d in loaded.diagnostics:
        d.long(text)
    if not diags:
        out = format_file(f)
        g, d2 = parse(out, "fuzz.treaty")
        assert not d2, (text, out)


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
    _survives(path.read_text(encoding="utf-8", errors="replace"))


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
