"""`obligations timeline`: intervals of the resolved corpus on a time axis, as a table, CSV, JSON and SVG."""

import csv
import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import jsonschema
import pytest

from obligations.app import Workspace
from obligations.cli import main
from obligations.commands.schema_cmd import schemas
from obligations.viz.svg import timeline_svg
from obligations.viz.timeline import timeline

SVG = "{http://www.w3.org/2000/svg}"
TODAY = dt.date(2026, 1, 1)


@pytest.fixture(scope="module")
def corpus():
    return Workspace.open().corpus


def test_new_zealand_under_anzus(corpus):
    r = timeline(corpus, party="NZL", today=TODAY)
    anzus = [b for b in r.bars if b.instrument == "anzus"]
    kinds = {(b.kind, b.state, b.start, b.end, b.toward) for b in anzus}
    assert ("force", None, dt.date(1952, 4, 29), None, None) in kinds
    assert ("membership", "NZL", dt.date(1952, 4, 29), None, None) in kinds
    assert ("suspension", "USA", dt.date(1986, 8, 11), None, "NZL") in kinds
    susp = next(b for b in anzus if b.kind == "suspension")
    assert susp.label == "USA suspended toward NZL" and "nuclear" in susp.note and susp.location.startswith("treaties/anzus.treaty")
    # From New Zealand's own existence (the world's states carry their COW dates).
    assert r.start_year == corpus.states["NZL"].exists.start.year and r.end_year == TODAY.year


def test_withdrawal_and_termination(corpus):
    r = timeline(corpus, instrument="manila-pact")
    pak = next(b for b in r.bars if b.kind == "membership" and b.state == "PAK")
    assert pak.end == dt.date(1973, 11, 7) and pak.ended_by == "withdrawal"
    assert any(b.kind == "designation" and b.state == "RVN" and b.end == dt.date(1975, 4, 30) for b in r.bars)
    cento = timeline(corpus, instrument="cento")
    tur = next(b for b in cento.bars if b.state == "TUR")
    assert tur.end == dt.date(1979, 10, 9) and tur.ended_by == "termination"  # a membership ends with its treaty


def test_window(corpus):
    r = timeline(corpus, instrument="manila-pact", start_year=1976, end_year=1980)
    assert r.start_year == 1976 and r.end_year == 1980
    assert not any(b.state == "PAK" for b in r.bars)  # left in 1973


def test_table_csv_json_svg_from_the_cli(capsys, tmp_path):
    assert main(["timeline", "--instrument", "anzus"]) == 0
    out = capsys.readouterr().out
    assert "USA suspended toward NZL" in out and "1986-08-11" in out
    assert main(["timeline", "--instrument", "anzus", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert any(r["kind"] == "suspension" and r["toward"] == "NZL" and r["start"] == "1986-08-11" for r in rows)
    assert main(["timeline", "--party", "NZL", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    jsonschema.validate(data, schemas()["timeline"])
    f = tmp_path / "t.svg"
    assert main(["timeline", "--party", "NZL", "--format", "svg", "--out", str(f)]) == 0
    ET.parse(f)


def test_svg_is_accessible_and_shows_the_suspension(corpus):
    text = timeline_svg(timeline(corpus, instrument="anzus", today=TODAY), today=TODAY)
    root = ET.fromstring(text)
    assert root.get("role") == "img" and root.get("aria-labelledby") == "tl-title tl-desc"
    assert root.find(f"{SVG}title").text.startswith("Time line of anzus")
    assert "1 suspension" in root.find(f"{SVG}desc").text
    bars = [g for g in root.iter(f"{SVG}g") if g.find(f"{SVG}title") is not None]
    titles = [g.find(f"{SVG}title").text for g in bars]
    assert any(t.startswith("anzus: USA suspended toward NZL, since 1986-08-11") for t in titles)
    hatched = [g for g in bars if any(r.get("fill") == "url(#tl-hatch)" for r in g.iter(f"{SVG}rect"))]
    assert len(hatched) == 1 and "suspended" in hatched[0].find(f"{SVG}title").text
    assert "suspended 1986–" in text  # labelled, not only coloured
    assert "1960" in text and "2020" in text  # the time axis


@pytest.mark.parametrize("argv,needle", [
    (["timeline", "--party", "NZX"], 'did you mean "NZL"'),
    (["timeline", "--instrument", "anzsu"], 'did you mean "anzus"'),
    (["timeline", "--party", "NZL", "--from", "2000", "--to", "1990"], "before it starts"),
    (["timeline", "--party", "NZL", "--to", "123456"], "not a year"),
    (["timeline", "--party", "NZL", "--instrument", "anzus"], "not allowed with"),
])
def test_bad_input_is_exit_2(argv, needle, capsys):
    assert main(argv) == 2
    out = capsys.readouterr()
    assert needle in out.err and "Traceback" not in out.err
