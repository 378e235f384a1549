"""The packed corpus (obligations/model/pack.py): a question that reads only the instruments it can reach gets the
answer the whole corpus gives, to the byte; a damaged pack, or a file whose text changed under the same
metadata, is never used."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path

import pytest

from obligations.app import Workspace
from obligations.model import load as L
from obligations.model.pack import Focus
from obligations.results import to_json
from obligations.scenario import Question, Scenario

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"


@pytest.fixture(autouse=True)
def _own_cache(tmp_path_factory, monkeypatch):
    """One cache for the module's questions (the pack is made by the first), never the user's."""
    global _CACHE
    if _CACHE is None:
        _CACHE = str(tmp_path_factory.mktemp("pack-cache"))
    monkeypatch.setenv("OBLIGATIONS_CACHE_DIR", _CACHE)
    monkeypatch.delenv("OBLIGATIONS_NO_CACHE", raising=False)


_CACHE: str | None = None


def same(a, b) -> bool:
    return json.dumps(to_json(a), sort_keys=True, default=str) == json.dumps(to_json(b), sort_keys=True, default=str)


def partial(focus: Focus, **kw) -> Workspace:
    Workspace.open(focus=focus, **kw)  # the first makes the pack (and reads the whole corpus)
    ws = Workspace.open(focus=focus, **kw)
    assert ws.whole is not None, "the packed corpus was not used: this test would compare the whole with itself"
    return ws


SCENARIOS = [  # (date, attacker, victim, target, place)
    ("2024-03-01", "RUS", "EST", "territory", None),
    ("2025-06-01", "CHN", "JPN", "territory", "senkaku-islands"),
    ("2025-06-01", "CHN", "PHL", "armed-forces", "south-china-sea"),
    ("2025-06-01", "PRK", "KOR", "territory", None),
    ("1965-06-01", "VDR", "THA", "territory", "tha-home"),
    ("1965-06-01", "VDR", "KHM", "territory", None),
    ("1990-08-02", "IRQ", "KWT", "territory", None),
    ("1982-04-02", "ARG", "GBR", "territory", "falkland-islands"),
    ("1960-01-01", "CHN", "TWN", "territory", None),
]


def _scenario(ws: Workspace, date, attacker, victim, target, place) -> Scenario:
    return Scenario(event="armed-attack", date=dt.date.fromisoformat(date), attacker=attacker, victim=victim,
                    target=target, place=place)


def _bound(ws: Workspace, d: dt.date) -> list[str]:
    return sorted({s for i in ws.corpus.instruments.values() for s in i.bound_states()
                   if ws.corpus.state_exists(s, d)})


@pytest.mark.parametrize("sc", SCENARIOS, ids=lambda s: f"{s[1]}-{s[2]}-{s[0]}")
def test_ask_and_who_on_the_bundled_corpus_are_the_whole_corpus_answers(sc):
    whole = Workspace.open()
    d = dt.date.fromisoformat(sc[0])
    if not all(whole.corpus.state_exists(x, d) for x in sc[1:3]) or (sc[4] and not whole.corpus.area(sc[4])):
        pytest.skip("a state or place of this scenario is not in the corpus")
    asked = 0
    for party in _bound(whole, d):
        if party in sc[1:3]:
            continue
        for action in ("assist", "use-armed-force"):
            q = Question(party=party, action=action)
            ws = partial(Focus(frozenset({party, sc[1], sc[2]})))
            a = ws.ask(_scenario(ws, *sc), q)
            b = whole.ask(_scenario(whole, *sc), q)
            assert same(a, b), (party, action, sc)
            asked += 1
    assert asked > 20
    ws = partial(Focus(frozenset({sc[1], sc[2]}), victim=sc[2]))
    assert same(ws.who(_scenario(ws, *sc), depth=0), whole.who(_scenario(whole, *sc), depth=0))


@pytest.mark.parametrize("party,date", [("USA", "2025-06-01"), ("KOR", "2025-06-01"), ("PHL", "2025-06-01"),
                                        ("GBR", "1960-01-01"), ("TUR", "2024-03-01"), ("AUS", "1965-06-01")])
def test_conflicts_on_the_bundled_corpus_are_the_whole_corpus_answers(party, date):
    whole = Workspace.open()
    d = dt.date.fromisoformat(date)
    ws = partial(Focus(frozenset({party})))
    assert same(ws.conflicts(party, d), whole.conflicts(party, d))


def test_a_joining_asked_of_a_pledge_is_the_whole_corpus_answer():
    whole = Workspace.open(drafts=["pato-draft"])
    sc = Scenario(event="join", date=dt.date(2025, 6, 1), actor="KOR", alliance="pato-draft")
    q = Question(party="KOR", action="join-alliance", deontic="must not")
    ws = partial(Focus(frozenset({"KOR"}), frozenset({"pato-draft"})), drafts=["pato-draft"])
    a, b = ws.ask(sc, q), whole.ask(sc, q)
    assert b.verdict != "not_obliged" and same(a, b)


def test_a_question_naming_an_instrument_that_is_not_there_reads_the_whole_corpus():
    """The message suggests the closest of every instrument, not of the part read."""
    from obligations.errors import UnknownName

    partial(Focus(frozenset({"USA"})))
    with pytest.raises(UnknownName) as e:
        Workspace.open(focus=Focus(frozenset({"USA"}), frozenset({"nat0"})), drafts=["nat0"])
    with pytest.raises(UnknownName) as f:
        Workspace.open(drafts=["nat0"])
    assert str(e.value) == str(f.value)


def _pack_file(paths) -> tuple[str, dict]:
    import pickle

    from obligations.cache import open_cache

    listed = L.listing(paths, [])
    with open_cache() as c:
        index = pickle.loads(c.get(L._meta_key(listed)))
    return os.path.join(_CACHE, index["pack"] + ".entry"), index


def test_a_damaged_pack_is_not_read_and_is_made_again(tmp_path):
    whole = Workspace.open()
    focus = Focus(frozenset({"USA", "RUS", "EST"}))
    partial(focus)
    path, index = _pack_file([L.bundled_corpus_dir()])
    nato = index["names"].index("nato") + 1
    from obligations.model.pack import slices

    off, n, _ = slices(index, [nato])[0]
    with open(path, "r+b") as f:  # one byte inside NATO's unit, where the answer comes from
        f.seek(len(b"OBLCACHE2\n") + 32 + off + n // 2)
        b = f.read(1)
        f.seek(-1, 1)
        f.write(bytes([b[0] ^ 0xFF]))
    sc = _scenario(whole, *SCENARIOS[0])
    q = Question(party="USA", action="assist")
    ws = Workspace.open(focus=focus)
    assert ws.whole is None  # read whole: the slice did not match the digest the authenticated index holds
    assert same(ws.ask(sc, q), whole.ask(sc, q))
    assert Workspace.open(focus=focus).whole is not None  # and the pack was made again


def test_a_file_whose_text_changed_under_the_same_metadata_is_caught(tmp_path):
    """A coarse clock can keep every timestamp across an edit: the text read is checked against the pack's."""
    from obligations.cache import open_cache

    folder = tmp_path / "c"
    folder.mkdir()
    src = Path(L.bundled_corpus_dir())
    for f in sorted(src.rglob("*.treaty")):
        dest = folder / f.relative_to(src)
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(f.read_bytes())
    focus = Focus(frozenset({"USA", "RUS", "EST"}))
    Workspace.open([folder], focus=focus)
    listed = L.listing([folder], [])
    key = L._meta_key(listed)
    with open_cache() as c:
        assert L._packed(c, key, listed, focus, frozenset(), L.DEFAULT_MAX_FILE_BYTES, L.DEFAULT_MAX_CORPUS_BYTES)
        nato = folder / "nato.treaty"
        text = nato.read_text()
        nato.write_text(text.replace("must assist", "must consult", 1))  # what a query would read now
        assert L._packed(c, key, listed, focus, frozenset(), L.DEFAULT_MAX_FILE_BYTES, L.DEFAULT_MAX_CORPUS_BYTES) is None


