"""The language server's layers that need no LSP library: positions, the scanner, the index of names, and the
workspace's answers (tests/test_lsp.py drives the server itself, as an editor does)."""

from pathlib import Path

import pytest
from hypothesis import given, strategies as st

from obligations.lsp import scan
from obligations.lsp.analysis import Workspace
from obligations.lsp.index import Names, index_file
from obligations.lsp.text import LineIndex

ROOT = Path(__file__).resolve().parents[1]


# ---- positions ------------------------------------------------------------------------------------------


def test_columns_count_utf16_units_on_a_line_with_non_ascii():
    text = 'place x "Côte 🌊 d’Ivoire" in pacfic-area end\n'
    col = text.index("pacfic-area") + 1  # the parser's column: characters, from 1
    before = text[: col - 1]
    assert LineIndex(text).to_lsp(1, col) == (0, len(before) + 1)  # the wave is two UTF-16 units, the rest one
    assert len(before) + 1 == len(before.encode("utf-16-le")) // 2
    assert LineIndex(text, "utf-8").to_lsp(1, col) == (0, len(text[: col - 1].encode("utf-8")))
    assert LineIndex(text, "utf-32").to_lsp(1, col) == (0, col - 1)
    for enc in ("utf-16", "utf-8", "utf-32"):
        idx = LineIndex(text, enc)
        assert idx.from_lsp(*idx.to_lsp(1, col)) == (1, col)


@given(st.lists(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12), min_size=1, max_size=5),
       st.sampled_from(["utf-16", "utf-8", "utf-32"]))
def test_positions_round_trip(lines, enc):
    text = "\n".join(ln.replace("\n", " ").replace("\r", " ") for ln in lines)
    idx = LineIndex(text, enc)
    for i, ln in enumerate(text.split("\n"), start=1):
        for col in range(1, len(ln) + 2):
            assert idx.from_lsp(*idx.to_lsp(i, col)) == (i, col)
            assert idx.position(idx.offset(i, col)) == (i, col)


def test_positions_past_the_end_are_clamped():
    idx = LineIndex("ab\ncd")
    assert idx.to_lsp(9, 9) == (1, 2) and idx.from_lsp(5, 0) == (2, 3) and idx.from_lsp(0, 99) == (1, 3)


# ---- the scanner ----------------------------------------------------------------------------------------


def test_scanner_knows_strings_comments_and_words():
    text = 'article IV(1) "a \\" quote" # note\n  if place = gu'
    toks = scan.tokens(text)
    assert [t.kind for t in toks] == ["word", "artnum", "string", "comment", "word", "word", "punct", "word"]
    assert scan.inside_text(toks, text.index("quote")) and scan.inside_text(toks, text.index("note"))
    assert not scan.inside_text(toks, len(text)) and scan.token_at(toks, len(text)).value == "gu"
    assert scan.inside_text(scan.tokens('note "unfinished'), len('note "unfinished'))


# ---- the index --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_index():
    files = sorted(ROOT.glob("treaties/**/*.treaty"))
    return [index_file(str(f), f.read_text(encoding="utf-8")) for f in files]


def test_every_name_the_bundled_corpus_uses_has_a_declaration(corpus_index):
    names = Names.of(corpus_index)
    missing = []
    for ix in corpus_index:
        for o in ix.occurrences:
            t = names.target(o)
            if t is None:
                assert o.kind == "fact-term" and o.name in ("in", "sovereign", "military", "release"), o
                continue
            if names.declaration(t) is None:
                missing.append((o.kind, o.name, str(o.span)))
    assert missing == []
    assert len(names.states) > 50 and "senkaku-islands" in names.places and "anzus" in names.instruments


def test_names_are_located_exactly(corpus_index):
    for ix in corpus_index:
        lines = Path(ix.path).read_text(encoding="utf-8").split("\n")
        for o in ix.occurrences:
            s = o.span
            assert lines[s.line - 1][s.col - 1: s.end_col - 1] == o.name, o


def test_a_chunk_with_a_syntax_error_is_still_indexed():
    text = ('treaty t "T"\n  to anzus\n  article V "x"\n    clause\n      if place = guam and place in pacific-ocean\n'
            '      each party must\n  end\nend\n')
    kinds = {(o.kind, o.name) for o in index_file("x.treaty", text).occurrences}
    assert {("instrument", "t"), ("instrument", "anzus"), ("area", "guam"), ("region", "pacific-ocean")} <= kinds


