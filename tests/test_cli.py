"""The CLI on the small test world: exit codes, suggestions, JSON that validates, text and JSON goldens."""

import json
from pathlib import Path

import pytest

from golden_util import compare, run_cli
from obligations.cli import main
from obligations.commands.schema_cmd import schemas

ROOT = Path(__file__).resolve().parent
WORLD = "semantics/world.treaty"  # relative: goldens must not depend on where the checkout lives
GOLDEN = ROOT / "golden" / "cli"

ASK = ["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAA", "--at", "a-home", "--on", "1965-01-01", "--party", "BBB"]
CASES = {
    "ask-obliged": ASK,
    "ask-depends": ["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAA", "--at", "shoal", "--on", "1965-01-01", "--party", "BBB"],
    "ask-not-obliged": ["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAA", "--at", "a-home", "--on", "1995-01-01", "--party", "BBB"],
    "who": ["who", "--corpus", WORLD, "--attacker", "CCC", "--victim", "BBB", "--at", "b-home", "--on", "1965-01-01", "--all"],
    "conflicts": ["conflicts", "--corpus", WORLD, "--party", "DDD", "--on", "1980-01-01", "--draft", "draft-pact"],
    "list-instruments": ["list", "instruments", "--corpus", WORLD, "--on", "1965-01-01"],
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_text_golden(name, capsys, request, monkeypatch):
    monkeypatch.setenv("NO_COLOR", "1")
    out = run_cli(CASES[name], capsys, cwd=ROOT)
    compare(out, GOLDEN / f"{name}.txt", request.config.getoption("--update-goldens"))


@pytest.mark.parametrize("name", ["ask-depends", "who", "conflicts"])
def test_json_golden(name, capsys, request):
    out = run_cli(CASES[name] + ["--json"], capsys, cwd=ROOT)
    compare(out, GOLDEN / f"{name}.json", request.config.getoption("--update-goldens"))


JSON_CASES = [
    ASK,
    CASES["who"],
    CASES["conflicts"],
    ["eligible", "--corpus", WORLD, "--party", "CCC", "--instrument", "pact", "--on", "1970-01-01"],
    ["list", "instruments", "--corpus", WORLD],
    ["check", "--alone", WORLD],
    ["check", "--alone", "golden/diagnostics/unknown-names.treaty"],
    ["fmt", "--check", WORLD],
    ["prove", "--alone", WORLD, "--on", "1980-01-01"],
    ["diff", "--corpus", WORLD, WORLD, WORLD, "--on", "1980-01-01"],
]


@pytest.mark.parametrize("argv", JSON_CASES, ids=lambda a: a[0] + ("-" + a[1] if not a[1].startswith("-") else ""))
def test_json_output_validates_against_its_schema(argv, capsys, monkeypatch):
    import jsonschema

    monkeypatch.chdir(ROOT)
    code = main(argv + ["--json"])
    assert code in (0, 1)
    out = json.loads(capsys.readouterr().out)
    jsonschema.validate(out, schemas()[argv[0]])


def test_every_json_command_has_a_schema():
    from obligations import commands
    from obligations.cli import build_parser

    for name in commands.REGISTRY:
        p = build_parser(name)
        sub = next(a for a in p._actions if a.dest == "command").choices[name]
        if any("--json" in a.option_strings for a in sub._actions):
            assert name in schemas(), name


def test_schema_command_lists_every_json_command(capsys):
    assert main(["schema"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed["commands"]) == set(schemas())
    for s in printed["commands"].values():
        assert s.get("type") == "object" or "properties" in s


@pytest.mark.parametrize("argv,needle", [
    (["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAB", "--at", "a-home", "--party", "BBB"], 'did you mean "AAA"'),
    (["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAA", "--at", "a-hom", "--party", "BBB"], 'did you mean "a-home"'),
    (["ask", "--corpus", WORLD, "--attacker", "DDD", "--victim", "AAA", "--at", "a-home", "--party", "BBB", "--on", "1965-02-30"], "not a date"),
    (["ask", "--corpus", WORLD, "--victim", "AAA", "--party", "BBB", "--draft", "pakt"], 'did you mean "pact"'),
    (["ask", "--corpus", WORLD, "--victim", "AAA", "--party", "BBB", "--draft", "pact"], "not a draft"),
    (["ask", "--corpus", WORLD, "--party", "BBB"], "needs --victim"),
    (["ask", "--corpus", "/nonexistent/dir", "--victim", "AAA", "--party", "BBB"], "no such file"),
    (["who", "--corpus", WORLD, "--victim", "AAA", "--depth", "99"], "--depth"),
    (["conflicts", "--corpus", WORLD, "--party", "ZZZ"], "unknown state"),
    (["list", "parties", "--corpus", WORLD, "--instrument", "pakt"], 'did you mean "pact"'),
    (["nonsense"], 'unknown value "nonsense"'),
    (["ask", "--corpus", WORLD, "--victim", "AAA", "--party", "BBB", "--target", "teritory"], 'did you mean "territory"'),
    (["ask", "--corpus", WORLD, "--victim", "AAA", "--party", "BBB", "--action", "asist"], 'did you mean "assist"'),
    (["ask", "--corpus", WORLD, "--victim", "AAA", "--party", "BBB", "--draft", "draft"], 'did you mean "draft-pact"'),
    (["ask", "--corpus", WORLD, "--attacker", "AAA", "--victim", "BBB", "--at", "a-home", "--party", "CCC"], "not BBB's territory"),
    (["ask", "--corpus", WORLD, "--attacker", "AAA", "--victim", "AAA", "--party", "CCC"], "does not attack itself"),
])
def test_bad_usage_is_exit_2_with_a_message(argv, needle, capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(argv) == 2
    out = capsys.readouterr()
    assert needle in out.err + out.out
    assert "Traceback" not in out.err


def test_without_drops_an_instrument(capsys, monkeypatch):
    monkeypatch.chdir(ROOT)
    assert main(ASK + ["--without", "pact", "--json"]) == 0
    r = json.loads(capsys.readouterr().out)
    assert r["verdict"] == "not_obliged"


def test_broken_corpus_is_exit_2_with_diagnostics(tmp_path, capsys):
    bad = tmp_path / "bad.treaty"
    bad.write_text('state AAA "A"\ntreaty t "T" parties AAB end\n')
    assert main(["ask", "--corpus", str(bad), "--victim", "AAA", "--party", "AAA"]) == 2
    err = capsys.readouterr().err
    assert "bad.treaty:2" in err and "E012" in err
