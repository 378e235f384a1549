"""`obligations lsp` driven as an editor drives it: the server in a subprocess, a client speaking LSP over its stdio
(tests/lsp_editor.py). Opening a broken file gives `check`'s diagnostics; hover, definition, references,
completion, symbols, formatting and quick fixes answer as a drafter needs them."""

import json
import shutil
from pathlib import Path

import pytest

pytest.importorskip("pygls")

from lsprotocol import types as T  # noqa: E402

from lsp_editor import Editor  # noqa: E402
from obligations.cli import main  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]

GOOD = '''# A pact of our own, read with the bundled corpus.
treaty pacific-pact "A Pacific pact"
  signed 2030-01-01
  in-force 2030-06-01
  parties USA JPN AUS
  define covered "an attack in the Pacific" as place in pacific-ocean or place = senkaku-islands

  article 1 "Each Party will assist a Party attacked in the Pacific."
    clause defence
      upon armed-attack
      if victim is party and covered
      each party other than victim must assist victim
  end
end

understanding our-reading "Our reading of ANZUS"
  to anzus
  by AUS
  signed 2030-01-01
  restrict article IV of anzus for AUS unless attacker is communist "a reading for the tests"
end
'''

# Broken on purpose: a misspelt region after non-ASCII text, a syntax error, a misspelt place and term.
DRAFT = '''place atoll-x "Atoll 🌊 d’Été" in pacific-ocan end

term bad-term "a term of nothing" of nothing

treaty draft-pact "A draft"
  signed 2031-01-01
  parties USA JPN
  article 2 "Each Party will consult."
    clause
      upon armed-attack
      if place = gaum and attacker is comunist
      each party must consult
  end
end
'''


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    root = tmp_path_factory.mktemp("workspace")
    (root / "good.treaty").write_text(GOOD, encoding="utf-8")
    (root / "draft.treaty").write_text(DRAFT, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def editor(folder):
    e = Editor(folder)
    yield e
    e.close()


def at(text: str, needle: str, nth: int = 0, offset: int = 0) -> tuple[int, int]:
    """LSP position (0-based line, UTF-16 character) of the `nth` occurrence of `needle`, plus `offset`."""
    i = -1
    for _ in range(nth + 1):
        i = text.index(needle, i + 1)
    i += offset
    line = text.count("\n", 0, i)
    start = text.rfind("\n", 0, i) + 1
    return line, len(text[start:i].encode("utf-16-le")) // 2


def utf16(line_text: str, col: int) -> int:
    return len(line_text[: col - 1].encode("utf-16-le")) // 2


def check_json(capsys, *paths) -> list[dict]:
    capsys.readouterr()
    main(["check", "--json", *map(str, paths)])
    return json.loads(capsys.readouterr().out)["diagnostics"]


# ---- diagnostics --------------------------------------------------------------------------------------------


def test_opening_a_broken_file_gives_checks_diagnostics(editor, folder, capsys):
    uri = editor.open(folder / "draft.treaty")
    got = editor.diagnostics_of(uri)
    expected = [d for d in check_json(capsys, folder / "draft.treaty", folder / "good.treaty")
                if d["span"]["file"] == str(folder / "draft.treaty")]
    assert {d["code"] for d in expected} == {"E012", "E002"} and len(expected) == 4
    lines = DRAFT.split("\n")
    want = [(d["code"], d["span"]["line"] - 1, utf16(lines[d["span"]["line"] - 1], d["span"]["col"]),
             d["span"]["end_line"] - 1, utf16(lines[d["span"]["end_line"] - 1], d["span"]["end_col"])) for d in expected]
    have = [(d.code, d.range.start.line, d.range.start.character, d.range.end.line, d.range.end.character) for d in got]
    assert have == want
    assert all(d.source == "obligations" and d.severity == T.DiagnosticSeverity.Error for d in got)
    assert got[0].message.startswith('unknown region "pacific-ocan"') and 'did you mean "pacific-ocean"' in got[0].message
    # The non-ASCII line: the wave is two UTF-16 units, so the name starts one unit after its character index.
    assert got[0].range.start.character == lines[0].index("pacific-ocan") + 1


def test_diagnostics_follow_the_buffer_as_it_changes(editor, folder):
    path = folder / "changing.treaty"
    path.write_text(DRAFT.replace("draft-pact", "changing-pact").replace("atoll-x", "atoll-y")
                    .replace("bad-term", "other-term"), encoding="utf-8")
    uri = editor.open(path)
    assert len(editor.diagnostics_of(uri)) == 4
    text = path.read_text(encoding="utf-8")
    fixed = text.replace("pacific-ocan", "pacific-ocean").replace("of nothing", "of state")
    n = editor.published
    for i in range(1, 6):  # typing: five changes in quick succession, one check after the pause
        editor.change(uri, fixed[: len(fixed) - 6 + i] if i < 5 else fixed)
    editor.wait(lambda: editor.published > n and len(editor.diagnostics.get(uri, [])) == 2)
    assert [d.code for d in editor.diagnostics[uri]] == ["E012", "E012"]
    assert editor.published - n < 5


# ---- hover ------------------------------------------------------------------------------------------------


def test_hover_on_an_article_reference_quotes_the_article(editor, folder):
    uri = editor.open(folder / "good.treaty")
    h = editor.hover(uri, *at(GOOD, "article IV", offset=len("article ")))
    assert h is not None and h.contents.kind == T.MarkupKind.Markdown
    assert "anzus › Article IV" in h.contents.value
    anzus = (ROOT / "treaties" / "anzus.treaty").read_text(encoding="utf-8")
    assert "> Each Party recognises that an armed attack in the Pacific area" in h.contents.value
    assert "Each Party recognises that an armed attack in the Pacific area" in anzus
    assert h.range.start == T.Position(*at(GOOD, "IV"))


def test_hover_on_a_clause_shows_the_article_it_encodes(editor, folder):
    uri = editor.open(folder / "good.treaty")
    h = editor.hover(uri, *at(GOOD, "upon armed-attack"))
    assert "pacific-pact › Article 1" in h.contents.value
    assert "> Each Party will assist a Party attacked in the Pacific." in h.contents.value


def test_hover_on_names(editor, folder):
    uri = editor.open(folder / "good.treaty")
    place = editor.hover(uri, *at(GOOD, "senkaku-islands", offset=3)).contents.value
    assert "Senkaku Islands" in place and "treaties/world/places.treaty" in place
    state = editor.hover(uri, *at(GOOD, "JPN")).contents.value
    assert state.startswith("**JPN** — Japan")
    inst = editor.hover(uri, *at(GOOD, "to anzus", offset=3)).contents.value
    assert "Security Treaty between Australia, New Zealand and the United States" in inst
    define = editor.hover(uri, *at(GOOD, "and covered", offset=4)).contents.value
    assert "an attack in the Pacific" in define and "place in pacific-ocean" in define
    term = editor.hover(uri, *at(GOOD, "communist")).contents.value
    assert "term" in term and "treaties/world/terms.treaty" in term


# ---- definition and references ------------------------------------------------------------------------------


def test_definition_of_a_state_lands_on_its_declaration(editor, folder):
    uri = editor.open(folder / "good.treaty")
    from obligations.model.load import bundled_corpus_dir

    (loc,) = editor.definition(uri, *at(GOOD, "JPN"))
    states = bundled_corpus_dir() / "world" / "states.treaty"  # treaties/world/states.treaty, wherever installed
    assert Path(loc.uri.removeprefix("file://")).resolve() == states.resolve()
    line = states.read_text(encoding="utf-8").split("\n")[loc.range.start.line]
    assert line.startswith('state JPN "Japan"')
    assert (loc.range.start.character, loc.range.end.character) == (6, 9)


def test_definition_of_an_instrument_and_of_a_definition(editor, folder):
    uri = editor.open(folder / "good.treaty")
    from obligations.model.load import bundled_corpus_dir

    (anzus,) = editor.definition(uri, *at(GOOD, "to anzus", offset=3))
    assert Path(anzus.uri.removeprefix("file://")).resolve() == (bundled_corpus_dir() / "anzus.treaty").resolve()
    assert anzus.range.start.line == 0
    (covered,) = editor.definition(uri, *at(GOOD, "and covered", offset=4))
    assert covered.uri == uri and covered.range.start == T.Position(*at(GOOD, "covered"))


def test_references_across_the_workspace_and_the_corpus(editor, folder):
    uri = editor.open(folder / "good.treaty")
    refs = editor.references(uri, *at(GOOD, "of anzus", offset=3))
    where = {(Path(r.uri).name, r.range.start.line) for r in refs}
    assert ("anzus.treaty", 0) in where  # the declaration
    assert {("good.treaty", at(GOOD, "to anzus")[0]), ("good.treaty", at(GOOD, "of anzus")[0])} <= where
    refs = editor.references(uri, *at(GOOD, "pacific-ocean"), False)
    files = {Path(r.uri).name for r in refs}
    assert {"good.treaty", "anzus.treaty"} <= files
    # Without the declaration: the `region pacific-ocean` line itself is not among the references.
    regions = (ROOT / "treaties" / "world" / "regions.treaty").read_text(encoding="utf-8").split("\n")
    decl = next(i for i, line in enumerate(regions) if line.startswith("region pacific-ocean "))
    assert ("regions.treaty", decl) not in {(Path(r.uri).name, r.range.start.line) for r in refs}


# ---- completion ----------------------------------------------------------------------------------------------


def complete(editor, folder, name, text):
    path = folder / name
    uri = editor.open(path, text)
    lines = text.split("\n")
    return {i.label: i for i in editor.completion(uri, len(lines) - 1, len(lines[-1].encode("utf-16-le")) // 2).items}


def clause_prefix(tail: str) -> str:
    return f'treaty c "C"\n  parties USA\n  article 1 "x"\n    clause\n      upon armed-attack\n      if {tail}'


def test_completion_offers_the_bundled_places_after_place_equals(editor, folder):
    from obligations.model.load import load_corpus

    corpus = load_corpus().corpus
    items = complete(editor, folder, "c1.treaty", clause_prefix("place = "))
    assert set(corpus.places) <= set(items) and items["senkaku-islands"].detail == corpus.places["senkaku-islands"].title
    regions = complete(editor, folder, "c2.treaty", clause_prefix("place in "))
    assert set(corpus.regions) <= set(regions) and not set(corpus.places) & set(regions)
    typed = complete(editor, folder, "c3.treaty", clause_prefix("place = senk"))
    edit = typed["senkaku-islands"].text_edit
    assert (edit.range.start.character, edit.range.end.character) == (len("      if place = "), len("      if place = senk"))


def test_completion_of_states_terms_actions_instruments_and_keywords(editor, folder):
    assert {"USA", "JPN", "CHN"} <= set(complete(editor, folder, "c4.treaty", 'treaty c "C"\n  parties '))
    terms = complete(editor, folder, "c5.treaty", clause_prefix("attacker is "))
    assert "communist" in terms and "party" in terms
    must = complete(editor, folder, "c6.treaty", clause_prefix("victim is party\n      each party must "))
    assert {"assist", "meet-common-danger", "consult", "not"} <= set(must) and "USA" not in must
    assert must["assist"].kind == T.CompletionItemKind.Function
    assert {"anzus", "nato"} <= set(complete(editor, folder, "c7.treaty", 'understanding u "U"\n  to '))
    top = complete(editor, folder, "c8.treaty", 'state XXB "B"\n')
    assert {"treaty", "place", "region", "state"} <= set(top) and top["treaty"].kind == T.CompletionItemKind.Keyword
    assert complete(editor, folder, "c9.treaty", 'treaty c "A title being ') == {}


# ---- symbols, formatting, quick fixes -------------------------------------------------------------------------


def test_document_symbols(editor, folder):
    uri = editor.open(folder / "good.treaty")
    syms = editor.symbols(uri)
    assert [s.name for s in syms] == ["pacific-pact", "our-reading"]
    pact = syms[0]
    assert pact.kind == T.SymbolKind.Module and pact.detail == "treaty: A Pacific pact"
    assert [c.name for c in pact.children] == ["covered", "Article 1"]
    assert [c.name for c in pact.children[1].children] == ["defence"]


def test_formatting_returns_fmts_output(editor, folder, tmp_path):
    messy = GOOD.replace("  signed 2030-01-01\n  in-force 2030-06-01\n", "  in-force 2030-06-01   signed 2030-01-01\n") \
        .replace("pacific-pact", "messy-pact").replace("our-reading", "messy-reading")
    path = folder / "messy.treaty"
    path.write_text(messy, encoding="utf-8")
    uri = editor.open(path)
    (edit,) = editor.format(uri)
    assert edit.range.start == T.Position(0, 0)
    copy = tmp_path / "messy.treaty"
    shutil.copy(path, copy)
    assert main(["fmt", str(copy)]) == 0
    assert edit.new_text == copy.read_text(encoding="utf-8") != messy


def test_no_formatting_when_the_file_has_syntax_errors(editor, folder):
    uri = editor.open(folder / "draft.treaty")
    assert not editor.format(uri)


def test_quick_fix_replaces_a_misspelt_region_with_the_suggestion(editor, folder):
    uri = editor.open(folder / "draft.treaty")
    region = [d for d in editor.diagnostics_of(uri) if "pacific-ocan" in d.message]
    (action,) = editor.code_actions(uri, region)
    assert action.title == 'Replace with "pacific-ocean"' and action.kind == T.CodeActionKind.QuickFix
    (edit,) = action.edit.changes[uri]
    assert edit.new_text == "pacific-ocean" and edit.range == region[0].range
    line = DRAFT.split("\n")[0]
    chars = line.encode("utf-16-le")
    fixed = (chars[: 2 * edit.range.start.character] + edit.new_text.encode("utf-16-le")
             + chars[2 * edit.range.end.character:]).decode("utf-16-le")
    assert fixed == line.replace("pacific-ocan", "pacific-ocean")
    syntax = [d for d in editor.diagnostics_of(uri) if d.code == "E002"]
    assert not editor.code_actions(uri, syntax)


def test_positions_in_utf8_when_the_client_asks_for_them(folder):
    e = Editor(folder, encodings=["utf-8"])
    try:
        assert e.init.capabilities.position_encoding == "utf-8"
        uri = e.open(folder / "draft.treaty")
        d = next(x for x in e.diagnostics_of(uri) if "pacific-ocan" in x.message)
        line = DRAFT.split("\n")[0]
        assert d.range.start.character == len(line[: line.index("pacific-ocan")].encode("utf-8"))
    finally:
        e.close()