def test_the_pack_index_names_what_can_reach_a_victim():
    """ATOP-style clauses bound to their parties' victims are found by the victim; a pledge with no victim
    condition is found by every victim, but only when it can oblige what `who` asks."""
    from obligations.model import pack

    corpus = L.load_corpus().corpus
    index, units = pack.build(corpus, {})
    assert len(units) == len(corpus.instruments) + 1
    nato = index["names"].index("nato") + 1
    est = pack.select(index, Focus(victim="EST"))
    assert nato in est
    assert nato not in pack.select(index, Focus(victim="JPN"))
    # The parent of a protocol comes with it, and the protocol with its parent.
    for n, inst in corpus.instruments.items():
        if inst.parent and inst.parent in corpus.instruments:
            k, p = index["names"].index(n) + 1, index["names"].index(inst.parent) + 1
            assert p in index["edges"].get(k, ()) and k in index["edges"].get(p, ())


def test_atop_import_questions_are_the_whole_corpus_answers(tmp_path):
    if not (DATA / "atop" / "atop5_1m.csv").is_file():
        pytest.skip("the shared ATOP data (../shared/data/atop) is not here")
    from obligations.cli import main

    out = tmp_path / "atop"
    assert main(["import", "atop", str(DATA / "atop" / "atop5_1m.csv"), "--alliances",
                 str(DATA / "atop" / "atop5_1a.csv"), "--out", str(out)]) == 0
    whole = Workspace.open([out])
    d = dt.date(1990, 8, 2)
    sc = Scenario(event="armed-attack", date=d, attacker="IRQ", victim="KWT", target="territory")
    for party in ("EGY", "SAU", "USA", "SYR", "JOR", "GBR"):
        ws = partial(Focus(frozenset({party, "IRQ", "KWT"})), corpus=[out])
        q = Question(party=party, action="assist")
        assert same(ws.ask(sc, q), whole.ask(sc, q)), party
    ws = partial(Focus(frozenset({"IRQ", "KWT"}), victim="KWT"), corpus=[out])
    assert same(ws.who(sc, depth=0), whole.who(sc, depth=0))
    for party, date in (("FRA", dt.date(1938, 6, 1)), ("EGY", dt.date(1960, 1, 1))):
        ws = partial(Focus(frozenset({party})), corpus=[out])
        assert same(ws.conflicts(party, date), whole.conflicts(party, date)), party


