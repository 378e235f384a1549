"""The API against its own OpenAPI document: Hypothesis draws every documented parameter (the corpus's names, the
enumerations, dates, numbers and junk), and every answer is 2xx with JSON valid against the documented schema, or
4xx with a message: never a 5xx."""

import datetime as dt
import os

import jsonschema
import pytest
from hypothesis import HealthCheck, example, given, settings, strategies as st

pytest.importorskip("starlette")
pytest.importorskip("jinja2")
try:
    import httpx2  # noqa: F401
except ImportError:
    pytest.importorskip("httpx")

from starlette.testclient import TestClient  # noqa: E402

from obligations.web.app import create_app  # noqa: E402

SCALE = int(os.environ.get("OBLIGATIONS_TEST_SCALE", "1"))
JUNK = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)


@pytest.fixture(scope="module")
def client():
    with TestClient(create_app(), raise_server_exceptions=False) as c:
        yield c


@pytest.fixture(scope="module")
def doc(client):
    return client.get("/openapi.json").json()


def value(schema: dict):
    """A value for one parameter, mostly of the documented kind, sometimes not."""
    if schema.get("type") == "array":
        return st.lists(value(schema["items"]), max_size=3)
    t = schema.get("type")
    if "enum" in schema:
        good = st.sampled_from(schema["enum"])
    elif schema.get("format") == "date":
        good = st.one_of(st.sampled_from(["2025-06-01", "1965-06-01", "1987-01-01"]),
                         st.dates(dt.date(1930, 1, 1), dt.date(2035, 12, 31)).map(dt.date.isoformat))
    elif t == "integer":
        good = st.integers(schema.get("minimum", -5) - 2, schema.get("maximum", 3000) + 2).map(str)
    elif t == "boolean":
        good = st.sampled_from(["true", "false"])
    elif schema.get("examples"):
        good = st.sampled_from(schema["examples"])
    else:
        good = JUNK
    return st.integers(0, 19).flatmap(lambda i: JUNK if i == 0 else good)  # junk one time in twenty


RARE = {"actor", "alliance", "seller", "object", "join", "without", "draft", "target", "place", "event", "deontic",
        "within", "attacker", "instrument"}


def params(op: dict):
    """Mostly the documented kind of value, and a parameter left out more often than not (a question that names
    everything at random is rarely one that can happen)."""
    fields = {}
    for p in op["parameters"]:
        s = value(p["schema"])
        if p["required"]:
            fields[p["name"]] = s
        elif p["name"] in RARE and op["operationId"] != "eligible_get":
            fields[p["name"]] = st.one_of(st.none(), st.none(), st.none(), st.none(), s)
        elif p["name"] in ("victim", "party"):
            fields[p["name"]] = st.one_of(st.none(), s, s, s)
        else:
            fields[p["name"]] = st.one_of(st.none(), s)
    return st.fixed_dictionaries(fields).map(lambda d: {k: v for k, v in d.items() if v is not None})


def resolve(doc, schema):
    return {**schema, "components": doc["components"]}


ENDPOINTS = ["ask", "who", "conflicts", "eligible", "graph", "timeline"]
# One question of each kind that can be answered, tried first: the 2xx path is always among the examples.
VALID = {"ask": {"attacker": "CHN", "victim": "JPN", "place": "senkaku-islands", "date": "2025-06-01", "party": "USA"},
         "who": {"attacker": "VDR", "victim": "THA", "date": "1965-06-01", "all": "true"},
         "conflicts": {"party": "KOR", "date": "2025-06-01"},
         "eligible": {"party": "VNM", "instrument": "pato-draft", "date": "2025-06-01"},
         "graph": {"date": "1965-06-01", "attacker": "VDR", "party": ["USA", "THA"]},
         "timeline": {"party": "NZL", "from": "1950"}}


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_every_answer_is_documented_json_or_a_4xx_with_a_message(client, doc, endpoint):
    op = doc["paths"][f"/api/{endpoint}"]["get"]
    ok_schema = resolve(doc, op["responses"]["200"]["content"]["application/json"]["schema"])
    err_schema = resolve(doc, {"$ref": "#/components/schemas/Error"})
    seen = {"ok": 0, "4xx": 0}

    @settings(max_examples=(25 if endpoint in ("conflicts", "eligible") else 40) * SCALE, deadline=None,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
    @given(q=params(op), post=st.booleans())
    @example(q=VALID[endpoint], post=False)
    @example(q=VALID[endpoint], post=True)
    def run(q, post):
        if post:
            r = client.post(f"/api/{endpoint}", json=q)
        else:
            r = client.get(f"/api/{endpoint}", params=q)
        assert r.status_code < 500, (q, r.text)
        body = r.json()
        if r.status_code == 200:
            seen["ok"] += 1
            jsonschema.validate(body, ok_schema)
        else:
            seen["4xx"] += 1
            assert 400 <= r.status_code < 500
            jsonschema.validate(body, err_schema)
            assert body["error"].strip(), body

    run()
    assert seen["4xx"] > 0 and seen["ok"] > 0, seen


@settings(max_examples=30 * SCALE, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=st.one_of(st.text(max_size=200),
                      st.sampled_from(['treaty t "T"\n  parties JPN\nend\n', 'state ZZZ "Z"\n', "treaty", 'treaty x "X"'])))
def test_check_never_fails_on_any_text(client, doc, text):
    r = client.post("/api/check", json={"text": text})
    assert r.status_code < 500, (text, r.text)
    if r.status_code == 200:
        schema = doc["paths"]["/api/check"]["post"]["responses"]["200"]["content"]["application/json"]["schema"]
        jsonschema.validate(r.json(), resolve(doc, schema))
