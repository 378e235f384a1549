"""Tried as a new user would: every command's --help explains every option, and every example in it runs."""

import shlex

import pytest

from obligations.cli import build_parser, main
from obligations.commands import COMMANDS

EXAMPLES = [(spec.name, line.strip()) for spec in COMMANDS for line in spec.examples.splitlines() if line.strip()]


@pytest.mark.parametrize("name", [spec.name for spec in COMMANDS])
def test_help_explains_every_option(name, capsys):
    assert main([name, "--help"]) == 0
    out = capsys.readouterr().out
    assert "examples:" in out and "exit codes" in out
    parser = build_parser()
    sub = next(a for a in parser._actions if a.dest == "command").choices[name]
    for action in sub._actions:
        if action.dest == "help":
            continue
        assert action.help, f"{name}: option {action.option_strings or action.dest} has no help text"


@pytest.mark.parametrize("name,line", EXAMPLES, ids=[f"{n}: {l}" for n, l in EXAMPLES])
def test_every_help_example_runs(name, line, capsys, tmp_path, monkeypatch):
    argv = shlex.split(line)
    assert argv[0] == "obligations" and argv[1] == name
    # Examples write to /tmp/...: here, to this test's own folder (other runs share /tmp).
    argv = [str(tmp_path / a[len("/tmp/"):]) if a.startswith("/tmp/") else a for a in argv]
    monkeypatch.chdir(__import__("pathlib").Path(__file__).resolve().parents[1])
    if name == "fmt" and "--check" not in argv:
        pytest.skip("fmt without --check rewrites files")
    if name == "serve":
        pytest.skip("serve runs until interrupted (tests/test_web_browser.py starts it)")
    if name in ("prove", "diff", "check") and any(not __import__("os").path.exists(a) for a in argv[2:] if a.endswith(".treaty") or a.endswith("/")):
        pytest.fail(f"example names a file that does not exist: {line}")
    if any(a.startswith("../shared/") for a in argv) or name == "compare-atop":
        if not (__import__("pathlib").Path("../shared/data/atop/atop5_1m.csv")).is_file():
            pytest.skip("the shared ATOP data (../shared/data/atop) is not here")
    code = main(argv[1:])
    out = capsys.readouterr()
    assert code in (0, 1), f"{line}\n{out.out}\n{out.err}"
    assert "Traceback" not in out.err and "internal error" not in out.err