def test_a_pledge_to_assist_any_victim_is_read_for_every_victim(tmp_path):
    """A clause that does not bound its victim (`each party must assist victim`, no condition on who is
    attacked) can make a protector of any state: `who` reads it whoever the victim is."""
    extra = tmp_path / "more"
    extra.mkdir()
    (extra / "pledge.treaty").write_text('''treaty open-pledge "A pledge to assist any state attacked"
  binding legal
  category alliance
  signed 2001-01-01
  in-force 2001-01-01
  parties ISL NOR from 2001-01-01

  article 1 "Each Party shall assist any State that is the victim of an armed attack."
    clause
      upon armed-attack
      each party must assist victim
  end
end
''')
    corpus = [L.bundled_corpus_dir(), extra]
    whole = Workspace.open(corpus)
    sc = Scenario(event="armed-attack", date=dt.date(2025, 6, 1), attacker="ARG", victim="BRA", target="territory")
    expected = whole.who(sc, depth=0)
    assert {e.party for e in expected.entries if e.verdict == "obliged"} >= {"ISL", "NOR"}
    ws = partial(Focus(frozenset({"ARG", "BRA"}), victim="BRA"), corpus=corpus)
    assert "open-pledge" in ws.corpus.instruments
    assert same(ws.who(sc, depth=0), expected)
    consult = partial(Focus(frozenset({"ARG", "BRA"}), victim="BRA", action="consult"), corpus=corpus)
    assert "open-pledge" not in consult.corpus.instruments  # it cannot oblige anyone to consult


def test_the_world_is_read_entry_by_entry_and_reads_as_the_whole_corpus_world():
    """A question reads the states, places and terms it asks about, not the world's hundreds (WorldTable); every
    table still holds every name, in the same order, and every value equals the whole corpus's."""
    import pickle

    from obligations.model.pack import WORLD_TABLES, WorldTable

    whole = Workspace.open()
    ws = partial(Focus(frozenset({"USA", "CHN", "JPN"})))
    sc = _scenario(ws, "2025-06-01", "CHN", "JPN", "territory", "senkaku-islands")
    assert same(ws.ask(sc, Question(party="USA", action="assist")),
                whole.ask(_scenario(whole, "2025-06-01", "CHN", "JPN", "territory", "senkaku-islands"),
                          Question(party="USA", action="assist")))
    states, places = ws.corpus.states, ws.corpus.places
    assert isinstance(states, WorldTable) and isinstance(places, WorldTable)
    assert 0 < len(states._got) <= 10 < len(states) and 0 < len(places._got) <= 10 < len(places)
    for t in WORLD_TABLES:
        table, full = getattr(ws.corpus, t), getattr(whole.corpus, t)
        assert list(table) == list(full) and len(table) == len(full)
        assert same(dict(table.items()), full)  # (the model's records compare by identity: compared as JSON)
        back = pickle.loads(pickle.dumps(table))
        assert type(back) is dict and same(back, full)
    assert states.get("nowhere") is None and "nowhere" not in states and "USA" in states
    with pytest.raises(KeyError):
        states["nowhere"]
    assert states["USA"] is states["USA"]  # read once
