"""The web app's JSON API and pages through starlette's test client, as a program (or a person) would use them:
the same JSON as `--json`, the CLI's messages for bad input, limits on what is sent."""

import json
import os

import jsonschema
import pytest

pytest.importorskip("starlette")
pytest.importorskip("jinja2")
try:
    import httpx2  # noqa: F401
except ImportError:
    pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from obligations.cli import main  # noqa: E402
from obligations.commands.schema_cmd import schemas  # noqa: E402
from obligations.web.app import create_app  # noqa: E402
from obligations.web.params import MAX_DRAFT_BYTES  # noqa: E402

README = dict(attacker="CHN", victim="JPN", target="territory", place="senkaku-islands", date="2025-06-01", party="USA",
              action="assist")
README_ARGV = ["ask", "--attacker", "CHN", "--victim", "JPN", "--target", "territory", "--at", "senkaku-islands", "--on",
               "2025-06-01", "--party", "USA", "--action", "assist"]
ART_V = "Each Party recognizes that an armed attack against either Party in the territories under the administration of Japan"
SAMPLE = """treaty pacific-pact "A Pacific mutual defence pact (a working draft)"
  draft
  binding none
  category alliance
  parties JPN PHL AUS

  article 4 "Each Party recognizes that an armed attack in the Pacific on any of the Parties would be dangerous
    to its own peace and safety."
    clause
      upon armed-attack
      if victim is party and place in pacific-ocean
      each party other than victim must meet-common-danger
  end
end
"""


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app()) as c:
        yield c


def cli_json(argv, capsys):
    code = main(argv + ["--json"])
    return code, json.loads(capsys.readouterr().out)


def test_ask_answers_what_the_cli_answers(client, capsys):
    r = client.get("/api/ask", params=README)
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    _, cli = cli_json(README_ARGV, capsys)
    assert r.json() == cli
    jsonschema.validate(r.json(), schemas()["ask"])
    assert r.json()["verdict"] == "obliged"
    # POST with a JSON body, and as a form, answer the same
    assert client.post("/api/ask", json=README).json() == cli
    assert client.post("/api/ask", data=README).json() == cli


@pytest.mark.parametrize("endpoint,params,argv", [
    ("who", dict(attacker="CHN", victim="JPN", place="senkaku-islands", date="2025-06-01", depth="3"),
     ["who", "--attacker", "CHN", "--victim", "JPN", "--at", "senkaku-islands", "--on", "2025-06-01", "--depth", "3"]),
    ("conflicts", dict(party="KOR", date="2025-06-01"), ["conflicts", "--party", "KOR", "--on", "2025-06-01"]),
    ("eligible", dict(party="VNM", instrument="pato-draft", date="2025-06-01"),
     ["eligible", "--party", "VNM", "--instrument", "pato-draft", "--on", "2025-06-01"]),
    ("graph", dict(date="2025-06-01", party="USA,JPN"), ["graph", "--on", "2025-06-01", "--party", "USA", "--party", "JPN"]),
    ("timeline", {"instrument": "anzus", "from": "1950", "to": "2025"},
     ["timeline", "--instrument", "anzus", "--from", "1950", "--to", "2025"]),
    ("ask", dict(attacker="CHN", victim="TWN", place="taiwan", date="2025-06-01", party="AUS", draft="pato-draft",
                 join="pato-draft:TWN"),
     ["ask", "--attacker", "CHN", "--victim", "TWN", "--at", "taiwan", "--on", "2025-06-01", "--party", "AUS", "--draft",
      "pato-draft", "--join", "pato-draft:TWN"]),
])
def test_every_query_answers_what_the_cli_answers(client, capsys, endpoint, params, argv):
    r = client.get(f"/api/{endpoint}", params=params)
    assert r.status_code == 200, r.text
    _, cli = cli_json(argv, capsys)
    assert r.json() == cli
    jsonschema.validate(r.json(), schemas()[endpoint])


def test_unknown_state_is_a_4xx_with_the_clis_message_and_suggestion(client, capsys):
    r = client.get("/api/ask", params={**README, "victim": "JPX"})
    assert r.status_code == 400
    body = r.json()
    assert body == {"error": 'unknown state "JPX" (did you mean "JPN"?)', "field": "victim", "option": "--victim",
                    "suggestion": "JPN"}
    assert main([*README_ARGV[:4], "JPX", *README_ARGV[5:]]) == 2
    assert capsys.readouterr().err.strip() == f"obligations ask: error (--victim): {body['error']}"


