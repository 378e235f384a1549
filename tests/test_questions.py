"""The questions a newcomer and a lawyer ask first, answered from the shell as they would ask them (issues 14 and
15's acceptance questions). Each pins the verdict, the place assumed, the readings it rests on and the hinge."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from obligations.cli import main
from obligations.model.load import load_corpus


def ask(capsys, *args: str) -> tuple[int, dict | str]:
    rc = main(["ask", *args, "--json"])
    out, err = capsys.readouterr()
    return rc, (json.loads(out) if rc in (0, 1) and out.strip() else err)


def readings_of(r: dict) -> set[str]:
    return {x["instrument"] for x in r["readings"] if x.get("instrument")}


def hinges_of(r: dict) -> set[str]:
    return {h["term"] if isinstance(h, dict) and "term" in h else str(h) for h in r["hinges"]}


def test_russia_attacks_latvia_obliges_the_united_states_at_the_home_territory_it_assumes(capsys):
    rc, r = ask(capsys, "--attacker", "RUS", "--victim", "LVA", "--on", "2024-03-01", "--party", "USA")
    assert rc == 0 and r["verdict"] == "obliged"
    assert [(g["instrument"], g["article"]) for g in r["grounds"] if g.get("holds", True)][:1] == [("nato", "5")]
    assert r["scenario"]["place"] == "lva-home" and any("lva-home" in a for a in r["assumptions"])


def test_latvian_forces_in_the_mediterranean_are_covered_by_article_6_ii(capsys):
    rc, r = ask(capsys, "--attacker", "RUS", "--victim", "LVA", "--target", "armed-forces", "--at", "mediterranean-sea",
                "--on", "2024-03-01", "--party", "USA")
    assert rc == 0 and r["verdict"] == "obliged"


def test_us_forces_in_the_south_china_sea_leave_australia_on_the_pacific_hinge(capsys):
    rc, r = ask(capsys, "--attacker", "CHN", "--victim", "USA", "--target", "armed-forces", "--at", "south-china-sea",
                "--on", "2024-03-01", "--party", "AUS", "--without", "manila-pact")
    assert r["verdict"] == "depends"
    assert "in(south-china-sea, pacific-ocean)" in json.dumps(r["hinges"])
    assert "pompeo-2019" not in readings_of(r)  # a US reading of another treaty settles nothing for Australia


def test_an_attack_on_territory_a_state_neither_holds_nor_claims_is_refused(capsys):
    rc = main(["ask", "--attacker", "RUS", "--victim", "ALB", "--target", "territory", "--at", "tur-home",
               "--on", "2024-03-01", "--party", "USA"])
    err = capsys.readouterr().err
    assert rc == 2 and "not ALB's territory" in err and "alb-home" in err


def test_an_attacker_is_never_obliged_to_assist_its_own_victim(capsys):
    rc, r = ask(capsys, "--attacker", "TUR", "--victim", "GRC", "--on", "2025-06-01", "--party", "TUR")
    assert r["verdict"] != "obliged"


# ---- readings with provenance (issue 15) -----------------------------------------------------------------


SPRATLY = ["--attacker", "CHN", "--target", "armed-forces", "--at", "spratly-islands", "--on", "2025-01-01"]


def test_the_spratlys_for_australia_turn_on_the_pacific_area_and_no_us_reading_settles_them(capsys):
    rc, r = ask(capsys, *SPRATLY, "--victim", "USA", "--party", "AUS", "--without", "manila-pact")
    assert r["verdict"] == "depends"
    assert "in(south-china-sea, pacific-ocean)" in json.dumps(r["hinges"])
    assert "pompeo-2019" not in readings_of(r)


def test_the_spratlys_for_the_united_states_toward_the_philippines_rest_on_the_2019_statement(capsys):
    rc, r = ask(capsys, *SPRATLY, "--victim", "PHL", "--party", "USA", "--without", "manila-pact")
    assert rc == 0 and r["verdict"] == "obliged"
    pompeo = [x for x in r["readings"] if x.get("instrument") == "pompeo-2019"]
    assert pompeo and pompeo[0]["authors"] == ["USA"] and pompeo[0]["interprets"] == "us-philippines"
    assert "South China Sea is part of the Pacific" in pompeo[0]["quote"]
    # Without the statement the same question is open again.
    rc, r = ask(capsys, *SPRATLY, "--victim", "PHL", "--party", "USA", "--without", "manila-pact",
                "--without", "pompeo-2019")
    assert r["verdict"] == "depends"


def test_the_2019_statement_speaks_of_forces_vessels_and_aircraft_not_territory(capsys):
    rc, r = ask(capsys, "--attacker", "CHN", "--victim", "PHL", "--target", "public-vessels", "--at", "south-china-sea",
                "--on", "2025-01-01", "--party", "USA", "--without", "manila-pact")
    assert r["verdict"] == "obliged" and "pompeo-2019" in readings_of(r)
    rc, r = ask(capsys, "--attacker", "CHN", "--victim", "PHL", "--target", "territory", "--at", "spratly-islands",
                "--on", "2025-01-01", "--party", "USA", "--without", "manila-pact")
    assert "pompeo-2019" not in readings_of(r)


def test_a_posed_reading_settles_the_hinge(capsys):
    base = [*SPRATLY, "--victim", "USA", "--party", "AUS", "--without", "manila-pact"]
    assert ask(capsys, *base, "--assume", "in(south-china-sea, pacific-ocean)=true")[1]["verdict"] == "obliged"
    assert ask(capsys, *base, "--assume", "in(south-china-sea, pacific-ocean)=false")[1]["verdict"] == "not_obliged"


def test_a_threat_to_japan_obliges_the_united_states_to_consult_under_article_iv(capsys):
    rc, r = ask(capsys, "--event", "threat", "--attacker", "CHN", "--victim", "JPN", "--on", "2025-06-01",
                "--party", "USA", "--action", "consult")
    assert rc == 0 and r["verdict"] == "obliged"
    assert ("us-japan", "IV") in {(g["instrument"], g["article"]) for g in r["grounds"]}


def test_china_toward_north_korea_names_the_1961_treaty(capsys):
    rc, r = ask(capsys, "--attacker", "USA", "--victim", "PRK", "--on", "2025-06-01", "--party", "CHN")
    assert r["verdict"] != "not_obliged"
    assert "prc-dprk" in json.dumps(r["grounds"]) + json.dumps(r["hinges"])


def test_every_reading_in_the_corpus_is_scoped_to_what_it_interprets():
    """A fact inside an interpretive statement, understanding or joint statement settles nothing outside the
    instrument it interprets (`to`)."""
    c = load_corpus().corpus
    for inst in c.instruments.values():
        if inst.kind not in ("interpretive-statement", "understanding", "joint-statement"):
            continue
        for f in c.facts:
            if f.instrument != inst.name:
                continue
            assert f.reading and f.scope == inst.parent, (inst.name, f.key)
            if inst.authors:  # the corpus's own reading of a rule of law (no author) is everyone's
                assert f.parties, (inst.name, f.key)


# ---- only sensible scenarios (issue 14): every witness the engine prints on the bundled corpus ----------------


def _well_formed(c, w) -> list[str]:
    from obligations.smt.search import holders

    out = []
    if w.attacker is None and w.victim is None:
        return out
    for role in ("attacker", "victim"):
        code = getattr(w, role)
        if code is None or code not in c.states or not c.states[code].exists.contains(w.date):
            out.append(f"{role} {code} does not exist on {w.date}")
    if w.attacker == w.victim:
        out.append("a state attacks itself")
    if w.target == "territory" and w.victim not in holders(c, w.place, w.date):
        out.append(f"{w.victim} neither holds nor claims {w.place}")
    if "None" in w.text:
        out.append("None in the text")
    return out


@pytest.mark.parametrize("date", [dt.date(1965, 6, 1), dt.date(1985, 6, 1), dt.date(2025, 6, 1)])
def test_every_conflict_witness_on_the_bundled_corpus_can_happen(date):
    from obligations.query.conflicts import conflicts

    c = load_corpus().corpus
    parties = sorted({m.state for i in c.instruments.values() if not i.draft for m in i.memberships
                      if m.interval.contains(date)})
    assert len(parties) > 40
    bad, seen = [], 0
    for p in parties:
        for cf in conflicts(c, p, date).conflicts:
            for w in cf.witnesses:
                seen += 1
                bad += [f"{p}: {w.text}: {x}" for x in _well_formed(c, w)]
    assert seen and not bad, bad[:5]


def test_the_drafts_counterexamples_and_differences_can_happen(capsys):
    from pathlib import Path

    c = load_corpus().corpus
    ex = Path(__file__).resolve().parents[1] / "examples" / "drafting"
    main(["prove", str(ex / "pato-draft-1.treaty"), str(ex / "pato-draft-2.treaty"), "--json"])
    proved = json.loads(capsys.readouterr().out)
    main(["diff", str(ex / "pato-draft-1.treaty"), str(ex / "pato-draft-2.treaty"), "--json"])
    diffed = json.loads(capsys.readouterr().out)
    from obligations.results import Witness

    ws = [x["counterexample"] for x in proved["results"] if x.get("counterexample")]
    ws += [w for e in diffed["entries"] for w in e["witnesses"]]
    assert ws
    for w in ws:
        w = Witness(**{**w, "date": dt.date.fromisoformat(w["date"])})
        assert not _well_formed(c, w), w.text


def test_more_witnesses_on_request_each_a_different_war_that_can_happen():
    from obligations.query.conflicts import conflicts

    c = load_corpus().corpus
    d = dt.date(2025, 6, 1)
    one = conflicts(c, "USA", d)
    three = conflicts(c, "USA", d, witnesses=3)
    assert [x.summary for x in one.conflicts] == [x.summary for x in three.conflicts]
    assert any(len(x.witnesses) > x.per_witness for x in three.conflicts)
    for x in three.conflicts:
        groups = [tuple((w.attacker, w.victim, w.place) for w in x.witnesses[i:i + x.per_witness])
                  for i in range(0, len(x.witnesses), x.per_witness)]
        assert len(groups) <= 3 and len(set(groups)) == len(groups)
        assert groups[0] == tuple((w.attacker, w.victim, w.place) for w in
                                  next(y for y in one.conflicts if y.summary == x.summary).witnesses)
        for w in x.witnesses:
            assert not _well_formed(c, w), w.text
