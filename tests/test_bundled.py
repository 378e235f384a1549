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


# ---- quotations against the official texts in the shared data folder (docs/CORPUS-REVIEW.md) -----------------

import re

import pytest

TEXTS = ROOT.parent / "shared" / "data" / "treaty-texts"

# (instrument, article) -> the shared file its quotation is taken from, word for word. A bracketed passage in a
# quotation ("[...]", "[the rest ... not retrieved]") is the encoder's and is not compared.
VERBATIM = {
    **{("anzus", a): "anzus_1951.txt" for a in ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")},
    ("anzus-invocation-2001", "statement"): "anzus_1986_suspension_2001_invocation.txt",
    ("cambodia-geneva-declaration", "2"): "geneva_accords_1954_alliance_clauses.txt",
    **{("manila-pact", a): "manila_pact_1954.txt" for a in ("IV(1)", "IV(2)", "IV(3)", "VI", "VII", "VIII", "X")},
    ("seato-us-understanding", "understanding"): "manila_pact_1954.txt",
    ("seato-protocol", "designation"): "manila_pact_1954.txt",
    **{("nato", a): "north_atlantic_treaty_1949.txt" for a in [str(i) for i in range(1, 15)]},
    ("nz-nuclear-free", "10"): "nz_nuclear_free_act_1987_s10_s11.txt",
    ("nz-nuclear-free", "11"): "nz_nuclear_free_act_1987_s10_s11.txt",
    **{("taiwan-relations-act", a): "taiwan_relations_act_1979_22usc3301-3303c.txt" for a in ("2(b)", "3(a)", "3(c)")},
    ("us-japan", "V"): "us_japan_1960.txt",
    ("us-japan-prior-consultation", "notes"): "us_japan_1960_prior_consultation_notes.txt",
    **{("us-philippines", a): "us_philippines_mdt_1951.txt" for a in ("I", "II", "IV")},
    ("pompeo-2019", "statement"): "us_statements_mdt_senkaku.txt",
    ("us-korea", "II"): "us_rok_mdt_1953_partial.txt",
    **{("us-roc", a): "us_roc_1954.txt" for a in ("I", "II", "VI", "X")},
    ("dulles-yeh-notes", "notes"): "us_roc_1954_dulles_yeh_notes.txt",
    ("prc-dprk", "I"): "prc_dprk_treaty_1961.txt",
    ("prc-dprk", "II"): "prc_dprk_treaty_1961.txt",
    ("russia-dprk", "3"): "russia_dprk_treaty_2024.txt",
    ("russia-dprk", "4"): "russia_dprk_treaty_2024.txt",
    **{("rio-treaty", a): "rio_treaty_1947.txt" for a in ("1", "2", "3", "10")},
    ("teu", "42(7)"): "eu_teu_42_7_tfeu_222.txt",
}

# Where the shared copy has a typing or OCR error, or a code's wording, the quotation corrects it (the authority
# for each correction is in docs/CORPUS-REVIEW.md): (what the shared copy reads, what the quotation reads).
CORRECTIONS = {
    ("nato", "1"): [("any international disputes", "any international dispute"),
                    ("peace and security, and justice, are", "peace and security and justice are")],
    ("nato", "2"): [("relations bij strengthening", "relations by strengthening")],
    ("nato", "5"): [("area.Any", "area. Any")],
    ("nato", "6"): [("(i)on", "(i) on"), ("(ii)on", "(ii) on")],
    ("nato", "10"): [("America.The", "America. The")],
    ("nato", "14"): [("Treaty.Done", "Treaty. Done")],
    ("taiwan-relations-act", "3(a)"): [("section 3301 of this title ,", "section 2 of this Act,")],
}


def _clean(s: str) -> str:
    return re.sub(r"\s+", " ", s.replace("\u2019", "'").replace("\u2018", "'")).strip()


@pytest.mark.skipif(not TEXTS.is_dir(), reason="the shared treaty texts are not next to the checkout")
def test_quotations_are_verbatim_from_the_shared_texts():
    c = load_paths([bundled_corpus_dir()]).corpus
    arts = {(name, a.ref): a.text for name, inst in c.instruments.items() for a in inst.articles}
    bad = []
    for key, fname in VERBATIM.items():
        assert key in arts, f"{key} is listed here but not in the corpus"
        src = _clean((TEXTS / fname).read_text(encoding="utf-8"))
        for wrong, right in CORRECTIONS.get(key, []):
            src = src.replace(_clean(wrong), _clean(right))
        # Compared sentence by sentence: a shared file may hold an article's paragraphs apart, with notes between.
        for seg in (x.strip() for part in re.split(r"\[[^\]]*\]", _clean(arts[key])) for x in re.split(r"(?<=[.;:])\s", part)):
            if len(seg) > 15 and seg not in src:
                bad.append(f"{key[0]} Art. {key[1]}: {seg[:80]!r} not in {fname}")
    assert not bad, "\n".join(bad)


def test_unverified_quotations_say_so():
    """A quotation not taken from a copy in reach opens with its status, so that every answer shows it."""
    c = load_paths([bundled_corpus_dir()]).corpus
    marked = {(name, a.ref) for name, inst in c.instruments.items() for a in inst.articles
              if a.text.lstrip().startswith(("[unverified", "[summary"))}
    assert {("us-japan", "VI"), ("us-japan", "X"), ("us-philippines", "III"), ("us-philippines", "VIII"),
            ("us-roc", "IV"), ("us-roc", "V"), ("us-roc", "VII"), ("us-korea-understanding", "understanding"),
            ("thanat-rusk", "1"), ("nato", "6(1949)"), ("cento", "1"), ("cento", "3"), ("nz-nuclear-free", "9")} <= marked