@pytest.mark.parametrize("endpoint,params,field,needle", [
    ("ask", {**README, "place": "senkaku"}, "place", 'did you mean "senkaku-islands"'),
    ("ask", {**README, "date": "2025-02-30"}, "date", "not a date"),
    ("ask", {**README, "action": "asist"}, "action", 'did you mean "assist"'),
    ("ask", {**README, "target": "teritory"}, "target", 'did you mean "territory"'),
    ("ask", {**README, "victim": "CHN"}, None, "does not attack itself"),
    ("ask", {**README, "place": "jpn-home", "victim": "PHL"}, None, "not PHL's territory"),
    ("ask", {k: v for k, v in README.items() if k != "party"}, "party", '"party" is required'),
    ("ask", {**README, "colour": "red"}, "colour", 'unknown parameter "colour"'),
    ("ask", {**README, "draft": "pato"}, None, 'did you mean "pato-draft"'),
    ("ask", {**README, "join": "pato-draft"}, "join", "INSTRUMENT:STATE"),
    ("who", {"victim": "JPN", "depth": "99"}, "depth", "between 0 and 6"),
    ("who", {"victim": "JPN", "depth": "two"}, "depth", "whole number"),
    ("who", {"victim": "JPN", "all": "maybe"}, "all", "true or false"),
    ("conflicts", {"party": "ZZZ"}, "party", "unknown state"),
    ("eligible", {"party": "VNM", "instrument": "pato"}, None, 'unknown instrument "pato"'),
    ("graph", {"date": "2025-06-01", "instrument": "natto"}, "instrument", 'did you mean "nato"'),
    ("timeline", {}, "party", "give one of them"),
    ("timeline", {"party": "NZL", "from": "2000", "to": "1990"}, "to", "before it starts"),
])
def test_bad_input_is_a_4xx_with_a_message(client, endpoint, params, field, needle):
    r = client.get(f"/api/{endpoint}", params=params)
    assert r.status_code == 400, r.text
    body = r.json()
    assert needle in body["error"], body
    if field:
        assert body["field"] == field


def test_bad_bodies(client):
    assert client.post("/api/ask", content=b"{not json", headers={"content-type": "application/json"}).status_code == 400
    assert client.post("/api/ask", json=["USA"]).status_code == 400
    assert client.post("/api/ask", json={**README, "depth": 3}).status_code == 400
    r = client.post("/api/ask", json={**README, "party": 12})
    assert r.status_code == 400 and r.json()["field"] == "party"
    r = client.post("/api/ask", content=b"x", headers={"content-type": "multipart/form-data; boundary=x"})
    assert r.status_code == 400
    assert client.get("/api/nothing").status_code == 404
    assert client.get("/api/check").status_code == 405


def test_an_oversized_draft_is_refused(client):
    big = "# " + "x" * (MAX_DRAFT_BYTES + 10) + "\n"
    r = client.post("/api/check", json={"text": big})
    assert r.status_code == 413 and "over the limit" in r.json()["error"]
    r = client.post("/api/ask", json={**README, "text": big})
    assert r.status_code == 413
    r = client.post("/api/ask", content=b"{" + b" " * (3 * MAX_DRAFT_BYTES) + b"}",
                    headers={"content-type": "application/json"})
    assert r.status_code == 413


def test_check_answers_what_check_json_answers(client, capsys, tmp_path):
    text = SAMPLE.replace("pacific-ocean", "pacific-area").replace("JPN PHL", "JPN PHX")
    f = tmp_path / "draft.treaty"
    f.write_text(text)
    code, cli = cli_json(["check", str(f)], capsys)
    assert code == 1
    r = client.post("/api/check", json={"text": text})
    assert r.status_code == 200
    api = r.json()
    for d in cli["diagnostics"]:
        d["span"]["file"] = "draft.treaty"
    assert api == cli
    jsonschema.validate(api, schemas()["check"])
    assert [d["suggestion"] for d in api["diagnostics"]] == ["PHL", "pacific-ocean"]


