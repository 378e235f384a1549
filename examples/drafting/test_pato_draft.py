"""Testing draft treaty text with Hypothesis: an ordinary pytest file, as a drafter would write it.

Run it with `pytest examples/drafting`. It reads draft 2 on top of the bundled corpus and checks,
over thousands of generated scenarios, what the draft promises.
"""

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from obligations.api import Engine
from obligations.scenario import Question, Scenario

DRAFT = Path(__file__).parent / "pato-draft-2.treaty"
ENGINE = Engine.load(with_=[DRAFT], drafts={"pato-draft-2"})
CORPUS = ENGINE.corpus
DATE = __import__("datetime").date(2030, 1, 1)
MEMBERS = CORPUS.instruments["pato-draft-2"].members_on(DATE)
OUTSIDERS = sorted(s for s in CORPUS.states if s not in MEMBERS and CORPUS.state_exists(s, DATE))
AREA = ("pacific-ocean", "east-asia", "southeast-asia")


def home_places(state):
    """Places the state administers on the date, in the treaty area, that nobody else claims."""
    ev = __import__("obligations.reference", fromlist=["Evaluator"]).Evaluator(CORPUS, Scenario(date=DATE), {}, ENGINE.drafts, default=False)
    return sorted(p.name for p in CORPUS.places.values()
                  if ev.administered_by(p.name, state) and not p.claimed_by and any(ev.in_area(p.name, r) for r in AREA))


@st.composite
def outside_attacks_on_members(draw):
    """An armed attack by a non-member on a member's own territory inside the treaty area."""
    victim = draw(st.sampled_from([m for m in MEMBERS if m != "USA" and home_places(m)]))
    return Scenario(date=DATE, attacker=draw(st.sampled_from(OUTSIDERS)), victim=victim, target="territory",
                    place=draw(st.sampled_from(home_places(victim))))


@settings(max_examples=500, deadline=None)
@given(outside_attacks_on_members())
def test_the_united_states_must_assist_a_member_attacked_at_home(s):
    assert ENGINE.verdict(s, Question(party="USA", action="assist")) == "obliged"


@settings(max_examples=500, deadline=None)
@given(outside_attacks_on_members())
def test_use_of_armed_force_stays_at_each_members_discretion(s):
    # Article 5 obliges assistance "by such action as it deems necessary": never armed force as such.
    for m in MEMBERS:
        if m != s.victim:
            assert ENGINE.verdict(s, Question(party=m, action="use-armed-force")) != "obliged"


@st.composite
def members_fighting_over_a_shared_claim(draw):
    """One member attacks another at a place both claim (the Spratlys: the Philippines and Viet Nam)."""
    shared = [(p.name, a, b) for p in CORPUS.places.values() for a in p.claimed_by for b in p.claimed_by
              if a != b and a in MEMBERS and b in MEMBERS]
    place, attacker, victim = draw(st.sampled_from(shared))
    return Scenario(date=DATE, attacker=attacker, victim=victim, place=place,
                    target=draw(st.sampled_from(["territory", "armed-forces", "public-vessels", "aircraft"])))


@settings(max_examples=100, deadline=None)
@given(members_fighting_over_a_shared_claim())
def test_article_5_never_makes_members_take_sides_over_a_shared_claim(s):
    for m in MEMBERS:
        if m == s.victim:
            continue  # the victim is not asked whether it must assist itself
        r = ENGINE.ask(s, Question(party=m, action="assist"))
        assert not [g for g in r.grounds if g.instrument == "pato-draft-2" and g.status != "does_not_apply"], r.summary
