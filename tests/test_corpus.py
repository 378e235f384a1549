"""The bundled corpus answers the debate's questions as the treaty texts support, today and in the past."""

import datetime as dt

import pytest

from obligations.api import Engine
from obligations.query.eligible import eligible
from obligations.query.conflicts import conflicts
from obligations.scenario import Question, Scenario


def attack(attacker, victim, place, date, target="territory"):
    return Scenario(date=dt.date.fromisoformat(date), attacker=attacker, victim=victim, place=place, target=target)


def threat(attacker, victim, place, date):
    return Scenario(event="threat", date=dt.date.fromisoformat(date), attacker=attacker, victim=victim, place=place)


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
    # NATO Art. 6 as signed (until 15 February 1952): forces are covered only as occupation forces in Europe;
    # as amended, in or over the Parties' territories.
    ("nato-forces-france-1950", attack("SUN", "USA", "fra-home", "1950-06-01", "armed-forces"), "GBR", "assist", "not_obliged", "nato"),
    ("nato-forces-france-1960", attack("SUN", "USA", "fra-home", "1960-06-01", "armed-forces"), "GBR", "assist", "obliged", "nato"),
    # An attacking party is never obliged to assist its own victim.
    ("nato-attacker-not-obliged", attack("USA", "CAN", "can-home", "2025-06-01"), "USA", "assist", "not_obliged", "nato"),
    # The missing articles: US-Japan Art. IV (consultation on a threat), the 1960 prior-consultation notes.
    ("us-japan-threat-consult", threat("CHN", "JPN", None, "2025-06-01"), "USA", "consult", "obliged", "us-japan"),
    ("us-japan-far-east-consult", threat("PRK", "KOR", "kor-home", "2025-06-01"), "JPN", "consult", "obliged", "us-japan"),
    ("us-japan-prior-consultation", attack("CHN", "TWN", "taiwan", "2025-06-01"), "USA", "consult", "depends", "us-japan-prior-consultation"),
    # US-Philippines Art. IV "in the Pacific area", read as in ANZUS: the continental United States is open.
    ("us-philippines-mainland", attack("RUS", "USA", "usa-home", "2025-06-01"), "PHL", "assist", "depends", "us-philippines"),
    # US-Korea Art. III speaks of the territories administered in 1953: Okinawa then; open once returned to Japan.
    ("us-korea-okinawa-1965", attack("CHN", "USA", "okinawa", "1965-06-01", "armed-forces"), "KOR", "assist", "obliged", "us-korea"),
    ("us-korea-senkaku-today", attack("CHN", "USA", "senkaku-islands", "2025-06-01", "armed-forces"), "KOR", "assist", "depends", "us-korea"),
    # Overstatement removed: CENTO's co-operation is no duty to consult.
    ("cento-no-consultation", threat("SUN", "IRN", None, "1960-06-01"), "GBR", "consult", "not_obliged", None),
    # Manila Pact Art. IV(3): no action on a designated state's territory without its consent.
    ("seato-laos-1965", attack("VDR", "LAO", "lao-home", "1965-06-01"), "GBR", "assist", "not_obliged", "manila-pact"),
    ("seato-rvn-1960", attack("VDR", "RVN", "south-vietnam", "1960-06-01"), "USA", "assist", "depends", "manila-pact"),
    # The other side of the Korean peninsula: assistance when an attack puts the other in a state of war.
    ("prc-dprk", attack("USA", "PRK", None, "2025-06-01"), "CHN", "assist", "depends", "prc-dprk"),
    ("prc-dprk-at-home", attack("USA", "PRK", "prk-home", "1965-06-01"), "CHN", "assist", "depends", "prc-dprk"),
    ("sun-dprk-1965", attack("USA", "PRK", "prk-home", "1965-06-01"), "SUN", "assist", "depends", "sun-dprk"),
    ("russia-dprk-1999", attack("USA", "PRK", "prk-home", "1999-06-01"), "RUS", "assist", "not_obliged", None),
    ("russia-dprk-2025", attack("USA", "PRK", "prk-home", "2025-06-01"), "RUS", "assist", "depends", "russia-dprk"),
    ("dprk-for-russia", attack("UKR", "RUS", "rus-home", "2025-06-01"), "PRK", "assist", "depends", "russia-dprk"),
    # The Rio Treaty: any American State attacked; withdrawals; the attacker is never obliged.
    ("rio-usa", attack("RUS", "USA", "usa-home", "2025-06-01"), "BRA", "assist", "obliged", "rio-treaty"),
    ("rio-venezuela-withdrew", attack("RUS", "USA", "usa-home", "2025-06-01"), "VEN", "assist", "not_obliged", "rio-treaty"),
    ("rio-mexico-2003", attack("CHN", "MEX", "mex-home", "2003-06-01"), "BRA", "assist", "obliged", "rio-treaty"),
    ("rio-american-state-after-withdrawal", attack("CHN", "MEX", "mex-home", "2010-06-01"), "BRA", "assist", "obliged", "rio-treaty"),
    ("rio-mexico-2010-not-party", attack("CHN", "USA", "usa-home", "2010-06-01"), "MEX", "assist", "not_obliged", "rio-treaty"),
    ("rio-attacker", attack("USA", "MEX", "mex-home", "2003-06-01"), "USA", "assist", "not_obliged", "rio-treaty"),
    # TEU Art. 42(7): every other Member State, neutral ones included; France's Pacific territories are open.
    ("teu-austria", attack("RUS", "FRA", "fra-home", "2025-06-01"), "AUT", "assist", "obliged", "teu"),
    ("teu-before-lisbon", attack("RUS", "FRA", "fra-home", "2008-06-01"), "AUT", "assist", "not_obliged", None),
    ("teu-new-caledonia", attack("CHN", "FRA", "new-caledonia", "2025-06-01"), "DEU", "assist", "depends", "teu"),
    # France never denounced the Manila Pact, and New Caledonia lies in its treaty area (the Southwest Pacific).
    ("seato-new-caledonia", attack("CHN", "FRA", "new-caledonia", "2025-06-01"), "GBR", "assist", "obliged", "manila-pact"),
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
    assert any(f.instrument == "anzus-invocation-2001" and f.authors == ["AUS", "USA"] for f in aus.readings)
    # New Zealand took no part in the invocation: it settles nothing for New Zealand's obligations.
    nzl = e.ask(attack("SUN", "USA", "usa-home", "1985-06-01"), Question(party="NZL", action="assist"))
    assert nzl.verdict == "depends" and not [f for f in nzl.readings if f.instrument == "anzus-invocation-2001"]
    without = Engine.load(without={"anzus-invocation-2001"}).ask(s, Question(party="AUS", action="assist"))
    assert without.verdict == "depends"
    posed = Engine.load(assume=["anzus-metropolitan-in-pacific-area()=not covered"]).ask(s, Question(party="AUS", action="assist"))
    assert posed.verdict == "not_obliged"