def test_ask_about_a_draft_without_writing_it(client):
    cache = os.environ["OBLIGATIONS_CACHE_DIR"]
    before = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
    r = client.post("/api/ask", json={"attacker": "CHN", "victim": "JPN", "place": "senkaku-islands",
                                      "date": "2025-06-01", "party": "AUS", "text": SAMPLE})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["verdict"] == "obliged" and body["drafts"] == ["pacific-pact"]
    assert any(g["instrument"] == "pacific-pact" and g["location"].startswith("draft.treaty:") for g in body["grounds"])
    after = sorted(os.listdir(cache)) if os.path.isdir(cache) else []
    assert after == before  # the draft was never pickled into the corpus cache
    # without the draft, Australia is not obliged
    r = client.post("/api/ask", json={"attacker": "CHN", "victim": "JPN", "place": "senkaku-islands",
                                      "date": "2025-06-01", "party": "AUS"})
    assert r.json()["verdict"] == "not_obliged"
    # a draft with errors: 422 and its diagnostics
    r = client.post("/api/ask", json={**README, "text": SAMPLE.replace("JPN PHL", "JPN PHX")})
    assert r.status_code == 422 and r.json()["diagnostics"][0]["code"] == "E012"


def test_openapi_describes_every_endpoint_with_the_result_schemas(client):
    doc = client.get("/openapi.json").json()
    assert doc["openapi"].startswith("3.1")
    assert set(doc["paths"]) == {f"/api/{n}" for n in ("ask", "who", "conflicts", "eligible", "check", "graph", "timeline")}
    ask = doc["paths"]["/api/ask"]["get"]
    names = {p["name"] for p in ask["parameters"]}
    assert {"party", "attacker", "victim", "target", "place", "date", "action", "draft", "without"} <= names
    assert "JPN" in next(p for p in ask["parameters"] if p["name"] == "victim")["schema"]["examples"]
    # every $ref resolves, and the documented response is `obligations schema ask`
    refs = []

    def walk(x):
        if isinstance(x, dict):
            if "$ref" in x:
                refs.append(x["$ref"])
            for v in x.values():
                walk(v)
        elif isinstance(x, list):
            for v in x:
                walk(v)
    walk(doc)
    for ref in refs:
        assert ref.startswith("#/components/schemas/") and ref.rsplit("/", 1)[1] in doc["components"]["schemas"], ref
    resp = ask["responses"]["200"]["content"]["application/json"]["schema"]
    answer = client.get("/api/ask", params=README).json()
    jsonschema.validate(answer, {**resp, "components": doc["components"]})


def test_pages(client):
    r = client.get("/ask", params=README)
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    page = r.text
    assert 'data-verdict="obliged"' in page and ART_V in page and "<svg" in page
    assert "http://" not in page.replace("http://www.w3.org", "")  # nothing loaded from another site
    r = client.get("/ask", params={**README, "victim": "JPX"})
    assert r.status_code == 400 and "did you mean &#34;JPN&#34;" in r.text
    for path, needle in [("/who?attacker=CHN&victim=JPN&place=senkaku-islands&date=2025-06-01", "us-japan Art. V"),
                         ("/conflicts?party=KOR&date=2025-06-01", "conflict"),
                         ("/eligible?party=VNM&instrument=pato-draft&date=2025-06-01", "criterion"),
                         ("/graph?date=2025-06-01&party=JPN", "<svg"),
                         ("/timeline?party=NZL", "USA suspended toward NZL"),
                         ("/editor", "pacific-pact"), ("/api", "/api/ask"), ("/", "Does a scenario oblige")]:
        r = client.get(path)
        assert r.status_code == 200 and needle in r.text, path
    r = client.post("/editor", data={"text": SAMPLE, "attacker": "CHN", "victim": "JPN", "place": "senkaku-islands",
                                     "date": "2025-06-01", "party": "AUS"})
    assert r.status_code == 200 and 'data-verdict="obliged"' in r.text and "pacific-pact" in r.text
    assert client.get("/static/app.css").status_code == 200
    r = client.get("/svg/timeline", params={"instrument": "anzus"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("image/svg+xml")


def test_serve_warns_when_it_listens_beyond_this_machine(monkeypatch, capsys):
    uvicorn = pytest.importorskip("uvicorn")

    monkeypatch.setattr(uvicorn.Server, "run", lambda self, sockets=None: None)  # nothing is bound
    assert main(["serve", "--host", "0.0.0.0", "--port", "0"]) == 0
    assert "warning: listening on 0.0.0.0" in capsys.readouterr().err
    assert main(["serve", "--port", "0"]) == 0
    assert "warning" not in capsys.readouterr().err


def test_serve_refuses_without_its_extra(monkeypatch, capsys):
    import builtins

    real = builtins.__import__

    def no_uvicorn(name, *a, **k):
        if name == "uvicorn":
            raise ImportError("no uvicorn", name="uvicorn")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_uvicorn)
    assert main(["serve", "--port", "0"]) == 2
    assert "pip install 'obligations[serve]'" in capsys.readouterr().err
