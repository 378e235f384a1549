"""ATOP: import alliances as clause files, export the engine's dyad-years in ATOP's shape, compare.

The tests on real data use small slices of ATOP 5.1 and skip cleanly when the shared data folder
(<repo>/../shared/data) is absent; the exporter's semantics are also tested on small corpora written here.
The full run (all 789 alliances, 1815-2018) is marked slow.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import textwrap
from pathlib import Path

import pytest

from obligations.api import Engine
from obligations.atop import compare, importer, rule
from obligations.atop.data import OBLIGATIONS, cow_codes, read_cow_states, read_ddyr, read_members
from obligations.atop.export import ROW, Exporter, to_ccodes, write_csv
from obligations.cli import main
from obligations.model.load import load_paths, load_texts
from obligations.scenario import Question, Scenario

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
ATOP = DATA / "atop"
needs_data = pytest.mark.skipif(not (ATOP / "atop5_1m.csv").is_file() or not (ATOP / "atop5_1ddyr_obligations.csv").is_file(),
                                reason="the shared ATOP data (../shared/data/atop) is not here")

# NATO, ANZUS, SEATO (two phases), US-Japan (asymmetric), US-ROC (exit on 1 January), Baghdad (consultation only),
# Locarno and the Quadruple Alliance (obvary; 1100 also multi-phase), 1020 (phases with a gap), 1155 (a phase
# change within a year), 4070 and 3610 (concurrent phases at the Czechoslovak split).
SLICE = {3180, 3215, 3260, 3375, 3270, 3275, 2130, 1100, 1020, 1155, 4070, 3610}
# ATOP's rule takes the later phase when a phase changes within a year; the engine counts any day of the year.
LAST_PHASE_ROWS = {(140, 165, 1857)}


@pytest.fixture(scope="module", autouse=True)
def _no_cache():
    """Corpora written to temporary folders would each leave an entry in the user's parse cache."""
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("OBLIGATIONS_NO_CACHE", "1")
        yield


def bits(v: tuple[int, ...]) -> int:
    return sum(x << i for i, x in enumerate(v))


def values(b: int) -> tuple[int, ...]:
    return tuple((b >> i) & 1 for i in range(5))


@pytest.fixture(scope="module")
def atop():
    if not (ATOP / "atop5_1m.csv").is_file():
        pytest.skip("the shared ATOP data (../shared/data/atop) is not here")
    return {"members": read_members(ATOP / "atop5_1m.csv"), "ddyr": read_ddyr(ATOP / "atop5_1ddyr_obligations.csv")}


@pytest.fixture(scope="module")
def sliced(atop, tmp_path_factory):
    out = tmp_path_factory.mktemp("atop-slice")
    cow = read_cow_states(DATA / "cow" / "states2016.csv") if (DATA / "cow" / "states2016.csv").is_file() else None
    imp = importer.build(atop["members"], None, cow, only=SLICE)
    importer.write(imp, out)
    loaded = load_paths([out])
    assert loaded.ok, [d.short() for d in loaded.diagnostics[:5]]
    res = Exporter(loaded.corpus).run(1815, 2018)
    return {"dir": out, "corpus": loaded.corpus, "result": res, "imported": imp}


def per_atop(corpus, res) -> dict[int, dict]:
    out: dict[int, dict] = {}
    for inst in corpus.instruments.values():
        rows, _ = to_ccodes(corpus, res.by_instrument.get(inst.name, {}))
        for a in inst.atop:
            acc = out.setdefault(a, {})
            for k, v in rows.items():
                acc[k] = acc.get(k, 0) | v
    return out


# ---- the import ------------------------------------------------------------------------------------


@needs_data
def test_slice_checks_and_is_formatted(sliced, capsys):
    assert main(["check", "--alone", str(sliced["dir"])]) == 0  # an import is a corpus of its own
    assert main(["fmt", "--check", str(sliced["dir"])]) == 0
    names = sorted(sliced["corpus"].instruments)
    assert "atop-3260" in names and "atop-3260-p2" in names and "atop-4070-p3" in names


