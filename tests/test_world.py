"""The bundled world: every state of the system with its dates, sources and home; every place in a region; the
names the corpus already used; `communist` settled where history is clear; the generator reproduces its files."""

import csv
import datetime as dt
import subprocess
import sys
from pathlib import Path

import pytest

from obligations.api import Engine
from obligations.model.load import bundled_corpus_dir, load_paths
from obligations.scenario import Question, Scenario

ROOT = Path(__file__).resolve().parents[1]
C = load_paths([bundled_corpus_dir()]).corpus
E = Engine.load()

# The homes the clause files already name, written by hand: the US-ROC treaty names `taiwan`, the Geneva and
# Manila texts the two zones of Viet Nam. Every other state's home is `xxx-home`.
HOMES = {"TWN": "taiwan", "VDR": "north-vietnam", "RVN": "south-vietnam"}

# What the corpus knew before the whole world was added: these must still resolve.
OLD_STATES = """USA CAN GBR FRA AUS NZL JPN KOR PRK CHN TWN PHL THA VNM VDR RVN RUS SUN IND IDN MYS SGP BRN PAK BEL NLD
    LUX NOR DNK ISL ITA PRT GRC TUR DEU ESP CZE HUN POL BGR EST LVA LTU ROU SVK SVN ALB HRV MNE MKD FIN SWE GEO JOR UKR
    ARG DZA KHM LAO IRN IRQ CHL COL ISR MEX PER LKA TON KAZ KGZ TJK UZB MMR""".split()
OLD_PLACES = """usa-home hawaii guam jpn-home okinawa senkaku-islands aus-home nzl-home kor-home dokdo chn-home taiwan penghu
    kinmen phl-home spratly-islands scarborough-shoal paracel-islands vnm-home tha-home gbr-home fra-home
    algerian-departments tur-home can-home falkland-islands south-vietnam north-vietnam lao-home khm-home
    pak-home""".split()
OLD_REGIONS = """pacific-ocean west-pacific east-china-sea south-china-sea east-asia southeast-asia europe north-america
    north-atlantic-north-of-cancer mediterranean-sea southwest-pacific north-pacific-above-21-30""".split()
# Codes that docs/LANGUAGE.md documents as historical or extra.
DOCUMENTED = {"SUN", "DDR", "YUG", "VDR", "RVN", "TWN", "XKX", "XCN", "CSK", "YMD"}


def un_members() -> dict[str, str]:
    lines = [x for x in (ROOT / "tests" / "data" / "un_member_states.csv").read_text(encoding="utf-8").splitlines()
             if not x.startswith("#")]
    return {r["code"]: r["name"] for r in csv.DictReader(lines)}


def existing(d: dt.date) -> set[str]:
    return {code for code in C.states if C.state_exists(code, d)}


def test_every_un_member_and_taiwan_kosovo_the_holy_see_and_palestine_exist_today():
    un = un_members()
    assert len(un) == 193
    assert existing(dt.date(2025, 6, 1)) == set(un) | {"TWN", "XKX", "VAT", "PSE"}


def test_list_states_on_a_date_reports_existence(capsys):
    from obligations.cli import main

    assert main(["list", "states", "--on", "2025-06-01", "--json"]) == 0
    import json

    items = json.loads(capsys.readouterr().out)["items"]
    assert {i["id"] for i in items if i["exists_on_date"]} == set(un_members()) | {"TWN", "XKX", "VAT", "PSE"}


def test_the_states_of_1960():
    on = existing(dt.date(1960, 1, 1))
    assert {"DDR", "SUN", "DEU", "VDR", "RVN", "CHN", "TWN", "YUG", "CSK", "XYA", "VAT", "JPN", "AUT"} <= on
    assert not on & {"RUS", "VNM", "SRB", "SYR", "DZA", "CYP", "XCN", "PSE", "XKX", "EST"}
    assert 85 <= len(on) <= 95


@pytest.mark.parametrize("date,present,absent", [
    ("1816-01-01", {"GBR", "SUN", "DEU", "XBV", "XPS", "XAH", "USA", "TUR"}, {"XCN", "JPN"}),
    # The Baltic states and Austria have one spell (the latest) until the language allows several.
    ("1937-07-07", {"XCN", "JPN", "DEU", "POL", "ETH"}, {"CHN", "TWN", "AUT", "EST"}),
    ("1975-04-29", {"RVN", "VDR"}, {"VNM"}),
    ("1991-12-25", {"SUN", "EST", "YUG"}, {"RUS", "UKR"}),
    ("1991-12-26", {"RUS", "UKR"}, {"SUN"}),
])
def test_existence_at_turning_points(date, present, absent):
    on = existing(dt.date.fromisoformat(date))
    assert present <= on and not on & absent


