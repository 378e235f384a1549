"""The bundled corpus and the examples are clean: `check` and `fmt --check` pass, every clause cites its article."""

from pathlib import Path

from obligations.cli import main
from obligations.model.load import bundled_corpus_dir, load_paths

ROOT = Path(__file__).resolve().parents[1]


def test_bundled_corpus_checks_and_is_formatted(capsys):
    assert main(["check", str(bundled_corpus_dir())]) == 0
    assert main(["fmt", "--check", str(bundled_corpus_dir())]) == 0


def test_examples_check_with_the_corpus_and_are_formatted(capsys):
    assert main(["check", str(ROOT / "examples"), "--corpus", str(bundled_corpus_dir())]) == 0
    assert main(["fmt", "--check", str(ROOT / "examples")]) == 0


def test_every_clause_cites_and_quotes_its_article():
    loaded = load_paths([bundled_corpus_dir()])
    assert loaded.ok
    c = loaded.corpus
    assert len(c.instruments) >= 25
    for cl in c.clauses:
        assert cl.article and len(cl.article_text.strip()) > 20, cl.id
        inst = c.instruments[cl.instrument]
        assert inst.source, f"{inst.name} says where its text comes from"
        assert inst.binding, f"{inst.name} states how binding it is"