@needs_data
def test_articles_say_they_are_atops_coding_and_conditions_are_open_terms(sliced):
    c = sliced["corpus"]
    for cl in c.clauses:
        assert "ATOP 5.1 codes" in cl.article_text and "not the agreement's words" in cl.article_text, cl.id
        assert "ATOP 5.1" in c.instruments[cl.instrument].source
    # Conditions become terms with no fact: the answer is `depends`, never invented.
    assert "atop-3180-p2-defcoloc" in c.terms and not [f for f in c.facts if f.term.startswith("atop-")]
    eng = Engine(c)
    s = Scenario(date=dt.date(1965, 6, 1), attacker="RUS", victim="THA", target="territory")
    assert eng.verdict(s, Question(party="USA", action="assist")) == "depends"
    s = Scenario(date=dt.date(1965, 6, 1), attacker="CHN", victim="JPN", target="territory")
    assert eng.verdict(s, Question(party="USA", action="assist")) == "obliged"  # 3375: the US, no condition
    s = Scenario(date=dt.date(1965, 6, 1), attacker="CHN", victim="USA", target="territory")
    assert eng.verdict(s, Question(party="JPN", action="assist")) == "not_obliged"  # Japan: defense=0


@needs_data
def test_oracle_facts_from_sources(sliced):
    c, res = sliced["corpus"], sliced["result"]
    text = (sliced["dir"] / "atop-3180.treaty").read_text()
    # 1. NATO phase 2 from 1951-06-19; Greece and Turkey from 1951-10-22.
    assert c.instruments["atop-3180-p2"].entry_into_force == dt.date(1951, 6, 19)
    assert "parties GRC TUR from 1951-10-22" in text
    # 2. SEATO: only the US has the adversary condition; the exits; phase 2 is US-Thailand.
    seato = text_of(sliced, 3260)
    assert "USA must assist victim\n      against atop-3260-defcoadv" in seato
    assert seato.count("against atop-3260-defcoadv") == 1
    assert "parties PAK from 1954-09-08 until 1972-11-08" in seato
    assert c.instruments["atop-3260-p2"].members_on(dt.date(1980, 1, 1)) == ["THA", "USA"]
    comb, _ = to_ccodes(c, res.combined())
    assert (2, 817, 1960) not in comb  # protocol states are not members
    # 3. US-Japan 1960: asymmetric.
    assert values(comb[(2, 740, 1965)])[0] == 1 and values(comb[(740, 2, 1965)])[0] == 0
    # 5. ANZUS: New Zealand leaves on 1986-09-17.
    assert values(comb[(2, 920, 1985)]) == (1, 0, 0, 1, 1) and values(comb[(2, 920, 1986)]) == (1, 0, 0, 1, 1)
    assert (2, 920, 1987) not in comb
    # 6. US-ROC: the year of termination (1 January 1980) counts.
    assert values(comb[(2, 713, 1979)])[0] == 1 and values(comb[(2, 713, 1980)])[0] == 1 and (2, 713, 1981) not in comb
    # 7. Baghdad Pact: consultation only; Iraq leaves in 1959.
    assert all(values(v)[0] == 0 and values(v)[4] == 1 for (a, b, y), v in comb.items() if (a, b) == (640, 645))
    assert max(y for (a, b, y) in comb if (a, b) == (640, 645)) == 1959


def text_of(sliced, a: int) -> str:
    return (sliced["dir"] / f"atop-{a}.treaty").read_text()