def test_every_state_has_a_source_a_name_and_a_home():
    for code, s in C.states.items():
        assert s.source and s.name, code
        home = HOMES.get(code, f"{code.lower()}-home")
        assert home in C.places, f"{code} has no home place {home}"
        p = C.places[home]
        holders = {h.state for h in p.territory_of + p.administered_by} | set(p.claimed_by)
        assert code in holders, f"{home} is not held or claimed by {code}"


def test_a_home_is_held_whenever_its_state_exists():
    for code, s in C.states.items():
        p = C.places[HOMES.get(code, f"{code.lower()}-home")]
        for d in [x for x in (s.exists.start, (s.exists.end - dt.timedelta(days=1)) if s.exists.end else None) if x] or [dt.date(2000, 1, 1)]:
            held = [h for h in p.territory_of + p.administered_by if h.state == code
                    and h.interval.contains(d)]
            assert held or code in p.claimed_by, f"{code} does not hold {p.name} on {d}"


def test_codes_are_iso_or_documented():
    lang = (ROOT / "docs" / "LANGUAGE.md").read_text(encoding="utf-8")
    un = set(un_members())
    for code in C.states:
        if code in un or code in {"VAT", "PSE", "TWN"}:
            continue
        assert code in DOCUMENTED or code.startswith("X"), code
        assert f"`{code}`" in lang or code.startswith("X"), f"{code} is not in the table of docs/LANGUAGE.md"


def test_the_names_the_corpus_used_still_resolve():
    assert set(OLD_STATES) <= set(C.states)
    assert set(OLD_PLACES) <= set(C.places)
    assert set(OLD_REGIONS) <= set(C.regions)


def test_every_place_has_a_source_and_is_in_a_region():
    for name, p in C.places.items():
        assert p.source, name
        assert p.regions or p.possibly_in, f"{name} is in no region"
        for r in p.regions:
            assert r in C.regions, (name, r)


def test_regions_nest():
    from obligations.reference import Evaluator

    ev = Evaluator(C, Scenario(date=dt.date(2025, 6, 1)), {}, frozenset(), default=False)
    cases = [("est-home", "europe", True), ("tur-home", "europe", False), ("tur-home", "asia", True),
             ("greenland", "north-america", True), ("hawaii", "north-america", False),
             ("hawaii", "north-atlantic-north-of-cancer", False), ("canary-islands", "north-atlantic-north-of-cancer", True),
             ("azores", "north-atlantic-north-of-cancer", True), ("madeira", "north-atlantic-north-of-cancer", True),
             ("ceuta", "europe", False), ("melilla", "africa", True), ("puerto-rico", "north-america", False),
             ("guam", "pacific-ocean", True), ("okinawa", "pacific-ocean", True), ("png-home", "pacific-ocean", True),
             ("christmas-island", "pacific-ocean", False), ("alaska", "north-america", True),
             ("guadeloupe", "eu-outermost-regions", True), ("greenland", "eu-overseas-countries-and-territories", True),
             ("usa-home", "americas", True), ("kor-home", "asia", True), ("fra-home", "europe", True)]
    for place, region, want in cases:
        assert ev.in_area(place, region) is want, (place, region)


def test_seas_and_the_open_regions():
    for sea in ("mediterranean-sea", "baltic-sea", "black-sea", "north-sea", "norwegian-sea", "barents-sea", "arctic-ocean",
                "north-atlantic", "south-atlantic", "caribbean-sea", "gulf-of-mexico", "indian-ocean", "arabian-sea",
                "persian-gulf", "red-sea", "gulf-of-aden", "bay-of-bengal", "andaman-sea", "strait-of-malacca",
                "south-china-sea", "east-china-sea", "philippine-sea", "sea-of-japan", "yellow-sea", "taiwan-strait",
                "coral-sea", "tasman-sea", "north-pacific", "south-pacific"):
        assert sea in C.regions and C.regions[sea].source, sea
    opens = {r.name: {pi.region for pi in r.possibly_in} for r in C.regions.values() if r.possibly_in}
    assert "pacific-ocean" in opens["south-china-sea"]
    assert "north-atlantic-north-of-cancer" in opens["baltic-sea"]
    for r in C.regions.values():
        for pi in r.possibly_in:
            assert len(pi.why) > 40, r.name
    # The South China Sea's features inherit the sea's open term: one term, so one reading settles the whole sea.
    from obligations.reference import Evaluator

    s = Scenario(date=dt.date(2025, 1, 1), attacker="CHN", victim="PHL", target="armed-forces", place="spratly-islands")
    for p in ("spratly-islands", "scarborough-shoal", "paracel-islands"):
        assert not C.places[p].possibly_in
        for reading in (True, False):
            ev = Evaluator(C, s, {"in(south-china-sea, pacific-ocean)": reading})
            assert ev.in_area(p, "pacific-ocean") is reading, (p, reading)


