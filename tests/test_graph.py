"""`obligations graph` and `who --graph`: edges computed with the engine's semantics, checked against `who`."""

import datetime as dt
import json
import re
import shutil

import jsonschema
import pytest
from hypothesis import given, settings, strategies as st

from obligations.app import Workspace
from obligations.cli import main
from obligations.commands.schema_cmd import schemas
from obligations.scenario import Scenario
from obligations.viz.graph import cascade, network

D = dt.date(2025, 6, 1)
EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[')


@pytest.fixture(scope="module")
def ws():
    return Workspace.open()


@pytest.fixture(scope="module")
def net(ws):
    return network(ws, D)


def who_edges(ws, victim, date, attacker=None, action="assist"):
    """What `who` answers for an attack on the victim's home territory: the edges the network must draw."""
    r = ws.who(Scenario(date=date, attacker=attacker, victim=victim), action, depth=0)
    return {(e.party, victim, e.verdict) for e in r.entries if e.verdict in ("obliged", "depends") and e.party != victim}


def edges_to(g, victim):
    return {(e.source, e.target, e.verdict) for e in g.edges if e.target == victim}


@pytest.mark.parametrize("victim", ["USA", "JPN", "THA", "PHL", "AUS", "NZL", "TUR", "KOR", "CAN", "GBR", "KHM"])
def test_edges_are_who_entries(ws, net, victim):
    assert edges_to(net, victim) == who_edges(ws, victim, D)


@settings(max_examples=25, deadline=None)
@given(data=st.data())
def test_edges_are_who_entries_for_sampled_victims_and_dates(ws, data):
    date = data.draw(st.sampled_from([dt.date(1956, 1, 1), dt.date(1965, 6, 1), dt.date(1987, 1, 1), dt.date(2003, 3, 20), D]))
    existing = sorted(s for s in ws.corpus.states if ws.corpus.state_exists(s, date) and ws.home(s, date))
    victims = data.draw(st.lists(st.sampled_from(existing), min_size=1, max_size=3, unique=True))
    attacker = data.draw(st.sampled_from([None, "SUN", "CHN", "VDR", "PRK"]).filter(
        lambda a: a is None or (ws.corpus.state_exists(a, date) and a not in victims)))
    g = network(ws, date, attacker=attacker)
    for v in victims:
        assert edges_to(g, v) == who_edges(ws, v, date, attacker), (v, date, attacker)


def test_the_readme_alliances(net):
    pairs = {(e.source, e.target): e for e in net.edges}
    usa_jpn = pairs[("USA", "JPN")]
    assert usa_jpn.verdict == "obliged"
    assert [(g.instrument, g.article) for g in usa_jpn.grounds] == [("us-japan", "V")]
    assert ("JPN", "USA") not in pairs  # Art. V covers territories under Japan's administration only
    assert pairs[("AUS", "NZL")].instruments and "anzus" in pairs[("AUS", "NZL")].instruments
    # The United States suspended its ANZUS obligations toward New Zealand in 1986.
    assert ("USA", "NZL") not in pairs or "anzus" not in pairs[("USA", "NZL")].instruments
    assert ("NZL", "USA") in pairs
    assert {"us-japan", "V"} <= {x for a in net.articles for x in (a.instrument, a.article)}
    # Every state of the world has a home territory: none is left out of the network.
    assert not [x for x in net.not_asked if "no territory in the corpus" in x]


def test_dot_lists_an_edge_for_every_ordered_pair(capsys, net):
    assert main(["graph", "--on", "2025-06-01", "--format", "dot"]) == 0
    out = capsys.readouterr().out
    dot_edges = [m.groups() for m in map(EDGE.match, out.splitlines()) if m]
    assert sorted(dot_edges) == sorted((e.source, e.target) for e in net.edges)
    assert len(set(dot_edges)) == len(dot_edges)
    assert "nato Art. 5" in out or "labeltooltip=\"nato Art. 5\"" in out


def test_filters(ws):
    g = network(ws, D, parties=["USA"])
    assert g.edges and all("USA" in (e.source, e.target) for e in g.edges)
    g = network(ws, D, instruments=["nato"])
    assert g.edges and all(any(x.instrument == "nato" for x in e.grounds) for e in g.edges)
    assert not any("JPN" in (e.source, e.target) for e in g.edges)
    g = network(ws, dt.date(1965, 6, 1), attacker="VDR", instruments=["manila-pact"])
    assert ("USA", "THA") in {(e.source, e.target) for e in g.edges}


def test_other_actions(ws):
    g = network(ws, D, action="consult", event="threat", instruments=["anzus"])
    assert {("AUS", "NZL"), ("NZL", "AUS")} <= {(e.source, e.target) for e in g.edges}
    assert all(e.action == "consult" for e in g.edges)


def test_json_validates_against_its_schema(capsys):
    assert main(["graph", "--on", "2025-06-01", "--party", "JPN", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, schemas()["graph"])
    assert out["kind"] == "network" and out["edges"][0]["source"] == "USA"


@pytest.mark.parametrize("argv,needle", [
    (["graph", "--on", "2025-06-01", "--party", "JPX"], 'unknown state "JPX" (did you mean "JPN"?)'),
    (["graph", "--on", "2025-06-01", "--instrument", "natto"], 'did you mean "nato"'),
    (["graph", "--on", "2025-06-01", "--action", "asist"], 'did you mean "assist"'),
    (["graph", "--on", "2025-13-01"], "not a date"),
    (["graph", "--on", "2025-06-01", "--attacker", "SUN"], "does not exist on 2025-06-01"),
    (["graph", "--on", "2025-06-01", "--json", "--format", "dot"], "two formats"),
    (["who", "--victim", "JPN", "--format", "dot"], "add --graph"),
])
def test_bad_input_is_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert needle in err and "Traceback" not in err


def test_svg_needs_graphviz_and_says_which_package(capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["graph", "--on", "2025-06-01", "--party", "JPN", "--format", "svg"]) == 2
    err = capsys.readouterr().err
    assert "graphviz" in err and "apt-get install graphviz" in err


@pytest.mark.skipif(shutil.which("dot") is None, reason="Graphviz's dot is not installed")
def test_svg(capsys, tmp_path):
    out = tmp_path / "g.svg"
    assert main(["graph", "--on", "2025-06-01", "--party", "JPN", "--format", "svg", "--out", str(out)]) == 0
    text = out.read_text()
    assert text.startswith("<?xml") and "<svg" in text and "us&#45;japan Art. V" in text


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_graphml_and_gexf_read_back(fmt, capsys, net):
    nx = pytest.importorskip("networkx")
    assert main(["graph", "--on", "2025-06-01", "--format", fmt]) == 0
    import io

    text = capsys.readouterr().out
    G = (nx.read_graphml if fmt == "graphml" else nx.read_gexf)(io.BytesIO(text.encode()))
    assert G.number_of_edges() == len(net.edges)
    assert G.number_of_nodes() == len(net.nodes)


def test_who_graph_draws_the_cascade(ws, capsys):
    r = ws.who(Scenario(date=D, attacker="CHN", victim="JPN", place="senkaku-islands"), depth=3)
    g = cascade(ws, r)
    obl = {(e.source, e.target, e.depth) for e in g.edges if e.kind == "obligation"}
    assert ("USA", "JPN", 1) in obl and ("AUS", "USA", 2) in obl
    assert ("CHN", "JPN") in {(e.source, e.target) for e in g.edges if e.kind == "attack"}
    # every obliged entry of who, at every depth, is an edge
    want = {(e.party, r.scenario.victim, 1) for e in r.entries}
    stack = [(s, 2) for s in r.cascade]
    while stack:
        s, d = stack.pop()
        want |= {(e.party, s.party, d) for e in s.obliged}
        stack += [(t, d + 1) for t in s.then]
    assert obl == want
    assert main(["who", "--attacker", "CHN", "--victim", "JPN", "--at", "senkaku-islands", "--on", "2025-06-01",
                 "--depth", "3", "--graph", "--format", "json"]) == 0
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, schemas()["graph"])
    assert out["kind"] == "cascade" and out["scenario"]["victim"] == "JPN"


def test_network_on_two_dates_and_a_named_attacker(ws):
    # (How long a network takes is the benchmarks' business, not the tests'.)
    today = network(ws, D)
    seato = network(ws, dt.date(1965, 6, 1), attacker="VDR")
    assert today.edges and seato.edges
    assert all(e.source != "VDR" for e in seato.edges)  # the attacker never assists its own victim


def test_queries_do_not_import_the_extras():
    """`ask` from the shell imports neither networkx nor the web app's packages, nor the viz and web modules."""
    import subprocess
    import sys

    code = ("import sys\nfrom obligations.cli import main\n"
            "code = main(['ask', '--attacker', 'CHN', '--victim', 'JPN', '--target', 'territory', '--at', "
            "'senkaku-islands', '--on', '2025-06-01', '--party', 'USA', '--action', 'assist'])\n"
            "bad = [m for m in ('networkx', 'starlette', 'jinja2', 'uvicorn', 'obligations.viz', 'obligations.web', "
            "'playwright') if m in sys.modules]\n"
            "print('LOADED', bad, code)\n")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert "LOADED [] 0" in r.stdout, r.stdout + r.stderr