@needs_data
def test_round_trip_reproduces_atops_rows_per_alliance(sliced, atop):
    """Import -> engine -> ATOP's shape gives, for each alliance, exactly ATOP's rows and values (ATOP's rule on
    the member file, with the obvary corrections its directed table shows), but for ATOP's last-phase rows."""
    per = rule.attributed(rule.per_alliance(atop["members"]), atop["ddyr"])
    eng = per_atop(sliced["corpus"], sliced["result"])
    for a in SLICE:
        want = {k: bits(v) | ROW for k, v in per[a].items()}
        got = eng.get(a, {})
        assert set(got) == set(want), a
        diff = {k for k in want if got[k] != want[k]}
        assert diff <= LAST_PHASE_ROWS, (a, sorted(diff)[:5])
    # 1155's phase 2 replaces phase 1 in mid-1857: ATOP shows only phase 2's values for the year.
    assert values(eng[1155][(140, 165, 1857)]) == (1, 0, 0, 0, 1) and per[1155][(140, 165, 1857)] == (0, 0, 0, 0, 1)


@needs_data
def test_round_trip_reproduces_the_directed_table_where_the_slice_is_all_there_is(sliced, atop):
    """Where every alliance behind a row of atop5_1ddyr is in the slice, the export has that row, with its values."""
    per = rule.per_alliance(atop["members"])
    behind: dict = {}
    for a, seg in per.items():
        for k in seg:
            behind.setdefault(k, set()).add(a)
    comb, _ = to_ccodes(sliced["corpus"], sliced["result"].combined())
    covered = [k for k, alls in behind.items() if alls <= SLICE]
    assert len(covered) > 10_000
    for k in covered:
        if k not in LAST_PHASE_ROWS:
            assert values(comb[k]) == atop["ddyr"][k], k
    assert set(comb) <= set(atop["ddyr"])  # no row ATOP does not have


@needs_data
def test_obvary_corrections_are_partner_specific_clauses(sliced, atop):
    c = sliced["corpus"]
    locarno = text_of(sliced, 2130)
    assert "victim in {DEU FRA}" in locarno  # Belgium's guarantee runs to Germany and France only
    assert "clause defense-deu" not in locarno  # Germany's runs to nobody, per ATOP's table
    assert "BEL must refrain-from-force DEU" in locarno
    comb, _ = to_ccodes(c, sliced["result"].combined())
    assert values(comb[(200, 325, 1930)]) == atop["ddyr"][(200, 325, 1930)] == (0, 0, 0, 0, 0)  # all-zero row kept
    # obvary.csv is what the data show
    derived = {(a, x, y, o) for a, x, y, o, _, _ in importer.derive_obvary(atop["members"], atop["ddyr"])}
    packaged = {(r.atopid, r.member, r.partner, r.obligation) for r in importer.read_obvary()}
    assert derived == packaged


@needs_data
def test_strict_overlap_and_concurrent_phases(sliced):
    comb, _ = to_ccodes(sliced["corpus"], sliced["result"].combined())
    # 4070: Czechoslovakia until 1992-12-31; France with the Czech Republic (phase 2) and Slovakia (phase 3).
    assert (220, 316, 1993) in comb and (220, 317, 1993) in comb
    assert (316, 317, 1993) not in comb and (315, 316, 1993) not in comb


@needs_data
def test_state_codes_cover_atop():
    codes = cow_codes()
    members = {int(r["member"]) for r in csv.DictReader(open(ATOP / "atop5_1m.csv", newline=""))}
    assert members - set(codes) == {8152}  # Annam, which ATOP itself drops
    ours = [c.code for c in codes.values()]
    assert len(ours) == len(set(ours)) and all(len(x) == 3 and x.isupper() for x in ours)
    assert codes[2].code == "USA" and codes[260].code == "XFG" and codes[817].code == "RVN" and codes[713].code == "TWN"
    if (DATA / "cow" / "states2016.csv").is_file():
        assert set(codes) == set(read_cow_states(DATA / "cow" / "states2016.csv"))