def test_who_follows_the_korean_peninsula_from_both_sides():
    """From the south, the United States and its allies; from the north, China and Russia (on a state of war)."""
    from obligations.query.who import who

    E = Engine.load()
    south = who(E.corpus, attack("PRK", "KOR", "kor-home", "2025-06-01"), "assist", E.drafts, depth=2)
    north = who(E.corpus, attack("USA", "PRK", "prk-home", "2025-06-01"), "assist", E.drafts, depth=2)
    assert {e.party: e.verdict for e in south.entries} == {"USA": "obliged"}  # the victim does not assist itself
    assert south.cascade  # US forces attacked in turn bring in ANZUS and the Philippines
    assert {e.party: e.verdict for e in north.entries} == {"CHN": "depends", "RUS": "depends"}
    assert {"prc-dprk", "russia-dprk"} <= {i for e in north.entries for i in e.instruments}


def test_dulles_yeh_notes_make_force_from_taiwan_a_matter_of_joint_agreement(bundled):
    E = bundled
    r = E.ask(attack("TWN", "CHN", "chn-home", "1958-06-01"), Question(party="TWN", action="use-armed-force", deontic="must not"))
    assert r.verdict == "depends" and "dulles-yeh-notes" in {g.instrument for g in r.grounds}, r.summary
    after = E.ask(attack("TWN", "CHN", "chn-home", "1981-06-01"), Question(party="TWN", action="use-armed-force", deontic="must not"))
    assert after.verdict == "not_obliged"


def test_the_taiwan_relations_act_policy_is_no_duty(bundled):
    """s. 2(b) is a statement of policy: the Act obliges arms (s. 3(a)), not the capacity to resist force."""
    E = bundled
    r = E.ask(attack("CHN", "TWN", "taiwan", "2025-06-01"), Question(party="USA", action="maintain-capacity"))
    assert "taiwan-relations-act" not in {g.instrument for g in r.grounds}
    arms = E.ask(attack("CHN", "TWN", "taiwan", "2025-06-01"), Question(party="USA", action="supply-defense-articles"))
    assert arms.verdict == "obliged" and "taiwan-relations-act" in {g.instrument for g in arms.grounds}


def test_the_victim_is_not_asked_whether_it_assists_itself(bundled):
    from obligations.errors import IllFormedScenario

    with pytest.raises(IllFormedScenario, match="MEX is the victim"):
        bundled.ask(attack("CHN", "MEX", "mex-home", "2003-06-01"), Question(party="MEX", action="assist"))