def test_overseas_territories_the_treaty_areas_turn_on():
    wanted = """canary-islands azores madeira greenland faroe-islands bermuda ceuta melilla guadeloupe martinique
        french-guiana reunion mayotte new-caledonia french-polynesia wallis-and-futuna guam northern-mariana-islands
        american-samoa hawaii alaska puerto-rico us-virgin-islands norfolk-island christmas-island
        cocos-keeling-islands cook-islands niue tokelau chagos-archipelago gibraltar falkland-islands svalbard
        aland-islands sakhalin kuril-islands southern-kuril-islands""".split()
    assert set(wanted) <= set(C.places)
    assert set(C.places["gibraltar"].claimed_by) == {"GBR", "ESP"}
    assert set(C.places["chagos-archipelago"].claimed_by) == {"GBR", "MUS"}
    assert set(C.places["southern-kuril-islands"].claimed_by) == {"JPN", "RUS"}


# ---- communist ---------------------------------------------------------------------------------------------------


def test_communist_is_settled_or_left_open_with_a_reason_for_every_state():
    from obligations.model.facts import FactIndex

    facts = FactIndex(C, lambda inst, d: True)
    notes = " ".join(C.terms["communist"].notes)
    for code, s in C.states.items():
        days = [x for x in (s.exists.start, (s.exists.end - dt.timedelta(days=1)) if s.exists.end else dt.date(2025, 6, 1)) if x]
        for d in days:
            f = facts.lookup("communist", (code,), d)
            assert (f is not None and f.grounds) or f"Left open: {code} " in notes, (code, d)


@pytest.mark.parametrize("code,date,expected", [
    ("IND", "1965-09-06", False), ("IDN", "1967-06-01", False), ("IDN", "1962-01-01", None), ("USA", "2025-06-01", False),
    ("SUN", "1965-06-01", True), ("SUN", "1900-01-01", False), ("CHN", "1965-06-01", True), ("VDR", "1965-06-01", True),
    ("PRK", "1950-06-25", True), ("LAO", "1976-01-01", True), ("LAO", "1960-01-01", False), ("KHM", "1977-01-01", True),
    ("KHM", "1985-01-01", True), ("CUB", "1980-01-01", True), ("AFG", "1980-01-01", True), ("YMD", "1980-01-01", True),
    ("DDR", "1980-01-01", True), ("POL", "1980-01-01", True), ("YUG", "1980-01-01", True), ("ALB", "1980-01-01", True),
    ("MNG", "1980-01-01", True), ("ETH", "1980-01-01", None), ("ETH", "1989-01-01", True), ("NIC", "1985-01-01", None),
    ("GRD", "1981-01-01", None), ("AGO", "1985-01-01", None), ("RUS", "2025-06-01", False), ("FRA", "1950-01-01", False),
])
def test_communist_facts(code, date, expected):
    from obligations.model.facts import FactIndex

    f = FactIndex(C, lambda inst, d: True).lookup("communist", (code,), dt.date.fromisoformat(date))
    got = None if f is None else not f.negated
    assert got is expected


@pytest.mark.parametrize("attacker,victim,place,date", [
    ("IND", "PAK", "pak-home", "1965-09-06"),
    ("IDN", "THA", "tha-home", "1967-06-01"),
    ("NOR", "KHM", "khm-home", "2025-06-01"),
])
def test_communist_aggression_questions_are_answered(attacker, victim, place, date):
    """The US Understanding to the Manila Pact: only communist aggression. Not `depends` on the attacker."""
    s = Scenario(date=dt.date.fromisoformat(date), attacker=attacker, victim=victim, place=place, target="territory")
    r = E.ask(s, Question(party="USA", action="meet-common-danger"))
    assert r.verdict == "not_obliged", r.summary


# ---- the generator -----------------------------------------------------------------------------------------------

COW = ROOT.parent / "shared" / "data" / "cow" / "states2016.csv"


@pytest.mark.skipif(not COW.exists(), reason="COW's states2016.csv is not at ../shared/data/cow")
@pytest.mark.skipif(not (ROOT / "tools" / "world" / "build.py").exists(), reason="no tools/world/build.py (installed copy)")
def test_the_generator_reproduces_the_committed_files():
    r = subprocess.run([sys.executable, str(ROOT / "tools" / "world" / "build.py"), "--check", "--cow", str(COW)],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