@needs_data
def test_us_alliances_in_1965_are_atops_fourteen(atop, tmp_path):
    """SOURCES.md oracle 8: in 1965 the United States had 14 alliances in ATOP's state-year file."""
    fourteen = {3075, 3150, 3180, 3210, 3215, 3240, 3260, 3270, 3355, 3360, 3365, 3370, 3375, 3480}
    imp = importer.build(atop["members"], only=fourteen)
    importer.write(imp, tmp_path)
    loaded = load_paths([tmp_path])
    assert loaded.ok
    res = Exporter(loaded.corpus).run(1965, 1965)
    have = {a for n, rows in res.by_instrument.items() if any(k[0] == "USA" for k in rows)
            for a in loaded.corpus.instruments[n].atop}
    assert have == fourteen


@needs_data
def test_commands(sliced, atop, tmp_path, capsys):
    out = tmp_path / "imp"
    assert main(["import", "atop", str(ATOP / "atop5_1m.csv"), "--only", "3215,3375", "--out", str(out)]) == 0
    assert sorted(p.name for p in out.iterdir()) == ["atop-3215.treaty", "atop-3375.treaty", "states.treaty"]
    assert main(["import", "atop", str(ATOP / "atop5_1m.csv"), "--only", "99999", "--out", str(out)]) == 2
    assert main(["import", "atop", str(tmp_path / "missing.csv"), "--out", str(out)]) == 2
    capsys.readouterr()
    csv_path = tmp_path / "dy.csv"
    assert main(["export", "dyad-years", "--corpus", str(out), "--from", "1986", "--to", "1987", "--out", str(csv_path)]) == 0
    rows = list(csv.reader(open(csv_path, newline="")))
    assert rows[0] == ["ccode1", "ccode2", "year", *OBLIGATIONS]
    assert ["2", "920", "1986", "1", "0", "0", "1", "1"] in rows and not [r for r in rows if r[:3] == ["2", "920", "1987"]]
    assert main(["export", "dyad-years", "--corpus", str(out), "--from", "1990", "--to", "1980", "--out", "-"]) == 2
    from obligations.commands.schema_cmd import schemas

    capsys.readouterr()
    assert main(["import", "atop", str(ATOP / "atop5_1m.csv"), "--only", "3215", "--out", str(tmp_path / "j"), "--json"]) == 0
    _conforms(json.loads(capsys.readouterr().out), schemas()["import"])
    assert main(["compare-atop", "--json", "--corpus", str(sliced["dir"]), "--from", "1985", "--to", "1988",
                 "--atop-members", str(ATOP / "atop5_1m.csv"), "--atop-ddyr", str(ATOP / "atop5_1ddyr_obligations.csv")]) == 0
    _conforms(json.loads(capsys.readouterr().out), schemas()["compare-atop"])
    report = tmp_path / "cmp.md"
    assert main(["compare-atop", "--corpus", str(sliced["dir"]), "--out", str(report),
                 "--atop-ddyr", str(ATOP / "atop5_1ddyr_obligations.csv")]) == 0
    md = report.read_text()
    assert "| 3180 | atop-3180, atop-3180-p2 |" in md and "BRA → URY 1857 (defense)" in md and "ATOP takes the later phase" in md


def _conforms(value, schema) -> None:
    """The parts of JSON Schema the hand-written schemas use: type, required, properties, items, enum."""
    types = {"object": dict, "array": list, "string": str, "integer": int}
    if "enum" in schema:
        assert value in schema["enum"], (value, schema["enum"])
    if "type" in schema:
        assert isinstance(value, types[schema["type"]]), (value, schema["type"])
    for k in schema.get("required", []):
        assert k in value, k
    for k, sub in schema.get("properties", {}).items():
        if k in value:
            _conforms(value[k], sub)
    if "items" in schema:
        for x in value:
            _conforms(x, schema["items"])