def test_symbols_nest_articles_and_clauses():
    text = (ROOT / "treaties" / "nato.treaty").read_text(encoding="utf-8")
    ix = index_file("treaties/nato.treaty", text)
    nato = next(s for s in ix.symbols if s.kind == "instrument" and s.name == "nato")
    art5 = next(a for a in nato.children if a.name == "Article 5")
    assert [c.name for c in art5.children][:1] == ["collective-defence-1949"]
    assert art5.children[0].detail == "each party other than victim and attacker must assist victim"


# ---- the workspace ----------------------------------------------------------------------------------------


def test_a_workspace_that_is_a_copy_of_the_corpus_reads_it_in_place_of_the_bundled_one(tmp_path):
    import shutil

    shutil.copytree(ROOT / "treaties", tmp_path / "treaties")
    ws = Workspace([tmp_path])
    assert ws.corpus_paths == [(tmp_path / "treaties").resolve()]
    found = ws.check()
    assert len(found) == len(list((tmp_path / "treaties").glob("**/*.treaty")))
    assert all(d == [] for d in found.values()), {k: [x.short() for x in v] for k, v in found.items() if v}


def test_virtual_environments_are_not_part_of_the_workspace(tmp_path):
    (tmp_path / "venv" / "lib").mkdir(parents=True)
    (tmp_path / "venv" / "pyvenv.cfg").write_text("")
    (tmp_path / "venv" / "lib" / "copy.treaty").write_text('state USA "again"\n')
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.treaty").write_text('state USA "again"\n')
    (tmp_path / "mine.treaty").write_text('state XXA "Mine"\n')
    ws = Workspace([tmp_path])
    assert list(ws.disk) == [str((tmp_path / "mine.treaty").resolve())]


def test_ask_imports_neither_pygls_nor_pygments():
    """The editor's surfaces are extras, imported only by their own commands."""
    import subprocess
    import sys

    code = ("import sys\nfrom obligations.cli import main\n"
            "code = main(['ask', '--attacker', 'CHN', '--victim', 'JPN', '--at', 'senkaku-islands', '--on', '2025-06-01', "
            "'--party', 'USA', '--action', 'assist'])\n"
            "print(sorted({m.split('.')[0] for m in sys.modules} & {'pygls', 'lsprotocol', 'pygments', 'cattrs'}), code)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip().splitlines()[-1] == "[] 0"


# ---- never a traceback ------------------------------------------------------------------------------------

_WS: list[Workspace] = []


def _workspace() -> Workspace:
    if not _WS:
        _WS.append(Workspace([]))
        _WS[0].check()
    return _WS[0]


_TEXT = st.one_of(
    st.text(max_size=200),
    st.lists(st.sampled_from(['treaty t "T"', "article", "IV(1)", '"x"', "clause", "upon", "armed-attack", "if",
                              "place", "=", "in", "is", "guam", "USA", "parties", "must", "assist", "victim", "end",
                              "fact", "communist(", ")", ",", "(", "#", "\n", "  ", "define", "as", "to", "anzus",
                              "restrict", "of", '"'] + [chr(0x1F30A), "é"]), max_size=40).map(" ".join),
)


@given(_TEXT, st.data())
def test_the_editor_answers_never_raise(text, data):
    """Whatever is typed, every answer is a value (or nothing), never an exception: an editor sends requests at
    every keystroke, on text that is mostly unfinished."""
    ws = _workspace()
    ws.set_open("typed.treaty", text)
    ix = index_file("typed.treaty", text)
    lines = text.split("\n")
    line = data.draw(st.integers(1, len(lines)))
    col = data.draw(st.integers(1, len(lines[line - 1]) + 1))
    for o in ix.occurrences:
        assert o.span.line >= 1 and o.span.col >= 1
    ws.hover("typed.treaty", line, col)
    ws.definition("typed.treaty", line, col)
    ws.references("typed.treaty", line, col)
    ws.completion("typed.treaty", line, col)
    ws.format("typed.treaty")
    ws.symbols("typed.treaty")
