"""The bundled corpus answers the debate's questions as the treaty texts support, today and in the past."""

import datetime as dt

import pytest

from obligations.api import Engine
from obligations.query.eligible import eligible
from obligations.query.conflicts import conflicts
from obligations.scenario import Question, Scenario


def attack(attacker, victim, place, date, target="territory"):
    return Scenario(date=dt.date.fromisoformat(date), attacker=attacker, victim=victim, place=place, target=target)


CASES = [
    # The Senkakus: Japan administers them since the 1972 reversion; Article V follows administration.
    ("senkaku-usa-today", attack("CHN", "JPN", "senkaku-islands", "2025-06-01"), "USA", "assist", "obliged", "us-japan"),
    ("senkaku-usa-1965", attack("CHN", "JPN", "senkaku-islands", "1965-06-01"), "USA", "assist", "not_obliged", "us-japan"),
    ("senkaku-aus", attack("CHN", "JPN", "senkaku-islands", "2025-06-01"), "AUS", "assist", "not_obliged", None),
    ("senkaku-kor", attack("CHN", "JPN", "senkaku-islands", "2025-06-01"), "KOR", "assist", "not_obliged", None),
    # Discretion as to means: obliged to act, not to use armed force.
    ("senkaku-usa-force", attack("CHN", "JPN", "senkaku-islands", "2025-06-01"), "USA", "use-armed-force", "not_obliged", None),
    # ANZUS: US forces in the Pacific; the 1986 suspension toward New Zealand.
    ("anzus-guam", attack("CHN", "USA", "guam", "2025-06-01", "armed-forces"), "AUS", "assist", "obliged", "anzus"),
    ("anzus-nz-1985", attack("SUN", "NZL", "nzl-home", "1985-06-01"), "USA", "assist", "obliged", "anzus"),
    ("anzus-aus-for-nz-1987", attack("SUN", "NZL", "nzl-home", "1987-06-01"), "AUS", "assist", "obliged", "anzus"),
    # SEATO: the US obligation only against communist aggression; the Protocol's designation of South Vietnam.
    ("seato-rvn-1965", attack("VDR", "RVN", "south-vietnam", "1965-06-01"), "USA", "assist", "obliged", "manila-pact"),
    ("seato-tha-1965", attack("VDR", "THA", "tha-home", "1965-06-01"), "GBR", "assist", "obliged", "manila-pact"),
    ("seato-us-non-communist", attack("IDN", "THA", "tha-home", "1967-06-01"), "USA", "meet-common-danger", "not_obliged", "manila-pact"),
    ("seato-gbr-non-communist", attack("IDN", "THA", "tha-home", "1967-06-01"), "GBR", "meet-common-danger", "obliged", "manila-pact"),
    ("seato-pak-after-withdrawal", attack("VDR", "THA", "tha-home", "1974-06-01"), "PAK", "assist", "not_obliged", "manila-pact"),
    # Taiwan: the 1954 treaty until 1980 (Taiwan and the Pescadores, not Kinmen); the TRA obliges arms, not defence.
    ("roc-taiwan-1965", attack("CHN", "TWN", "taiwan", "1965-06-01"), "USA", "assist", "obliged", "us-roc"),
    ("roc-kinmen-1965", attack("CHN", "TWN", "kinmen", "1965-06-01"), "USA", "assist", "not_obliged", "us-roc"),
    ("taiwan-today", attack("CHN", "TWN", "taiwan", "2025-06-01"), "USA", "assist", "not_obliged", None),
    ("taiwan-arms-today", attack("CHN", "TWN", "taiwan", "2025-06-01"), "USA", "supply-defense-articles", "obliged", "taiwan-relations-act"),
    # Korea: Dokdo turns on whether the United States recognizes Korean control there.
    ("korea-home", attack("PRK", "KOR", "kor-home", "2025-06-01"), "USA", "assist", "obliged", "us-korea"),
    ("korea-dokdo", attack("JPN", "KOR", "dokdo", "2025-06-01"), "USA", "assist", "depends", "us-korea"),
    # The South China Sea: US-Philippines Art. IV with the 2019 statement, and the Manila Pact.
    ("scarborough", attack("CHN", "PHL", "scarborough-shoal", "2025-06-01", "public-vessels"), "USA", "assist", "obliged", "us-philippines"),
    # ANZUS Art. IV "in the Pacific Area": Hawaii yes; the continental United States since Australia's 2001 invocation.
    ("anzus-hawaii", attack("CHN", "USA", "hawaii", "2005-06-01"), "AUS", "assist", "obliged", "anzus"),
    # Australia's 2001 invocation is a reading of Article IV: it shows what the treaty meant from its start
    # (VCLT Art. 31(3)(b)), so it answers 1999 too; without it the question is open (tested below).
    ("anzus-mainland-1999", attack("RUS", "USA", "usa-home", "1999-06-01"), "AUS", "assist", "obliged", "anzus"),
    ("anzus-mainland-2005", attack("RUS", "USA", "usa-home", "2005-06-01"), "AUS", "assist", "obliged", "anzus"),
    ("nato-hawaii", attack("CHN", "USA", "hawaii", "2005-06-01"), "GBR", "assist", "not_obliged", "nato"),
    # NATO Article 6: Algeria until 1962, Turkey's territory, not the Falklands.
    ("nato-algeria-1960", attack("SUN", "FRA", "algerian-departments", "1960-06-01"), "GBR", "assist", "obliged", "nato"),
    ("nato-algeria-forces-1963", attack("SUN", "FRA", "algerian-departments", "1963-06-01", "armed-forces"), "GBR", "assist", "not_obliged", "nato"),
    ("nato-turkey", attack("SUN", "TUR", "tur-home", "1965-06-01"), "USA", "assist", "obliged", "nato"),
    ("nato-falklands", attack("ARG", "GBR", "falkland-islands", "1982-04-02"), "USA", "assist", "not_obliged", "nato"),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_debate_verdicts(case, bundled):
    _, s, party, action, verdict, instrument = case
    r = bundled.ask(s, Question(party=party, action=action))
    assert r.verdict == verdict, r.summary
    if instrument:
        assert instrument in {g.instrument for g in r.grounds}, r.summary
    for g in r.grounds:
        assert g.text.strip() and g.article


def test_three_nos_conflict_with_joining_a_us_japan_alliance(bundled, bundled_pato):
    r = eligible(bundled_pato.corpus, "KOR", "pato-draft", dt.date(2025, 6, 1), bundled_pato.drafts)
    assert any("three-nos" in c.summary for c in r.conflicts)
    today = conflicts(bundled.corpus, "KOR", dt.date(2025, 6, 1))
    assert not [c for c in today.conflicts if c.kind == "static"]


@pytest.mark.parametrize("state,expected", [("JPN", "not_eligible"), ("AUS", "not_eligible"), ("FIN", "depends")])
def test_could_nato_admit(state, expected, bundled):
    r = eligible(bundled.corpus, state, "nato", dt.date(2022, 6, 1), frozenset())
    assert r.verdict == expected


def test_pato_would_oblige_australia_for_taiwan_only_if_taiwan_joined(bundled, bundled_pato):
    s = attack("CHN", "TWN", "taiwan", "2025-06-01")
    q = Question(party="AUS", action="assist")
    assert bundled_pato.ask(s, q).verdict == "not_obliged"
    joined = Engine.load(drafts={"pato-draft"}, join=[("pato-draft", "TWN")])
    assert joined.ask(s, q).verdict == "obliged"
    assert bundled.ask(s, q).verdict == "not_obliged"


def test_cooperation_memberships_say_they_oblige_nothing(bundled):
    r = bundled.ask(attack("CHN", "JPN", "senkaku-islands", "2025-06-01"), Question(party="IND", action="assist"))
    assert r.verdict == "not_obliged"
    assert any(x.instrument == "quad" and "no obligation" in x.note for x in r.related)


def test_an_attack_on_territory_a_state_does_not_hold_is_refused(bundled):
    """After 3 July 1962 the Algerian Departments are Algeria's: an attack there is not one on France's territory."""
    from obligations.errors import IllFormedScenario

    with pytest.raises(IllFormedScenario, match="not FRA's territory"):
        bundled.ask(attack("SUN", "FRA", "algerian-departments", "1963-06-01"), Question(party="GBR", action="assist"))


def test_australias_reading_settles_australias_obligations_only():
    """A reading made by one state settles nothing for another unless the text says so."""
    e = Engine.load()
    s = attack("RUS", "USA", "usa-home", "2005-06-01")
    aus = e.ask(s, Question(party="AUS", action="assist"))
    assert aus.verdict == "obliged"
    assert any(f.instrument == "anzus-invocation-2001" and f.authors == ["AUS"] for f in aus.readings)
    without = Engine.load(without={"anzus-invocation-2001"}).ask(s, Question(party="AUS", action="assist"))
    assert without.verdict == "depends"
    posed = Engine.load(assume=["metropolitan-attack-in-pacific-area()=not covered"]).ask(s, Question(party="AUS", action="assist"))
    assert posed.verdict == "not_obliged"