@needs_data
def test_compare_on_the_bundled_corpus_explains_every_disagreement(atop):
    from obligations.model.load import load_corpus

    loaded = load_corpus()
    assert loaded.ok
    cmp = compare.compare(loaded.corpus, frozenset(), atop["members"], atop["ddyr"], 1984, 1990)
    assert {r.atop for r in cmp.alliances} >= {3180, 3215}
    for r in cmp.alliances:
        for x in r.runs:
            assert x.reason and x.kind, x
    anzus = next(r for r in cmp.alliances if r.atop == 3215)
    after = [x for x in anzus.runs if x.a == "AUS" and x.b == "NZL" and x.obligation == "defense"]
    assert after and after[0].years[0] == 1987 and (after[0].engine, after[0].atop_value) == (1, 0)
    assert after[0].verdict == "engine"  # ATOP codes AUS-NZL after 1986 as consultation only; the text does not


@pytest.mark.slow
@needs_data
def test_full_atop_round_trip(atop, tmp_path):
    """All 789 alliances: every file checks, and the export reproduces atop5_1ddyr but for ATOP's 14 last-phase rows."""
    cow = read_cow_states(DATA / "cow" / "states2016.csv")
    imp = importer.build(atop["members"], None, cow)
    importer.write(imp, tmp_path)
    assert len(imp.alliances) == 789 and imp.instruments == 849
    loaded = load_paths([tmp_path])
    assert loaded.ok, [d.short() for d in loaded.diagnostics[:5]]
    comb, _ = to_ccodes(loaded.corpus, Exporter(loaded.corpus).run(1815, 2018).combined())
    assert set(comb) == set(atop["ddyr"])
    diff = sorted(k for k, v in atop["ddyr"].items() if values(comb[k]) != v)
    assert len(diff) == 14 and {y for _, _, y in diff} == {1857, 1888, 1905}


# ---- the exporter's semantics on small corpora (no data needed) ------------------------------------------


WORLD = """
state USA "United States" ccode 2
state GBR "United Kingdom" ccode 200
state FRA "France" ccode 220
state NZL "New Zealand" ccode 920
state AUS "Australia" ccode 900
state VNM "Viet Nam" ccode 816
state XXX "No COW code"
"""


def export(text: str, first: int, last: int, drafts=frozenset()) -> dict[tuple[int, int, int], tuple[int, ...]]:
    loaded = load_texts({"world.treaty": WORLD, "t.treaty": textwrap.dedent(text)})
    assert loaded.ok, [d.short() for d in loaded.diagnostics]
    rows, _ = to_ccodes(loaded.corpus, Exporter(loaded.corpus, frozenset(drafts)).run(first, last).combined())
    return {k: values(v) for k, v in rows.items()}


def test_years_count_as_atop_counts_them():
    rows = export("""
        treaty t "T"
          signed 1950-03-01
          in-force 1950-06-01
          terminated 1960-01-01
          parties USA GBR
          parties FRA from 1955-12-31
          article 1 "The Parties will assist a Party attacked and consult together."
            clause
              upon armed-attack
              if victim is party
              each party other than victim must assist victim
            clause
              each party must consult
          end
        end
        """, 1945, 1965)
    assert (2, 200, 1949) not in rows and rows[(2, 200, 1950)] == (1, 0, 0, 0, 1)
    assert rows[(2, 220, 1955)] == (1, 0, 0, 0, 1)  # one day (31 December) counts
    assert rows[(2, 200, 1960)] == (1, 0, 0, 0, 1)  # ends on 1 January 1960: ATOP counts the year of the end
    assert (2, 200, 1961) not in rows


DRAFT = """
        treaty d "D"
          draft
          parties AUS USA
          article 1 "The Parties will remain neutral."
            clause
              upon armed-attack
              if victim is party
              each party other than victim must remain-neutral victim
          end
        end
        """


