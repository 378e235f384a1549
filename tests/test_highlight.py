"""Highlighting: the keyword lists agree with the grammar, the Pygments lexer reads every clause file we have without
an error token, and the VS Code grammar is the one obligations/highlight.py generates."""

import json
import re
from pathlib import Path

import pytest

from obligations import highlight as H
from obligations import vocab

ROOT = Path(__file__).resolve().parents[1]
TEXTMATE = ROOT / "editors" / "vscode" / "syntaxes" / "treaty.tmLanguage.json"
CLAUSE_FILES = sorted([*ROOT.glob("treaties/**/*.treaty"), *ROOT.glob("examples/**/*.treaty"),
                       ROOT / "tests" / "semantics" / "world.treaty"])


def grammar_keywords() -> set[str]:
    """Every word the grammar spells as a literal (punctuation aside), read from the parser's terminals."""
    from obligations.syntax.parse import _parser

    return {t.pattern.value for t in _parser().terminals
            if t.pattern.type == "str" and re.fullmatch(r"[a-z][a-z-]*", t.pattern.value)}


def test_every_keyword_of_the_grammar_is_highlighted_and_no_other():
    words = grammar_keywords()
    assert len(words) > 100
    assert sorted(words - set(H.KEYWORDS)) == [], "keywords of grammar/treaty.lark missing from obligations/highlight.py"
    assert sorted(set(H.KEYWORDS) - words) == [], "words in obligations/highlight.py that the grammar does not have"


def test_groups_are_disjoint_and_carry_the_closed_word_lists():
    seen: list[str] = [w for ws in H.GROUPS.values() for w in ws]
    assert len(seen) == len(set(seen))
    assert set(H.GROUPS["action"]) == set(vocab.ACTIONS)
    for words in (vocab.EVENTS, vocab.TARGETS, vocab.ROLES, vocab.INSTRUMENT_KINDS, vocab.CATEGORIES, vocab.BINDINGS):
        assert set(words) <= set(H.KEYWORDS), words
    assert set(vocab.INSTRUMENT_KINDS) <= set(H.GROUPS["declaration"])


def test_the_vscode_grammar_is_generated_from_the_word_lists():
    assert TEXTMATE.read_text(encoding="utf-8") == H.textmate_json(), \
        "regenerate: python -m obligations.highlight > editors/vscode/syntaxes/treaty.tmLanguage.json"
    grammar = json.loads(TEXTMATE.read_text(encoding="utf-8"))
    for p in grammar["patterns"] + list(grammar["repository"].values()):
        for key in ("match", "begin", "end"):
            if key in p:
                re.compile(p[key])  # Oniguruma reads these too; Python's re is the stricter of the two here


def test_the_vscode_extension_declares_the_language_and_the_grammar():
    pkg = json.loads((ROOT / "editors" / "vscode" / "package.json").read_text(encoding="utf-8"))
    langs = pkg["contributes"]["languages"]
    assert langs[0]["id"] == "treaty" and ".treaty" in langs[0]["extensions"]
    grammar = pkg["contributes"]["grammars"][0]
    assert grammar["scopeName"] == "source.treaty"
    assert (ROOT / "editors" / "vscode" / grammar["path"]).resolve() == TEXTMATE.resolve()
    conf = json.loads((ROOT / "editors" / "vscode" / "language-configuration.json").read_text(encoding="utf-8"))
    assert conf["comments"]["lineComment"] == "#"
    assert ["\"", "\""] in [[p["open"], p["close"]] if isinstance(p, dict) else p for p in conf["autoClosingPairs"]]
    assert (ROOT / "editors" / "vscode" / pkg["main"]).is_file()


def test_the_vscode_client_is_valid_javascript():
    import shutil
    import subprocess

    node = shutil.which("node")
    if node is None:
        pytest.skip("node is not installed")
    r = subprocess.run([node, "--check", str(ROOT / "editors" / "vscode" / "extension.js")], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


# ---- Pygments --------------------------------------------------------------------------------------------

pygments = pytest.importorskip("pygments")


def lex(text: str):
    from obligations.pygments_lexer import TreatyLexer

    return list(TreatyLexer().get_tokens(text))


@pytest.mark.parametrize("path", CLAUSE_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_lexer_reads_every_clause_file_without_an_error_token(path):
    from pygments.token import Error

    text = path.read_text(encoding="utf-8")
    tokens = lex(text)
    bad = [(v, i) for i, (t, v) in enumerate(tokens) if t in Error]
    assert bad == []
    assert "".join(v for _, v in tokens) == text + ("" if text.endswith("\n") else "\n")


def test_every_keyword_lexes_as_its_group():
    from pygments.token import Keyword, Name, Operator

    from obligations.pygments_lexer import _TOKENS

    for word, group in H.KEYWORDS.items():
        (t, v), *_ = lex(f"  {word}\n")[1:]
        assert v == word and t in _TOKENS[group], (word, t)
        assert t in Keyword or t in Name.Builtin or t in Operator, word
    # Names that begin like keywords stay names: `in-force` is one word, `inland` is not `in`.
    assert [t for t, v in lex("inland islander")[::2]] == [Name.Variable, Name.Variable]


def test_declarations_articles_and_codes():
    from pygments.token import Name

    toks = [(t, v) for t, v in lex('place guam "Guam"\n  in pacific-ocean\nend\ntreaty t "T"\n  article IV(1) "x"\n'
                                     '    clause\n      USA must consult\n  end\nend\n') if v.strip()]
    assert (Name.Function, "guam") in toks and (Name.Label, "IV(1)") in toks and (Name.Class, "USA") in toks
    assert (Name.Variable, "pacific-ocean") in toks


def test_pygments_finds_the_lexer_by_name_and_by_file_name():
    from pygments.lexers import get_lexer_by_name, get_lexer_for_filename
    from pygments.util import ClassNotFound

    try:
        assert type(get_lexer_by_name("treaty")).__name__ == "TreatyLexer"
        assert type(get_lexer_for_filename("anzus.treaty")).__name__ == "TreatyLexer"
    except ClassNotFound:
        pytest.fail("the entry point pygments.lexers: treaty is not installed (pip install .)")