def test_strict_overlap_suspension_designation_and_drafts():
    rows = export("""
        treaty t "T"
          in-force 1950-01-01
          parties USA GBR
          parties FRA until 1960-07-01
          parties NZL from 1960-07-01
          suspended USA toward GBR from 1970-01-01
          designates VNM from 1955-01-01
          article 1 "The Parties will assist a Party or a designated state attacked."
            clause
              upon armed-attack
              if victim is party or victim is designated
              each party other than victim must assist victim
            clause
              each party must refrain-from-force
          end
        end
        """ + DRAFT, 1950, 1975)
    assert (220, 920, 1960) not in rows  # FRA leaves the day NZL joins: no overlap, no pair
    assert rows[(2, 816, 1960)] == (1, 0, 0, 0, 0) and (816, 2, 1960) not in rows  # toward a designated state
    assert rows[(2, 200, 1971)] == (0, 0, 0, 0, 0) and rows[(200, 2, 1971)] == (1, 0, 0, 1, 0)  # suspended toward GBR
    assert rows[(2, 200, 1970)] == (1, 0, 0, 1, 0)  # suspended from 1 January 1970: the year counts, as ATOP counts it
    assert (2, 900, 1960) not in rows  # a draft is inert
    with_draft = export(DRAFT, 1960, 1960, drafts={"d"})
    assert with_draft[(2, 900, 1960)] == (0, 0, 1, 0, 0)


def test_conditions_under_some_reading_and_objects():
    rows = export("""
        term communist "whether the attacker is communist"
          of state

        pledge p "P"
          signed 1960-01-01
          by USA
          toward VNM
          article 1 "The United States will assist Viet Nam against communist aggression, and join its offensives."
            clause
              upon armed-attack
              if victim = VNM
              USA must use-armed-force
              against attacker is communist
            clause
              upon armed-attack
              if attacker = VNM
              USA must join-offensive attacker
          end
        end
        """, 1960, 1960)
    assert rows[(2, 816, 1960)] == (1, 1, 0, 0, 0)  # depends on `communist`: counts, as ATOP ignores conditions
    assert (816, 2, 1960) not in rows


def test_csv_shape():
    buf = io.StringIO()
    write_csv({(2, 200, 1950): 0b10001 | ROW, (2, 20, 1950): ROW}, buf)
    assert buf.getvalue().splitlines() == ["ccode1,ccode2,year,defense,offense,neutral,nonagg,consul",
                                           "2,20,1950,0,0,0,0,0", "2,200,1950,1,0,0,0,1"]


@needs_data
def test_the_committed_comparison_report_is_what_the_command_writes(tmp_path):
    """docs/atop-comparison.md is reproducible with its one documented command."""
    out = tmp_path / "report.md"
    assert main(["compare-atop", "--out", str(out), "--atop-members", str(ATOP / "atop5_1m.csv"),
                 "--atop-ddyr", str(ATOP / "atop5_1ddyr_obligations.csv")]) == 0
    committed = Path(__file__).resolve().parents[1] / "docs" / "atop-comparison.md"
    assert out.read_text() == committed.read_text(), "regenerate: obligations compare-atop --out docs/atop-comparison.md"


@needs_data
def test_an_imported_alliance_never_obliges_the_attacker_to_help_its_victim(atop, tmp_path):
    """The Arab League's Joint Defence Treaty (ATOP 3205) in August 1990: Iraq attacks Kuwait. The other members
    are obliged as ATOP codes them; Iraq, the attacker, is not."""
    cow = read_cow_states(DATA / "cow" / "states2016.csv") if (DATA / "cow" / "states2016.csv").is_file() else None
    imp = importer.build(atop["members"], None, cow, only={3205})
    importer.write(imp, tmp_path)
    loaded = load_paths([tmp_path])
    assert loaded.ok, [d.short() for d in loaded.diagnostics[:5]]
    eng = Engine(loaded.corpus)
    s = Scenario(date=dt.date(1990, 8, 2), attacker="IRQ", victim="KWT", target="territory")
    assert eng.verdict(s, Question(party="IRQ", action="assist")) == "not_obliged"
    assert eng.verdict(s, Question(party="EGY", action="assist")) in ("obliged", "depends")
